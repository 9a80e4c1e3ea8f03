"""The best N passages for word and phrase queries without visiting every match.

On a big index the common words of this corpus occur in most passages ("terrorism" in 86% of
them): Whoosh's matcher tree then scores tens of thousands of passages in Python for ten hits,
and its block-quality shortcut barely helps (a block's best weight and shortest length are
rarely the same passage, and the soft-AND's "all words" bonus inflates every bound).

Here each term's postings are turned once per open searcher into an *impact list*
(impact.py): its passages sorted by their BM25F score for that term. A query tree of terms,
Or, And, filters and checked phrases is then answered by the Threshold Algorithm (Fagin): read
the lists in parallel, best first, score each new passage completely by lookups, and stop as
soon as no unseen passage can beat the N-th best. Scores are Whoosh's per-term numbers summed
as Whoosh's matchers sum them; tests/searching/topn/test_threshold.py checks hits, order,
scores and counts against Whoosh's own collector.

Anything else (NOT, ranges, field filters inside the query, scorers other than BM25F) returns
None and the caller falls back to Whoosh's collector (plan.py decides).
"""

from __future__ import annotations

from ctsearch import whoosh_ext  # noqa: F401  (first: version check, lean Whoosh imports)

# isort: split
import heapq
from itertools import combinations

from whoosh import query as wq

from ctsearch.searching.topn.impact import Ineligible, ListCache, TermList
from ctsearch.searching.topn.plan import (
    Check,
    Leaf,
    Node,
    bounder,
    has_checks,
    leaves,
    plan,
    scorer,
)

MAX_FETCH = 500  # deeper pages go through Whoosh's collector
EXACT_COUNT_UPTO = 20_000  # count matches exactly when the lists involved hold at most this
CHECK_COUNT_UPTO = 100  # phrase candidates whose positions are checked just to count them
SAMPLE_CHECKS = 250  # phrase candidates checked at most for an estimate (sample_of_matches)
CONJUNCTION_UPTO = 10_000  # passages holding all the words scored up front at most
MAX_CASCADE_WORDS = 6  # beyond: only the passages holding all the words are scored first
SCAN_ALLOWED_UPTO = 3_000  # a filter this narrow is scored passage by passage
TOLERANCE = 1e-9  # relative: our sums may differ from Whoosh's in the last bits (order)


def top(searcher, q: wq.Query, fetch: int, cache: ListCache):
    """(docnums and scores of the best `fetch` matches, total, total exact) or None when the
    query is not one this evaluator handles."""
    if fetch > MAX_FETCH:
        return None
    try:
        root = plan(q, searcher)
        found = leaves(root, [])
        for leaf in found:
            leaf.list = cache.get(searcher, leaf.key)
    except Ineligible:
        return None
    lists = list({id(leaf.list): leaf.list for leaf in found}.values())
    checked = has_checks(root)
    longest = max((len(lst) for lst in lists), default=0)
    optimistic, exact_score = scorer(root, checks=False), scorer(root, checks=True)
    heap: list[tuple[float, int]] = []  # (score, -docnum): the best `fetch`, min first
    seen: set[int] = set()
    matched = 0
    allowed = root.exact_set if isinstance(root, Check) else None
    if allowed is not None and len(allowed) <= min(SCAN_ALLOWED_UPTO, sum(map(len, lists))):
        # A narrow filter (a speaker, a short date range): score its few passages directly
        # rather than reading the lists deep to find enough of them.
        # Phrase positions are checked best first, only while a passage could still enter.
        found = [(s, d) for d in allowed if (s := optimistic(d)) is not None]
        if checked:
            found.sort(key=lambda sd: (-sd[0], sd[1]))
        for s, d in found:
            if checked:
                if len(heap) == fetch and (s, -d) <= heap[0]:
                    break  # sorted: no later passage can enter either
                s = exact_score(d)
                if s is None:
                    continue
            matched += 1
            _offer(heap, fetch, s, d)
        longest = 0  # nothing left to read
    elif not checked:
        matched += _score_conjunction(root, exact_score, heap, fetch, seen)
    bound_at = bounder(root)  # after the conjunction: its bound depends on it
    rows = [(lst.docs, len(lst.docs)) for lst in lists]
    for depth in range(longest):
        for docs, n in rows:
            if depth >= n:
                continue
            d = docs[depth]
            if d in seen:
                continue
            seen.add(d)
            s = optimistic(d)
            if s is None:
                continue
            if checked:
                if len(heap) == fetch and (s, -d) <= heap[0]:
                    continue  # cannot enter even unchecked: skip the costly checks
                s = exact_score(d)
                if s is None:
                    continue
            matched += 1
            _offer(heap, fetch, s, d)
        if len(heap) == fetch:
            bound = bound_at(depth + 1)
            if bound is None or bound < heap[0][0] * (1 - TOLERANCE) - TOLERANCE:
                break
    total, exact = _count(root, lists, matched)
    best = [(sc, -nd) for sc, nd in sorted(heap, reverse=True)]
    return best, total, exact


