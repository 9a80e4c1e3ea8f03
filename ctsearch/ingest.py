"""Find corpus files, decode their bytes and repair their text into clean paragraphs.

Everything downstream (metadata, passages, the index) sees only what `clean_text` returns:
paragraphs separated by one blank line, each on a single line, with encodings, mojibake, HTML
entities, PDF line wraps, page furniture and Markdown marks repaired. The rules read each document's
own layout (its wrap width, how its lines end) and vocabulary; none is tuned to particular files.
"""

from __future__ import annotations

import codecs
import os
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from html import unescape as _html_unescape
from html.entities import html5 as _HTML5
from pathlib import Path

from .errors import CorpusError, DocumentError

TEXT_SUFFIXES = (".txt", ".md")
SIDECAR_SUFFIX = ".meta.toml"
# Files are read whole; beyond this they are refused rather than risk exhausting memory.
MAX_FILE_BYTES = 64 * 1024 * 1024

# --- finding files -----------------------------------------------------------------------------


def find_files(corpus: Path, *, warn: Callable[[str], None] | None = None) -> list[Path]:
    """Every *.txt / *.md under `corpus`, sorted; hidden entries and sidecars are left out.

    Symlinks are followed, but a folder reached twice (a symlink loop) is skipped with a warning
    so the walk always ends. An unreadable folder is reported through `warn` and skipped.
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
        say(f"{err.filename}: folder not readable ({_os_reason(err)}): skipped")

    for dirpath, dirnames, filenames in os.walk(corpus, onerror=on_error, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError as err:
            say(f"{dirpath}: folder not readable ({_os_reason(err)}): skipped")
            dirnames[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:
            say(f"{dirpath}: symlink loop (this folder was already scanned): skipped")
            dirnames[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            low = name.lower()
            if name.startswith(".") or low.endswith(SIDECAR_SUFFIX):
                continue
            if not low.endswith(TEXT_SUFFIXES):
                continue
            path = Path(dirpath, name)
            try:
                name.encode("utf-8")
            except UnicodeEncodeError:  # undecodable bytes in the name (surrogate escapes)
                shown = os.fsencode(path).decode("utf-8", "replace")
                say(f"{shown}: file name is not valid UTF-8: skipped")
                continue
            if not path.exists():
                say(f"{path}: broken symlink or symlink loop: skipped")
                continue
            found.append(path)
    return sorted(found)


def doc_id_for(path: Path, corpus_root: Path | None) -> str:
    """The document id: path relative to the corpus without suffix, "/"-separated."""
    path = Path(path)
    if corpus_root is not None:
        for p, root in (
            (path, Path(corpus_root)),
            (Path(os.path.abspath(path)), Path(os.path.abspath(corpus_root))),
        ):
            try:
                rel = p.relative_to(root)
            except ValueError:
                continue
            if rel.parts:
                return rel.with_suffix("").as_posix()
    return path.stem


# --- reading and decoding ----------------------------------------------------------------------


def read_text(path: Path) -> str:
    """The decoded text of one file; any failure becomes a one-line DocumentError naming it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DocumentError(f"{path}: too large ({size / 2**20:.0f} MiB; limit {_limit()})")
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise DocumentError(f"{path}: {_os_reason(err)}") from None
    if len(data) > MAX_FILE_BYTES:
        raise DocumentError(f"{path}: too large (limit {_limit()})")
    try:
        return decode_bytes(data)
    except DocumentError as err:
        raise DocumentError(f"{path}: {err}") from None


def _limit() -> str:
    return f"{MAX_FILE_BYTES // 2**20} MiB"


