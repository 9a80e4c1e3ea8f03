"""SIGKILL `ctsearch index` and `ctsearch add` at random moments; the index must survive each time.

After every kill: the index opens and holds exactly the old or the new state (never a mix,
never nothing), the lock is free, and the next `ctsearch index` finishes the work and equals a
rebuild — and the counts it reports and `ctsearch stats` reports are the corpus's (a kill
between a commit and the marker write once left the marker's count wrong for good). Real
subprocesses, real signals; bounded to well under a minute.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import contents, rebuilt_contents, write_doc

from ctsearch.index.lock import IndexLock

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

CTSEARCH = [sys.executable, "-c", "from ctsearch.cli import main; main()"]
DOCS = 150
KILLS = 12


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*CTSEARCH, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "CTSEARCH_LOCK_TIMEOUT": "20"},
    )


def finish(*args: str) -> float:
    started = time.monotonic()
    proc = start(*args)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    return time.monotonic() - started


def kill_after(proc: subprocess.Popen, delay: float) -> None:
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def set_state(corpus: Path, state: str) -> None:
    """State A: d000..d149. State B: 30 removed, 30 changed, 30 added."""
    for i in range(DOCS + 30):
        path = corpus / f"d{i:03}.txt"
        if state == "A":
            present, seed = i < DOCS, i
        else:
            present, seed = i >= 30, (i + 5000 if 30 <= i < 60 else i)
        if present:
            write_doc(corpus, f"d{i:03}", seed, paragraphs=4)
        elif path.exists():
            path.unlink()


def recover(corpus: Path, idx: Path, expected: list[tuple]) -> None:
    """The `ctsearch index` run after a kill: it completes the work, and the counts it reports
    and `ctsearch stats` reports are those of the documents in the corpus."""
    proc = start("index", "--corpus", str(corpus), "--index", str(idx))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert contents(idx) == expected
    documents = len(list(corpus.glob("*.txt")))
    reported = re.search(r"Indexed (\d+) documents, (\d+) passages", err.decode())
    assert reported, err.decode()
    assert (int(reported[1]), int(reported[2])) == (documents, len(expected))
    stats = subprocess.run(
        [*CTSEARCH, "stats", "--json", "--index", str(idx)], capture_output=True, text=True
    )
    assert stats.returncode == 0, stats.stderr
    counted = json.loads(stats.stdout)
    assert (counted["documents"], counted["passages"]) == (documents, len(expected))


def assert_lock_free(idx: Path) -> None:
    with IndexLock(idx, timeout=0):
        pass


def test_kill_index_at_random_moments(tmp_path):
    rng = random.Random(1234)
    corpus, idx = tmp_path / "corpus", tmp_path / "index"
    set_state(corpus, "B")
    state_b = rebuilt_contents(corpus, tmp_path)
    set_state(corpus, "A")
    state_a = rebuilt_contents(corpus, tmp_path)
    duration = finish("index", "--corpus", str(corpus), "--index", str(idx))
    assert contents(idx) == state_a
    states = {"A": state_a, "B": state_b}
    current = "A"
    for n in range(KILLS):
        current = "B" if current == "A" else "A"
        set_state(corpus, current)
        args = ["index", "--corpus", str(corpus), "--index", str(idx)]
        if n % 4 == 3:
            args.append("--rebuild")
        kill_after(start(*args), rng.uniform(0.05, duration * 1.2))
        found = contents(idx)  # opens and reads every passage: must not raise
        assert found in (state_a, state_b), f"kill {n}: a mixed or empty index"
        assert_lock_free(idx)
        if n % 2:  # (and every other time, a kill on top of a killed update)
            recover(corpus, idx, states[current])
    recover(corpus, idx, states[current])


def test_kill_add_at_random_moments(tmp_path):
    rng = random.Random(99)
    corpus, idx = tmp_path / "corpus", tmp_path / "index"
    for i in range(60):
        write_doc(corpus, f"d{i:03}", i, paragraphs=4)
    duration = finish("index", "--corpus", str(corpus), "--index", str(idx))
    for n in range(4):
        before = contents(idx)
        source = tmp_path / f"new{n}.txt"
        source.write_text(
            f"Statement number {n} on ransomware\n\nRansomware and hospitals, part {n}.\n"
        )
        target = corpus / source.name
        with_it = rebuilt_contents_with(corpus, tmp_path, source)
        proc = start(
            "add", str(source), "--date", "2024", "--corpus", str(corpus), "--index", str(idx)
        )
        kill_after(proc, rng.uniform(0.05, duration))
        found = contents(idx)
        assert found in (before, with_it), f"add kill {n}: a mixed index"
        assert_lock_free(idx)
        recover(corpus, idx, with_it if target.exists() else before)


def test_kill_between_the_commit_and_the_marker_write(tmp_path):
    """The worst moment, hit on purpose: SIGKILL right after Whoosh committed an update, before
    the marker (with its counts) is written. Twice in a row, then the recovery run."""
    corpus, idx = tmp_path / "corpus", tmp_path / "index"
    set_state(corpus, "A")
    finish("index", "--corpus", str(corpus), "--index", str(idx))
    code = (
        "import os, signal\n"
        "from ctsearch.index import sync as incremental\n"
        "real = incremental.write_marker\n"
        "def write_marker(index_dir, data):\n"
        "    if 'updated' in data:  # the write after an update's commit\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(index_dir, data)\n"
        "incremental.write_marker = write_marker\n"
        "from ctsearch.cli import main; main()"
    )
    args = ["index", "--corpus", str(corpus), "--index", str(idx)]
    write_doc(corpus, "d999", 999, paragraphs=2)  # one document more: the count changes
    for state in ("A", "B"):
        set_state(corpus, state)
        proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True)
        assert proc.returncode == -signal.SIGKILL
    recover(corpus, idx, rebuilt_contents(corpus, tmp_path))


def rebuilt_contents_with(corpus: Path, tmp_path: Path, source: Path) -> list[tuple]:
    """What the index holds once `source` is added with --date 2024 (built in a scratch copy)."""
    import shutil

    scratch = tmp_path / f"scratch-{source.stem}"
    shutil.copytree(corpus, scratch / "corpus")
    shutil.copy(source, scratch / "corpus" / source.name)
    (scratch / "corpus" / f"{source.stem}.meta.toml").write_text('date = "2024"\n')
    rows = rebuilt_contents(scratch / "corpus", scratch)
    # The scratch corpus lives elsewhere: stored source paths must point into the real one.
    return sorted(
        tuple(
            (k, v.replace(str(scratch / "corpus"), str(corpus))) if k == "source" else (k, v)
            for k, v in row
        )
        for row in rows
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_killed_multiprocess_build_leaves_no_orphan_workers(tmp_path):
    """Whoosh's writer workers would outlive a SIGKILLed parent, holding its write lock."""
    corpus, idx = tmp_path / "corpus", tmp_path / "index"
    for i in range(DOCS):  # enough passages for a worker to wait for its next batch
        write_doc(corpus, f"d{i:03}", i, paragraphs=4)
    code = (
        "import sys; from ctsearch.index import build; build.MP_MIN_BYTES = 0\n"
        "from ctsearch.cli import main; main()"
    )
    args = ["index", "--corpus", str(corpus), "--index", str(idx)]
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not workers_of(proc.pid):
        time.sleep(0.02)
    assert workers_of(proc.pid), "the build never started its worker processes"
    time.sleep(0.3)  # the worker now waits on its job queue, where it would wait forever
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    token = str(idx)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and processes_mentioning(token):
        time.sleep(0.05)
    orphans = processes_mentioning(token)
    for pid in orphans:  # do not leave them behind if the test fails
        os.kill(pid, signal.SIGKILL)
    assert orphans == []
    finish(*args)  # Whoosh's lock is free: the next build completes
    assert contents(idx) == rebuilt_contents(corpus, tmp_path)


def workers_of(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(c) for c in children.read_text().split()]
    except OSError:
        return []


def processes_mentioning(token: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                status = (entry / "status").read_text()
            except OSError:
                continue
            if token.encode() in cmdline and "State:\tZ" not in status:
                found.append(int(entry.name))
    return found
