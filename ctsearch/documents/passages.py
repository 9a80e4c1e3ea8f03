"""Document → passages: a few sentences each, with stable ids, offsets and speakers.

A passage is one to a few sentences of one paragraph (about TARGET_WORDS words, never more
than MAX_WORDS), so that a hit is quotable on its own. Consecutive short paragraphs (a speech
with one sentence per line) are merged up to the target size. A passage does not end inside
an open quotation when it can avoid it, never splits a sentence (except a single sentence
longer than MAX_WORDS, cut at word boundaries), and never mixes two different speakers.

Ids are `<doc_id>:<ordinal>`, ordinals counted from 0 in document order: they depend only on
the document's own text, so they stay the same when other documents change.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from ctsearch.documents.attribution import Attributor
from ctsearch.documents.metadata import SPEECH_TYPES, DocMeta, is_boilerplate, paragraph_spans
from ctsearch.documents.people import People
from ctsearch.documents.sentences import sentence_spans, word_and_token_counts
from ctsearch.models import Passage

TARGET_WORDS = 120  # a passage grows towards this size
MIN_WORDS = 40  # shorter passages are merged with a neighbouring short paragraph
MAX_WORDS = 150  # hard limit
_CUT_BACKOFF = 0.4  # an overlong sentence is cut at , ; : within the last 40% of a piece
_WORD = re.compile(r"\S+")


@dataclass(slots=True)
class _Unit:
    """A sentence (or a piece of an overlong one) with what chunking needs to know."""

    start: int
    end: int
    words: int
    speakers: list[str]
    mentions: list[str]
    quote_open: bool = False


@dataclass(slots=True)
class _Chunk:
    """A run of sentences on its way to becoming a passage."""

    units: list[_Unit] = field(default_factory=list)
    words: int = 0
    speakers: list[str] = field(default_factory=list)
    heading: bool = False

    def add(self, u: _Unit) -> None:
        self.units.append(u)
        self.words += u.words
        for s in u.speakers:
            if s not in self.speakers:
                self.speakers.append(s)


def _compatible(a: list[str], b: list[str]) -> bool:
    return not a or not b or set(a) == set(b)


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """Pieces of at most MAX_WORDS words of text[start:end], cut at word boundaries in one
    pass; a cut prefers the last , ; : in the final part of a piece."""
    pieces: list[tuple[int, int, int]] = []
    words: list[tuple[int, int]] = []
    for m in _WORD.finditer(text, start, end):
        words.append(m.span())
        if len(words) == MAX_WORDS:
            cut = len(words)
            for k in range(len(words) - 1, int(len(words) * (1 - _CUT_BACKOFF)), -1):
                if text[words[k - 1][1] - 1] in ",;:":
                    cut = k
                    break
            pieces.append((words[0][0], words[cut - 1][1], cut))
            words = words[cut:]
    if words:
        pieces.append((words[0][0], words[-1][1], len(words)))
    return pieces


def _paragraph_units(text: str, a: int, b: int, attributor: Attributor | None) -> list[_Unit]:
    units: list[_Unit] = []
    # Words of skipped sentences between kept ones: a passage is one stretch of text, so they
    # are inside it and count towards its size (MAX_WORDS is a limit on the text shown).
    skipped = 0
    for sa, sb in sentence_spans(text[a:b]):
        s0, s1 = a + sa, a + sb
        sentence = text[s0:s1]
        if is_boilerplate(sentence):  # "Visit: https://…" run on into the last paragraph
            skipped += len(sentence.split()) if units else 0
            continue
        if attributor is not None:
            info = attributor.sentence(sentence)
            speakers, mentions, quote_open = info.speakers, info.mentions, info.quote_open_after
        else:
            speakers, mentions, quote_open = [], [], False
        n, tokens = word_and_token_counts(sentence)
        if tokens > MAX_WORDS:  # tokens >= n: every word is a token
            pieces = _cut_long(text, s0, s1)
            for i, (p0, p1, k) in enumerate(pieces):
                last = i == len(pieces) - 1
                k, skipped = k + skipped, 0
                units.append(_Unit(p0, p1, k, speakers, mentions, quote_open if last else True))
        elif n:
            units.append(_Unit(s0, s1, n + skipped, speakers, mentions, quote_open))
            skipped = 0
    if attributor is not None:
        attributor.end_paragraph()
    return units


def _chunk_paragraph(units: list[_Unit]) -> list[_Chunk]:
    """Group a paragraph's sentences into passages of balanced size near TARGET_WORDS."""
    chunks: list[_Chunk] = []
    cur = _Chunk()
    remaining = sum(u.words for u in units)
    ideal = remaining
    for u in units:
        if cur.units:
            over = cur.words + u.words > MAX_WORDS
            conflict = not _compatible(cur.speakers, u.speakers)
            in_quote = cur.units[-1].quote_open
            full = cur.words + u.words / 2 > ideal and cur.words >= MIN_WORDS / 2
            if over or conflict or (full and not in_quote):
                chunks.append(cur)
                cur = _Chunk()
        if not cur.units:  # a new passage: aim at an even share of what is left
            ideal = remaining / max(1, math.ceil(remaining / TARGET_WORDS))
        cur.add(u)
        remaining -= u.words
    if cur.units:
        chunks.append(cur)
    return chunks


