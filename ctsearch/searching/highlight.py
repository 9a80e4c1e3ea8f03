"""Mark the words a query matched in a passage, as written, never as stems.

The passage is analysed with the index's own analyzer (analysis.words), so a highlight marks
exactly what the index matched: a stemmed word marks every surface form sharing its stem
("drone" marks "drones"), a phrase marks the whole run of its words ("all-of-society" for the
phrase "all of society"), a prefix or fuzzy word marks the surface words it expanded to.
"""

from __future__ import annotations

from typing import NamedTuple

from ctsearch.analysis import closed_forms, stem, words

START = "**"  # deterministic markers of the JSON contract; output.py styles them on a terminal
END = "**"


class MatchSpec(NamedTuple):
    """What to look for: built by the query compiler from the positive parts of a query."""

    stems: frozenset[str] = frozenset()  # stemmed words (plain query words)
    exact: frozenset[str] = frozenset()  # folded surface words (prefix*/fuzzy~ expansions)
    phrases: tuple[tuple[tuple[str, ...], int], ...] = ()  # (folded words, slop); slop 0 = exact

    def __bool__(self) -> bool:
        return bool(self.stems or self.exact or self.phrases)


class _Tok(NamedTuple):
    word: str
    stem: str
    first: int  # first position
    last: int  # last position (a closed compound spans its parts)
    start: int
    end: int


def _tokens(text: str) -> list[_Tok]:
    ws = words(text)
    toks = [_Tok(w, stem(w), i, i, s, e) for i, (w, s, e, _) in enumerate(ws)]
    for closed, a, b in closed_forms(ws):
        toks.append(_Tok(closed, stem(closed), a, b, ws[a][1], ws[b][2]))
    return toks


def spans(text: str, spec: MatchSpec) -> list[tuple[int, int]]:
    """Character spans of the matches in `text`, sorted, overlaps merged."""
    if not spec or not text:
        return []
    if spec.phrases:
        return _merge(_all_spans(_tokens(text), spec))
    # Words only (the common case, kept lean: it runs for every hit shown): each word, and
    # the closed form of each hyphenated compound, matched by stem or surface form.
    ws = words(text)
    stems, exact = spec.stems, spec.exact
    found = [(s, e) for w, s, e, _ in ws if w in exact or stem(w) in stems]
    for closed, a, b in closed_forms(ws):
        if closed in exact or stem(closed) in stems:
            found.append((ws[a][1], ws[b][2]))
    return _merge(found)


def _all_spans(toks: list[_Tok], spec: MatchSpec) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for t in toks:
        if t.stem in spec.stems or t.word in spec.exact:
            found.append((t.start, t.end))
    by_first: dict[int, list[_Tok]] = {}
    for t in toks:
        by_first.setdefault(t.first, []).append(t)
    for seq, slop in spec.phrases:
        if slop:
            found.extend(_near(toks, seq, slop))
        else:
            found.extend(_runs(toks, by_first, seq, key="word"))
    return found


def _runs(
    toks: list[_Tok], by_first: dict[int, list[_Tok]], seq: tuple[str, ...], *, key: str
) -> list[tuple[int, int]]:
    """Spans where the words of `seq` follow each other (a compound counts as its parts or
    as its closed form)."""
    out = []
    for t in toks:
        if getattr(t, key) != seq[0]:
            continue
        ends = _extend(by_first, t, seq, 1, key)
        if ends is not None:
            out.append((t.start, ends))
    return out


def _extend(
    by_first: dict[int, list[_Tok]], prev: _Tok, seq: tuple[str, ...], k: int, key: str
) -> int | None:
    if k == len(seq):
        return prev.end
    for nxt in by_first.get(prev.last + 1, ()):
        if getattr(nxt, key) == seq[k]:
            end = _extend(by_first, nxt, seq, k + 1, key)
            if end is not None:
                return end
    return None


def _near(toks: list[_Tok], seq: tuple[str, ...], slop: int) -> list[tuple[int, int]]:
    """Each word of an in-order proximity match ("a b"~N), marked on its own."""
    plain = sorted((t for t in toks if t.first == t.last), key=lambda t: t.first)
    out = []
    for i, t in enumerate(plain):
        if t.word != seq[0]:
            continue
        chain = [t]
        j = i + 1
        for word in seq[1:]:
            while j < len(plain) and plain[j].word != word:
                if plain[j].first - chain[-1].last > slop + 1:
                    break
                j += 1
            if (
                j >= len(plain)
                or plain[j].word != word
                or plain[j].first - chain[-1].last > slop + 1
            ):
                chain = []
                break
            chain.append(plain[j])
            j += 1
        out.extend((c.start, c.end) for c in chain)
    return out


def _merge(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def mark(text: str, found: list[tuple[int, int]], start: str = START, end: str = END) -> str:
    """`text` with each span wrapped in the markers."""
    out = []
    pos = 0
    for a, b in found:
        out.append(text[pos:a])
        out.append(start + text[a:b] + end)
        pos = b
    out.append(text[pos:])
    return "".join(out)


def highlight(text: str, spec: MatchSpec) -> str:
    """The passage with its matches marked `**like this**`."""
    return mark(text, spans(text, spec))
