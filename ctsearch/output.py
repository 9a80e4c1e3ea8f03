"""Library results → terminal text or JSON.

Text from documents is printed without control characters; JSON keeps it exact."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ctsearch.models import Document

# The ESC-introduced sequences (CSI, OSC, single-character escapes), then every other C0/C1
# control but newline (a tab becomes a space), then the bidirectional overrides and isolates
# that can make a terminal show text in another order than it is stored ("Trojan Source").
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SUMMARY_QUERY_CHARS = 80  # a query echoed in a message is cut to this length


def safe(text: str | None) -> str:
    """Text from a document, made safe to print on a terminal."""
    if not text:
        return ""
    return _CONTROL.sub("", _ANSI.sub("", text).replace("\t", " "))


def one_line(message: str, limit: int = 400) -> str:
    """A message for stderr: safe, on one line, at most about `limit` characters."""
    text = " ".join(safe(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def echoed(query: str) -> str:
    shown = query if len(query) <= SUMMARY_QUERY_CHARS else query[: SUMMARY_QUERY_CHARS - 1] + "…"
    return repr(shown)


def to_json(data: Any) -> str:
    import json  # only for --json: kept off the path of a plain search

    return json.dumps(data, ensure_ascii=False, indent=2)


def format_parse(docs: Sequence[Document], *, as_json: bool) -> str:
    """`ctsearch parse`: the JSON contract, or a readable summary per document."""
    if as_json:
        return to_json({"documents": [d.to_dict() for d in docs]})
    blocks = []
    for d in docs:
        lines = [
            f"{safe(d.source)}",
            f"  title:      {safe(d.title)}",
            f"  type:       {d.doc_type}",
            f"  date:       {safe(d.date) or '-'}   year: {d.year or '-'}"
            f"   place: {safe(d.place) or '-'}",
            f"  conference: {safe(d.conference) or '-'}",
            f"  speakers:   {', '.join(safe(x) for x in d.speakers) or '-'}",
            f"  passages:   {len(d.passages)}",
        ]
        if d.url:
            lines.insert(-1, f"  url:        {safe(d.url)}")
        for p in d.passages:
            who = ", ".join(safe(x) for x in p.speakers) or "-"
            preview = " ".join(safe(p.text).split())  # a passage may span short paragraphs
            if len(preview) > 100:
                preview = preview[:97] + "..."
            lines.append(f"    [{safe(p.passage_id)}] ({who}) {preview}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# -- search, show, speakers, stats ---------------------------------------------------------

TRIM_CHARS = 420  # text output shows at most about this much of a long passage
TRIM_LEAD = 120  # ... starting this far before the first match
MARK = "**"  # the highlight marker of the JSON contract (searching/highlight.py)
_SPACES = re.compile(r"\s+")


def marked_spans(text: str, highlight: str, marker: str = MARK) -> list[tuple[int, int]]:
    """Recover the highlighted spans of `text` from its `highlight` (text + markers).

    Walks both strings: anything in `highlight` that is a marker where `text` has no such
    characters toggles a span. [] if they do not line up (then nothing is emphasised)."""
    spans: list[tuple[int, int]] = []
    i = j = 0
    start = None
    m = len(marker)
    while i < len(highlight):
        if highlight.startswith(marker, i) and not text.startswith(marker, j):
            if start is None:
                start = j
            else:
                spans.append((start, j))
                start = None
            i += m
        elif j < len(text) and highlight[i] == text[j]:
            i += 1
            j += 1
        else:
            return []
    return spans if j == len(text) and start is None else []


def _window(text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The part of a long passage to show: TRIM_CHARS around the first match."""
    if len(text) <= TRIM_CHARS:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    start = max(0, first - TRIM_LEAD)
    end = min(len(text), start + TRIM_CHARS)
    start = max(0, min(start, end - TRIM_CHARS))
    # Snap to word boundaries so no word is cut in half.
    if start > 0:
        space = text.find(" ", start, first if spans else start + 40)
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", max(start, end - 40), end)
        end = space if space > start else end
    return start, end


