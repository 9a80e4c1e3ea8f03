"""A Whoosh query reduced to a plan threshold.py can evaluate passage by passage.

The plan mirrors how Whoosh builds matchers (whoosh.query: a lone child is used without its
parent's boost, Or sums the children that match, And needs every child, boosts multiply):
Leaf (one term, with its impact list), Node (Or / And), Check (a filter's passage set, or a
phrase's word positions). From it come a scorer (passage → score or None, the arithmetic of
Whoosh's matchers) and a bounder (list depth → the best score an unseen passage could still
reach: the Threshold Algorithm's stopping rule). Anything else raises Ineligible.
"""

from __future__ import annotations

from ctsearch import whoosh_ext  # noqa: F401  (first: version check, lean Whoosh imports)

# isort: split
from collections.abc import Callable
from itertools import combinations
from typing import Any

from whoosh import query as wq

from ctsearch.searching.topn.impact import Ineligible


class Leaf:
    __slots__ = ("key", "boost", "list", "src")

    def __init__(self, key: tuple[str, bytes], boost: float) -> None:
        self.key, self.boost, self.list = key, boost, None


class Node:
    __slots__ = ("all", "children", "boost", "done", "missing", "src")

    def __init__(self, all_: bool, children: list, boost: float) -> None:
        self.all, self.children, self.boost = all_, children, boost
        self.done = False  # every passage this node matches has been scored already
        self.missing = 0  # when done: unseen passages lack at least this many of its parts


class Check:
    """The child's matches that pass `ok(docnum)` (filters, phrase positions)."""

    __slots__ = ("child", "ok", "exact_set", "src")

    def __init__(self, child, ok: Callable[[int], bool], exact_set: set[int] | None) -> None:
        self.child, self.ok, self.exact_set = child, ok, exact_set


def plan(q: wq.Query, top) -> Any:
    """The plan of `q`: Leaf, Node and Check objects, each with its query as `src`."""
    node = _plan(q, top)
    node.src = q
    return node


def _plan(q: wq.Query, top) -> Any:
    """Mirror of how Whoosh builds matchers for `q` (see whoosh.query): raise Ineligible for
    anything else."""
    from ctsearch.searching.matchers import CheckedPhrase, Restricted

    if type(q) is wq.Term:
        field = top.schema[q.fieldname] if q.fieldname in top.schema else None
        if field is None or not field.scorable:
            raise Ineligible(q)
        return Leaf((q.fieldname, field.to_bytes(q.text)), q.boost)
    if isinstance(q, (wq.Or, wq.And)) and type(q) in (wq.Or, wq.And):
        if isinstance(q, wq.Or) and (q.scale or q.minmatch):
            raise Ineligible(q)
        subs = q.subqueries
        if not subs:
            raise Ineligible(q)
        if len(subs) == 1:  # Whoosh uses the lone child's matcher, without this boost
            return _plan(subs[0], top)
        return Node(isinstance(q, wq.And), [plan(s, top) for s in subs], q.boost)
    if isinstance(q, Restricted):
        allowed = _global_allowed(q, top)
        return Check(plan(q.child, top), allowed.__contains__, allowed)
    if isinstance(q, CheckedPhrase):
        return Check(plan(q.child, top), _positions(q, top), None)
    raise Ineligible(q)


def leaves(node, out: list[Leaf]) -> list[Leaf]:
    if isinstance(node, Leaf):
        out.append(node)
    elif isinstance(node, Node):
        for c in node.children:
            leaves(c, out)
    else:
        leaves(node.child, out)
    return out


