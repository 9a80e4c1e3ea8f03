"""Real-corpus tier: the five seed files against the gold data in ../shared/eval/.

Every field of every document in seed_documents.toml and every row of seed_speakers.tsv must
be reproduced; and no passage may carry mojibake or Markdown marks.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from conftest import CORPUS, EVAL_DIR

from ctsearch.documents.parse import parse_files
from ctsearch.documents.passages import MAX_WORDS
from ctsearch.documents.sentences import word_count
from ctsearch.models import Document

if not (EVAL_DIR / "seed_documents.toml").is_file():
    pytest.skip(f"gold data not found in {EVAL_DIR}", allow_module_level=True)

GOLD_DOCS: dict[str, dict] = tomllib.loads((EVAL_DIR / "seed_documents.toml").read_text("utf-8"))
SPEAKER_ROWS = [
    line.split("\t")
    for line in (EVAL_DIR / "seed_speakers.tsv").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    warnings: list[str] = []
    parsed = parse_files(sorted(CORPUS.glob("*.txt")), warn=warnings.append)
    assert warnings == []
    return {Path(d.source).name: d for d in parsed}


def _fold(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.parametrize("name", sorted(GOLD_DOCS))
def test_document_fields(docs: dict[str, Document], name: str) -> None:
    gold = GOLD_DOCS[name]
    doc = docs[name]
    for key, expected in gold.items():
        value = getattr(doc, key)
        if key == "speakers":
            value = list(value)
        if expected == "" and key in ("date", "place"):
            expected = None
        assert value == expected, f"{name}: {key}"
    expected_year = gold.get("year") or (int(gold["date"][:4]) if gold.get("date") else None)
    assert doc.year == expected_year


@pytest.mark.parametrize(
    ("name", "snippet", "expected"),
    [tuple(row[:3]) for row in SPEAKER_ROWS],
    ids=[f"{r[0][:3]}:{r[1][:30]}" for r in SPEAKER_ROWS],
)
def test_passage_speakers(
    docs: dict[str, Document], name: str, snippet: str, expected: str
) -> None:
    doc = docs[name]
    holders = [p for p in doc.passages if _fold(snippet) in _fold(p.text)]
    assert len(holders) == 1, f"{len(holders)} passages contain {snippet!r}"
    want = [] if expected.strip() == "-" else [s.strip() for s in expected.split(",")]
    assert list(holders[0].speakers) == want


MOJIBAKE = re.compile(r"¡[°±¯]|¨[C¦]|&[^\s;]{1,12};|Ã.|â€|\ufffd|[\u00a0\u2011\u00ad]")
MARKDOWN = re.compile(
    r"\*\*|(?<!\w)\*\w|\w\*(?!\w)|^#+\s|\]\(|\[[^\]]*\]\(#\)|^-{3,}$|\\[*_]", re.M
)


def test_no_junk_reaches_a_passage(docs: dict[str, Document]) -> None:
    for doc in docs.values():
        for field in (doc.title, *(p.text for p in doc.passages)):
            assert not MOJIBAKE.search(field), (doc.doc_id, MOJIBAKE.search(field))
            assert not MARKDOWN.search(field), (doc.doc_id, MARKDOWN.search(field))


def test_passages_are_sound(docs: dict[str, Document]) -> None:
    ids = []
    for doc in docs.values():
        assert doc.passages
        for p in doc.passages:
            assert doc.text[p.start : p.end] == p.text
            assert p.text.strip() and 0 < word_count(p.text) <= MAX_WORDS
            ids.append(p.passage_id)
        # Titles, datelines and contact lines are metadata, not passages.
        assert not any(p.text.startswith(doc.title) for p in doc.passages)
        assert not any(
            re.match(r"(Contact|Follow us|Visit:|PRESS RELEASE)", p.text) for p in doc.passages
        )
    assert len(ids) == len(set(ids))


def test_parse_command_is_fast() -> None:
    """`ctsearch parse` on the whole corpus in well under a second (cold interpreter, best of 3
    so that a busy machine does not make the test flaky)."""
    import subprocess
    import sys
    import time

    code = "import sys; from ctsearch.cli import main; sys.argv[0] = 'ctsearch'; main()"
    cmd = [sys.executable, "-c", code, "parse", *map(str, sorted(CORPUS.glob("*.txt")))]
    times = []
    for _ in range(3):
        t = time.perf_counter()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
    assert "000_d8cdb801a8f39fb7" in out.stdout
    assert min(times) < 1.0, f"ctsearch parse took {min(times):.2f}s at best"
