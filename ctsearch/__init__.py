"""ctsearch: full-text search over the record of the UN counter-terrorism conferences.

This is the Python API; the `ctsearch` command is a thin layer over it. Heavy modules (Whoosh,
NLTK) are imported inside the functions that need them, so importing ctsearch costs nothing.

    >>> import ctsearch
    >>> result = ctsearch.search("foreign terrorist fighters", speakers=["guterres"])
    >>> [h.passage_id for h in result.hits]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import TextIO

    from ctsearch.index.stats import IndexStats, SpeakerCount
    from ctsearch.models import Document, SearchResult
    from ctsearch.searching.exports import ExportReport
    from ctsearch.searching.show import PassageContext
    from ctsearch.view_models import KwicResult, QuoteResult, TrendResult

__version__ = "0.1.0"
__all__ = [
    "parse_files",
    "build_index",
    "search",
    "show",
    "speakers",
    "stats",
    "quote",
    "trend",
    "kwic",
    "export",
    "opensearch_mapping",
    "__version__",
]


def parse_files(
    paths: Iterable[str | Path], *, warn: Callable[[str], None] | None = None
) -> list[Document]:
    """Read, repair and split files into Documents without indexing (skips unreadable ones)."""
    from ctsearch.documents.parse import parse_files as _parse_files

    return _parse_files([Path(p) for p in paths], warn=warn)


def build_index(
    corpus: str | Path = "corpus",
    index_dir: str | Path = "index",
    *,
    rebuild: bool = False,
    warn: Callable[[str], None] | None = None,
) -> Any:
    """Build or update the index of `corpus` in `index_dir`; returns a report of what changed."""
    from ctsearch.index.sync import sync_index

    return sync_index(Path(corpus), Path(index_dir), rebuild=rebuild, warn=warn)


def search(query: str, *, index_dir: str | Path = "index", **options: Any) -> SearchResult:
    """Search the index. Options: speakers, conference, doc_type, year, date_from, date_to,
    limit, page, sort ("relevance" | "date"), facets (bool)."""
    from ctsearch.searching.search import search as _search

    return _search(query, index_dir=Path(index_dir), **options)


def show(
    passage_id: str,
    *,
    index_dir: str | Path = "index",
    context: int = 0,
    corpus: str | Path | None = None,
) -> PassageContext:
    """One passage with `context` neighbours on either side and a citation line."""
    from ctsearch.searching.show import show as _show

    return _show(
        passage_id,
        index_dir=Path(index_dir),
        context=context,
        corpus=Path(corpus) if corpus is not None else None,
    )


def speakers(*, index_dir: str | Path = "index") -> tuple[SpeakerCount, ...]:
    """Every speaker in the index with passage and document counts, most passages first."""
    from ctsearch.index.stats import speakers as _speakers

    return _speakers(Path(index_dir))


def stats(*, index_dir: str | Path = "index") -> IndexStats:
    """Documents, passages, speakers, conferences, date range, size and build time."""
    from ctsearch.index.stats import stats as _stats

    return _stats(Path(index_dir))


# -- research views: the filters are those of `search` (speakers, conference, doc_type, year,
# date_from, date_to); `corpus` builds a missing index first, as `search` does.


def quote(
    text: str, *, index_dir: str | Path = "index", limit: int = 5, **filters: Any
) -> QuoteResult:
    """The passages whose wording is closest to a quote, best first, each with a score (0-100)
    and its differences from the quote. `.found` is False when none reaches
    `ctsearch.searching.quotes.QUOTE_THRESHOLD` (the closest are then listed as non-matches)."""
    from ctsearch.searching.quotes import quote as _quote

    return _quote(text, index_dir=Path(index_dir), limit=limit, **filters)


def trend(
    query: str, *, by: str = "year", index_dir: str | Path = "index", **filters: Any
) -> TrendResult:
    """Matching passages and documents, all passages and the rate per 1,000 passages, bucket by
    bucket: by "year" (every year of the range, empty ones as zero), "conference", "speaker"
    or "type"."""
    from ctsearch.searching.trends import trend as _trend

    return _trend(query, by=by, index_dir=Path(index_dir), **filters)


def kwic(
    term: str,
    *,
    width: int = 40,
    sort: str = "left",
    index_dir: str | Path = "index",
    **options: Any,
) -> KwicResult:
    """Keyword in context: one line per occurrence of `term` (any query), `width` characters of
    context on each side; sorted by the words to the "left" or "right" of the match, or by
    "date". Options: the filters, and `limit` (lines at most, 0 = all)."""
    from ctsearch.searching.concordance import kwic as _kwic

    return _kwic(term, width=width, sort=sort, index_dir=Path(index_dir), **options)


def export(
    query: str | None,
    *,
    fmt: str = "jsonl",
    out: TextIO,
    index_dir: str | Path = "index",
    **options: Any,
) -> ExportReport:
    """Write every passage matching `query` (None: the whole index) to the text stream `out`,
    one at a time: fmt "csv", "jsonl" or "opensearch" (bulk-API NDJSON). Options: the filters,
    `excel` (csv with a UTF-8 BOM), `index_name` (opensearch), `progress(done, total)`."""
    from ctsearch.searching.exports import export as _export

    return _export(query, fmt=fmt, out=out, index_dir=Path(index_dir), **options)


def opensearch_mapping(*, synonyms: list[str] | None = None) -> dict[str, Any]:
    """An OpenSearch/Elasticsearch index body (settings and mappings) whose analyzers mirror
    ctsearch's; `synonyms` (Solr format, "a, b, c" per line) as a search-time synonym filter."""
    from ctsearch.searching.exports import opensearch_mapping as _mapping

    return _mapping(synonyms)
