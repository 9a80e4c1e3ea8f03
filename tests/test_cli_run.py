"""`ctsearch.cli.run`, the console script: `main()` ending without the interpreter's teardown,
with the same exit statuses, output, atexit handlers and quiet broken pipes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import REPO, index_documents, make_document

from ctsearch.cli import _exit_status

RUN = "from ctsearch.cli import run; run()"


def _ctsearch(*args: str, prelude: str = "", **kwargs) -> subprocess.CompletedProcess:
    code = prelude + RUN
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, **kwargs
    )


@pytest.fixture(scope="module")
def many_index(tmp_path_factory: pytest.TempPathFactory) -> Path:

    passages = [(f"Passage {i} about drones and more drones, number {i}.", ()) for i in range(300)]
    root = tmp_path_factory.mktemp("run")
    (root / "corpus").mkdir()
    index_documents(root / "corpus", root / "index", [make_document("many", passages)])
    return root / "index"


def test_the_console_script_is_run():
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["ctsearch"] == "ctsearch.cli:run"


def test_all_output_arrives_and_the_status_is_zero(many_index: Path):
    r = _ctsearch("search", "drones", "--limit", "300", "--json", "--index", str(many_index))
    assert r.returncode == 0, r.stderr
    assert len(json.loads(r.stdout)["hits"]) == 300  # the whole (buffered) output was flushed
    r = _ctsearch("search", "drones", "--index", str(many_index))
    assert r.returncode == 0 and r.stdout.startswith("1. ") and "passages match" in r.stderr


def test_exit_statuses_are_those_of_main(many_index: Path):
    bad_query = _ctsearch("search", "(drones", "--index", str(many_index))
    assert bad_query.returncode == 1 and bad_query.stderr.startswith("Error: ")
    assert bad_query.stderr.count("\n") == 1
    usage = _ctsearch("search", "drones", "--limit", "0")
    assert usage.returncode == 2 and "Invalid value for '-n' / '--limit'" in usage.stderr
    version = _ctsearch("--version")
    assert version.returncode == 0 and version.stdout.startswith("ctsearch, version ")


def test_atexit_handlers_still_run():
    prelude = "import atexit, sys\natexit.register(lambda: print('bye', file=sys.stderr))\n"
    r = _ctsearch("--version", prelude=prelude)
    assert r.returncode == 0 and r.stderr == "bye\n"


def test_a_running_thread_is_waited_for(tmp_path: Path):
    done = tmp_path / "done"
    prelude = (
        "import threading, time, pathlib\n"
        "def work():\n"
        "    time.sleep(0.3)\n"
        f"    pathlib.Path({str(done)!r}).write_text('ok')\n"
        "threading.Thread(target=work).start()\n"
    )
    r = _ctsearch("--version", prelude=prelude)
    assert r.returncode == 0 and done.read_text() == "ok"


def test_a_closed_pipe_ends_quietly(many_index: Path):
    cmd = [sys.executable, "-c", RUN, "search", "drones", "--limit", "300"]
    cmd += ["--index", str(many_index)]
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()  # like `| head -1`
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=60) == 0, err
    assert "BrokenPipeError" not in err and "Exception ignored" not in err, err


def test_exit_status_follows_sys_exit(capsys: pytest.CaptureFixture[str]):
    assert _exit_status(None) == 0 and _exit_status(0) == 0 and _exit_status(130) == 130
    assert _exit_status("Error: gone") == 1
    assert capsys.readouterr().err == "Error: gone\n"


# An object that says so when the interpreter tears the process down (never with os._exit).
TEARDOWN = (
    "import os\n"
    "class _Teardown:\n"
    "    def __del__(self, write=os.write):\n"
    "        write(2, b'torn down\\n')\n"
    "_t = _Teardown()\n"
)


def test_read_only_commands_skip_the_teardown(many_index: Path, tmp_path: Path):
    for args in (
        ("search", "drones", "--facets", "--index", str(many_index)),
        ("stats", "--index", str(many_index)),
        ("speakers", "--index", str(many_index)),
        ("show", "many:3", "--index", str(many_index)),
        ("--version",),
    ):
        r = _ctsearch(*args, prelude=TEARDOWN)
        assert r.returncode == 0, r.stderr
        assert "torn down" not in r.stderr, args


def test_commands_that_write_exit_normally(tmp_path: Path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("A statement\n\nDrones and victims of terrorism.\n")
    idx = tmp_path / "index"
    # A search that first builds the missing index writes too.
    for args in (
        ("search", "drones", "--corpus", str(corpus), "--index", str(idx)),
        ("index", "--corpus", str(corpus), "--index", str(idx)),
        ("index", "--rebuild", "--corpus", str(corpus), "--index", str(idx)),
    ):
        r = _ctsearch(*args, prelude=TEARDOWN)
        assert r.returncode == 0, r.stderr
        assert "torn down" in r.stderr, args
    r = _ctsearch(
        "search", "drones", "--corpus", str(corpus), "--index", str(idx), prelude=TEARDOWN
    )
    assert r.returncode == 0 and "torn down" not in r.stderr  # the index exists now: read-only
