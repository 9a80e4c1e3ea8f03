"""`ctsearch trend`: how often a query matches, bucket by bucket (year, conference, speaker,
document type), as matching passages, matching documents, all passages of the bucket and the
rate per 1,000 passages (volume differs a lot between years: the rate is what a chart shows).

Matches are exactly those of `search` with the same query and filters (matching.py), counted in
full (never sampled): a bucket's `matches` is the `total` of `ctsearch search QUERY --year Y`
(or `--speaker`, `--type`). The bucket of each passage is read from the columns the facets use,
kept in the open searcher's memo.

Buckets: by year, every year from the first to the last year of the passages searched (or of
--from/--to) with empty years as zero, then "unknown" for passages without a year if any match;
by conference, speaker or type, every value with at least one match (a passage of two speakers
counts for each), conferences in date order, the others most matches first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ctsearch.errors import QueryError
from ctsearch.view_models import TrendBucket, TrendResult

BY = ("year", "conference", "speaker", "type")
MAX_YEAR_SPAN = 300  # years listed one by one at most (empty ones as zero)
NONE_KEY = "unknown"  # the bucket of passages without a year / conference / speaker / type

Warn = Callable[[str], None]


def trend(
    query: str,
    *,
    by: str = "year",
    index_dir: str | Path = "index",
    corpus: str | Path | None = None,
    warn: Warn | None = None,
    **filters: Any,
) -> TrendResult:
    """Per bucket of `by`: matching passages and documents, all passages, rate per 1,000."""
    from whoosh import query as wq

    from ctsearch.searching.facets import facet_codes
    from ctsearch.searching.matching import all_matches, opened_query, with_filters

    if by not in BY:
        raise QueryError(f"--by must be one of {', '.join(BY)}, not {by!r}")
    with opened_query(query, index_dir=index_dir, corpus=corpus, warn=warn, **filters) as prep:
        searcher, remember = prep.searcher, prep.remember
        reader = searcher.reader()
        matched = all_matches(searcher, prep.final, remember)
        if prep.parts:
            scope = with_filters(wq.Every(), prep.parts.values(), remember)
            universe = remember(("trend-scope", scope), lambda: all_matches(searcher, scope))
        else:
            universe = remember("live-docnums", lambda: list(reader.all_doc_ids()))
        codes = remember("facet-codes", lambda: facet_codes(reader))
        docs = codes["doc"][0]
        column, table = codes[by]
        if prep.parts:
            per_bucket = _tally(column, table, universe, by)
        else:  # the same for every query: once per open searcher
            per_bucket = remember(
                ("trend-passages", by), lambda: _tally(column, table, universe, by)
            )
        hits = _tally(column, table, matched, by)
        documents = _documents(column, table, docs, matched, by)
        order = _order(by, hits, per_bucket, prep.filters, codes, universe)
        described = prep.describe()
    buckets = tuple(
        TrendBucket(
            key=key,
            matches=hits.get(key, 0),
            documents=documents.get(key, 0),
            passages=per_bucket.get(key, 0),
            per_1000=round(1000.0 * hits.get(key, 0) / per_bucket[key], 2)
            if per_bucket.get(key)
            else 0.0,
        )
        for key in order
    )
    return TrendResult(query=query, by=by, buckets=buckets, total=len(matched), filters=described)


def _keys(value: Any, by: str) -> tuple[str, ...]:
    """The bucket keys of one column value (a speaker tuple gives one key per name)."""
    if by == "speaker":
        return tuple(value) if value else (NONE_KEY,)
    return (str(value),) if value else (NONE_KEY,)


def _tally(column: list[int], table: list[Any], docnums: list[int], by: str) -> Counter:
    """Passages per bucket among `docnums`: small ints counted in a C loop, then named."""
    return _named(Counter(map(column.__getitem__, docnums)), table, by)


def _documents(column, table, docs: list[int], docnums: list[int], by: str) -> Counter:
    """Distinct documents per bucket among `docnums`."""
    pairs = set(zip(map(column.__getitem__, docnums), map(docs.__getitem__, docnums), strict=True))
    return _named(Counter(code for code, _ in pairs), table, by)


def _named(by_code: Counter, table: list[Any], by: str) -> Counter:
    out: Counter = Counter()
    for code, n in by_code.items():
        for key in _keys(table[code], by):
            out[key] += n
    return out


def _order(by, hits: Counter, per_bucket: Counter, filters, codes, universe) -> list[str]:
    if by == "year":
        years = sorted(int(k) for k in per_bucket if k != NONE_KEY)
        lo = filters.date_from.year if filters.date_from else (years[0] if years else None)
        hi = filters.date_to.year if filters.date_to else (years[-1] if years else None)
        if filters.year:
            lo = hi = filters.year
        if lo is None or hi is None:
            keys = []
        elif hi - lo <= MAX_YEAR_SPAN:
            keys = [str(y) for y in range(lo, hi + 1)]
        else:  # an implausible range (a stray date): the years that have passages
            keys = [str(y) for y in years if lo <= y <= hi]
        if hits.get(NONE_KEY):
            keys.append(NONE_KEY)
        return keys
    keys = [k for k, n in hits.items() if n]
    if by == "conference":
        first = _first_year(codes, universe)
        return sorted(keys, key=lambda k: (first.get(k, 9999), k))
    return sorted(keys, key=lambda k: (-hits[k], k))


def _first_year(codes, universe: list[int]) -> dict[str, int]:
    """The earliest year of each conference's passages (to list conferences in date order)."""
    conf_col, conf_table = codes["conference"]
    year_col, year_table = codes["year"]
    first: dict[str, int] = {}
    pairs = zip(
        map(conf_col.__getitem__, universe), map(year_col.__getitem__, universe), strict=True
    )
    for c, y in set(pairs):
        name, year = conf_table[c], year_table[y]
        if name and year:
            first[name] = min(first.get(name, 9999), int(year))
    return first
