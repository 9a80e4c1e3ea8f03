"""People: canonical names, aliases and the offices they held, and finding them in text.

The data lives in `data/people.toml` (its format is described at its top); a user file
`<corpus>/people.toml` extends it. Offices carry dates so that "the Secretary-General" in a
2018 text resolves to António Guterres and in a 2010 text to Ban Ki-moon.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ctsearch.corpus.files import BUILTIN_PEOPLE
from ctsearch.documents.names import Ref, name_key
from ctsearch.documents.namescan import NameIndex
from ctsearch.errors import MetadataError


def _pad_date(s: str | None, *, end: bool) -> str | None:
    """ "2017" → 2017-01-01 (or 2017-12-31 as an end), "2017-09" → 2017-09-01 / 2017-09-31."""
    if not s:
        return None
    s = str(s)
    if re.fullmatch(r"\d{4}", s):
        return f"{s}-12-31" if end else f"{s}-01-01"
    if re.fullmatch(r"\d{4}-\d{2}", s):
        return f"{s}-31" if end else f"{s}-01"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        return s
    raise ValueError(f"bad date {s!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")


@dataclass(frozen=True)
class Office:
    """An office a person held, with its dates."""

    title: str
    start: str | None = None  # YYYY-MM-DD inclusive, None = always
    end: str | None = None

    def covers(self, on_date: str) -> bool:
        return (self.start is None or self.start <= on_date) and (
            self.end is None or on_date <= self.end
        )


@dataclass(frozen=True)
class Person:
    """A canonical name, its aliases and the offices held."""

    name: str
    aliases: tuple[str, ...] = ()
    query_aliases: tuple[str, ...] = ()
    pronoun: str | None = None
    offices: tuple[Office, ...] = ()


@dataclass
class People:
    """The known people; resolves names, aliases and office titles to canonical names."""

    persons: dict[str, Person] = field(default_factory=dict)
    offices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # title -> aliases

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, *paths: Path) -> People:
        """The built-in file, then each existing file of `paths` extending it."""
        people = cls()
        for path in (BUILTIN_PEOPLE, *paths):
            if path is not None and Path(path).is_file():
                people.extend_from_file(Path(path))
        return people

    def extend_from_file(self, path: Path) -> None:
        try:
            raw = path.read_text(encoding="utf-8-sig")
            data = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as exc:
            raise MetadataError(toml_error_message(path, exc, raw)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise MetadataError(f"{path}: cannot read the people file: {exc}") from None
        try:
            self.extend(data)
        except (TypeError, ValueError, KeyError) as exc:
            raise MetadataError(f"{path}: {exc}") from None

    def extend(self, data: dict) -> None:
        """Merge parsed people data (see data/people.toml for the format)."""
        for entry in data.get("office", []):
            title = _req_str(entry, "title", "office")
            old = self.offices.get(title, ())
            self.offices[title] = _dedupe(old + tuple(_str_list(entry, "aliases")))
        for entry in data.get("person", []):
            name = _req_str(entry, "name", "person")
            offices = []
            for o in entry.get("offices", []):
                title = _req_str(o, "title", f"office of {name}")
                self.offices.setdefault(title, ())
                offices.append(
                    Office(
                        title,
                        _pad_date(o.get("start"), end=False),
                        _pad_date(o.get("end"), end=True),
                    )
                )
            pronoun = entry.get("pronoun")
            if pronoun not in (None, "he", "she"):
                raise ValueError(f"pronoun of {name} must be 'he' or 'she'")
            old = self.persons.get(name, Person(name))
            self.persons[name] = Person(
                name,
                _dedupe(old.aliases + tuple(_str_list(entry, "aliases"))),
                _dedupe(old.query_aliases + tuple(_str_list(entry, "query_aliases"))),
                pronoun or old.pronoun,
                old.offices + tuple(offices),
            )
        self.__dict__.pop("_index", None)

    # ------------------------------------------------------------------ lookups
    @property
    def _idx(self) -> NameIndex:
        idx = self.__dict__.get("_index")
        if idx is None:
            idx = self.__dict__["_index"] = NameIndex(self)
        return idx

    def names(self) -> list[str]:
        """Every canonical name, sorted."""
        return sorted(self.persons, key=lambda n: name_key(n))

    def pronoun(self, name: str) -> str | None:
        p = self.persons.get(name)
        return p.pronoun if p else None

    def holder(self, office: str, on_date: str | None = None) -> str | None:
        """Who held `office` (its title) on `on_date` (YYYY, YYYY-MM or YYYY-MM-DD).

        Without a date: the only holder, else the current one (open-ended term)."""
        holders = [
            (p.name, o) for p in self.persons.values() for o in p.offices if o.title == office
        ]
        if not holders:
            return None
        if on_date:
            day = _pad_date(on_date[:10], end=False) if len(on_date) >= 4 else None
            if len(on_date) == 4:
                day = f"{on_date}-07-01"  # a year alone: whoever held it mid-year
            hits = [(n, o) for n, o in holders if day and o.covers(day)]
            if hits:  # the newer holder wins where terms overlap by month precision
                return max(hits, key=lambda h: h[1].start or "")[0]
            return None
        if len(holders) == 1:
            return holders[0][0]
        current = [n for n, o in holders if o.end is None]
        return current[-1] if len(current) >= 1 else None

    def resolve(
        self, name_or_title: str, on_date: str | None = None, *, undated_office: bool = True
    ) -> str | None:
        """Canonical name for a name, alias or office title ("the Secretary-General" + date).

        Without a date an office resolves to its current holder (a query's "--speaker
        Secretary-General"), unless `undated_office` is False (a document: never guess)."""
        key = name_key(name_or_title)
        if not key:
            return None
        offices = on_date is not None or undated_office
        idx = self._idx
        if key in idx.names:
            return idx.names[key]
        if offices and key in idx.office_keys:
            return self.holder(idx.office_keys[key], on_date)
        # Compound forms: "Secretary-General António Guterres", "Mr. Voronkov USG".
        padded = f" {key} "
        for alias_key in idx.name_keys_by_length:
            if f" {alias_key} " in padded:
                return idx.names[alias_key]
        if offices:
            for alias_key in idx.office_keys_by_length:
                if f" {alias_key} " in padded:
                    return self.holder(idx.office_keys[alias_key], on_date)
        return None

    def closest(self, name: str, n: int = 3) -> list[str]:
        """Up to `n` canonical names that look like `name` (for "did you mean")."""
        idx = self._idx
        key = name_key(name)
        out: list[str] = []
        for k in difflib.get_close_matches(key, list(idx.names), n=n * 4, cutoff=0.5):
            if idx.names[k] not in out:
                out.append(idx.names[k])
        for full in self.names():  # a surname typed with a typo against "first last"
            if len(out) >= n:
                break
            parts = name_key(full).split()
            if full not in out and difflib.get_close_matches(key, parts, n=1, cutoff=0.75):
                out.append(full)
        return out[:n]

    def find(self, text: str, on_date: str | None = None) -> list[Ref]:
        """Every known person (by name or office) and every honorific + unknown name in `text`."""
        return self._idx.find(text, on_date)


def toml_error_message(path: Path, exc: tomllib.TOMLDecodeError, raw: str = "") -> str:
    """'path:LINE: what is wrong' from tomllib's message "... (at line L, column C)"."""
    msg = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
    if m:
        return f"{path}:{m.group(1)}: {msg[: m.start()].strip()} (column {m.group(2)})"
    m = re.search(r"\(at end of document\)", msg)
    if m:  # the last line: where the reader ran out of text
        last = max(1, raw.count("\n") + (0 if raw.endswith("\n") else 1))
        return f"{path}:{last}: {msg[: m.start()].strip()} (at the end of the file)"
    return f"{path}: {msg}"


def _req_str(entry: dict, key: str, what: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"every {what} needs a non-empty string `{key}`")
    return value.strip()


def _str_list(entry: dict, key: str) -> list[str]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"`{key}` must be a list of strings")
    return [v.strip() for v in value if v.strip()]


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))
