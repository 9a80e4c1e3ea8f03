"""Which of the dates a text writes is the document's own date.

Every full date in the text is a candidate (dates.find_dates); where it stands and what surrounds
it says how much it is trusted:

- a dateline, "NEW YORK, 8 September (UN Headquarters) –", "20 SEPTEMBER 2023, NEW YORK|",
  "Strasbourg, 13.04.2011 –": the day the document was issued; when it has no year, the year
  comes from another date the document gives ("11 September 2006" above it), never a guess;
- "Delivered on: 11 May 2023", "Originally published 28 Dec 2019": the day itself;
- a label: "Published on 28 Dec 2019" (or "Published" on the line above), a stray metadata
  line "date 2025-08-11";
- a line of its own in the header ("04 May 2012", "Feb 10, 2025 | News and Media",
  "28-Mar-2023 00:03:57"), a date inside a heading ("... (02/12/2015)", "... – 12 February 2015");
- a date line at the end or in a signature block ("April 21, 2024" under the signature);
- a date line elsewhere ("14 June 2021" above a session's times); "Updated: ..." last of all.

A date inside running prose is an event ("the attack in Mogadishu on 28 December 2019", "held on
7 November 2014") and is not the document's date. A news lede that opens with the day ("On
Thursday, 8 August 2024, the Council was briefed") dates the item only when the text gives that
day a second time (a photo caption): alone, it is the event's day. A range ("4-5 April 2018")
is never a document's date. An ambiguous numeric date ("02/12/2015") takes the reading that
another date in the text confirms, else US order where the text writes its dates month first.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date as _date

from ctsearch.documents.dates import MONTH, DateMention, day_month, find_dates, place_name

HEADER_PARAS = 12  # paragraphs at the top where datelines and date lines are looked for
TAIL_PARAS = 4  # paragraphs at the end where a closing date line or signature date stands
LINE_WORDS = 8  # a paragraph with at most this many other words is a date line
LEDE_PARAS = 3  # body paragraphs where a corroborated lede date is looked for
SHORT_LINE_CHARS = 200  # below the top, only paragraphs this short are read for a date line
MAX_SCAN_PARAS = 400  # and only this many from the top (plus the last few)
SCAN_CHARS = 2000  # characters of a paragraph read for dates
US_ORDER_SAMPLE = 20000  # characters read to tell whether a text writes its dates month first
REPORT_TYPES = ("news", "press_release")  # documents whose lede reports the day's events

# How much each position is trusted (the best wins; ties go to the earliest).
DATELINE, ORIGINAL, LABEL, HEADER_LINE, HEADING, TAIL_LINE, BODY_LINE, UPDATED, LEDE = (
    100, 95, 90, 80, 70, 60, 50, 40, 20,
)  # fmt: skip
LABEL_WORDS = 20  # "... posted 30 Dec 2019" is a label in a short line, not in prose

_PLACE = r"[A-Z\u00c0-\u024f][\w.'’\u00c0-\u024f -]{1,40}?(?:,\s*[A-Z][\w.'’ -]{1,30}?)?"
_SEP = r"\s*(?:\([^)]{1,80}\)\s*)?(?:[-–—:|]|$)"
# "Delivered on: 11 May 2023", "Originally published 28 Dec 2019": the day itself.
_ORIGINAL_BEFORE = re.compile(
    r"\b(?:delivered|(?:originally|first) (?:published|posted|issued))(?: on)?\s*:?\s*$", re.I
)
# "Published on 28 Dec 2019", "date 2025-08-11", "Release date: ..." (a bare "date" only at the
# start of a line: "the closing date: 12 May" is another day).
_LABEL_BEFORE = re.compile(
    r"(?:^\W*(?:(?:release|publication|issue|posting)\s+)?date[d]?|^\W*fecha|publi[ée] le"
    r"|\b(?:published|posted|issued|dated))(?: on)?\s*:?\s*$",
    re.I,
)
_LABEL_LINE = re.compile(
    r"^\W*(?:published|posted|issued|date|dated|release date|publication date)\W*$", re.I
)
_UPDATED_LINE = re.compile(r"^\W*(?:last )?(?:updated|modified)\W*$", re.I)
_UPDATED_BEFORE = re.compile(
    r"\b(?:updated|modified|modification|last update[d]?|mis à jour|actualizado)(?: on)?\s*:?\s*$",
    re.I,
)
_PLACE_BEFORE = re.compile(rf"^[\W_]*(?P<place>{_PLACE})\s*[,:]\s*(?:le |el |den |am )?$")
_PLACE_PAREN = re.compile(rf"^[\W_]*(?P<place>{_PLACE})\s*\(\s*$")  # "GENEVA (12 March 2024) –"
_PAREN_SEP = re.compile(r"^\s*\)\s*[-–—:|]")
_PLACE_AFTER = re.compile(rf"^\s*,\s*(?P<place>{_PLACE}){_SEP}")
_SEP_AFTER = re.compile(_SEP)
_LEDE_BEFORE = re.compile(r"^\s*on\s+(?:[a-z]+day,?\s+)?(?:the\s+)?$", re.I)
_DIGIT = re.compile(r"\d")
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b|\b[ap]\.?m\.?\b", re.I)
_PARTIAL_DATELINE = re.compile(
    rf"^[\W_]*(?P<place>{_PLACE})\s*,\s*(?P<date>[^,()\n–—|:]{{3,30}}?)"
    r"\s*(?:\([^)]{1,80}\)\s*)?(?:[-–—:|]+)",
)
_MONTH_FIRST = re.compile(rf"\b{MONTH}[a-z]*\.?\s+\d{{1,2}},\s*\d{{4}}", re.I)
_DAY_FIRST = re.compile(rf"\b\d{{1,2}}\s+{MONTH}[a-z]*\.?,?\s+\d{{4}}", re.I)


@dataclass(frozen=True)
class Candidate:
    """A date the text gives, and how much its position says it is the document's own."""

    iso: str
    weight: int
    para: int
    mention: DateMention


