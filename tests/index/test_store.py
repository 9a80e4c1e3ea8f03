"""Building, opening and replacing the index: marker, versions, crash safety, updates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import index_documents, make_document, replace_documents, sample_documents

from ctsearch.errors import CorpusError, IndexMissingError, UnusableIndexError
from ctsearch.index import build as index_build
from ctsearch.index import store as index
from ctsearch.index.schema import SCHEMA_VERSION, passage_fields
from ctsearch.index.sync import sync_index
from ctsearch.searching.search import search


def build(tmp_path: Path, docs=None, warn=None) -> int:
    """An index of hand-made documents (sample_documents() by default); its passages."""
    docs = sample_documents() if docs is None else docs
    return index_documents(tmp_path / "corpus", tmp_path / "index", docs, warn=warn)


def total(index_dir: Path, query: str) -> int:
    return search(query, index_dir=index_dir).total


def test_report_counts_documents_and_passages(tmp_path, corpus_copy):
    report = sync_index(corpus_copy, tmp_path / "index")
    assert report.documents == 5 and report.passages > 20 and report.rebuilt
    assert report.seconds > 0 and report.passages_per_second > 0
    assert report.index_dir == str(tmp_path / "index")
    assert build(tmp_path / "sample") == 12


def test_marker_describes_the_index(tmp_path):
    build(tmp_path)
    marker = json.loads((tmp_path / "index" / index.MARKER).read_text(encoding="utf-8"))
    assert marker["format"] == index.MARKER_FORMAT
    assert marker["schema_version"] == SCHEMA_VERSION
    assert marker["corpus"] == str((tmp_path / "corpus").resolve())
    assert marker["built"].endswith("Z") and (marker["documents"], marker["passages"]) == (4, 12)
    assert (tmp_path / "index" / marker["generation"]).is_dir()


def test_builds_from_the_real_corpus(real_index):
    info = index.index_info(real_index)
    assert info.marker["documents"] == 5 and info.marker["passages"] > 20


def test_missing_corpus_is_an_error(tmp_path):
    with pytest.raises(CorpusError, match="not found"):
        sync_index(tmp_path / "nope", tmp_path / "index")


def test_a_rebuild_swaps_generations_and_removes_the_old_one(tmp_path):
    build(tmp_path)
    first = index.index_info(tmp_path / "index").generation
    build(tmp_path, docs=sample_documents()[:1])
    second = index.index_info(tmp_path / "index").generation
    assert first != second and not first.exists() and second.exists()
    assert total(tmp_path / "index", "victims") == 0  # web-c is gone
    assert total(tmp_path / "index", "drones") == 1


def test_a_build_that_fails_midway_leaves_the_old_index(tmp_path):
    build(tmp_path)
    before = (tmp_path / "index" / index.MARKER).read_text(encoding="utf-8")

    def exploding():
        yield sample_documents()[0]
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        build(tmp_path, docs=exploding())
    assert (tmp_path / "index" / index.MARKER).read_text(encoding="utf-8") == before
    assert total(tmp_path / "index", "victims") == 1
    gens = [p.name for p in (tmp_path / "index").iterdir() if p.name.startswith("whoosh-")]
    assert gens == [json.loads(before)["generation"]]  # the half-built one was removed


def test_generations_left_by_dead_builds_are_cleaned(tmp_path):
    build(tmp_path)
    stale = tmp_path / "index" / "whoosh-99-999999999"  # no such process
    stale.mkdir()
    build(tmp_path)
    assert not stale.exists()


def test_a_foreign_folder_is_refused(tmp_path):
    foreign = tmp_path / "index"
    foreign.mkdir()
    (foreign / "_MAIN_1.toc").write_bytes(b"not ours")
    with pytest.raises(UnusableIndexError, match="ctsearch only opens indexes it built"):
        index.open_index(foreign)
    with pytest.raises(UnusableIndexError, match="did not write"):
        build(tmp_path)
    assert (foreign / "_MAIN_1.toc").read_bytes() == b"not ours"


def test_a_marker_that_is_not_ours_is_refused(tmp_path):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / index.MARKER).write_text('{"format": "other"}', encoding="utf-8")
    with pytest.raises(UnusableIndexError, match="not a ctsearch index marker"):
        index.open_index(tmp_path / "index")


def test_missing_and_incomplete_indexes(tmp_path):
    with pytest.raises(IndexMissingError, match="ctsearch index"):
        index.open_index(tmp_path / "index")
    (tmp_path / "index").mkdir()
    index.write_marker(tmp_path / "index", {"schema_version": SCHEMA_VERSION, "generation": None})
    with pytest.raises(IndexMissingError, match="incomplete"):
        index.open_index(tmp_path / "index")


def test_an_old_schema_version_is_refused_then_rebuilt_with_a_notice(tmp_path):
    build(tmp_path)
    marker = index.read_marker(tmp_path / "index")
    index.write_marker(tmp_path / "index", {**marker, "schema_version": 0})
    assert index.is_outdated(tmp_path / "index")
    with pytest.raises(UnusableIndexError, match="schema 0"):
        index.open_index(tmp_path / "index")
    notices: list[str] = []
    build(tmp_path, warn=notices.append)
    assert any("schema version 0" in n for n in notices)
    assert total(tmp_path / "index", "drones") == 3


def test_update_replaces_and_deletes_documents_by_doc_id(tmp_path):
    build(tmp_path)
    changed = make_document("web-c", [("Only one passage about ransomware now.", ())], year=2021)
    added = make_document("new-e", [("Ransomware gangs and drones.", ())], date="2024-01-02")
    counts = replace_documents(tmp_path / "index", [changed, added], delete=["statement-d"])
    assert (counts.documents_added, counts.passages_added) == (2, 2)
    assert (counts.documents_deleted, counts.passages_deleted) == (2, 5)
    assert total(tmp_path / "index", "ransomware") == 2
    assert total(tmp_path / "index", "victims") == 0  # web-c's old passages are gone
    assert total(tmp_path / "index", "repatriating") == 0  # statement-d deleted
    # Re-applying the same update is harmless: no duplicates.
    replace_documents(tmp_path / "index", [changed, added])
    assert total(tmp_path / "index", "ransomware") == 2


def test_passage_fields_dates_and_precision():
    doc = make_document("x", [("text", ("A",))], date="2021-06-30")
    fields = passage_fields(doc, doc.passages[0])
    assert (fields["date_precision"], fields["datekey"], fields["year"]) == ("day", 20210630, 2021)
    doc = make_document("y", [("text", ())], year=2021)
    fields = passage_fields(doc, doc.passages[0])
    assert (fields["date_precision"], fields["datekey"]) == ("year", 20210000)
    assert "date" not in fields
    doc = make_document("z", [("text", ())])
    assert passage_fields(doc, doc.passages[0])["date_precision"] == "none"


def test_two_writer_processes_give_the_same_index_as_one(tmp_path, corpus_copy, monkeypatch):
    one = sync_index(corpus_copy, tmp_path / "one")
    monkeypatch.setattr(index_build, "MP_MIN_BYTES", 0)  # the corpus now counts as big
    two = sync_index(corpus_copy, tmp_path / "two")
    assert (one.documents, one.passages) == (two.documents, two.passages)
    for query in ("drones", '"foreign terrorist fighters"', "victims"):
        a, b = search(query, index_dir=tmp_path / "one"), search(query, index_dir=tmp_path / "two")
        assert a.total == b.total
        assert {h.passage_id for h in a.hits} == {h.passage_id for h in b.hits}


def test_every_write_takes_the_index_lock(tmp_path, monkeypatch):
    from ctsearch.errors import IndexLockedError
    from ctsearch.index.lock import IndexLock

    build(tmp_path)
    monkeypatch.setenv("CTSEARCH_LOCK_TIMEOUT", "0")
    other = threading_holder(tmp_path / "index")
    try:
        with pytest.raises(IndexLockedError):
            build(tmp_path)
        with pytest.raises(IndexLockedError):
            replace_documents(tmp_path / "index", [], delete=["web-c"])
    finally:
        other.release()
    with IndexLock(tmp_path / "index"):  # held here: nested writes in this thread go ahead
        replace_documents(tmp_path / "index", [], delete=["web-c"])
    assert total(tmp_path / "index", "victims") == 0


def threading_holder(index_dir: Path):
    """The lock taken by another thread (flock conflicts between descriptors, as across
    processes)."""
    import threading

    from ctsearch.index.lock import IndexLock

    lock = IndexLock(index_dir)
    thread = threading.Thread(target=lock.acquire)
    thread.start()
    thread.join()
    return lock


def test_a_build_reports_progress(tmp_path, corpus_copy):
    seen: list[tuple[int, int]] = []
    sync_index(
        corpus_copy, tmp_path / "index", progress=lambda done, todo: seen.append((done, todo))
    )
    assert [done for done, _ in seen] == [1, 2, 3, 4, 5] and {t for _, t in seen} == {5}


def test_a_build_of_documents_without_passages_is_refused(tmp_path):
    build(tmp_path)
    empty = make_document("empty", [])
    with pytest.raises(CorpusError, match="could be indexed"):
        build(tmp_path, docs=[empty])
    assert total(tmp_path / "index", "drones") == 3  # the good index is kept
