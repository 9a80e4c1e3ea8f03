"""Words, folding and compounds (analysis.py): one definition for index, query and highlight."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS

from ctsearch.analysis import (
    closed_forms,
    compounds,
    fold,
    fold_aligned,
    fold_lower,
    index_terms,
    index_tokens,
    words,
)


@pytest.mark.parametrize(
    "word, folded",
    [
        ("António", "antonio"),
        ("GUTERRES", "guterres"),
        ("Straße", "strasse"),
        ("Øresund", "oresund"),
    ],
)
def test_fold(word, folded):
    assert fold(word) == folded


def test_words_split_hyphens_and_mark_compound_parts():
    text = "The counter-terrorism office’s all-of-society work"
    got = [(w, text[s:e], joined) for w, s, e, joined in words(text)]
    assert got == [
        ("the", "The", False),
        ("counter", "counter", False),
        ("terrorism", "terrorism", True),
        ("offices", "office’s", False),  # apostrophes inside words are dropped
        ("all", "all", False),
        ("of", "of", True),
        ("society", "society", True),
        ("work", "work", False),
    ]
    assert compounds(words(text)) == [(1, 2), (4, 6)]


def test_a_dash_with_spaces_is_not_a_compound():
    assert not any(joined for *_, joined in words("threats – attacks - drones"))


def test_overlong_words_are_not_indexed():
    assert [w for w, *_ in words("ok " + "x" * 500 + " fine")] == ["ok", "fine"]


def test_fold_aligned_keeps_one_character_for_one_and_agrees_with_fold():
    text = "António Łukasz Straße Øresund Æsir"
    aligned = fold_aligned(text)
    assert len(aligned) == len(text)
    assert aligned == "Antonio Lukasz Straße Oresund Æsir"  # ß, Æ: two letters in `fold`
    assert fold_lower(text) == aligned.lower()
    # Casefolding the aligned text gives fold()'s letters: ß -> "ss" both ways.
    assert fold_aligned("Straße").casefold() == fold("Straße") == "strasse"


def test_closed_forms_join_each_compound_over_the_positions_it_spans():
    toks = words("the counter-terrorism office and all-of-society work")
    assert closed_forms(toks) == [("counterterrorism", 1, 2), ("allofsociety", 5, 7)]


def test_index_tokens_put_each_closed_form_after_its_last_part():
    assert index_tokens("a counter-terrorism b") == [
        ("a", 0, 0),
        ("counter", 1, 1),
        ("terrorism", 2, 2),
        ("counterterrorism", 1, 2),
        ("b", 3, 3),
    ]
    assert index_tokens("cyber-attacks") == [
        ("cyber", 0, 0),
        ("attacks", 1, 1),
        ("cyberattacks", 0, 1),
    ]


def test_index_terms_by_kind():
    text = "the counter-terrorism office"
    assert index_terms("exact", text)["counterterrorism"] == [1]
    assert set(index_terms("pairs", text)) == {
        "the counter",
        "counter terrorism",
        "terrorism office",
        "the counterterrorism",
        "counterterrorism office",
    }
    assert index_terms("stem", "drones and drone")["drone"] == [0, 2]


def test_analysis_imports_no_whoosh_and_no_nltk():
    source = (CORPUS.parent / "ctsearch" / "analysis.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|from)\s+(whoosh|nltk)", source, re.M)


def test_spellings_give_each_compound_as_its_parts_and_closed():
    from ctsearch.analysis import spellings

    toks = words("counter-terrorism office")
    assert spellings(toks) == [("counter", "terrorism", "office"), ("counterterrorism", "office")]
    many = words("a-b c-d e-f g-h")
    assert len(spellings(many)) == 8 and len(spellings(many, 2)) == 2
    assert spellings(many)[0] == ("a", "b", "c", "d", "e", "f", "g", "h")
