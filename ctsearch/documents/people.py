"""People: canonical names, aliases and the offices they held, and finding them in text.

The data lives in `data/people.toml` (its format is described at its top); a user file
`<corpus>/people.toml` extends it. Offices carry dates so that "the Secretary-General" in a
2018 text resolves to António Guterres and in a 2010 text to Ban Ki-moon.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ctsearch.analysis import fold_aligned as fold
from ctsearch.analysis import fold_lower
from ctsearch.corpus.files import BUILTIN_PEOPLE
from ctsearch.errors import MetadataError

# Leading words that do not change who is meant: honorifics, "the", "UN".
HONORIFIC_TOKENS = (
    ("his", "excellency"),
    ("her", "excellency"),
    ("h", "e"),
    ("united", "nations"),
    ("mr",),
    ("ms",),
    ("mrs",),
    ("miss",),
    ("dr",),
    ("prof",),
    ("professor",),
    ("ambassador",),
    ("amb",),
    ("sir",),
    ("dame",),
    ("madam",),
    ("mme",),
    ("the",),
    ("un",),
)


@lru_cache(maxsize=8192)  # the same names recur in every document
def name_key(text: str) -> str:
    """The matching key of a name or title: folded, lowercase, no punctuation or honorifics."""
    s = re.sub(r"['’]s\b", "", fold(text).casefold())
    tokens = re.sub(r"[\W_]+", " ", s).split()
    changed = True
    while changed and tokens:
        changed = False
        for seq in HONORIFIC_TOKENS:
            if tuple(tokens[: len(seq)]) == seq and len(tokens) > len(seq):
                tokens = tokens[len(seq) :]
                changed = True
                break
    return " ".join(tokens)


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


@dataclass(frozen=True)
class Ref:
    """A person named in a text: by name, by office, or an unknown name with an honorific."""

    start: int
    end: int
    name: str  # canonical name, or the unknown name as written without honorific
    kind: str  # "name" | "office" | "unknown"
    pronoun: str | None = None


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
    def _idx(self) -> _Index:
        idx = self.__dict__.get("_index")
        if idx is None:
            idx = self.__dict__["_index"] = _Index(self)
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

    def resolve(self, name_or_title: str, on_date: str | None = None) -> str | None:
        """Canonical name for a name, alias or office title ("the Secretary-General" + date)."""
        key = name_key(name_or_title)
        if not key:
            return None
        idx = self._idx
        if key in idx.names:
            return idx.names[key]
        if key in idx.office_keys:
            return self.holder(idx.office_keys[key], on_date)
        # Compound forms: "Secretary-General António Guterres", "Mr. Voronkov USG".
        padded = f" {key} "
        for alias_key in idx.name_keys_by_length:
            if f" {alias_key} " in padded:
                return idx.names[alias_key]
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


# ---------------------------------------------------------------------- scanning
# Names of organisations and things that follow an honorific-like word but are not people.
NOT_NAME_WORDS = frozenset(
    """
    united nations nation council assembly office committee states state member conference week
    strategy secretariat organization organisation union group forum republic kingdom government
    ministry department agency centre center directorate executive programme program fund bank
    court commission day congress summit general security international national global the
    of and for on in at a an counter-terrorism terrorism deputy under-secretary-general
    secretary-general president chair chairman chairperson panel session high-level
    """.split()
)
HONORIFIC_RE = (
    r"(?:Mr|Ms|Mrs|Miss|Dr|Prof|Professor|Ambassador|Amb|H\.\s?E|His Excellency|Her Excellency"
    r"|Sir|Dame|Judge|Justice|Madam|Mme|Senator|Minister|Foreign Minister|Prime Minister"
    r"|President|Vice-President|King|Queen|Prince|Princess|Sheikh|Father|Rabbi|Imam|Cardinal)"
)
_NAME_WORD = r"[A-Z][\w'’\-]*[a-z\u00c0-\u024f][\w'’\-]*"  # capitalised, with a lowercase letter
_NAME_FMT = (
    r"{word}"
    r"(?:\s+(?:[A-Z]\.|(?:de|da|del|della|di|dos|das|du|van|von|der|bin|ibn|al|el|le|la)\s+"
    r"|{word})){{0,4}}"
)
NAME_RE = _NAME_FMT.format(word=_NAME_WORD)
# NAME_RE where whitespace or the end must follow (`NAME_RE$`): a word can only end where its
# letters end, so words are atomic groups and a failing search never retries every way to cut
# long words (exponential in the words: it was most of attribution's time).
NAME_BEFORE_SPACE_RE = _NAME_FMT.format(word=f"(?>{_NAME_WORD})")
_HONORIFIC_NAME = re.compile(
    rf"\b(?P<hon>(?:{HONORIFIC_RE})\.?(?:\s+(?:{HONORIFIC_RE})\.?)*)\s+(?P<name>{NAME_RE})"
)
_HON_SPLIT = re.compile(r"\.?\s+")
_SHE = {"ms", "mrs", "miss", "madam", "mme", "dame", "queen", "princess", "her"}
_HE = {"mr", "sir", "king", "prince", "his", "father"}


def clean_unknown_name(name: str) -> str | None:
    """An unknown person's name as written, trimmed of trailing particles; None if not a name."""
    words = name.split()
    while words and words[-1].lower() in {"de", "da", "del", "van", "von", "bin", "al", "el", "of"}:
        words.pop()
    if not words or any(w.lower().strip(",.") in NOT_NAME_WORDS for w in words):
        return None
    return " ".join(words)


