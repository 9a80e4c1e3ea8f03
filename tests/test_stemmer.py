"""The Porter2 stemmer (stemmer.py): word for word NLTK's Snowball English stemmer."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS

from ctsearch.analysis import fold, words
from ctsearch.stemmer import stem

# -- the stemmer agrees with NLTK's Snowball English stemmer -------------------------------

TRICKY = """
realization realizers organization organizations generalization generously dying lying news
skis skies proceed exceeding succeeded innings cannings herring earring howe atlas cosmos bias
andes gently ugly early only singly communism arsenal general's women's assembly's
izationally rationalization operationalize centralization nationality sensitivity criticality
hopefulness effectiveness callousness formalism abilities responsibilities biological
categorically radicalization radicalized decentralization authorizations """.split()


def corpus_vocabulary() -> set[str]:
    vocab: set[str] = set()
    for path in CORPUS.iterdir():
        text = path.read_bytes().decode("utf-8", errors="replace")
        vocab.update(w for w, *_ in words(text))
    return vocab


def test_stem_agrees_with_nltk_on_the_corpus_vocabulary_and_tricky_words():
    from nltk.stem.snowball import SnowballStemmer  # nltk is a dependency: never skipped

    snowball = SnowballStemmer("english")
    vocab = corpus_vocabulary() | {fold(w) for w in TRICKY}
    assert len(vocab) > 500
    differ = {w: (stem(w), snowball.stem(w)) for w in vocab if stem(w) != snowball.stem(w)}
    assert differ == {}


def test_stem_examples():
    assert [stem(w) for w in ("terrorism", "terrorists", "drones", "realization")] == [
        "terror",
        "terrorist",
        "drone",
        "realize",
    ]


def test_search_path_uses_no_nltk():
    # stemmer.py is imported by every search; NLTK costs ~250 ms to import.
    source = (CORPUS.parent / "ctsearch" / "stemmer.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import|from)\s+nltk", source, re.M)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("running", "run"),
        ("terrorism", "terror"),
        ("generously", "generous"),
        ("nations", "nation"),
    ],
)
def test_stems_as_snowball(word: str, expected: str) -> None:
    assert stem(word) == expected
