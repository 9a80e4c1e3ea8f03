"""ingest: finding corpus files, reading them safely, decoding their bytes.

Hostile inputs (binary, empty, special files, vanishing files, odd encodings) are refused with
one-line errors naming the file or read correctly; tests/test_hostile_corpus.py runs them all
through the `ctsearch` command.
"""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctsearch.corpus import read as ingest
from ctsearch.corpus.read import clean_text, decode_bytes, doc_id_for, find_files, read_text
from ctsearch.errors import CorpusError, DocumentError

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# --- find_files --------------------------------------------------------------------------------


def test_find_files_recursive_sorted_and_filtered(tmp_path: Path) -> None:
    for rel in [
        "b.txt", "a.md", "sub/c.txt", "sub/deeper/d.TXT", "with space/é ü.txt",
        "a.meta.toml", "notes.rst", ".hidden.txt", ".git/x.txt", "sub/.cache/y.md",
    ]:  # fmt: skip
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("text")
    (tmp_path / "folder.txt").mkdir()  # a folder is not a document, whatever its name
    found = [p.relative_to(tmp_path).as_posix() for p in find_files(tmp_path)]
    assert found == ["a.md", "b.txt", "sub/c.txt", "sub/deeper/d.TXT", "with space/é ü.txt"]


def test_find_files_survives_symlink_loops(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("text")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")  # a file symlink to itself
    warnings: list[str] = []
    found = find_files(tmp_path, warn=warnings.append)
    assert found == [tmp_path / "sub" / "a.txt"]
    assert any("symlink loop" in w and "loop" in w for w in warnings)
    assert any("self.txt" in w for w in warnings)
    assert all("\n" not in w for w in warnings)


def test_find_files_follows_a_symlinked_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.txt").write_text("text")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "linked").symlink_to(outside, target_is_directory=True)
    assert find_files(corpus) == [corpus / "linked" / "x.txt"]
    assert doc_id_for(corpus / "linked" / "x.txt", corpus) == "linked/x"


def test_find_files_skips_an_undecodable_name(tmp_path: Path) -> None:
    try:
        (Path(os.fsdecode(bytes(tmp_path))) / os.fsdecode(b"bad\xff.txt")).write_text("text")
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses non-UTF-8 names")
    (tmp_path / "good.txt").write_text("text")
    warnings: list[str] = []
    assert find_files(tmp_path, warn=warnings.append) == [tmp_path / "good.txt"]
    assert len(warnings) == 1 and "not valid UTF-8" in warnings[0]
    warnings[0].encode("utf-8")  # the warning itself can be printed


@pytest.mark.parametrize("make", ["missing", "file"])
def test_find_files_without_a_corpus_folder(tmp_path: Path, make: str) -> None:
    corpus = tmp_path / "corpus"
    if make == "file":
        corpus.write_text("not a folder")
    with pytest.raises(CorpusError) as err:
        find_files(corpus)
    assert str(err.value) == (
        f"corpus folder not found: {corpus} — pass --corpus or set CTSEARCH_CORPUS"
    )


def test_find_files_warns_about_an_unreadable_folder(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "x.txt").write_text("text")
    (tmp_path / "ok.txt").write_text("text")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    warnings: list[str] = []
    assert find_files(tmp_path, warn=warnings.append) == [tmp_path / "ok.txt"]
    assert warnings == [f"{tmp_path / 'locked'}: folder not readable (permission denied): skipped"]


@pytest.mark.skipif(IS_ROOT, reason="root reads every folder, whatever its mode")
def test_find_files_with_a_real_unreadable_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text("text")
    locked.chmod(0)
    try:
        warnings: list[str] = []
        assert find_files(tmp_path, warn=warnings.append) == []
        assert len(warnings) == 1 and "permission denied" in warnings[0]
    finally:
        locked.chmod(0o755)


# --- doc_id_for --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "root", "expected"),
    [
        ("corpus/000_abc.txt", "corpus", "000_abc"),
        ("corpus/sub/000_abc.md", "corpus", "sub/000_abc"),
        ("corpus/sub/a.b.txt", "corpus", "sub/a.b"),
        ("corpus/sub/../a.txt", "corpus", "a"),
        ("elsewhere/x.txt", "corpus", "x"),
        ("corpus/sub/x.txt", None, "x"),
    ],
)
def test_doc_id_for(path: str, root: str | None, expected: str) -> None:
    assert doc_id_for(Path(path), Path(root) if root else None) == expected


