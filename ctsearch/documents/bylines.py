"""A document's own voice, read from its title, byline lines and signature.

Publishers name who speaks a speech, statement or message in a few set ways: "Statement by
Ambassador Susan E. Rice, U.S. Permanent Representative", "Remarks of H.E. Moussa Faki Mahamat
Chairperson of ...", "Secretary-General's remarks to ...", "Delivered by: ...", "Presenter:" with
the name on the next line, "Following is UN Secretary-General Ban Ki-moon's message, delivered
by Jeffrey Feltman, ...", "The following statement was issued today by the Spokesman for ...",
a headline whose subject speaks ("Secretary-General Says ..."), a name line under the title
("Ban Ki-Moon, Former Secretary-General"), a signature ("Sirodjidin Aslov," then the office).
Someone who reads out another's words ("[delivered by Mr. Michael Smith ...]") is a reader: named,
not the speaker. An office ("the Secretary-General") is resolved with the document's date, and
left unresolved without one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ctsearch.documents.names import (
    HONORIFIC_RE,
    NAME_RE,
    NAME_WORD,
    NOT_NAME_WORDS,
    ROLE_WORDS,
    TRAILING_PARTICLES,
    name_key,
)
from ctsearch.documents.people import People

# What a speech-like text is called, before "by/of/from <speaker>".
_KINDS = (
    r"(?:opening |closing |keynote |welcoming |welcome |introductory |concluding |video |press "
    r"|joint |special )?(?:statement|remarks|address|speech|message|greetings?|briefing"
    r"|intervention|lecture|explanation of (?:the )?vote|toast)"
)
_CUE_BY = re.compile(rf"\b{_KINDS}\s+(?:(?:as\s+)?delivered\s+)?(?:by|of|from)\s+", re.I)
_DELIVERED_BY = re.compile(
    r"\b(?:(?:as\s+)?delivered|read(?:\s+out)?|presented)\s+(?:on\s+\w+\s+behalf\s+)?by\s*:?\s*",
    re.I,
)
_LABEL = re.compile(
    r"^\s*(?:delivered by|presenter|presented by|speaker|speaker name|statement by|by)\s*:\s*", re.I
)
_POSSESSIVE = re.compile(rf"['’]s?\s+{_KINDS}\b", re.I)
_FOLLOWING = re.compile(
    r"\b(?:following (?:is|are)|below (?:is|are))\s+(?:the\s+)?(?:text\s+of\s+)?", re.I
)
_ISSUED_BY = re.compile(
    r"\b(?:issued|released)\s+(?:today\s+|on\s+\S+\s+)?by\s+(?:the\s+)?"
    r"(?:spokes(?:man|person|woman)|office of the spokes\w+)\s+for\s+",
    re.I,
)
_ATTRIBUTABLE = re.compile(r"\battributable to the spokes\w+ (?:for|of)\s+", re.I)
# A headline whose subject speaks: "Secretary-General Says ...", "..., Deputy Secretary-General
# Tells Security Council Debate", "Secretary-General, in Message to ..., Stresses ...".
_HEADLINE_VERBS = (
    r"Says|Tells|Urges|Stresses|Welcomes|Condemns|Calls|Warns|Highlights|Underlines|Underscores"
    r"|Emphasizes|Emphasises|Notes|Praises|Deplores|Appeals|Commends|Expresses|Reaffirms"
    r"|Announces|Declares|Insists|Recalls|Encourages|Pledges|Applauds|Hails|Affirms|Outlines"
)
_HEADLINE_VERB = re.compile(
    rf"(?:,?\s*in\s+[^,]{{1,120}},)?\s*(?:(?:also|strongly|again)\s+)?(?:{_HEADLINE_VERBS})\b",
    re.I,
)
# UN offices as Chinese texts write them, before 致辞/讲话/发言/贺词 (message, speech, remarks).
_CJK_OFFICES = {"秘书长": "Secretary-General", "常务副秘书长": "Deputy Secretary-General"}
_CJK_OWNER = re.compile(
    r"(?<!副)(?P<office>常务副秘书长|秘书长)(?:的)?(?:致辞|致词|讲话|发言|贺词)"
)
_CUT = re.compile(r"\s(?:at|on the occasion|during|before|in the)\s|[\[(:;]|\s[–—-]\s")
# A name as bylines write it: initials allowed ("S. Muhriddin", "Thomas B. Amolo").
_BYLINE_NAME = re.compile(rf"(?:(?:{HONORIFIC_RE})\.?\s+)*(?P<name>(?:[A-Z]\.\s?){{0,3}}{NAME_RE})")
_HONORIFIC_BYLINE = re.compile(
    rf"\b(?:{HONORIFIC_RE})\.?\s+(?:(?:{HONORIFIC_RE})\.?\s+)*(?P<name>(?:[A-Z]\.\s?){{1,3}}"
    rf"{NAME_WORD}(?:\s+{NAME_WORD}){{0,3}})"
)
_SKIP_WORDS = re.compile(rf"^(?:\s|,|the\b|(?:{HONORIFIC_RE})\.?)*", re.I)


@dataclass(frozen=True)
class Voice:
    """Who speaks a document in its own words, and who only reads them out."""

    speakers: tuple[str, ...] = ()
    readers: tuple[str, ...] = ()


def _person_at(text: str, people: People, on_date: str | None) -> str | None:
    """The person a byline segment names first: a known name, an honorific + name ("H.E. Mr.
    S. Muhriddin"), a written name at its start; else an office (resolved with the date)."""
    seg = text[:BYLINE_SEGMENT]
    cut = _CUT.search(seg)
    seg = seg[: cut.start()] if cut else seg
    refs = people.find(seg, on_date)
    found: list[tuple[int, str]] = [(r.start, r.name) for r in refs if r.kind != "office"]
    for m in _HONORIFIC_BYLINE.finditer(seg):
        if name := _clean(m.group("name")):
            found.append((m.start(), people.resolve(name, on_date, undated_office=False) or name))
    lead = _SKIP_WORDS.match(seg).end()
    if m := _BYLINE_NAME.match(seg, lead):
        if (name := _clean(m.group("name"))) and len(name.split()) >= 2:
            found.append((lead, people.resolve(name, on_date, undated_office=False) or name))
    if found:
        return min(found)[1]
    offices = [r for r in refs if r.kind == "office"]
    return offices[0].name if offices else None


def _clean(name: str) -> str | None:
    """A written name, or None when the words are an office or an organisation."""
    words = name.replace("’s", "").replace("'s", "").split()

    def stop(w: str) -> bool:
        w = w.lower().strip(",.")
        return w in NOT_NAME_WORDS or w in ROLE_WORDS

    while words and stop(words[0]):  # "Under Secretary Otero": the office is not the name
        words.pop(0)
    cut = next((i for i, w in enumerate(words) if stop(w)), len(words))
    words = words[:cut]  # "Moussa Faki Mahamat Chairperson of ...": the name ends at the office
    while words and words[-1].lower().strip(",.") in TRAILING_PARTICLES:
        words.pop()
    if not words:
        return None
    if len(words) < 2 and not re.match(r"[A-Z]\.", words[0]):
        return None  # a lone word is a surname at best: only a known person is trusted
    return " ".join(words)


def _possessive_owner(text: str, people: People, on_date: str | None) -> str | None:
    """'Secretary-General's remarks', 'UN Secretary-General Ban Ki-moon’s message' → the owner."""
    m = _POSSESSIVE.search(text)
    if not m:
        return None
    before = text[: m.start()]
    refs = [r for r in people.find(before, on_date) if r.end >= len(before) - 1]
    if refs:
        return refs[-1].name
    tail = re.search(rf"((?:{NAME_WORD}\s+){{1,3}}{NAME_WORD})$", before)
    return _clean(tail.group(1)) if tail else None


def _cjk_owner(line: str, people: People, on_date: str | None) -> str | None:
    """'2022年秘书长致辞' (the Secretary-General's message, in Chinese): the office holder."""
    m = _CJK_OWNER.search(line)
    if not m or not on_date:
        return None
    return people.holder(_CJK_OFFICES[m.group("office")], on_date)


def _headline_subject(title: str, people: People, on_date: str | None) -> str | None:
    for r in people.find(title, on_date):
        if _HEADLINE_VERB.match(title, r.end) and title[r.end : r.end + 2] not in ("’s", "'s"):
            before = title[: r.start].rstrip()
            if not re.search(r"\b(?:and|with|by|to|for|of)$", before, re.I):
                return r.name
    return None


def _lines(text: str) -> list[str]:
    """The opening lines of a text, upper-case lines in title case ("STATEMENT BY AMBASSADOR
    MUNIR AKRAM" reads as a name)."""
    out = []
    for ln in text[:OPENING_CHARS].splitlines():
        ln = ln.strip()
        if not ln:
            continue
        letters = [c for c in ln if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) > 0.8 * len(letters) and len(ln) > 12:
            ln = ln.title()
        out.append(ln)
    return out[:OPENING_LINES]


BYLINE_SEGMENT = 160  # characters after a byline cue where its person is named
OPENING_CHARS = 3000  # bylines stand in a document's first lines
OPENING_LINES = 16
NAME_LINES = 6  # a name line stands just under the title
BYLINE_MAX = 320  # a longer line is prose, where "statement by" is not a byline
SIGNATURE_LINES = 4  # a known name alone on a line signs the text only among its last lines
_CUE_START = re.compile(r"(?:^|[–—|:\]]\s|\s-\s)\s*(?:\w+\s+){0,2}$")


def find_voice(title: str, text: str, people: People, on_date: str | None) -> Voice:
    """The speakers a document's title, byline and signature name; readers apart."""
    speakers: list[str] = []
    readers: list[str] = []
    lines = [t for t in [title.strip()] if t] + _lines(text)
    lines = [ln for ln in lines if len(ln) <= BYLINE_MAX or _FOLLOWING.search(ln)]

    def add(name: str | None, where: list[str] = speakers) -> None:
        if name and name not in speakers and name not in readers:
            where.append(name)

    for ln in lines:
        # "Following is X's message, delivered by Y, to ...": X speaks, Y reads.
        if m := _FOLLOWING.search(ln):
            rest = ln[m.end() :]
            add(_possessive_owner(rest, people, on_date))
            if d := _DELIVERED_BY.search(rest):
                add(_person_at(rest[d.end() :], people, on_date), readers)
        if m := _ISSUED_BY.search(ln) or _ATTRIBUTABLE.search(ln):
            add(_person_at(ln[m.end() :], people, on_date))
        for m in _CUE_BY.finditer(ln):
            if _CUE_START.search(ln[: m.start()]):
                add(_person_at(ln[m.end() :], people, on_date))
        if len(ln) <= 200:
            add(_possessive_owner(ln, people, on_date))
            add(_cjk_owner(ln, people, on_date))
    for ln in lines[:4]:
        add(_headline_subject(ln, people, on_date))
    # "Delivered by: X", "Presenter:" + the name on the next line, "[delivered by Y]".
    for i, ln in enumerate(lines):
        target = speakers if not speakers else readers
        if m := _LABEL.match(ln):
            rest = ln[m.end() :] or (lines[i + 1] if i + 1 < len(lines) else "")
            add(_person_at(rest, people, on_date), target)
        elif (m := _DELIVERED_BY.search(ln)) and not _FOLLOWING.search(ln):
            add(_person_at(ln[m.end() :], people, on_date), target)
    if not speakers:
        for name in _name_lines(lines, people, on_date) or _signatures(text, people, on_date):
            add(name)
    return Voice(tuple(speakers), tuple(readers))


_NAME_LINE = re.compile(
    rf"^(?P<name>(?:[A-Z]\.\s?)*{NAME_WORD}(?:\s+(?:[A-Z]\.|{NAME_WORD})){{1,3}}),?$"
)


def _is_role_line(line: str) -> bool:
    words = [w.lower().strip(",.") for w in line.split()[:6]]
    return any(w in ROLE_WORDS for w in words)


def _name_lines(lines: list[str], people: People, on_date: str | None) -> list[str]:
    """A header line that is a person: 'Ban Ki-Moon, Former Secretary-General', or a name alone
    followed by an office line ('Susan E. Rice' / 'U.S. Permanent Representative ...')."""
    out: list[str] = []
    for i, ln in enumerate(lines[1:NAME_LINES], 1):
        head, _, tail = ln.partition(",")
        if len(head.split()) > 5 or len(tail.split()) > 8 or ln.endswith("."):
            continue  # a sentence, not a name with its office
        refs = [r for r in people.find(head, on_date) if r.kind == "name"]
        if refs and refs[0].start == 0 and refs[0].end >= len(head.rstrip()) - 1:
            if tail.strip() or len(lines) > i:
                out.append(refs[0].name)
                continue
        m = _NAME_LINE.match(head.strip())
        if m and (_is_role_line(tail) or (i + 1 < len(lines) and _is_role_line(lines[i + 1]))):
            if name := _clean(m.group("name")):
                out.append(name)
    return out[:1]


def _signatures(body: str, people: People, on_date: str | None) -> list[str]:
    """Names signing a text: a line that is only a name (and a comma), followed by an office
    line, or a known person's name alone on one of the last lines."""
    lines = [ln.strip() for ln in body.splitlines() if ln.strip()]
    out: list[str] = []
    for i, ln in enumerate(lines):
        if len(ln) > 60:
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if i >= len(lines) - SIGNATURE_LINES:
            refs = [r for r in people.find(ln, on_date) if r.kind == "name"]
            if refs and len(name_key(ln)) <= len(name_key(refs[0].name)) + 2:
                out.append(refs[0].name)
                continue
        m = _NAME_LINE.match(ln)
        if m and ln.endswith(",") and _is_role_line(nxt):
            if name := _clean(m.group("name")):
                out.append(people.resolve(name, on_date, undated_office=False) or name)
    return list(dict.fromkeys(out))
