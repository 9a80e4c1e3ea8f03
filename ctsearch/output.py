"""Library results → terminal text or JSON. Text from documents is printed without control characters."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from .models import Document

# C0/C1 controls (tab and newline kept) and the ESC-introduced sequences they start.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str | None) -> str:
    """Text from a document, made safe to print on a terminal."""
    if not text:
        return ""
    return _CONTROL.sub("", _ANSI.sub("", text))


def to_json(data: Any) -> str:
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
            f"  date:       {d.date or '-'}   year: {d.year or '-'}   place: {safe(d.place) or '-'}",
            f"  conference: {safe(d.conference) or '-'}",
            f"  speakers:   {', '.join(d.speakers) or '-'}",
            f"  passages:   {len(d.passages)}",
        ]
        for p in d.passages:
            who = ", ".join(p.speakers) or "-"
            preview = safe(p.text)
            if len(preview) > 100:
                preview = preview[:97] + "..."
            lines.append(f"    [{p.passage_id}] ({who}) {preview}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
