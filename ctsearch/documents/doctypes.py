"""A document's type from the signals its publisher writes, strongest first.

1. A press release's own marks: a UN document symbol (SG/SM/…, DSG/SM/…, SC/…, GA/…, UNIS/…,
   L/…, PA/…), "Meetings Coverage" or a meeting number ("7271st Meeting (PM)"), a "Press
   Release" label, "Following is …"/"The following statement was issued …" (the form of the
   Secretary-General's statements and messages as press releases), a dateline naming its
   issuer ("VIENNA, 13 October (UN Information Service) –"), a Security Council press or
   presidential statement, a chair's summary of a meeting.
2. A heading that names the genre: "Statement by …", "Statement attributable to the
   Spokesman", "Explanation of vote", "Remarks by …", "…'s remarks", "Message …", also in
   other languages ("致辞", "Mensaje", "Déclaration").
3. A dateline opening the prose ("New York, 19 January 2018 – On 18 January …"): a release.
4. News: the UN News banner, a reporter's byline ("By HONG XIAO"), a video story's shot list.
5. The prose itself: words addressed to an audience in the first person are a speech — a
   statement when delivered to a UN body by a delegate ("Mr. President", "Delivered by:",
   "Presenter:"), a message when they greet or mark a Day ("On this International Day");
   reported speech is news (a meetings-coverage lede, "The Security Council this morning …",
   or a closing signature by a press officer, is a release); the rest is a web page.
"""

from __future__ import annotations

import re

TOP_CHARS = 3000  # where publishers put their marks: the header and the first paragraphs
SAMPLE_CHARS = 6000  # how much prose is read to tell speech, news and web page apart
HEADING_PARAS = 3  # paragraphs below the header that may still be headings
HEADING_WORDS = 60  # a heading is at most this long and ends without a full stop
FIRST_PERSON = 6  # "I", "we", "our" ... that make a text without a salutation a speech
NARRATIVE = 3  # past-tense verbs ("gathered", "was organized") that make a text an account
NEWS_REPORTING = 4  # reporting verbs ("said", "stressed") that make an undated text a story