def scorer(node, checks: bool) -> Callable[[int], float | None]:
    """A function: passage d → its score under `node`, or None when it does not match. With
    checks=False the costly Check nodes (phrase positions) pass everything: an upper bound of
    the real score (checks only ever remove matches, and every boost is positive)."""
    if isinstance(node, Leaf):
        get, boost = node.list.lookup, node.boost
        if boost == 1.0:
            return get

        def leaf(d: int) -> float | None:
            sc = get(d)
            return None if sc is None else sc * boost

        return leaf
    if isinstance(node, Node):
        subs, boost = [scorer(c, checks) for c in node.children], node.boost
        if (
            not node.all
            and len(node.children) == 2
            and all(isinstance(c, Leaf) for c in node.children)
        ):
            return _word_scorer(node)
        soft = _soft_and_scorer(node, checks)
        if soft is not None:
            return soft
        if node.all:

            def every(d: int) -> float | None:
                total = 0.0
                for f in subs:
                    sc = f(d)
                    if sc is None:
                        return None
                    total += sc
                return total * boost

            return every

        def some(d: int) -> float | None:
            total = 0.0
            hit = False
            for f in subs:
                sc = f(d)
                if sc is not None:
                    total += sc
                    hit = True
            return total * boost if hit else None

        return some
    child, ok, allowed = scorer(node.child, checks), node.ok, node.exact_set
    if allowed is not None:  # a filter's passage set: cheap, always applied

        def filtered(d: int) -> float | None:
            return child(d) if d in allowed else None

        return filtered
    if not checks:
        return child

    def checked(d: int) -> float | None:
        sc = child(d)
        return sc if sc is not None and ok(d) else None

    return checked


def _missing_bounder(node: Node, done: Node) -> Callable[[int], float | None]:
    """Bound of an Or one of whose children, an And, is `done`: an unseen passage lacks at
    least `done.missing` parts of that And. The Or's children equal to a missing part (the
    soft AND lists each word again on its own), and the word pairs holding it (a pair in the
    `pairs` field implies both its words in `text`), give it nothing: the bound is the sum of
    the children's bounds minus the smallest loss over the ways to lack that many parts."""
    others = [c for c in node.children if c is not done]
    bounds = [bounder(c) for c in others]
    affected = []
    for part in done.children:
        hit = {i for i, c in enumerate(others) if c.src == part.src}
        word = _text_stem(part)
        if word is not None:
            hit.update(i for i, c in enumerate(others) if word in _pair_stems(c))
        affected.append(hit)
    missing = min(done.missing, len(affected))
    losses = [
        sorted(set().union(*(affected[j] for j in combo)))
        for combo in combinations(range(len(affected)), missing)
    ]
    boost = node.boost

    def bound(depth: int) -> float | None:
        values = [b(depth) for b in bounds]
        present = [v for v in values if v is not None]
        if not present:
            return None
        lost = min(sum(values[i] or 0.0 for i in loss) for loss in losses)
        return (sum(present) - lost) * boost

    return bound


def _text_stem(part) -> str | None:
    """The stemmed word of a plain query word's plan (text OR title), else None."""
    leaves = [part] if isinstance(part, Leaf) else getattr(part, "children", [])
    for leaf in leaves:
        if isinstance(leaf, Leaf) and leaf.key[0] == "text":
            return leaf.key[1].decode("utf-8")
    return None


def _pair_stems(node) -> tuple[str, ...]:
    """The stems of the two words of a `pairs` term leaf, else ()."""
    from ctsearch.analysis import PAIR_JOINER, stem

    if not (isinstance(node, Leaf) and node.key[0] == "pairs"):
        return ()
    a, _, b = node.key[1].decode("utf-8").partition(PAIR_JOINER)
    return (stem(a), stem(b))


def _soft_and_scorer(node: Node, checks: bool) -> Callable[[int], float | None] | None:
    """The soft AND (an Or of an And of the words and the words again on their own), scoring
    each word once per passage instead of twice. Same arithmetic, same order as the generic
    scorer. None when `node` is not of that shape."""
    if node.all:
        return None
    conj = next((c for c in node.children if isinstance(c, Node) and c.all), None)
    if conj is None:
        return None
    parts = [scorer(p, checks) for p in conj.children]
    srcs = [p.src for p in conj.children]
    steps: list[tuple[int, Any]] = []  # (0, None): the And; (1, j): word j; (2, f): other
    for c in node.children:
        if c is conj:
            steps.append((0, None))
        elif c.src in srcs:
            steps.append((1, srcs.index(c.src)))
        else:
            steps.append((2, scorer(c, checks)))
    conj_boost, boost = conj.boost, node.boost

    def soft(d: int) -> float | None:
        scores = [f(d) for f in parts]
        total = 0.0
        hit = False
        for kind, x in steps:
            if kind == 0:
                if None in scores:
                    continue
                t = 0.0
                for sc in scores:
                    t += sc
                sc = t * conj_boost
            elif kind == 1:
                sc = scores[x]
                if sc is None:
                    continue
            else:
                sc = x(d)
                if sc is None:
                    continue
            total += sc
            hit = True
        return total * boost if hit else None

    return soft


