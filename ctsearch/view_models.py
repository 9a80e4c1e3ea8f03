"""The results of the research views (quote, trend, kwic). No dependencies.

Apart from `models.py` so that a one-shot search, which never builds them, does not pay for
creating their dataclasses at import (about 3 ms of the command's ~65 ms)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class DiffPart:
    """One run of words in a quote's alignment with its source, read from the source's side:
    `equal` (the same words, maybe spelled differently), `missing` (in the source, left out of
    the quote), `added` (in the quote, not in the source), `changed` (source words the quote
    replaced), `omitted` (source words cut where the quote has an ellipsis: not a difference),
    `moved` (source words just outside the aligned run that the quote has elsewhere: reordered)."""

    op: str
    source: str  # the source's words as written ("" for `added`)
    quote: str  # the quote's words as written ("" for `missing` and `omitted`)

    def to_dict(self) -> dict[str, Any]:
        return {"op": self.op, "source": self.source, "quote": self.quote}


@dataclass(frozen=True)
class QuoteMatch:
    """A passage whose wording is close to a quote: its score (0-100) and the differences."""

    score: float
    passage_id: str
    doc_id: str
    title: str
    date: str | None
    speakers: tuple[str, ...]
    text: str
    diff: tuple[DiffPart, ...]
    citation: str
    is_match: bool  # score reaches the threshold (else listed only as the closest non-match)
    excerpt: str  # the part of the passage the quote aligns with, as written

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "passage_id": self.passage_id,
            "doc_id": self.doc_id,
            "title": self.title,
            "date": self.date,
            "speakers": list(self.speakers),
            "text": self.text,
            "diff": [d.to_dict() for d in self.diff],
            "citation": self.citation,
            "is_match": self.is_match,
            "excerpt": self.excerpt,
        }


@dataclass(frozen=True)
class QuoteResult:
    """Where a quote comes from: `found` is False when no passage reaches the threshold."""

    query: str
    found: bool
    matches: tuple[QuoteMatch, ...]
    threshold: float
    filters: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "found": self.found,
            "matches": [m.to_dict() for m in self.matches],
            "threshold": self.threshold,
            "filters": dict(self.filters),
        }


@dataclass(frozen=True)
class TrendBucket:
    """One bucket of a trend: matching passages and documents, all passages, rate per 1,000."""

    key: str
    matches: int
    documents: int
    passages: int
    per_1000: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TrendResult:
    """How often a query matches, bucket by bucket (year, conference, speaker or type)."""

    query: str
    by: str
    buckets: tuple[TrendBucket, ...]
    total: int  # matching passages in all buckets (a passage counts once)
    filters: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "by": self.by,
            "buckets": [b.to_dict() for b in self.buckets],
            "total": self.total,
            "filters": dict(self.filters),
        }


@dataclass(frozen=True)
class KwicLine:
    """One occurrence of a match with its context on each side (whitespace folded)."""

    left: str
    match: str
    right: str
    passage_id: str
    date: str | None
    speakers: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["speakers"] = list(self.speakers)
        return d


@dataclass(frozen=True)
class KwicResult:
    """A concordance: one line per occurrence. `passages` is how many passages match in all
    (at least, when `passages_exact` is False); `complete` is False when lines were left out
    (more occurrences than the limit)."""

    query: str
    lines: tuple[KwicLine, ...]
    passages: int
    complete: bool
    width: int
    sort: str
    filters: dict[str, Any] = field(default_factory=dict)
    passages_exact: bool = True  # False: `passages` is a lower bound (as search's total_exact)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "lines": [line.to_dict() for line in self.lines],
            "passages": self.passages,
            "passages_exact": self.passages_exact,
            "complete": self.complete,
            "width": self.width,
            "sort": self.sort,
            "filters": dict(self.filters),
        }
