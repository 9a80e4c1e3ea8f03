"""Whoosh query and matcher pieces that keep the top-N shortcut working.

Whoosh's fast top-N search (skipping blocks of postings whose best possible score cannot enter
the current top N) works only while every matcher in the tree supports block quality, and only
if wrapping matchers report block changes. Two pieces of Whoosh 2.7.5 break it:
- a filter wrapped in ConstantScoreQuery becomes a ListMatcher without a scorer, which does not
  support block quality: one filter disabled the shortcut for the whole query;
- FilterMatcher returns None from next() (so the collector never checks block quality again)
  and does not re-apply its filter after skip_to_quality (so a skipped-to document that fails
  the filter could be collected).

`Restricted` applies search filters (speaker, date, ...) as a wrapper instead: their documents
are listed once per segment and kept in the open searcher's memo (like Lucene's filter cache),
and the wrapped query's matcher skips straight to the next allowed document.
"""

from __future__ import annotations

from ctsearch import whoosh_ext  # noqa: F401  (first: version check, lean Whoosh imports)

# isort: split
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import Any

from whoosh import query as wq
from whoosh.matching import NullMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query.wrappers import WrappingQuery

Remember = Callable[[Any, Callable[[], Any]], Any]


def _no_memo(_key: Any, compute: Callable[[], Any]) -> Any:
    return compute()


class CheckingMatcher(FilterMatcher):
    """FilterMatcher (keep the child's documents that are `in ids`) that keeps block-quality
    skipping correct and effective: next() reports block changes, and skip_to_quality()
    moves on to a document that passes the filter."""

    def next(self):
        r = self.child.next()
        return self._find_next() or r

    def skip_to(self, id):
        r = self.child.skip_to(id)
        return self._find_next() or r

    def skip_to_quality(self, minquality):
        skipped = self.child.skip_to_quality(minquality / self.boost)
        self._find_next()
        return skipped


class AllowMatcher(CheckingMatcher):
    """The child's documents that are in `allowed` (a sorted array of docnums): when the
    child's current document is not allowed, the child skips to the next allowed one."""

    def __init__(self, child, allowed: Sequence[int], boost: float = 1.0):
        self._sorted = allowed
        self._done = False
        super().__init__(child, frozenset(allowed), False, boost)

    def copy(self):
        return self.__class__(self.child.copy(), self._sorted, boost=self.boost)

    def _replacement(self, newchild):
        return self.__class__(newchild, self._sorted, boost=self.boost)

    def is_active(self):
        return not self._done and self.child.is_active()

    def _find_next(self):
        child, ids, order = self.child, self._ids, self._sorted
        r = False
        while not self._done and child.is_active():
            docnum = child.id()
            if docnum in ids:
                break
            i = bisect_left(order, docnum)
            if i == len(order):
                self._done = True  # no allowed document left
                break
            r = child.skip_to(order[i]) or r
        return r

    def all_ids(self):
        ids = self._ids
        return (d for d in self.child.all_ids() if d in ids)


class Restricted(WrappingQuery):
    """The child query's matches restricted to the documents matching every `filters` query
    (which add nothing to the score). `remember(key, compute)` caches the per-segment lists of
    allowed documents (the open searcher's memo)."""

    def __init__(
        self, child: wq.Query, filters: Sequence[wq.Query], remember: Remember = _no_memo
    ) -> None:
        super().__init__(child)
        self.filters = tuple(filters)
        self.remember = remember

    def _rewrap(self, child: wq.Query) -> Restricted:
        return Restricted(child, self.filters, self.remember)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Restricted)
            and self.child == other.child
            and self.filters == other.filters
        )

    def __hash__(self) -> int:
        return hash((Restricted, self.child, self.filters))

    def __repr__(self) -> str:
        return f"Restricted({self.child!r}, {self.filters!r})"

    def allowed(self, searcher) -> array:
        """Sorted docnums (of `searcher`'s segment) that pass every filter."""
        reader = searcher.reader()
        key = ("allowed", id(reader), self.filters)
        return self.remember(key, lambda: self._compute(searcher))

    def _compute(self, searcher) -> array:
        reader = searcher.reader()
        found: set[int] | None = None
        for f in self.filters:
            key = ("filter", id(reader), f)
            ids = self.remember(key, lambda f=f: _docs(f, searcher))
            found = set(ids) if found is None else found.intersection(ids)
            if not found:
                break
        return array("i", sorted(found or ()))

    def matcher(self, searcher, context=None):
        allowed = self.allowed(searcher)
        if not allowed:
            return NullMatcher()
        child = self.child.matcher(searcher, context)
        if not child.is_active():
            return child
        return AllowMatcher(child, allowed)


