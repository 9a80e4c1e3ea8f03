"""A paged document's pages → its text: page furniture out, paragraphs across page and column
breaks.

A PDF reader (`corpus/formats/pdf.py`) gives each page as lines, "" where a vertical gap
separates paragraphs and COLUMN_BREAK where the text goes on at the top of the next column.
Lines that recur at the top or bottom edges of many pages are running headers and footers
(what `lines.running_headers` finds in a text that lost its pages, found here by position);
page numbers go too. The lines between paragraph gaps are joined as `unwrap` joins a wrapped
line (hyphenated words mended by the document's own vocabulary).
"""

from __future__ import annotations

import re
from collections import Counter

from ctsearch.corpus.clean.lines import (
    HEADER_MAX_CHARS,
    ends_clause,
    ends_open,
    ends_sentence,
    is_furniture,
    is_hard_start,
    starts_lower,
)
from ctsearch.corpus.clean.unwrap import FULL_LINE, Vocabulary, append_line, continues_sentence

__all__ = ["COLUMN_BREAK", "join_pages"]


EDGE_LINES = 3  # lines at the top and at the bottom of a page that may be running furniture
EDGE_SHARE = 0.5  # ... a line recurring at the edges of this share of the pages (2 at least)
FRAME_WIDTH_QUANTILE = 0.75  # a page's or column's width: this quantile of its line lengths
COLUMN_BREAK = "\f"  # in a page's lines: the text goes on at the top of the next column
_DIGITS = re.compile(r"\d+")


def join_pages(pages: list[list[str]]) -> str:
    """The text of a paged document (a PDF's pages as lines, "" where a vertical gap separates
    paragraphs, COLUMN_BREAK between columns), page furniture taken out, paragraphs rebuilt.

    Furniture: page numbers, and running headers and footers — short lines that recur at the
    top or bottom of many pages, page numbers inside them ("Statement — page 3") counting as
    the same line. When the pages show paragraph gaps, the gaps are the paragraph breaks: the
    lines between them are joined (hyphenated words mended by the document's vocabulary),
    and a paragraph goes on across a page or column break only mid-sentence. Without any gap
    the lines are returned as they are, for `unwrap.plain_paragraphs` to read the layout.
    """
    count: Counter[str] = Counter()
    for page in pages:
        count.update({_edge_key(s) for s in _edges(page)})
    need = max(2, int(EDGE_SHARE * len(pages) + 0.5))
    running = {key for key, n in count.items() if n >= need}
    bodies = [_page_body(page, running) for page in pages]
    if not any(s == "" for body in bodies for s in body):
        return "\n".join(s for body in bodies for s in body if s != COLUMN_BREAK)
    vocab = Vocabulary("\n".join(s for body in bodies for s in body))
    paras: list[list[str]] = []
    last, width = "", 0  # the open paragraph's last line ("" after a gap), its frame's width
    for body in bodies:
        for frame in _frames(body):
            # The frame's (page's or column's) line width: most lines of prose reach it.
            lengths = sorted(len(s) for s in frame if s)
            fresh = True  # at the top of a page or column
            for s in frame:
                if not s:
                    last = ""
                    continue
                if last and not is_hard_start(s) and (not fresh or _goes_on(last, s, width)):
                    append_line(paras[-1], s, vocab)
                else:
                    paras.append([s])
                last, fresh = s, False
            if lengths:
                width = lengths[int(len(lengths) * FRAME_WIDTH_QUANTILE)]
    return "\n\n".join("".join(parts) for parts in paras)


def _frames(body: list[str]) -> list[list[str]]:
    """A page body cut at its column breaks."""
    frames: list[list[str]] = [[]]
    for s in body:
        if s == COLUMN_BREAK:
            frames.append([])
        else:
            frames[-1].append(s)
    return [f for f in frames if f]


def _goes_on(last: str, s: str, width: int) -> bool:
    """After a page or column break, does line `s` continue the paragraph ending with `last`
    (`width`: the usual line length where `last` stands)?

    Mid-sentence it does: a lower-case start, a hyphen, a comma or "the" at the end, a line that
    stops without a full stop and is not short (a heading is) or is short only because the next
    line's first word would not have fitted on it. After a sentence end it does not.
    """
    if continues_sentence(last, s):
        return True
    if ends_sentence(last):
        # Ambiguous; a break costs nothing, a wrong join can merge speakers. Measured on the
        # 1,000-page benchmark corpus, joining after a full last line makes more errors.
        return False
    if starts_lower(s) or ends_open(last):
        return True
    fits = len(last) + 1 + len(s.split(None, 1)[0])
    return not ends_clause(last) and width > 0 and max(len(last) / FULL_LINE, fits) >= width


def _page_body(page: list[str], running: set[str]) -> list[str]:
    """A page's lines (stripped) without the furniture at its top and bottom edges."""
    lines = [s.strip() if s != COLUMN_BREAK else s for s in page]

    def furniture(s: str) -> bool:
        return not s or s == COLUMN_BREAK or is_furniture(s) or _edge_key(s) in running

    lo, hi = 0, len(lines)
    for _ in range(EDGE_LINES):  # from the top edge inwards
        while lo < hi and lines[lo] in ("", COLUMN_BREAK):
            lo += 1
        if lo < hi and furniture(lines[lo]):
            lo += 1
    for _ in range(EDGE_LINES):  # from the bottom edge inwards
        while hi > lo and lines[hi - 1] in ("", COLUMN_BREAK):
            hi -= 1
        if hi > lo and furniture(lines[hi - 1]):
            hi -= 1
    return lines[lo:hi]


def _edges(page: list[str]) -> list[str]:
    lines = [s.strip() for s in page if s.strip()]  # COLUMN_BREAK is whitespace: left out
    edge = lines if len(lines) <= 2 * EDGE_LINES else lines[:EDGE_LINES] + lines[-EDGE_LINES:]
    return [s for s in edge if len(s) <= HEADER_MAX_CHARS]


def _edge_key(s: str) -> str:
    return _DIGITS.sub("#", " ".join(s.split()).lower())
