"""Answers shared by the pages and the API: a rendered page, an error as a page or as JSON,
and `guarded`, which makes sure an endpoint answers every failure instead of raising it.

A bad query or parameter is a 400 with the CLI's message, an unknown passage a 404, an index
that cannot be opened a 503, and a bug a 500 "internal error (…)" (its traceback goes to the
server's stderr only with CTSEARCH_DEBUG=1, never to the browser).
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from ctsearch.errors import (
    CorpusError,
    CtsearchError,
    IndexMissingError,
    PassageNotFoundError,
    QueryError,
    UnusableIndexError,
)
from ctsearch.output import one_line


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    template = request.app.state.templates.get_template(name)
    context.setdefault("title", None)
    html = template.render(request=request, **context)
    return HTMLResponse(html, status_code=status)


def wants_json(request: Request) -> bool:
    return request.url.path == "/api" or request.url.path.startswith("/api/")


def error_status(exc: CtsearchError) -> int:
    """The HTTP status of a library error."""
    if isinstance(exc, PassageNotFoundError):
        return 404
    if isinstance(exc, QueryError):
        return 400
    if isinstance(exc, (IndexMissingError, UnusableIndexError, CorpusError)):
        return 503  # the server is fine; the index is not there or cannot be opened
    return 500


def error_response(request: Request, status: int, message: str, **context: Any) -> Response:
    """`{"error": message}` under /api/, else the error page (with the search form)."""
    message = one_line(message)
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return render(request, "error.html", status=status, status_code=status, message=message,
                  **context)  # fmt: skip


def library_error(request: Request, exc: CtsearchError, **context: Any) -> Response:
    return error_response(request, error_status(exc), str(exc), **context)


def internal_error(request: Request, exc: Exception) -> Response:
    """A bug: one line to the browser and to stderr; the traceback only with CTSEARCH_DEBUG."""
    message = f"internal error ({type(exc).__name__}: {one_line(str(exc), limit=200)})"
    request.app.state.warn(f"{request.method} {request.url.path[:200]}: {message}")
    if os.environ.get("CTSEARCH_DEBUG"):
        traceback.print_exception(exc, file=sys.stderr)
    return error_response(request, 500, message + "; please report it")


def guarded(endpoint: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """An endpoint whose every failure is answered (library errors by their status, anything
    else as an internal error), never raised to the server."""

    @functools.wraps(endpoint)
    def answer(request: Request) -> Response:
        try:
            with request.app.state.engine.one_request():
                return endpoint(request)
        except CtsearchError as exc:
            return library_error(request, exc)
        except Exception as exc:
            return internal_error(request, exc)

    return answer


def kept(endpoint: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """An HTML page whose whole state is its URL, answered from the engine's kept pages when the
    same URL was rendered on the same state of the index, the corpus files and the census the
    form lists (engine.page_key); a new page (200 only) is kept for next time."""

    @functools.wraps(endpoint)
    def answer(request: Request) -> Response:
        engine = request.app.state.engine
        key = engine.page_key(request.url.path, request.url.query)
        if key is not None:
            body = engine.pages.get(key)
            if body is not None:
                return HTMLResponse(body)
        response = endpoint(request)
        if key is not None and response.status_code == 200 and isinstance(response, HTMLResponse):
            engine.pages.put(key, response.body)
        return response

    return answer
