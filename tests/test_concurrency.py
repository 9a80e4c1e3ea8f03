"""Readers and writers at once: the refresh() trap, searches during updates, two updates."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import (
    contents,
    index_documents,
    make_document,
    rebuilt_contents,
    replace_documents,
    sample_documents,
    write_doc,
)

from ctsearch.index import store as index
from ctsearch.index.sync import sync_index

# The command as a user runs it, in a process of its own.
CTSEARCH = [sys.executable, "-c", "from ctsearch.cli import main; main()"]


def run(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CTSEARCH, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, **kw
    )


def versions_of(searcher, doc_id: str) -> list[str]:
    from whoosh.query import Term

    return sorted(h["text"] for h in searcher.search(Term("doc_id", doc_id), limit=None))


def small_index(tmp_path: Path) -> Path:
    (tmp_path / "corpus").mkdir()
    index_documents(tmp_path / "corpus", tmp_path / "index", sample_documents())
    return tmp_path / "index"


def plain_whoosh(idx: Path):
    """The active generation opened by Whoosh itself (not pinned: refresh() can move it)."""
    return index.open_index(idx, write=True)


NEW_WEB_C = make_document("web-c", [("Only the new version of this page.", ())], year=2021)


def test_whoosh_refresh_returns_old_and_new_versions(tmp_path):
    """The trap itself, shown with plain Whoosh: if this ever stops failing the workaround may
    go, and if it did not fail here, the test below would prove nothing."""
    idx = small_index(tmp_path)
    searcher = plain_whoosh(idx).searcher()
    assert len(versions_of(searcher, "web-c")) == 2  # its two passages
    replace_documents(idx, [NEW_WEB_C])
    refreshed = searcher.refresh()
    stale = versions_of(refreshed, "web-c")
    assert "Only the new version of this page." in stale and len(stale) > 1  # old ones too
    fresh = plain_whoosh(idx).searcher()
    assert versions_of(fresh, "web-c") == ["Only the new version of this page."]
    refreshed.close()  # refresh() shares readers with `searcher`: closing one closes both
    fresh.close()


def test_open_retries_when_a_writer_moves_the_state_on(tmp_path, monkeypatch):
    import pytest

    from ctsearch.errors import UnusableIndexError
    from ctsearch.whoosh_ext import pinned

    idx = small_index(tmp_path)
    real = pinned.open_pinned
    failures = [2]

    def racy(*args, **kwargs):
        if failures[0]:
            failures[0] -= 1
            if failures[0]:
                raise FileNotFoundError(2, "No such file or directory", "_MAIN_3.toc")
            raise pinned.StateMoved("_MAIN_3.toc")
        return real(*args, **kwargs)

    monkeypatch.setattr(pinned, "open_pinned", racy)
    assert index.open_index(idx).doc_count() == 12
    failures[0] = 99
    with pytest.raises(UnusableIndexError, match="StateMoved|FileNotFoundError"):
        index.open_index(idx)


def test_a_second_update_waits_then_fails_with_one_line(tmp_path):
    corpus = tmp_path / "corpus"
    for i in range(3):
        write_doc(corpus, f"d{i}", i)
    idx = tmp_path / "index"
    sync_index(corpus, idx)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from ctsearch.index.lock import IndexLock\n"
            f"with IndexLock({str(idx)!r}):\n"
            "    print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        write_doc(corpus, "d9", 9)
        started = time.monotonic()
        result = run(
            "index",
            "--corpus",
            str(corpus),
            "--index",
            str(idx),
            env={"CTSEARCH_LOCK_TIMEOUT": "0.5"},
        )
        waited = time.monotonic() - started
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
        assert len(errors) == 1 and f"pid {holder.pid}" in errors[0]
        assert "waiting for another ctsearch update" in result.stderr
        assert 0.5 <= waited < 20
        add = run(
            "add",
            str(corpus / "d9.txt"),
            "--corpus",
            str(corpus),
            "--index",
            str(idx),
            env={"CTSEARCH_LOCK_TIMEOUT": "0.2"},
        )
        assert add.returncode == 1 and "Traceback" not in add.stderr
    finally:
        holder.kill()
        holder.wait()
    # Nothing was corrupted; the held-off work is done by the next run.
    report = sync_index(corpus, idx)
    assert report.added == 1
    assert contents(idx) == rebuilt_contents(corpus, tmp_path)


def test_two_real_updates_at_once_both_succeed_in_turn(tmp_path):
    corpus = tmp_path / "corpus"
    for i in range(12):
        write_doc(corpus, f"d{i:02}", i)
    idx = tmp_path / "index"
    procs = [
        subprocess.Popen(
            [*CTSEARCH, "index", "--corpus", str(corpus), "--index", str(idx), *extra],
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "CTSEARCH_LOCK_TIMEOUT": "60"},
        )
        for extra in ((), ("--rebuild",))
    ]
    for p in procs:
        _, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        assert "Traceback" not in err
    assert contents(idx) == rebuilt_contents(corpus, tmp_path)


def test_searches_during_an_update_see_a_committed_state(tmp_path):
    from ctsearch.searching.search import search

    corpus = tmp_path / "corpus"
    for i in range(40):
        write_doc(corpus, f"d{i:02}", i, paragraphs=4)
    idx = tmp_path / "index"
    sync_index(corpus, idx)
    old_total = search("terrorism OR victims", index_dir=idx).total
    for i in range(40, 80):
        write_doc(corpus, f"d{i:02}", i, paragraphs=4)
    proc = subprocess.Popen(
        [*CTSEARCH, "index", "--corpus", str(corpus), "--index", str(idx)],
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = set()
    while proc.poll() is None:
        seen.add(search("terrorism OR victims", index_dir=idx).total)  # never raises
    assert proc.returncode == 0, proc.stderr.read()
    new_total = search("terrorism OR victims", index_dir=idx).total
    assert new_total > old_total
    assert seen <= {old_total, new_total} and old_total in seen
