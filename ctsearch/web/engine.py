"""The library, as a running server uses it: one index, one caller at a time.

Every request goes through the library's own functions (`ctsearch.search`, `show`, `speakers`,
`stats`, …), which keep the index open between calls and reopen it when `index`, `add` or
`watch` commit (searching/session.py). Calls are serialised: a Whoosh searcher serves one
thread at a time, and a second thread would open a private searcher of its own (on a big index, far
slower than waiting a few milliseconds for the kept-open one with its caches). A read that
fails while a writer commits is asked again on the new state (`retried`). The speaker
and conference lists shown in the search form are counted once per state of the index, in the
background: a page never waits for a census.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ctsearch
from ctsearch.errors import CtsearchError

Warn = Callable[[str], None]
READ_ATTEMPTS = 3  # a read that fails while a writer commits is tried again on the new state
RETRY_DELAY = 0.05  # seconds before the second attempt, doubled for the third


class Engine:
    """The library calls of one server, on one index and corpus."""

    def __init__(self, index_dir: Path, corpus: Path | None, warn: Warn | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.corpus = Path(corpus) if corpus is not None else None
        self.warn = warn
        self._lock = threading.Lock()
        self._census: tuple[Any, Any] | None = None  # (index stamp, (speakers, stats))
        self._census_lock = threading.Lock()

    def search(self, query: str, **options: Any):
        """`ctsearch search` (a SearchResult), as the CLI calls it."""
        from ctsearch.searching.search import search

        return self._read(
            search, query, index_dir=self.index_dir, corpus=self.corpus, warn=self.warn, **options
        )

    def show(self, passage_id: str, *, context: int = 0):
        """`ctsearch show`: a passage in context."""
        from ctsearch.searching.show import show

        return self._read(
            show, passage_id, index_dir=self.index_dir, context=context, corpus=self.corpus,
            warn=self.warn,
        )  # fmt: skip

    def trend(self, query: str, *, by: str, **filters: Any):
        """`ctsearch trend`: the library's own function, the CLI's numbers."""
        return self._read(
            ctsearch.trend, query, by=by, index_dir=self.index_dir, corpus=self.corpus,
            warn=self.warn, **filters,
        )  # fmt: skip

    def quote(self, text: str, *, limit: int, **filters: Any):
        """`ctsearch quote`: the library's own function, the CLI's matches."""
        return self._read(
            ctsearch.quote, text, index_dir=self.index_dir, limit=limit, corpus=self.corpus,
            warn=self.warn, **filters,
        )  # fmt: skip

    def _read(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """call(*args, **kwargs) on the kept-open searcher, one at a time."""
        with self._lock:
            return retried(call, *args, **kwargs)

    def speakers(self):
        """`ctsearch speakers` of the index as it is now."""
        return self.census()[0]

    def stats(self):
        """`ctsearch stats` of the index as it is now."""
        return self.census()[1]

    def census(self):
        """(speakers, stats) of the index as it is now, counted once per state of the index.

        Not under the search lock: a census opens its own reader (and on 100,000 passages
        takes seconds, which searches need not wait for)."""
        current = _stamp(self.index_dir)
        with self._census_lock:
            cached = self._census
            if current is not None and cached is not None and cached[0] == current:
                return cached[1]
            value = (
                retried(ctsearch.speakers, index_dir=self.index_dir),
                retried(ctsearch.stats, index_dir=self.index_dir),
            )
            if current is not None:
                self._census = (current, value)
            return value

    def recent_census(self):
        """(speakers, stats) for the search form: the last census counted, even when the
        index has changed since (a new one is counted in the background meanwhile), so that
        no page waits for a census. None until the first one is done."""
        cached = self._census
        current = _stamp(self.index_dir)
        if cached is None or cached[0] != current:
            self._refresh_census()
        return cached[1] if cached is not None else None

    def warm(self) -> None:
        """Count the census in the background now, before the first page asks for it."""
        self._refresh_census()

    def _refresh_census(self) -> None:
        if not self._census_lock.locked():
            threading.Thread(target=self._quiet_census, daemon=True).start()

    def _quiet_census(self) -> None:
        try:
            self.census()
        except Exception:  # the pages say what is wrong with the index; this only warms
            pass


def retried(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """call(...), tried again on the index's new state when it failed while a writer committed.

    A read can meet a writer's commit (a merge removing the files under an open reader: Whoosh
    then fails with whatever it was reading). Reads change nothing, so asking again, on the
    state the commit left, is safe; a library error (bad query, unknown passage, …) is an
    answer and is not retried, and anything failing READ_ATTEMPTS times is raised."""
    delay = RETRY_DELAY
    for attempt in range(READ_ATTEMPTS):
        try:
            return call(*args, **kwargs)
        except CtsearchError:
            raise
        except Exception:
            if attempt + 1 == READ_ATTEMPTS:
                raise
            time.sleep(delay)
            delay *= 2
    raise AssertionError("unreachable")


def _stamp(index_dir: Path) -> Any:
    """The state of the index (changes with every commit), or None when it cannot be read."""
    from ctsearch.searching.session import stamp

    try:
        return stamp(index_dir)
    except Exception:
        return None