def _offer(heap: list, fetch: int, s: float, d: int) -> None:
    """Keep (score, passage) in `heap`, the best `fetch` so far (ties: lower docnum first)."""
    if len(heap) < fetch:
        heapq.heappush(heap, (s, -d))
    elif (s, -d) > heap[0]:
        heapq.heapreplace(heap, (s, -d))


def _score_conjunction(root, score, heap: list, fetch: int, seen: set[int]) -> int:
    """Score up front the passages holding all the words, then those lacking one, two...
    while those sets are small enough; returns how many passages matched.

    The soft AND (an Or of an And of all the words, boosted, and the words alone) is the
    Threshold Algorithm's worst case: a passage not seen yet might hold all the words, so
    the bound stays at the boosted sum of every list's current row and the lists are read
    deep. Once every passage holding at least m - k + 1 of the m words has been scored, an
    unseen passage lacks at least k of them: the bound drops to the words alone minus the k
    weakest (see _missing_bounder), and the lists are read a few rows deep, if at all."""
    allowed = None
    if isinstance(root, Check) and root.exact_set is not None:  # a filter around the words
        root, allowed = root.child, root.exact_set
    if not (isinstance(root, Node) and not root.all):
        return 0
    child = next((c for c in root.children if isinstance(c, Node) and c.all), None)
    if child is None:
        return 0
    parts = [_members(p) for p in child.children]
    if any(p is None for p in parts):
        return 0
    m = len(parts)
    n = scored = 0
    for level in range(m if m <= MAX_CASCADE_WORDS else 1):
        if level == 0:
            members = _intersect(parts)
        else:
            members = set().union(
                *(
                    _intersect([parts[i] for i in keep])
                    for keep in combinations(range(m), m - level)
                )
            )
        if allowed is not None:
            members = members & allowed
        new = [d for d in members if d not in seen]
        scored += len(new)
        if scored > CONJUNCTION_UPTO:
            break
        for d in new:
            seen.add(d)
            s = score(d)
            if s is None:
                continue
            n += 1
            _offer(heap, fetch, s, d)
        child.done, child.missing = True, level + 1
        if len(heap) == fetch:
            bound = bounder(root)(0)
            if bound is None or bound < heap[0][0] * (1 - TOLERANCE) - TOLERANCE:
                break  # nothing unseen can enter: the next level is not needed
    return n


def _intersect(sets: list) -> frozenset[int] | set[int]:
    ordered = sorted(sets, key=len)
    return ordered[0].intersection(*ordered[1:])


def _members(node) -> set[int] | frozenset[int] | None:
    """The passages `node` matches, from the lists' doc sets (None: has a phrase check)."""
    if isinstance(node, Leaf):
        return node.list.docset()
    if isinstance(node, Node):
        parts = []
        for c in node.children:
            m = _members(c)
            if m is None:
                return None
            parts.append(m)
        if node.all:
            parts.sort(key=len)
            return parts[0].intersection(*parts[1:])
        return parts[0].union(*parts[1:])
    if node.exact_set is None:
        return None
    inner = _members(node.child)
    return None if inner is None else inner & node.exact_set


