"""Search the index: ranking, paging, highlighting; facets (facets.py) and "did you mean"
(suggest.py) on request. `show` (show.py) opens the index the same way.

Ranking is Whoosh's BM25F. Several plain words form a "soft AND": a passage holding all of
them gets an extra ALL_WORDS_BOOST and adjacent query words found side by side score a pair
bonus, but a passage with only some of them still appears below. Quoted phrases match surface
words exactly: a two-word phrase is one lookup in the `pairs` field, a longer one intersects
its pairs and then checks positions in the `exact` field, so results stay exact without
scanning positions of every passage holding all the words. Names and acronyms of the
vocabulary also match their other forms (vocabulary.py, compiled in compiler.py), and a page
of relevance results is spread over documents (diversity.py).

Speed (issue 6): the index stays open between searches in one process (session.py: field
lengths in memory, filter passage lists and facet columns remembered per searcher); word and
phrase queries find their best N through per-term impact lists (topn/threshold.py) instead
of scoring every match; filters restrict through matchers.Restricted, which keeps Whoosh's own top-N
shortcuts working for the queries topn/ leaves to Whoosh.
"""

from __future__ import annotations

from ctsearch import whoosh_ext  # first: version check, lean Whoosh imports

# isort: split
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import query as wq

from ctsearch.errors import QueryError
from ctsearch.models import Hit, SearchResult
from ctsearch.searching import highlight as hl
from ctsearch.searching import query as ql
from ctsearch.searching.diversity import MAX_POOL, pool_size, spread
from ctsearch.searching.matchers import Remember
from ctsearch.searching.matching import opened_query, with_filters
from ctsearch.searching.suggest import did_you_mean

SORTS = ("relevance", "date")
QUALITY_SHORTCUTS = True  # Whoosh's block-quality skipping in relevance searches
TOP_LISTS = True  # word and phrase queries through topn's impact lists (see top_matches)
EXACT_UPTO = 5_000  # below this many possible matches, every match is scored and counted
REPLACE_EVERY = 10  # matches between Whoosh's attempts to drop sub-queries that cannot win

Warn = Callable[[str], None]


def search(
    query: str,
    *,
    index_dir: Path,
    corpus: Path | None = None,
    speakers: Iterable[str] = (),
    conference: str | None = None,
    doc_type: str | None = None,
    year: int | str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 10,
    page: int = 1,
    sort: str = "relevance",
    facets: bool = False,
    warn: Warn | None = None,
    expand: bool = True,
) -> SearchResult:
    """Run `query` with optional filters and return one page of highlighted hits.

    A missing index is built first from `corpus` when one is given (notice via `warn`).
    With `expand`, names and acronyms of the vocabulary also match their other forms
    (vocabulary.py; what was added is in `SearchResult.expanded`).
    """
    limit, page = ql.whole_number(limit, "--limit"), ql.whole_number(page, "--page")
    if sort not in SORTS:
        raise QueryError(f"--sort must be one of {', '.join(SORTS)}, not {sort!r}")
    filters = dict(speakers=speakers, conference=conference, doc_type=doc_type, year=year,
                   date_from=date_from, date_to=date_to)  # fmt: skip
    with opened_query(
        query, index_dir=index_dir, corpus=corpus, warn=warn, expand=expand, **filters
    ) as prepared:
        searcher, remember, vocab = prepared.searcher, prepared.remember, prepared.vocab
        reader = searcher.reader()
        compiler, q, final = prepared.compiler, prepared.query, prepared.final
        parts = prepared.parts
        fetch = max(1, min(page * limit, reader.doc_count_all()))
        if sort == "date":
            from whoosh import sorting

            order = sorting.MultiFacet(
                [sorting.FieldFacet("datekey", reverse=True), sorting.FieldFacet("doc_id"),
                 sorting.FieldFacet("ordinal")]
            )  # fmt: skip
            results = searcher.search(final, limit=fetch, sortedby=order)
            ranked = results.top_n
            total, total_exact = len(results), True  # sorting visits every match: exact
        else:
            ranked, total, total_exact = _spread_top(searcher, final, fetch, remember)
        spec = compiler.spec()
        offset = (page - 1) * limit
        hits = tuple(
            hit_of(offset + i + 1, _score(score), searcher.stored_fields(docnum), spec)
            for i, (score, docnum) in enumerate(ranked[offset : offset + limit])
        )
        facet_counts, facets_exact = None, True
        if facets:  # (imported only then: it reads the index's columns)
            from ctsearch.searching.facets import count_facets

            facet_counts, facets_exact = count_facets(
                searcher, final, remember, top_lists=_top_lists()
            )
        suggestion = (
            did_you_mean(reader, query, compiler.plain_words, vocab)
            if not total or compiler.unknown(reader)
            else None
        )
        excluded = _excluded_by(searcher, q, parts, remember) if not total and parts else ()
    return SearchResult(
        query=query,
        total=total,
        total_exact=total_exact,
        page=page,
        hits=hits,
        suggestion=suggestion,
        facets=facet_counts,
        facets_exact=facets_exact,
        excluded_by=excluded,
        filters=prepared.describe(),
        expanded={k: tuple(v) for k, v in compiler.expansions.items()},
    )


