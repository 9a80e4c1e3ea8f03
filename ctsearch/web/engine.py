"""The library, as a running server uses it: one index, one caller at a time.

Every request goes through the library's own functions (`ctsearch.search`, `show`, `speakers`,
`stats`, …), which keep the index open between calls and reopen it when `index`, `add` or
`watch` commit (searching/session.py). Calls are serialised: a Whoosh searcher serves one
thread at a time, and a second thread would open a private searcher of its own (on a big index, far
slower than waiting a few milliseconds for the kept-open one with its caches). A read that
fails while a writer commits is asked again on the new state (`retried`). The speaker
and conference lists shown in the search form, and the home page's counts, are the last
census's: counted once per state of the index, in the background, so that a page does not wait
for a census (only the home page waits for a server's very first one).

Answers are kept (`Answers`, least recently used first out), and so are rendered pages: a page
asked again — the back button, the next page and back, a shared link, a facet clicked and
unclicked — is answered without queueing behind the searches running meanwhile. A kept answer
is used only while what it was computed from is unchanged: the index's state (every commit
changes it) and the corpus's own vocabulary and people files (read at query time).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ctsearch
from ctsearch.errors import CtsearchError

Warn = Callable[[str], None]
ANSWERS_KEPT = 256  # answers kept for requests asked again (0: none)
PAGES_KEPT = 128  # rendered pages kept likewise (~35 kB each), when answers are
READ_ATTEMPTS = 3  # a read that fails while a writer commits is tried again on the new state
RETRY_DELAY = 0.05  # seconds before the second attempt, doubled for the third


class Engine:
    """The library calls of one server, on one index and corpus."""

    def __init__(
        self,
        index_dir: Path,
        corpus: Path | None,
        warn: Warn | None = None,
        *,
        keep: int = ANSWERS_KEPT,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.corpus = Path(corpus) if corpus is not None else None
        self.warn = warn
        self.answers = Answers(keep)
        self.pages = Answers(PAGES_KEPT if keep else 0)  # rendered HTML, by page_key
        self._lock = threading.Lock()
        self._census: tuple[Any, Any] | None = None  # (index stamp, (speakers, stats))
        self._census_lock = threading.Lock()
        self._request = threading.local()  # `inputs` read once per request (one_request)

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
        """call(*args, **kwargs) on the kept-open searcher, one at a time; a kept answer when
        the same call was answered on the same state of the index and corpus files."""
        key = None
        if self.answers.size:
            inputs = self._inputs()
            if inputs is not None:
                key = (inputs, _name(call), _hashable(args), _hashable(kwargs))
                found = self.answers.get(key)
                if found is not None:
                    return found
        with self._lock:
            answer = retried(call, *args, **kwargs)
        if key is not None:
            self.answers.put(key, answer)
        return answer

    def page_key(self, path: str, query: str) -> Any:
        """What a page at this URL depends on, as a key of `pages`: the URL, what answers
        depend on (_inputs) and the census its search form lists; None: do not keep it."""
        if not self.pages.size:
            return None
        inputs = self._inputs()
        if inputs is None:
            return None
        census = self._census
        return (path, query, inputs, census[0] if census is not None else None)

    @contextlib.contextmanager
    def one_request(self) -> Iterator[None]:
        """Within it (one request, on this thread), what answers depend on is read once: the
        page's key, its answers and the census it lists are of one state of the index."""
        self._request.inputs = _UNREAD
        try:
            yield
        finally:
            del self._request.inputs

    def _inputs(self) -> Any:
        """What an answer depends on besides the call: the index's state, and the corpus's
        vocabulary and people files (size and time of change). None when unknown."""
        read = getattr(self._request, "inputs", None)  # None: not within one_request
        if read is not None and read is not _UNREAD:
            return read
        inputs = self._read_inputs()
        if read is _UNREAD:
            self._request.inputs = inputs
        return inputs

    def _read_inputs(self) -> Any:
        current = _stamp(self.index_dir)
        if current is None:
            return None
        files: tuple = ()
        if self.corpus is not None:
            from ctsearch.corpus.files import people_path
            from ctsearch.searching.vocabulary import VOCABULARY_FILENAME

            files = tuple(
                _file_state(path)
                for path in (self.corpus / VOCABULARY_FILENAME, people_path(self.corpus))
            )
        return (current, files)

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
            from ctsearch.index.stats import census  # `speakers` and `stats` in one pass

            value = retried(census, self.index_dir)
            if current is not None:
                self._census = (current, value)
            return value

    def recent_census(self):
        """(speakers, stats) for the search form: the last census counted, even when the
        index has changed since (a new one is counted in the background meanwhile), so that
        no page waits for a census. None until the first one is done."""
        cached = self._census
        inputs = self._inputs()
        current = inputs[0] if inputs is not None else None
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


_UNREAD = object()  # one_request's inputs, before they are read


class Answers:
    """A thread-safe LRU of answers by key, holding at most `size` of them."""

    def __init__(self, size: int) -> None:
        self.size = max(0, int(size))
        self._kept: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            answer = self._kept.get(key)
            if answer is not None:
                self._kept.move_to_end(key)
            return answer

    def put(self, key: Any, answer: Any) -> None:
        if not self.size or answer is None:
            return
        with self._lock:
            self._kept[key] = answer
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)


def _name(call: Callable[..., Any]) -> str:
    return f"{getattr(call, '__module__', '')}.{getattr(call, '__qualname__', repr(call))}"


def _hashable(value: Any) -> Any:
    """`value` as a key: lists and tuples as tuples, dicts as sorted pairs, callables (the
    warning function) left out — they do not change the answer."""
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items() if not callable(v)))
    if isinstance(value, (list, tuple, set, frozenset)):
        items = tuple(_hashable(v) for v in value)
        return tuple(sorted(items, key=repr)) if isinstance(value, (set, frozenset)) else items
    return value


def _file_state(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


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
