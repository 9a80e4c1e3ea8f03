"""text.py: Punkt sentences without downloaded data, word counts, the Snowball stemmer."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctsearch.documents.sentences import (
    line_spans,
    sentence_spans,
    sentences,
    word_count,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Vladimir Voronkov spoke. Ms. Gherman replied.",
            ["Mr. Vladimir Voronkov spoke.", "Ms. Gherman replied."],
        ),
        (
            "H.E. Mr. John Smith of the U.N. Secretariat spoke. Dr. Doe agreed.",
            ["H.E. Mr. John Smith of the U.N. Secretariat spoke.", "Dr. Doe agreed."],
        ),
        (
            "See resolution No. 2396 and St. Petersburg, e.g. the forum. It ended.",
            ["See resolution No. 2396 and St. Petersburg, e.g. the forum.", "It ended."],
        ),
        ("Then Amina J. Mohammed spoke. She left.", ["Then Amina J. Mohammed spoke.", "She left."]),
        # A boundary after a closing quote stays after it.
        (
            "He reiterated it. “We need to ensure impact on the ground.” Mr. Voronkov said so.",
            [
                "He reiterated it.",
                "“We need to ensure impact on the ground.”",
                "Mr. Voronkov said so.",
            ],
        ),
        (
            'He said "this is it." Then he left.',
            ['He said "this is it."', "Then he left."],
        ),
        # A "sentence" starting lowercase continues the previous one.
        (
            "“It is clear.” he said. It was 5 p.m. today.",
            ["“It is clear.” he said.", "It was 5 p.m. today."],
        ),
        # Sentences never cross a line break.
        (
            "Press release\n\nThe conference concluded",
            ["Press release", "The conference concluded"],
        ),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sentence_spans_are_offsets_into_the_text() -> None:
    text = "  First one.  Second one!\n\n  Third one?  "
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one!", "Third one?"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('abc ABC.,“”"\n!?Mr')), max_size=200))
def test_sentence_spans_property(text: str) -> None:
    spans = sentence_spans(text)
    last = 0
    for a, b in spans:
        assert last <= a < b <= len(text)
        chunk = text[a:b]
        assert chunk == chunk.strip() and "\n" not in chunk
        last = b


def test_line_spans() -> None:
    text = "a b\n\n  c  \n\n\n d"
    assert [text[a:b] for a, b in line_spans(text)] == ["a b", "c", "d"]


def test_huge_line_without_punctuation_is_fast() -> None:
    import time

    text = " ".join(["word"] * 200_000)
    t = time.perf_counter()
    spans = sentence_spans(text)
    assert time.perf_counter() - t < 2.0
    assert spans == [(0, len(text))]


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("", 0),
        ("one", 1),
        ("a – b, c", 3),
        ("counter-terrorism all-of-society", 2),
        ("  x \n y ", 2),
    ],
)
def test_word_count(text: str, n: int) -> None:
    assert word_count(text) == n


def test_nltk_is_imported_lazily() -> None:
    """Importing the ingestion modules must not pay NLTK's import time."""
    code = (
        "import sys, ctsearch.documents.parse, ctsearch.documents.passages; "
        "import ctsearch.documents.metadata, ctsearch.documents.sentences; "
        "assert not any(m == 'nltk' or m.startswith('nltk.') for m in sys.modules), 'nltk loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_light_punkt_import_matches_the_full_nltk() -> None:
    """Punkt loaded without nltk/__init__ splits exactly as the normally imported one, and a
    later `import nltk` still gets the complete package."""
    sample = "Mr. X said. “Yes.” he said. The U.N. met at 5 p.m. today. Dr. Doe left! Why?"
    light = (
        "import sys; from ctsearch.documents.sentences import sentence_spans; "
        f"print(sentence_spans({sample!r})); import nltk; "
        "assert nltk.tokenize.punkt.PunktSentenceTokenizer and nltk.word_tokenize"
    )
    full = (
        "import nltk; from ctsearch.documents.sentences import sentence_spans; "
        f"print(sentence_spans({sample!r}))"
    )
    outs = [
        subprocess.run([sys.executable, "-c", c], check=True, capture_output=True, text=True).stdout
        for c in (light, full)
    ]
    assert outs[0] == outs[1] and outs[0].startswith("[(0, 11)")


def _punkt_only_spans(line: str) -> list[tuple[int, int]]:
    from ctsearch.documents.sentences import _punkt

    return list(_punkt().span_tokenize(line))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab AZ.?!”’")-\t,:;0é', min_size=1, max_size=60))
def test_lines_skipped_by_the_fast_path_are_one_sentence_for_punkt(line):
    # The fast path in sentence_spans must never change what Punkt would have said.
    from ctsearch.documents.sentences import _MAY_SPLIT

    line = line.strip()
    if line and not _MAY_SPLIT.search(line):
        assert _punkt_only_spans(line) == [(0, len(line))]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1_ .,—“”\t\n\u00a0\u2003é-")), max_size=60))
def test_word_count_counts_tokens_with_a_word_character(text: str) -> None:
    import re

    assert word_count(text) == len(re.findall(r"\S*\w\S*", text))
