"""Request parameters → the library's search options, checked the way the CLI checks them.

Pure (no web framework): takes the query string's (name, value) pairs. An empty value means
"not set", as an HTML form sends every field. A value the library would refuse is refused
here or by the library with the same one-line message (`QueryError`), which the web layer
answers with a 400.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from ctsearch.errors import QueryError
from ctsearch.searching.search import SORTS
from ctsearch.searching.trends import BY as TREND_BY

FILTER_PARAMS = ("speaker", "conference", "type", "year", "from", "to")
SEARCH_PARAMS = ("q", *FILTER_PARAMS, "limit", "page", "sort", "facets", "expand")
TREND_PARAMS = ("q", *FILTER_PARAMS, "by", "expand")
QUOTE_PARAMS = ("q", *FILTER_PARAMS, "limit")
QUOTE_LIMIT = 5  # passages a quote lists unless told (as `ctsearch quote`)
# The filter a facet value or a trend bucket stands for: its name -> the SearchState field.
FILTER_FIELDS = {"speaker": "speakers", "conference": "conference", "year": "year",
                 "type": "doc_type"}  # fmt: skip
DEFAULT_LIMIT = 10
MAX_LIMIT = 500  # hits per page a server returns at most (the CLI has no such bound)
QUERY_CHARS = 10_000  # longer queries are refused (the CLI is fuzzed up to this length)
MAX_PAGE_CONTEXT = 20  # neighbours a passage page shows on each side at most
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")

Pairs = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class SearchState:
    """Everything that decides a search page: the query, the filters, the page and the sort.

    Every state is a URL: `params()` gives the query string that reproduces it, with defaults
    and empty values left out."""

    q: str = ""
    speakers: tuple[str, ...] = ()
    conference: str = ""
    doc_type: str = ""
    year: str = ""
    date_from: str = ""
    date_to: str = ""
    limit: int = DEFAULT_LIMIT
    page: int = 1
    sort: str = "relevance"
    facets: bool = False
    expand: bool = True  # vocabulary expansion (names, acronyms); expand=0 is --no-expand
    extra: dict[str, str] = field(default_factory=dict)  # e.g. `by` of a trend

    def options(self) -> dict:
        """Keyword arguments of ctsearch.search (or trend / quote, without paging)."""
        return {
            "speakers": list(self.speakers),
            "conference": self.conference or None,
            "doc_type": self.doc_type or None,
            "year": self.year or None,
            "date_from": self.date_from or None,
            "date_to": self.date_to or None,
            "limit": self.limit,
            "page": self.page,
            "sort": self.sort,
            "facets": self.facets,
            "expand": self.expand,
        }

    def filter_options(self) -> dict:
        """Only the filters, as keyword arguments (for trend and quote)."""
        opts = self.options()
        return {k: opts[k] for k in ("speakers", "conference", "doc_type", "year",
                                     "date_from", "date_to")}  # fmt: skip

    def filters_active(self) -> bool:
        return bool(self.speakers or self.conference or self.doc_type or self.year
                    or self.date_from or self.date_to)  # fmt: skip

    def params(self, *, paging: bool = True) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if self.q:
            out.append(("q", self.q))
        out += [("speaker", s) for s in self.speakers]
        for name, value in (("conference", self.conference), ("type", self.doc_type),
                            ("year", self.year), ("from", self.date_from),
                            ("to", self.date_to)):  # fmt: skip
            if value:
                out.append((name, value))
        if paging:
            if self.sort != "relevance":
                out.append(("sort", self.sort))
            if self.limit != DEFAULT_LIMIT:
                out.append(("limit", str(self.limit)))
            if self.page != 1:
                out.append(("page", str(self.page)))
        if not self.expand:
            out.append(("expand", "0"))
        out += [(k, v) for k, v in self.extra.items() if v]
        return out

    def query_string(self, *, paging: bool = True) -> str:
        return urlencode(self.params(paging=paging))

    def with_(self, **changes) -> SearchState:
        """A copy with `changes`; any change but a page's goes back to page 1."""
        if "page" not in changes:
            changes["page"] = 1
        return replace(self, **changes)


def parse_search(
    pairs: Pairs,
    *,
    strict: bool = False,
    allowed: Iterable[str] = SEARCH_PARAMS,
    default_limit: int = DEFAULT_LIMIT,
) -> SearchState:
    """The search state a query string describes (`default_limit` when no limit is given).

    `strict` (the JSON API): an unknown parameter or a repeated single one is an error, so
    that a typo in a script is not silently ignored. Pages ignore what they do not know."""
    values = collect(pairs, strict=strict, allowed=allowed)

    def one(name: str) -> str:
        return single(values, name, strict=strict)

    q = one("q")
    if len(q) > QUERY_CHARS:
        raise QueryError(f"query too long: {len(q):,} characters, at most {QUERY_CHARS:,}")
    speakers = tuple(dict.fromkeys(v.strip() for v in values.get("speaker", ()) if v.strip()))
    sort = one("sort") or "relevance"
    if sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    return SearchState(
        q=q,
        speakers=speakers,
        conference=one("conference"),
        doc_type=one("type"),
        year=one("year"),
        date_from=one("from"),
        date_to=one("to"),
        limit=whole(one("limit"), "limit", default_limit, high=MAX_LIMIT),
        page=whole(one("page"), "page", 1),
        sort=sort,
        facets=flag(one("facets"), "facets"),
        expand=flag(one("expand") or "1", "expand"),
    )


def collect(pairs: Pairs, *, strict: bool, allowed: Iterable[str]) -> dict[str, list[str]]:
    """The values of each allowed parameter; with `strict`, an unknown name is an error."""
    allowed = tuple(allowed)
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        if name in allowed:
            values.setdefault(name, []).append(value)
        elif strict:
            known = f"use {', '.join(allowed)}" if allowed else "this address takes none"
            raise QueryError(f"unknown parameter {name[:40]!r}: {known}")
    return values


def single(values: dict[str, list[str]], name: str, *, strict: bool) -> str:
    """The one value of `name` ("" when absent or empty; with `strict`, twice is an error)."""
    got = [v.strip() for v in values.get(name, ()) if v.strip()]
    if len(got) > 1 and strict:
        raise QueryError(f"parameter {name!r} given {len(got)} times; it takes one value")
    return got[-1] if got else ""


def flag(value: str, name: str) -> bool:
    """A yes/no parameter: 1/true/yes/on or 0/false/no/off (empty: no)."""
    text = value.strip().lower()
    if not text or text in _FALSE:
        return False
    if text in _TRUE:
        return True
    raise QueryError(f"{name} must be true or false (1 or 0), not {value[:40]!r}")


def whole(value: str, name: str, default: int, *, low: int = 1, high: int | None = None) -> int:
    """A whole-number parameter between `low` and `high`; empty gives `default`.

    Stricter than the library's query.whole_number (Python's int()): a URL's value must be
    ASCII digits, at most 9 of them (no sign, "_", spaces or other scripts' digits)."""
    text = value.strip()
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        raise QueryError(f"{name} must be a whole number, not {text[:40]!r}")
    number = int(text)
    if number < low:
        raise QueryError(f"{name} must be at least {low}, not {number}")
    if high is not None and number > high:
        raise QueryError(f"{name} must be at most {high}, not {number}")
    return number


def trend_by(value: str) -> str:
    """The bucket of a trend: year (the default), conference, speaker or type."""
    by = value.strip() or "year"
    if by not in TREND_BY:
        raise QueryError(f"by must be one of {', '.join(TREND_BY)}, not {by[:40]!r}")
    return by