def test_doc_id_for_mixes_absolute_and_relative(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert doc_id_for(tmp_path / "corpus" / "s" / "a.txt", Path("corpus")) == "s/a"


# --- decode_bytes / read_text ------------------------------------------------------------------

SAMPLE = "“Smart” café – naïve Ärger\nline two"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-16"),  # with BOM (native order)
        b"\xff\xfe" + SAMPLE.encode("utf-16-le"),
        b"\xfe\xff" + SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("utf-16-le"),  # no BOM: told by the NULs in every other byte
        SAMPLE.encode("utf-16-be"),
        SAMPLE.encode("utf-32"),
        SAMPLE.encode("cp1252"),
    ],
    ids="utf8 utf8-bom utf16 utf16le-bom utf16be-bom utf16le utf16be utf32 cp1252".split(),
)
def test_decode_bytes_encodings(data: bytes) -> None:
    assert decode_bytes(data) == SAMPLE


def test_decode_bytes_latin1_and_crlf() -> None:
    text = "Se\xf1or Garc\xeda, \xbfqu\xe9 tal?\r\nTr\xe8s bien, \xab merci \xbb."
    assert decode_bytes(text.encode("latin-1")) == text
    assert clean_text(decode_bytes(text.encode("latin-1"))) == (
        "Señor García, ¿qué tal?\n\nTrès bien, « merci »."
    )


def test_decode_bytes_mostly_utf8_with_stray_bytes() -> None:
    # A UTF-8 file with a few cp1252 bytes pasted in: both halves read right, no U+FFFD.
    data = "Guterres: “We must act.” ".encode() + b"caf\xe9 \x93quoted\x94 \x85"
    text = decode_bytes(data)
    assert text == "Guterres: “We must act.” café “quoted” …"
    assert "\ufffd" not in text


def test_decode_bytes_more_text() -> None:
    chinese = "联合国秘书长古特雷斯今天在纽约说, we must act (2018)."
    assert decode_bytes(chinese.encode("utf-16-le")) == chinese  # few NULs, one parity only
    assert decode_bytes(chinese.encode("utf-16-be")) == chinese
    french = "Ça été très énervé à Zürich; déjà vu"  # many accents: still cp1252
    assert decode_bytes(french.encode("cp1252")) == french


