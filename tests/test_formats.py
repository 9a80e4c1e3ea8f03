"""PDFs and web pages everywhere .txt works: incremental updates, `add FILE`, `parse --json`.
(Which names are documents, as finding files, the manifest and `watch` see them:
tests/corpus/test_files.py.)"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from docmakers import make_html, make_pdf

from ctsearch.cli import cli
from ctsearch.corpus.add import add_files
from ctsearch.index.store import open_index
from ctsearch.index.sync import sync_index

WORDS = "terrorism victims drones financing cyber justice youth rights borders online".split()


def _paragraphs(seed: int, title: str) -> list[str]:
    rng = random.Random(seed)
    body = [" ".join(rng.choice(WORDS) for _ in range(30)).capitalize() + "." for _ in range(8)]
    return [title, *body]


def _passage_texts(index_dir: Path) -> dict[str, list[str]]:
    ix = open_index(index_dir)
    out: dict[str, list[str]] = {}
    with ix.searcher() as s:
        for fields in s.all_stored_fields():
            out.setdefault(fields["doc_id"], []).append(fields["text"])
    return out


def test_a_changed_pdf_is_reindexed_and_a_removed_page_removed(tmp_path: Path) -> None:
    corpus, idx = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    make_pdf(corpus / "report.pdf", _paragraphs(1, "First version of the report"))
    paras = _paragraphs(2, "A page")
    (corpus / "page.html").write_text(make_html(paras, title=paras[0]))
    (corpus / "note.txt").write_text("A note\n\nSome words about drones and youth.\n")
    first = sync_index(corpus, idx)
    assert first.documents == 3
    before = _passage_texts(idx)
    assert set(before) == {"report", "page", "note"}

    again = sync_index(corpus, idx)
    assert (again.added, again.changed, again.removed) == (0, 0, 0)

    make_pdf(corpus / "report.pdf", _paragraphs(3, "Second version of the report"))
    (corpus / "page.html").unlink()
    changed = sync_index(corpus, idx)
    assert (changed.added, changed.changed, changed.removed) == (0, 1, 1)
    after = _passage_texts(idx)
    assert set(after) == {"report", "note"}
    assert after["report"] != before["report"]
    fresh = tmp_path / "fresh"
    sync_index(corpus, fresh, rebuild=True)
    assert sorted(map(sorted, _passage_texts(fresh).values())) == sorted(
        map(sorted, after.values())
    )


def test_add_a_pdf_file_and_parse_json(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    src = make_pdf(tmp_path / "speech.pdf", _paragraphs(4, "Remarks on victims"))
    added = add_files([src], corpus, speakers=["Vladimir Voronkov"], url="https://x.org/s.pdf")
    assert [p.name for p in added] == ["speech.pdf"]
    result = CliRunner().invoke(cli, ["parse", str(added[0]), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)["documents"][0]
    assert doc["source"] == str(added[0]) and doc["url"] == "https://x.org/s.pdf"
    assert doc["speakers"] == ["Vladimir Voronkov"]
    assert doc["passages"] and all(p["end"] > p["start"] for p in doc["passages"])


def test_add_refuses_a_pdf_twin_of_a_text(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "speech.txt").write_text("A speech\n\nWords.\n")
    src = make_pdf(tmp_path / "speech.pdf", _paragraphs(4, "Remarks"))
    with pytest.raises(Exception, match="same document"):
        add_files([src], corpus)


def test_add_still_refuses_other_file_types(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "x.docx").write_bytes(b"PK\x03\x04")
    with pytest.raises(Exception, match=r"unsupported file type '\.docx'"):
        add_files([tmp_path / "x.docx"], tmp_path / "c")
