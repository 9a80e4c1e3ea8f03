"""clean: the whole cleaning — idempotent, free of junk characters, fast on the real corpus."""

from __future__ import annotations

import os
import re
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctsearch.clean import clean_text
from ctsearch.ingest import read_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SEED = {name[:3]: CORPUS / name for name in (os.listdir(CORPUS) if CORPUS.is_dir() else [])}


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n") if text else []


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
    if len(SEED) < 5:
        pytest.skip("corpus/ is not present")
    raws = [read_text(path) for path in SEED.values()]
    clean_text("café")  # ftfy's import is paid once per process
    start = time.perf_counter()
    for raw in raws:
        clean_text(raw)
    assert time.perf_counter() - start < 0.5  # ~20 ms on a laptop; generous for loaded CI
