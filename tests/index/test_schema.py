"""The schema and its Whoosh analyzers: compounds, pairs, names; WordField = the analyzers."""

from __future__ import annotations

import pytest
from conftest import CORPUS

from ctsearch.index import schema


def analyze(analyzer, text: str, mode: str = "index") -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in analyzer(text, positions=True, mode=mode)]


def test_schema_version_is_a_positive_int():
    assert isinstance(schema.SCHEMA_VERSION, int) and schema.SCHEMA_VERSION >= 1


def test_stored_fields_are_enough_to_print_a_hit_and_cite_it():
    stored = set(schema.build_schema().stored_names())
    needed = {"passage_id", "doc_id", "ordinal", "source", "text", "title", "doc_type"}
    needed |= {"date_text", "year", "conference_name", "speaker_list", "place", "start", "end"}
    assert needed <= stored


def test_no_stop_words_are_removed():
    got = [w for w, _ in analyze(schema.stem_analyzer(), "The US will not, and may not, act")]
    assert got == ["the", "us", "will", "not", "and", "may", "not", "act"]


def test_index_mode_adds_the_closed_form_of_a_compound_at_its_first_position():
    got = analyze(schema.exact_analyzer(), "the counter-terrorism office")
    assert got == [
        ("the", 0),
        ("counter", 1),
        ("terrorism", 2),
        ("counterterrorism", 1),
        ("office", 3),
    ]


def test_query_mode_adds_no_closed_form():
    got = analyze(schema.exact_analyzer(), "counter-terrorism", mode="query")
    assert got == [("counter", 0), ("terrorism", 1)]


def test_stem_analyzer_stems_parts_and_closed_forms():
    got = [w for w, _ in analyze(schema.stem_analyzer(), "cyber-attacks")]
    assert got == ["cyber", "attack", "cyberattack"]


def test_pairs_cover_parts_and_closed_forms():
    got = {w for w, _ in analyze(schema.pair_analyzer(), "the counter-terrorism office")}
    assert got == {
        "the counter",
        "counter terrorism",
        "terrorism office",
        "the counterterrorism",
        "counterterrorism office",
    }


def test_names_are_folded_whole():
    got = [t.text for t in schema.name_analyzer()("António  Guterres, Vladimir Voronkov")]
    assert got == ["antonio guterres", "vladimir voronkov"]


# -- WordField: one-pass indexing gives what Whoosh's token stream gives ----------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from whoosh.fields import TEXT  # noqa: E402

_WORD_FIELDS = [n for n, f in schema.build_schema().items() if isinstance(f, schema.WordField)]
_PIECES = [
    "counter",
    "-",
    "terrorism",
    " ",
    "all-of-society",
    "don't",
    "Antó",
    "nio",
    "the",
    "  ",
    "\u2010",
    "-",
    "a",
    "x" * 61,
    "ab-cd-ef",
    "'",
    "Counter-Terrorism",
    "\n",
    "1-2",
]


def whoosh_rows(field, text: str) -> list:
    """What the field's analyzer gives through Whoosh's own TEXT.index()."""
    return sorted(TEXT.index(field, text))


@pytest.mark.parametrize("name", _WORD_FIELDS)
def test_word_fields_index_the_corpus_as_their_analyzers_do(name):
    field = schema.build_schema()[name]
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for chunk in [text[i : i + 700] for i in range(0, len(text), 700)]:
            assert sorted(field.index(chunk)) == whoosh_rows(field, chunk)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=6), max_size=40))
def test_word_fields_index_any_text_as_their_analyzers_do(pieces):
    text = "".join(pieces)
    fields = schema.build_schema()
    for name in _WORD_FIELDS:
        assert sorted(fields[name].index(text)) == whoosh_rows(fields[name], text), name


def test_word_field_kinds():
    fields = schema.build_schema()
    assert {n: fields[n].kind for n in _WORD_FIELDS} == {
        "text": "stem",
        "exact": "exact",
        "pairs": "pairs",
        "title": "stem",
    }
