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

from ctsearch.documents.people import (
    HONORIFIC_RE,
    NAME_BEFORE_SPACE_RE,
    NAME_RE,
    People,
    Ref,
    clean_unknown_name,
)

REPORTING_VERBS = (
    "said says stated states added adds stressed stresses emphasized emphasised emphasizes "
    "emphasises highlighted highlights underscored underscores underlined noted notes urged urges "
    "reiterated reiterates concluded concludes outlined encouraged encourages thanked thanks "
    "welcomed welcomes warned warns affirmed reaffirmed explained explains observed observes told "
    "tells remarked recalled recalls declared declares announced announces acknowledged "
    "acknowledges insisted argued asserted cautioned commended congratulated expressed appealed "
    "asked continued maintained suggested reminded recognized recognised praised condemned "
    "deplored described indicated mentioned replied responded wrote addressed briefed shared "
    "assured pledged condemns deplores reaffirms affirms commends underlines expresses insists "
    "argues asserts cautions believes"
).split()
_PHRASAL = ["called for", "calls for", "called on", "calls on", "called upon", "pointed out",
            "points out", "went on", "summed up", "spoke of", "spoke about"]  # fmt: skip


def _verb_pattern(verbs: list[str]) -> str:
    r"""\b(?:verb|...)\b grouped by first letter, which halves the cost of the scan: at each
    word start only the verbs of its letter are tried. No verb is the first word of another
    phrase, so at most one alternative can match at a position and their order is free."""
    groups: dict[str, list[str]] = {}
    for v in sorted(verbs, key=len, reverse=True):
        groups.setdefault(v[0], []).append(re.escape(v[1:]))
    alts = (f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in sorted(groups.items()))
    return r"\b(?:" + "|".join(alts) + r")\b"