@dataclass(frozen=True)
class DocDate:
    """The document's date (YYYY-MM-DD or None) and, without one, the year the text makes clear."""

    date: str | None
    year: int | None
    dateline: bool = False  # a dateline opens the prose ("VIENNA, 13 October (UNIS) – At a ...")
    place: str | None = None  # the place its dateline names


def _weight(p: str, d: DateMention, i: int, n: int, body: int, previous: str = "") -> int | None:
    """How much the position of date `d` in paragraph `i` (of `n`; prose from `body`) is trusted;
    `previous` is the paragraph above (a label on a line of its own: "Published" / "12 May")."""
    before, after = p[: d.start], p[d.end :]
    if not before.strip():
        if _LABEL_LINE.match(previous):
            return LABEL
        if _UPDATED_LINE.match(previous):
            return UPDATED
    if _UPDATED_BEFORE.search(before):
        return UPDATED
    short = len(p.split()) <= LABEL_WORDS
    if short and _ORIGINAL_BEFORE.search(before):
        return ORIGINAL
    if _LABEL_BEFORE.search(before) and (short or _LABEL_BEFORE.match(before.strip())):
        return LABEL
    if i < HEADER_PARAS and (
        (_PLACE_BEFORE.match(before) and _SEP_AFTER.match(after))
        or (_PLACE_PAREN.match(before) and _PAREN_SEP.match(after))
        or (not before.strip(" *_(") and _PLACE_AFTER.match(after))
        or (not before.strip(" *_(") and re.match(r"\s*[-–—|]\s*\S", after))
    ):
        return DATELINE if i <= body + 1 else BODY_LINE
    rest = _TIME.sub(" ", after)
    rest_words = re.sub(r"[|•·()\[\]]", " ", rest).split()
    alone = not before.strip(" *_(,") or (len(before.split()) <= 3 and not rest_words)
    heading_like = not rest_words or not rest_words[0][:1].islower()
    if alone and (len(rest_words) <= LINE_WORDS or (heading_like and i < body)) and heading_like:
        if i < body or i < HEADER_PARAS and i <= body:
            return HEADER_LINE
        return TAIL_LINE if i >= n - TAIL_PARAS else BODY_LINE
    if i < body:
        return HEADING
    if i < body + LEDE_PARAS and _LEDE_BEFORE.match(before):
        return LEDE
    return None  # a date in running prose: an event


def _dateline_place(text: str, paras: list[tuple[int, int]], c: Candidate) -> str | None:
    p = text[slice(*paras[c.para])][:SCAN_CHARS]
    before = p[: c.mention.start]
    m = _PLACE_BEFORE.match(before) or _PLACE_PAREN.match(before)
    m = m or _PLACE_AFTER.match(p[c.mention.end :])
    return place_name(m["place"]) if m else None


def _resolve_ambiguous(
    per_para: dict[int, list[DateMention]], text: str
) -> dict[tuple[int, int], str]:
    """The reading of each ambiguous numeric date ("02/12/2015"), by (paragraph, start)."""
    mentions = [m for ms in per_para.values() for m in ms]
    if all(m.alt is None for m in mentions):
        return {}  # no date to read two ways: the text's order is not needed
    plain = Counter(m.iso for m in mentions if m.alt is None and not m.is_range)
    sample = text[:US_ORDER_SAMPLE]
    us_order = len(_MONTH_FIRST.findall(sample)) > len(_DAY_FIRST.findall(sample))
    out = {}
    for i, ms in per_para.items():
        for m in ms:
            if m.alt is None:
                continue
            if plain[m.alt] > plain[m.iso] or (not plain[m.iso] and not plain[m.alt] and us_order):
                out[i, m.start] = m.alt
            else:
                out[i, m.start] = m.iso
    return out


def _partial_dateline(p: str) -> tuple[int, int, str | None] | None:
    """(month, day, place) of a dateline with no year: "VIENNA, 13 October (UN Information
    Service) -"."""
    m = _PARTIAL_DATELINE.match(p)
    md = day_month(m["date"]) if m else None
    return (*md, place_name(m["place"])) if md else None


