"""Dates in free text and datelines: "29 June 2018", "June 19, 2023", "19–20 JUNE 2023",
"New York, 29 June 2018 – ...". Also used by the search filters (parse_partial_date)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as _date
from functools import lru_cache

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
# A month's name or abbreviation (lowercase: compile with re.I).
MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|satur|sun)(?:day)?\.?,?\s+)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_RANGE = r"\s*(?:[-–—]|to|and|&)\s*"
_DMY = (
    rf"{_WEEKDAY}?(?:(?P<d1>{_DAY})(?:\s+(?P<m1>{MONTH})\.?)?{_RANGE}{_WEEKDAY}?)?"
    rf"(?P<d>{_DAY})\s+(?P<m>{MONTH})\.?,?\s+(?P<y>\d{{4}})"
)
_MDY = (
    rf"{_WEEKDAY}?(?P<m2>{MONTH})\.?\s+(?:(?P<d3>{_DAY}){_RANGE})?"
    rf"(?P<d2>{_DAY})(?:,\s*|\s+)(?P<y2>\d{{4}})"
)
_ISO = r"(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d4>\d{2})"
DATE_RE = re.compile(rf"(?<!\d)(?:{_DMY}|{_MDY}|{_ISO})(?!\d)", re.IGNORECASE)
_PLACE_WORDS = r"(?-i:[A-Z])[A-Za-z\u00c0-\u024f.'’ \-]"  # capitalised even under re.I
_PLACE = rf"{_PLACE_WORDS}{{1,40}}?(?:,\s*{_PLACE_WORDS}{{1,30}}?)?"
DATELINE_RE = re.compile(
    rf"^[(*_\s]*(?:(?P<place>{_PLACE})\s*[,–—]\s*)?(?P<date>{DATE_RE.pattern})[\s*_]*\)?"
    r"\s*(?:(?P<sep>\([^)]{0,60}\)\s*[-–—:]+|[-–—:]+)\s*)?(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)


def _num(s: str) -> int:
    return int(re.match(r"\d+", s).group(0))


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return _date(y, m, d).isoformat()
    except ValueError:
        return None


def _date_from_match(m: re.Match) -> tuple[str | None, bool]:
    """(ISO date, is_range) of a DATE_RE match; a range gives its last day."""
    g = m.groupdict()
    if g.get("y"):
        return _iso(int(g["y"]), _MONTHS[g["m"].lower()], _num(g["d"])), bool(g.get("d1"))
    if g.get("y2"):
        return _iso(int(g["y2"]), _MONTHS[g["m2"].lower()], _num(g["d2"])), bool(g.get("d3"))
    return _iso(int(g["y3"]), int(g["m3"]), int(g["d4"])), False


def parse_date(s: str) -> str | None:
    """The first full date in free text as YYYY-MM-DD ("29 June 2018", "June 19, 2023",
    "19–20 JUNE 2023" → its last day, "2023-06-20"); None if there is none."""
    for m in DATE_RE.finditer(s or ""):
        iso, _ = _date_from_match(m)
        if iso:
            return iso
    return None


def parse_partial_date(s: str) -> str | None:
    """Like parse_date, but also "2023" → "2023" and "June 2023"/"2023-06" → "2023-06"."""
    s = (s or "").strip()
    full = parse_date(s)
    if full:
        return full
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", s):
        return f"{m.group(1)}-{int(m.group(2)):02d}" if 1 <= int(m.group(2)) <= 12 else None
    if m := re.fullmatch(rf"({MONTH})\.?,?\s+(\d{{4}})", s, re.IGNORECASE):
        return f"{m.group(2)}-{_MONTHS[m.group(1).lower()]:02d}"
    if re.fullmatch(r"\d{4}", s):
        return s
    return None


def place_name(place: str | None) -> str | None:
    """ "NEW YORK" → "New York"; "New York, NY" → "New York" (a state's code adds nothing)."""
    place = re.sub(r",\s*[A-Z]{2}\.?$", "", (place or "").strip(" ,.–—-"))
    if place.isupper():
        place = " ".join(w.capitalize() for w in place.split())
    return place or None


def match_dateline(p: str) -> tuple[str | None, str | None, bool, int, str] | None:
    """(place, date, is_range, prefix length, rest) when paragraph `p` opens with a dateline."""
    m = DATELINE_RE.match(p)
    if not m:
        return None
    dm = DATE_RE.match(m.group("date"))
    iso, is_range = _date_from_match(dm)
    place = place_name(m.group("place"))
    if place and re.fullmatch(_WEEKDAY.rstrip("?"), place + " ", re.IGNORECASE):
        place = None
    rest = m.group("rest").strip()
    if rest and not m.group("sep") and len(rest.split()) > 8:
        return None  # "29 June 2018 marked the ..." is a sentence, not a dateline
    return place, iso, is_range, m.start("rest") if m.group("sep") else len(p), rest


# ------------------------------------------------------------------------------ all dates in a text
# The forms a document's own date is written in besides DATE_RE's: "28-Mar-2023", "13.04.2011",
# "(02/12/2015)", "2022年8月21日", and day-month-year with a month name in another language
# ("14 Febrero 2007", "9 settembre 2021"), named as dateparser's language data names them.
_DMY_ABBR_RE = re.compile(rf"(?<![\w-])(?P<d>\d{{1,2}})-(?P<m>{MONTH})-(?P<y>\d{{4}})(?!\d)", re.I)
_NUMERIC_RE = re.compile(
    r"(?<![\w./-])(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\w/-])"
)
_CJK_RE = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]")
_FOREIGN_RE = re.compile(
    r"(?<![\w-])(?P<d>\d{1,2})(?:er|º|°|\.)?\s+(?:de\s+|di\s+)?(?P<m>[^\W\d_]{3,12})\.?,?\s+"
    r"(?:de\s+|del\s+)?(?P<y>\d{4})(?!\d)"
)
FOREIGN_LANGUAGES = ("es", "fr", "it", "pt", "de", "nl")  # whose month names are read
_ENGLISH_MONTHS = (
    "january february march april may june july august september october november december"
).split()
# The first letters of those languages' month names: other words never load dateparser.
_FOREIGN_MONTH_STARTS = frozenset(
    "ene feb mar abr may jun jul ago sep set oct out nov dic "
    "jan fev fév avr mai jui aou aoû déc dec gen apr mag giu lug ott "
    "mär mae okt dez mrt mei aug jän maa mrz".split()
)


