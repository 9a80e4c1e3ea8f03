"""`ctsearch quote`: which passages a quote comes from, best first, with the differences.

A quote as people repeat it is rarely exact: words dropped, changed or reordered, British or
American spelling, curly or straight quotes, an ellipsis for a cut. Two steps:

1. Candidates from the index: the passages sharing the most of the quote's rarer words and
   adjacent word pairs (the `text` and `pairs` fields, weighted by rarity, filters as in
   `search`), the best CANDIDATES of them. The quote is analysed as passages are indexed,
   so a British spelling looks up the American key the index holds.
2. Each candidate is aligned with the quote word by word (rapidfuzz's Indel alignment: the
   longest common subsequence of words, then the run of common blocks that scores best, so
   stray matches of "the" far away stay out). Words are compared by stem after folding case
   and accents, expanding contractions and mapping British to American spelling as the
   index does (`analysis.term`, `spelling.py`): "organisations" matches "organization";
   punctuation and quote marks are not words. An ellipsis ("...", "…", "[...]") marks a
   cut: the source words there are `omitted`, which costs nothing; words the quote moved
   count as matched. The score (0-100) is 100 × 2 × matched words / (quote words + source
   words in the window): 100 is the exact wording, one changed word in twenty gives 95.

A quote is *found* when a passage scores at least QUOTE_THRESHOLD. Below it the closest
passages are still listed, marked as non-matches, never as the source.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from ctsearch.analysis import PAIR_JOINER, closed_forms, stem, term, words
from ctsearch.errors import QueryError
from ctsearch.searching.query import whole_number
from ctsearch.view_models import DiffPart, QuoteMatch, QuoteResult

# The lowest score that counts as "found". Altered real quotes (words dropped, changed, moved
# or respelled, a cut) score 80-100 (tests/test_quotes.py); sentences that are not in the
# corpus but share its vocabulary score under 50, stock phrases that half-match a passage
# 60-70 (measured on the 100k benchmark corpus). Below it no passage is close enough to call
# it the source.
QUOTE_THRESHOLD = 70.0
CANDIDATES = 25  # passages fetched from the index and aligned
RARE_SHARE = 0.02  # terms in at most this share of passages fetch candidates (if any)
MAX_TERMS = 60  # the rarest terms of a quote read at most
MAX_QUOTE_WORDS = 300
SAME_WORD_RATIO = 85  # two words at least this similar (rapidfuzz ratio) count as one (typos)
MIN_SAME_WORD_CHARS = 5  # ...when both are at least this long
NON_MATCHES_SHOWN = 3  # closest passages listed when nothing reaches the threshold

# Contractions expanded before comparing ("'s" is left alone: a possessive as often as "is").
_CONTRACTIONS = (("n't", "not"), ("'ve", "have"), ("'re", "are"), ("'ll", "will"),
                 ("'m", "am"), ("'d", "would"))  # fmt: skip
_IRREGULAR = {"can't": ("can", "not"), "won't": ("will", "not"), "shan't": ("shall", "not")}
_APOSTROPHE = re.compile("['\u2019\u02bc]")
_ELLIPSIS = re.compile(r"\[\s*(?:\.\s*){3}\]|\[\s*…\s*\]|(?:\.\s*){3}|…")
_CODE_BASE = 0x10000  # words are aligned as characters from this code point on

Warn = Callable[[str], None]


class _Tok(NamedTuple):
    key: str  # what is compared: the stem of the word as indexed (American spelling)
    start: int
    end: int


def quote(
    text: str,
    *,
    index_dir: str | Path = "index",
    limit: int = 5,
    corpus: str | Path | None = None,
    warn: Warn | None = None,
    **filters: Any,
) -> QuoteResult:
    """The passages whose wording is closest to `text`, best first (at most `limit`)."""
    from whoosh import query as wq

    from ctsearch.searching.matching import opened_query, with_filters
    from ctsearch.searching.show import citation

    limit = whole_number(limit, "--limit")
    toks = _tokens(text)
    if not toks:
        raise QueryError("the quote has no words: give the words you want to find")
    if len(toks) > MAX_QUOTE_WORDS:
        raise QueryError(
            f"the quote is too long ({len(toks)} words; at most {MAX_QUOTE_WORDS}): "
            "give its most distinctive sentence"
        )
    with opened_query(None, index_dir=index_dir, corpus=corpus, warn=warn, **filters) as prep:
        searcher = prep.searcher
        allowed = None
        if prep.parts:
            scope = with_filters(wq.Every(), prep.parts.values(), prep.remember)
            allowed = prep.remember(("quote-scope", scope), lambda: _docset(searcher, scope))
        found = [searcher.stored_fields(d) for d in _candidates(searcher.reader(), text, allowed)]
        described = prep.describe()
    scored = []
    for order, fields in enumerate(found):
        aligned = align(text, fields.get("text") or "")
        if aligned is not None:
            scored.append((aligned[0], -order, fields, aligned))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    hits = [s for s in scored if s[0] >= QUOTE_THRESHOLD][:limit]
    is_found = bool(hits)
    if not hits:
        hits = scored[: min(limit, NON_MATCHES_SHOWN)]
    matches = tuple(
        QuoteMatch(
            score=score,
            passage_id=fields.get("passage_id", ""),
            doc_id=fields.get("doc_id", ""),
            title=fields.get("title") or "",
            date=fields.get("date_text") or (str(fields["year"]) if fields.get("year") else None),
            speakers=tuple(fields.get("speaker_list") or ()),
            text=fields.get("text") or "",
            diff=diff,
            citation=citation(fields),
            is_match=score >= QUOTE_THRESHOLD,
            excerpt=excerpt,
        )
        for score, _, fields, (_, diff, excerpt) in hits
    )
    return QuoteResult(
        query=text, found=is_found, matches=matches, threshold=QUOTE_THRESHOLD, filters=described
    )


def _candidates(reader, text: str, allowed: frozenset[int] | None) -> list[int]:
    """The passages sharing the most of the quote's rarer words and adjacent word pairs (each
    weighted by its rarity, idf), best first: at most CANDIDATES docnums.

    Read straight from the postings of the quote's terms (analysed as the index analyses
    passages: folded, spelling keyed, stemmed) that occur in at most RARE_SHARE of the
    passages: a real quote always has some, and their
    lists are short. Only when it has none (a quote of common words) are the common ones read.
    """
    import math

    ws = words(text)
    n = max(1, reader.doc_count_all())
    terms: dict[tuple[str, str], int] = {}
    closed = [word for word, _, _ in closed_forms(ws)]
    for word in [w for w, _, _, _ in ws] + closed:
        terms.setdefault(("text", stem(word)), 0)
    cuts = _cut_positions(text, ws)
    for i in range(1, len(ws)):
        if i not in cuts:
            terms.setdefault(("pairs", ws[i - 1][0] + PAIR_JOINER + ws[i][0]), 0)
    for key in terms:
        terms[key] = reader.doc_frequency(*key)
    present = {k: df for k, df in terms.items() if df}
    rare = {k: df for k, df in present.items() if df <= RARE_SHARE * n}
    chosen = rare or present
    scores: dict[int, float] = {}
    for (field, text_), df in sorted(chosen.items(), key=lambda kv: kv[1])[:MAX_TERMS]:
        idf = math.log(1 + n / df)
        for docnum in reader.postings(field, text_).all_ids():
            scores[docnum] = scores.get(docnum, 0.0) + idf
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    out = []
    for docnum, _ in ranked:
        if (allowed is None or docnum in allowed) and not reader.is_deleted(docnum):
            out.append(docnum)
            if len(out) == CANDIDATES:
                break
    return out


def _docset(searcher, q) -> frozenset[int]:
    from ctsearch.searching.matching import all_matches

    return frozenset(all_matches(searcher, q))


# -- alignment ------------------------------------------------------------------------------


def align(quote_text: str, source: str) -> tuple[float, tuple[DiffPart, ...], str] | None:
    """(score 0-100, the differences, the aligned part of `source`), or None when either has
    no words. The quote is cut into segments at its ellipses; each segment is aligned in turn
    with the source after the previous one."""
    q = _tokens(quote_text)
    s = _tokens(source)
    if not q or not s:
        return None
    codes: dict[str, str] = {}
    qa = "".join(_code(codes, t.key) for t in q)
    sa = "".join(_code(codes, t.key) for t in s)
    parts: list[DiffPart] = []
    matched = source_words = 0
    loose_q: Counter = Counter()  # keys of the quote's and the source's unmatched words
    loose_s: Counter = Counter()
    first = last = None  # the window in the source, as token indexes
    pos = 0  # source tokens before `pos` are taken by earlier segments
    for seg_start, seg_end in _segments(quote_text, q):
        seg = qa[seg_start:seg_end]
        rest = sa[pos:]
        got = _align_segment(seg, rest)
        if got is None:  # nothing in common: the segment's words are all added
            parts.append(DiffPart("added", "", _span(quote_text, q, seg_start, seg_end)))
            continue
        ops, a, b = got  # ops over quote indexes (segment) and source indexes (in the window)
        a, b = pos + a, pos + b
        if first is not None and a > last:
            parts.append(DiffPart("omitted", _span(source, s, last, a), ""))
        for op, qi, qj, si, sj in ops:
            qi, qj, si, sj = qi + seg_start, qj + seg_start, si + pos, sj + pos
            src = _span(source, s, si, sj)
            quo = _span(quote_text, q, qi, qj)
            if op == "equal":
                matched += qj - qi
            elif op == "changed" and _same_words(q[qi:qj], s[si:sj], quote_text, source):
                op = "equal"
                matched += qj - qi
            source_words += sj - si
            if op != "equal":
                loose_q.update(t.key for t in q[qi:qj])
                loose_s.update(t.key for t in s[si:sj])
            parts.append(DiffPart(op, src, quo))
        first = a if first is None else first
        last = b
        pos = b
    if first is None:
        return 0.0, tuple(_merge(parts)), ""
    # Reordered words: the quote's unmatched words that the source has elsewhere in the window
    # count as matched; then those just outside it, which the window grows to take in.
    moved = loose_q & loose_s
    matched += sum(moved.values())
    loose_q -= moved
    before, first, n_before = _take_moved(s, loose_q, first, -1)
    after, last, n_after = _take_moved(s, loose_q, last, +1)
    matched += n_before + n_after
    source_words += (before[1] - before[0]) + (after[1] - after[0])
    if after[1] > after[0]:
        parts.append(DiffPart("moved", _span(source, s, *after), ""))
    if before[1] > before[0]:
        parts.insert(0, DiffPart("moved", _span(source, s, *before), ""))
    score = round(100.0 * 2 * matched / (len(q) + source_words), 1)
    return score, tuple(_merge(parts)), source[s[first].start : s[last - 1].end]


def _take_moved(s: list[_Tok], loose: Counter, edge: int, step: int):
    """Source words just outside the window (before `edge` when step is -1, from `edge` on
    when +1) that the quote has unmatched (`loose`, updated): the unbroken run of them next to
    the window, at most as long as the quote's unmatched words.

    Returns ((start, end) of the run, the window's new edge, words matched)."""
    want = Counter(loose)
    hits = []
    for k in range(sum(loose.values())):
        i = edge + k if step > 0 else edge - 1 - k
        if not 0 <= i < len(s):
            break
        if want[s[i].key] <= 0:
            break  # a moved run is contiguous: a word the quote lacks ends it
        want[s[i].key] -= 1
        hits.append(k)
    if not hits:
        return (edge, edge), edge, 0
    loose.clear()
    loose.update(+want)
    n = hits[-1] + 1
    if step > 0:
        return (edge, edge + n), edge + n, len(hits)
    return (edge - n, edge), edge - n, len(hits)


def _align_segment(qa: str, sa: str):
    """Insert/delete alignment of quote words `qa` with source words `sa`: the parts between
    the first and the last common word, with the quote's unmatched words at either end facing
    as many source words just outside (changed). None when nothing is in common.

    The longest common subsequence over the whole source can prefer scattered common words
    ("the", "of") far away to a run that was moved within the quote, so it is also computed
    on the source around the quote's best-matching window (rapidfuzz's partial alignment,
    widened by the quote's length on each side); the better of the two is kept.

    Returns ([(op, q1, q2, s1, s2)], first source index, end source index)."""
    from rapidfuzz import fuzz

    best = _align_in(qa, sa, 0)
    if len(qa) < len(sa):
        at = fuzz.partial_ratio_alignment(qa, sa)
        lo, hi = max(0, at.dest_start - len(qa)), min(len(sa), at.dest_end + len(qa))
        if (lo, hi) != (0, len(sa)):
            near = _align_in(qa, sa[lo:hi], lo)
            if near is not None and (best is None or near[0] > best[0]):
                best = near
    return None if best is None else best[1:]


def _align_in(qa: str, sa: str, offset: int):
    """_align_segment on one stretch of the source (`offset`: where it starts), with the
    quality of the result first: (key, ops, first, end)."""
    from rapidfuzz.distance import Indel

    codes = list(Indel.opcodes(qa, sa))
    equal = [k for k, o in enumerate(codes) if o.tag == "equal"]
    if not equal:
        return None
    # The run of common blocks that scores best: far-off stray matches of common words
    # ("the", "of") are left out of the window.
    best = None
    for x, i in enumerate(equal):
        same = 0
        for j in equal[x:]:
            same += codes[j].src_end - codes[j].src_start
            # the quote's unmatched words at either end face as many source words outside
            lead = min(codes[i].src_start, codes[i].dest_start)
            tail = min(len(qa) - codes[j].src_end, len(sa) - codes[j].dest_end)
            span = codes[j].dest_end - codes[i].dest_start + lead + tail
            key = (same / (len(qa) + span), -span)
            if best is None or key > best[0]:
                best = (key, i, j)
    key, i, j = best
    f, g = codes[i], codes[j]
    out: list[tuple[str, int, int, int, int]] = []
    lead = f.src_start  # quote words before the first common word
    lo = max(0, f.dest_start - lead)
    if lead:
        out.append(_run(0, lead, lo, f.dest_start))
    run: list[int] | None = None  # [q1, q2, s1, s2]: unmatched words between common ones
    for o in codes[i : j + 1]:
        if o.tag == "equal":
            if run is not None:
                out.append(_run(*run))
                run = None
            out.append(("equal", o.src_start, o.src_end, o.dest_start, o.dest_end))
        elif run is None:
            run = [o.src_start, o.src_end, o.dest_start, o.dest_end]
        else:
            run[1], run[3] = o.src_end, o.dest_end
    tail = len(qa) - g.src_end  # quote words after the last common word
    hi = min(len(sa), g.dest_end + tail)
    if tail:
        out.append(_run(g.src_end, len(qa), g.dest_end, hi))
    if offset:
        out = [(op, q1, q2, s1 + offset, s2 + offset) for op, q1, q2, s1, s2 in out]
    return key, out, lo + offset, hi + offset


def _run(q1: int, q2: int, s1: int, s2: int) -> tuple[str, int, int, int, int]:
    """Unmatched words as one part: changed (both sides), added (quote) or missing (source)."""
    if q2 > q1 and s2 > s1:
        return ("changed", q1, q2, s1, s2)
    return ("added" if q2 > q1 else "missing", q1, q2, s1, s2)


def _same_words(qt: list[_Tok], st: list[_Tok], quote_text: str, source: str) -> bool:
    """Whether changed words are the same words misspelled ("terorism" for "terrorism")."""
    from rapidfuzz import fuzz

    if len(qt) != len(st):
        return False
    for a, b in zip(qt, st, strict=True):
        x, y = quote_text[a.start : a.end].casefold(), source[b.start : b.end].casefold()
        if min(len(x), len(y)) < MIN_SAME_WORD_CHARS or fuzz.ratio(x, y) < SAME_WORD_RATIO:
            return False
    return True


def _merge(parts: list[DiffPart]) -> list[DiffPart]:
    """Adjacent parts of the same kind as one (words joined by a space)."""
    out: list[DiffPart] = []
    for p in parts:
        if out and out[-1].op == p.op:
            prev = out[-1]
            out[-1] = DiffPart(
                p.op,
                " ".join(x for x in (prev.source, p.source) if x),
                " ".join(x for x in (prev.quote, p.quote) if x),
            )
        else:
            out.append(p)
    return out


def _tokens(text: str) -> list[_Tok]:
    """The words of `text` to compare: hyphenated compounds as one closed word (so that
    "counter-terrorism" meets "counterterrorism"), each keyed by the stem of the word as
    indexed (its American spelling)."""
    ws = words(text)
    groups = {a: (word, b) for word, a, b in closed_forms(ws)}
    out: list[_Tok] = []
    i = 0
    while i < len(ws):
        word, b = groups.get(i, (ws[i][0], i))
        start, end = ws[i][1], ws[b][2]
        if b == i and _APOSTROPHE.search(text, start, end):
            # the analyzer drops apostrophes ("can't" -> "cant"): contractions are read as typed
            word = _APOSTROPHE.sub("'", text[start:end].lower())
        for key in _keys(word):
            out.append(_Tok(key, start, end))
        i = b + 1
    return out


@lru_cache(maxsize=100_000)
def _keys(word: str) -> tuple[str, ...]:
    """What a word is compared by: the stems of its parts as indexed (`analysis.term`: folded,
    apostrophes dropped, American spelling)."""
    return tuple(stem(term(part)) for part in _expanded(word))


def _expanded(word: str) -> tuple[str, ...]:
    """A contraction as its two words ("they've" → they, have; "can't" → can, not), so that a
    quote that contracts or expands matches its source."""
    if "'" not in word:
        return (word,)
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    for suffix, full in _CONTRACTIONS:
        if word.endswith(suffix) and len(word) > len(suffix):
            return (word[: -len(suffix)], full)
    return (word,)


def _segments(text: str, toks: list[_Tok]) -> list[tuple[int, int]]:
    """The quote's token ranges between ellipses (empty ranges dropped)."""
    bounds = [0]
    for m in _ELLIPSIS.finditer(text):
        bounds.append(sum(1 for t in toks if t.end <= m.start()))
    bounds.append(len(toks))
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def _cut_positions(text: str, ws) -> set[int]:
    """Indexes of the words that follow an ellipsis (no word pair spans a cut)."""
    return {sum(1 for w in ws if w[2] <= m.start()) for m in _ELLIPSIS.finditer(text)}


def _code(codes: dict[str, str], key: str) -> str:
    found = codes.get(key)
    if found is None:
        found = codes[key] = chr(_CODE_BASE + len(codes))
    return found


def _span(text: str, toks: list[_Tok], i: int, j: int) -> str:
    """The words i..j-1 of `text` as written (with the punctuation between them)."""
    if j <= i:
        return ""
    return " ".join(text[toks[i].start : toks[j - 1].end].split())