def test_decode_bytes_legacy_cyrillic() -> None:
    text = "Генеральный секретарь Организации Объединённых Наций заявил сегодня в Нью-Йорке"
    assert decode_bytes(text.encode("cp1251")) == text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty file"),
        (b" \n\t\r\n  ", "contains only whitespace"),
        ("\ufeff \u00a0\u200b\n".encode(), "contains only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary data"),
        (bytes(range(256)) * 8, "binary data"),
        (b"text with\x01\x02\x03\x04\x05 many control\x06\x07\x0e\x0f bytes", "binary data"),
    ],
)
def test_decode_bytes_refuses(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        decode_bytes(data)


def test_decode_bytes_random_binary_never_crashes() -> None:
    rng = __import__("random").Random(7)
    for _ in range(50):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
        try:
            text = decode_bytes(data)
        except DocumentError:
            continue
        clean_text(text)


def test_read_text_names_the_file(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_bytes("Guterres said “yes”.\r\n".encode("utf-16"))
    assert read_text(good) == "Guterres said “yes”.\r\n"
    cases = {
        tmp_path / "x.txt": "is a folder, not a text file",
        tmp_path / "gone.txt": "no longer exists",
        tmp_path / "empty.txt": "empty file",
        tmp_path / "image.txt": "binary data",
    }
    (tmp_path / "x.txt").mkdir()
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    for path, reason in cases.items():
        with pytest.raises(DocumentError) as err:
            read_text(path)
        message = str(err.value)
        assert message.startswith(f"{path}: ") and reason in message and "\n" not in message


@pytest.mark.skipif(IS_ROOT, reason="root reads every file, whatever its mode")
def test_read_text_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("secret")
    path.chmod(0)
    try:
        with pytest.raises(DocumentError, match=r"x\.txt: not readable \(permission denied\)$"):
            read_text(path)
    finally:
        path.chmod(0o644)


def test_read_text_permission_denied_simulated(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "x.txt"
    path.write_text("secret")

    real_open = os.open

    def refuse(file, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(DocumentError) as err:
        read_text(path)
    assert str(err.value) == f"{path}: not readable (permission denied)"


def test_read_text_refuses_a_file_over_the_limit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("word " * 300)
    with pytest.raises(DocumentError, match="too large"):
        read_text(path)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=600))
def test_decode_bytes_never_crashes(data: bytes) -> None:
    try:
        text = decode_bytes(data)
    except DocumentError as err:
        assert "\n" not in str(err)
        return
    assert isinstance(text, str)
    clean_text(text)


# --- hostile files -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x00\x01\x02\xff", "too many control characters"),  # tiny: a share, not a count
        (b"\x01", "too many control characters"),
        (b"ab\x02", "too many control characters"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document: name it .pdf"),
        (b"\x89PNG\r\n\x1a\nIHDR", "a PNG image"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive"),
        (b"\x1f\x8b\x08\x00", "gzip-compressed data"),
        (b"\x7fELF\x02\x01\x01", "an executable"),
        (b"\xff\xd8\xff\xe0", "a JPEG image"),
        (b"a\x00" * 3 + b"\x00\xd8" * 40, "NUL bytes"),  # "UTF-16" of broken surrogates
        (b"text\x00\x00\x00\x00 with many NULs\x00\x00 in it", "NUL bytes"),
    ],
)
def test_decode_bytes_refuses_small_and_known_binaries(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        decode_bytes(data)


def test_random_bytes_are_binary_from_100_bytes_on() -> None:
    rng = __import__("random").Random(11)
    for size in (100, 1000, 10_000):
        for _ in range(100):
            with pytest.raises(DocumentError, match="binary data"):
                decode_bytes(rng.randbytes(size))


def test_stray_nuls_in_text_are_junk_not_binary() -> None:
    body = "A sentence of ordinary text that goes on for a while. " * 4
    for data, codec in [
        (body.encode(), "utf-8"),
        (("Déjà vu. " + body).encode("cp1252"), "cp1252"),
    ]:
        dirty = data.replace(b". ", b".\x00 ", 2)
        assert decode_bytes(dirty) == data.decode(codec).replace(". ", ".\x00 ", 2)
        assert "\x00" not in clean_text(decode_bytes(dirty))
    assert decode_bytes("hi".encode("utf-16-le")) == "hi"  # tiny UTF-16: still UTF-16


def test_a_dos_end_of_file_mark_is_not_binary() -> None:
    assert decode_bytes(b"Old text.\r\n\x1a") == "Old text.\r\n"
    assert decode_bytes("Old text.\x1a".encode("utf-16")) == "Old text."


@pytest.fixture
def alarm():
    """Fail instead of hanging when a read blocks (a FIFO opened without O_NONBLOCK)."""

    def timeout(*_args):
        raise TimeoutError("the read blocked")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_hanging(tmp_path: Path, alarm) -> None:
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    with pytest.raises(DocumentError) as err:
        read_text(fifo)
    assert str(err.value) == f"{fifo}: a FIFO (named pipe), not a regular file"
    warnings: list[str] = []
    (tmp_path / "good.txt").write_text("text")
    assert find_files(tmp_path, warn=warnings.append) == [tmp_path / "good.txt"]
    assert warnings == [f"{fifo}: a FIFO (named pipe), not a regular file: skipped"]


def test_find_files_skips_a_socket_and_a_dangling_symlink(tmp_path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(tmp_path / "s.txt"))
    except OSError:
        pytest.skip("no Unix sockets here")
    (tmp_path / "dangling.md").symlink_to(tmp_path / "missing.md")
    warnings: list[str] = []
    try:
        assert find_files(tmp_path, warn=warnings.append) == []
    finally:
        sock.close()
    assert sorted(warnings) == [
        f"{tmp_path / 'dangling.md'}: broken symlink or symlink loop: skipped",
        f"{tmp_path / 's.txt'}: a socket, not a regular file: skipped",
    ]


def test_read_text_refuses_a_folder_and_a_device(tmp_path: Path) -> None:
    (tmp_path / "x.txt").mkdir()
    with pytest.raises(DocumentError, match=r"x\.txt: is a folder, not a text file$"):
        read_text(tmp_path / "x.txt")
    if Path("/dev/null").exists():
        with pytest.raises(DocumentError, match="a device, not a regular file$"):
            read_text(Path("/dev/null"))


def test_a_file_that_grows_past_the_limit_while_read(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "growing.txt"
    path.write_text("word " * 100)
    real_fstat = os.fstat

    def small_fstat(fd):  # the size when looked at; more bytes by the time they are read
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, *st[1:6], 10, *st[7:]))

    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(os, "fstat", small_fstat)
    with pytest.raises(DocumentError, match="too large"):
        read_text(path)


def test_read_text_reads_a_50_mb_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    line = "Ordinary words of an ordinary sentence, repeated to make a big file.\n"
    path.write_text(line * (50 * 2**20 // len(line)))
    text = read_text(path)
    assert len(text) == path.stat().st_size and text.startswith("Ordinary")


def test_first_line_and_one_line_say_a_value_on_one_line():
    from ctsearch.corpus.read import first_line, one_line

    assert first_line(ValueError("bad\n  xref\ttable")) == "bad xref table"
    assert first_line(ValueError("x" * 200)) == "x" * 120
    assert first_line(KeyError()) == "KeyError" and first_line(ValueError(" \n")) == "ValueError"
    assert one_line("  A\n title ") == "A title"
    assert one_line(None) is None and one_line(" \n ") is None and one_line("") is None
