"""`ctsearch index` options, `ctsearch add` and `ctsearch watch` from the command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import write_doc

from ctsearch.cli import cli

STATEMENT = (
    "Remarks on ransomware and critical infrastructure\n\n"
    "Ransomware attacks on hospitals are a new front in the fight against terrorism financing.\n"
)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def setup(tmp_path: Path, runner) -> tuple[Path, Path]:
    corpus, idx = tmp_path / "corpus", tmp_path / "index"
    for i in range(3):
        write_doc(corpus, f"d{i}", i)
    result = runner.invoke(cli, ["index", "--corpus", str(corpus), "--index", str(idx)])
    assert result.exit_code == 0, result.output
    return corpus, idx


def invoke(runner, corpus, idx, *args):
    return runner.invoke(cli, [*args, "--corpus", str(corpus), "--index", str(idx)])


def test_index_reports_counts_and_time(runner, setup):
    corpus, idx = setup
    write_doc(corpus, "d3", 3)
    (corpus / "d0.txt").unlink()
    result = invoke(runner, corpus, idx, "index")
    assert result.exit_code == 0
    assert "1 added, 0 changed, 1 removed, 2 unchanged" in result.stderr
    assert " s" in result.stderr and "passages" in result.stderr
    assert result.stdout == ""


def test_index_dry_run_and_rebuild(runner, setup):
    corpus, idx = setup
    write_doc(corpus, "d1", 101)
    result = invoke(runner, corpus, idx, "index", "--dry-run")
    assert result.exit_code == 0 and "would index 0 added, 1 changed" in result.stderr
    assert "1 changed" in invoke(runner, corpus, idx, "index").stderr
    result = invoke(runner, corpus, idx, "index", "--rebuild")
    assert result.exit_code == 0 and "Rebuilt: 3 added" in result.stderr


def test_index_of_nothing_indexable_exits_1_and_keeps_the_index(runner, setup):
    corpus, idx = setup
    for path in corpus.glob("*.txt"):
        path.unlink()
    result = invoke(runner, corpus, idx, "index")
    assert result.exit_code == 1
    assert "could be indexed" in result.stderr and "Traceback" not in result.stderr
    search = invoke(runner, corpus, idx, "search", "terrorism OR victims", "--json")
    assert json.loads(search.stdout)["total"] > 0


def test_add_round_trips_metadata_into_search(runner, setup, tmp_path):
    corpus, idx = setup
    source = tmp_path / "ransomware.txt"
    source.write_text(STATEMENT, encoding="utf-8")
    result = invoke(
        runner,
        corpus,
        idx,
        "add",
        str(source),
        "--speaker",
        "Vladimir Voronkov",
        "--date",
        "2024-05-02",
        "--title",
        "Ransomware remarks",
        "--type",
        "statement",
        "--conference",
        "Counter-Terrorism Week 2024",
        "--url",
        "https://example.org/r",
        "--place",
        "Geneva",
    )
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stderr
    assert (corpus / "ransomware.txt").is_file() and (corpus / "ransomware.meta.toml").is_file()
    found = invoke(
        runner,
        corpus,
        idx,
        "search",
        "ransomware",
        "--speaker",
        "voronkov",
        "--year",
        "2024",
        "--json",
    )
    hits = json.loads(found.stdout)["hits"]
    assert hits and hits[0]["doc_id"] == "ransomware"
    hit = hits[0]
    assert (hit["title"], hit["date"], hit["year"], hit["doc_type"]) == (
        "Ransomware remarks",
        "2024-05-02",
        2024,
        "statement",
    )
    assert hit["speakers"] == ["Vladimir Voronkov"]
    other_year = invoke(runner, corpus, idx, "search", "ransomware", "--year", "2023", "--json")
    assert json.loads(other_year.stdout)["total"] == 0


def test_add_refuses_a_different_file_of_the_same_name_unless_replace(runner, setup, tmp_path):
    corpus, idx = setup
    source = tmp_path / "d1.txt"
    source.write_text(STATEMENT, encoding="utf-8")
    result = invoke(runner, corpus, idx, "add", str(source))
    assert result.exit_code == 1 and "--replace" in result.stderr
    assert "Traceback" not in result.stderr
    result = invoke(runner, corpus, idx, "add", str(source), "--replace")
    assert result.exit_code == 0 and "1 changed" in result.stderr
    found = invoke(runner, corpus, idx, "search", "hospitals", "--json")
    assert [h["doc_id"] for h in json.loads(found.stdout)["hits"]] == ["d1"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--date", "2024-13-01"], "date"),
        (["--type", "poem"], "poem"),
    ],
)
def test_add_rejects_bad_metadata_and_writes_nothing(runner, setup, tmp_path, args, message):
    corpus, idx = setup
    source = tmp_path / "new.txt"
    source.write_text(STATEMENT, encoding="utf-8")
    result = invoke(runner, corpus, idx, "add", str(source), *args)
    assert result.exit_code == 1 and message in result.stderr
    assert not (corpus / "new.txt").exists()


def test_add_of_a_missing_file_is_a_one_line_error(runner, setup, tmp_path):
    corpus, idx = setup
    result = invoke(runner, corpus, idx, "add", str(tmp_path / "nope.txt"))
    assert result.exit_code == 1 and "nope.txt" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def start_watch(corpus: Path, idx: Path, **env: str) -> subprocess.Popen:
    args = ["watch", "--corpus", str(corpus), "--index", str(idx), "--debounce", "0.2"]
    return subprocess.Popen(
        [sys.executable, "-c", "from ctsearch.cli import main; main()", *args],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
    )


def waiter(proc: subprocess.Popen):
    lines: list[str] = []

    def wait_for(text: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            lines.append(line)
            if text in line:
                return
        raise AssertionError(f"never saw {text!r} in {lines}")

    return wait_for


def test_watch_waits_for_a_locked_index_and_retries(setup):
    from ctsearch.index.lock import IndexLock

    corpus, idx = setup
    lock = IndexLock(idx)
    lock.acquire()
    proc = start_watch(corpus, idx, CTSEARCH_LOCK_TIMEOUT="0.2")
    wait_for = waiter(proc)
    try:
        wait_for("retrying")
        lock.release()
        wait_for("3 unchanged")
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=10)[1]
    finally:
        lock.release()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "stopped" in rest


def test_watch_indexes_changes_and_stops_cleanly_on_ctrl_c(setup):
    corpus, idx = setup
    proc = start_watch(corpus, idx)
    wait_for = waiter(proc)
    try:
        wait_for("0 changed, 0 removed, 3 unchanged")  # the initial update
        (corpus / "watched.txt").write_text(STATEMENT, encoding="utf-8")
        wait_for("1 added")
        from ctsearch.searching.search import search

        assert search("hospitals", index_dir=idx).total == 1
        (corpus / "watched.txt").unlink()
        wait_for("1 removed")
        assert search("hospitals", index_dir=idx).total == 0
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=10)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "stopped" in rest and "Traceback" not in rest


def test_progress_bar_only_on_a_terminal(monkeypatch):
    import io

    from ctsearch import cli as cli_module

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    with cli_module._progress_bar("Indexing") as progress:
        assert progress is None  # pytest's stderr is not a terminal
    term = Terminal()
    monkeypatch.setattr(cli_module.sys, "stderr", term)
    with cli_module._progress_bar("Indexing") as progress:
        for done in range(1, 41):
            progress(done, 40)
    assert "Indexing" in term.getvalue() and "100%" in term.getvalue()
