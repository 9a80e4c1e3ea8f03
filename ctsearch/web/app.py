"""The web app: routes, templates, static files, errors and the headers every answer carries.

Read-only by construction: only GET (and HEAD) routes exist; nothing here writes to the corpus
or the index. Every failure becomes a page or a JSON `{"error": …}` with one line saying what
went wrong: a bad query or parameter is a 400 with the CLI's message, an unknown passage a 404,
an index that cannot be opened a 503, and a bug a 500 "internal error (…)" (its traceback goes
to the server's stderr only with CTSEARCH_DEBUG=1, never to the browser).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ctsearch.web.engine import Engine
from ctsearch.web.render import clean
from ctsearch.web.responses import error_response, internal_error

HERE = Path(__file__).resolve().parent
# Pages and API answers load nothing from elsewhere (it must work offline) and run no inline
# script: whatever a document or a query holds, a browser will not execute it.
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),  # a followed source link does not carry the query
    (b"x-frame-options", b"DENY"),
]


def create_app(
    index_dir: str | Path,
    corpus: str | Path | None = None,
    *,
    allowed_hosts: Sequence[str] | None = None,
    warn: Callable[[str], None] | None = None,
    keep: int | None = None,
) -> Starlette:
    """The app serving `index_dir` (built from `corpus` when missing, like `ctsearch search`).

    `allowed_hosts`: the Host names the app answers (the server passes the loopback names when
    it listens on loopback, so that a web page cannot reach it through DNS rebinding); None
    answers any. `keep`: how many answers are kept for requests asked again (engine.py; None:
    the default, 0: none)."""
    from ctsearch.web import jsonapi, pages

    engine = Engine(
        Path(index_dir),
        Path(corpus) if corpus is not None else None,
        warn,
        **({} if keep is None else {"keep": keep}),
    )
    templates = template_environment()
    routes = [
        *pages.routes(),
        *jsonapi.routes(),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(_Headers)]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: _http_error, Exception: _bug},
    )
    app.state.engine = engine
    app.state.templates = templates
    app.state.warn = warn or _stderr
    return app


def template_environment() -> Environment:
    """Jinja2 with autoescape on for everything and control characters removed from every
    printed value (render.clean)."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        finalize=clean,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


async def _http_error(request: Request, exc: HTTPException) -> Response:
    messages = {
        404: f"nothing at {request.url.path[:200]}",
        405: f"{request.method} is not allowed here: this server only reads",
    }
    message = messages.get(exc.status_code, str(exc.detail))
    response = error_response(request, exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _bug(request: Request, exc: Exception) -> Response:
    return internal_error(request, exc)


def _stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


class _Headers:
    """Adds SECURITY_HEADERS to every response (a plain ASGI wrapper: no per-request cost
    beyond a list extend)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", ())}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, sending)