def _docs(q: wq.Query, searcher) -> array:
    m = q.matcher(searcher, searcher.boolean_context())
    return array("i", m.all_ids()) if m.is_active() else array("i")


# -- phrases checked on positions --------------------------------------------------------


class CheckedPhrase(WrappingQuery):
    """The child query's matches, kept only where `words` occur in order in `fieldname`, each
    at most `slop` positions after the previous one (1 = adjacent).

    Whoosh's own Phrase drives its search by intersecting the words' postings and decodes
    positions for every passage holding all the words; this one checks positions only for the
    candidates of its child (the passages holding all the phrase's word pairs: few)."""

    def __init__(self, child: wq.Query, fieldname: str, words: tuple[str, ...], slop: int = 1):
        super().__init__(child)
        self.fieldname = fieldname
        self.words = tuple(words)
        self.slop = slop

    def _rewrap(self, child: wq.Query) -> CheckedPhrase:
        return CheckedPhrase(child, self.fieldname, self.words, self.slop)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CheckedPhrase) and (
            self.child,
            self.fieldname,
            self.words,
            self.slop,
        ) == (other.child, other.fieldname, other.words, other.slop)

    def __hash__(self) -> int:
        return hash((CheckedPhrase, self.child, self.fieldname, self.words, self.slop))

    def __repr__(self) -> str:
        return f"CheckedPhrase({self.child!r}, {self.fieldname!r}, {self.words!r}, {self.slop})"

    def matcher(self, searcher, context=None):
        check = _PositionCheck(searcher.reader(), self.fieldname, self.words, self.slop)
        if check.impossible:
            return NullMatcher()
        return CheckingMatcher(self.child.matcher(searcher, context), check)


class _PositionCheck:
    """`docnum in check`: do the words occur in order there? Docnums come in increasing
    order (a matcher's order), so each word's postings are only ever skipped forward."""

    def __init__(self, reader, fieldname: str, words: tuple[str, ...], slop: int) -> None:
        self.reader, self.fieldname, self.words, self.slop = reader, fieldname, words, slop
        self.impossible = any((fieldname, w) not in reader for w in words)
        self.matchers: list = []
        self.last = -1
        self.answer = False

    def __contains__(self, docnum: int) -> bool:
        if docnum == self.last:  # asked again (a skip that did not move): same answer
            return self.answer
        if docnum < self.last or not self.matchers:  # first use, or restarted from the top
            self.matchers = [self.reader.postings(self.fieldname, w) for w in self.words]
        self.last = docnum
        self.answer = self._check(docnum)
        return self.answer

    def _check(self, docnum: int) -> bool:
        found: set[int] | None = None
        for m in self.matchers:
            if m.is_active() and m.id() < docnum:
                m.skip_to(docnum)
            if not m.is_active() or m.id() != docnum:
                return False
            positions = m.value_as("positions")
            if found is None:
                found = set(positions)
            elif self.slop == 1:
                found = {p for p in positions if p - 1 in found}
            else:
                found = {p for p in positions if any(0 < p - q <= self.slop for q in found)}
            if not found:
                return False
        return True
