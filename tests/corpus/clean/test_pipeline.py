"""clean: the whole cleaning — idempotent, free of junk characters, fast on the real corpus."""

from __future__ import annotations

import random
import re
import textwrap
import time
import unicodedata

import pytest
from conftest import SEED_FILES, paragraphs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctsearch.corpus.clean import pipeline as clean
from ctsearch.corpus.clean.pipeline import clean_text
from ctsearch.corpus.read import read_text

# --- properties --------------------------------------------------------------------------------

PIECES = [
    "the", "and", "of", "said", "Counter-", "Terrorism", "commu-", "nity", ".", ",", ":", ";",
    "“", "”", "’", "*", "**", "_", "#", "# ", "- ", "* ", "1. ", "> ", "[x](#)", "\\*", "\\",
    "&amp;", "&nbsp;", "&", "¡°", "¨C", "&²Ô;", "Ã©", "â€™", "\u00a0", "\u2011", "\u00ad",
    "\u200b", "\t", " ", "  ", "\n", "\n\n", "\n \n", "\r", "\r\n", "\f", "12", "Page 2 of 5",
    "---", "•", "é", "e\u0301", "Mr.", "`", "<b>", "<https://x.org>", "\x1b[1m", "\x00",
    "a lower-case line that carries on", "A Sentence Here.",
    "a very long line of text that reaches the right margin of the page and",
]  # fmt: skip
documents = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(PIECES), max_size=80).map("".join),
)
BAD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u200b\ufeff]")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_clean_text_properties(raw: str) -> None:
    text = clean_text(raw)
    assert clean_text(text) == text
    assert text == text.strip()
    assert "\r" not in text and "\n\n\n" not in text and not BAD.search(text)
    for para in paragraphs(text):
        assert para and para == para.strip() and "\n" not in para and "  " not in para
    assert unicodedata.is_normalized("NFC", text)


# --- speed -------------------------------------------------------------------------------------


def test_cleaning_the_seed_corpus_is_fast() -> None:
    if len(SEED_FILES) < 5:
        pytest.skip("corpus/ is not present")
    raws = [read_text(path) for path in SEED_FILES.values()]
    clean_text("café")  # ftfy's import is paid once per process
    start = time.perf_counter()
    for raw in raws:
        clean_text(raw)
    assert time.perf_counter() - start < 0.5  # ~20 ms on a laptop; generous for loaded CI


# --- is_clean: the check that spares huge files a second cleaning ------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.sampled_from([None, False]))
def test_is_clean_is_sound(raw: str, markdown: bool | None) -> None:
    once = clean_text(raw, markdown=markdown)
    for text in (raw, once):
        if clean.is_clean(text, markdown=markdown):
            assert clean._clean_once(text, markdown) == text


def test_is_clean_refuses_what_it_cannot_vouch_for() -> None:
    assert clean.is_clean("One paragraph.\n\nAnother one.")
    assert not clean.is_clean("One paragraph.\n\nAnother one.", markdown=True)
    assert not clean.is_clean("café\u00a0au lait")  # a character to repair
    assert not clean.is_clean("**Bold** and *italic* and [a](b)")  # looks like Markdown
    assert not clean.is_clean("wrapped\nline")


def prose(chars: int, width: int = 0) -> str:
    rng = random.Random(3)
    words = (
        "the of and to in a is that for on with as by council member states united nations "
        "security strategy prevention victims human rights community conference delegates"
    ).split()
    out, size = [], 0
    while size < chars:
        p = " ".join(rng.choice(words) for _ in range(rng.randint(20, 90))).capitalize() + "."
        p = "\n".join(textwrap.wrap(p, width)) if width else p
        out.append(p)
        size += len(p) + 2
    return "\n\n".join(out)


@pytest.mark.parametrize("width", [0, 78], ids=["one-paragraph-a-line", "wrapped"])
def test_cleaning_5_mb_of_prose_is_one_pass_and_fast(width: int, monkeypatch) -> None:
    raw = prose(5 * 2**20, width)
    passes = []
    real = clean._clean_once
    monkeypatch.setattr(clean, "_clean_once", lambda *a: passes.append(1) or real(*a))
    start = time.perf_counter()
    text = clean_text(raw)
    elapsed = time.perf_counter() - start
    assert len(passes) == 1  # is_clean vouched for the result: no second cleaning
    assert clean._clean_once(text, None) == text  # rightly so
    assert len(paragraphs(text)) >= raw.count("\n\n") + 1
    # ~0.4 s (one paragraph a line) and ~0.8 s (wrapped) on a laptop; 50 MB takes ten times
    # as long (see the reliability table). A generous bound for loaded CI machines.
    assert elapsed < 10.0
