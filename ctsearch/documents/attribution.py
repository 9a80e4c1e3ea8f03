"""Who speaks in each sentence of a press release or news story.

A sentence reports someone's words when a reporting verb ("said", "stressed", "told", ...)
has a person as its subject: "Mr. Voronkov emphasized that", "X, the Head of ..., said that",
"“…,” said the Under-Secretary-General", "“…,” he added". "He"/"she" resolve to the last person
named as a subject (gender-aware where known); titles resolve through People and the document
date. A quotation that continues an attributed one inherits its speaker. A person who is only
named ("convened by the Secretary-General", "thanked Ambassador X") is a mention.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ctsearch.documents.names import ROLE_WORDS, Ref, clean_unknown_name, name_key
from ctsearch.documents.people import People
from ctsearch.documents.reporting import (
    ACCORDING,
    ADVERB_TAIL,
    AFTER_PASSIVE_RE,
    AFTER_VERB_RE,
    APPOSITIVE_NAME,
    APPOSITIVE_TAIL,
    CLOSE_QUOTES,
    COORDINATED,
    GAP_RE,
    MAX_GAP,
    MAX_LEARNED,
    MAX_LOOKBACK,
    NAME_AFTER_OFFICE,
    NAME_CHUNKS,
    OBJECT_BEFORE,
    OPEN_QUOTES,
    OPENS_WITH_QUOTE,
    PARTICIPLE,
    PARTICIPLE_SUBJECT,
    PASSIVE_BY,
    PASSIVE_VERBS,
    PRONOUN_RE,
    QUOTE_CHARS,
    ROLE_THEN_NAME,
    UNKNOWN_LEFT,
    UNKNOWN_RIGHT,
    VERB_RE,
    WHO,
)


@dataclass(slots=True)
class SentenceInfo:
    """Who speaks in one sentence, and whom it mentions."""

    speakers: list[str]
    mentions: list[str]
    quote_open_after: bool  # the sentence ends inside an open quotation


class _Refs:
    """References sorted by position, with their starts and ends for bisection (long texts)."""

    def __init__(self, items: list[Ref]) -> None:
        self.items = items
        self.starts = [r.start for r in items]
        self.ends = [r.end for r in items]


@dataclass(slots=True)
class _Subject:
    """The person "he", "she" or a title refers to at this point of the text."""

    name: str
    pronoun: str | None


class Attributor:
    """Walks a document's sentences in order, keeping the state that pronouns need."""

    def __init__(self, people: People, on_date: str | None) -> None:
        self.people = people
        self.on_date = on_date
        self.history: list[_Subject] = []  # subject-like people, most recent last
        self.last_speakers: list[str] = []
        self.depth = 0  # typographic quotes open
        self.ascii_open = False
        # Full names met so far, by surname: "Mr. Kafando" is the Michel Kafando named before.
        self.by_surname: dict[str, str] = {}
        self.learned: dict[str, None] = {}  # full names met, in order (at most MAX_LEARNED)
        self._learned_re: re.Pattern | None = None
        self._co_subjects: list[str] = []

    def learn(self, name: str) -> None:
        """Remember a full name so that its surname alone resolves to it later, and the full
        name itself is found again where it is written without an honorific."""
        words = name.split()
        if len(words) >= 2:
            keys = [words[-1], " ".join(words[-2:])]
            if any(w.lower() in ("bin", "ibn", "bint") for w in words[1:]):
                keys.append(words[0])  # "King Abdullah" is Abdullah bin Abdulaziz
            for k in keys:
                self.by_surname.setdefault(name_key(k), name)
            if name not in self.learned and len(self.learned) < MAX_LEARNED:
                self.learned[name] = None
                self._learned_re = None

    def _with_learned(self, s: str, refs: list[Ref]) -> list[Ref]:
        """refs plus the learned full names written in s that no ref covers."""
        if not self.learned:
            return refs
        if self._learned_re is None:
            alts = sorted(self.learned, key=len, reverse=True)
            self._learned_re = re.compile(
                r"(?<![\w\-])(?:" + "|".join(re.escape(n) for n in alts) + r")(?![\w\-])"
            )
        extra = [
            Ref(m.start(), m.end(), m.group(0), "unknown")
            for m in self._learned_re.finditer(s)
            if not any(r.start < m.end() and m.start() < r.end for r in refs)
        ]
        return sorted(refs + extra, key=lambda r: r.start) if extra else refs

    def full_name(self, name: str) -> str:
        """A surname alone (or behind an office word) → the full name met earlier."""
        words = name.split()
        while len(words) > 1 and words[0].lower().strip(",.") in ROLE_WORDS:
            words.pop(0)  # "Under Secretary Otero" → "Otero"
        if len(words) <= 2:
            return self.by_surname.get(name_key(" ".join(words)), " ".join(words))
        return " ".join(words)

    def reset_continuation(self) -> None:
        """A paragraph that is not prose (skipped) breaks a running quotation."""
        self.last_speakers = []

    def sentence(self, s: str) -> SentenceInfo:
        refs = self.people.find(s, self.on_date)
        for r in refs:
            if r.kind in ("name", "unknown"):
                self.learn(r.name)
        for rx in (APPOSITIVE_NAME, ROLE_THEN_NAME):  # "Derek Plumbly, United Nations ..."
            for m in rx.finditer(s):
                if (name := _plain_name(m.group("name"))) and len(name.split()) >= 2:
                    self.learn(name)
        refs = self._with_learned(s, refs)
        starts_in_quote = self.depth > 0 or self.ascii_open
        speakers: list[str] = []
        verbs = list(VERB_RE.finditer(s))
        if verbs:  # pronouns and the sorted references only serve to find a verb's subject
            local_history = list(self.history)
            pronoun_refs = [
                Ref(m.start(), m.end(), "", "pronoun", m.group("p").lower())
                for m in PRONOUN_RE.finditer(s)
            ]
            all_refs = _Refs(sorted(refs + pronoun_refs, key=lambda r: r.start))
            for m in verbs:
                who = self._subject(s, m, all_refs, local_history)
                if who and who not in speakers:
                    speakers.append(who)
                for co in self._co_subjects:  # "X, ..., and Y, ..., reiterated"
                    if co not in speakers:
                        speakers.append(co)
        if not speakers and refs and (p := PARTICIPLE.search(s)):
            # "X gave assurances of ..., noting that": the sentence's subject speaks.
            first = next((r for r in refs if r.start < p.start()), None)
            if first and first.start <= PARTICIPLE_SUBJECT and _is_subject_position(s, first):
                if not first.kind == "office" or first.name:
                    speakers.append(first.name)
        if not speakers and refs:  # "according to X": X must be a reference found
            m = ACCORDING.search(s)
            if m:
                nxt = next((r for r in refs if r.start >= m.end() and r.start - m.end() < 16), None)
                if nxt:
                    speakers.append(nxt.name)
        if not speakers and s.rstrip().endswith(":"):  # "Chair of the Committee, X Y:" + a quote
            head = s.rstrip()[:-1]
            last = refs[-1] if refs else None
            if last and last.end >= len(head.rstrip()) - 1 and last.kind != "office":
                speakers.append(last.name)
            elif (m := _name_at_end(head.rstrip())) and (name := _plain_name(m.group("name"))):
                speakers.append(name)
        speakers = list(dict.fromkeys(self.full_name(x) for x in speakers))
        for x in speakers:
            self.learn(x)
        opens_with_quote = bool(OPENS_WITH_QUOTE.match(s))
        if not speakers and self.last_speakers and (starts_in_quote or opens_with_quote):
            speakers = list(self.last_speakers)
        self._track_quotes(s)
        for r in refs:
            if r.name in speakers or _is_subject_position(s, r):
                self.history.append(_Subject(r.name, r.pronoun))
        for name in speakers:  # a speaker is the likeliest antecedent of the next "he"
            self.history.append(
                _Subject(name, self.people.pronoun(name) or _pronoun_of(refs, name))
            )
        del self.history[:-20]
        self.last_speakers = speakers
        mentions = [self.full_name(r.name) if r.kind == "unknown" else r.name for r in refs]
        mentions = [m for m in mentions if m not in speakers]
        return SentenceInfo(
            speakers, list(dict.fromkeys(mentions)), self.depth > 0 or self.ascii_open
        )

    def _subject(self, s: str, verb: re.Match, refs: _Refs, history: list[_Subject]) -> str | None:
        self._co_subjects = []
        v0, v1 = verb.span()
        # Subject to the left: the nearest person before the verb with only a gap between.
        for j in range(bisect_right(refs.ends, v0) - 1, -1, -1):
            r = refs.items[j]
            gap = s[r.end : v0]
            if len(gap) > MAX_GAP:
                break
            if r.kind == "office" and (g := NAME_AFTER_OFFICE.match(gap)):
                gap = gap[g.end() :]  # "Secretary-General Ban said"
            if gap.startswith(("’s", "'s")) or not (GAP_RE.match(gap) or WHO.match(gap)):
                continue
            if r.kind == "pronoun":
                return self._resolve_pronoun(s, j, refs, history)
            if OBJECT_BEFORE.search(s[max(0, r.start - 40) : r.start]) and not WHO.match(gap):
                if j > 0 and (q := refs.items[j - 1]).kind in ("name", "unknown"):
                    if COORDINATED.fullmatch(s, q.end, r.start) and _is_subject_position(s, q):
                        self._co_subjects = [r.name]  # "X, ..., and Y, ..., reiterated"
                        return q.name
                continue
            return r.name
        # Inversion: "said the Under-Secretary-General", "said Mr. X", "he said" after a quote;
        # a passive's agent: "the Council was briefed by Ms. X".
        after = AFTER_VERB_RE
        if PASSIVE_BY.match(s, v1) and PASSIVE_VERBS.fullmatch(verb.group(0)):
            after = AFTER_PASSIVE_RE
        for j in range(bisect_left(refs.starts, v1), len(refs.items)):
            r = refs.items[j]
            if r.start - v1 > 40:
                break
            if after.match(s[v1 : r.start]):
                if r.kind == "pronoun":
                    return self._resolve_pronoun(s, j, refs, history)
                if s[r.end : r.end + 2] in ("’s", "'s"):
                    return None
                return r.name
        # Unknown people named without an honorific: "Jane Doe said", "said Jane Doe".
        left = s[max(0, v0 - 200) : v0]
        left = left[: ADVERB_TAIL.search(left).start()]
        heads = [left]
        if m := APPOSITIVE_TAIL.search(left):
            heads.append(left[: m.start()])
        for head in heads:
            name_m = _name_at_end(head.rstrip())
            if not name_m or not (name := _plain_name(name_m.group("name"))):
                continue
            run = name_m.group("name")
            start = name_m.start() + max(0, run.rfind(name.split()[0]))  # where the name begins
            before = head[:start][-40:]
            if not OBJECT_BEFORE.search(before):
                return name
            words = name.split()
            if len(words) >= 3 and re.search(r"\bof\s+$", before):
                return " ".join(words[1:])  # "Minister ... of Turkmenistan Vepa Hajiyev said"
        m = UNKNOWN_RIGHT.match(s, v1)
        if m and (name := _plain_name(m.group("name"))):
            return name
        return None

    def _resolve_pronoun(self, s: str, j: int, refs: _Refs, history: list[_Subject]) -> str | None:
        """The most recent compatible subject: earlier in this sentence, then before it."""
        pronoun = refs.items[j].pronoun
        for x in reversed(refs.items[max(0, j - MAX_LOOKBACK) : j]):
            if x.kind != "pronoun" and x.pronoun in (None, pronoun) and _is_subject_position(s, x):
                return x.name
        for c in reversed(history):
            if c.pronoun in (None, pronoun):
                return c.name
        return None

    def _track_quotes(self, s: str) -> None:
        for m in QUOTE_CHARS.finditer(s):
            ch = m.group(0)
            if ch in OPEN_QUOTES:
                self.depth += 1
            elif ch in CLOSE_QUOTES:
                self.depth = max(0, self.depth - 1)
            elif ch == '"':
                self.ascii_open = not self.ascii_open

    def end_paragraph(self) -> None:
        """Quotation marks rarely stay open across paragraphs in these texts; stop tracking."""
        self.depth = 0
        self.ascii_open = False


