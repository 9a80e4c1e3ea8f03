"""Spread a page of results over documents: a document's 2nd, 3rd... passage counts for less.

Passages of one document repeat each other (the same speech names ISIL in five paragraphs), so
a first page made of three passages of one document hides other documents that say it too.
Each passage's score is multiplied by SAME_DOC_DECAY once for every better passage of its
document already placed; the ranking is then by these scores. A document's passages keep their
order among themselves, and a passage much better than the rest still comes first.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

SAME_DOC_DECAY = 0.7  # weight of a document's next passage, relative to the one before
POOL = 3  # candidates ranked per place asked for (before spreading)
MIN_POOL = 20
MAX_POOL = 500  # beyond, the best matches come from Whoosh's slower collector: stop there


def pool_size(fetch: int) -> int:
    """How many of the best matches to rank first so that the first `fetch` can be spread."""
    return max(fetch * POOL, fetch + MIN_POOL)


def spread(
    ranked: list[tuple[float, int]],
    document: Callable[[int], Hashable],
    fetch: int,
    complete: bool,
) -> tuple[list[tuple[float, int]], bool]:
    """The first `fetch` of `ranked` ((score, docnum), best first, the best matches of the
    query) reordered by the decayed scores (the scores returned are the original ones), and
    whether that is certain: true when `ranked` holds every match (`complete`) or when the
    last passage kept still beats the best that `ranked` may have left out (a passage not in
    `ranked` scores at most its last score, decayed or not). Otherwise ask again with more."""
    seen: dict[Hashable, int] = {}
    keyed = []
    for i, (score, docnum) in enumerate(ranked):
        doc = document(docnum)
        n = seen.get(doc, 0)
        seen[doc] = n + 1
        keyed.append((-score * SAME_DOC_DECAY**n, i, score, docnum))
    keyed.sort()
    kept = keyed[:fetch]
    certain = complete or not ranked or (bool(kept) and -kept[-1][0] >= ranked[-1][0])
    return [(score, docnum) for _, _, score, docnum in kept], certain
