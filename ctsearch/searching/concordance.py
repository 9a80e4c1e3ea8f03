"""`ctsearch kwic`: keyword in context, the concordance corpus linguists read.

One line per occurrence (a passage with three matches gives three lines), the match centred
with `width` characters of context on each side. What counts as an occurrence is what `search`
highlights for the same query (highlight.spans): stemmed words mark every form sharing the
stem, a quoted phrase marks its whole run of words, prefix* and fuzzy~ words what they
expanded to.

Passages are read best first (the ranking of `search`) until `limit` lines are made, then the
lines are sorted: `left` by the words before the match, nearest first, `right` by the words
after it (as concordancers sort), `date` oldest first. `limit=0` reads every matching passage.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ctsearch.errors import QueryError
from ctsearch.searching import highlight as hl
from ctsearch.searching.query import whole_number
from ctsearch.view_models import KwicLine, KwicResult

SORTS = ("left", "right", "date")
DEFAULT_LIMIT = 200  # lines at most unless asked for more (0: all)
MAX_WIDTH = 1000  # characters of context on each side at most
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w[\w'’]*")

Warn = Callable[[str], None]


def kwic(
    term: str,
    *,
    width: int = 40,
    sort: str = "left",
    limit: int = DEFAULT_LIMIT,
    index_dir: str | Path = "index",
    corpus: str | Path | None = None,
    warn: Warn | None = None,
    **filters: Any,
) -> KwicResult:
    """Every occurrence of `term` (a query) with its context, sorted by `sort`."""
    from ctsearch.searching.matching import all_matches, opened_query
    from ctsearch.searching.search import top_matches

    width = whole_number(width, "--width", 1, MAX_WIDTH)
    limit = whole_number(limit, "--limit", 0)
    if sort not in SORTS:
        raise QueryError(f"--sort must be one of {', '.join(SORTS)}, not {sort!r}")
    lines: list[tuple[tuple, KwicLine]] = []
    with opened_query(term, index_dir=index_dir, corpus=corpus, warn=warn, **filters) as prep:
        spec = prep.spec()
        if not spec:
            raise QueryError(
                f"nothing to show in context for {term!r}: kwic needs words or phrases "
                "(use filters such as --speaker to narrow them)"
            )
        searcher = prep.searcher
        if limit:
            # The best `limit` passages give at least `limit` lines (but for matches in a
            # title only); counting every match would cost more than the lines (a phrase's
            # positions checked in every candidate), so the count is the ranking's, as in
            # `search`: exact, or a lower bound on big result sets.
            ranked, total, exact = top_matches(searcher, prep.final, limit, prep.remember)
            docnums = [d for _, d in ranked]
        else:
            docnums = all_matches(searcher, prep.final, prep.remember)
            total, exact = len(docnums), True
        read_all = exact and len(docnums) == total
        for order, docnum in enumerate(docnums):
            fields = searcher.stored_fields(docnum)
            for pos, line in enumerate(_lines(fields, spec, width)):
                lines.append((_key(line, sort, order, pos), line))
            if limit and len(lines) >= limit and order < len(docnums) - 1:
                read_all = False
                break
        described = prep.describe()
    lines.sort(key=lambda kl: kl[0])
    shown = tuple(line for _, line in (lines[:limit] if limit else lines))
    return KwicResult(
        query=term,
        lines=shown,
        passages=total,
        passages_exact=exact,
        complete=read_all and len(shown) == len(lines),
        width=width,
        sort=sort,
        filters=described,
    )


def _lines(fields: dict[str, Any], spec: hl.MatchSpec, width: int) -> list[KwicLine]:
    """One line per match in the passage's text (a match only in its title gives none)."""
    text = fields.get("text") or ""
    speakers = tuple(fields.get("speaker_list") or ())
    date = fields.get("date_text") or (str(fields["year"]) if fields.get("year") else None)
    out = []
    for start, end in hl.spans(text, spec):
        # Twice the width of raw text is enough: folding whitespace only shortens it.
        left = _SPACE.sub(" ", text[max(0, start - 2 * width - 2) : start])
        right = _SPACE.sub(" ", text[end : end + 2 * width + 2])
        out.append(
            KwicLine(
                left=left[-width:] if len(left) > width else left,
                match=_SPACE.sub(" ", text[start:end]),
                right=right[:width],
                passage_id=fields.get("passage_id", ""),
                date=date,
                speakers=speakers,
            )
        )
    return out


def _key(line: KwicLine, sort: str, order: int, pos: int) -> tuple:
    if sort == "left":
        return (tuple(w.casefold() for w in reversed(_WORD.findall(line.left))), order, pos)
    if sort == "right":
        return (tuple(w.casefold() for w in _WORD.findall(line.right)), order, pos)
    doc, _, ordinal = line.passage_id.rpartition(":")
    return (line.date or "9999", doc, int(ordinal) if ordinal.isdigit() else 0, pos)