def _name_at_end(head: str) -> re.Match | None:
    """UNKNOWN_LEFT.search(head), started late: a name is at most NAME_CHUNKS
    whitespace-separated chunks, so no match can start before the last ones, and trying
    every earlier position (each with backtracking) was most of the cost of attribution."""
    k, chunks = len(head), 0
    while k > 0 and chunks < NAME_CHUNKS + 1:
        while k > 0 and head[k - 1].isspace():
            k -= 1
        while k > 0 and not head[k - 1].isspace():
            k -= 1
        chunks += 1
    return UNKNOWN_LEFT.search(head, k)


def _plain_name(name: str) -> str | None:
    """An unknown subject must look like a person's name: two to five capitalised words (an
    office word in front is dropped: "Under Secretary Otero" is Otero)."""
    words = name.split()
    while words and words[0].lower().strip(",.") in ROLE_WORDS:
        words.pop(0)
    cleaned = clean_unknown_name(" ".join(words)) if words else None
    while cleaned is None and len(words) > 2:  # "Global Affairs Maria Otero": the name ends it
        words.pop(0)
        cleaned = clean_unknown_name(" ".join(words))
    if not cleaned:
        return None
    if len(cleaned.split()) < 2:
        return cleaned if len(name.split()) > 1 and cleaned[:1].isupper() else None
    return cleaned


def _is_subject_position(s: str, r: Ref) -> bool:
    if s[r.end : r.end + 2] in ("’s", "'s"):
        return False
    return not OBJECT_BEFORE.search(s[max(0, r.start - 40) : r.start])


def _pronoun_of(refs: list[Ref], name: str) -> str | None:
    return next((r.pronoun for r in refs if r.name == name and r.pronoun), None)
