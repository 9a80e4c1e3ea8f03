"""opened.py: one searcher per index kept between searches, reopened whenever the index
changes, never shared by two threads at once."""

from __future__ import annotations

import threading

from ctsearch.index.store import open_index
from ctsearch.searching import session as opened
from ctsearch.searching.search import search


def _entry(index_dir):
    with opened.searching(index_dir, lambda: open_index(index_dir)) as entry:
        return entry


def test_the_searcher_is_kept_between_searches(real_index):
    opened.close_all()
    first = _entry(real_index)
    assert _entry(real_index) is first
    assert search("drones", index_dir=real_index).total > 0
    assert _entry(real_index) is first
    assert first.remember("k", lambda: 1) == 1 and first.remember("k", lambda: 2) == 1


def test_a_commit_or_a_rebuild_reopens(corpus_copy, tmp_path):
    from ctsearch.index.sync import sync_index

    index_dir = tmp_path / "index"
    sync_index(corpus_copy, index_dir, rebuild=True)
    before = search("zanzibarian", index_dir=index_dir).total
    first = _entry(index_dir)
    (corpus_copy / "new.txt").write_text(
        "Zanzibarian delegates spoke.\n\nThe zanzibarian proposal on drones was adopted.\n",
        encoding="utf-8",
    )
    sync_index(corpus_copy, index_dir)
    second = _entry(index_dir)
    assert second is not first
    assert search("zanzibarian", index_dir=index_dir).total > before
    sync_index(corpus_copy, index_dir, rebuild=True)
    assert _entry(index_dir) is not second
    assert search("zanzibarian", index_dir=index_dir).total > before
    opened.close_all()


def test_a_busy_searcher_is_not_shared(real_index):
    cached = _entry(real_index)
    seen = []
    with cached.lock:  # another thread is searching with it
        t = threading.Thread(target=lambda: seen.append(_entry(real_index)))
        t.start()
        t.join()
    assert seen and seen[0] is not cached
    assert _entry(real_index) is cached  # the private one was not cached


def test_lengths_are_read_into_memory(real_index):
    entry = _entry(real_index)
    reader = entry.searcher.reader()
    sub = reader if reader.is_atomic() else reader.leaf_readers()[0][0]
    lengths = sub._perdoc._readers.get("_text_len")
    assert isinstance(lengths, bytes) and len(lengths) == sub.doc_count_all()
    # The same lengths Whoosh reads from disk.
    fresh = open_index(real_index).reader()
    leaf = fresh if fresh.is_atomic() else fresh.leaf_readers()[0][0]
    for d in range(min(50, leaf.doc_count_all())):
        assert sub.doc_field_length(d, "text") == leaf.doc_field_length(d, "text")
    fresh.close()


def test_a_replaced_searcher_releases_its_files(corpus_copy, tmp_path):
    from ctsearch.index.sync import sync_index as update_index

    index_dir = tmp_path / "index"
    update_index(corpus_copy, index_dir, rebuild=True)
    first = _entry(index_dir)
    assert first.storage.files  # the files of its state, held open
    assert _entry(index_dir) is first  # nothing changed: the state check reopens nothing
    update_index(corpus_copy, index_dir, rebuild=True)
    second = _entry(index_dir)
    assert second is not first and second.stamp != first.stamp
    assert first.storage.files == {}  # closed as soon as it was replaced
    # One in use by another thread when replaced is closed when that thread is done.
    with second.lock:
        second_busy = second
        (corpus_copy / "more.txt").write_text("More on drones.\n\nAnd more.\n", encoding="utf-8")
        update_index(corpus_copy, index_dir)
        third = _entry(index_dir)  # (opened privately: `second` was busy) and cached
        assert third is not second_busy and second_busy.storage.files
    assert second_busy.retired
    second_busy.lock.acquire()  # the other thread's search ends as searching() ends it
    opened._release(second_busy)
    assert second_busy.storage.files == {}
    opened.close_all()
    assert third.storage.files == {}


def test_a_searcher_that_fails_to_open_releases_its_files(real_index, monkeypatch):
    import pytest

    from ctsearch.whoosh_ext import internals

    opened.close_all()
    seen = []

    def opening():
        ix = open_index(real_index)
        seen.append(ix)
        return ix

    def failing(searcher):
        raise RuntimeError("boom")

    monkeypatch.setattr(internals, "preload_lengths", failing)
    with pytest.raises(RuntimeError, match="boom"):
        with opened.searching(real_index, opening):
            pass
    assert len(seen) == 1 and seen[0].storage.files == {}  # every descriptor closed


class _LockRetiringOnRelease:
    """A lock whose release first runs `hook` (another thread retiring the entry just then)."""

    def __init__(self, inner, hook) -> None:
        self.inner, self.hook = inner, hook

    def acquire(self, blocking: bool = True) -> bool:
        return self.inner.acquire(blocking)

    def release(self) -> None:
        hook, self.hook = self.hook, None
        if hook is not None:
            hook()
        self.inner.release()


def test_an_entry_retired_while_it_is_being_released_is_closed(real_index):
    opened.close_all()
    entry = _entry(real_index)
    assert entry.lock.acquire(blocking=False)  # this thread is searching with it
    entry.lock = _LockRetiringOnRelease(entry.lock, lambda: opened._retire([entry]))
    opened._release(entry)
    assert entry.retired and entry.storage.files == {}  # closed: its files released
    opened.close_all()
