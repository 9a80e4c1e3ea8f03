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
        say(f"{err.filename}: folder not readable ({_os_cause(err)}): skipped")

    for dirpath, dirnames, filenames in os.walk(corpus, onerror=on_error, followlinks=True):
        try:
            st = os.stat(dirpath)
        except OSError as err:
            say(f"{dirpath}: folder not readable ({_os_cause(err)}): skipped")
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
        # abspath, not resolve(): a file reached through a symlinked folder stays inside the corpus.
        try:
            rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(corpus_root))
        except ValueError:
            rel = None
        if rel is not None and rel.parts:
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
    if isinstance(err, FileNotFoundError):
        return "no longer exists (moved or deleted while reading)"
    if isinstance(err, IsADirectoryError):
        return "is a folder, not a text file"
    return f"not readable ({_os_cause(err)})"


def _os_cause(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "permission denied"
    return (err.strerror or type(err).__name__).lower()


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
        if high > 0.5 * (high + letters):
            from charset_normalizer import from_bytes  # imported here: costs ~25 ms

            best = from_bytes(data).best()
            if best is not None:
                return str(best)
    # Mostly UTF-8 with some stray bytes, or cp1252: each undecodable byte is read as cp1252.
    return data.decode("utf-8", "ctsearch.cp1252")


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


# --- character repair --------------------------------------------------------------------------

_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# An entity whose letters went through a GBK round trip: `&nbsp;` arrived as `&²Ô²ú²õ±è;`.
# Any "&...;" made of 2-10 non-ASCII characters (Latin-1 letters, CJK ideographs) is such junk.
_MANGLED_ENTITY = re.compile("&[^\x00-\xa0;&]{2,10};")
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
    """Line ends, entities, mojibake, invisible characters, odd spaces; NFC.

    Repeated until nothing changes (twice, almost always): one repair can uncover another, as
    when a stray soft hyphen or an entity hid mojibake from ftfy.
    """
    text = _basic_chars(text)
    for _ in range(4):
        before = text
        text = _MANGLED_ENTITY.sub(" ", _unescape_entities(text))
        text = _repair_gbk(text)
        if not text.isascii() or "\x1b" in text:
            text = _fix_mojibake(text)
        text = _normalize_chars(text)
        if text == before:
            break
    return text


def _basic_chars(text: str) -> str:
    """Line ends to "\n", odd spaces to " ", invisible characters out (those ftfy reads stay)."""
    text = _LINE_BREAK.sub("\n", text).replace("\u2029", "\n\n")
    return _EARLY_INVISIBLE.sub("", _ODD_SPACE.sub(" ", text))


def _normalize_chars(text: str) -> str:
    text = _ODD_SPACE.sub(" ", text).replace("\u2011", "-")
    text = _INVISIBLE.sub("", text)
    return unicodedata.normalize("NFC", text)


def _unescape_entities(text: str) -> str:
    """`&amp;`, `&#8217;`, `&rsquo;` → characters; a bare "&" (Tom & Jerry) stays as it is.

    Repeated until nothing changes, so that double-escaped text (`&amp;nbsp;`) is fully decoded.
    """
    while "&" in text:
        new = _ENTITY.sub(_entity, text)
        if new == text:
            break
        text = _basic_chars(new)
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
        start = m.start()
        if fixed is not None and start and "\u00c2" <= text[start - 1] <= "\u00f4":
            # After a UTF-8 lead byte ("ä¡°") this is UTF-8 mojibake, ftfy's to repair.
            fixed = None if _utf8_mojibake(text[start - 1 : start + 2]) else fixed
        if fixed is None:
            m = _GBK_PAIR.search(text, m.start() + 1)
            continue
        out += (text[pos : m.start()], fixed)
        pos = m.end()
        m = _GBK_PAIR.search(text, pos)
    return "".join(out) + text[pos:] if out else text


def _utf8_mojibake(chars: str) -> bool:
    try:
        chars.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return False
    return True


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
        if not line.isascii() or "\x1b" in line:
            hint = _FTFY_HINT.search(line)
            if hint or (_MOJIBAKE_SIGN.search(line) and is_bad(line)):
                lines[i] = ftfy.fix_text(line, config)
    return "\n".join(lines)


# Mojibake is a UTF-8 lead byte followed by continuation bytes, misread in a single-byte code
# page: "Ã©", "â€™" (cp1252/latin-1, "Ã " where a NBSP was lost), "Ð¿" / "Рї" (cp1251), "√©"
# (MacRoman). Only lines showing such a pair are worth ftfy's slower check.
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    "\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_MOJIBAKE_SIGN = re.compile(
    f"[\u00c2-\u00f4][{_CONTINUATION}]|[\u00c2\u00c3] |[\u0420\u0421][\u0400-\u045f{_CONTINUATION}]"
    "|\u221a\\S"
)
# What ftfy repairs besides mojibake: C1 controls, terminal escapes, surrogates, ligatures.
_FTFY_HINT = re.compile(
    "[\x1b\x80-\x9f\ud800-\udfff\ufb00-\ufb06\u0132\u0133\u013f\u0140\u0149\u01c4-\u01cc\u01f1-\u01f3]"
)