VERB_RE = re.compile(_verb_pattern(_PHRASAL + REPORTING_VERBS))
_ADVERB_WORDS = (
    r"also|further|then|later|again|however|additionally|subsequently|moreover|once again"
    r"|in addition|in particular|specifically|strongly|firmly|repeatedly|previously|separately"
    r"|earlier|finally|meanwhile|has|had|have|was|is|will|would|both|himself|herself"
    r"|personally|publicly|clearly|today|yesterday|tonight|this week|last week|earlier today"
    r"|on [A-Za-z]+day|on \d{1,2} [A-Z][a-z]+|in (?:a|his|her|their) (?:statement|speech|address"
    r"|remarks|message|video message|briefing)"
)
_ADVERBS = rf"(?:(?:{_ADVERB_WORDS}),?\s+)*"
_ADVERB_TAIL = re.compile(rf"(?:\s+(?:{_ADVERB_WORDS}),?)*\s*$")
_APPOSITIVE_TAIL = re.compile(r",[^,“”\"]{1,160}?,?\s*$")
# Between a subject and its verb: "of Norway", an appositive between commas, adverbs.
_GAP_RE = re.compile(
    r"\s*(?:(?:of|from)\s+(?:the\s+)?[A-Z][\w\-’']*(?:\s+[A-Z][\w\-’']*){0,4}\s*)?"
    r"(?:,(?:[^,“”\"]{1,160}?,|[^,“”\"]{1,160}?)\s*)?" + _ADVERBS + r"$"
)
_AFTER_VERB_RE = re.compile(rf"\s+(?:the\s+|(?:{HONORIFIC_RE})\.?\s+)*$")
_PRONOUN_RE = re.compile(r"\b(?P<p>[Hh]e|[Ss]he)\b")
_UNKNOWN_LEFT = re.compile(rf"(?P<name>{NAME_BEFORE_SPACE_RE})$")
NAME_CHUNKS = 5  # NAME_RE: a word and at most 4 more, none holding whitespace
_UNKNOWN_RIGHT = re.compile(rf"\s+(?P<name>{NAME_RE})")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
# A person right after one of these words is an object, not a subject.
_OBJECT_BEFORE = re.compile(
    r"\b(?:of|by|to|for|with|from|on|at|under|about|including|among|thanked|thank|welcomed"
    r"|congratulated|commended|invited|joined|met|and|honou?ring|praised|behalf of)"
    rf"\s+(?:the\s+|(?:{HONORIFIC_RE})\.?\s+)*$",
    re.IGNORECASE,
)
MAX_GAP = 220  # characters between a subject and its verb (an appositive fits)
MAX_LOOKBACK = 30  # references searched back for a pronoun's antecedent within a sentence
OPEN_QUOTES, CLOSE_QUOTES = "“«", "”»"
_QUOTE_CHARS = re.compile(r"[“«”»\"]")
_OPENS_WITH_QUOTE = re.compile(r"[\s*_(]*[“\"«]")


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

    def reset_continuation(self) -> None:
        """A paragraph that is not prose (skipped) breaks a running quotation."""
        self.last_speakers = []

    def sentence(self, s: str) -> SentenceInfo:
        refs = self.people.find(s, self.on_date)
        starts_in_quote = self.depth > 0 or self.ascii_open
        speakers: list[str] = []
        verbs = list(VERB_RE.finditer(s))
        if verbs:  # pronouns and the sorted references only serve to find a verb's subject
            local_history = list(self.history)
            pronoun_refs = [
                Ref(m.start(), m.end(), "", "pronoun", m.group("p").lower())
                for m in _PRONOUN_RE.finditer(s)
            ]
            all_refs = _Refs(sorted(refs + pronoun_refs, key=lambda r: r.start))
            for m in verbs:
                who = self._subject(s, m, all_refs, local_history)
                if who and who not in speakers:
                    speakers.append(who)
        if not speakers and refs:  # "according to X": X must be a reference found
            m = _ACCORDING.search(s)
            if m:
                nxt = next((r for r in refs if r.start >= m.end() and r.start - m.end() < 16), None)
                if nxt:
                    speakers.append(nxt.name)
        opens_with_quote = bool(_OPENS_WITH_QUOTE.match(s))
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
        mentions = [r.name for r in refs if r.name not in speakers]
        return SentenceInfo(
            speakers, list(dict.fromkeys(mentions)), self.depth > 0 or self.ascii_open
        )

    def _subject(self, s: str, verb: re.Match, refs: _Refs, history: list[_Subject]) -> str | None:
        v0, v1 = verb.span()
        # Subject to the left: the nearest person before the verb with only a gap between.
        for j in range(bisect_right(refs.ends, v0) - 1, -1, -1):
            r = refs.items[j]
            gap = s[r.end : v0]
            if len(gap) > MAX_GAP:
                break
            if gap.startswith(("’s", "'s")) or not _GAP_RE.match(gap):
                continue
            if r.kind == "pronoun":
                return self._resolve_pronoun(s, j, refs, history)
            if _OBJECT_BEFORE.search(s[max(0, r.start - 40) : r.start]):
                continue
            return r.name
        # Inversion: "said the Under-Secretary-General", "said Mr. X", "he said" after a quote.
        for j in range(bisect_left(refs.starts, v1), len(refs.items)):
            r = refs.items[j]
            if r.start - v1 > 40:
                break
            if _AFTER_VERB_RE.match(s[v1 : r.start]):
                if r.kind == "pronoun":
                    return self._resolve_pronoun(s, j, refs, history)
                if s[r.end : r.end + 2] in ("’s", "'s"):
                    return None
                return r.name
        # Unknown people named without an honorific: "Jane Doe said", "said Jane Doe".
        left = s[max(0, v0 - 200) : v0]
        left = left[: _ADVERB_TAIL.search(left).start()]
        heads = [left]
        if m := _APPOSITIVE_TAIL.search(left):
            heads.append(left[: m.start()])
        for head in heads:
            name_m = _name_at_end(head.rstrip())
            if name_m and not _OBJECT_BEFORE.search(head[: name_m.start()][-40:]):
                if name := _plain_name(name_m.group("name")):
                    return name
        m = _UNKNOWN_RIGHT.match(s, v1)
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
        for m in _QUOTE_CHARS.finditer(s):
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
    """_UNKNOWN_LEFT.search(head), started late: a name is at most NAME_CHUNKS
    whitespace-separated chunks, so no match can start before the last ones, and trying
    every earlier position (each with backtracking) was most of the cost of attribution."""
    k, chunks = len(head), 0
    while k > 0 and chunks < NAME_CHUNKS + 1:
        while k > 0 and head[k - 1].isspace():
            k -= 1
        while k > 0 and not head[k - 1].isspace():
            k -= 1
        chunks += 1
    return _UNKNOWN_LEFT.search(head, k)


def _plain_name(name: str) -> str | None:
    """An unknown subject must look like a person's name: two to five capitalised words."""
    cleaned = clean_unknown_name(name)
    if not cleaned or len(cleaned.split()) < 2:
        return None
    return cleaned


def _is_subject_position(s: str, r: Ref) -> bool:
    if s[r.end : r.end + 2] in ("’s", "'s"):
        return False
    return not _OBJECT_BEFORE.search(s[max(0, r.start - 40) : r.start])


def _pronoun_of(refs: list[Ref], name: str) -> str | None:
    return next((r.pronoun for r in refs if r.name == name and r.pronoun), None)
