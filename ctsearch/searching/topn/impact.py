"""Impact lists: a term's passages sorted by their BM25F score for it, built from the index.

Each term's postings are read once per open searcher (whole blocks at a time) and scored with
the very formula and inputs Whoosh uses (its BM25F scorer's idf, average length, B and K1;
the stored weights; the field lengths session.py keeps in memory), then sorted best first.
threshold.py answers word and phrase queries from them. An LRU (ListCache) bounds their memory.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict

from ctsearch.whoosh_ext import internals

MAX_CACHED_POSTINGS = 1_500_000  # postings kept in impact lists per open searcher (~150 B each)
DENSE_FROM = 16  # a term in more than 1/16 of the passages gets a dense score array


class Ineligible(Exception):
    """The query has a part this evaluator does not handle: use Whoosh's collector."""


class TermList:
    """One term's passages, best first: docs[i] scores scores[i]; `lookup(doc)` gives a
    passage's score or None. Compact: arrays, and for a term in many passages a dense array
    of scores by docnum (-1: absent) instead of a dict."""

    __slots__ = ("docs", "scores", "lookup", "_set")

    def __init__(self, docs: list[int], scores: list[float], doc_count: int) -> None:
        order = sorted(range(len(docs)), key=[-s for s in scores].__getitem__)  # stable
        self._set: frozenset[int] | None = None
        self.docs = array("i", [docs[i] for i in order])
        self.scores = array("d", [scores[i] for i in order])
        if len(docs) * DENSE_FROM > doc_count:
            dense = array("d", [-1.0]) * doc_count
            for d, sc in zip(docs, scores, strict=True):
                dense[d] = sc

            def lookup(d: int, dense=dense) -> float | None:
                sc = dense[d]
                return sc if sc >= 0.0 else None  # BM25F scores are positive here

            self.lookup = lookup
        else:
            self.lookup = dict(zip(docs, scores, strict=True)).get

    def __len__(self) -> int:
        return len(self.docs)

    def docset(self) -> frozenset[int]:
        if self._set is None:
            self._set = frozenset(self.docs)
        return self._set


class ListCache:
    """Impact lists of one open searcher, least recently used dropped first."""

    def __init__(self, limit: int = MAX_CACHED_POSTINGS) -> None:
        self.limit = limit
        self.lists: OrderedDict[tuple[str, bytes], TermList] = OrderedDict()
        self.postings = 0

    def get(self, top, key: tuple[str, bytes]) -> TermList:
        found = self.lists.get(key)
        if found is not None:
            self.lists.move_to_end(key)
            return found
        built = self.lists[key] = _build(top, *key)
        self.postings += len(built)
        while self.postings > self.limit and len(self.lists) > 1:
            _, dropped = self.lists.popitem(last=False)
            self.postings -= len(dropped)
        return built


def _build(top, field: str, btext: bytes) -> TermList:
    from whoosh.scoring import BM25FScorer
    from whoosh.util.numeric import byte_to_length

    docs: list[int] = []
    scores: list[float] = []
    for sub, offset in top.leaf_searchers():
        reader = sub.reader()
        if (field, btext) not in reader:
            continue
        scorer = top.weighting.scorer(sub, field, btext)
        if type(scorer) is not BM25FScorer:
            raise Ineligible(field)
        idf, avgfl, B, K1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        # Whoosh: idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))); the part
        # that depends on the length byte is computed per byte value, in the same order.
        norm = [K1 * ((1 - B) + B * (byte_to_length(b) if b else 1) / avgfl) for b in range(256)]
        lengths = internals.length_bytes(reader, field)
        ids, weights = internals.term_postings(reader, field, btext)
        k1p = K1 + 1
        if lengths is not None:
            scores.extend(
                idf * ((w * k1p) / (w + norm[lengths[d]]))
                for d, w in zip(ids, weights, strict=True)
            )
        else:
            dfl = reader.doc_field_length
            scores.extend(
                idf * ((w * k1p) / (w + K1 * ((1 - B) + B * dfl(d, field, 1) / avgfl)))
                for d, w in zip(ids, weights, strict=True)
            )
        docs.extend(d + offset for d in ids) if offset else docs.extend(ids)
    return TermList(docs, scores, top.doc_count_all())