# --- paragraphs --------------------------------------------------------------------------------


def clean_text(raw: str, *, markdown: bool | None = None) -> str:
    """The repaired text: paragraphs separated by one blank line, each paragraph on one line.

    `markdown=None` looks for Markdown marks in the text itself (a .txt file may be Markdown).
    Whitespace inside a paragraph is one space; cleaning twice gives the same text as once.
    """
    text = _clean_once(raw, markdown)
    # The rules are built to leave clean text alone, but they read the whole document's layout,
    # and an unusual text can read differently once cleaned (short lower-case list items look
    # like wrapped prose). Cleaning until nothing changes makes idempotence a guarantee.
    for _ in range(MAX_PASSES):
        again = _clean_once(text, markdown)
        if again == text:
            break
        text = again
    return text


MAX_PASSES = 4


def _clean_once(raw: str, markdown: bool | None) -> str:
    text = _repair_chars(raw)
    vocab = _Vocabulary(text)
    if markdown is None:
        markdown = _looks_like_markdown(text)
    paras = _markdown_paragraphs(text, vocab) if markdown else _plain_paragraphs(text, vocab)
    return "\n\n".join(_finalize(paras))


class _Vocabulary:
    """The document's own words, built on first use, to decide line-end hyphens."""

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._words: set[str] = set()

    def __contains__(self, word: str) -> bool:
        if self._text is not None:
            self._words = {w.lower() for w in _WORD.findall(self._text)}
            self._text = None
        return word in self._words


_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# A line/paragraph that starts a list item or bullet: never the continuation of the one before.
_BULLET = re.compile(r"^(?:[•◦▪▫‣⁃●○■□►▶➢✓✔·](?:\s+|$))+")
_LIST_START = re.compile(r"^(?:[-*+]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s|\([A-Z]\)\s)")
_PAGE_NUMBER = re.compile(
    r"(?:(?:page|p\.|pg\.?)\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?|[-–—]\s*\d{1,3}\s*[-–—]"
    r"|page\s+[ivxlc]{1,6}",
    re.IGNORECASE,
)
_RULE = re.compile(r"(?:[-_=*~.·•─━═]\s*){3,}|(?:\\[-*_]\s*){3,}")
# Closing marks that may follow the punctuation ending a sentence.
_CLOSERS = "\"'”’»›)]*_"
_OPENERS = "\"'“‘«‹(["
_ABBREVIATIONS = frozenset(
    "mr ms mrs dr prof st no nos jr sr amb hon rev gen col lt gov sen rep dept art para paras "
    "p pp vol fig approx cf vs etc al".split()
)  # "etc" and "al" often end sentences too; continuing is the safer mistake for a line end
_FUNCTION_WORDS = frozenset(
    "a an and as at by for from in into of on or the to with that which who whose whom is are was "
    "were be been has have had its their his her our your this these those than nor but if".split()
)
_URL_START = re.compile(r"(?:https?://|ftp://|www\.|mailto:|\S+@)", re.IGNORECASE)
_HYPHEN_END = re.compile(r"([^\W_]+(?:-[^\W_]+)*)-$")
# Kept hyphenated across a line end when the document itself gives no answer: prefixes that
# make compounds ("non-state") and rarely end a syllable split ("al-low", "mid-dle", "pro-gramme").
_COMPOUND_PREFIXES = frozenset(
    "anti co counter cross cyber multi non post pre quasi self ultra vice well".split()
)