def _word_scorer(node: Node) -> Callable[[int], float | None]:
    """The generic Or of two leaves (a word: text OR title), unrolled: it is evaluated for
    every passage scored, and function calls dominate. Same arithmetic, same order."""
    (a, b), boost = node.children, node.boost
    get_a, boost_a, get_b, boost_b = a.list.lookup, a.boost, b.list.lookup, b.boost

    def word(d: int) -> float | None:
        sa = get_a(d)
        sb = get_b(d)
        if sa is None:
            if sb is None:
                return None
            return (0.0 + (sb * boost_b if boost_b != 1.0 else sb)) * boost
        total = 0.0 + (sa * boost_a if boost_a != 1.0 else sa)
        if sb is not None:
            total += sb * boost_b if boost_b != 1.0 else sb
        return total * boost

    return word


def has_checks(node) -> bool:
    if isinstance(node, Leaf):
        return False
    if isinstance(node, Node):
        return any(has_checks(c) for c in node.children)
    return node.exact_set is None or has_checks(node.child)


def bounder(node) -> Callable[[int], float | None]:
    """A function: depth → the best score a passage not yet seen at that depth (in no list
    above it) could reach, or None when no such passage can match."""
    if isinstance(node, Leaf):
        scores, boost = node.list.scores, node.boost
        n = len(scores)

        def leaf(depth: int) -> float | None:
            return scores[depth] * boost if depth < n else None

        return leaf
    if isinstance(node, Node):
        if node.done:  # unseen passages do not match it
            return lambda depth: None
        done = next((c for c in node.children if isinstance(c, Node) and c.done), None)
        if done is not None and not node.all:
            return _missing_bounder(node, done)
        subs, boost, every = [bounder(c) for c in node.children], node.boost, node.all

        def combined(depth: int) -> float | None:
            total = 0.0
            hit = False
            for f in subs:
                b = f(depth)
                if b is None:
                    if every:
                        return None
                else:
                    total += b
                    hit = True
            return total * boost if hit else None

        return combined
    return bounder(node.child)


def _global_allowed(q, top) -> set[int]:
    def compute() -> set[int]:
        out: set[int] = set()
        for sub, offset in top.leaf_searchers():
            out.update(d + offset for d in q.allowed(sub))
        return out

    return q.remember(("allowed-global", q.filters), compute)


def _positions(q, top) -> Callable[[int], bool]:
    """Does a passage (global docnum) hold a CheckedPhrase's words in order?

    Checked on the passage's stored text, tokenised exactly as the `exact` field was (words
    at consecutive positions, a hyphenated compound's closed form at its first part's
    position): the same answer as the postings give, at a constant ~0.1 ms. Reading the
    postings in random order would cost far more: Whoosh skips by walking block headers from
    the start of a term's postings, and a phrase usually holds a word like "of"."""
    from ctsearch.analysis import closed_forms, words

    seq, slop = q.words, q.slop
    need = set(seq)

    def ok(d: int) -> bool:
        ws = words(top.stored_fields(d).get("text") or "")
        where: dict[str, list[int]] = {}
        for i, (w, _, _, _) in enumerate(ws):
            if w in need:
                where.setdefault(w, []).append(i)
        for closed, a, _ in closed_forms(ws):
            if closed in need:
                where.setdefault(closed, []).append(a)
        found: set[int] | None = None
        for w in seq:
            positions = where.get(w)
            if not positions:
                return False
            if found is None:
                found = set(positions)
            elif slop == 1:
                found = {p for p in positions if p - 1 in found}
            else:
                found = {p for p in positions if any(0 < p - x <= slop for x in found)}
            if not found:
                return False
        return True

    return ok
