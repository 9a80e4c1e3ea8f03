"""ctsearch opens only indexes it built: a folder without its marker is refused, never opened
(Whoosh keeps pickled data, and unpickling a stranger's file can run code)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from click.testing import CliRunner

from ctsearch.cli import cli
from ctsearch.index.store import MARKER


class _Boom:
    """Unpickling this writes a file: proof that a planted pickle was loaded."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (Path(self.path).write_text, ("pwned",))


def _foreign_whoosh_index(folder: Path) -> None:
    from whoosh import fields, index

    folder.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(folder), fields.Schema(text=fields.TEXT(stored=True)))
    with ix.writer() as w:
        w.add_document(text="drones and terrorism")


def _planted_pickle(folder: Path, canary: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "_MAIN_1.toc").write_bytes(pickle.dumps(_Boom(str(canary))))
    (folder / "MAIN_x.seg").write_bytes(pickle.dumps(_Boom(str(canary))))


@pytest.fixture()
def spy_opens(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every attempt to open a Whoosh index or unpickle data."""
    from whoosh import index as windex
    from whoosh.filedb import filestore

    calls: list[str] = []
    real_loads, real_load = pickle.loads, pickle.load

    def record(name, real):
        def spy(*args, **kwargs):
            calls.append(name)
            return real(*args, **kwargs)

        return spy

    monkeypatch.setattr(windex, "open_dir", record("open_dir", windex.open_dir))
    monkeypatch.setattr(
        filestore.FileStorage, "open_index", record("open_index", filestore.FileStorage.open_index)
    )
    monkeypatch.setattr(pickle, "loads", record("pickle.loads", real_loads))
    monkeypatch.setattr(pickle, "load", record("pickle.load", real_load))
    return calls


COMMANDS = [
    ["search", "drones"],
    ["search", "drones", "--json"],
    ["show", "x:0"],
    ["speakers"],
    ["stats"],
]


@pytest.mark.parametrize("args", COMMANDS)
def test_foreign_whoosh_index_is_refused(tmp_path: Path, spy_opens: list[str], args) -> None:
    folder = tmp_path / "foreign"
    _foreign_whoosh_index(folder)
    spy_opens.clear()
    result = CliRunner().invoke(cli, [*args, "--index", str(folder)])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ctsearch did not write" in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert spy_opens == []


@pytest.mark.parametrize("args", COMMANDS)
def test_planted_pickle_is_never_loaded(tmp_path: Path, spy_opens: list[str], args) -> None:
    folder, canary = tmp_path / "planted", tmp_path / "canary"
    _planted_pickle(folder, canary)
    corpus = tmp_path / "corpus"  # a search with a corpus must not build over it either
    corpus.mkdir()
    (corpus / "a.txt").write_text("Drones were discussed.\n", encoding="utf-8")
    extra = ["--corpus", str(corpus)] if args[0] in ("search", "show") else []
    result = CliRunner().invoke(cli, [*args, "--index", str(folder), *extra])
    assert result.exit_code == 1, result.output
    assert "ctsearch did not write" in result.stderr
    assert not canary.exists()
    assert spy_opens == []
    assert sorted(p.name for p in folder.iterdir()) == ["MAIN_x.seg", "_MAIN_1.toc"]


def test_random_files_are_refused_and_kept(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"\x00precious")
    result = CliRunner().invoke(cli, ["stats", "--index", str(folder)])
    assert result.exit_code == 1
    assert MARKER in result.stderr and "choose another --index" in result.stderr
    built = CliRunner().invoke(cli, ["index", "--corpus", str(tmp_path), "--index", str(folder)])
    assert built.exit_code == 1
    assert (folder / "thesis.docx").read_bytes() == b"\x00precious"


def test_a_marker_that_is_not_ours_is_refused(tmp_path: Path, spy_opens: list[str]) -> None:
    folder = tmp_path / "fake"
    folder.mkdir()
    (folder / MARKER).write_text('{"format": "something-else"}', encoding="utf-8")
    result = CliRunner().invoke(cli, ["search", "drones", "--index", str(folder)])
    assert result.exit_code == 1
    assert "not a ctsearch index marker" in result.stderr
    assert spy_opens == []


def test_own_index_opens(sample_index: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", "--index", str(sample_index), "--json"])
    assert result.exit_code == 0, result.output
