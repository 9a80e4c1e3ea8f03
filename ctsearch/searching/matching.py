"""A query and its filters, opened and compiled: what `search` and the research views (quote,
trend, kwic, export) start from, so that they all match exactly the same passages.

`opened_query` opens the index like `search` does (the open searcher kept between calls, the
index built first when a corpus is given and there is none), parses and compiles the query
with the same Compiler and restricts it with the same filters. `all_matches` lists every
passage a compiled query matches (not one page).
"""

from __future__ import annotations

import contextlib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from whoosh import query as wq

from ctsearch.errors import IndexMissingError, QueryError, UnusableIndexError
from ctsearch.searching import highlight as hl
from ctsearch.searching import query as ql
from ctsearch.searching import session
from ctsearch.searching.compiler import Compiler
from ctsearch.searching.filters import Filters, SpeakerResolver
from ctsearch.searching.matchers import Remember, Restricted

REMEMBERED_MATCHES = 16  # match lists Whoosh computed, kept per open searcher (4 bytes each)
FILTER_KEYS = ("speakers", "conference", "doc_type", "year", "date_from", "date_to")
Warn = Callable[[str], None]


class Prepared:
    """An open searcher with a compiled query: `query` without the filters, `final` with them.

    A plain class: a dataclass costs about a millisecond to create at import, on the path of
    every `ctsearch search`."""

    __slots__ = ("searcher", "remember", "compiler", "query", "final", "parts", "resolved",
                 "filters", "vocab")  # fmt: skip

    def __init__(
        self, searcher, remember, compiler, query, final, parts, resolved, filters, vocab=None
    ):
        self.searcher: Any = searcher
        self.remember: Remember = remember
        self.compiler: Compiler = compiler
        self.query: wq.Query | None = query  # without the filters
        self.final: wq.Query | None = final  # with them
        self.parts: dict[str, wq.Query] = parts  # one query per active filter, by its option
        self.resolved: tuple[str, ...] = resolved  # --speaker names as canonical names
        self.filters: Filters = filters
        self.vocab: Any = vocab  # the vocabulary loaded (also when not used to expand)

    def spec(self) -> hl.MatchSpec:
        return self.compiler.spec()

    def describe(self) -> dict[str, Any]:
        return self.filters.describe(self.resolved)


def make_filters(options: dict[str, Any]) -> Filters:
    """The search filters from keyword options (speakers, conference, doc_type, year,
    date_from, date_to); an unknown keyword is a usage error, not silently ignored."""
    unknown = sorted(set(options) - set(FILTER_KEYS))
    if unknown:
        raise QueryError(f"unknown filter {unknown[0]!r}: use {', '.join(FILTER_KEYS)}")
    return Filters.make(*(options.get(k) or (() if k == "speakers" else None) for k in FILTER_KEYS))


def prepare(
    entry: session.Opened,
    tree: ql.Node | None,
    filters: Filters,
    corpus: Path | None,
    vocab: Any = None,
):
    """Compile `tree` (None: every passage) and the filters on an open searcher; with `vocab`
    (vocabulary.py) names and acronyms also match their other forms, as in `search`."""
    searcher, remember = entry.searcher, entry.remember
    reader = searcher.reader()
    resolver = SpeakerResolver(reader, corpus, remember=remember)
    compiler = Compiler(reader, resolver, vocab)
    q = compiler.compile(tree) if tree is not None else wq.Every()
    resolved = tuple(resolver.resolve(name) for name in filters.speakers)
    parts = filters.queries(resolved, reader)
    final = with_filters(q, parts.values(), remember) if q is not None else None
    return Prepared(searcher, remember, compiler, q, final, parts, resolved, filters)


@contextlib.contextmanager
def opened_query(
    query: str | ql.Node | None,
    *,
    index_dir: str | Path,
    corpus: str | Path | None = None,
    warn: Warn | None = None,
    expand: bool = True,
    **filter_options: Any,
) -> Iterator[Prepared]:
    """The index open and `query` (a query string, a syntax tree, or None for every passage)
    compiled with the filters, for the duration of the block; with `expand`, names and
    acronyms also match their other forms (vocabulary.py). A query with no words to search
    for is an error."""
    filters = make_filters(filter_options)
    tree = ql.parse(query) if isinstance(query, str) else query
    corpus = Path(corpus) if corpus is not None else None
    index_dir = Path(index_dir)
    with session.searching(index_dir, lambda: open_for_search(index_dir, corpus, warn)) as entry:
        from ctsearch.searching import vocabulary  # after the index exists: its cache is there

        vocab = vocabulary.load(corpus, index_dir, warn) if tree is not None else None
        prepared = prepare(entry, tree, filters, corpus, vocab if expand else None)
        if prepared.query is None:
            raise QueryError(f"nothing to search for in {query!r}: it has no words")
        prepared.vocab = vocab
        yield prepared


def with_filters(q: wq.Query, filters: Any, remember: Remember | None = None) -> wq.Query:
    """`q` restricted to the passages every filter matches; filters add nothing to the score.
    Their passage lists are computed once per open searcher (`remember`)."""
    fs = list(filters)
    if not fs:
        return q
    return Restricted(q, fs, remember) if remember else Restricted(q, fs)


def all_matches(searcher, q: wq.Query, remember: Remember | None = None) -> list[int]:
    """Every passage `q` matches, as sorted docnums: from the impact lists' doc sets when the
    query is one topk.py handles (kept in the open searcher's memo), else by Whoosh.

    What Whoosh finds is kept too (the last REMEMBERED_MATCHES queries, in the open searcher's
    memo): those are the costly ones — a phrase with thousands of candidates has its word
    positions checked in each — and a research view is often asked the same query again
    (a trend by year, then by speaker; a web page redrawn)."""
    from ctsearch.searching.topn import threshold as topk

    if remember is None:
        return sorted(searcher.docs_for_query(q))
    found = topk.matches(searcher, q, remember("impact-lists", topk.ListCache))
    if found is not None:
        return sorted(found)
    recent: OrderedDict = remember("recent-matches", OrderedDict)
    try:
        hit = recent[q]
    except (KeyError, TypeError):  # TypeError: a query that cannot be hashed
        hit = None
    if hit is not None:
        recent.move_to_end(q)
        return list(hit)
    docnums = sorted(searcher.docs_for_query(q))
    with contextlib.suppress(TypeError):
        recent[q] = array("i", docnums)
        while len(recent) > REMEMBERED_MATCHES:
            recent.popitem(last=False)
    return docnums


def open_for_search(index_dir: Path, corpus: Path | None, warn: Warn | None):
    """Open the index; build (or rebuild an outdated one) first when a corpus is known."""
    from ctsearch.index.store import is_outdated, open_index

    try:
        return open_index(index_dir)
    except IndexMissingError:
        if corpus is None:
            raise
        if warn:
            warn(f"no index in {index_dir}; building it from {corpus} (done once)")
    except UnusableIndexError:
        if corpus is None or not is_outdated(index_dir):
            raise
    from ctsearch.index.sync import sync_index  # ingestion: imported only to build

    sync_index(Path(corpus), index_dir, warn=warn)
    return open_index(index_dir)
