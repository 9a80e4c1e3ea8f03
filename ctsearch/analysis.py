"""Words, folding, stemming and compounds: the one definition used by indexing, querying and
highlighting (no Whoosh here; `index/schema.py` wraps these in Whoosh's analyzer classes).

Every word goes through the same steps at index time, at query time and when highlighting:
split into words (hyphens split too), lowercase, fold accents, drop apostrophes inside words
("Da'esh" = "Daesh"), fold British spellings into American ones (`spelling.py`: "centre" =
"center"), then for the stemmed fields the Snowball English (Porter2) stemmer (`stemmer.py`).
No stop words are removed: "US", "not", "may", "will" and phrases such as "all of society"
must stay searchable.

A hyphenated word ("counter-terrorism") is its parts at consecutive positions plus, at index
time, its closed form ("counterterrorism") spanning them (`closed_forms`), so it matches
"counter terrorism" as a phrase and "counterterrorism" as a word.

Folding: letters lose their accents ("António" -> "antonio"); letters NFKD leaves alone are
mapped by LETTER_FOLDS, where ß is "ss" (German spelling; "Straße" = "Strasse"). `fold` is the
search folding (lowercase; a letter may become two). `fold_aligned` keeps one character for
one character, so that offsets into the original text stay valid (names found in documents):
a letter whose fold is two letters (ß, æ, œ, þ) stays as it is there, and casefolding (ß ->
"ss") then gives the same key as `fold`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ctsearch.models import MAX_WORD_CHARS
from ctsearch.spelling import spelling_key
from ctsearch.stemmer import stem

__all__ = [
    "LETTER_FOLDS",
    "PAIR_JOINER",
    "closed_forms",
    "compounds",
    "fold",
    "fold_aligned",
    "fold_lower",
    "index_terms",
    "index_tokens",
    "stem",
    "term",
    "words",
]

PAIR_JOINER = " "  # between the two words of a `pairs` term; never inside a word

# A word: letters/digits, with inner apostrophes ("general's", "don't"). Hyphens are not part
# of words; a single hyphen between two words marks them as parts of one compound.
_WORD = re.compile(r"\w+(?:['\u2018\u2019\u02bc`]\w+)*")
_HYPHENS = frozenset("-\u2010\u2011\u00ad")
# Letters (lowercase and capital) that NFKD does not decompose into base letter + accent.
LETTER_FOLDS = {
    "\u2019": "'",
    "\u2018": "'",
    "`": "'",
    "\u02bc": "'",
    "ß": "ss",
    "ẞ": "SS",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "Ð": "D",
    "ł": "l",
    "Ł": "L",
    "þ": "th",
    "Þ": "Th",
    "æ": "ae",
    "Æ": "Ae",
    "œ": "oe",
    "Œ": "Oe",
    "ı": "i",
    "ħ": "h",
    "Ħ": "H",
    "ŧ": "t",
    "Ŧ": "T",
}
_FOLDS = str.maketrans(LETTER_FOLDS)


@lru_cache(maxsize=200_000)
def term(word: str) -> str:
    """A word as indexed and searched: folded, apostrophes dropped ("Da’esh" = "Daesh",
    "Qa'ida" = "Qaida"), British spellings as American ("organisation" = "organization")."""
    folded = fold(word)
    if "'" in folded:
        folded = folded.replace("'", "")
    return spelling_key(folded)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lowercase and strip accents: "António" -> "antonio", "Straße" -> "strasse"."""
    word = word.lower()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_FOLDS).lower()


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character folded to one character (itself when its fold is longer)."""
    if ch.isascii():
        return ch
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    base = base.translate(_FOLDS)
    return base if len(base) == 1 else ch


def fold_aligned(text: str) -> str:
    """Accents removed, one character for one character (case kept), so offsets stay valid."""
    if text.isascii():
        return text
    table = {ord(c): _fold_char(c) for c in set(text) if not c.isascii()}
    return text.translate(table)


def fold_lower(text: str) -> str:
    """fold_aligned() and lowercase, still one character for one character."""
    if text.isascii():
        return text.lower()  # str.lower() of ASCII maps exactly A-Z to a-z
    return text.translate(_FOLD_LOWER)


class _FoldLowerTable(dict):
    """fold_lower's table, filled as characters are first seen (not built for every text)."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if c.isascii():
            out = c
        else:
            f = _fold_char(c)
            low = f.lower()
            out = low if len(low) == 1 else f
        self[code] = out
        return out


