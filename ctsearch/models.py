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