# Layout tunables, as fractions of the document's typical wrap width.
SHORT_LINE = 0.5  # a line shorter than this ended early: a heading or a paragraph's last line
FULL_LINE = 0.6  # a line at least this long reached the margin
MIN_CONTINUED = 20  # characters a paragraph needs before a lower-case line can continue it
WRAPPED_SHARE = 0.2  # share of line ends that must be mid-sentence for a "hard-wrapped" document
TAIL_WORDS = 5  # an orphaned sentence tail after a stray blank line has at most this many words
MIN_WIDTH = 40  # narrower "wrap widths" are lists or verse, not prose wrapped at a margin
OVERLONG, OVERLONG_SHARE = 1.25, 0.1  # in wrapped text few lines exceed the typical width by 25%


def _ends_sentence(s: str) -> bool:
    t = s.rstrip(_CLOSERS)
    if not t or t[-1] not in ".!?…":
        return False
    if t[-1] != ".":
        return True
    word = t.rsplit(None, 1)[-1].lstrip(_OPENERS).rstrip(".").lower()
    # "Mr." or an initial ("H.E.", "U.N.", "J.") does not end a sentence.
    return word not in _ABBREVIATIONS and not re.fullmatch(r"(?:[^\W\d_]\.)*[^\W\d_]", word)


def _ends_clause(s: str) -> bool:
    return _ends_sentence(s) or s.rstrip(_CLOSERS)[-1:] in (":", ";")


def _starts_lower(s: str) -> bool:
    t = s.lstrip(_OPENERS)[:1]
    return t.islower() and not _URL_START.match(s.lstrip(_OPENERS))


def _is_hard_start(s: str) -> bool:
    return bool(_BULLET.match(s) or _LIST_START.match(s))


def _continues(last: str, n: str, size: int) -> bool:
    """Strong evidence that line `n` continues the sentence of a paragraph of `size` characters
    whose last line is `last`, whatever lies between them: `last` stops mid-word at a hyphen, or
    mid-sentence with `n` starting in lower case."""
    if size < MIN_CONTINUED:  # callers have set aside list items and bullets
        return False
    if last.endswith("-") and _HYPHEN_END.search(last[-100:]) and n[:1].isalnum():
        return True
    return _starts_lower(n) and not _ends_clause(last)


def _append(parts: list[str], n: str, vocab: _Vocabulary) -> None:
    """Join line `n` to a paragraph kept as a list of parts (no quadratic string building),
    mending a word hyphenated at the line end."""
    last = parts[-1] if parts else ""
    m = _HYPHEN_END.search(last[-100:]) if last.endswith("-") else None
    if m and n[:1].isalnum():
        second = re.match(r"[^\W_]+", n)
        if second and not _keep_hyphen(m.group(1), second.group(), vocab):
            parts[-1] = last[:-1]
        parts.append(n)
    else:
        parts.append(f" {n}" if parts else n)


def _keep_hyphen(first: str, second: str, vocab: _Vocabulary) -> bool:
    """Keep "Counter-/Terrorism" hyphenated, mend "commu-/nity"; the document decides first."""
    if not (first[-1].isalpha() and second[0].isalpha()) or second[0].isupper() or "-" in first:
        return True
    head, tail = first.lower(), second.lower()
    if f"{head}-{tail}" in vocab:
        return True
    if head + tail in vocab:
        return False
    return len(head) == 1 or head in _COMPOUND_PREFIXES


def _is_furniture(s: str) -> bool:
    return bool(_PAGE_NUMBER.fullmatch(s) or _RULE.fullmatch(s))


def _running_headers(lines: list[str]) -> set[str]:
    """Short lines that recur 3+ times without ending a sentence: page headers and footers."""
    counts = Counter(s for s in lines if 0 < len(s) <= 60)
    return {
        s for s, n in counts.items()
        if n >= 3 and any(c.isalpha() for c in s) and s[-1] not in ".,;:!?" + _CLOSERS
    }  # fmt: skip


