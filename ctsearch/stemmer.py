"""The Snowball English (Porter2) stemmer, word for word as NLTK's `SnowballStemmer("english")`.

Built on Whoosh's port of the published algorithm (`whoosh.lang.porter2`: a plain module of
string functions, no index machinery) so that the search path never imports NLTK; NLTK differs
from the published algorithm in one corner (see _STEP2_REPLACED), reproduced here so that the
index agrees with NLTK (`tests/test_stemmer.py` compares them).
"""

from __future__ import annotations

from functools import lru_cache

from whoosh.lang import porter2

__all__ = ["stem"]

# NLTK tracks the stemmer's R1/R2 regions as strings; when step 2 or 3 replaces a suffix that
# is longer than the region, it empties the region (or leaves just "e") where the published
# algorithm keeps the region's start. Suffixes → what R2 becomes then.
_STEP2_SUFFIXES = (
    "ization", "ational", "fulness", "ousness", "iveness", "tional", "biliti", "lessli",
    "entli", "ation", "alism", "aliti", "ousli", "iviti", "fulli", "enci", "anci", "abli",
    "izer", "ator", "alli", "bli", "ogi", "li",
)  # fmt: skip
_STEP2_REPLACED = {
    "izer": "", "ization": "", "ational": "e", "ation": "e", "ator": "e", "alism": "",
    "aliti": "", "alli": "", "ousli": "", "ousness": "", "iveness": "e", "iviti": "e",
    "biliti": "", "bli": "",
}  # fmt: skip
_STEP3_SUFFIXES = ("ational", "tional", "alize", "icate", "iciti", "ative", "ical", "ness", "ful")
_STEP3_REPLACED = {"ational": "", "icate": "", "iciti": "", "ical": ""}


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball English (Porter2) stem of a folded word, as NLTK's SnowballStemmer("english").

    Built from Whoosh's port (no NLTK import on the search path). The port follows the
    published algorithm; NLTK differs in one corner (see _STEP2_REPLACED), reproduced here so
    that the index agrees with NLTK word for word ("realization" -> "realize").
    """
    p = porter2
    if len(word) <= 2:
        return word
    word = p.remove_initial_apostrophe(word)
    if word in p.exceptional_forms:
        return p.exceptional_forms[word]
    word = p.capitalize_consonant_ys(word)
    r1, r2 = p.get_r1(word), p.get_r2(word)
    word = p.step_0(word)
    word = p.step_1a(word)
    if word in p.exceptional_early_exit_post_1a:
        return word
    word = p.step_1b(word, r1)
    word = p.step_1c(word)
    before, word = word, p.step_2(word, r1)
    r1, r2 = _nltk_regions(before, word, r1, r2, _STEP2_SUFFIXES, _STEP2_REPLACED)
    before, word = word, p.step_3(word, r1, r2)
    r1, r2 = _nltk_regions(before, word, r1, r2, _STEP3_SUFFIXES, _STEP3_REPLACED)
    word = p.step_4(word, r2)
    word = p.step_5(word, r1, r2)
    return p.normalize_ys(word)


def _nltk_regions(
    before: str,
    after: str,
    r1: int,
    r2: int,
    suffixes: tuple[str, ...],
    replaced: dict[str, str],
) -> tuple[int, int]:
    if after == before:
        return r1, r2
    suffix = next((s for s in suffixes if before.endswith(s)), None)
    if suffix not in replaced:
        return r1, r2
    boundary = len(before) - len(suffix)
    if r1 > boundary:
        r1 = len(after)
    if r2 > boundary:
        r2 = len(after) - len(replaced[suffix])
    return r1, r2