def matches(searcher, q: wq.Query, cache: ListCache) -> set[int] | None:
    """Every passage `q` matches (global docnums), from the impact lists' doc sets; None when
    the query is not one this module handles or holds phrases with too many candidates."""
    root = _with_lists(searcher, q, cache)
    if root is None:
        return None
    found, exact = _matches(root)
    return found if exact else None


def _with_lists(searcher, q: wq.Query, cache: ListCache):
    """The plan of `q` with each leaf's impact list loaded; None when `q` is not eligible."""
    try:
        root = plan(q, searcher)
        for leaf in leaves(root, []):
            leaf.list = cache.get(searcher, leaf.key)
    except Ineligible:
        return None
    return root


def sample_of_matches(
    searcher, q: wq.Query, cache: ListCache, checks: int | None = None
) -> tuple[set[int], int] | None:
    """(matches, k): the passages `q` matches among those whose docnum is a multiple of k (a
    systematic sample, for estimates such as facet counts: each stands for k), with k = 1 —
    every match — unless a phrase has more than `checks` candidates whose positions would have
    to be checked (default SAMPLE_CHECKS); then k is the smallest that leaves at most about
    `checks` of them. None when the query is not one this module handles."""
    root = _with_lists(searcher, q, cache)
    if root is None:
        return None
    checks = SAMPLE_CHECKS if checks is None else checks
    k = max(1, -(-_most_checks(root) // max(1, checks)))
    every = range(0, searcher.reader().doc_count_all(), k) if k > 1 else None
    return _sampled(root, every), k


def _most_checks(node) -> int:
    """The most phrase candidates one Check node of `node` would have to check."""
    if isinstance(node, Leaf):
        return 0
    if isinstance(node, Node):
        return max(_most_checks(c) for c in node.children)
    own = len(_sampled(node.child, None, check=False)) if node.exact_set is None else 0
    return max(own, _most_checks(node.child))


def _sampled(node, every: range | None, check: bool = True) -> set[int] | frozenset[int]:
    """What `node` matches among the docnums in `every` (all of them when None); with
    check=False phrase positions are left unchecked (a superset: the candidates)."""
    if isinstance(node, Leaf):
        docs = node.list.docset()
        return docs if every is None else docs.intersection(every)
    if isinstance(node, Node):
        sets = sorted((_sampled(c, every, check) for c in node.children), key=len)
        return sets[0].intersection(*sets[1:]) if node.all else sets[0].union(*sets[1:])
    inner = _sampled(node.child, every, check)
    if node.exact_set is not None:
        return inner & node.exact_set
    return {d for d in sorted(inner) if node.ok(d)} if check else inner


def _count(root, lists: list[TermList], matched: int) -> tuple[int, bool]:
    """The number of matches: from the lists' doc sets when they are small enough (exact, or
    a lower bound when some phrase candidates were left unchecked), else the number of
    matches the search saw (a lower bound)."""
    if sum(len(lst) for lst in lists) <= EXACT_COUNT_UPTO:
        found, exact = _matches(root)
        return max(len(found), 0 if exact else matched), exact
    return max(matched, _lower(root)), False


def _lower(node) -> int:
    if isinstance(node, Leaf):
        return len(node.list)
    if isinstance(node, Node):
        return 0 if node.all else max(_lower(c) for c in node.children)
    return 0


def _matches(node) -> tuple[set[int] | frozenset[int], bool]:
    """The passages `node` matches, or some of them, and whether that is all of them."""
    if isinstance(node, Leaf):
        return node.list.docset(), True
    if isinstance(node, Node):
        parts = [_matches(c) for c in node.children]
        sets = [p[0] for p in parts]
        if node.all:
            sets.sort(key=len)
            found = sets[0].intersection(*sets[1:])
        else:
            found = sets[0].union(*sets[1:])
        return found, all(p[1] for p in parts)
    inner, exact = _matches(node.child)
    if node.exact_set is not None:
        return inner & node.exact_set, exact
    # Phrase positions, checked on the stored text of at most CHECK_COUNT_UPTO candidates:
    # a check costs ~0.1 ms, which counting alone is not worth beyond that.
    if len(inner) > CHECK_COUNT_UPTO:
        return set(), False
    return {d for d in sorted(inner) if node.ok(d)}, exact