def render_passage(text: str, highlight: str, *, color: bool, trim: bool = True) -> str:
    """A passage for the terminal: whitespace folded, trimmed around the matches, matches in
    bold colour when `color` (nothing marks them otherwise)."""
    spans = marked_spans(text, highlight)
    lo, hi = _window(text, spans) if trim else (0, len(text))
    pieces = []
    pos = lo
    for a, b in spans:
        a, b = max(a, lo), min(b, hi)
        if a >= b:
            continue
        pieces.append(safe(text[pos:a]))
        word = safe(text[a:b])
        pieces.append(_style(word, bold=True, fg="yellow") if color else word)
        pos = b
    pieces.append(safe(text[pos:hi]))
    body = _SPACES.sub(" ", "".join(pieces)).strip()
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


def _style(text: str, **kwargs: Any) -> str:
    import click

    return click.style(text, **kwargs)


def _hit_header(h: Any, color: bool) -> list[str]:
    title = safe(h.title) or safe(h.doc_id)
    when = safe(h.date) or (str(h.year) if h.year else "undated")
    meta = " · ".join(x for x in (when, safe(h.conference)) if x)
    who = ", ".join(safe(s) for s in h.speakers) or "-"
    head = f"{h.rank}. {title}" if h.rank else title
    return [
        _style(head, bold=True) if color else head,
        f"   {meta}",
        f"   speakers: {who}   [{safe(h.passage_id)}]",
    ]


def search_data(result: Any) -> dict[str, Any]:
    """The JSON contract of `ctsearch search` (also served by the web app's /api/search)."""
    return {
        "query": result.query,
        "total": result.total,
        "total_exact": result.total_exact,
        "page": result.page,
        "hits": [h.to_dict() for h in result.hits],
        "suggestion": result.suggestion,
        "facets": result.facets,
        "facets_exact": result.facets_exact,
        "excluded_by": list(result.excluded_by),
        "filters": dict(result.filters),
        "expanded": {k: list(v) for k, v in result.expanded.items()},
    }


def format_search(result: Any, *, as_json: bool, color: bool = False) -> str:
    """`ctsearch search`: the JSON contract, or ranked hits with highlighted passages."""
    if as_json:
        return to_json(search_data(result))
    blocks = []
    also = also_matched(result)
    if also and result.hits:
        blocks.append(_style(also, dim=True) if color else also)
    for h in result.hits:
        lines = _hit_header(h, color)
        lines.append("   " + render_passage(h.text, h.highlight, color=color))
        blocks.append("\n".join(lines))
    if result.facets:
        blocks.append(format_facets(result.facets, exact=result.facets_exact))
    return "\n\n".join(blocks)


def format_facets(facets: dict[str, dict[str, int]], *, exact: bool = True) -> str:
    lines = ["Matching passages by" if exact else "Matching passages by (estimated from a sample)"]
    for name, counts in facets.items():
        items = ", ".join(f"{safe(k)} ({v})" for k, v in counts.items()) or "-"
        lines.append(f"  {name + ':':<12}{items}")
    return "\n".join(lines)


def search_summary(result: Any, *, limit: int) -> str:
    """One line for stderr: how many hits, which are shown, what to try when there are none."""
    if result.total == 0:
        lines = [f"No passages match {echoed(result.query)}."]
        also = also_matched(result, label="Also searched for")
        if also:
            lines.append(also)
        if result.suggestion:
            lines.append(f"Did you mean: {one_line(result.suggestion)}")
        if result.excluded_by:
            lines.append(
                "The query alone has matches; these filters excluded them all: "
                + one_line("; ".join(result.excluded_by))
            )
        return "\n".join(lines)
    first = (result.page - 1) * limit + 1
    last = first + len(result.hits) - 1
    noun = "passage matches" if result.total == 1 else "passages match"
    line = f"{result.total} {noun}"
    if not result.total_exact:
        line = f"at least {line}"
    if result.hits:
        line += f"; showing {first}–{last}"
        if last < result.total:
            line += f" (next: --page {result.page + 1})"
    else:
        line += f"; page {result.page} is past the end"
    if result.suggestion:
        line += f". Did you mean: {one_line(result.suggestion)}"
    return line


