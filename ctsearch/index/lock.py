"""The index writer lock: one update at a time, bounded waiting, safe after a crash.

Every process that changes the index (`ctsearch index`, `add`, `watch`) holds an `IndexLock` for
the whole read-diff-write-commit cycle. Searches take no lock: Whoosh readers see the last
committed table of contents, so they never need to wait for a writer.

The lock is `fcntl.flock` on a small file inside the index directory. The kernel drops a flock
when the last descriptor of its holder closes, which happens however the holder dies (SIGKILL
included), so there is never a stale lock to break by hand and no pid-guessing heuristics that
could break a live one. The holder writes its pid, host and start time into the file only so
that a waiting process can say who it is waiting for.
"""

from __future__ import annotations

import errno
import fcntl
import json
import math
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ctsearch.errors import CtsearchError, IndexLockedError, UnusableIndexError

# A dot name: Whoosh's clean_files() skips names starting with "." and TOC.create() only deletes
# names starting with "_MAIN_", so Whoosh never removes this file from under a holder.
LOCK_FILENAME = ".ctsearch-write.lock"
DEFAULT_TIMEOUT = 10.0  # seconds the second of two updates waits before giving up
TIMEOUT_ENV = "CTSEARCH_LOCK_TIMEOUT"
POLL_INTERVAL = 0.05  # seconds between attempts; flock has no portable timed wait

# Locks held by this process, by lock-file path → (owning thread id, lock). flock conflicts
# between two descriptors even inside one process, so a thread re-taking its own lock would wait
# for itself until the timeout; that is a programming error and is reported as one instead.
_held: dict[str, tuple[int, IndexLock]] = {}
_held_guard = threading.Lock()


def _forget_locks_in_child() -> None:
    """After fork(): the child must not keep the parent's lock alive.

    A forked child shares the parent's locked open file; if the parent is killed while the child
    lives on (Whoosh's multiprocessing writer forks workers that can outlive a killed parent,
    blocked on a queue), the flock would stay held by the orphans and every later update would
    time out. Closing the child's copy (never unlocking it: that would release the parent's
    lock) leaves the parent the only holder.
    """
    global _held_guard
    _held_guard = threading.Lock()  # another thread may have held it at fork time
    for _, lock in _held.values():
        fd, lock._fd = lock._fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass
    _held.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)

_tried = False  # this process has tried to take a lock: it writes (see cli.run)


def tried_to_write() -> bool:
    """True once this process has tried to take an IndexLock: it may have written the index,
    so it must end with the interpreter's full exit (cli.run)."""
    return _tried


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or last held) the lock, as recorded in the lock file."""

    pid: int | None
    host: str | None
    since: str | None  # ISO 8601, UTC
    command: str | None

    def describe(self) -> str:
        """Say "pid 1234" (plus the host when it is not this one), for messages."""
        if self.pid is None:
            return "pid unknown"
        text = f"pid {self.pid}"
        if self.host and self.host != socket.gethostname():
            text += f" on {self.host}"
        return text


def default_timeout() -> float:
    """The lock timeout: $CTSEARCH_LOCK_TIMEOUT seconds if set, else DEFAULT_TIMEOUT."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    return _check_timeout(raw, source=TIMEOUT_ENV)


def _check_timeout(value: object, *, source: str) -> float:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise CtsearchError(f"{source} must be a number of seconds >= 0, got {value!r}")
    return seconds


def lock_path(index_dir: Path) -> Path:
    """Where the lock file of `index_dir` lives."""
    return Path(index_dir) / LOCK_FILENAME


def read_holder(index_dir: Path) -> LockHolder | None:
    """What the lock file says about its (last) holder, or None if there is nothing readable.

    The file is not cleared on release, so this may describe a finished process: use
    `current_holder` to know whether the lock is held right now.
    """
    try:
        raw = lock_path(index_dir).read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None  # being rewritten by a new holder at this very moment, or foreign
    if not isinstance(data, dict):
        return None
    pid = data.get("pid")
    return LockHolder(
        pid=pid if isinstance(pid, int) else None,
        host=_str_or_none(data.get("host")),
        since=_str_or_none(data.get("since")),
        command=_str_or_none(data.get("command")),
    )


def held_by_this_thread(index_dir: Path) -> bool:
    """True when this thread already holds the lock of `index_dir` (so a nested write, e.g.
    a full build run by an incremental update, must not try to take it again)."""
    key = os.path.abspath(lock_path(index_dir))
    with _held_guard:
        entry = _held.get(key)
    return entry is not None and entry[0] == threading.get_ident()


