"""Watch a corpus folder and report changed files in debounced batches.

`watch()` only notices and batches; the caller decides what a batch means (the CLI re-runs the
incremental index update, which works out the exact changes from content hashes, so a missed
or duplicated event can cost a no-op run but never a wrong index).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ctsearch.corpus.files import PEOPLE_FILENAME, is_document_name, is_sidecar_name
from ctsearch.errors import CorpusError

DEFAULT_DEBOUNCE = 1.0  # seconds of quiet before a batch is reported
# A file rewritten non-stop (a log, a slow download) would postpone a batch forever: report
# anyway once the oldest pending event is this old.
MAX_WAIT = 30.0
TICK = 0.05  # how often the waiting loop looks at the clock and the stop event


def is_relevant(path: Path, corpus: Path) -> bool:
    """True for the files whose changes can change the index: documents, sidecars, people.toml.

    Hidden files and folders are ignored, as ingestion ignores them (and `ctsearch add` writes
    its temp files under hidden names).
    """
    try:
        parts = path.relative_to(corpus).parts
    except ValueError:
        parts = (path.name,)
    if any(part.startswith(".") for part in parts):
        return False
    name = path.name
    if is_sidecar_name(name):
        return True
    if name == PEOPLE_FILENAME:
        return path.parent == corpus
    return is_document_name(name)


class _Batcher:
    """Collects paths from the observer thread; hands them out after a quiet period."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: set[Path] = set()
        self._first = 0.0  # monotonic time of the oldest pending event
        self._last = 0.0  # … and of the newest

    def add(self, paths: set[Path]) -> None:
        now = time.monotonic()
        with self._lock:
            if not self._paths:
                self._first = now
            self._paths |= paths
            self._last = now

    def take_if_due(self, debounce: float, max_wait: float) -> set[Path] | None:
        now = time.monotonic()
        with self._lock:
            if not self._paths:
                return None
            if now - self._last < debounce and now - self._first < max_wait:
                return None
            paths, self._paths = self._paths, set()
            return paths


def _handler(corpus: Path, batcher: _Batcher):
    # Imported here so that importing ctsearch.corpus.watch (and `ctsearch --help`) stays cheap.
    from watchdog.events import FileSystemEventHandler

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            if event.event_type not in ("created", "modified", "deleted", "moved", "attrib"):
                return  # opened / closed: the write itself already produced "modified"
            paths = [event.src_path]
            if event.event_type == "moved":
                paths.append(event.dest_path)
            found: set[Path] = set()
            for raw in paths:
                if not raw:
                    continue
                path = Path(os.fsdecode(raw))
                try:
                    parts = path.relative_to(corpus).parts
                except ValueError:
                    continue  # the far end of a move out of the corpus
                if any(part.startswith(".") for part in parts):
                    continue  # hidden, like everything ingestion skips
                if event.is_directory:
                    # A folder moved in or out, or deleted, carries documents with it; its
                    # "modified" events are just the side effect of changes to its files.
                    if event.event_type not in ("modified", "attrib") and parts:
                        found.add(path)
                elif is_relevant(path, corpus):
                    found.add(path)
            if found:
                batcher.add(found)

    return Handler()


def _start_observer(corpus: Path, handler, warn: Callable[[str], None]):
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    observer = Observer()
    observer.schedule(handler, str(corpus), recursive=True)
    try:
        observer.start()
        return observer
    except OSError as exc:
        # Typically the inotify watch limit on a huge tree; polling is slower but works.
        warn(f"{corpus}: file events unavailable ({exc.strerror or exc}); polling instead")
    observer = PollingObserver()
    observer.schedule(handler, str(corpus), recursive=True)
    observer.start()
    return observer


def watch(
    corpus: Path,
    on_change: Callable[[set[Path]], None],
    *,
    debounce: float = DEFAULT_DEBOUNCE,
    stop: threading.Event | None = None,
    initial: bool = False,
    max_wait: float = MAX_WAIT,
    warn: Callable[[str], None] | None = None,
) -> int:
    """Call `on_change(paths)` after each burst of changes under `corpus`, until stopped.

    A burst is any run of events separated by less than `debounce` seconds; `on_change` runs
    in the calling thread, one batch at a time (events during a call form the next batch).
    With `initial`, `on_change(set())` is called once as soon as events are being collected, so
    an initial update misses nothing that happens while it runs. Returns the number of
    `on_change` calls when `stop` is set or on Ctrl-C (KeyboardInterrupt is absorbed).
    An exception from `on_change` stops watching and propagates.
    """
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise CorpusError(f"{corpus}: no such corpus folder; create it or give --corpus")
    corpus = corpus.absolute()  # events then carry absolute paths, whatever the cwd does
    warn = warn or (lambda message: None)
    stop = stop or threading.Event()
    batcher = _Batcher()
    observer = _start_observer(corpus, _handler(corpus, batcher), warn)
    calls = 0
    try:
        if initial:
            calls += 1
            on_change(set())
        while not stop.is_set():
            paths = batcher.take_if_due(debounce, max_wait)
            if paths is not None:
                calls += 1
                on_change(paths)
            else:
                stop.wait(TICK)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        observer.join(timeout=5)
    return calls