def also_matched(result: Any, label: str = "also matched") -> str:
    """ "also matched: ..." for the vocabulary's expansions, one line ("" when none)."""
    expanded = result.expanded
    if not expanded:
        return ""
    if len(expanded) == 1:
        text = ", ".join(next(iter(expanded.values())))
    else:
        text = "; ".join(f"{k}: {', '.join(v)}" for k, v in expanded.items())
    return one_line(f"{label}: {text}")


def format_show(ctx: Any, *, as_json: bool, color: bool = False) -> str:
    """`ctsearch show`: the passage between its neighbours, then the citation line."""
    if as_json:
        return to_json(ctx.to_dict())
    blocks = []
    for h in (*ctx.before, ctx.passage, *ctx.after):
        mine = h.passage_id == ctx.passage.passage_id
        label = f"[{safe(h.passage_id)}]" + ("  ◀" if mine else "")
        who = ", ".join(safe(s) for s in h.speakers)
        if who:
            label += f"  ({who})"
        if color and mine:
            label = _style(label, bold=True)
        body = render_passage(h.text, h.text, color=False, trim=False)
        blocks.append(f"{label}\n{body}")
    blocks.append("Cite: " + safe(ctx.citation))
    return "\n\n".join(blocks)


def speakers_data(speakers: Sequence[Any]) -> dict[str, Any]:
    """The JSON contract of `ctsearch speakers` (also served by /api/speakers)."""
    return {
        "speakers": [
            {"name": s.name, "passages": s.passages, "documents": s.documents} for s in speakers
        ]
    }


def format_speakers(speakers: Sequence[Any], *, as_json: bool) -> str:
    """`ctsearch speakers`: name, passages, documents."""
    if as_json:
        return to_json(speakers_data(speakers))
    if not speakers:
        return "No speakers in the index."
    width = max(len(safe(s.name)) for s in speakers)
    lines = [f"{'speaker':<{width}}  passages  documents"]
    for s in speakers:
        lines.append(f"{safe(s.name):<{width}}  {s.passages:>8}  {s.documents:>9}")
    return "\n".join(lines)


def format_stats(stats: Any, *, as_json: bool) -> str:
    """`ctsearch stats`: what is in the index."""
    data = stats.to_dict()
    if as_json:
        return to_json(data)
    lo, hi = data["date_range"]
    rows = [
        ("documents", data["documents"]),
        ("passages", data["passages"]),
        ("speakers", data["speakers"]),
        ("conferences", "\n".join(safe(c) for c in data["conferences"]) or "-"),
        ("date range", f"{lo} – {hi}" if lo else "-"),
        ("types", ", ".join(f"{k} {v}" for k, v in data["doc_types"].items()) or "-"),
        ("index size", f"{_size(data['index_size'])} in {safe(data['index_dir'])}"),
        ("built", data["built"] or "-"),
        ("corpus", safe(data["corpus"]) or "-"),
    ]
    out = []
    for name, value in rows:
        text = str(value).replace("\n", "\n" + " " * 14)
        out.append(f"{name + ':':<14}{text}")
    return "\n".join(out)


def _size(n: int) -> str:
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"


def format_index_report(report: Any) -> str:
    """`ctsearch index` / `add`: what changed, then the index's size and the time, for stderr."""
    changes = (
        f"{report.added} added, {report.changed} changed, {report.removed} removed, "
        f"{report.unchanged} unchanged"
        + (f", {report.unreadable} unreadable (kept as they were)" if report.unreadable else "")
        + (f", {report.skipped} skipped (nothing to index)" if report.skipped else "")
    )
    if report.dry_run:
        return f"Dry run, nothing written: would index {changes}"
    busy = report.seconds > 0.5 and report.passages_written >= 100  # a rate worth stating
    rate = f" ({report.passages_per_second:,.0f} passages/s)" if busy else ""
    how = "Rebuilt" if report.rebuilt else "Updated"
    return (
        f"Indexed {report.documents} documents, {report.passages} passages "
        f"into {report.index_dir} in {report.seconds:.2f} s{rate}\n"
        f"{how}: {changes}; {report.passages_written} passages written"
    )
