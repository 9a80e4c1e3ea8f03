"""`ctsearch show`: one passage with its neighbours in the document, and a citation line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ctsearch.errors import PassageNotFoundError, QueryError
from ctsearch.models import Hit
from ctsearch.searching import highlight as hl
from ctsearch.searching import session
from ctsearch.searching.matching import open_for_search
from ctsearch.searching.search import hit_of

MAX_CONTEXT = 1000  # neighbours `show` prints on each side at most

Warn = Callable[[str], None]


@dataclass(frozen=True)
class PassageContext:
    """A passage, its neighbours in the document, and how to cite it."""

    passage: Hit
    before: tuple[Hit, ...]
    after: tuple[Hit, ...]
    citation: str
    url: str | None = None  # where the document was published (from its sidecar), if known

    def to_dict(self) -> dict[str, Any]:
        return {
            "passage": self.passage.to_dict(),
            "before": [h.to_dict() for h in self.before],
            "after": [h.to_dict() for h in self.after],
            "citation": self.citation,
            "url": self.url,
        }


def show(
    passage_id: str,
    *,
    index_dir: Path,
    context: int = 0,
    corpus: Path | None = None,
    warn: Warn | None = None,
) -> PassageContext:
    """The passage `passage_id` with `context` neighbours on either side, from the index."""
    try:
        context = int(context)
    except (TypeError, ValueError):
        raise QueryError(f"--context must be a whole number, not {context!r}") from None
    if not 0 <= context <= MAX_CONTEXT:
        raise QueryError(f"--context must be between 0 and {MAX_CONTEXT}, not {context}")
    index_dir = Path(index_dir)
    no_spec = hl.MatchSpec()
    with session.searching(index_dir, lambda: open_for_search(index_dir, corpus, warn)) as entry:
        searcher = entry.searcher
        docnum = searcher.document_number(passage_id=passage_id)
        if docnum is None:
            raise PassageNotFoundError(
                f"no passage {passage_id!r} in the index: passage ids look like "
                "DOC_ID:N, as printed by `ctsearch search`"
            )
        fields = searcher.stored_fields(docnum)
        ordinal = int(fields.get("ordinal") or 0)
        # Each neighbour by its id (DOC_ID:N), one term lookup each: a range query on
        # `ordinal` made Whoosh list every passage of the index (~100 ms at 100,000).
        neighbours = []
        for k in range(max(0, ordinal - context), ordinal + context + 1):
            d = searcher.document_number(passage_id=f"{fields['doc_id']}:{k}")
            if k != ordinal and d is not None:
                neighbours.append(searcher.stored_fields(d))
    return PassageContext(
        passage=hit_of(0, 0.0, fields, no_spec),
        before=tuple(hit_of(0, 0.0, f, no_spec) for f in neighbours if f["ordinal"] < ordinal),
        after=tuple(hit_of(0, 0.0, f, no_spec) for f in neighbours if f["ordinal"] > ordinal),
        citation=citation(fields),
        url=fields.get("url") or None,
    )


def citation(fields: dict[str, Any]) -> str:
    """Title, date, place, conference, source: enough to cite a passage."""
    parts = [f"“{fields.get('title') or fields.get('doc_id')}”"]
    when = fields.get("date_text") or (str(fields["year"]) if fields.get("year") else None)
    where = ", ".join(x for x in (fields.get("place"), when) if x)
    for item in (where, fields.get("conference_name")):
        if item:
            parts.append(item)
    parts.append(f"source: {fields.get('source')}")
    if fields.get("url"):
        parts.append(fields["url"])
    parts.append(f"passage {fields.get('passage_id')}")
    return ". ".join(parts)