class _Index:
    """Lookup tables and the alias scanner, built once per People.

    Aliases are matched as token sequences (folded, lowercase) with a dict, not one huge
    regex: building it costs nothing and scanning stays linear on long texts."""

    def __init__(self, people: People) -> None:
        self.people = people
        self.names: dict[str, str] = {}  # key -> canonical name (incl. query aliases)
        # token sequence -> (kind, target, is_acronym); first token -> sequence lengths
        self.seqs: dict[tuple[str, ...], tuple[str, str, bool]] = {}
        for p in people.persons.values():
            for alias in (p.name, *p.aliases):
                self.names.setdefault(name_key(alias), p.name)
                self._add(alias, ("name", p.name, alias.isupper()))
            for alias in p.query_aliases:
                self.names.setdefault(name_key(alias), p.name)
        full = {name_key(a) for p in people.persons.values() for a in (p.name, *p.aliases)}
        self.office_keys: dict[str, str] = {}
        for title, aliases in people.offices.items():
            for alias in (title, *aliases):
                self.office_keys.setdefault(name_key(alias), title)
                self._add(alias, ("office", title, alias.isupper()))
        self.name_keys_by_length = sorted(full, key=len, reverse=True)
        self.office_keys_by_length = sorted(self.office_keys, key=len, reverse=True)
        first: dict[str, set[int]] = {}
        for seq in self.seqs:
            first.setdefault(seq[0], set()).add(len(seq))
        self.first = {k: sorted(v, reverse=True) for k, v in first.items()}

    def _add(self, alias: str, entry: tuple[str, str, bool]) -> None:
        # Also the closed form of hyphenated words: "Counter-Terrorism" = "Counterterrorism".
        for form in (alias, re.sub(r"(?<=\w)[-‐‑](?=\w)", "", alias)):
            seq = tuple(_TOKEN.findall(fold_lower(form)))
            if seq:
                self.seqs.setdefault(seq, entry)

    def find(self, text: str, on_date: str | None) -> list[Ref]:
        low = fold_lower(text)
        refs: list[Ref] = []
        taken: list[tuple[int, int]] = []
        first = self.first
        # Most sentences hold no word that can start an alias: one findall tells, and the
        # token spans are only listed for the others.
        words = _TOKEN.findall(low)
        if first.keys().isdisjoint(words):
            words = []
        spans = [m.span() for m in _TOKEN.finditer(low)] if words else []
        folded: str | None = None  # fold(text), for _other_office: only when an office is seen
        i = 0
        while i < len(words):
            if words[i] not in first:
                i += 1
                continue
            hit = self._match_at(words, spans, i, low)
            if hit is None:
                i += 1
                continue
            n, (kind, target, acronym) = hit
            i += n  # a rejected alias is skipped whole: no "Secretary-General" inside another
            a, b = spans[i - n][0], spans[i - 1][1]
            surface = text[a:b]
            long_office = kind == "office" and n >= 3
            if not (surface[:1].isupper() or long_office) or (acronym and not surface.isupper()):
                continue
            if kind == "office":
                if folded is None:
                    folded = fold(text)
                if _other_office(folded, a, b):
                    continue
                name = self.people.holder(target, on_date)
                if name is None:
                    continue
            else:
                name = target
            refs.append(Ref(a, b, name, kind, self.people.pronoun(name)))
            taken.append((a, b))
        taken_starts = [x for x, _ in taken]  # sorted: the scan goes left to right
        for m in _HONORIFIC_NAME.finditer(text):
            a, b = m.span("name")
            k = bisect_right(taken_starts, b) - 1  # the last known ref starting before b
            if k >= 0 and taken[k][1] > a:
                continue  # overlaps a name or office already found
            written = clean_unknown_name(m.group("name"))
            if written is None:
                continue
            hons = {h.lower().replace(".", "").strip() for h in _HON_SPLIT.split(m.group("hon"))}
            pron = "she" if hons & _SHE else "he" if hons & _HE else None
            known = self.names.get(name_key(written))
            if known:
                refs.append(
                    Ref(m.start(), m.end(), known, "name", pron or self.people.pronoun(known))
                )
            else:
                refs.append(Ref(m.start(), a + len(written), written, "unknown", pron))
        refs.sort(key=lambda r: r.start)
        return refs

    def _match_at(
        self, words: list[str], spans: list[tuple[int, int]], i: int, low: str
    ) -> tuple[int, tuple[str, str, bool]] | None:
        """The longest alias starting at token i, as (number of tokens, entry)."""
        for n in self.first.get(words[i], ()):
            if i + n > len(words):
                continue
            entry = self.seqs.get(tuple(words[i : i + n]))
            if entry is None:
                continue
            if not all(
                _JOINER.fullmatch(low, spans[k][1], spans[k + 1][0]) for k in range(i, i + n - 1)
            ):
                continue
            a, b = spans[i][0], spans[i + n - 1][1]
            if (a and low[a - 1] in _GLUE) or (b < len(low) and low[b] in _GLUE):
                continue  # part of a longer hyphenated word or a symbol ("SG/SM/19119")
            return n, entry
        return None


