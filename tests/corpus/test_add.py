"""`add_files`: copying documents into the corpus with their metadata, all or nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from ctsearch.corpus import add as adding
from ctsearch.corpus.add import check_date, check_doc_type, sidecar_fields
from ctsearch.documents.metadata import read_sidecar
from ctsearch.errors import CorpusError, CtsearchError, DocumentError, MetadataError


def add_files(*args, **kwargs):
    """add_files as `ctsearch add` calls it: sidecars held to the indexer's rules."""
    return adding.add_files(*args, check_sidecar=read_sidecar, **kwargs)


TEXT = "Secretary-General António Guterres said: “We must act.”\r\nÅ line with bytes \x00.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "existing.txt").write_text("already here\n")
    return folder


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "speech.txt").write_bytes(TEXT.encode("utf-8"))
    (folder / "notes.md").write_bytes(b"# Notes\n\nSome *markdown*.\n")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def _meta(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_copies_bytes_unchanged_and_writes_only_the_fields_given(corpus, downloads) -> None:
    added = add_files(
        [downloads / "speech.txt"],
        corpus,
        speakers=["António Guterres", "Vladimir Voronkov", "António Guterres"],
        date="2021-06-30",
        doc_type="Press release",
        conference="Second United Nations High-Level Conference on Counter-Terrorism (2021)",
    )
    assert added == [corpus / "speech.txt"]
    assert (corpus / "speech.txt").read_bytes() == (downloads / "speech.txt").read_bytes()
    meta = _meta(corpus / "speech.meta.toml")
    assert meta == {
        "date": "2021-06-30",
        "doc_type": "press_release",
        "conference": "Second United Nations High-Level Conference on Counter-Terrorism (2021)",
        "speakers": ["António Guterres", "Vladimir Voronkov"],
    }
    assert list(meta) == ["date", "doc_type", "conference", "speakers"]  # a stable order
    assert oct((corpus / "speech.txt").stat().st_mode & 0o777) == oct(0o644)


def test_the_metadata_reaches_the_parsed_document(corpus, downloads) -> None:
    from ctsearch import parse_files
    from ctsearch.corpus.read import doc_id_for, find_files

    source = downloads / "remarks" / "speech.txt"
    source.parent.mkdir()
    source.write_text("The Secretary-General said: “We must act together.”\n")
    added = add_files(
        [source],
        corpus,
        subdir="2021",
        speakers=["guterres"],
        date="2021-06-30",
        title="Closing remarks",
        doc_type="speech",
        place="New York",
        url="https://www.un.org/x",
    )
    assert added[0] in find_files(corpus)  # where ingestion looks
    assert doc_id_for(added[0], corpus) == "2021/speech"
    (doc,) = parse_files(added)
    assert (doc.title, doc.doc_type, doc.date, doc.year, doc.place, doc.url) == (
        "Closing remarks",
        "speech",
        "2021-06-30",
        2021,
        "New York",
        "https://www.un.org/x",
    )
    assert doc.speakers == ("António Guterres",)  # the alias given, resolved by the indexer


def test_without_metadata_no_sidecar_is_written(corpus, downloads) -> None:
    assert add_files([downloads / "notes.md"], corpus) == [corpus / "notes.md"]
    assert not (corpus / "notes.meta.toml").exists()
    assert sorted(_tree(corpus)) == ["existing.txt", "notes.md"]


def test_several_files_and_a_subfolder(corpus, downloads) -> None:
    added = add_files(
        [str(downloads / "speech.txt"), downloads / "notes.md"], corpus, subdir="2024/june"
    )
    assert added == [corpus / "2024/june/speech.txt", corpus / "2024/june/notes.md"]
    assert (corpus / "2024/june/notes.md").read_bytes() == (downloads / "notes.md").read_bytes()


def test_an_identical_existing_file_is_a_no_op(corpus, downloads) -> None:
    add_files([downloads / "speech.txt"], corpus)
    before = (corpus / "speech.txt").stat()
    time.sleep(0.01)
    assert add_files([downloads / "speech.txt"], corpus) == [corpus / "speech.txt"]
    after = (corpus / "speech.txt").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_different_file_of_the_same_name_is_refused_unless_replace(corpus, downloads) -> None:
    (downloads / "existing.txt").write_text("a different document\n")
    before = _tree(corpus)
    with pytest.raises(CorpusError) as caught:
        add_files([downloads / "speech.txt", downloads / "existing.txt"], corpus)
    assert str(caught.value) == (
        f"{corpus / 'existing.txt'} already exists and differs; use --replace to overwrite"
    )
    assert _tree(corpus) == before  # speech.txt, first in the list, was not copied either
    add_files([downloads / "existing.txt"], corpus, replace=True)
    assert (corpus / "existing.txt").read_text() == "a different document\n"


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda d: d / "missing.txt", DocumentError, "missing.txt: no such file"),
        (lambda d: d, DocumentError, "is a folder"),
        (lambda d: _write(d / "report.docx"), DocumentError, "unsupported file type '.docx'"),
        (lambda d: _write(d / "README"), DocumentError, "unsupported file type (no extension)"),
        (lambda d: _write(d / "other.meta.toml"), DocumentError, "unsupported file type"),
        (lambda d: _fifo(d / "pipe.txt"), DocumentError, "pipe.txt: not a regular file"),
        (lambda d: _write(d / ".hidden.txt"), DocumentError, "hidden files are not indexed"),
    ],
)
def test_bad_sources_are_refused_before_anything_is_copied(
    corpus, downloads, make, error, message
) -> None:
    before = _tree(corpus)
    bad = make(downloads)
    with pytest.raises(error) as caught:
        add_files([downloads / "speech.txt", bad], corpus, speakers=["A Speaker"])
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert _tree(corpus) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_source_is_refused(corpus, downloads) -> None:
    (downloads / "speech.txt").chmod(0)
    with pytest.raises(DocumentError, match="speech.txt: not readable"):
        add_files([downloads / "speech.txt"], corpus)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"date": "2021-13-45"}, "date '2021-13-45' is not valid; use YYYY, YYYY-MM or YYYY-MM-DD"),
        ({"date": "2021-02-30"}, "is not valid"),
        ({"date": "30/06/2021"}, "is not valid"),
        ({"date": "2021-6-3"}, "is not valid"),
        ({"date": ""}, "is not valid"),
        ({"doc_type": "memo"}, "type 'memo' is not one of: speech, statement"),
        ({"title": "   "}, "title is empty"),
        ({"speakers": ["ok", ""]}, "speaker is empty"),
        ({"title": "bad\x1b[31m"}, "contains control characters"),
        ({"url": "http://a b"}, "contains spaces"),
    ],
)
def test_bad_metadata_is_refused_before_anything_is_copied(
    corpus, downloads, options, message
) -> None:
    before = _tree(corpus)
    with pytest.raises(MetadataError) as caught:
        add_files([downloads / "speech.txt"], corpus, **options)
    assert message in str(caught.value)
    assert _tree(corpus) == before


