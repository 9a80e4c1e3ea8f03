"""Document metadata: title, type, date, place, conference, speakers, read from the cleaned text.

The cleaned text (ingest.clean_text) has one paragraph per line. Its top is a *header*: type
labels ("PRESS RELEASE"), conference banners, the title, datelines ("New York, 29 June 2018"),
navigation lines. The header ends at the first paragraph of prose (or the prose that follows an
inline dateline, "New York, 29 June 2018 – The conference concluded ..."). Header paragraphs,
dateline prefixes and footer boilerplate ("Contact: ...", "Follow us on Twitter ...") are
metadata, not passages: `DocMeta.skip` and `DocMeta.body_start` tell passages.py where prose is.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path
from typing import Any

from ctsearch.documents.bylines import find_voice
from ctsearch.documents.conferences import canonical_conference, conference_year
from ctsearch.documents.dates import match_dateline, parse_partial_date, place_name
from ctsearch.documents.docdate import document_date, text_year
from ctsearch.documents.doctypes import classify
from ctsearch.documents.people import People, toml_error_message
from ctsearch.documents.sentences import line_spans
from ctsearch.errors import MetadataError
from ctsearch.models import DOC_TYPES

__all__ = [
    "DocMeta",
    "People",
    "canonical_conference",
    "extract_metadata",
    "paragraph_spans",
    "parse_partial_date",
    "read_sidecar",
]

MAX_HEADER = 12  # paragraphs scanned for title, labels and datelines
PROSE_WORDS = 30  # a paragraph this long is prose even without final punctuation
SPEECH_TYPES = ("speech", "statement", "message")


@dataclass(frozen=True)
class DocMeta:
    """What a document says about itself. `skip`/`body_start` locate its prose."""

    title: str
    doc_type: str
    date: str | None  # YYYY-MM-DD
    year: int | None
    place: str | None
    conference: str | None
    speakers: tuple[str, ...] = ()  # the document's own voice (title, byline, signature)
    url: str | None = None
    readers: tuple[str, ...] = ()  # people who read out another's words: mentioned, not speakers
    skip: frozenset[int] = frozenset()  # indices (in paragraph_spans) that are not prose
    body_start: int = 0  # character offset where prose begins (after header and dateline)

    @property
    def on_date(self) -> str | None:
        """The date its offices are resolved with (see office_date)."""
        return office_date(self.date, self.year)


def office_date(date: str | None, year: int | None) -> str | None:
    """The date a document's offices ("the Secretary-General") are resolved with: its day, else
    its year; None when it states neither (then no office holder is guessed)."""
    return date or (str(year) if year else None)


# ------------------------------------------------------------------------------ layout
_LABELS = {
    "press release": "press_release", "news release": "press_release",
    "media release": "press_release", "media advisory": "press_release",
    "note to correspondents": "press_release", "press statement": "statement",
    "statement": "statement", "statements": "statement", "message": "message",
    "messages": "message", "remarks": "speech", "speech": "speech", "speeches": "speech",
    "news": "news", "un news": "news", "news story": "news",
    "meetings coverage": "press_release",
    "feature": "news", "story": "news",
}  # fmt: skip
_SPEECH_WORDS = r"remarks|address|speech|keynote|briefing|opening|closing|lecture|toast"
_TITLE_CUES = [
    (re.compile(r"\bpress release\b", re.I), "press_release"),
    (re.compile(r"^(?:joint\s+)?statement\b|\bstatement (?:by|of|from|attributable)\b", re.I),
     "statement"),
    (re.compile(r"^message\b|\bmessage (?:of|from|by|to|for|on)\b|['’]s message\b", re.I),
     "message"),
    (re.compile(rf"\b(?:{_SPEECH_WORDS})\b", re.I), "speech"),
    (re.compile(r"\bstatement\b", re.I), "statement"),
]  # fmt: skip
BOILERPLATE_RE = re.compile(
    r"^[-*•\s]*(?:visit\s*:|visit (?:us|our|the (?:website|page)|www\.|https?:)"
    r"|contact\s*:|contact (?:us\b|the \S.{0,60}?(?:\bat\b|@))"
    r"|follow (?:us\b|the conversation|#|@|on (?:twitter|facebook|x\b|instagram|linkedin))"
    r"|for (?:more|further) information\b|more information is available\b"
    r"|media (?:contact|inquiries|enquiries)\b|(?:tel|phone|e-?mail|website|twitter|facebook)\s*:"
    r"|for immediate release|for (?:the )?use of (?:the )?information media|not an official record"
    r"|meetings coverage and press releases|subscribe\b|share this\b"
    r"|global perspective human stories|\*{3}\s*$|#+\s*$|-{3,}\s*$"
    r"|(?:https?://|www\.)\S+$|[\w.+-]+@[\w.-]+$|page \d+(?: of \d+)?$|\d{1,3}$"
    r"|check against delivery|\[?as delivered\]?$|\[?embargoed\b"
    r"|[A-Z]{1,5}(?:/[A-Z0-9.\-]+){1,4}$)",
    re.IGNORECASE,
)
# A scraped page's metadata carried into its text, opening a line: "date 2020-08-18 NEW YORK, 17
# August (...) — The ...". It is a paragraph of its own (a date label), so that every rule reads
# what follows it as the line it is.
_META_MARKER = re.compile(r"(?P<marker>date\s+\d{4}-\d{2}-\d{2})(?:\s+|$)", re.I)
_LINK_RE = re.compile(r"(?:^|(?<=\s))(?:https?://|www\.|[@#])\S*|\S+@\S+\.\w+")
_ORG_BANNERS = {"united nations", "un", "unoct", "office of counter-terrorism", "nations unies"}


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of a cleaned text: its lines (sentences.line_spans), with
    a metadata marker opening one of the first lines ("date 2020-08-18 ...") a paragraph apart."""
    spans = line_spans(text)
    out: list[tuple[int, int]] = []
    for a, b in spans[:MAX_HEADER]:
        m = _META_MARKER.match(text, a, b)
        if m and m.end() < b:
            out += [(a, m.end("marker")), (m.end(), b)]
        else:
            out.append((a, b))
    return out + spans[MAX_HEADER:]