def _plain_paragraphs(text: str, vocab: _Vocabulary) -> list[str]:
    """Rejoin hard-wrapped lines into paragraphs, reading the document's own layout.

    A line break is a wrap or a paragraph break. Between two lines there may be no blank line, one,
    or more. Documents extracted from PDFs wrap lines at a typical width; some put a blank line
    after every line ("double-spaced"), where only a run of blank lines separates paragraphs.
    """
    stripped = [line.strip() for line in text.split("\n")]
    headers = _running_headers(stripped)
    lines: list[tuple[int, str, bool]] = []  # (blank lines before it, text, starts a list item)
    gaps = [0]  # blank runs since the last line; furniture between them does not add up
    for s in stripped:
        bullet = _BULLET.match(s)
        s = s[bullet.end() :] if bullet else s
        if not s:
            gaps[-1] += 1
        elif _RULE.fullmatch(s):
            gaps[-1] += 2  # a drawn rule separates paragraphs
        elif _PAGE_NUMBER.fullmatch(s) or s in headers:
            gaps.append(0)
        else:
            lines.append((max(gaps), s, bool(bullet) or _is_hard_start(s)))
            gaps = [0]
    pairs = list(zip(lines, lines[1:], strict=False))
    evidence = [len(a[1]) for a, b in pairs if not b[2] and _continues(a[1], b[1], len(a[1]))]
    width = sorted(evidence)[len(evidence) // 2] if evidence else 0  # the median
    # Hard-wrapped: many line ends fall mid-sentence, and lines stop at a margin (few run past it;
    # already-clean text, one paragraph a line, has no margin).
    wrapped = (
        len(evidence) >= 3 and len(evidence) >= WRAPPED_SHARE * len(pairs) and width >= MIN_WIDTH
        and sum(1 for _, s, _ in lines if len(s) > OVERLONG * width) <= OVERLONG_SHARE * len(lines)
    )  # fmt: skip
    single = sum(1 for _, b in pairs if b[0] == 1)
    double_spaced = wrapped and single >= 3 and single >= 2 * sum(1 for _, b in pairs if b[0] == 0)
    soft_gap = 1 if double_spaced else 0  # the largest gap that is just a line wrap

    paras: list[list[str]] = []
    size = quotes = 0  # characters and unclosed quotation marks in the current paragraph
    for i, (gap, s, hard) in enumerate(lines):
        if paras and not hard:
            last = paras[-1][-1].lstrip()  # the paragraph's last physical line
            tail_alone = i + 1 == len(lines) or lines[i + 1][0] > soft_gap
            if ((wrapped or gap == 0) and _continues(last, s, size)) or (
                wrapped and _wraps(last, s, gap - soft_gap, width, quotes > 0, tail_alone)
            ):
                _append(paras[-1], s, vocab)
                size += len(s) + 1
                quotes += s.count("“") - s.count("”")
                continue
        paras.append([s])
        size, quotes = len(s), s.count("“") - s.count("”")
    return ["".join(parts) for parts in paras]


def _wraps(last: str, s: str, gap: int, width: float, quoted: bool, tail_alone: bool) -> bool:
    """In a hard-wrapped document, does line `s` continue the paragraph ending with line `last`?

    `gap` counts the blank lines between them beyond those a wrap may have (0: a plain wrap, 1: a
    stray blank line, more: a paragraph break); `quoted`: the paragraph has an open quotation.
    """
    if gap <= 0:
        if _ends_sentence(last):
            return False  # a break at a sentence end costs nothing; a wrong join merges speakers
        if len(last) < SHORT_LINE * width and not quoted:
            word = last.rsplit(None, 1)[-1].lower()
            return last[-1] in ",-–—/&(" or word in _FUNCTION_WORDS
        return True
    if gap == 1 and not _ends_clause(last):
        if quoted:
            return True  # a quotation does not end mid-sentence
        # A stray blank line inside a wrapped sentence: the line after it is the sentence's short
        # tail, standing alone ("...as Second Counter-Terrorism" / "" / "Week concludes").
        return (
            len(last) >= FULL_LINE * width and tail_alone and len(s.split()) <= TAIL_WORDS
            and s[:1].isalpha() and not any(c.isdigit() for c in s)
        )  # fmt: skip
    return False


def _finalize(paras: list[str]) -> list[str]:
    """Collapse whitespace; drop empty paragraphs, page furniture and running headers.

    Paragraphs are never joined here: the layout decided that, and a second cleaning (which sees
    each paragraph as a line with blank lines around it, in a text with no margin) keeps them.
    """
    paras = [" ".join(p.split()) for p in paras]
    for _ in range(10):  # dropping a header can leave a stripped bullet or new repeats
        headers = _running_headers(paras)
        out = []
        for p in paras:
            bullet = _BULLET.match(p)
            p = p[bullet.end() :] if bullet else p
            if p and not _is_furniture(p) and p not in headers:
                out.append(p)
        if out == paras:
            break
        paras = out
    return paras


# --- Markdown ----------------------------------------------------------------------------------

_MD_STRONG_SIGNS = (
    re.compile(r"^\s*#{1,6}[ \t]+\S", re.MULTILINE),  # heading
    re.compile(r"\*\*[^\s*][^*]*\*\*|(?<![^\W_])__[^\s_][^_]*__(?![^\W_])"),  # bold
    re.compile(r"!?\[[^\[\]\n]*\]\([^()\n]*\)"),  # link or image
    re.compile(r"<(?:https?://|mailto:)[^<>\s]+>"),  # autolink
    re.compile(r"\\[*_#\[\]`\\]"),  # escaped mark
    re.compile(r"(?<![\w*])\*[^\s*][^*]*(?<=[^\s*])\*(?![\w*])"),  # italic
)
_MD_WEAK_SIGNS = (
    re.compile(r"^\s*(?:[-*_] *){3,}$", re.MULTILINE),  # rule
    re.compile(r"^\s*[-*+] +\S", re.MULTILINE),  # list item
)
_LINE_BULLETS = re.compile(r"^[ \t]*" + _BULLET.pattern[1:], re.MULTILINE)


def _looks_like_markdown(text: str) -> bool:
    """Markdown if two kinds of strong marks (or three marks, or one with a list or a rule).

    Bullets are set aside first, as cleaning removes them: marks they hid must count already.
    """
    text = _LINE_BULLETS.sub("", text[:200_000]) if "\n" in text else text[:200_000]
    strong = [len(sign.findall(text)) for sign in _MD_STRONG_SIGNS]
    weak = sum(1 for sign in _MD_WEAK_SIGNS if sign.search(text))
    kinds = sum(1 for n in strong if n)
    return kinds >= 2 or sum(strong) >= 3 or (kinds >= 1 and weak >= 1)


_MD_FENCE = re.compile(r"(?:```|~~~)")
_MD_RULE = re.compile(r"(?:[-*_=]\s*){3,}|(?:\\[-*_]\s*){3,}|\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?")
_MD_HEADING = re.compile(r"#{1,6}(?:\s+(.*?))?(?:\s+#+)?")
_MD_ITEM = re.compile(r"(?:[-*+•]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")
_MD_QUOTE = re.compile(r"(?:>\s?)+")
_MD_LINK_DEF = re.compile(r"\[[^\]]+\]:\s*\S+.*")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MD_AUTOLINK = re.compile(r"<(?:mailto:)?((?:https?|ftp)://[^<>\s]+|[^<>\s@]+@[^<>\s@]+)>")
_MD_CODE = re.compile(r"(`+)(.+?)\1")
_MD_LINK = re.compile(
    r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\](?:\((?:[^()]|\([^()]*\))*\)|\[[^\[\]]*\])"
)
_MD_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")
_MD_BLOCK_TAGS = frozenset(
    "br p div li tr td th h1 h2 h3 h4 h5 h6 ul ol table hr blockquote".split()
)
_MD_EMPHASIS = (  # (the character it needs, the pattern)
    ("*", re.compile(r"\*\*(?=[^\s*])([^*]*?[^\s*])\*\*")),
    ("*", re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]*?[^\s*])\*(?![\w*])")),  # not 2*3*4
    ("_", re.compile(r"(?<![^\W_])__(?=[^\s_])([^_]*?[^\s_])__(?![^\W_])")),
    ("_", re.compile(r"(?<![^\W_])(?<!_)_(?=[^\s_])([^_]*?[^\s_])_(?!_)(?![^\W_])")),
    ("~", re.compile(r"~~(?=\S)([^~]*?\S)~~")),
)
_MD_MARK_CHARS = re.compile(r"[*_~`\[<\\]")
# Marks left unpaired (bold opened in one paragraph, closed in another) touch a word on one side.
_MD_STRAY = re.compile(r"(?:(?<=\s)|^)(?:\*{1,3}|~~|__)(?=\S)|(?<=\S)(?:\*{1,3}|~~|__)(?=\s|$)")
_MD_ESCAPE = re.compile(r"\\+([!-/:-@\[-`{-~])")


