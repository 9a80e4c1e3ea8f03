"""A long-lived view of the index (for `watch`, a server, a notebook) that follows updates.

Known Whoosh trap (whoosh-reloaded 2.7.5): after `update_document` and a commit,
`Searcher.refresh()` returns both the old and the new version of a document — it reuses the old
segment reader, with the old segment's deletions as they were when it was opened. A freshly
opened index and searcher are correct. So this class reopens, and never calls refresh().
"""

from __future__ import annotations

from pathlib import Path

from .index import index_info, open_index


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
        self._generation: Path | None = None
        self.reopened = 0  # how many times a fresh searcher was opened (for tests, stats)

    def searcher(self):
        """A searcher of the last committed state (reopened if anything was committed since)."""
        generation = index_info(self.index_dir).generation  # a rebuild swaps generations
        current = self._searcher
        if current is None or generation != self._generation or not current.up_to_date():
            self.close()
            # Reopen, never current.refresh(): see the module docstring.
            self._searcher = open_index(self.index_dir).searcher()
            self._generation = generation
            self.reopened += 1
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def __enter__(self) -> LiveIndex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
