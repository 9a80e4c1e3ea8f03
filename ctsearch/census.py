"""What is in an index: `ctsearch stats` and `ctsearch speakers`, read from its columns."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .index import open_index


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


def _census(reader) -> dict[str, Any]:
    """One pass over the live passages: everything stats and speakers report.

    Read from the columns (fast). Whoosh 2.7.5 can write columns shorter than their segment in
    an index built by several writer processes; reading past the end raises IndexError. Stored
    fields are always whole, so the census then reads those instead (slower, same answer)."""
    try:
        return _tally(_column_rows(reader))
    except IndexError:
        return _tally(_stored_rows(reader))


# (doc_id, speakers, conference, doc_type, datekey) of one passage
Row = tuple[str, list[str], str | None, str | None, int | None]


def _column_rows(reader) -> Iterator[Row]:
    from .schema import FACET_SEPARATOR

    doc_col = reader.column_reader("doc_id")
    spk_col = reader.column_reader("speaker_facet")
    conf_col = reader.column_reader("conference_name")
    date_col = reader.column_reader("datekey")
    type_col = reader.column_reader("doc_type")
    for d in reader.all_doc_ids():
        raw = spk_col[d]
        names = raw.decode("utf-8").split(FACET_SEPARATOR) if raw else []
        yield doc_col[d], names, conf_col[d], type_col[d], date_col[d]


def _stored_rows(reader) -> Iterator[Row]:
    for f in reader.all_stored_fields():
        date = f.get("date_text") or ""
        key = int(date.replace("-", "")) if len(date) == 10 else None
        names = list(f.get("speaker_list") or ())
        yield f.get("doc_id"), names, f.get("conference_name"), f.get("doc_type"), key


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
    ix = open_index(Path(index_dir))
    with ix.reader() as reader:
        found = _census(reader)["speakers"]
    ix.storage.release()
    counts = [SpeakerCount(name, n, len(ds)) for name, (n, ds) in found.items()]
    return tuple(sorted(counts, key=lambda c: (-c.passages, c.name)))


def stats(index_dir: Path) -> IndexStats:
    """What is in the index, how big it is and when it was built: all of one committed state
    (the marker read, the files and their sizes are those of the state opened)."""
    ix = open_index(Path(index_dir))
    info = ix.storage.info
    with ix.reader() as reader:
        c = _census(reader)
    size = ix.storage.size
    ix.storage.release()
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