@dataclass(frozen=True)
class DateMention:
    """A full date written somewhere in a text; `alt` is the other reading of an ambiguous
    numeric date ("02/12/2015": 2 December or, in US order, 12 February)."""

    start: int
    end: int
    iso: str
    is_range: bool = False
    alt: str | None = None


def _foreign(day: str, month: str, year: str) -> str | None:
    if month.lower() in _MONTHS:  # "9. September 2021": an English name, German order
        return _iso(int(year), _MONTHS[month.lower()], int(day))
    if month[:3].lower() not in _FOREIGN_MONTH_STARTS:
        return None
    number = foreign_months().get(month.lower().rstrip("."))
    return _iso(int(year), number, int(day)) if number else None


@lru_cache(maxsize=1)
def foreign_months() -> dict[str, int]:
    """Month names and abbreviations of FOREIGN_LANGUAGES → month number, from dateparser's
    language data (its parser is not used: building its time-zone tables alone costs more
    than reading our documents)."""
    from dateparser.languages import default_loader  # only for a text with such a name

    out: dict[str, int] = {}
    for lang in FOREIGN_LANGUAGES:
        info = default_loader.get_locale(lang).info
        for number, month in enumerate(_ENGLISH_MONTHS, start=1):
            for name in info.get(month, []):
                out.setdefault(name.lower().rstrip("."), number)
    return out


def find_dates(text: str) -> list[DateMention]:
    """Every full date written in `text`, in order of position (overlaps: the first form wins)."""
    found: list[DateMention] = []
    for m in DATE_RE.finditer(text):
        iso, is_range = _date_from_match(m)
        if iso:
            found.append(DateMention(m.start(), m.end(), iso, is_range))
    for m in _DMY_ABBR_RE.finditer(text):
        if iso := _iso(int(m["y"]), _MONTHS[m["m"].lower()], int(m["d"])):
            found.append(DateMention(m.start(), m.end(), iso))
    for m in _NUMERIC_RE.finditer(text):
        a, b, y = int(m["a"]), int(m["b"]), int(m["y"])
        dmy, mdy = _iso(y, b, a), _iso(y, a, b)
        if m["sep"] == ".":  # 13.04.2011: day first, as everywhere dots are used
            mdy = None
        if dmy or mdy:
            found.append(
                DateMention(m.start(), m.end(), dmy or mdy, alt=mdy if dmy and mdy != dmy else None)
            )
    for m in _CJK_RE.finditer(text):
        if iso := _iso(int(m["y"]), int(m["m"]), int(m["d"])):
            found.append(DateMention(m.start(), m.end(), iso))
    for m in _FOREIGN_RE.finditer(text):
        if 1 <= int(m["d"]) <= 31 and (iso := _foreign(m["d"], m["m"], m["y"])):
            found.append(DateMention(m.start(), m.end(), iso))
    out: list[DateMention] = []
    for d in found:  # the order above is the order of trust when two forms overlap
        if not any(o.start < d.end and d.start < o.end for o in out):
            out.append(d)
    return sorted(out, key=lambda d: d.start)


_DAY_MONTH_RE = re.compile(
    rf"(?:{_WEEKDAY})?(?:(?P<d>{_DAY})\s+(?P<m>{MONTH})|(?P<m2>{MONTH})\.?\s+(?P<d2>{_DAY}))"
    r"(?![\w-])",
    re.I,
)


def day_month(s: str) -> tuple[int, int] | None:
    """(month, day) of a date written without its year ("8 September", "April 22")."""
    m = _DAY_MONTH_RE.fullmatch(s.strip(" .,"))
    if not m:
        return None
    month = _MONTHS[(m["m"] or m["m2"]).lower()]
    day = _num(m["d"] or m["d2"])
    return (month, day) if _iso(2000, month, day) else None
