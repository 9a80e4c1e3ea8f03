"""Incremental `ctsearch index`: only what changed is re-indexed; the result equals a rebuild."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from conftest import contents, rebuilt_contents, write_doc

from ctsearch.errors import CorpusError
from ctsearch.index import manifest as mf
from ctsearch.index import store as index
from ctsearch.index.sync import sync_index


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    for i in range(6):
        write_doc(corpus, f"doc{i}", i)
    write_doc(corpus, "sub/nested", 99)
    return corpus


def test_first_run_builds_then_nothing_changes(corpus, tmp_path):
    first = sync_index(corpus, tmp_path / "index")
    assert first.rebuilt and (first.added, first.documents) == (7, 7)
    assert first.passages == first.passages_written > 0
    second = sync_index(corpus, tmp_path / "index")
    assert not second.rebuilt
    assert (second.added, second.changed, second.removed, second.unchanged) == (0, 0, 0, 7)
    assert second.passages_written == 0 and second.passages == first.passages
    assert second.documents == 7


def test_add_change_remove_cycles_equal_a_rebuild(corpus, tmp_path):
    idx = tmp_path / "index"
    sync_index(corpus, idx)
    rng = random.Random(4)
    names = [p.stem for p in corpus.glob("*.txt")]
    for cycle in range(4):
        new = f"new{cycle}"
        write_doc(corpus, new, 1000 + cycle)
        changed = rng.choice(names)
        write_doc(corpus, changed, 2000 + cycle, paragraphs=rng.randint(1, 5))
        removed = rng.choice([n for n in names if n != changed])
        (corpus / f"{removed}.txt").unlink()
        names = [n for n in names if n != removed] + [new]
        report = sync_index(corpus, idx)
        assert not report.rebuilt
        assert (report.added, report.changed, report.removed) == (1, 1, 1)
        assert contents(idx) == rebuilt_contents(corpus, tmp_path)
        assert report.documents == len(list(corpus.rglob("*.txt")))
        assert report.passages == len(contents(idx))


def test_a_sidecar_change_is_a_change(corpus, tmp_path):
    idx = tmp_path / "index"
    sync_index(corpus, idx)
    (corpus / "doc1.meta.toml").write_text('title = "Renamed"\ndate = "2022-05-04"\n')
    report = sync_index(corpus, idx)
    assert (report.changed, report.unchanged) == (1, 6)
    assert contents(idx) == rebuilt_contents(corpus, tmp_path)
    assert any(("title", "'Renamed'") in row for row in contents(idx))


def test_a_people_file_change_reindexes_everything(corpus, tmp_path):
    idx = tmp_path / "index"
    sync_index(corpus, idx)
    (corpus / "people.toml").write_text(
        '[[person]]\nname = "Jane Example"\naliases = ["Example"]\n', encoding="utf-8"
    )
    notes: list[str] = []
    report = sync_index(corpus, idx, warn=notes.append)
    assert report.rebuilt and report.reason == "the people data changed"
    assert any("people data changed" in n for n in notes)
    assert contents(idx) == rebuilt_contents(corpus, tmp_path)


def test_dry_run_reports_and_writes_nothing(corpus, tmp_path):
    idx = tmp_path / "index"
    dry = sync_index(corpus, idx, dry_run=True)
    assert dry.dry_run and dry.added == 7
    assert not idx.exists()  # not even the lock file
    sync_index(corpus, idx)
    before = {p: p.stat().st_mtime_ns for p in idx.rglob("*")}
    write_doc(corpus, "doc9", 9)
    (corpus / "doc2.txt").unlink()
    dry = sync_index(corpus, idx, dry_run=True)
    assert (dry.added, dry.removed, dry.unchanged) == (1, 1, 6)
    assert {p: p.stat().st_mtime_ns for p in idx.rglob("*")} == before


def test_rebuild_starts_from_scratch(corpus, tmp_path):
    idx = tmp_path / "index"
    sync_index(corpus, idx)
    generation = index.read_marker(idx)["generation"]
    report = sync_index(corpus, idx, rebuild=True)
    assert report.rebuilt and report.added == 7
    assert index.read_marker(idx)["generation"] != generation
    assert not (idx / generation).exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files without read permission")
def test_an_unreadable_file_keeps_its_last_good_passages(corpus, tmp_path):
    idx = tmp_path / "index"
    sync_index(corpus, idx)
    kept = [row for row in contents(idx) if ("doc_id", "'doc3'") in row]
    write_doc(corpus, "doc3", 333)
    (corpus / "doc3.txt").chmod(0)
    notes: list[str] = []
    try:
        report = sync_index(corpus, idx, warn=notes.append)
        assert report.unreadable == 1 and report.changed == 0
        assert any("doc3.txt" in n for n in notes)
        assert [row for row in contents(idx) if ("doc_id", "'doc3'") in row] == kept
    finally:
        (corpus / "doc3.txt").chmod(0o644)
    report = sync_index(corpus, idx)
    assert report.changed == 1  # readable again: its new text goes in
    assert contents(idx) == rebuilt_contents(corpus, tmp_path)


def test_a_file_unreadable_during_ingestion_keeps_its_passages(corpus, tmp_path, monkeypatch):
    """The race a stat-based snapshot cannot see: hashed fine, unreadable a moment later."""
    from ctsearch.documents import parse as documents

    idx = tmp_path / "index"
    sync_index(corpus, idx)
    kept = [row for row in contents(idx) if ("doc_id", "'doc4'") in row]
    write_doc(corpus, "doc4", 444)
    real = documents.parse_file

    def flaky(path, **kw):
        if Path(path).name == "doc4.txt":
            (corpus / "doc4.txt").unlink()
            return real(path, **kw)
        return real(path, **kw)

    monkeypatch.setattr(documents, "parse_file", flaky)
    report = sync_index(corpus, idx, warn=lambda m: None)
    assert report.unreadable == 1
    assert [row for row in contents(idx) if ("doc_id", "'doc4'") in row] == kept
    monkeypatch.undo()
    report = sync_index(corpus, idx)
    assert report.removed == 1  # gone for good now: removed from the index
    assert not [row for row in contents(idx) if ("doc_id", "'doc4'") in row]


def test_a_binary_file_is_skipped_and_a_rebuild_agrees(corpus, tmp_path):
    idx = tmp_path / "index"
    sync_index(corpus, idx)
    (corpus / "doc5.txt").write_bytes(bytes(range(256)) * 40)
    notes: list[str] = []
    report = sync_index(corpus, idx, warn=notes.append)
    assert any("doc5.txt" in n for n in notes)
    assert (report.added, report.skipped) == (0, 1)  # reported as skipped, not as added
    assert not [row for row in contents(idx) if ("doc_id", "'doc5'") in row]
    assert contents(idx) == rebuilt_contents(corpus, tmp_path)
    rebuilt = sync_index(corpus, idx, rebuild=True)
    assert rebuilt.skipped == 1 and rebuilt.added == rebuilt.documents


def test_an_empty_corpus_is_an_error_and_keeps_the_index(corpus, tmp_path):
    idx = tmp_path / "index"
    sync_index(corpus, idx)
    before = contents(idx)
    for path in corpus.rglob("*.txt"):
        path.unlink()
    with pytest.raises(CorpusError, match="nothing in .* could be indexed"):
        sync_index(corpus, idx)
    assert contents(idx) == before
    with pytest.raises(CorpusError, match="nothing in .* could be indexed"):
        sync_index(corpus, idx, rebuild=True)
    assert contents(idx) == before


def test_a_corpus_of_only_bad_files_is_an_error(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "junk.txt").write_bytes(b"\x00\xff" * 500)
    with pytest.raises(CorpusError, match="could be indexed"):
        sync_index(corpus, tmp_path / "index", warn=lambda m: None)
    with pytest.raises(CorpusError, match="not found"):
        sync_index(tmp_path / "missing", tmp_path / "index")


def test_a_crash_after_marking_pending_is_redone(corpus, tmp_path, monkeypatch):
    """Killed between the commit and the manifest save: the next run redoes the pending docs."""
    from ctsearch.index import sync as incremental

    idx = tmp_path / "index"
    sync_index(corpus, idx)
    write_doc(corpus, "doc0", 555)
    (corpus / "doc1.txt").unlink()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # stands for a kill right after the commit

    real_save = mf.save
    calls = []

    def save_then_crash(manifest, path):
        calls.append(manifest.pending)
        if not manifest.pending:  # the final save, after the commit
            crash()
        real_save(manifest, path)

    monkeypatch.setattr(incremental.mf, "save", save_then_crash)
    with pytest.raises(KeyboardInterrupt):
        sync_index(corpus, idx)
    monkeypatch.undo()
    assert mf.load(idx / index.MANIFEST_FILENAME).pending  # the pending list survived
    report = sync_index(corpus, idx)
    assert (report.changed, report.removed) == (1, 1)
    assert contents(idx) == rebuilt_contents(corpus, tmp_path)


@pytest.mark.parametrize("then", ["index", "dry-run", "no change"])
def test_counts_are_repaired_after_a_kill_between_commit_and_marker(
    corpus, tmp_path, monkeypatch, then
):
    """Killed after the Whoosh commit, before the marker write: the marker's document count is
    one commit behind; the next run counts from the index, the one committed source."""
    from ctsearch.index import sync as incremental
    from ctsearch.index.stats import stats

    idx = tmp_path / "index"
    sync_index(corpus, idx)
    write_doc(corpus, "doc9", 909)  # one more document
    real_write = incremental.write_marker

    def killed(index_dir, data):
        if "updated" in data:  # the write after the commit
            raise KeyboardInterrupt
        real_write(index_dir, data)

    monkeypatch.setattr(incremental, "write_marker", killed)
    with pytest.raises(KeyboardInterrupt):
        sync_index(corpus, idx)
    monkeypatch.undo()
    assert index.read_marker(idx)["documents"] == 7  # stale: the index holds 8
    assert stats(idx).documents == 8
    if then == "dry-run":
        assert sync_index(corpus, idx, dry_run=True).documents == 8
        assert index.read_marker(idx)["documents"] == 7  # a dry run writes nothing
        return
    if then == "index":
        write_doc(corpus, "doc1", 111)  # and a change, redone on top of the repaired count
    report = sync_index(corpus, idx)
    assert report.documents == 8 == stats(idx).documents
    assert index.read_marker(idx)["documents"] == 8
    assert report.passages == stats(idx).passages
    assert contents(idx) == rebuilt_contents(corpus, tmp_path)


def test_documents_are_counted_from_live_passages(corpus, tmp_path):
    idx = tmp_path / "index"
    sync_index(corpus, idx)
    (corpus / "doc2.txt").unlink()
    (corpus / "doc3.txt").unlink()
    sync_index(corpus, idx)  # two deleted: their doc_id terms stay until a merge
    ix = index.open_index(idx)
    with ix.reader() as reader:
        assert index.count_documents(reader) == 5
    marker = index.read_marker(idx)
    assert index.current_counts(idx, marker)["documents"] == 5
    assert index.current_counts(idx, {**marker, "toc": None})["documents"] == 5


def test_deletions_are_merged_away_once_they_are_many(tmp_path):
    corpus = tmp_path / "corpus"
    for i in range(20):
        write_doc(corpus, f"d{i:02}", i, paragraphs=4)
    idx = tmp_path / "index"
    sync_index(corpus, idx)

    def deleted_share() -> float:
        ix = index.open_index(idx)
        with ix.reader() as r:
            return 1 - r.doc_count() / r.doc_count_all()

    write_doc(corpus, "d00", 700, paragraphs=4)  # 1 of 20 documents: 5% deleted, kept
    report = sync_index(corpus, idx)
    assert 0 < deleted_share() < 0.1 and report.merged_segments == 0
    for i in range(1, 4):  # now well over 10% of the big segment: rewritten without them
        write_doc(corpus, f"d{i:02}", 800 + i, paragraphs=4)
    report = sync_index(corpus, idx)
    assert deleted_share() == 0 and report.merged_segments >= 1
    assert contents(idx) == rebuilt_contents(corpus, tmp_path)


def test_big_segments_are_rewritten_only_when_mostly_deleted(tmp_path, monkeypatch):
    from ctsearch.index import update

    monkeypatch.setattr(update, "SMALL_SEGMENT", 10)  # the 80-passage segment counts as big
    corpus = tmp_path / "corpus"
    for i in range(20):
        write_doc(corpus, f"d{i:02}", i, paragraphs=4)
    idx = tmp_path / "index"
    sync_index(corpus, idx)
    for i in range(4):  # 20% deleted: too few to pay for rewriting a big segment
        write_doc(corpus, f"d{i:02}", 900 + i, paragraphs=4)
    assert sync_index(corpus, idx).merged_segments == 0
    for i in range(4, 12):  # now 60% of it: rewritten
        write_doc(corpus, f"d{i:02}", 900 + i, paragraphs=4)
    assert sync_index(corpus, idx).merged_segments >= 1
    segments = index.open_index(idx)._segments()
    assert all(s.deleted_count() / s.doc_count_all() < 0.5 for s in segments)
    assert contents(idx) == rebuilt_contents(corpus, tmp_path)
