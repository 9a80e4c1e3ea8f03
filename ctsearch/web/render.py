"""What the templates need beyond plain values: highlighted passages, safe links, chart bars.

Everything that came from a document or a user is escaped (Jinja2 autoescape, and `Markup`
built here only from escaped pieces) and stripped of control characters and bidirectional
overrides, as the terminal output is (output.safe).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from ctsearch.output import MARK, marked_spans, safe

CHART_WIDTH = 640  # the trend chart's viewBox, in user units (it scales to its box)
CHART_LABELS = 170  # width of the bucket labels, left of the bars
CHART_VALUES = 60  # room right of the longest bar for its value
CHART_ROW = 24  # height of one bucket's row
CHART_LABEL_CHARS = 24  # a bucket label longer than this is cut (the table has it whole)


def clean(value: Any) -> Any:
    """Jinja2's `finalize`: every string printed into a page loses its control characters."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return safe(value)
    return value


def spans(text: str, highlight: str) -> list[tuple[int, int]]:
    """The marked spans of `text` in its `highlight`. Splitting on the marker is enough (and
    fast) when the text itself holds no marker; output.marked_spans, which walks both strings
    a character at a time, sorts out the rest."""
    parts = highlight.split(MARK)
    if MARK in text or len(parts) % 2 == 0 or "".join(parts) != text:
        return marked_spans(text, highlight)
    out, pos = [], 0
    for i, part in enumerate(parts):
        if i % 2:
            out.append((pos, pos + len(part)))
        pos += len(part)
    return out


def highlighted(text: str, highlight: str) -> Markup:
    """The passage as HTML: escaped, with the matches the search marked in `<mark>`."""
    found = spans(text, highlight)
    # Indexed text has had its control characters removed already: cleaning it again piece by
    # piece is only needed when it still holds some.
    clean_piece = (lambda piece: piece) if safe(text) == text else safe
    pieces = []
    pos = 0
    for a, b in found:
        pieces.append(str(escape(clean_piece(text[pos:a]))))
        pieces.append(f"<mark>{escape(clean_piece(text[a:b]))}</mark>")
        pos = b
    pieces.append(str(escape(clean_piece(text[pos:]))))
    return Markup("".join(pieces))


DIFF_MARKS = {  # how each run of a quote's alignment with its source is shown: tag, title
    "missing": ("del", "left out of the quote"),
    "added": ("ins", "added by the quote"),
    "omitted": ("s", "cut where the quote has an ellipsis"),
    "moved": ("i", "the quote has these words elsewhere"),
}


def diff_html(parts: Sequence[dict[str, str]]) -> Markup:
    """A quote's alignment with its source, as the source reads: words left out of the quote
    struck through, words the quote added or changed underlined beside them, words it has
    elsewhere (moved) set apart."""

    def marked(tag: str, title: str, text: str) -> Markup:
        return Markup(f'<{tag} title="{title}">') + escape(safe(text)) + Markup(f"</{tag}>")

    out = []
    for part in parts:
        op, source, said = part.get("op"), part.get("source", ""), part.get("quote", "")
        if op == "changed":
            out.append(marked("del", "in the source", source))
            out.append(marked("ins", "in the quote", said))
        elif op in DIFF_MARKS:
            tag, title = DIFF_MARKS[op]
            out.append(marked(tag, title, said if op == "added" else source))
        else:  # equal (or an op this page does not know: shown as the source reads)
            out.append(escape(safe(source or said)))
    return Markup(" ").join(out)


def link(url: str | None) -> str | None:
    """A document's source address, when it is one a browser may follow (http or https)."""
    if not url:
        return None
    text = safe(url).strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme in ("http", "https") and parts.netloc else None


@dataclass(frozen=True)
class Bar:
    """One bar of a chart, in the SVG's user units."""

    label: str
    short: str  # the label as printed beside the bar
    value: float
    shown: str  # the value as printed at the end of the bar
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int  # where the bars start
    bars: tuple[Bar, ...]


def bar_chart(buckets: Sequence[dict[str, Any]], value: str) -> Chart:
    """Horizontal bars of `buckets[i][value]` (e.g. a trend's rate per 1,000 passages), one row
    per bucket in the given order, scaled so that the longest fills the chart. A bucket at
    zero keeps its row (no bar, its value printed): gaps in a year range stay visible."""
    area = CHART_WIDTH - CHART_LABELS - CHART_VALUES
    top = max((float(b.get(value) or 0) for b in buckets), default=0.0)
    bars = []
    for i, b in enumerate(buckets):
        v = float(b.get(value) or 0)
        label = safe(str(b.get("key")))
        cut = CHART_LABEL_CHARS
        bars.append(
            Bar(
                label=label,
                short=label if len(label) <= cut else label[: cut - 1] + "…",
                value=v,
                shown=f"{v:,.1f}" if v % 1 else f"{v:,.0f}",
                y=i * CHART_ROW,
                width=round((v / top) * area, 2) if top > 0 else 0.0,
                height=CHART_ROW - 6,
            )
        )
    return Chart(
        width=CHART_WIDTH,
        height=max(1, len(bars)) * CHART_ROW,
        left=CHART_LABELS,
        bars=tuple(bars),
    )
