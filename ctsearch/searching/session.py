"""Open indexes kept between searches in one process (the API, a server, `watch`, a notebook).

Opening a Whoosh index and warming its readers costs far more than answering a query on a big
index: every search used to reopen it, and every BM25 score read a passage's field length with
a seek and a read in the segment file. Here one searcher per index folder stays open, its
field-length columns are read once into memory, and a per-searcher `memo` holds what is costly
to compute and constant until the index changes (filter doc lists, speaker names, facet
columns).

Freshness: before each use the index's state is checked — the marker's active generation and
that folder's newest table of contents (`index.store.state`: a marker read and a folder
listing, no file opened). Whoosh writes a new TOC at every commit and a rebuild swaps
generations, so any change is seen at the next search, and the searcher is then reopened —
never `refresh()`ed: Whoosh's refresh() after an update returns both the old and the new
version of a changed document (it reuses the old segment reader). Each searcher holds every
file of the state it opened (whoosh_ext/pinned.py), so a writer's merges and rebuilds never
fail a search running on it; the old searcher is closed as soon as it is replaced and no
thread uses it, which releases its files (and the disk space of the ones a writer deleted).
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
    """One open searcher of an index, with its memo and the state it was opened at."""

    def __init__(self, searcher, stamp: tuple | None, storage=None) -> None:
        self.searcher = searcher
        self.stamp = stamp
        self.storage = storage  # the pinned files of its state (pinned.PinnedStorage)
        self.retired = False  # replaced while a thread used it: closed when that thread is done
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
        """Close the searcher and release the files of its state."""
        if self.searcher is not None:
            with contextlib.suppress(Exception):
                self.searcher.close()
        release = getattr(self.storage, "release", None)
        if release is not None:
            release()


def stamp(index_dir: Path) -> tuple:
    """What identifies the index's current state (index.store.state): (generation, TOC)."""
    from ctsearch.index.store import state

    return state(index_dir)


@contextlib.contextmanager
def searching(index_dir: Path, open_index: Callable[[], Any]) -> Iterator[Opened]:
    """An open searcher of `index_dir` for the duration of the block: the cached one when the
    index has not changed since it was opened, else a fresh one (then cached).

    `open_index()` opens the index (and may build it first); it is called only when needed.
    """
    key = os.path.abspath(index_dir)
    with _LOCK:
        entry = _OPEN.get(key)
    current = None
    if entry is not None:  # (a fresh entry's stamp comes from the state it opened)
        try:
            current = stamp(index_dir)
        except Exception:  # missing, outdated or broken: let open_index() decide (build or raise)
            entry = None
        else:
            with _LOCK:
                if _OPEN.get(key) is entry:
                    _OPEN.move_to_end(key)
    if entry is not None and entry.stamp == current and entry.lock.acquire(blocking=False):
        if not entry.retired:  # (replaced and closed by another thread since we looked it up)
            try:
                yield entry
            finally:
                _release(entry)
            return
        entry.lock.release()
    fresh = _open(open_index)
    if fresh.stamp is None or (entry is not None and entry.stamp == fresh.stamp):
        # Not cacheable (unknown state), or the cached one is busy in another thread.
        try:
            yield fresh
        finally:
            fresh.close()
        return
    fresh.lock.acquire()
    _store(key, fresh)
    try:
        yield fresh
    finally:
        _release(fresh)


def _release(entry: Opened) -> None:
    """Done with `entry`: unlock it, and close it if it was replaced meanwhile.

    Unlocked before `retired` is read: a thread that retires it after that read then finds it
    unlocked and closes it itself, so a replaced entry is never left open (close() may run
    twice; it is idempotent)."""
    entry.lock.release()
    if entry.retired and entry.lock.acquire(blocking=False):
        entry.close()
        entry.lock.release()


def _open(open_index: Callable[[], Any]) -> Opened:
    """A fresh searcher, its files pinned; its stamp is the state it actually opened."""
    ix = open_index()
    storage = ix.storage
    state = getattr(storage, "state", None)  # a pinned state knows itself
    opened = Opened(None, state, storage if state is not None else None)
    try:
        opened.searcher = ix.searcher()
        internals.preload_lengths(opened.searcher)
    except BaseException:
        opened.close()  # (its files are released on failure too)
        raise
    return opened


def _store(key: str, entry: Opened) -> None:
    with _LOCK:
        old = _OPEN.pop(key, None)
        _OPEN[key] = entry
        evicted = [old] if old is not None else []
        while len(_OPEN) > MAX_OPEN:
            evicted.append(_OPEN.popitem(last=False)[1])
    _retire(evicted)


def _retire(entries: list[Opened]) -> None:
    """Close replaced searchers now, or (one in use by another thread) when that thread is
    done with it (`_release`): the files of its state are released either way."""
    for e in entries:
        e.retired = True
        if e.lock.acquire(blocking=False):
            e.close()
            e.lock.release()


def close_all() -> None:
    """Close every cached searcher (tests; a long-lived process that wants its files back)."""
    with _LOCK:
        entries = list(_OPEN.values())
        _OPEN.clear()
    _retire(entries)
