"""Search filters (--speaker, --conference, --type, --year, --from/--to) as Whoosh queries,
and --speaker names resolved to the canonical names the index holds."""

from __future__ import annotations

from ctsearch import whoosh_ext  # noqa: F401  (first: version check, lean Whoosh imports)

# isort: split
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from whoosh import query as wq

from ctsearch.analysis import fold, words
from ctsearch.errors import QueryError, UnknownSpeakerError
from ctsearch.models import DOC_TYPES

Remember = Callable[[Any, Callable[[], Any]], Any]  # an open searcher's memo (see session.py)
_ORDINALS = {
    "1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth",
    "6th": "sixth", "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth",
}  # fmt: skip


@dataclass(frozen=True)
class Filters:
    """The search options that narrow the hits (speaker, conference, type, dates)."""

    speakers: tuple[str, ...]
    conference: str | None
    doc_type: str | None
    year: int | None
    date_from: date | None
    date_to: date | None

    @classmethod
    def make(cls, speakers, conference, doc_type, year, date_from, date_to) -> Filters:
        if isinstance(speakers, str):
            speakers = (speakers,)
        names = tuple(s for s in (str(x).strip() for x in speakers) if s)
        start = parse_date_bound(date_from, "--from", end=False) if date_from else None
        end = parse_date_bound(date_to, "--to", end=True) if date_to else None
        if start and end and start > end:
            raise QueryError(f"--from {date_from} is after --to {date_to}")
        return cls(
            speakers=names,
            conference=(conference or "").strip() or None,
            doc_type=normalize_type(doc_type) if doc_type else None,
            year=parse_year(year) if year not in (None, "") else None,
            date_from=start,
            date_to=end,
        )

    def queries(self, resolved: tuple[str, ...], reader) -> dict[str, wq.Query]:
        """One query per active filter, keyed by how the user wrote it."""
        out: dict[str, wq.Query] = {}
        if resolved:
            key = " ".join(
                f"--speaker {name!r}" if " " in name else f"--speaker {name}" for name in resolved
            )
            out[key] = wq.Or([wq.Term("speakers", fold(name)) for name in resolved])
        if self.conference:
            out[f"--conference {self.conference}"] = conference_query(self.conference, reader)
        if self.doc_type:
            out[f"--type {self.doc_type}"] = wq.Term("doc_type", self.doc_type)
        if self.year:
            out[f"--year {self.year}"] = wq.NumericRange("year", self.year, self.year)
        if self.date_from or self.date_to:
            label = " ".join(
                f"{opt} {d.isoformat()}"
                for opt, d in (("--from", self.date_from), ("--to", self.date_to))
                if d
            )
            out[label] = date_query(self.date_from, self.date_to)
        return out

    def describe(self, resolved: tuple[str, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if resolved:
            out["speakers"] = list(resolved)
        if self.conference:
            out["conference"] = self.conference
        if self.doc_type:
            out["doc_type"] = self.doc_type
        if self.year:
            out["year"] = self.year
        if self.date_from:
            out["date_from"] = self.date_from.isoformat()
        if self.date_to:
            out["date_to"] = self.date_to.isoformat()
        return out


def parse_date_bound(value: str, option: str, *, end: bool) -> date:
    """YYYY, YYYY-MM or YYYY-MM-DD → the first (or with end=True, last) day it covers."""
    text = str(value).strip()
    parts = text.split("-")
    try:
        if not (1 <= len(parts) <= 3) or len(parts[0]) != 4 or not all(p.isdigit() for p in parts):
            raise ValueError
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
        if len(parts) > 2:
            return date(y, m, int(parts[2]))
        if not end:
            return date(y, m, 1)
        nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    except (ValueError, OverflowError):
        raise QueryError(
            f"{option} {text!r} is not a valid date: use YYYY, YYYY-MM or YYYY-MM-DD"
        ) from None


def date_query(start: date | None, end: date | None) -> wq.Query:
    """Documents dated within [start, end]; a document known only by its year matches when
    that year overlaps the range (its exact date could be any day of it)."""
    lo = datetime(start.year, start.month, start.day) if start else None
    hi = datetime(end.year, end.month, end.day, 23, 59, 59, 999999) if end else None
    by_year = wq.And(
        [
            wq.Term("date_precision", "year"),
            wq.NumericRange("year", start.year if start else None, end.year if end else None),
        ]
    )
    return wq.Or([wq.DateRange("date", lo, hi), by_year])


def conference_query(text: str, reader) -> wq.Query:
    """Passages of the conferences whose canonical name holds all the words of `text`
    ("2021", "second", "2nd", "third high-level"), found in the index's list of names."""
    wanted = [_ORDINALS.get(w, w) for w, _, _, _ in words(text)]
    if not wanted:
        raise QueryError(f"--conference {text!r} has no words to match")
    names = []
    for raw in reader.lexicon("conference_name"):
        name = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        have = {w for w, _, _, _ in words(name)}
        if all(w in have for w in wanted):
            names.append(name)
    if not names:
        return nothing()
    return wq.Or([wq.Term("conference_name", n) for n in names])


def nothing() -> wq.Query:
    """A query that matches no passage (Whoosh's NullQuery would vanish inside an And)."""
    return wq.Term("passage_id", "\x00")


def normalize_type(value: str) -> str:
    key = "_".join(fold(str(value)).replace("-", " ").split())
    if key.endswith("s") and key[:-1] in DOC_TYPES:
        key = key[:-1]
    if key not in DOC_TYPES:
        raise QueryError(f"unknown document type {value!r}: use one of {', '.join(DOC_TYPES)}")
    return key


def parse_year(value: Any) -> int:
    text = str(value).strip()
    if not (text.isdigit() and len(text) == 4):
        raise QueryError(f"year {value!r} is not a year: use four digits, e.g. 2021")
    return int(text)


# -- speakers ------------------------------------------------------------------------------


class SpeakerResolver:
    """--speaker NAME → the canonical name: exact (case/accent-insensitive), then by words
    ("guterres"), then the people file's aliases; else an error listing the closest names."""

    def __init__(self, reader, corpus: Path | None, remember: Remember | None = None) -> None:
        self.reader = reader
        self.corpus = corpus
        self.remember = remember  # the open searcher's memo: names are read once per searcher
        self._names: dict[str, str] | None = None

    def names(self) -> dict[str, str]:
        if self._names is None:
            load = self._load_names
            self._names = self.remember("speaker-names", load) if self.remember else load()
        return self._names

    def _load_names(self) -> dict[str, str]:
        from ctsearch.index.stats import speaker_names

        found: dict[str, str] = {}
        for name in speaker_names(self.reader):
            # keyed as resolve() keys what is typed (dots as spaces: "Susan E. Rice")
            found.setdefault(" ".join(fold(name).replace(".", " ").split()), name)
        return found

    def resolve(self, name: str) -> str:
        key = " ".join(fold(name).replace(".", " ").split())
        names = self.names()
        if key in names:
            return names[key]
        wanted = key.split()
        by_words = sorted({v for k, v in names.items() if all(w in k.split() for w in wanted)})
        if len(by_words) == 1:
            return by_words[0]
        if len(by_words) > 1:
            raise UnknownSpeakerError(
                f"speaker {name!r} is ambiguous: {', '.join(by_words[:5])}; give the full name"
            )
        people = self._people()
        if people is not None:
            canonical = people.resolve(name)
            if canonical:
                return canonical
        import difflib  # only for an unknown speaker: kept off the search path

        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.5)
        suggestions = [names[c] for c in close]
        if not suggestions and people is not None:
            suggestions = list(people.closest(name, 3))
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        raise UnknownSpeakerError(f"unknown speaker {name!r}{hint} (see `ctsearch speakers`)")

    def _people(self):
        try:
            from ctsearch.corpus.files import people_path
            from ctsearch.documents.people import People

            extra = people_path(self.corpus) if self.corpus is not None else None
            return People.load(*([extra] if extra is not None and extra.is_file() else []))
        except Exception:  # a broken people file must not break a search
            return None
