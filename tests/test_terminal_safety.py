"""Text from documents reaches the terminal without control characters; JSON stays exact; a
closed pipe ends the command quietly."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import index_documents, make_document
from hypothesis import given, settings
from hypothesis import strategies as st

from ctsearch.cli import cli
from ctsearch.output import one_line, safe

# Any C0/C1 control but newline, and the bidi overrides output.safe removes.
UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = (
    "Drones \x1b[31mRED\x1b[0m attack\x1b]0;owned title\x07 here \x1b[2J\x1bc"
    " bell\x07 back\x08space nul\x00 del\x7f csi\x9b31m osc\x9d0;x\x9c rtl\u202egnp.exe"
)


def test_safe_removes_escapes_and_controls() -> None:
    assert safe("\x1b[31mRED\x1b[0m") == "RED"
    assert safe("a\x1b]0;title\x07b") == "ab"
    assert safe("a\tb\r\nc") == "a b\nc"
    assert not UNSAFE.search(safe(HOSTILE))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_safe_never_lets_a_control_through(text: str) -> None:
    cleaned = safe(text)
    assert not UNSAFE.search(cleaned)
    assert safe(cleaned) == cleaned  # idempotent
    assert "\n" not in one_line(text) and not UNSAFE.search(one_line(text))


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    """An index whose stored text, title, speaker and conference hold raw control characters
    (built from hand-made Documents, so no ingestion step cleans them first)."""

    docs = [
        make_document(
            "evil",
            [(HOSTILE, ("Evil \x1b[5mSpeaker",)), ("More drones \x1b[1mbold\x1b[0m text.", ())],
            title="Title \x1b[31mred\x1b[0m\x07",
            conference="Conf\x1b]0;x\x07erence 2021",
            date="2021-06-30",
        )
    ]
    root = tmp_path_factory.mktemp("hostile")
    (root / "corpus").mkdir()
    index_documents(root / "corpus", root / "index", docs)
    return root / "index", docs


@pytest.mark.parametrize(
    "args",
    [
        ["search", "drones"],
        ["search", "drones", "--facets"],
        ["search", "drones", "--sort", "date"],
        ["show", "evil:0", "--context", "1"],
        ["speakers"],
        ["stats"],
    ],
)
def test_text_output_has_no_controls(hostile_index, args: list[str]) -> None:
    index, _ = hostile_index
    result = CliRunner().invoke(cli, [*args, "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert "RED" in result.stdout or args[0] in ("speakers", "stats") or "--facets" in args
    assert not UNSAFE.search(result.stdout), repr(result.stdout)
    assert not UNSAFE.search(result.stderr), repr(result.stderr)


def test_json_output_is_exact(hostile_index) -> None:
    index, docs = hostile_index
    result = CliRunner().invoke(cli, ["search", "drones", "--json", "--index", str(index)])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    stored = {p.passage_id: p.text for p in docs[0].passages}
    assert data["hits"], data
    for hit in data["hits"]:
        assert hit["text"] == stored[hit["passage_id"]]
    shown = CliRunner().invoke(cli, ["show", "evil:0", "--json", "--index", str(index)])
    assert json.loads(shown.stdout)["passage"]["text"] == HOSTILE


def test_corpus_file_with_escapes(tmp_path: Path) -> None:
    """A real corpus file with ANSI and other controls: index, search, show, parse."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = (
        "Statement by the \x1b[31mSecretary-General\x1b[0m\n\n"
        "The drones \x1b]0;title\x07 were condemned \x07\x08\x0b\x0c\x1b[2J by \x85all\x9b.\n\n"
        "Victims of terrorism deserve support and \x1bcdrones are a threat.\n"
    )
    (corpus / "evil.txt").write_text(body, encoding="utf-8")
    index = tmp_path / "index"
    runner = CliRunner()
    built = runner.invoke(cli, ["index", "--corpus", str(corpus), "--index", str(index)])
    assert built.exit_code == 0, built.output
    for args in (
        ["search", "victims", "--index", str(index)],
        ["speakers", "--index", str(index)],
        ["stats", "--index", str(index)],
        ["parse", str(corpus / "evil.txt")],
    ):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, (args, result.output)
        assert not UNSAFE.search(result.stdout), (args, result.stdout)
    found = json.loads(
        runner.invoke(cli, ["search", "victims", "--json", "--index", str(index)]).stdout
    )
    assert found["hits"]
    pid = found["hits"][0]["passage_id"]
    shown = runner.invoke(cli, ["show", pid, "--index", str(index)])
    assert shown.exit_code == 0 and not UNSAFE.search(shown.stdout)
    parsed = json.loads(runner.invoke(cli, ["parse", "--json", str(corpus / "evil.txt")]).stdout)
    assert parsed["documents"]


# -- broken pipes --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def many_index(tmp_path_factory: pytest.TempPathFactory) -> Path:

    passages = [(f"Passage {i} about drones and more drones, number {i}.", ()) for i in range(400)]
    root = tmp_path_factory.mktemp("many")
    (root / "corpus").mkdir()
    index_documents(root / "corpus", root / "index", [make_document("many", passages)])
    return root / "index"


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_broken_pipe_ends_quietly(many_index: Path, extra: list[str]) -> None:
    cmd = [
        sys.executable,
        "-c",
        "from ctsearch.cli import main; main()",
        "search",
        "drones",
        "--limit",
        "400",
        "--index",
        str(many_index),
        *extra,
    ]
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()  # like `| head -1`
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    code = proc.wait(timeout=60)
    assert code == 0, (code, err)
    assert "BrokenPipeError" not in err and "Exception ignored" not in err, err
    assert "Traceback" not in err, err
