"""Find corpus files, read them safely and decode their bytes into text.

A corpus holds whatever people download: the walk survives symlink loops, unreadable folders
and special files (a FIFO named x.txt must not hang a run), and reading refuses binary data,
empty files and files too large to hold in memory, each with a one-line DocumentError naming the
file. Repairing the decoded text is `clean.py`'s job; `clean_text` is re-exported here for the
callers that know ingestion as one module.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path

from ctsearch.corpus.clean.pipeline import clean_text
from ctsearch.corpus.files import is_document_name, os_cause
from ctsearch.errors import CorpusError, DocumentError

__all__ = [
    "MAX_FILE_BYTES",
    "find_files",
    "doc_id_for",
    "read_text",
    "read_bytes",
    "decode_bytes",
    "clean_text",
    "first_line",
    "one_line",
]

# Files are read whole; beyond this they are refused rather than risk exhausting memory.
MAX_FILE_BYTES = 64 * 1024 * 1024

# --- finding files -----------------------------------------------------------------------------


def find_files(corpus: Path, *, warn: Callable[[str], None] | None = None) -> list[Path]:
    """Every document (*.txt, *.md, *.pdf, *.html, *.htm) under `corpus`, sorted; hidden
    entries and sidecars are left out.

    Symlinks are followed, but a folder reached twice (a symlink loop) is skipped with a warning
    so the walk always ends. An unreadable folder, a broken symlink and anything that is not a
    regular file (a FIFO, a socket, a device) are reported through `warn` and skipped.
    """
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise CorpusError(
            f"corpus folder not found: {corpus} — pass --corpus or set CTSEARCH_CORPUS"
        )
    say = warn or (lambda _message: None)
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()

    def on_error(err: OSError) -> None:
        say(f"{err.filename}: folder not readable ({os_cause(err)}): skipped")

    for dirpath, dirnames, filenames in os.walk(corpus, onerror=on_error, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError as err:
            say(f"{dirpath}: folder not readable ({os_cause(err)}): skipped")
            dirnames[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            say(f"{dirpath}: symlink loop (this folder was already scanned): skipped")
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not is_document_name(name):  # (a sidecar is not one)
                continue
            path = Path(dirpath, name)
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:  # undecodable bytes in the name (surrogate escapes)
                shown = os.fsencode(path).decode("utf-8", "replace")
                say(f"{shown}: file name is not valid UTF-8: skipped")
                continue
            try:
                mode = path.stat().st_mode  # follows symlinks
            except OSError:
                say(f"{path}: broken symlink or symlink loop: skipped")
                continue
            if not stat.S_ISREG(mode):
                say(f"{path}: {_file_kind(mode)}, not a regular file: skipped")
                continue
            found.append(path)
    return sorted(found)


def doc_id_for(path: Path, corpus_root: Path | None) -> str:
    """The document id: path relative to the corpus without suffix, "/"-separated."""
    path = Path(path)
    if corpus_root is not None:
        # abspath, not resolve(): a file reached through a symlinked folder stays inside the corpus.
        try:
            rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(corpus_root))
        except ValueError:
            rel = None
        if rel is not None and rel.parts:
            return rel.with_suffix("").as_posix()
    return path.stem


# --- reading -----------------------------------------------------------------------------------

# A FIFO opens without waiting for a writer; for regular files the flag changes nothing.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_text(path: Path) -> str:
    """The decoded text of one regular file; any failure becomes a one-line DocumentError
    naming it (missing, a folder, a FIFO or device, unreadable, too large, binary, empty)."""
    path = Path(path)
    data = read_bytes(path)
    try:
        return decode_bytes(data)
    except DocumentError as err:
        raise DocumentError(f"{path}: {err}") from None


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The bytes of one regular file of at most `limit` bytes (default MAX_FILE_BYTES); any
    failure becomes a one-line DocumentError naming it (missing, a folder, a FIFO or device,
    unreadable, too large)."""
    path = Path(path)
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as err:
        raise DocumentError(f"{path}: {_os_reason(err)}") from None
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())  # the file we opened, not whatever the name is now
            if not stat.S_ISREG(st.st_mode):
                raise DocumentError(f"{path}: {_file_kind(st.st_mode)}, not a regular file")
            if st.st_size > limit:
                mib = st.st_size / 2**20
                raise DocumentError(
                    f"{path}: too large ({mib:.1f} MiB, over the {_limit(limit)} limit)"
                )
            data = fh.read(limit + 1)
    except OSError as err:
        raise DocumentError(f"{path}: {_os_reason(err)}") from None
    if len(data) > limit:  # it grew after fstat
        raise DocumentError(f"{path}: too large (over the {_limit(limit)} limit)")
    if not data:
        raise DocumentError(f"{path}: empty file")
    return data