def _markdown_paragraphs(text: str, vocab: _Vocabulary) -> list[str]:
    """Markdown's own blocks (blank lines, headings, list items, quotes), then its marks removed.

    Lines inside a block are joined, hard line breaks ("  " or "\\" at the end) included.
    """
    blocks: list[list[str]] = [[]]
    fenced = False
    for line in _HTML_COMMENT.sub(" ", text).split("\n"):
        s = line.strip()
        if _MD_FENCE.match(s):
            fenced = not fenced
            blocks.append([])
            continue
        if fenced:
            blocks.append([s])  # code: one paragraph per line, never joined to prose
            continue
        s = _MD_QUOTE.sub("", s, count=1) if s.startswith(">") else s
        if (len(s) - len(s.rstrip("\\"))) % 2:  # "\" at the end: a hard line break
            s = s[:-1].rstrip()
        heading = _MD_HEADING.fullmatch(s)
        item = _MD_ITEM.match(s)
        if not s or _MD_RULE.fullmatch(s) or _MD_LINK_DEF.fullmatch(s):
            blocks.append([])
        elif heading:
            blocks += [[heading.group(1) or ""], []]
        elif item:
            blocks.append([s[item.end() :]])
        else:
            blocks[-1].append(s)
    paras = []
    for block in blocks:
        parts: list[str] = []
        for s in block:
            _append(parts, s, vocab)
        joined = "".join(parts)
        if joined:
            paras.append(_normalize_chars(_unescape_entities(_basic_chars(_strip_marks(joined)))))
    return paras


