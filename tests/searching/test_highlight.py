"""Highlighting marks the words as written, with the deterministic ** marker."""

from __future__ import annotations

from ctsearch.index.schema import stem
from ctsearch.searching.highlight import MatchSpec, highlight, spans


def test_stems_mark_every_surface_form():
    spec = MatchSpec(stems=frozenset({stem("drone")}))
    assert highlight("Drones, a drone and drone-strikes.", spec) == (
        "**Drones**, a **drone** and **drone**-strikes."
    )


def test_phrase_marks_the_whole_run_including_hyphens():
    spec = MatchSpec(phrases=((("all", "of", "society"), 0),))
    assert highlight("an all-of-society and all of society approach", spec) == (
        "an **all-of-society** and **all of society** approach"
    )


def test_phrase_matches_surface_words_only():
    spec = MatchSpec(phrases=((("foreign", "terrorist", "fighters"), 0),))
    text = "foreign terrorists fighters, foreign terrorist fighters"
    assert highlight(text, spec) == "foreign terrorists fighters, **foreign terrorist fighters**"


def test_closed_form_matches_a_hyphenated_compound():
    spec = MatchSpec(phrases=((("counterterrorism",), 0),))
    assert highlight("Counter-Terrorism Week", spec) == "**Counter-Terrorism** Week"


def test_exact_words_from_prefix_or_fuzzy_expansion():
    spec = MatchSpec(exact=frozenset({"terrorism", "terrorist"}))
    assert highlight("Terrorism and terrorists; terrorist acts", spec) == (
        "**Terrorism** and terrorists; **terrorist** acts"
    )


def test_proximity_marks_each_word_of_a_near_match():
    spec = MatchSpec(phrases=((("rule", "law"), 2),))
    assert (
        highlight("the rule of law; law and rule", spec) == "the **rule** of **law**; law and rule"
    )


def test_accents_and_case_are_ignored_but_text_is_kept():
    spec = MatchSpec(stems=frozenset({stem("antonio")}))
    assert highlight("ANTÓNIO said", spec) == "**ANTÓNIO** said"


def test_no_spec_no_marks():
    assert highlight("anything at all", MatchSpec()) == "anything at all"
    assert spans("", MatchSpec(stems=frozenset({"x"}))) == []


def test_overlapping_matches_are_merged():
    spec = MatchSpec(stems=frozenset({"rule"}), phrases=((("rule", "of", "law"), 0),))
    assert highlight("the rule of law", spec) == "the **rule of law**"