def _spread_top(searcher, q: wq.Query, fetch: int, remember: Remember | None = None):
    """top_matches's best `fetch` matches, spread over documents (diversity.py): ranked from a pool
    of the best matches that grows until the spread page is certain."""
    document = searcher.reader().column_reader("doc_id").__getitem__
    pool = min(pool_size(fetch), max(MAX_POOL, fetch))
    while True:
        ranked, total, total_exact = top_matches(searcher, q, pool, remember)
        spread_out, certain = spread(ranked, document, fetch, len(ranked) < pool)
        if certain or pool >= MAX_POOL:
            return spread_out, total, total_exact
        pool = min(pool * 2, MAX_POOL)


def top_matches(searcher, q: wq.Query, fetch: int, remember: Remember | None = None):
    """The best `fetch` matches by score: ([(score, docnum)...], total, whether total is exact).

    Word and phrase queries go through topn/threshold.py (impact lists, kept in the open searcher's
    memo): it reads a few dozen rows of each term's best passages instead of every match.
    Anything else uses Whoosh's top-N collector with its shortcuts (skipping blocks of
    postings whose best possible score cannot reach the current top N): the matches skipped
    are not counted, so `total` is then a lower bound (`total_exact` False, "at least N" in
    the text output). When fewer than `fetch` passages match, nothing can have been skipped
    and the count is exact.
    """
    from whoosh.collectors import TopCollector

    from ctsearch.searching.topn import threshold as topk

    if _top_lists() and remember is not None:
        found = topk.top(searcher, q, fetch, remember("impact-lists", topk.ListCache))
        if found is not None:
            return found
    # Up to EXACT_UPTO possible matches (Whoosh's upper estimate) scoring them all is cheap:
    # the count stays exact, as it always is on a small corpus.
    quick = QUALITY_SHORTCUTS and q.estimate_size(searcher.reader()) > EXACT_UPTO
    collector = TopCollector(limit=fetch, usequality=quick, replace=REPLACE_EVERY if quick else 0)
    searcher.search_with_collector(q, collector)
    total = collector.total
    exact = not quick or total < fetch or not (collector.skipped_times or collector.replaced_times)
    return collector.results().top_n, total, exact


def _top_lists() -> bool:
    """Impact lists (topn/) in use: on, and the Whoosh installed is the one they read."""
    return TOP_LISTS and whoosh_ext.SUPPORTED


def _score(score: Any) -> float:
    # Sorted (date) results carry the sort key, not a relevance score.
    return float(score) if isinstance(score, (int, float)) else 0.0


# -- filters -------------------------------------------------------------------------------


def _excluded_by(
    searcher, q: wq.Query, parts: dict[str, wq.Query], remember: Remember | None = None
) -> tuple[str, ...]:
    """Which filters exclude everything: re-run the query without each of them."""

    def any_hit(query: wq.Query) -> bool:
        return next(iter(searcher.docs_for_query(query)), None) is not None

    if not any_hit(q):
        return ()
    names = list(parts)
    single = tuple(
        n for n in names if any_hit(with_filters(q, [parts[m] for m in names if m != n], remember))
    )
    return single or tuple(names)


# -- hits ----------------------------------------------------------------------------------


def hit_of(rank: int, score: float, fields: dict[str, Any], spec: hl.MatchSpec) -> Hit:
    text = fields.get("text") or ""
    return Hit(
        rank=rank,
        score=round(float(score), 4),
        passage_id=fields.get("passage_id", ""),
        doc_id=fields.get("doc_id", ""),
        ordinal=int(fields.get("ordinal") or 0),
        title=fields.get("title") or "",
        doc_type=fields.get("doc_type") or "",
        date=fields.get("date_text"),
        year=fields.get("year") or None,
        place=fields.get("place"),
        conference=fields.get("conference_name"),
        speakers=tuple(fields.get("speaker_list") or ()),
        text=text,
        highlight=hl.highlight(text, spec) if spec else text,
        source=fields.get("source") or "",
        start=int(fields.get("start") or 0),
        end=int(fields.get("end") or 0),
    )
