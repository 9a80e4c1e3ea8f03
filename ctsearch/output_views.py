"""The research views' results (quote, trend, kwic) → terminal text, JSON or CSV.

Text from documents is printed without control characters (output.safe); JSON keeps it exact.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ctsearch.output import _style, echoed, safe, to_json

BAR_WIDTH = 30  # characters of the longest bar in a trend table
DIFF_MARKS = {  # word-diff marks in the text output (as `git diff --word-diff` writes them)
    "missing": ("[-", "-]"),
    "omitted": ("[…", "…]"),
    "moved": ("[~", "~]"),
    "added": ("{+", "+}"),
}
DIFF_COLORS = {"missing": "red", "omitted": "bright_black", "added": "green", "moved": "cyan"}


# -- quote ----------------------------------------------------------------------------------


def format_quote(result: Any, *, as_json: bool, color: bool = False) -> str:
    """`ctsearch quote`: each match with its score, citation and the word diff."""
    if as_json:
        return to_json(result.to_dict())
    blocks = []
    for i, m in enumerate(result.matches, 1):
        label = f"{m.score:.0f}/100" + ("" if m.is_match else "  (not a match)")
        head = f"{i}. {safe(m.title) or safe(m.doc_id)}  [{label}]"
        who = ", ".join(safe(s) for s in m.speakers) or "-"
        lines = [
            _style(head, bold=True) if color else head,
            f"   {safe(m.date) or 'undated'} · speakers: {who}   [{safe(m.passage_id)}]",
            "   " + render_diff(m.diff, color=color),
            f"   {safe(m.citation)}",
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def render_diff(diff: Any, *, color: bool = False) -> str:
    """The source's words with the quote's differences marked: [-missing-], {+added+},
    [-changed-]{+to this+}, [… cut at an ellipsis …], [~moved: the quote has them elsewhere~]."""
    out = []
    for part in diff:
        op = part.op
        if op == "equal":
            out.append(safe(part.source))
        elif op == "changed":
            out.append(_mark("missing", part.source, color) + _mark("added", part.quote, color))
        elif op == "added":
            out.append(_mark("added", part.quote, color))
        else:
            out.append(_mark(op, part.source, color))
    return " ".join(x for x in out if x)


def _mark(op: str, text: str, color: bool) -> str:
    a, b = DIFF_MARKS[op]
    marked = f"{a}{safe(text)}{b}"
    return _style(marked, fg=DIFF_COLORS[op]) if color else marked


def quote_summary(result: Any) -> str:
    if result.found:
        n = sum(1 for m in result.matches if m.is_match)
        return f"found: {n} passage(s) score at least {result.threshold:.0f}/100"
    if result.matches:
        best = result.matches[0].score
        return (
            f"not found: no passage is close to the quote (best {best:.0f}/100, "
            f"a match needs {result.threshold:.0f}); the closest are listed above"
        )
    return "not found: no passage shares the quote's words"


# -- trend ----------------------------------------------------------------------------------


def format_trend(result: Any, *, as_json: bool = False, as_csv: bool = False) -> str:
    """`ctsearch trend`: an aligned table with bars for the rate per 1,000 passages."""
    if as_json:
        return to_json(result.to_dict())
    if as_csv:
        return trend_csv(result)
    rows = [(safe(b.key), b) for b in result.buckets]
    if not rows:
        return ""
    keyw = max(len(result.by), *(_width(k) for k, _ in rows))
    top = max((b.per_1000 for _, b in rows), default=0.0) or 1.0
    head = f"{result.by:<{keyw}}  {'matches':>8}  {'docs':>6}  {'passages':>9}  {'per 1000':>9}"
    lines = [head]
    for key, b in rows:
        bar = "█" * round(BAR_WIDTH * b.per_1000 / top) if b.per_1000 else ""
        pad = " " * (keyw - _width(key))
        lines.append(
            f"{key}{pad}  {b.matches:>8}  {b.documents:>6}  {b.passages:>9}  "
            f"{b.per_1000:>9.2f}  {bar}"
        )
    return "\n".join(lines)


def trend_csv(result: Any) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["key", "matches", "documents", "passages", "per_1000"])
    for b in result.buckets:
        w.writerow([b.key, b.matches, b.documents, b.passages, b.per_1000])
    return buf.getvalue().rstrip("\n")


def trend_summary(result: Any) -> str:
    return (
        f"{result.total} matching passage(s) for {echoed(result.query)} "
        f"in {len(result.buckets)} bucket(s) by {result.by}"
    )


# -- kwic -----------------------------------------------------------------------------------


def format_kwic(result: Any, *, as_json: bool, color: bool = False) -> str:
    """`ctsearch kwic`: the match centred in a fixed column, passage id, date, speakers."""
    if as_json:
        return to_json(result.to_dict())
    w = result.width
    out = []
    for line in result.lines:
        left, right = safe(line.left), safe(line.right)
        left = " " * max(0, w - _width(left)) + left
        right = right + " " * max(0, w - _width(right))
        match = safe(line.match)
        match = _style(match, bold=True, fg="yellow") if color else match
        who = ", ".join(safe(s) for s in line.speakers)
        meta = "  ".join(x for x in (safe(line.passage_id), safe(line.date) or "undated", who) if x)
        out.append(f"{left} {match} {right}  {meta}")
    return "\n".join(out)


def kwic_summary(result: Any) -> str:
    shown = len(result.lines)
    more = "" if result.complete else " (more left out: raise --limit, or 0 for all)"
    n = f"{result.passages}" if result.passages_exact else f"at least {result.passages}"
    return f"{shown} line(s) from {n} matching passage(s){more}"


def _width(text: str) -> int:
    """Columns `text` takes on a terminal (wide East Asian characters count two)."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )
