"""Finding known people (by name or office) and honorific + unknown names in a text.

Aliases are matched as token sequences (folded, lowercase) with a dict, not one huge regex:
building it costs nothing and scanning stays linear on long texts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from ctsearch.analysis import fold_aligned as fold
from ctsearch.analysis import fold_lower
from ctsearch.documents.names import HONORIFIC_RE, NAME_RE, Ref, clean_unknown_name, name_key

if TYPE_CHECKING:
    from ctsearch.documents.people import People


# An honorific and the name it stands before; the honorific tells the pronoun.
_HONORIFIC_NAME = re.compile(
    rf"\b(?P<hon>(?:{HONORIFIC_RE})\.?(?:\s+(?:{HONORIFIC_RE})\.?)*)\s+(?P<name>{NAME_RE})"
)
_HON_SPLIT = re.compile(r"\.?\s+")
_SHE = {"ms", "mrs", "miss", "madam", "mme", "dame", "queen", "princess", "her"}
_HE = {"mr", "sir", "king", "prince", "his", "father"}


class NameIndex:
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
            cased = surface[:1].isupper() or not surface[:1].islower()  # 古特雷斯: no case
            if not (cased or long_office) or (acronym and not surface.isupper()):
                continue
            if kind == "office":
                if folded is None:
                    folded = fold(text)
                if _other_office(folded, a, b):
                    continue
                if on_date is None:
                    continue  # no office holder without a date: never guess who held it
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
_JOINER = re.compile(r"[\s\-‐‑–().·・]{0,3}")  # between the words of one name or title
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