def current_holder(index_dir: Path) -> LockHolder | None:
    """The holder if an update holds the lock right now, else None. Takes no lock itself
    beyond a momentary shared probe, so it is cheap enough for `ctsearch stats`."""
    path = lock_path(index_dir)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return read_holder(index_dir) or LockHolder(None, None, None, None)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


class IndexLock:
    """Exclusive, inter-process writer lock on an index directory; a context manager.

        with IndexLock(index_dir):          # waits up to default_timeout() seconds
            ...snapshot, diff, write, commit, save the manifest...

    A second holder waits up to `timeout` seconds (0 = try once), then raises
    IndexLockedError naming the holder's pid. The index directory is created if missing (the
    lock file lives in it). Do not delete or rename the index directory itself while holding
    the lock: a waiting process would then lock a different file. Rebuild inside it instead.
    """

    def __init__(
        self,
        index_dir: str | Path,
        timeout: float | None = None,
        *,
        on_wait: Callable[[LockHolder | None], None] | None = None,
        poll: float = POLL_INTERVAL,
    ) -> None:
        """`timeout` None = default_timeout(). `on_wait(holder)` is called once if the lock
        is busy, before waiting (e.g. to say "waiting for pid 1234" on stderr)."""
        self.index_dir = Path(index_dir)
        self.path = lock_path(self.index_dir)
        self.timeout = (
            default_timeout() if timeout is None else _check_timeout(timeout, source="timeout")
        )
        self.on_wait = on_wait
        self.poll = poll
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> IndexLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock, waiting at most `self.timeout` seconds."""
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already held by this IndexLock")
        key = os.path.abspath(self.path)
        with _held_guard:
            if key in _held and _held[key][0] == threading.get_ident():
                raise RuntimeError(
                    f"{self.path} is already held by this thread; it would wait for itself"
                )
        global _tried
        _tried = True
        self._make_dir()
        deadline = time.monotonic() + self.timeout
        told = False
        while True:
            fd = self._try_lock()
            if fd is not None:
                break
            if time.monotonic() >= deadline:
                raise self._locked_error()
            if self.on_wait is not None and not told:
                told = True
                self.on_wait(read_holder(self.index_dir))
            time.sleep(min(self.poll, max(0.0, deadline - time.monotonic())))
        self._fd = fd
        with _held_guard:
            _held[key] = (threading.get_ident(), self)
        self._record_holder()

    def release(self) -> None:
        """Drop the lock (idempotent). The holder record stays in the file; it is harmless."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with _held_guard:
            _held.pop(os.path.abspath(self.path), None)
        # Closing the descriptor releases the flock; the explicit unlock first also covers a
        # child forked by a non-Python means (the at-fork hook only covers os.fork()).
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    # -- internals --------------------------------------------------------------------------

    def _make_dir(self) -> None:
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
        except FileExistsError:
            raise UnusableIndexError(
                f"{self.index_dir}: is not a directory; give --index a folder"
            ) from None
        except OSError as exc:
            raise UnusableIndexError(
                f"{self.index_dir}: cannot create the index folder ({_reason(exc)})"
            ) from None

    def _try_lock(self) -> int | None:
        """One attempt: the locked descriptor, or None if someone else holds the lock."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise UnusableIndexError(
                f"{self.path}: cannot open the index lock file ({_reason(exc)})"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                return None
            raise UnusableIndexError(
                f"{self.path}: cannot lock the index ({_reason(exc)})"
            ) from None
        # If the file was unlinked or replaced between open() and flock(), we hold a lock on a
        # file nobody else will ever open: drop it and try again on the current file.
        try:
            same = _same_file(os.fstat(fd), os.stat(self.path))
        except OSError:
            same = False
        if not same:
            os.close(fd)
            return None
        return fd

    def _record_holder(self) -> None:
        record = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(sys.argv)[:200],
        }
        data = (json.dumps(record) + "\n").encode("utf-8")
        assert self._fd is not None
        try:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, data, 0)
        except OSError:
            pass  # the record only improves messages; the flock is what matters

    def _locked_error(self) -> IndexLockedError:
        holder = read_holder(self.index_dir)
        who = holder.describe() if holder else "pid unknown"
        waited = f"waited {self.timeout:g} s; " if self.timeout else ""
        return IndexLockedError(
            f"another ctsearch update ({who}) holds the index lock on {self.index_dir}; "
            f"{waited}try again when it finishes (or set {TIMEOUT_ENV} to wait longer)"
        )


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