_SYMBOL = re.compile(
    r"(?<![\w/])(?:D?SG/(?:SM|T|A|2100)|SC|GA(?:/(?:SHC|EF|L|AB|DIS|SPD))?|UNIS/(?:CP|SGSM|SG|OBV)"
    r"|L|PA|OBV|ECOSOC|HR|SAG|AFR|DEV|ENV|POP|WOM|PI|NOT|IHA|SOC|CS)/\d{1,6}(?:-\w+)?(?![\w/])"
)
_MEETING = re.compile(
    r"\b\d{1,5}(?:st|nd|rd|th)\s+(?:(?:&|and)\s+\d{1,5}(?:st|nd|rd|th)\s+)?meetings?\s*"
    r"\((?:AM|PM|A\.M\.|P\.M\.)(?:\s*(?:&|and)\s*(?:AM|PM))?\)"
    r"|\b(?:security council|general assembly|committee),?\s+\d{1,5}(?:st|nd|rd|th)\s+meeting\b"
    r"|\bmeetings coverage\b",
    re.I,
)
_PRESS_LABEL = re.compile(
    r"^\W*(?:press|news|media)\s+release\b|\bpress release\s*(?:[-–—:]|$)"
    r"|\b(?:security council|council)(?:['’]s)?\s+press\s+statement\b"
    r"|\bpress statement (?:by|of|from) the (?:security )?council\b"
    r"|^\W*presidential statement\b|\bstatement by the president of the security council\b"
    r"|\b(?:co-)?chair(?:s|man|person)?['’]?s?['’]? summary\b|^\W*readout\b",
    re.I | re.M,
)
_FOLLOWING = re.compile(
    r"^\W*following (?:is|are)\b[^.\n]{0,200}?"
    r"\b(?:remarks|message|statement|address|speech|text|briefing)\b"
    r"|^\W*the following (?:\w+ ){0,3}(?:was|were) issued\b",
    re.I | re.M,
)
_WIRES = r"(?:AFP|AP|Reuters|Xinhua|TASS|IANS|PTI|ANI|UPI|dpa|EFE|ANSA|Anadolu)"
_WIRE_DATELINE = re.compile(rf"^[\W_]*[A-Z][\w.'’ -]{{1,40}}?,[^(\n]{{0,30}}\({_WIRES}\)", re.M)
_ISSUER_DATELINE = re.compile(
    r"^[\W_]*[A-Z][\w.'’ -]{1,40}?,\s*(?:\w+\s+){1,3}?\d{0,4}\s*"
    r"\((?!"
    + _WIRES
    + r"\))(?:UN|United Nations|Office|Department|[A-Z]{2,}\b)[^)]{0,80}\)\s*[-–—]",
    re.M,
)
# A programme, an agenda, an overview: a page, whatever remarks it lists.
_PAGE_LABEL = re.compile(
    r"^\W*(?:(?:provisional |draft |tentative )?(?:programme|program|agenda)(?: of work)?"
    r"|overview|about(?: us)?|concept note|background|frequently asked questions|faqs?)\W*$",
    re.I | re.M,
)
_TIMETABLE = re.compile(r"^\W*\d{1,2}[:.h]\d{2}\s*(?:[-–—]|to)\s*\d{1,2}[:.h]\d{2}\b", re.M)
# A heading's genre.
_GENRE_CUES = [
    (r"\bstatement attributable to\b", "statement"),
    (r"^\W*(?:joint\s+|press\s+|closing\s+|opening\s+)?statement\b"
     r"|\bstatement (?:by|of|from|on behalf|delivered|attributable)\b|['’]s?\s+statement\b"
     r"|\bexplanation of (?:vote|position)\b|\bintervention (?:by|of)\b", "statement"),
    (r"^\W*(?:video\s+)?message\b|\bmessage (?:of|from|by|to|for|on)\b"
     r"|['’]s?\s+(?:video\s+)?message\b", "message"),
    # "address" is a speech only as a noun: "keynote address", "Address by", "...'s address"
    (r"\b(?:remarks|speech|lecture|toast)\b(?! (?:was|were|is)\b)"
     r"|(?:\b(?:keynote|opening|closing|inaugural|welcoming|video)|['’]s?) address\b"
     r"|^\W*address\b|\baddress (?:by|of)\b", "speech"),
    (r"致辞|贺词|讲话|发言|\bmensaje\b|\bmessaggio\b|\bdiscurso\b|\bdiscours\b|\bdiscorso\b", None),
    (r"声明|\bdeclaraci[oó]n\b|\bd[ée]claration\b|\bdichiarazione\b", "statement"),
]  # fmt: skip
_FOREIGN_GENRE = {
    "致辞": "message",
    "贺词": "message",
    "mensaje": "message",
    "messaggio": "message",
}
_GENRE_RES = [(re.compile(rx, re.I | re.M), kind) for rx, kind in _GENRE_CUES]
_NEWS_MARK = re.compile(
    r"^\W*(?i:global perspective human stories|un news|noticias onu|onu info)\W*$"
    r"|^\W*by [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}\b(?: (?:at|in) .{0,40})?\s*(?:\||$)"
    r"|^\W*(?i:story|dateline|shotlist|shot list)\s*:|\b(?i:soundbite)\b",
    re.M,
)
_NEWS_MARK_I = re.compile(r"^\W*by [A-Z]{2,}(?: [A-Z]{2,})+\b", re.M)
_SALUTATION = re.compile(
    r"\b(?:excellenc(?:y|ies)|ladies and gentlemen|distinguished (?:delegates|guests|participants"
    r"|colleagues)|dear (?:colleagues|friends|participants|guests|all)|(?:mr|madam|madame)\.? "
    r"(?:president|chair|chairman|chairperson|secretary-general)|thank you(?: very much)?(?:,|\.))",
    re.I,
)
_TO_A_BODY = re.compile(
    r"\b(?:mr|madam|madame)\.? (?:president|chair|chairman|chairperson|co-chairs?)\b"
    r"|^\W*(?:delivered by|presenter|speaker)\s*:|\bmake a statement\b|\bin my capacity as\b"
    r"|\baligns? (?:itself|myself|ourselves) with\b|\bassociates? itself with\b",
    re.I | re.M,
)
_GREETING = re.compile(
    r"\bon this (?:international |world )?day\b|\bthis year['’]s (?:observance|theme)\b"
    r"|\b(?:send|convey|extend)(?:s|ing)? (?:my |our )?(?:warm(?:est)? )?(?:greetings|welcome)\b"
    r"|\bwarm welcome to you\b|\bi am pleased to (?:send|convey) (?:my )?greetings\b",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|our|Our|us|my|My)\b")
_REPORTING = re.compile(
    r"\b(?:said|says|stated|added|stressed|emphasi[sz]ed|told|noted|underscored|underlined"
    r"|highlighted|warned|cautioned|declared|urged|recalled|condemned|welcomed|expressed"
    r"|dijo|afirmó|reiteró|condenó|declaró|a déclaré|a dit|ha detto|ha dichiarato)\b",
    re.I,
)
# Meetings coverage opens with the body as subject: "The Security Council this morning welcomed".
_COVERAGE_LEDE = re.compile(
    r"The (?:Security Council|General Assembly|Council|Assembly|\w+ Committee)\s+"
    r"(?:this (?:morning|afternoon|evening)|today)\s+\w+ed\b",
    re.M,
)
_PAST = re.compile(
    r"\b(?:was|were|had|took place|gathered|held|hosted|participated|attended|discussed|met"
    r"|opened|concluded|adopted|organi[sz]ed|presented|delivered|gave|launched|welcomed|briefed"
    r"|addressed)\b"
)
_PRESENT = re.compile(
    r"\b(?:is|are|will|aims|serves|provides|promotes|can|intends|proposes|undertakes)\b"
)
_PRESS_SIGNATURE = re.compile(
    r"\b(?:media|press|publicity|communications?|information)\b.{0,40}$|\bspokes(?:man|woman|person)\b",
    re.I,
)


