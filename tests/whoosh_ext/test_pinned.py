"""pinned.py: a reader holds every file of the state it opened, so a writer's merges and
rebuilds (which delete files) never fail it; opening while a writer moves on is retried."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import write_doc

from ctsearch.index import store as index
from ctsearch.index.sync import sync_index as update_index
from ctsearch.whoosh_ext import pinned


def _corpus(tmp_path: Path, n: int = 8) -> Path:
    corpus = tmp_path / "corpus"
    for i in range(n):
        write_doc(corpus, f"d{i}", i)
    return corpus


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _everything(searcher) -> list:
    """Read what lazily opened files hold: stored fields, columns, field lengths."""
    reader = searcher.reader()
    rows = [dict(f) for f in searcher.all_stored_fields()]
    columns = list(reader.column_reader("doc_id")) + list(reader.column_reader("speaker_facet"))
    lengths = [reader.doc_field_length(d, "text") for d in reader.all_doc_ids()]
    return [rows, columns, lengths]


def test_a_reader_survives_merges_and_a_rebuild_that_delete_its_files(tmp_path):
    corpus, idx = _corpus(tmp_path), tmp_path / "index"
    update_index(corpus, idx)
    for i in range(3):  # small segments, so that the next commits merge them away
        write_doc(corpus, f"new{i}", 100 + i)
        update_index(corpus, idx)
    ix = index.open_index(idx)
    searcher = ix.searcher()
    generation = index.index_info(idx).generation
    files = set(ix.storage.files)
    # A change to every document: their segments are dropped, their files deleted.
    for i in range(8):
        write_doc(corpus, f"d{i}", 1000 + i)
    update_index(corpus, idx)
    assert not files <= set(os.listdir(generation))  # files this reader uses are gone
    update_index(corpus, idx, rebuild=True)
    assert not generation.exists()  # and so is the whole generation folder
    rows, columns, lengths = _everything(searcher)  # read only now: nothing fails
    assert len(rows) == len(columns) // 2 == len(lengths) == searcher.doc_count() > 0
    assert {r["doc_id"] for r in rows} == {f"d{i}" for i in range(8)} | {"new0", "new1", "new2"}
    searcher.close()
    ix.storage.release()


def test_release_closes_every_descriptor(tmp_path):
    corpus, idx = _corpus(tmp_path), tmp_path / "index"
    update_index(corpus, idx)
    before = _open_fds()
    ix = index.open_index(idx)
    held = len(ix.storage.files)
    assert held > 3 and _open_fds() == before + held
    with ix.searcher() as s:  # Whoosh closes its readers (and "the storage"): still held
        assert s.doc_count() > 0
    assert _open_fds() == before + held
    ix.storage.release()
    assert _open_fds() == before
    ix.storage.release()  # idempotent


def test_a_pinned_state_is_read_only_and_knows_itself(tmp_path):
    from whoosh.filedb.filestore import ReadOnlyError

    corpus, idx = _corpus(tmp_path), tmp_path / "index"
    update_index(corpus, idx)
    ix = index.open_index(idx)
    assert ix.storage.state == index.state(idx)
    assert ix.storage.info.generation == index.index_info(idx).generation
    assert ix.storage.size == sum(
        p.stat().st_size for p in ix.storage.info.generation.iterdir() if p.name in ix.storage.files
    )
    with pytest.raises(ReadOnlyError):
        ix.storage.create_file("x")
    with pytest.raises(FileNotFoundError):
        ix.storage.open_file("MAIN_nothing.col")
    ix.storage.release()


def test_a_commit_while_opening_means_the_state_moved(tmp_path, monkeypatch):
    from ctsearch.index.schema import build_schema

    corpus, idx = _corpus(tmp_path), tmp_path / "index"
    update_index(corpus, idx)
    generation = index.index_info(idx).generation
    toc = pinned.toc_generation(generation)
    real = pinned._open_into

    def committed_meanwhile(files, folder, name):
        real(files, folder, name)
        # A writer wrote TOC n+1 after the folder was listed: it may be deleting files of TOC
        # n, so the listing cannot be trusted to hold them all.
        (generation / pinned.toc_filename(toc + 1)).touch()

    monkeypatch.setattr(pinned, "_open_into", committed_meanwhile)
    fds = _open_fds()
    with pytest.raises(pinned.StateMoved):
        pinned.open_pinned(generation, build_schema())
    assert _open_fds() == fds  # what it had opened was closed


def test_a_rebuild_while_opening_opens_the_new_generation(tmp_path, monkeypatch):
    corpus, idx = _corpus(tmp_path), tmp_path / "index"
    update_index(corpus, idx)
    real = pinned.open_pinned
    calls = []

    def rebuilt_meanwhile(folder, schema):
        storage = real(folder, schema)
        if not calls:  # the marker moves on after this state was opened
            update_index(corpus, idx, rebuild=True)
        calls.append(Path(folder).name)
        return storage

    monkeypatch.setattr(pinned, "open_pinned", rebuilt_meanwhile)
    ix = index.open_index(idx)
    assert len(calls) == 2 and calls[0] != calls[1]
    assert ix.storage.state == index.state(idx)  # the new generation
    assert ix.doc_count() > 0
    ix.storage.release()
