"""Open indexes kept between searches in one process (the API, a server, `watch`, a notebook).

Opening a Whoosh index and warming its readers costs far more than answering a query on a big
index: every search used to reopen it, and every BM25 score read a passage's field length with
a seek and a read in the segment file. Here one searcher per index folder stays open, its
field-length columns are read once into memory, and a per-searcher `memo` holds what is costly
to compute and constant until the index changes (filter doc lists, speaker names, facet
columns).

Freshness: before each use the files of the active generation are stat'ed (name, size, mtime,
inode: a few microseconds each); any commit, rebuild or replaced file changes that stamp, and
the searcher is then reopened — never `refresh()`ed: Whoosh's refresh() after an update
returns both the old and the new version of a changed document (it reuses the old segment
reader).
A Whoosh searcher is not safe for two threads at once (its files are read by seek + read), so
each cached entry has a lock; a thread that finds it busy opens a private searcher instead.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ctsearch.whoosh_ext import internals

MAX_OPEN = 4  # index folders kept open at once (least recently used closed first)
_LOCK = threading.Lock()  # guards _OPEN itself
_OPEN: OrderedDict[str, Opened] = OrderedDict()


class Opened:
    """One open searcher of an index, with its memo and the stamp it was opened at."""

    def __init__(self, searcher, stamp: tuple) -> None:
        self.searcher = searcher
        self.stamp = stamp
        self.memo: dict[Any, Any] = {}
        self.lock = threading.Lock()

    def remember(self, key: Any, compute: Callable[[], Any]) -> Any:
        """memo[key], computed once per open searcher (the index cannot change under it)."""
        try:
            return self.memo[key]
        except KeyError:
            value = self.memo[key] = compute()
            return value

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.searcher.close()


def stamp(index_dir: Path) -> tuple:
    """What identifies the index's current state: its active generation's files."""
    from ctsearch.index.store import index_info

    generation = index_info(index_dir).generation
    with os.scandir(generation) as entries:
        files = []
        for e in entries:
            st = e.stat()
            files.append((e.name, st.st_size, st.st_mtime_ns, st.st_ino))
    return (str(generation), tuple(sorted(files)))


@contextlib.contextmanager
def searching(index_dir: Path, open_index: Callable[[], Any]) -> Iterator[Opened]:
    """An open searcher of `index_dir` for the duration of the block: the cached one when the
    index has not changed since it was opened, else a fresh one (then cached).

    `open_index()` opens the index (and may build it first); it is called only when needed.
    """
    key = os.path.abspath(index_dir)
    try:
        current = stamp(index_dir)
    except Exception:  # missing, outdated or broken: let open_index() decide (build or raise)
        current = None
    entry = None
    if current is not None:
        with _LOCK:
            entry = _OPEN.get(key)
            if entry is not None:
                _OPEN.move_to_end(key)
    if entry is not None and entry.stamp == current and entry.lock.acquire(blocking=False):
        try:
            yield entry
        finally:
            entry.lock.release()
        return
    fresh = Opened(_open(open_index), None)
    fresh.stamp = current if current is not None else _safe_stamp(index_dir)
    if fresh.stamp is None or (entry is not None and entry.stamp == current):
        # Not cacheable (unknown state), or the cached one is busy in another thread.
        try:
            yield fresh
        finally:
            fresh.close()
        return
    with fresh.lock:
        _store(key, fresh)
        yield fresh


def _safe_stamp(index_dir: Path) -> tuple | None:
    try:
        return stamp(index_dir)
    except Exception:
        return None


def _open(open_index: Callable[[], Any]):
    ix = open_index()
    searcher = ix.searcher()
    internals.preload_lengths(searcher)
    return searcher


def _store(key: str, entry: Opened) -> None:
    with _LOCK:
        old = _OPEN.pop(key, None)
        _OPEN[key] = entry
        evicted = [old] if old is not None else []
        while len(_OPEN) > MAX_OPEN:
            evicted.append(_OPEN.popitem(last=False)[1])
    for e in evicted:
        # A searcher in use by another thread is left to the garbage collector.
        if e.lock.acquire(blocking=False):
            e.close()
            e.lock.release()


def close_all() -> None:
    """Close every cached searcher (tests; a long-lived process that wants its files back)."""
    with _LOCK:
        entries = list(_OPEN.values())
        _OPEN.clear()
    for e in entries:
        e.close()