_POSSESSIVE = re.compile(r"\b(?:her|his|their|its|my|our|your)\s+(?:own\s+)?$", re.I)


def _heading_genre(heading: str) -> str | None:
    for rx, kind in _GENRE_RES:
        for m in rx.finditer(heading):
            # "her remarks", "during his own remarks": a story about a speech, not its heading
            if kind == "speech" and _POSSESSIVE.search(heading[: m.start()]):
                continue
            return kind or _FOREIGN_GENRE.get(m.group(0).lower(), "speech")
    return None


def _headings_below(
    text: str, paras: list[tuple[int, int]], body: int, inline_dateline: bool
) -> list[str]:
    """Heading lines just below where the header was taken to end (a title under site chrome,
    "22 February 2017, New York – Statement on behalf of ..."), and an inline dateline's lead."""
    out = []
    for i in range(body, min(len(paras), body + HEADING_PARAS)):
        p = text[slice(*paras[i])][:1000]
        if i == body and inline_dateline:
            out.append(p[:300])
        nxt = text[slice(*paras[i + 1])] if i + 1 < len(paras) else ""
        if (
            len(p.split()) <= HEADING_WORDS
            and not p.rstrip("”\"’')] ").endswith((".", "!", "?", ":", ";", ","))
            and not nxt[:1].islower()
        ):
            out.append(p)
    return out


def _top(text: str, paras: list[tuple[int, int]], end: int) -> str:
    """The text up to `end`, one paragraph a line (a metadata marker that opens a line is a
    paragraph apart: metadata.paragraph_spans)."""
    lines = []
    for a, b in paras:
        if a >= end:
            break
        lines.append(text[a : min(b, end)])
    return "\n".join(lines)


def classify(
    text: str,
    paras: list[tuple[int, int]],
    body: int,
    *,
    title: str,
    label: str | None,
    inline_dateline: bool,
    dated: bool,
    dateline: bool = False,
) -> str:
    """The document's type (see the module docstring); `body` indexes the first prose paragraph."""
    top = _top(text, paras, max(TOP_CHARS, paras[body][0] if body < len(paras) else 0))
    header = [text[a:b] for a, b in paras[:body]]
    if (
        _SYMBOL.search(top)
        or _MEETING.search(top)
        or label == "press_release"
        or _PRESS_LABEL.search("\n".join([title, *header]))
        or _FOLLOWING.search(top)
        or _ISSUER_DATELINE.search(top)
    ):
        return "press_release"
    if _PAGE_LABEL.search("\n".join(header[:HEADING_PARAS]) or title) or (
        len(_TIMETABLE.findall(text[:SAMPLE_CHARS])) >= 2
    ):
        return "web_page"
    for heading in [title, *header, *_headings_below(text, paras, body, inline_dateline)]:
        if heading and (kind := _heading_genre(heading)):
            return kind
    if label:
        return label
    if inline_dateline or dateline:  # a release's, unless a news agency's ("PARIS (AFP) —")
        return "news" if _WIRE_DATELINE.search(top) else "press_release"
    if _NEWS_MARK.search(top) or _NEWS_MARK_I.search(top):
        return "news"
    sample = text[paras[body][0] if body < len(paras) else 0 :][:SAMPLE_CHARS]
    first_person = len(_FIRST_PERSON.findall(sample))
    reporting = len(_REPORTING.findall(sample))
    addressed = _SALUTATION.search(sample[:1500]) or _TO_A_BODY.search(top)
    if addressed or (first_person >= FIRST_PERSON and first_person > 4 * reporting):
        if _TO_A_BODY.search(top):
            return "statement"
        if _GREETING.search(sample[:3000]):
            return "message"
        return "speech"
    if _COVERAGE_LEDE.search(sample[:1500]):
        return "press_release"
    tail = [text[a:b] for a, b in paras[-5:] if b - a < 120]
    if dated and any(len(p) < 120 and _PRESS_SIGNATURE.search(p) for p in tail):
        return "press_release"
    # Reported speech makes a story (a page without a date needs more of it than a dated one),
    # and so does an account of what happened: web pages describe, in the present and future.
    past, present = len(_PAST.findall(sample)), len(_PRESENT.findall(sample))
    if reporting >= (1 if dated else NEWS_REPORTING) or (past >= NARRATIVE and past > present):
        return "news"
    return "web_page"
