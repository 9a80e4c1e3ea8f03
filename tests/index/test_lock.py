"""The index writer lock, exercised with real processes: waiting, failing, and crash recovery."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ctsearch.errors import CtsearchError, IndexLockedError, UnusableIndexError
from ctsearch.index.lock import (
    DEFAULT_TIMEOUT,
    LOCK_FILENAME,
    TIMEOUT_ENV,
    IndexLock,
    current_holder,
    default_timeout,
    read_holder,
)

# A child that takes the lock, says so on stdout, then holds it for argv[2] seconds.
HOLDER = """
import sys, time
from ctsearch.index.lock import IndexLock
with IndexLock(sys.argv[1], timeout=5):
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""

# A child that increments a counter file under the lock, slowly, to expose any overlap.
INCREMENTER = """
import sys, time
from pathlib import Path
from ctsearch.index.lock import IndexLock
counter = Path(sys.argv[1]) / "counter"
with IndexLock(sys.argv[1], timeout=30, poll=0.01):
    value = int(counter.read_text()) if counter.exists() else 0
    time.sleep(0.02)
    counter.write_text(str(value + 1))
"""


def _start_holder(index_dir: Path, seconds: float) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(index_dir), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "locked"
    return child


@pytest.fixture
def holders():
    started: list[subprocess.Popen[str]] = []
    yield started
    for child in started:
        if child.poll() is None:
            child.kill()
        child.wait()


def test_lock_and_release_records_this_process(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    with IndexLock(index_dir, timeout=0) as lock:
        assert lock.held
        assert (index_dir / LOCK_FILENAME).is_file()
        holder = read_holder(index_dir)
        assert holder is not None and holder.pid == os.getpid()
    assert not lock.held
    assert current_holder(index_dir) is None
    with IndexLock(index_dir, timeout=0):  # free again at once
        pass


def test_second_update_waits_then_fails_naming_the_holder(tmp_path: Path, holders) -> None:
    child = _start_holder(tmp_path, 30)
    holders.append(child)
    started = time.monotonic()
    with pytest.raises(IndexLockedError) as caught:
        with IndexLock(tmp_path, timeout=0.5):
            pytest.fail("took a lock another process holds")
    waited = time.monotonic() - started
    message = str(caught.value)
    assert f"another ctsearch update (pid {child.pid}) holds the index lock" in message
    assert "try again when it finishes" in message
    assert "\n" not in message
    assert 0.45 <= waited < 5


def test_zero_timeout_fails_at_once(tmp_path: Path, holders) -> None:
    holders.append(_start_holder(tmp_path, 30))
    started = time.monotonic()
    with pytest.raises(IndexLockedError):
        IndexLock(tmp_path, timeout=0).acquire()
    assert time.monotonic() - started < 0.5


def test_waiter_gets_the_lock_when_the_holder_finishes(tmp_path: Path, holders) -> None:
    child = _start_holder(tmp_path, 0.6)
    holders.append(child)
    told = []
    started = time.monotonic()
    with IndexLock(tmp_path, timeout=10, on_wait=told.append):
        waited = time.monotonic() - started
        assert child.wait(timeout=5) == 0
    assert 0.3 <= waited < 8
    assert [holder.pid for holder in told] == [child.pid]  # told once, naming the holder


def test_lock_of_a_sigkilled_holder_is_free(tmp_path: Path, holders) -> None:
    child = _start_holder(tmp_path, 30)
    holders.append(child)
    assert current_holder(tmp_path).pid == child.pid
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=5)
    # The stale record is still in the file, but the kernel released the flock.
    assert read_holder(tmp_path).pid == child.pid
    assert current_holder(tmp_path) is None
    with IndexLock(tmp_path, timeout=0):
        assert read_holder(tmp_path).pid == os.getpid()


# A holder that forks a worker (as Whoosh's multiprocessing writer does), then waits.
FORKING_HOLDER = """
import multiprocessing, sys, time
from ctsearch.index.lock import IndexLock

def worker():
    time.sleep(60)

if __name__ == "__main__":
    with IndexLock(sys.argv[1], timeout=5):
        child = multiprocessing.get_context("fork").Process(target=worker)
        child.start()
        print(child.pid, flush=True)
        time.sleep(60)
"""


def test_a_forked_worker_does_not_keep_a_killed_holders_lock(tmp_path: Path, holders) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", FORKING_HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    holders.append(parent)
    worker_pid = int(parent.stdout.readline())
    try:
        assert current_holder(tmp_path).pid == parent.pid  # the worker did not release it
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=5)
        os.kill(worker_pid, 0)  # the orphaned worker is still alive...
        with IndexLock(tmp_path, timeout=1):  # ...and does not hold the lock
            pass
    finally:
        try:
            os.kill(worker_pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_a_live_holder_is_respected_across_many_processes(tmp_path: Path) -> None:
    children = [
        subprocess.Popen([sys.executable, "-c", INCREMENTER, str(tmp_path)]) for _ in range(6)
    ]
    assert [child.wait(timeout=60) for child in children] == [0] * 6
    assert (tmp_path / "counter").read_text() == "6"


def test_another_thread_waits_for_the_lock(tmp_path: Path) -> None:
    entered = threading.Event()

    def hold() -> None:
        with IndexLock(tmp_path, timeout=0):
            entered.set()
            time.sleep(0.4)

    thread = threading.Thread(target=hold)
    thread.start()
    assert entered.wait(5)
    started = time.monotonic()
    with IndexLock(tmp_path, timeout=5):
        assert time.monotonic() - started >= 0.2  # it waited for the other thread
    thread.join()


def test_retaking_in_the_same_thread_is_a_programming_error(tmp_path: Path) -> None:
    with IndexLock(tmp_path, timeout=0) as lock:
        with pytest.raises(RuntimeError):
            IndexLock(tmp_path, timeout=0).acquire()
        with pytest.raises(RuntimeError):
            lock.acquire()
    lock.release()  # idempotent


def test_index_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "index"
    not_a_dir.write_text("x")
    with pytest.raises(UnusableIndexError, match="is not a directory"):
        IndexLock(not_a_dir, timeout=0).acquire()


def test_foreign_or_empty_lock_file_still_locks(tmp_path: Path) -> None:
    (tmp_path / LOCK_FILENAME).write_text("not json")
    assert read_holder(tmp_path) is None
    with IndexLock(tmp_path, timeout=0):
        assert read_holder(tmp_path).pid == os.getpid()


def test_timeout_from_environment(monkeypatch) -> None:
    monkeypatch.delenv(TIMEOUT_ENV, raising=False)
    assert default_timeout() == DEFAULT_TIMEOUT
    monkeypatch.setenv(TIMEOUT_ENV, "2.5")
    assert default_timeout() == 2.5
    assert IndexLock("unused", None).timeout == 2.5


@pytest.mark.parametrize("value", ["abc", "-1", "nan", "inf"])
def test_bad_timeout_is_a_one_line_error(monkeypatch, value: str) -> None:
    monkeypatch.setenv(TIMEOUT_ENV, value)
    with pytest.raises(CtsearchError, match=TIMEOUT_ENV):
        default_timeout()
    with pytest.raises(CtsearchError, match="timeout"):
        IndexLock("unused", timeout=float(value) if value != "abc" else value)  # type: ignore[arg-type]
