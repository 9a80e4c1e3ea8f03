"""The data that flows through ctsearch: documents, passages, hits. No dependencies."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

DOC_TYPES = ("speech", "statement", "message", "press_release", "news", "web_page")
MAX_WORD_CHARS = 60  # longer "words" (hashes, junk runs of letters) are not indexed


@dataclass(frozen=True)
class Passage:
    """A few sentences of one document, the unit that is indexed and returned."""

    passage_id: str  # "<doc_id>:<ordinal>"
    doc_id: str
    ordinal: int
    text: str
    start: int  # offsets into Document.text (the cleaned text)
    end: int
    speakers: tuple[str, ...] = ()  # canonical names of the people whose words it reports
    mentions: tuple[str, ...] = ()  # people named in it who do not speak

    def to_dict(self) -> dict[str, Any]:
        return {
            "passage_id": self.passage_id,
            "ordinal": self.ordinal,
            "text": self.text,
            "speakers": list(self.speakers),
            "mentions": list(self.mentions),
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Document:
    """One corpus file after reading, repair, metadata extraction and passage splitting."""

    doc_id: str  # path relative to the corpus, without extension, "/"-separated
    source: str  # the file's path as given
    title: str
    doc_type: str
    date: str | None  # YYYY-MM-DD
    year: int | None
    place: str | None
    conference: str | None
    speakers: tuple[str, ...]
    text: str  # cleaned text; passage offsets point into it
    passages: tuple[Passage, ...] = ()
    url: str | None = None
    warnings: tuple[str, ...] = ()

    def to_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "doc_id": self.doc_id,
            "source": self.source,
            "title": self.title,
            "doc_type": self.doc_type,
            "date": self.date,
            "year": self.year,
            "place": self.place,
            "conference": self.conference,
            "speakers": list(self.speakers),
            "url": self.url,
            "passages": [p.to_dict() for p in self.passages],
        }
        if with_text:
            out["text"] = self.text
        return out


@dataclass(frozen=True)
class Hit:
    """One search result: a passage with enough metadata to cite it."""

    rank: int
    score: float
    passage_id: str
    doc_id: str
    ordinal: int
    title: str
    doc_type: str
    date: str | None
    year: int | None
    place: str | None
    conference: str | None
    speakers: tuple[str, ...]
    text: str
    highlight: str  # text with matches marked (see search.HIGHLIGHT_* markers)
    source: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["speakers"] = list(self.speakers)
        return d


@dataclass(frozen=True)
class SearchResult:
    """A page of hits plus what a user needs when there are none."""

    query: str
    total: int
    page: int
    hits: tuple[Hit, ...]
    suggestion: str | None = None
    facets: dict[str, dict[str, int]] | None = None
    excluded_by: tuple[str, ...] = ()  # filters that excluded everything, when total == 0
    filters: dict[str, Any] = field(default_factory=dict)
    # False when `total` is a lower bound (big result sets: counting every match would mean
    # scoring every match) or the facets were counted on an evenly spread sample and scaled.
    total_exact: bool = True
    facets_exact: bool = True
    # Vocabulary expansions: each query word or phrase as typed -> the other forms searched.
    expanded: dict[str, tuple[str, ...]] = field(default_factory=dict)


# -- research views (quote, trend, kwic) -----------------------------------------------------


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