def _limit(limit: int = MAX_FILE_BYTES) -> str:
    return f"{limit // 2**20} MiB"


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _os_reason(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "no longer exists (moved or deleted while reading)"
    if isinstance(err, IsADirectoryError):
        return "is a folder, not a text file"
    return f"not readable ({os_cause(err)})"


def first_line(exc: BaseException) -> str:
    """An exception as one short line of a message: its text with whitespace collapsed, cut
    at 120 characters, or its class name when it has no text."""
    return " ".join(str(exc).split())[:120] or type(exc).__name__


def one_line(value: object) -> str | None:
    """A metadata value (a title, an author) with whitespace collapsed; None when empty."""
    if value is None:
        return None
    return " ".join(str(value).split()) or None


# --- decoding ----------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Signatures of common binary formats that a mislabelled download may carry. Text never starts
# with these bytes, and a few of them decode to plausible characters (a PNG's "\x89PNG" reads
# as "‰PNG" in cp1252), so they are refused before decoding.
_SIGNATURES = (
    (b"%PDF-", "a PDF document: name it .pdf to have its text read"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_SNIFF_BYTES = 65536
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Control characters that never occur in text (tab, line ends, form feed and ESC may).
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# Text is binary when more than this share of its (sampled) characters are such controls; the
# share, not a count, so that a 4-byte file of control bytes is binary too.
BINARY_SHARE = 0.02
_BLANK = re.compile(r"[\s\ufeff\u200b-\u200d\u2060\u00ad]*")


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Decode the bytes that are not UTF-8 as cp1252 (latin-1 for its five holes)."""
    assert isinstance(err, UnicodeDecodeError)
    bad = err.object[err.start : err.end]
    return "".join(_CP1252[b] for b in bad), err.end


_CP1252 = [bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(256)]
codecs.register_error("ctsearch.cp1252", _cp1252_fallback)


def decode_bytes(data: bytes) -> str:
    """Decode a file's bytes: UTF-8/16/32 (BOM or not), else cp1252 or a detected legacy code page.

    Raises DocumentError for binary data and for files with nothing but whitespace.
    """
    if not data:
        raise DocumentError("empty file")
    for magic, kind in _SIGNATURES:
        if data.startswith(magic):
            raise DocumentError(f"binary data, not text ({kind})")
    text = _decode(data)
    if text.endswith("\x1a"):  # a DOS end-of-file mark (Ctrl-Z): old text files have one
        text = text[:-1]
    sample = text[:_SNIFF_BYTES]
    if len(_BINARY_CONTROLS.findall(sample)) > BINARY_SHARE * len(sample):
        raise DocumentError("binary data, not text (too many control characters)")
    if _BLANK.fullmatch(text):
        raise DocumentError("empty file" if not text else "contains only whitespace")
    return text


_NUL_BINARY = "binary data, not text (it contains NUL bytes)"


def _decode(data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            errors = "ctsearch.cp1252" if codec == "utf-8" else "replace"
            return data[len(bom) :].decode(codec, errors)
    if b"\x00" in data:
        stray = data.count(0) <= BINARY_SHARE * len(data)
        # A few stray NULs in text (a botched copy, padding) are junk characters that repair
        # removes like other controls; the text around them is kept. Such text is told from
        # UTF-16 by what is left without them: valid UTF-8, or mostly ASCII (UTF-16 with so few
        # NULs is mostly CJK, whose bytes are half of them high).
        codec = None if stray and _is_8bit_text(data.replace(b"\x00", b"")) else _sniff_utf16(data)
        if codec is not None:
            text = data.decode(codec, "replace")
            if _implausible(text[: _SNIFF_BYTES // 2]):
                raise DocumentError(_NUL_BINARY)
            return text
        if not stray:
            raise DocumentError(_NUL_BINARY)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if not _UTF8_MULTIBYTE.search(data):
        # No valid UTF-8 sequence at all: a legacy code page. Western text has few high bytes
        # and reads right as cp1252; for the rest (Cyrillic, CJK...) ask charset-normalizer.
        head = data[:_SNIFF_BYTES]
        high = _high_bytes(head)
        letters = len(re.findall(rb"[A-Za-z]", head))
        if high > 0.5 * (high + letters):
            from charset_normalizer import from_bytes  # imported here: costs ~25 ms

            best = from_bytes(data).best()
            if best is not None:
                return str(best)
    # Mostly UTF-8 with some stray bytes, or cp1252: each undecodable byte is read as cp1252.
    return data.decode("utf-8", "ctsearch.cp1252")


def _implausible(text: str) -> bool:
    """A guess of UTF-16 from NULs alone is wrong when the characters are not text's: broken
    surrogate pairs, private-use or unassigned code points (bytes paired at random give ~15%)."""
    odd = sum(1 for c in text if c == "\ufffd" or unicodedata.category(c) in ("Co", "Cn", "Cs"))
    return odd > BINARY_SHARE * len(text)


def _is_8bit_text(data: bytes) -> bool:
    head = data[:_SNIFF_BYTES]
    if _high_bytes(head) <= 0.1 * len(head):
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _high_bytes(data: bytes) -> int:
    return len(data) - len(data.translate(None, _HIGH))


_HIGH = bytes(range(0x80, 0x100))


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM: NULs (the high bytes of ASCII characters) in one byte parity only."""
    sample = data[: _SNIFF_BYTES - _SNIFF_BYTES % 2]
    half = max(1, len(sample) // 2)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if odd >= 0.02 and even <= odd / 20:
        return "utf-16-le"
    if even >= 0.02 and odd <= even / 20:
        return "utf-16-be"
    return None
