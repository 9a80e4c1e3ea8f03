"""British/American spellings: one canonical form for both, and the variants to look up."""

from __future__ import annotations

import pytest

from ctsearch.searching.spelling_variants import canonical, variants

PAIRS = [
    ("organisation", "organization"), ("organised", "organized"), ("analyse", "analyze"),
    ("labour", "labor"), ("behaviour", "behavior"), ("favourable", "favorable"),
    ("centre", "center"), ("centres", "centers"), ("defence", "defense"),
    ("offence", "offense"), ("dialogue", "dialog"), ("travelled", "traveled"),
    ("programme", "program"), ("judgement", "judgment"), ("radicalisation", "radicalization"),
]  # fmt: skip
UNCHANGED = ["four", "hour", "your", "rise", "wise", "fence", "tour", "terrorism", "of"]


@pytest.mark.parametrize("british, american", PAIRS)
def test_both_spellings_have_one_canonical_form(british, american):
    assert canonical(british) == canonical(american) == american
    assert british in variants(american) and american in variants(british)


@pytest.mark.parametrize("word", UNCHANGED)
def test_short_and_unrelated_words_keep_their_spelling(word):
    assert canonical(word) == word
    assert word in variants(word)
