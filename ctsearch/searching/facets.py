"""Facets: how many matching passages each speaker, conference, year and type has.

Over FACET_SAMPLE matches the counts come from an evenly spread sample (every k-th match),
scaled by k and flagged as estimates (`facets_exact` False in the JSON contract). So do those
of a phrase with more candidates than its positions can quickly be checked for: then only the
passages whose number is a multiple of k are matched (topn.threshold.sample_of_matches).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from whoosh import query as wq

from ctsearch.index.stats import passage_columns
from ctsearch.searching.matchers import Remember

FACET_SAMPLE = 5_000  # facets count at most about this many matches (evenly spread), then scale


NO_YEAR = 2**31 - 1  # what the year column holds for a passage without a year
FACET_KEYS = ("speaker", "conference", "year", "type")


def count_facets(
    searcher, q: wq.Query, remember: Remember | None = None, *, top_lists: bool = True
) -> tuple[dict[str, dict[str, int]], bool]:
    """Counts of the matching passages by speaker, conference, year and type, and whether they
    are exact. Over FACET_SAMPLE matches, or with phrases of many candidates, a systematic
    sample is counted and the counts scaled (estimates, flagged). The four columns are read
    once per open searcher into lists."""
    from ctsearch.searching.topn import threshold as topk

    found = None
    if top_lists and remember is not None:
        found = topk.sample_of_matches(searcher, q, remember("impact-lists", topk.ListCache))
    matched, every = found if found is not None else (searcher.docs_for_query(q), 1)
    docnums = sorted(matched)
    step = max(1, -(-len(docnums) // FACET_SAMPLE))  # ceiling division
    scale = step * every  # what each passage counted stands for
    reader = searcher.reader()
    codes = (
        remember("facet-codes", lambda: facet_codes(reader)) if remember else facet_codes(reader)
    )
    counts: dict[str, Counter] = {}
    sample = docnums[::step]
    for key in FACET_KEYS:
        column, table = codes[key]
        # Small ints counted in a C loop: a fifth of the time of hashing the values themselves
        tally = Counter(map(column.__getitem__, sample))
        c = counts[key] = Counter()
        for code, n in tally.items():
            value = table[code]
            if key == "speaker":
                for name in value:
                    c[name] += n
            elif value:
                c[value] += n
    scaled = {
        k: dict(sorted(((v, n * scale) for v, n in c.items()), key=lambda kv: (-kv[1], kv[0])))
        for k, c in counts.items()
    }
    return scaled, scale == 1


def facet_codes(reader) -> dict[str, tuple[list[int], list[Any]]]:
    """Per facet: each docnum's value as a small int, and the values by int."""
    out = {}
    for key, column in _facet_values(reader).items():
        table: dict[Any, int] = {}
        codes = [table.setdefault(value, len(table)) for value in column]
        out[key] = (codes, list(table))
    return out


def _facet_values(reader) -> dict[str, list[Any]]:
    """Per docnum: the tuple of speakers, conference, year (as text) and type of each passage,
    and its document ("doc": what trends count documents by)."""
    cols = passage_columns(reader)
    return {
        "doc": cols["doc_id"],
        "speaker": cols["speakers"],
        "conference": cols["conference"],
        # a passage without a year reads as 0 or NUMERIC's missing-value marker (2**31 - 1)
        "year": [str(v) if v and v < NO_YEAR else None for v in cols["year"]],
        "type": cols["doc_type"],
    }
