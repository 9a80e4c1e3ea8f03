"""A long-lived view of the index (for `watch`, a server, a notebook) that follows updates.

Known Whoosh trap (whoosh-reloaded 2.7.5): after `update_document` and a commit,
`Searcher.refresh()` returns both the old and the new version of a document — it reuses the old
segment reader, with the old segment's deletions as they were when it was opened. A freshly
opened index and searcher are correct. So this class reopens, and never calls refresh().

Each searcher holds the files of the state it opened (pinned.py): a commit, merge or rebuild
cannot fail it. Whether anything changed is `index.state` (the marker's generation and its
newest table of contents), checked before each use; the replaced searcher is closed, which
releases its files.
"""

from __future__ import annotations

from pathlib import Path

from .index import open_index, state


class LiveIndex:
    """Holds one searcher and replaces it with a fresh one when the index has changed.

    live = LiveIndex("index")
    hits = live.searcher().search(query)     # cheap when nothing changed
    ...                                      # another process commits an update
    hits = live.searcher().search(query)     # sees the new state, only the new state
    """

    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self._searcher = None
        self._storage = None
        self._state: tuple[str, int] | None = None
        self.reopened = 0  # how many times a fresh searcher was opened (for tests, stats)

    def searcher(self):
        """A searcher of the last committed state (reopened if anything was committed since)."""
        if self._searcher is None or state(self.index_dir) != self._state:
            self.close()
            # Reopen, never refresh(): see the module docstring.
            ix = open_index(self.index_dir)
            self._storage = ix.storage
            self._state = ix.storage.state  # the state actually opened
            self._searcher = ix.searcher()
            self.reopened += 1
        return self._searcher

    def close(self) -> None:
        """Close the searcher and release the files of its state."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._storage is not None:
            self._storage.release()
            self._storage = None

    def __enter__(self) -> LiveIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
