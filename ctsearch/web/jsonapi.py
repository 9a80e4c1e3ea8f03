"""The JSON API under /api/: exactly the CLI's `--json` contracts, for scripts.

Each answer is built by the same function the CLI prints (output.search_data, a result's
to_dict, …), so `GET /api/search?q=…` and `ctsearch search … --json` give the same JSON.
Parameters are checked strictly: an unknown or repeated one is a 400 `{"error": …}`.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ctsearch.errors import QueryError
from ctsearch.output import search_data, speakers_data, to_json
from ctsearch.web import params as P
from ctsearch.web.responses import guarded

SHOW_PARAMS = ("context",)


class _JSON(JSONResponse):
    """JSON as the CLI writes it (output.to_json): UTF-8 text, not \\u escapes, indented."""

    def render(self, content) -> bytes:
        return to_json(content).encode("utf-8")


def routes() -> list[Route]:
    return [
        Route("/api", guarded(index)),
        Route("/api/search", guarded(search)),
        Route("/api/show/{passage_id:path}", guarded(show)),
        Route("/api/trend", guarded(trend)),
        Route("/api/quote", guarded(quote)),
        Route("/api/speakers", guarded(speakers)),
        Route("/api/stats", guarded(stats)),
    ]


def index(request: Request) -> _JSON:
    """What the API offers (GET /api)."""
    P.collect(request.query_params.multi_items(), strict=True, allowed=())
    return _JSON(
        {
            "endpoints": {
                "/api/search": list(P.SEARCH_PARAMS),
                "/api/show/PASSAGE_ID": list(SHOW_PARAMS),
                "/api/trend": list(P.TREND_PARAMS),
                "/api/quote": list(P.QUOTE_PARAMS),
                "/api/speakers": [],
                "/api/stats": [],
            }
        }
    )


def search(request: Request) -> _JSON:
    state = P.parse_search(request.query_params.multi_items(), strict=True)
    if not state.q:
        raise QueryError("missing parameter 'q': the query, e.g. /api/search?q=drones")
    result = request.app.state.engine.search(state.q, **state.options())
    return _JSON(search_data(result))


def show(request: Request) -> _JSON:
    values = P.collect(request.query_params.multi_items(), strict=True, allowed=SHOW_PARAMS)
    context = P.whole(P.single(values, "context", strict=True), "context", 0, low=0)
    ctx = request.app.state.engine.show(request.path_params["passage_id"], context=context)
    return _JSON(ctx.to_dict())


def trend(request: Request) -> _JSON:
    """`ctsearch trend --json`."""
    pairs = request.query_params.multi_items()
    state = P.parse_search(pairs, strict=True, allowed=P.TREND_PARAMS)
    by = P.trend_by(
        P.single(P.collect(pairs, strict=True, allowed=P.TREND_PARAMS), "by", strict=True)
    )
    if not state.q:
        raise QueryError("missing parameter 'q': the query, e.g. /api/trend?q=drones&by=year")
    result = request.app.state.engine.trend(
        state.q, by=by, expand=state.expand, **state.filter_options()
    )
    return _JSON(result.to_dict())


def quote(request: Request) -> _JSON:
    """`ctsearch quote --json`."""
    pairs = request.query_params.multi_items()
    state = P.parse_search(pairs, strict=True, allowed=P.QUOTE_PARAMS, default_limit=P.QUOTE_LIMIT)
    if not state.q:
        raise QueryError("missing parameter 'q': the quote, e.g. /api/quote?q=…")
    result = request.app.state.engine.quote(state.q, limit=state.limit, **state.filter_options())
    return _JSON(result.to_dict())


def speakers(request: Request) -> _JSON:
    P.collect(request.query_params.multi_items(), strict=True, allowed=())
    return _JSON(speakers_data(request.app.state.engine.speakers()))


def stats(request: Request) -> _JSON:
    P.collect(request.query_params.multi_items(), strict=True, allowed=())
    return _JSON(request.app.state.engine.stats().to_dict())