def _with_year(month: int, day: int, reference: str) -> str | None:
    """The day `month`/`day` on or before the reference date, within a year of it."""
    ref = _date.fromisoformat(reference)
    for year in (ref.year, ref.year - 1):
        try:
            d = _date(year, month, day)
        except ValueError:
            continue
        if (ref - d).days >= -7:  # a release can carry a dateline a little after its posting
            return d.isoformat()
    return None


def document_date(text: str, paras: list[tuple[int, int]], body: int) -> DocDate:
    """The document's date among all it writes; `body` is the index of its first prose paragraph."""
    n = len(paras)
    cands: list[Candidate] = []
    years: list[int] = []
    # Past the header and the lede only a short line can be the date, and only near the top or
    # at the very end: a long text (a 50 MB file, 100,000 paragraphs) is not read to its end.
    # Deep inside a long paragraph a date is prose: each paragraph is read up to SCAN_CHARS.
    top = max(HEADER_PARAS, body + LEDE_PARAS)
    scan = sorted(
        set(range(min(n, max(top, MAX_SCAN_PARAS)))) | set(range(max(0, n - TAIL_PARAS), n))
    )
    per_para: dict[int, list[DateMention]] = {}
    for i in scan:
        a, b = paras[i]
        if (i < top or b - a <= SHORT_LINE_CHARS) and _DIGIT.search(
            text, a, min(b, a + SCAN_CHARS)
        ):
            per_para[i] = find_dates(text[a : min(b, a + SCAN_CHARS)])
    readings = _resolve_ambiguous(per_para, text)
    for i, ms in per_para.items():
        p = text[slice(*paras[i])][:SCAN_CHARS]
        for d in ms:
            iso = readings.get((i, d.start), d.iso)
            if d.is_range:
                if i < body:
                    years.append(int(iso[:4]))
                continue
            w = _weight(p, d, i, n, body, text[slice(*paras[i - 1])][:SCAN_CHARS] if i else "")
            if w is not None:
                cands.append(Candidate(iso, w, i, d))
    # Several different date lines are a list (of events, of related stories), not the
    # document's date; a header may give two (posted, issued), the body and the end one.
    for weight, most in ((HEADER_LINE, 2), (BODY_LINE, 1), (TAIL_LINE, 1)):
        if len({c.iso for c in cands if c.weight == weight}) > most:
            cands = [c for c in cands if c.weight != weight]
    # A lede date counts only when the text gives the same day a second time.
    counts = Counter(c.iso for c in cands) + Counter(
        d.iso for i, ms in per_para.items() if i < body + LEDE_PARAS for d in ms if not d.is_range
    )
    cands = [c for c in cands if c.weight != LEDE or counts[c.iso] >= 3]
    # A dateline without its year: the year of the best other date the document gives.
    best = max(cands, key=lambda c: (c.weight, -c.para), default=None)
    for i, (a, b) in enumerate(paras[: min(n, max(body + 2, 1), HEADER_PARAS)]):
        found = _partial_dateline(text[a : min(b, a + SCAN_CHARS)])
        if not found or any(c.para == i and c.weight == DATELINE for c in cands):
            continue
        month, day, place = found
        if best is not None and (iso := _with_year(month, day, best.iso)):
            return DocDate(iso, int(iso[:4]), dateline=True, place=place)
        return DocDate(None, years[0] if years else None, dateline=True, place=place)
    opens = any(
        c.weight == DATELINE
        and len(text[slice(*paras[c.para])][c.mention.end : SCAN_CHARS].split()) > LINE_WORDS
        for c in cands
    )
    if best is not None:
        place = _dateline_place(text, paras, best) if best.weight == DATELINE else None
        return DocDate(best.iso, int(best.iso[:4]), dateline=opens, place=place)
    return DocDate(None, years[0] if years else None, dateline=opens)


_YEAR = re.compile(r"(?<![\d(/])(19[89]\d|20[0-4]\d)(?![\d)/])")


def text_year(text: str, paras: list[tuple[int, int]], body: int, doc_type: str) -> int | None:
    """The year an undated document is from, where its text makes it clear: a year in its
    heading ("2014 OSCE-wide Counter-Terrorism Conference", "2022年秘书长致辞"), else, for a report
    (news, press release), the latest full date its lede reports ("On Tuesday, 12 September
    2023, ..."). Speeches and pages recall any past day, so their prose is not evidence; nor are
    years in citations ("resolution 1373 (2001)", "S/2015/338")."""
    for a, b in paras[:body]:
        if m := _YEAR.search(text, a, min(b, a + SCAN_CHARS)):
            return int(m.group(1))
    if doc_type not in REPORT_TYPES:
        return None
    lede = [
        d.iso
        for a, b in paras[body : body + LEDE_PARAS]
        for d in find_dates(text[a : min(b, a + SCAN_CHARS)])
    ]
    return int(max(lede)[:4]) if lede else None