_TOKEN = re.compile(r"[^\W_]+")
_JOINER = re.compile(r"[\s\-‐‑–().]{0,3}")  # between the words of one name or title
_GLUE = "-‐‑/"


_OTHER_OFFICE_BEFORE = re.compile(
    r"(?:under|deputy|assistant|vice|executive|former|acting)[\s\-]+$", re.I
)
_OTHER_OFFICE_AFTER = re.compile(r"\s+(?:for|of)\s+(?:the\s+)?((?:[A-Z][\w\-’']*\s*){1,6})")
# Words that make "Secretary-General of/for the ..." another organisation's office.
_ORG_WORDS = frozenset(
    """
    affairs department office league organization organisation union council agency programme
    commission committee coordination operations management policy safety communications
    treaty alliance community cooperation conference court bank fund secretariat association
    development peacebuilding peacekeeping humanitarian legal political economic social
    disarmament support services
    """.split()
)


def _other_office(folded: str, a: int, b: int) -> bool:
    """Another office: 'Assistant Secretary-General', 'Secretary-General of the League of ...'."""
    if _OTHER_OFFICE_BEFORE.search(folded[max(0, a - 12) : a]):
        return True
    m = _OTHER_OFFICE_AFTER.match(folded, b)
    if not m:
        return False
    words = m.group(1).split()
    return any(w.lower() in _ORG_WORDS or (w.isupper() and len(w) >= 2) for w in words)


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