def _merge_paragraphs(paragraphs: list[list[_Chunk]]) -> list[_Chunk]:
    """Join short neighbouring paragraphs (one-sentence lines, headings) into passages."""
    flat: list[tuple[int, _Chunk]] = [(i, c) for i, cs in enumerate(paragraphs) for c in cs]
    out: list[_Chunk] = []
    last_para = -2
    for k, (i, c) in enumerate(flat):
        prev = out[-1] if out else None
        merge = (
            prev is not None
            and i == last_para + 1
            and (prev.speakers == c.speakers or prev.heading or c.heading)
            and prev.words + c.words <= TARGET_WORDS
            and (prev.words < MIN_WORDS or c.words < MIN_WORDS)
        )
        if merge and c.heading and not prev.heading:
            # A heading belongs with the prose it introduces: it joins the passage before it
            # only if that prose will join it too.
            headings, j = c.words, k + 1
            while j < len(flat) and flat[j][0] == flat[j - 1][0] + 1 and flat[j][1].heading:
                headings += flat[j][1].words
                j += 1
            prose = flat[j][1] if j < len(flat) and flat[j][0] == flat[j - 1][0] + 1 else None
            merge = prose is not None and (
                prose.speakers == prev.speakers
                and prev.words + headings + prose.words <= TARGET_WORDS
                and (prev.words + headings < MIN_WORDS or prose.words < MIN_WORDS)
            )
        if merge:
            for u in c.units:
                prev.add(u)
            prev.heading = prev.heading and c.heading
        else:
            out.append(c)
        last_para = i
    return out


def _is_heading(p: str) -> bool:
    # split(None, 12) stops after 12 cuts: 13 pieces mean more than 12 words.
    return len(p.split(None, 12)) <= 12 and p.rstrip('”"’)]*_ ')[-1:] not in ".!?:;,"


def split_passages(
    doc_id: str,
    text: str,
    meta: DocMeta,
    people: People,
    *,
    skip: set[int] | None = None,
    body_start: int | None = None,
) -> list[Passage]:
    """The passages of a cleaned text; `skip` (default meta.skip) lists the paragraph indices
    (as in metadata.paragraph_spans) that are metadata or furniture, not prose, and the prose
    starts at `body_start` (default meta.body_start)."""
    skip = set(meta.skip if skip is None else skip)
    body_start = meta.body_start if body_start is None else body_start
    speech_speakers = list(meta.speakers) if meta.doc_type in SPEECH_TYPES else []
    on_date = meta.on_date
    attributor = None if speech_speakers else Attributor(people, on_date)
    paragraphs: list[list[_Chunk]] = []
    for i, (a, b) in enumerate(paragraph_spans(text)):
        if i in skip or b <= body_start:
            if attributor is not None:
                attributor.reset_continuation()
            paragraphs.append([])
            continue
        a = max(a, body_start)
        units = _paragraph_units(text, a, b, attributor)
        if speech_speakers:
            for u in units:
                u.speakers = speech_speakers
        chunks = _chunk_paragraph(units)
        if len(chunks) == 1 and _is_heading(text[a:b]):
            chunks[0].heading = True
        paragraphs.append(chunks)
    passages = []
    for ordinal, c in enumerate(_merge_paragraphs(paragraphs)):
        start, end = c.units[0].start, c.units[-1].end
        mentions = [m for u in c.units for m in u.mentions if m not in c.speakers]
        passages.append(
            Passage(
                passage_id=f"{doc_id}:{ordinal}",
                doc_id=doc_id,
                ordinal=ordinal,
                text=text[start:end],
                start=start,
                end=end,
                speakers=tuple(c.speakers),
                mentions=tuple(dict.fromkeys(mentions)),
            )
        )
    return passages