@pytest.mark.parametrize("value", ["2021", "2021-06", "2021-06-30", "2024-02-29", " 2021 "])
def test_valid_dates(value: str) -> None:
    assert check_date(value) == value.strip()


@pytest.mark.parametrize(
    ("value", "canonical"),
    [("speech", "speech"), ("Press release", "press_release"), ("web-page", "web_page")],
)
def test_doc_types_are_normalised(value: str, canonical: str) -> None:
    assert check_doc_type(value) == canonical


def test_sidecar_fields_are_only_those_given() -> None:
    assert sidecar_fields() == {}
    assert sidecar_fields(title="  A   title ", url="https://un.org/x") == {
        "title": "A title",
        "url": "https://un.org/x",
    }


def test_missing_corpus_and_bad_subfolders(tmp_path, downloads) -> None:
    with pytest.raises(CorpusError, match="no such corpus folder"):
        add_files([downloads / "speech.txt"], tmp_path / "nowhere")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for subdir in ("../outside", "/abs", ""):
        with pytest.raises(CorpusError, match="must be a relative folder"):
            add_files([downloads / "speech.txt"], corpus, subdir=subdir)
    with pytest.raises(CorpusError, match="hidden folders are not indexed"):
        add_files([downloads / "speech.txt"], corpus, subdir="a/.cache")
    with pytest.raises(DocumentError, match="no files given"):
        add_files([], corpus)


def test_two_sources_with_one_name_are_refused(corpus, downloads, tmp_path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "speech.txt").write_text("another speech")
    with pytest.raises(CorpusError, match="would both become"):
        add_files([downloads / "speech.txt", other / "speech.txt"], corpus)
    assert not (corpus / "speech.txt").exists()
    # The same file named twice is fine.
    assert add_files([downloads / "speech.txt", downloads / "speech.txt"], corpus) == [
        corpus / "speech.txt"
    ]


def test_a_twin_with_the_other_extension_is_refused(corpus, downloads) -> None:
    (downloads / "existing.md").write_text("# same document id as existing.txt")
    with pytest.raises(CorpusError, match="existing.txt already exists; existing.md would be"):
        add_files([downloads / "existing.md"], corpus)
    (downloads / "notes.txt").write_text("notes")
    with pytest.raises(CorpusError, match="would share the sidecar"):
        add_files([downloads / "notes.md", downloads / "notes.txt"], corpus)


def test_a_sidecar_beside_the_source_comes_along_under_the_options(corpus, downloads) -> None:
    (downloads / "speech.meta.toml").write_text('title = "Remarks"\nplace = "Geneva"\n')
    add_files([downloads / "speech.txt"], corpus, place="New York", speakers=["X"])
    assert _meta(corpus / "speech.meta.toml") == {
        "title": "Remarks",
        "place": "New York",
        "speakers": ["X"],
    }


def test_a_broken_source_sidecar_is_named(corpus, downloads) -> None:
    (downloads / "speech.meta.toml").write_text("title = ")
    with pytest.raises(MetadataError, match="speech.meta.toml: not valid TOML"):
        add_files([downloads / "speech.txt"], corpus)
    assert not (corpus / "speech.txt").exists()


