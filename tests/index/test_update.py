"""Incremental commits (update.py): delete, add, and the merge policy's choices."""

from __future__ import annotations

from pathlib import Path

from conftest import index_documents, make_document, sample_documents

from ctsearch.index import store as index
from ctsearch.index.update import commit_changes
from ctsearch.searching.search import search


def build(tmp_path: Path) -> Path:
    (tmp_path / "corpus").mkdir(exist_ok=True)
    index_documents(tmp_path / "corpus", tmp_path / "index", sample_documents())
    return tmp_path / "index"


def segments(index_dir: Path) -> list[tuple[int, int]]:
    """(passages, deleted passages) of each segment."""
    return [(s.doc_count_all(), s.deleted_count()) for s in index.open_index(index_dir)._segments()]


def note(version: int):
    text = f"Ransomware note version {version} on critical infrastructure."
    return make_document("note", [(text, ()), (f"Second passage {version}.", ())])


def test_an_added_document_is_searchable_and_counted(tmp_path):
    idx = build(tmp_path)
    counts = commit_changes(idx, [note(1)])
    assert (counts.documents_added, counts.passages_added) == (1, 2)
    assert counts.passages_total == 12 + 2
    assert search("ransomware", index_dir=idx).total == 1


def test_replacing_a_document_drops_its_dead_segment_without_rewriting(tmp_path):
    idx = build(tmp_path)
    drones = search("drones", index_dir=idx).total
    commit_changes(idx, [note(1)])
    assert segments(idx) == [(12, 0), (2, 0)]
    counts = commit_changes(idx, [note(2)])  # the first note's segment is now all deleted
    assert (counts.documents_deleted, counts.passages_deleted) == (1, 2)
    assert counts.merged_segments == 1
    assert segments(idx) == [(12, 0), (2, 0)]  # dropped, not kept as a dead segment
    hits = search("version", index_dir=idx).hits
    assert [h.text for h in hits] == ["Ransomware note version 2 on critical infrastructure."]
    assert search("drones", index_dir=idx).total == drones > 0  # the big segment is untouched


def test_deleting_everything_of_a_segment_removes_its_files(tmp_path):
    idx = build(tmp_path)
    commit_changes(idx, [note(1)])
    generation = index.index_info(idx).generation
    files_before = {p.name for p in generation.iterdir() if p.suffix != ".toc"}
    commit_changes(idx, delete=["note"])
    assert segments(idx) == [(12, 0)]
    files_after = {p.name for p in generation.iterdir() if p.suffix != ".toc"}
    assert files_after < files_before  # the note segment's files are gone
    assert search("ransomware", index_dir=idx).total == 0


def test_a_mostly_deleted_segment_is_rewritten_without_its_dead_passages(tmp_path):
    idx = build(tmp_path)
    big = make_document("big", [(f"Filler passage {i} about resilience.", ()) for i in range(10)])
    commit_changes(idx, [big])
    keep_two = make_document("big", [(f"Filler passage {i} again.", ()) for i in range(2)])
    commit_changes(idx, [keep_two])
    assert all(deleted == 0 for _, deleted in segments(idx))
    assert search("filler", index_dir=idx).total == 2
