"""`ctsearch quote`: the alignment (exact diffs), and real quotes from the corpus, altered the
ways people alter quotes, found at rank 1; sentences that are not in it reported not found."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ctsearch import quote
from ctsearch.cli import cli
from ctsearch.errors import QueryError
from ctsearch.searching.quotes import QUOTE_THRESHOLD, align
from ctsearch.view_models import DiffPart

SOURCE = (
    "Terrorism is a global threat that no country can face alone. We must organize our "
    "defence together, with respect for human rights and the rule of law, in dialogue with "
    "civil society."
)


def test_an_exact_quote_scores_100_and_is_all_equal():
    score, diff, excerpt = align("no country can face alone", SOURCE)
    assert score == 100.0
    assert diff == (DiffPart("equal", "no country can face alone", "no country can face alone"),)
    assert excerpt == "no country can face alone"


def test_a_changed_and_a_missing_word_are_marked():
    score, diff, _ = align("Terrorism is a global threat no nation can face alone.", SOURCE)
    assert [d.op for d in diff] == ["equal", "missing", "equal", "changed", "equal"]
    assert diff[1] == DiffPart("missing", "that", "")
    assert diff[3] == DiffPart("changed", "country", "nation")
    assert QUOTE_THRESHOLD <= score < 100


def test_an_added_word_is_marked():
    _, diff, _ = align("no country can ever face alone", SOURCE)
    assert DiffPart("added", "", "ever") in diff


def test_british_spelling_curly_quotes_and_contractions_are_not_differences():
    score, diff, _ = align(
        "\u201cWe must organise our defense together, with respect for human rights\u201d",
        SOURCE,
    )
    assert score == 100.0 and [d.op for d in diff] == ["equal"]
    score, diff, _ = align("in dialog with civil society", SOURCE)  # dialogue
    assert score == 100.0 and [d.op for d in diff] == ["equal"]
    score, _, _ = align(
        "Terrorism's a threat that no country can't face",
        "Terrorism is a threat that no country can not face",
    )
    assert score >= 80


def test_an_ellipsis_cut_costs_nothing():
    score, diff, _ = align(
        "Terrorism is a global threat ... with respect for human rights and the rule of law",
        SOURCE,
    )
    assert score == 100.0
    assert [d.op for d in diff] == ["equal", "omitted", "equal"]
    assert diff[1].source.startswith("that no country")


def test_a_typo_is_the_same_word():
    score, _, _ = align("no country can face alone, we must organize our defence togther", SOURCE)
    assert score == 100.0


def test_unrelated_words_score_low():
    score, _, _ = align("Cats like fish and sleep all day in the warm sun", SOURCE)
    assert score < 40


def test_no_words():
    assert align("...", SOURCE) is None


# -- the real corpus -------------------------------------------------------------------------

# (the sentence as the corpus has it, the quote as someone repeated it)
ALTERED = [
    (  # a word changed, straight quotes
        "We need to uphold the rights of victims and ensure they have a voice.",
        '"We need to uphold the rights of victims and make sure they have a voice."',
    ),
    (  # British spelling, a word dropped
        "They are often the first to spot early signs of radicalization in young or vulnerable "
        "people.",
        "They are the first to spot early signs of radicalisation in young or vulnerable people",
    ),
    (  # an ellipsis for a cut, curly quotes
        "To stay ahead of the terrorists, I call on the international community, the private "
        "sector and academia to share knowledge, expertise and resources",
        "\u201cTo stay ahead of the terrorists, I call on the international community \u2026 to "
        "share knowledge, expertise and resources\u201d",
    ),
    (  # two words swapped, one word changed
        "We must fight terrorism together, with methods that do not compromise the rule of law "
        "and human rights.",
        "We must fight terrorism together, with methods that don't undermine human rights and the "
        "rule of law",
    ),
    (  # inflections changed, lower case
        "We must promote an all of government and all of society approach to preventing and "
        "countering terrorism",
        "we must promote an all of government and all of society approach to prevent and "
        "counter terrorism",
    ),
    (  # a word dropped at the start, 'counterterrorism' closed
        "And we must also engage women in counter-terrorism. They have an absolutely vital role "
        "to play.",
        "we must also engage women in counterterrorism. They have a vital role to play.",
    ),
    (  # paraphrased ending
        "It is clear that a terrorist safe haven anywhere is a threat everywhere.",
        "It is clear that a terrorist safe haven anywhere is a threat to everyone everywhere.",
    ),
    (  # ellipsis with brackets, British 'centre'
        "he reiterated the need to place victims at the center of global counter-terrorism efforts "
        "and enhance solidarity with and support to victims of terrorism",
        "the need to place victims at the centre of global counter-terrorism efforts [...] "
        "support to victims of terrorism",
    ),
    (  # words changed in a long quote
        "Let us do more to identify and remove terrorist content before it is accessible to all.",
        "Let us do much more to identify and take down terrorist content before it is accessible "
        "to all",
    ),
    (  # reordered clause
        "We must learn from each other about what works and about what does not.",
        "We must learn from each other about what does not work and what works",
    ),
    (  # a word added and typography
        "the \u201cneed to be resolute, principled and forward-looking in our pursuit of a world "
        "free from terrorism in all its forms and manifestations.\u201d",
        "the need to be resolute, principled and truly forward looking in our pursuit of a world "
        "free from terrorism in all its forms and manifestations",
    ),
    (  # a typo and a dropped word
        "More needs to be done to bring foreign terrorist fighters",
        "more needs to be done to bring foreign terorist fighters",
    ),
]

INVENTED = [
    "Terrorism will be defeated when every nation builds a wall around its cities and closes "
    "its ports to all foreign ships.",
    "The Secretary-General said that drones should be banned from the skies of every capital "
    "by the end of next year.",
    "We must never negotiate with anyone, because negotiation is itself a form of surrender to "
    "violence.",
    "Our office will open a new counter-terrorism museum in Geneva dedicated to the history of "
    "cybercrime.",
    "Human rights are a luxury that the fight against terrorism cannot always afford.",
]


def _fold(text: str) -> str:
    return " ".join(text.replace("\u201c", "").replace("\u201d", "").split()).casefold()


@pytest.mark.parametrize("original, altered", ALTERED, ids=[a[:30] for _, a in ALTERED])
def test_altered_real_quote_found_at_rank_1(original, altered, real_index):
    result = quote(altered, index_dir=real_index)
    assert result.found, [m.score for m in result.matches]
    top = result.matches[0]
    assert top.is_match and top.score >= QUOTE_THRESHOLD
    assert _fold(original) in _fold(top.text), top.passage_id
    assert top.citation.endswith(f"passage {top.passage_id}")


def test_at_least_ten_altered_quotes():
    assert len(ALTERED) >= 10


@pytest.mark.parametrize("text", INVENTED, ids=[t[:30] for t in INVENTED])
def test_invented_quote_not_found(text, real_index):
    result = quote(text, index_dir=real_index)
    assert not result.found
    assert all(not m.is_match and m.score < QUOTE_THRESHOLD for m in result.matches)


def test_filters_apply(real_index):
    text = "We need to uphold the rights of victims and ensure they have a voice"
    assert quote(text, index_dir=real_index, speakers=["guterres"]).found
    assert not quote(text, index_dir=real_index, year=2021).found


def test_limit(real_index):
    result = quote("to counter terrorism", index_dir=real_index, limit=2)
    assert len(result.matches) <= 2


@pytest.mark.parametrize(
    "text, kwargs, message",
    [
        ("...", {}, "no words"),
        ("word " * 400, {}, "too long"),
        ("victims", {"limit": 0}, "--limit"),
        ("victims", {"speakers": ["nobody at all"]}, "unknown speaker"),
        ("victims", {"colour": "red"}, "unknown filter"),
    ],
)
def test_errors(text, kwargs, message, real_index):
    with pytest.raises(QueryError, match=message):
        quote(text, index_dir=real_index, **kwargs)


def test_cli_json_contract(real_index):
    args = ["quote", "we must fight terrorism together", "--json", "--index", str(real_index)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"query", "found", "matches"}
    assert data["found"] is True
    m = data["matches"][0]
    assert set(m) >= {"score", "passage_id", "doc_id", "title", "date", "speakers", "text",
                      "diff", "citation"}  # fmt: skip
    assert all(set(d) == {"op", "source", "quote"} for d in m["diff"])


def test_cli_text_marks_differences(real_index):
    args = ["quote", "We must fight terrorism together, with tools that do not compromise the "
            "rule of law", "--index", str(real_index)]  # fmt: skip
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "[-methods-]{+tools+}" in result.stdout
    assert "found:" in result.stderr


def test_cli_not_found_exits_0(real_index):
    args = ["quote", INVENTED[0], "--index", str(real_index)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    assert "not found" in result.stderr