def _is_prose(p: str) -> bool:
    stripped = p.rstrip("”\"’')]*_ ")
    # split(None, N) stops after N cuts: N + 1 pieces mean more than N words.
    return len(p.split(None, PROSE_WORDS)) > PROSE_WORDS or stripped[-1:] in ".!?:;,"


def is_boilerplate(p: str) -> bool:
    """Page furniture and contact lines: not passages of prose."""
    if BOILERPLATE_RE.match(p.strip()) and len(p.split()) <= 40:
        return True
    if not ("@" in p or "#" in p or "http" in p or "www." in p):
        return False  # every _LINK_RE match holds one of these: most prose has none
    links = len(_LINK_RE.findall(p))
    return links > 0 and links * 2 >= len(p.split())


def _label(p: str) -> str | None:
    key = re.sub(r"[^a-z ]+", " ", p.lower())
    return _LABELS.get(" ".join(key.split()))


@dataclass
class _Dateline:
    """A dateline candidate: the paragraph it is in, its place, how much to trust it."""

    index: int
    place: str | None
    priority: int


@dataclass
class Layout:
    """A document's paragraphs and what its opening lines say: title, label, place."""

    paras: list[tuple[int, int]]
    skip: set[int]
    body_start: int
    first_prose: int  # the paragraph body_start is in (0 when the text is all header)
    title: str
    label: str | None
    place: str | None
    header_text: str
    inline_dateline: bool  # the body starts inside a paragraph, after "Place, Date –"


