"""punkt.py: the port gives NLTK Punkt's spans exactly, and leaves odd characters to NLTK."""

from __future__ import annotations

import nltk.tokenize.punkt as nltk_punkt  # a dependency: imported, never skipped
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctsearch.documents import punkt
from ctsearch.documents.sentences import ABBREVIATIONS, _punkt


def _nltk_spans(text: str) -> list[tuple[int, int]]:
    return list(_punkt().span_tokenize(text))


def _same_class(pattern: str) -> str:
    # NLTK builds "[...?!]" from a set: its order changes with the process's hash seed.
    return pattern.replace("\\?!", "!\\?")


def test_patterns_are_nltks() -> None:
    lv = nltk_punkt.PunktLanguageVars()
    assert _same_class(punkt._WORDS_RE.pattern) == _same_class(lv._word_tokenizer_re().pattern)
    ours = _same_class(punkt._PERIOD_CONTEXT_RE.pattern)
    assert ours == _same_class(lv.period_context_re().pattern)
    assert punkt._REALIGN_RE.pattern == lv.re_boundary_realignment.pattern
    assert punkt.PUNCTUATION == nltk_punkt.PunktSentenceTokenizer.PUNCTUATION
    assert punkt.SENT_END_CHARS == tuple(lv.sent_end_chars)


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Vladimir Voronkov spoke. Ms. Gherman replied.",
        "H.E. Mr. John Smith of the U.N. Secretariat spoke. Dr. Doe agreed.",
        "See resolution No. 2396 and St. Petersburg, e.g. the forum. It ended.",
        "Then Amina J. Mohammed spoke. She left.",
        "He reiterated it. “We need to ensure impact on the ground.” Mr. Voronkov said so.",
        "In 2018. the year. In 2019. The year. 3. (a) item.",
        'Very bad acting!!! I promise... really? Yes! (Sent1.) Sent2. "Quoted." Next',
        "A. B. c. d. _. e.g., i.e.: etc.; vs. Counter-Terrorism Jr. Next",
        "Wait -- no. -- Yes.. ok... . . . Done.",
    ],
)
def test_known_texts(text: str) -> None:
    assert list(punkt.span_tokenize(text, ABBREVIATIONS)) == _nltk_spans(text)


_ALPHABET = list("ab AB.?!,;:“”‘’\"'()[]-–_ 0123\t") + ["Mr", "No", "J", "U.N", "etc", "é", "Ö"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_ALPHABET), max_size=60).map("".join))
def test_port_agrees_with_nltk(text: str) -> None:
    try:
        ours = list(punkt.span_tokenize(text, ABBREVIATIONS))
    except punkt.Unsupported:
        return
    assert ours == _nltk_spans(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=40))
def test_port_agrees_with_nltk_on_any_text(text: str) -> None:
    try:
        ours = list(punkt.span_tokenize(text, ABBREVIATIONS))
    except punkt.Unsupported:
        return
    assert ours == _nltk_spans(text)


@pytest.mark.parametrize("text", ["A word\x1c. Next", "x ². Y", "Word 1\U0001f6dc. Next"])
def test_characters_left_to_nltk(text: str) -> None:
    with pytest.raises(punkt.Unsupported):
        list(punkt.span_tokenize(text, ABBREVIATIONS))


def test_initials_agree_with_nltks_regex_engine_on_the_whole_bmp() -> None:
    regex = pytest.importorskip("regex")
    theirs = regex.compile(r"[^\W\d]\.$")
    for cp in range(0x10000):
        tok = chr(cp) + "."
        try:
            ours = punkt._is_initial(tok)
        except punkt.Unsupported:
            continue
        assert ours == bool(theirs.match(tok)), hex(cp)