def _strip_marks(s: str) -> str:
    """Inline Markdown → its text: links, emphasis, code, tags and escapes."""
    if not _MD_MARK_CHARS.search(s):
        return s  # most paragraphs: nothing to do
    if "<" in s:
        s = _MD_AUTOLINK.sub(r"\1", s)
    # Escaped characters are literal: park them behind a sentinel absent from the text so no
    # rule below mistakes "\*" for emphasis, then put them back as plain characters.
    sentinel = next(c for c in map(chr, range(0xE000, 0xF900)) if c not in s)
    escaped: list[str] = []

    def park(m: re.Match[str]) -> str:
        escaped.append(m.group(1))
        return f"{sentinel}{len(escaped) - 1}{sentinel}"

    if "\\" in s:
        s = _MD_ESCAPE.sub(park, s)
    if "`" in s:
        s = _MD_CODE.sub(lambda m: m.group(2).strip(), s)
    for _ in range(5):  # links may hold images, emphasis may nest
        before = s
        if "[" in s:
            s = _MD_LINK.sub(r"\1", s)
        if "<" in s:
            s = _MD_TAG.sub(lambda m: " " if m.group(1).lower() in _MD_BLOCK_TAGS else "", s)
        for mark, pattern in _MD_EMPHASIS:
            if mark in s:
                s = pattern.sub(r"\1", s)
        if s == before:
            break
    s = _MD_STRAY.sub("", s)
    if escaped:
        s = re.sub(f"{sentinel}(\\d+){sentinel}", lambda m: escaped[int(m.group(1))], s)
    return s