def analyse_layout(text: str) -> Layout:
    """Find the header (labels, title, datelines) and the furniture of a cleaned text."""
    paras = paragraph_spans(text)
    kinds: dict[int, str] = {}
    datelines: list[_Dateline] = []
    label = None
    title_idx: list[int] = []
    body, body_start = len(paras), len(text)
    for i, (a, b) in enumerate(paras[:MAX_HEADER]):
        p = text[a:b]
        if _META_MARKER.fullmatch(p):
            kinds[i] = "dateline"  # read by docdate as a date label
            continue
        if _label(p):
            label = label or _LABELS[" ".join(re.sub(r"[^a-z ]+", " ", p.lower()).split())]
            kinds[i] = "label"
            continue
        dl = match_dateline(p)
        if dl:
            place, _, is_range, prefix, rest = dl
            datelines.append(_Dateline(i, place, 3 if place else (1 if is_range else 2)))
            if rest and prefix < len(p):
                body, body_start = i, a + prefix
                break
            kinds[i] = "dateline"
            continue
        if is_boilerplate(p):
            kinds[i] = "furniture"
            continue
        after_label = [k for k in kinds.values() if k not in ("furniture",)][-1:] == ["label"]
        if after_label and not title_idx:
            kinds[i] = "title"
            title_idx.append(i)
            continue
        if _is_prose(p):
            body, body_start = i, a
            break
        kinds[i] = "other"
    # A place alone on its line, right before a date alone on its line ("New York" / "29 June").
    for d in datelines:
        if d.place is None and kinds.get(d.index - 1) == "other":
            a, b = paras[d.index - 1]
            if len(text[a:b].split()) <= 5 and not re.search(r"\d", text[a:b]):
                d.place, d.priority = place_name(text[a:b]), 3
                kinds[d.index - 1] = "place"
    # A title wrapped onto the next line ("... as Second Counter-Terrorism" / "Week concludes").
    if title_idx and not _is_prose(text[slice(*paras[title_idx[0]])]):
        j = title_idx[-1] + 1
        while kinds.get(j) == "other" and j + 1 < len(paras) and kinds.get(j + 1, "") != "other":
            title_idx.append(j)
            kinds[j] = "title"
            j += 1
    others = [i for i, k in sorted(kinds.items()) if k == "other" and i < body]
    if not title_idx and others:
        cued = [
            i for i in others if any(rx.search(text[slice(*paras[i])]) for rx, _ in _TITLE_CUES)
        ]
        plain = [
            i
            for i in others
            if len(text[slice(*paras[i])].split()) >= 2
            and text[slice(*paras[i])].strip().lower() not in _ORG_BANNERS
        ]
        title_idx = [(cued or plain or others)[0]]
    if body == len(paras) and paras:
        # No prose within the first paragraphs (a list, a text without final punctuation):
        # only the title, labels and datelines are header; everything after them is body.
        meta = title_idx + [k for k, v in kinds.items() if v in ("label", "dateline", "place")]
        body = max(meta, default=-1) + 1
        body_start = paras[body][0] if body < len(paras) else len(text)
    title = " ".join(text[slice(*paras[i])] for i in title_idx)
    if not title:
        first = text[body_start : paras[body][1]] if body < len(paras) else ""
        words = first.split()
        title = " ".join(words[:15]) + ("…" if len(words) > 15 else "")
    skip = set(range(min(body, len(paras))))
    skip |= {i for i in range(body, len(paras)) if is_boilerplate(text[slice(*paras[i])])}
    # A dateline alone at the very end (statements often close with "New York, 15 March").
    for i in range(max(body + 1, len(paras) - 2), len(paras)):
        dl = match_dateline(text[slice(*paras[i])])
        if dl and not dl[4]:
            skip.add(i)
            if not datelines:
                datelines.append(_Dateline(i, dl[0], 0))
    best = max(datelines, key=lambda d: (d.priority, -d.index), default=None)
    header_text = "\n".join(text[slice(*paras[i])] for i in sorted(skip) if i < body)
    return Layout(
        paras=paras,
        skip=skip,
        body_start=body_start,
        first_prose=body if body < len(paras) else 0,
        title=title.strip(),
        label=label,
        place=(best.place if best else None),
        header_text=header_text,
        inline_dateline=body < len(paras) and body_start > paras[body][0],
    )