def _os_reason(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "not readable (permission denied)"
    if isinstance(err, FileNotFoundError):
        return "no longer exists (moved or deleted while reading)"
    if isinstance(err, IsADirectoryError):
        return "is a folder, not a text file"
    return f"not readable ({err.strerror or type(err).__name__})"


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SNIFF_BYTES = 65536
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Control characters that never occur in text (tab, line ends, form feed and ESC may).
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
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
    text = _decode(data)
    sample = text[:_SNIFF_BYTES]
    if len(_BINARY_CONTROLS.findall(sample)) > max(2, 0.02 * len(sample)):
        raise DocumentError("binary data, not text (too many control characters)")
    if _BLANK.fullmatch(text):
        raise DocumentError("empty file" if not text else "contains only whitespace")
    return text


def _decode(data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            errors = "ctsearch.cp1252" if codec == "utf-8" else "replace"
            return data[len(bom) :].decode(codec, errors)
    if b"\x00" in data:
        codec = _sniff_utf16(data)
        if codec is None:
            raise DocumentError("binary data, not text (it contains NUL bytes)")
        return data.decode(codec, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if not _UTF8_MULTIBYTE.search(data):
        # No valid UTF-8 sequence at all: a legacy code page. Western text has few high bytes
        # and reads right as cp1252; for the rest (Cyrillic, CJK...) ask charset-normalizer.
        high = sum(1 for b in data[:_SNIFF_BYTES] if b >= 0x80)
        letters = len(re.findall(rb"[A-Za-z]", data[:_SNIFF_BYTES]))
        if high > 0.3 * (high + letters):
            from charset_normalizer import from_bytes  # imported here: costs ~25 ms

            best = from_bytes(data).best()
            if best is not None:
                return str(best)
    # Mostly UTF-8 with some stray bytes, or cp1252: each undecodable byte is read as cp1252.
    return data.decode("utf-8", "ctsearch.cp1252")


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM shows NULs in every other byte (ASCII-range text)."""
    sample = data[: _SNIFF_BYTES - _SNIFF_BYTES % 2]
    half = max(1, len(sample) // 2)
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if odd >= 0.3 and even <= 0.05:
        return "utf-16-le"
    if even >= 0.3 and odd <= 0.05:
        return "utf-16-be"
    return None


# --- character repair --------------------------------------------------------------------------

_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# An entity whose letters went through a GBK round trip: `&nbsp;` arrived as `&²Ô²ú²õ±è;`.
_MANGLED_ENTITY = re.compile("&[\u00a1-\u00ff\u3400-\u4dbf\u4e00-\u9fff]{2,10};")
_GBK_PAIR = re.compile("[\u00a1-\u00fe][\u0040-\u007e\u0080-\u00fe]")
_LINE_BREAK = re.compile("\r\n?|[\f\v\x1c-\x1e\u2028]")
_ODD_SPACE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Format characters (soft hyphen, zero-width and bidi marks), surrogates and non-characters:
# invisible, unsafe in a terminal, or unencodable.
_FORMAT_CHARS = (
    "\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
# Before mojibake repair C1 controls, ESC, soft hyphens and surrogates stay: ftfy needs them (to
# read "â\x80\x99" or "Ã\xad", to drop whole terminal escape sequences, to pair surrogates).
# Afterwards every control but the newline goes.
_EARLY_INVISIBLE = re.compile(f"[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f{_FORMAT_CHARS}]")
_INVISIBLE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\ud800-\udfff{_FORMAT_CHARS}]")


def _repair_chars(text: str) -> str:
    """Line ends, entities, mojibake, invisible characters, odd spaces; NFC. Idempotent."""
    text = _unescape_entities(text)
    text = _MANGLED_ENTITY.sub(" ", text)
    text = _repair_gbk(text)
    if not text.isascii() or "\x1b" in text:
        text = _fix_mojibake(text)
    return _normalize_chars(text)


def _basic_chars(text: str) -> str:
    """Line ends to "\n" and invisible characters out (those ftfy reads stay)."""
    text = _LINE_BREAK.sub("\n", text).replace("\u2029", "\n\n")
    return _EARLY_INVISIBLE.sub("", text)


def _normalize_chars(text: str) -> str:
    text = _ODD_SPACE.sub(" ", _basic_chars(text)).replace("\u2011", "-")
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)


def _unescape_entities(text: str) -> str:
    """`&amp;`, `&#8217;`, `&rsquo;` → characters; a bare "&" (Tom & Jerry) stays as it is.

    Repeated until nothing changes, so that double-escaped text (`&amp;nbsp;`) is fully decoded.
    """
    text = _basic_chars(text)
    while "&" in text and ";" in text:
        new = _basic_chars(_ENTITY.sub(_entity, text))
        if new == text:
            break
        text = new
    return text


def _entity(m: re.Match[str]) -> str:
    body = m.group(1)
    if body.startswith("#"):
        return _html_unescape(m.group(0))
    return _HTML5.get(body + ";", m.group(0))


def _repair_gbk(text: str) -> str:
    """Undo UTF-8 punctuation that went through GBK and came back as Latin-1 (`¡°` → “).

    Each pair of Latin-1 characters is re-encoded and decoded as GBK; the result is kept only when
    it is typographic punctuation or an accented Latin letter, which genuine Latin-1 text ("café",
    "¡Hola!", "½") never produces, so such text is left alone.
    """
    out: list[str] = []
    pos = 0
    m = _GBK_PAIR.search(text)
    while m:
        fixed = _gbk_char(m.group())
        if fixed is None:
            m = _GBK_PAIR.search(text, m.start() + 1)
            continue
        out += (text[pos : m.start()], fixed)
        pos = m.end()
        m = _GBK_PAIR.search(text, pos)
    return "".join(out) + text[pos:] if out else text


@lru_cache(maxsize=4096)
def _gbk_char(pair: str) -> str | None:
    try:
        char = pair.encode("latin-1").decode("gbk")
    except UnicodeError:
        return None
    code = ord(char) if len(char) == 1 else 0
    plausible = (
        0x2010 <= code <= 0x2027 or code in (0x2030, 0x2032, 0x2033, 0xB7)
        or (0xC0 <= code <= 0x24F and code not in (0xD7, 0xF7))
    )  # fmt: skip
    return char if plausible else None


def _fix_mojibake(text: str) -> str:
    """UTF-8 read as cp1252/latin-1 ("â€™", "Ã©") and terminal escapes, via ftfy.

    Quotes stay curly, full-width characters stay full-width, entities are ours to handle. Only
    lines that ftfy could change are given to it: it costs ~50 µs a line.
    """
    import ftfy  # imported here: ftfy costs ~90 ms to import and most text is clean
    from ftfy.badness import is_bad

    config = ftfy.TextFixerConfig(
        unescape_html=False, uncurl_quotes=False, fix_character_width=False,
        fix_line_breaks=False, explain=False,
    )  # fmt: skip
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.isascii() and (_FTFY_HINT.search(line) or is_bad(line)):
            lines[i] = ftfy.fix_text(line, config)
    return "\n".join(lines)


# What ftfy repairs besides mojibake: C1 controls, terminal escapes, surrogates, ligatures.
_FTFY_HINT = re.compile("[\x1b\x80-\x9f\ud800-\udfff\ufb00-\ufb06\u0132\u0133\u013f\u0140\u0149\u01c4-\u01cc\u01f1-\u01f3]")
