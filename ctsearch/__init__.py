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

    from ctsearch.index.stats import IndexStats, SpeakerCount
    from ctsearch.models import Document, SearchResult
    from ctsearch.searching.show import PassageContext

__version__ = "0.1.0"
__all__ = ["parse_files", "build_index", "search", "show", "speakers", "stats", "__version__"]


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