def test_a_different_existing_sidecar_is_refused_unless_replace(corpus, downloads) -> None:
    add_files([downloads / "speech.txt"], corpus, speakers=["A"])
    add_files([downloads / "speech.txt"], corpus, speakers=["A"])  # same metadata: fine
    with pytest.raises(CorpusError, match=r"speech.meta.toml already exists and differs"):
        add_files([downloads / "speech.txt"], corpus, speakers=["B"])
    assert _meta(corpus / "speech.meta.toml") == {"speakers": ["A"]}
    add_files([downloads / "speech.txt"], corpus, speakers=["B"], replace=True)
    assert _meta(corpus / "speech.meta.toml") == {"speakers": ["B"]}


def test_a_file_already_in_the_corpus_gets_its_metadata_merged(corpus) -> None:
    doc = corpus / "existing.txt"
    (corpus / "existing.meta.toml").write_text('title = "Kept"\ndate = "2019"\n')
    assert add_files([doc], corpus, date="2019-05", speakers=["A"]) == [doc]
    assert _meta(corpus / "existing.meta.toml") == {
        "title": "Kept",
        "date": "2019-05",
        "speakers": ["A"],
    }
    assert doc.read_text() == "already here\n"
    add_files([doc], corpus, speakers=["B"], replace=True)  # replace: only the given fields
    assert _meta(corpus / "existing.meta.toml") == {"speakers": ["B"]}
    add_files([doc], corpus)  # nothing given: nothing changes
    assert _meta(corpus / "existing.meta.toml") == {"speakers": ["B"]}


def test_a_broken_sidecar_in_place_names_the_fix(corpus) -> None:
    (corpus / "existing.meta.toml").write_text("[[[")
    with pytest.raises(MetadataError, match="not valid TOML .*use --replace to overwrite it"):
        add_files([corpus / "existing.txt"], corpus, speakers=["A"])
    add_files([corpus / "existing.txt"], corpus, speakers=["A"], replace=True)
    assert _meta(corpus / "existing.meta.toml") == {"speakers": ["A"]}


def test_errors_are_ctsearch_errors_on_one_line(corpus, downloads) -> None:
    with pytest.raises(CtsearchError) as caught:
        add_files([downloads / "nope.txt"], corpus, date="never")
    assert "\n" not in str(caught.value)


# A child that adds one large file; killed at random moments it must never leave a partial copy.
ADDER = """
import sys
from ctsearch.corpus.add import add_files
add_files([sys.argv[1]], sys.argv[2], title="Big", replace=True)
"""

# The same, but it stops half-way through the copy and says so, so the kill lands mid-copy.
STALLED_ADDER = """
import sys, time
import ctsearch.corpus.add

def half_then_hang(fin, fout, length=0):
    fout.write(fin.read(1 << 20))
    fout.flush()
    print("mid-copy", flush=True)
    time.sleep(60)

ctsearch.corpus.add.shutil.copyfileobj = half_then_hang
ctsearch.corpus.add.add_files([sys.argv[1]], sys.argv[2], title="Big", replace=True)
"""


def _documents(corpus: Path) -> list[str]:
    return sorted(p.name for p in corpus.iterdir() if p.name.endswith((".txt", ".md")))


def test_a_kill_mid_copy_leaves_the_old_document(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    big = tmp_path / "big.txt"
    big.write_bytes(b"new version " * 200_000)
    (corpus / "big.txt").write_bytes(b"old version\n")
    child = subprocess.Popen(
        [sys.executable, "-c", STALLED_ADDER, str(big), str(corpus)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "mid-copy"
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate()
    assert (corpus / "big.txt").read_bytes() == b"old version\n"
    assert _documents(corpus) == ["big.txt"]
    strays = [p for p in corpus.iterdir() if p.name.endswith(".ctsearch-tmp")]
    assert len(strays) == 1 and strays[0].name.startswith(".big.txt.")
    assert strays[0].stat().st_size == 1 << 20  # the half-written copy is there, but hidden


def test_a_killed_add_never_leaves_a_partial_document(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    big = tmp_path / "big.txt"
    big.write_bytes(os.urandom(256) * (40 * 4096))  # 40 MiB, so a kill can land mid-copy
    expected = big.read_bytes()
    rng = random.Random(4)
    for _ in range(6):
        (corpus / "big.txt").write_bytes(b"old version\n")
        child = subprocess.Popen([sys.executable, "-c", ADDER, str(big), str(corpus)])
        time.sleep(rng.uniform(0.05, 0.4))
        child.send_signal(signal.SIGKILL)
        child.communicate()
        assert (corpus / "big.txt").read_bytes() in (b"old version\n", expected)
        assert _documents(corpus) == ["big.txt"]
        for p in corpus.iterdir():
            if p.name.startswith("."):
                p.unlink()


def _write(path: Path) -> Path:
    path.write_text("x")
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path