def extract_metadata(text: str, *, people: People) -> DocMeta:
    """Title, type, date, place, conference and document speakers of a cleaned text.

    Document speakers: the voice its title, byline or signature names (bylines.py); for types
    other than speech/statement/message passages.py adds who is quoted and reported."""
    layout = analyse_layout(text)
    found = document_date(text, layout.paras, layout.first_prose)
    date = found.date
    body = text[layout.body_start :]
    doc_type = classify(
        text,
        layout.paras,
        layout.first_prose,
        title=layout.title,
        label=layout.label,
        inline_dateline=layout.inline_dateline,
        dated=date is not None,
        dateline=found.dateline,
    )
    year = int(date[:4]) if date else None
    conference = canonical_conference(f"{layout.title}\n{layout.header_text}\n{body}", year)
    if year is None:
        year = found.year or text_year(text, layout.paras, layout.first_prose, doc_type)
    if (
        year is None
        and conference
        and _named_in(conference, f"{layout.title}\n{layout.header_text}")
    ):
        year = conference_year(conference)
    voice = find_voice(layout.title, text, people, office_date(date, year))
    return DocMeta(
        title=layout.title,
        doc_type=doc_type,
        date=date,
        year=year,
        place=layout.place or found.place,
        conference=conference,
        speakers=voice.speakers,
        readers=voice.readers,
        skip=frozenset(layout.skip),
        body_start=layout.body_start,
    )


def _named_in(conference: str, header: str) -> bool:
    """Whether the document's heading names the conference (its year is then the document's):
    a conference only mentioned in the prose may be long past or still to come."""
    return canonical_conference(header, None) == conference


# ------------------------------------------------------------------------------ sidecars
SIDECAR_KEYS = ("title", "date", "doc_type", "place", "conference", "speakers", "url", "year")


def read_sidecar(path: Path) -> dict[str, Any]:
    """The fields a NAME.meta.toml states, validated; raises MetadataError("path:line: ...")."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise MetadataError(f"{path}: cannot read the sidecar: {exc}") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise MetadataError(toml_error_message(path, exc, raw)) from None

    def fail(key: str, what: str) -> MetadataError:
        m = re.search(rf"^[ \t]*{re.escape(key)}[ \t]*=", raw, re.MULTILINE)
        line = raw.count("\n", 0, m.start()) + 1 if m else 1
        return MetadataError(f"{path}:{line}: {what}")

    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in SIDECAR_KEYS:
            raise fail(key, f"unknown key {key!r} (known: {', '.join(SIDECAR_KEYS)})")
        if key == "speakers":
            value = [value] if isinstance(value, str) else value
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise fail(key, "speakers must be a list of names")
            out[key] = [v.strip() for v in value if v.strip()]
        elif key == "date":
            if isinstance(value, _date):
                out[key] = value.isoformat()[:10]
            elif isinstance(value, str) and (not value.strip() or parse_partial_date(value)):
                out[key] = parse_partial_date(value) if value.strip() else None
            else:
                raise fail(key, f"date {value!r} is not a date (use YYYY-MM-DD)")
        elif key == "year":
            if not isinstance(value, int) or not 1900 <= value <= 2100:
                raise fail(key, "year must be a number such as 2023")
            out[key] = value
        elif not isinstance(value, str):
            raise fail(key, f"{key} must be a string")
        elif key == "doc_type" and value not in DOC_TYPES:
            raise fail(key, f"doc_type {value!r} is not one of {', '.join(DOC_TYPES)}")
        else:
            out[key] = value.strip() or None
    return out
