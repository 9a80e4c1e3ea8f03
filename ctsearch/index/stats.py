"""What is in an index: `ctsearch stats` and `ctsearch speakers`, read from its columns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ctsearch.index.schema import FACET_SEPARATOR
from ctsearch.index.store import IndexInfo, reading


@dataclass(frozen=True)
class SpeakerCount:
    """One speaker: in how many passages and documents."""

    name: str
    passages: int
    documents: int


@dataclass(frozen=True)
class IndexStats:
    """What the index holds: documents, passages, speakers, conferences, dates, types, size."""

    documents: int
    passages: int
    speakers: int
    conferences: tuple[str, ...]
    date_range: tuple[str | None, str | None]
    doc_types: dict[str, int]
    index_size: int
    built: str | None
    schema_version: int
    corpus: str | None
    index_dir: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "passages": self.passages,
            "speakers": self.speakers,
            "conferences": list(self.conferences),
            "date_range": list(self.date_range),
            "doc_types": dict(self.doc_types),
            "index_size": self.index_size,
            "built": self.built,
            "schema_version": self.schema_version,
            "corpus": self.corpus,
            "index_dir": self.index_dir,
        }


def speaker_names(reader) -> list[str]:
    """Every speaker name in the index, as displayed (may include names whose passages were
    deleted since the last merge: harmless for resolving a --speaker)."""
    return [
        t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon("speaker_names")
    ]


def passage_columns(reader) -> dict[str, list[Any]]:
    """Per docnum (deleted passages included): doc_id, speakers (a tuple of display names),
    conference, doc_type, datekey and year of every passage, for stats, speakers and facets.

    From the columns (fast). Whoosh 2.7.5 leaves a column shorter than its segment when the
    segment's last passages have no value for it (a document without a conference, say: seen
    in builds written by several processes); reading past its end raises IndexError. Stored
    fields are always whole, so they are read instead then (slower, the same values)."""
    n = reader.doc_count_all()
    try:
        out = {key: list(reader.column_reader(col)) for key, col in _COLUMNS.items()}
        if any(len(v) != n for v in out.values()):
            raise IndexError("short column")
    except IndexError:
        return _stored_columns(reader, n)
    out["speakers"] = [
        tuple(v.decode("utf-8").split(FACET_SEPARATOR)) if v else () for v in out["speakers"]
    ]
    return out


_COLUMNS = {
    "doc_id": "doc_id",
    "speakers": "speaker_facet",
    "conference": "conference_name",
    "doc_type": "doc_type",
    "datekey": "datekey",
    "year": "year",
}


def _stored_columns(reader, n: int) -> dict[str, list[Any]]:
    stored = [reader.stored_fields(d) if not reader.is_deleted(d) else {} for d in range(n)]
    return {
        "doc_id": [f.get("doc_id") for f in stored],
        "speakers": [tuple(f.get("speaker_list") or ()) for f in stored],
        "conference": [f.get("conference_name") for f in stored],
        "doc_type": [f.get("doc_type") for f in stored],
        "datekey": [_datekey(f) for f in stored],
        "year": [f.get("year") or None for f in stored],
    }


def _datekey(fields: dict[str, Any]) -> int | None:
    """The datekey column's value from stored fields: YYYYMMDD, or YYYY0000 for a year."""
    date = fields.get("date_text") or ""
    if len(date) == 10:
        return int(date.replace("-", ""))
    return fields["year"] * 10000 if fields.get("year") else None


def _tally_index(reader) -> dict[str, Any]:
    """One pass over the live passages: everything stats and speakers report."""
    cols = passage_columns(reader)
    doc_id, speakers, conference = cols["doc_id"], cols["speakers"], cols["conference"]
    doc_type, datekey = cols["doc_type"], cols["datekey"]
    return _tally(
        (doc_id[d], speakers[d], conference[d], doc_type[d], datekey[d])
        for d in reader.all_doc_ids()
    )


# (doc_id, speakers, conference, doc_type, datekey) of one passage
Row = tuple[str, tuple[str, ...], str | None, str | None, int | None]


def _tally(rows: Iterable[Row]) -> dict[str, Any]:
    docs: set[str] = set()
    speakers: dict[str, list[Any]] = {}
    conferences: set[str] = set()
    types: dict[str, set[str]] = {}
    dates: list[int] = []
    passages = 0
    for doc_id, names, conference, doc_type, datekey in rows:
        passages += 1
        docs.add(doc_id)
        for name in names:
            entry = speakers.setdefault(name, [0, set()])
            entry[0] += 1
            entry[1].add(doc_id)
        if conference:
            conferences.add(conference)
        types.setdefault(doc_type or "unknown", set()).add(doc_id)
        if datekey:
            dates.append(datekey)
    return {
        "documents": len(docs),
        "passages": passages,
        "speakers": speakers,
        "conferences": conferences,
        "types": {k: len(v) for k, v in types.items()},
        "dates": (min(dates), max(dates)) if dates else None,
    }


def _datekey_text(key: int) -> str:
    y, m, d = key // 10000, key // 100 % 100, key % 100
    return f"{y:04d}-{m:02d}-{d:02d}" if m and d else f"{y:04d}"


def speakers(index_dir: Path) -> tuple[SpeakerCount, ...]:
    """Every speaker with the number of passages and documents that carry their words."""
    return _speaker_counts(_count(Path(index_dir))[0])


def stats(index_dir: Path) -> IndexStats:
    """What is in the index, how big it is and when it was built: all of one committed state
    (the marker read, the files and their sizes are those of the state opened)."""
    return _index_stats(*_count(Path(index_dir)), index_dir)


def census(index_dir: Path) -> tuple[tuple[SpeakerCount, ...], IndexStats]:
    """(speakers(index_dir), stats(index_dir)) from one reader and one pass over the index
    (a pass takes seconds on 100,000 passages), both of the same committed state."""
    counts, size, info = _count(Path(index_dir))
    return _speaker_counts(counts), _index_stats(counts, size, info, index_dir)


def _count(index_dir: Path) -> tuple[dict[str, Any], int, IndexInfo]:
    """The tally of the index's current state, its size in bytes and its marker's IndexInfo."""
    with reading(index_dir) as ix:
        with ix.reader() as reader:
            counts = _tally_index(reader)
        return counts, ix.storage.size, ix.storage.info


def _speaker_counts(counts: dict[str, Any]) -> tuple[SpeakerCount, ...]:
    found = counts["speakers"]
    ranked = [SpeakerCount(name, n, len(ds)) for name, (n, ds) in found.items()]
    return tuple(sorted(ranked, key=lambda c: (-c.passages, c.name)))


def _index_stats(c: dict[str, Any], size: int, info: IndexInfo, index_dir: Path) -> IndexStats:
    lo, hi = c["dates"] if c["dates"] else (None, None)
    return IndexStats(
        documents=c["documents"],
        passages=c["passages"],
        speakers=len(c["speakers"]),
        conferences=tuple(sorted(c["conferences"])),
        date_range=(_datekey_text(lo) if lo else None, _datekey_text(hi) if hi else None),
        doc_types=dict(sorted(c["types"].items())),
        index_size=size,
        built=info.built,
        schema_version=info.schema_version,
        corpus=info.corpus,
        index_dir=str(index_dir),
    )
