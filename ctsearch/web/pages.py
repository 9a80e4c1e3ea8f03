"""The HTML pages: search (/), a passage in context (/passage/ID), trend (/trend), quote (/quote).

Every page is rendered on the server and works without JavaScript; its whole state is in its
URL (query string), so a page can be bookmarked, shared and reached with the back button.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ctsearch.errors import CtsearchError, QueryError
from ctsearch.models import DOC_TYPES
from ctsearch.web import params as P
from ctsearch.web.render import bar_chart, diff_html, highlighted, link
from ctsearch.web.responses import error_status, guarded, kept, render

FORM_LIST_MAX = 300  # speakers / conferences offered as suggestions in the form at most
FACET_SHOWN = 8  # values of a facet listed before "more"
FACET_MORE = 40  # ...and under "more" (the rest: a count, and the filter fields of the form)
PASSAGE_CONTEXT = 2  # neighbours shown on each side of a passage by default
FACET_NAMES = {"speaker": "Speaker", "conference": "Conference", "year": "Year", "type": "Type"}


def routes() -> list[Route]:
    return [
        Route("/", guarded(kept(search_page)), name="search"),
        Route("/passage/{passage_id:path}", guarded(kept(passage_page)), name="passage"),
        Route("/trend", guarded(kept(trend_page)), name="trend"),
        Route("/quote", guarded(quote_page), name="quote"),
    ]


def passage_url(passage_id: str, **query: str) -> str:
    url = "/passage/" + quote(passage_id, safe=":/")
    return url + ("?" + urlencode(query) if query else "")


def search_url(state: P.SearchState) -> str:
    qs = state.query_string()
    return "/?" + qs if qs else "/"


# -- search ----------------------------------------------------------------------------------


def search_page(request: Request) -> Response:
    engine = request.app.state.engine
    try:
        state = P.parse_search(request.query_params.multi_items())
    except QueryError as exc:
        state = P.SearchState(q=request.query_params.get("q", "")[: P.QUERY_CHARS])
        return _search_response(request, state, None, error=exc)
    if not state.q:
        return _search_response(request, state, None)
    try:
        options = state.options() | {"facets": True}
        result = engine.search(state.q, **options)
    except CtsearchError as exc:
        return _search_response(request, state, None, error=exc)
    return _search_response(request, state, result)


def _search_response(
    request: Request, state: P.SearchState, result: Any, error: CtsearchError | None = None
) -> Response:
    status = error_status(error) if error is not None else 200
    engine = request.app.state.engine
    census = engine.recent_census()
    context: dict[str, Any] = {
        "state": state,
        "form": form_lists(census),
        "error": str(error) if error is not None else None,
        "filters": active_filters(state),
        "title": state.q or None,
    }
    if result is not None:
        context |= results_view(state, result)
    elif not state.q and error is None:
        # The home page: what the index holds, as of the last census (the one a commit starts
        # is counted in the background); only a server's very first census is waited for.
        context["stats"] = census[1] if census is not None else _quietly(engine.stats)
    return render(request, "search.html", status=status, **context)


def form_lists(census: tuple[Any, Any] | None) -> dict[str, Any]:
    """What the search form offers: known speakers and conferences (typed names and aliases
    are accepted too), and the document types. `census`: engine.recent_census()."""
    speakers, stats = census or ((), None)
    return {
        "speakers": [s.name for s in speakers[:FORM_LIST_MAX]],
        "conferences": list(stats.conferences[:FORM_LIST_MAX]) if stats else [],
        "types": DOC_TYPES,
    }


def _quietly(compute):
    """compute(), or None when the index cannot answer (the page says why elsewhere)."""
    try:
        return compute()
    except CtsearchError:
        return None


def active_filters(state: P.SearchState) -> list[dict[str, str]]:
    """The filters in force, each with the URL of the same search without it."""
    out = []
    for name in state.speakers:
        rest = tuple(s for s in state.speakers if s != name)
        out.append(
            {"label": "Speaker", "value": name, "remove": search_url(state.with_(speakers=rest))}
        )
    for label, attr in (("Conference", "conference"), ("Type", "doc_type"), ("Year", "year"),
                        ("From", "date_from"), ("To", "date_to")):  # fmt: skip
        value = getattr(state, attr)
        if value:
            out.append(
                {"label": label, "value": value, "remove": search_url(state.with_(**{attr: ""}))}
            )
    return out


def results_view(state: P.SearchState, result: Any) -> dict[str, Any]:
    """Hits, facets, paging and the messages of an answered search, ready for the template."""
    hits = [
        {
            "hit": h,
            "html": highlighted(h.text, h.highlight),
            "url": passage_url(h.passage_id),
            "speakers": [(name, search_url(state.with_(speakers=(name,)))) for name in h.speakers],
        }
        for h in result.hits
    ]
    pages = max(1, math.ceil(result.total / state.limit))
    first = (result.page - 1) * state.limit + 1
    no_filters = state.with_(
        speakers=(), conference="", doc_type="", year="", date_from="", date_to=""
    )
    return {
        "result": result,
        "hits": hits,
        "facets": facet_groups(state, result.facets or {}),
        "pager": {
            "page": result.page,
            "pages": pages,
            "first": first,
            "last": first + len(result.hits) - 1,
            "prev": search_url(state.with_(page=state.page - 1)) if state.page > 1 else None,
            "next": search_url(state.with_(page=state.page + 1)) if state.page < pages else None,
        },
        "suggestion_url": search_url(state.with_(q=result.suggestion))
        if result.suggestion
        else None,
        "without_filters": search_url(no_filters),
        "expanded": _expanded(result),
        "expand_url": search_url(state.with_(expand=not state.expand)),
        "trend_url": "/trend?" + state.query_string(paging=False),
        "sort_urls": {s: search_url(state.with_(sort=s)) for s in P.SORTS},
    }


def _expanded(result: Any) -> list[tuple[str, str]]:
    """What else vocabulary expansion searched, as (term, "variant, variant…") pairs."""
    return [(term, ", ".join(variants)) for term, variants in result.expanded.items() if variants]


def facet_groups(state: P.SearchState, facets: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """Facet counts as links: a value filters the search to it; the value in force removes
    its filter."""
    groups = []
    for key, counts in facets.items():
        items = []
        listed = list(counts.items())[: FACET_SHOWN + FACET_MORE]
        for value, count in listed:
            value = str(value)
            active, changed = _toggle(state, key, value)
            label = value.replace("_", " ") if key == "type" else value
            items.append({"value": value, "label": label, "count": count, "active": active,
                          "url": search_url(changed)})  # fmt: skip
        if items:
            groups.append({"key": key, "name": FACET_NAMES.get(key, key.title()),
                           "shown": items[:FACET_SHOWN], "more": items[FACET_SHOWN:],
                           "unlisted": len(counts) - len(listed)})  # fmt: skip
    return groups


def _toggle(state: P.SearchState, key: str, value: str) -> tuple[bool, P.SearchState]:
    if key == "speaker":
        if value in state.speakers:
            return True, state.with_(speakers=tuple(s for s in state.speakers if s != value))
        return False, state.with_(speakers=(value,))
    attr = P.FILTER_FIELDS.get(key)
    if attr is None:
        return False, state
    active = getattr(state, attr) == value
    return active, state.with_(**{attr: "" if active else value})


# -- a passage in context --------------------------------------------------------------------


def passage_page(request: Request) -> Response:
    passage_id = request.path_params["passage_id"]
    values = P.collect(request.query_params.multi_items(), strict=False, allowed=("context",))
    context = P.whole(P.single(values, "context", strict=False), "context", PASSAGE_CONTEXT,
                      low=0, high=P.MAX_PAGE_CONTEXT)  # fmt: skip
    ctx = request.app.state.engine.show(passage_id, context=context)
    hit = ctx.passage
    neighbours = [
        {"hit": h, "url": passage_url(h.passage_id, **_context_query(context)), "mine": h is hit}
        for h in (*ctx.before, hit, *ctx.after)
    ]
    return render(
        request,
        "passage.html",
        title=hit.title or hit.passage_id,
        hit=hit,
        ctx=ctx,
        neighbours=neighbours,
        source_url=link(ctx.url),
        more_url=passage_url(passage_id, context=str(min(P.MAX_PAGE_CONTEXT, context + 3))),
        can_widen=context < P.MAX_PAGE_CONTEXT,
        api_url="/api/show/" + quote(passage_id, safe=":/") + f"?context={context}",
    )


def _context_query(context: int) -> dict[str, str]:
    return {} if context == PASSAGE_CONTEXT else {"context": str(context)}


# -- research views: trend and quote ---------------------------------------------------------


def trend_page(request: Request) -> Response:
    """The chart and table of `ctsearch trend` for a query (same function, same numbers)."""
    pairs = request.query_params.multi_items()
    context: dict[str, Any] = {
        "form": form_lists(request.app.state.engine.recent_census()),
        "bys": P.TREND_BY,
    }
    try:
        state = P.parse_search(pairs, allowed=P.TREND_PARAMS)
        by = P.trend_by(
            P.single(P.collect(pairs, strict=False, allowed=("by",)), "by", strict=False)
        )
    except QueryError as exc:
        state = P.SearchState(q=request.query_params.get("q", "")[: P.QUERY_CHARS])
        return render(request, "trend.html", status=400, state=state, by="year", error=str(exc),
                      title="Trend", **context)  # fmt: skip
    state = replace(state, extra={"by": by} if by != "year" else {})
    if not state.q:
        return render(request, "trend.html", state=state, by=by, title="Trend", **context)
    try:
        result = request.app.state.engine.trend(
            state.q, by=by, expand=state.expand, **state.filter_options()
        )
    except CtsearchError as exc:
        return render(request, "trend.html", status=error_status(exc), state=state, by=by,
                      error=str(exc), title=f"Trend of {state.q}", **context)  # fmt: skip
    data = result.to_dict()
    rows = []
    for bucket in data["buckets"]:
        attr = P.FILTER_FIELDS.get(by)
        key = str(bucket["key"])
        value = (key,) if attr == "speakers" else key
        target = state.with_(extra={}, **{attr: value}) if attr else state.with_(extra={})
        rows.append(bucket | {"url": search_url(target)})
    return render(
        request,
        "trend.html",
        state=state,
        by=by,
        result=data,
        rows=rows,
        chart=bar_chart(data["buckets"], "per_1000"),
        search_link=search_url(state.with_(extra={})),
        title=f"Trend of {state.q}",
        by_urls={b: "/trend?" + state.with_(extra={"by": b}).query_string() for b in P.TREND_BY},
        api_url="/api/trend?" + state.query_string(paging=False),  # `by` is in its extra
        **context,
    )


def quote_page(request: Request) -> Response:
    """Paste a quote, get the passages it most likely comes from (`ctsearch quote`)."""
    pairs = request.query_params.multi_items()
    context: dict[str, Any] = {
        "form": form_lists(request.app.state.engine.recent_census()),
        "title": "Quote",
    }
    try:
        state = P.parse_search(pairs, allowed=P.QUOTE_PARAMS)
    except QueryError as exc:
        state = P.SearchState(q=request.query_params.get("q", "")[: P.QUERY_CHARS])
        return render(request, "quote.html", status=400, state=state, error=str(exc), **context)
    if not state.q:
        return render(request, "quote.html", state=state, **context)
    try:
        result = request.app.state.engine.quote(
            state.q, limit=P.QUOTE_LIMIT, **state.filter_options()
        )
    except CtsearchError as exc:
        return render(request, "quote.html", status=error_status(exc), state=state, error=str(exc),
                      **context)  # fmt: skip
    data = result.to_dict()
    matches = [
        m | {"url": passage_url(m["passage_id"]), "diff_html": diff_html(m.get("diff") or [])}
        for m in data["matches"]
    ]
    return render(request, "quote.html", state=state, result=data, matches=matches,
                  api_url="/api/quote?" + state.query_string(paging=False), **context)  # fmt: skip