_FOLD_LOWER = _FoldLowerTable({c: chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})


@lru_cache(maxsize=64)
def words(text: str) -> tuple[tuple[str, int, int, bool], ...]:
    """The folded words of `text` as (word, start, end, joined), offsets into `text`.

    `joined` is True when the word follows the previous one across a single hyphen, i.e. it
    continues a compound. Cached because one passage is analysed for several fields in turn.
    """
    out: list[tuple[str, int, int, bool]] = []
    prev_end = -2
    for m in _WORD.finditer(text):
        start, end = m.span()
        if end - start > MAX_WORD_CHARS:
            prev_end = -2
            continue
        joined = start == prev_end + 1 and text[prev_end] in _HYPHENS
        out.append((term(m.group()), start, end, joined))
        prev_end = end
    return tuple(out)


def compounds(
    tokens: tuple[tuple[str, int, int, bool], ...],
) -> list[tuple[int, int]]:
    """(first, last) token indexes of each hyphenated compound in a `words()` result."""
    groups = []
    first = None
    for i, (_, _, _, joined) in enumerate(tokens):
        if joined:
            if first is None:
                first = i - 1
        elif first is not None:
            groups.append((first, i - 1))
            first = None
    if first is not None:
        groups.append((first, len(tokens) - 1))
    return groups


def closed_forms(
    tokens: tuple[tuple[str, int, int, bool], ...],
) -> list[tuple[str, int, int]]:
    """(closed word, first, last) of each hyphenated compound in a `words()` result: the
    parts joined ("counterterrorism") and the token indexes it spans."""
    return [("".join(t[0] for t in tokens[a : b + 1]), a, b) for a, b in compounds(tokens)]


def spellings(
    tokens: tuple[tuple[str, int, int, bool], ...], most: int = 8
) -> list[tuple[str, ...]]:
    """The words of a `words()` result with each hyphenated compound as its parts or closed
    ("counter-terrorism office" → (counter, terrorism, office), (counterterrorism, office)):
    at most `most` spellings; compounds beyond that stay as their parts."""
    variants: list[list[str]] = [[]]
    groups = dict(compounds(tokens))
    i = 0
    while i < len(tokens):
        if i in groups:
            b = groups[i]
            parts = [t[0] for t in tokens[i : b + 1]]
            closed = "".join(parts)
            if len(variants) * 2 <= most:
                variants = [v + parts for v in variants] + [v + [closed] for v in variants]
            else:
                variants = [v + parts for v in variants]
            i = b + 1
        else:
            variants = [v + [tokens[i][0]] for v in variants]
            i += 1
    return [tuple(v) for v in variants]


def index_tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, first position, last position) of each token the index-time analysis gives,
    in its order: every word, and after each hyphenated compound its closed form, which spans
    the compound's positions: what WordTokenizer | CompoundFilter (index/schema.py) yield,
    without Token objects."""
    toks = words(text)
    closed = {form[2]: form for form in closed_forms(toks)}
    out: list[tuple[str, int, int]] = []
    for i, tok in enumerate(toks):
        out.append((tok[0], i, i))
        if i in closed:
            out.append(closed[i])
    return out


def index_terms(kind: str, text: str) -> dict[str, list[int]]:
    """The terms of one field kind ("stem", "exact", "pairs") in `text`, each with the
    positions of its occurrences in order (a pair at its first word's first position)."""
    tokens = index_tokens(text)
    terms: dict[str, list[int]] = {}
    if kind == "pairs":
        by_start: dict[int, list[str]] = {}
        for word, first, _ in tokens:
            by_start.setdefault(first, []).append(word)
        for word, first, last in tokens:
            for following in by_start.get(last + 1, ()):
                terms.setdefault(word + PAIR_JOINER + following, []).append(first)
        return terms
    for word, first, _ in tokens:
        terms.setdefault(stem(word) if kind == "stem" else word, []).append(first)
    return terms
