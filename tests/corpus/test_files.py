"""The corpus folder's conventions, defined once: every stage asks `files` which names are
documents (finding files, the manifest's snapshot, `watch`), so a new format is added once."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctsearch.corpus import files
from ctsearch.corpus.read import find_files
from ctsearch.corpus.watch import is_relevant
from ctsearch.index import snapshot


@pytest.mark.parametrize(
    "name", ["a.txt", "b.md", "c.pdf", "d.html", "e.htm", "F.PDF", "G.Html", "x.meta.toml"]
)
def test_one_definition_of_document_names(name: str, tmp_path: Path) -> None:
    expected = not name.endswith(".meta.toml")
    assert files.is_document_name(name) is expected
    assert is_relevant(tmp_path / name, tmp_path)  # documents and sidecars both matter to watch
    rel = snapshot._doc_id(name)
    assert (rel == name.rsplit(".", 1)[0]) is expected


def test_find_files_finds_pdfs_and_pages(tmp_path: Path) -> None:
    for name in ("a.txt", "b.pdf", "c.html", "d.htm", "e.docx", "f.pdf.meta.toml", "g.png"):
        (tmp_path / name).write_bytes(b"x")
    found = [p.name for p in find_files(tmp_path)]
    assert found == ["a.txt", "b.pdf", "c.html", "d.htm"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [("a.txt", "text"), ("b.md", "text"), ("c.PDF", "pdf"), ("d.html", "html"), ("e.Htm", "html")],
)
def test_kind_of_sends_each_suffix_to_its_reader(name: str, kind: str) -> None:
    assert files.kind_of(name) == kind
    assert files.is_document_name(name)


@pytest.mark.parametrize(
    "err, cause",
    [
        (PermissionError(13, "Permission denied"), "permission denied"),
        (PermissionError(), "permission denied"),
        (FileNotFoundError(2, "No such file or directory"), "no such file or directory"),
        (OSError(5, "Input/output error"), "input/output error"),
        (IsADirectoryError(), "isadirectoryerror"),
    ],
)
def test_os_cause_words_an_os_error_once_for_every_message(err, cause):
    assert files.os_cause(err) == cause
