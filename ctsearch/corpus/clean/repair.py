"""Character-level repair: line ends, HTML entities, mojibake, invisible characters, odd spaces.

`repair_chars` turns decoded text into text whose every character is meant: one kind of line
end ("\\n"), entities decoded, UTF-8-through-GBK and UTF-8-through-cp1252 mojibake undone,
controls and format characters removed, odd spaces made plain, NFC. Layout (which lines make a
paragraph) is `unwrap.py`'s job.

Every repair here is line-local: no rule looks across a line end. So the text is repaired in
blocks of whole lines, each block until it is stable; blocks that are already clean cost one
scan, and a huge file never needs more than a block's worth of extra memory per step.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# Repair works on blocks of about this many characters, cut after a line end.
BLOCK_CHARS = 1 << 16
# One repair can uncover another (a soft hyphen or an entity hid mojibake from ftfy), so a block
# is repaired until nothing changes, at most this many times (twice, almost always).
MAX_ROUNDS = 4

_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# An entity whose letters went through a GBK round trip: `&nbsp;` arrived as `&²Ô²ú²õ±è;`.
# Any "&...;" made of 2-10 non-ASCII characters (Latin-1 letters, CJK ideographs) is such junk.
_MANGLED_ENTITY = re.compile("&[^\x00-\xa0;&]{2,10};")
_GBK_PAIR = re.compile("[\u00a1-\u00fe][\u0040-\u007e\u0080-\u00fe]")
# The first characters of every pair `_gbk_char` accepts (GBK rows A1, A8, A9: punctuation and
# pinyin letters); tests/test_repair.py checks the list against all pairs.
GBK_LEADS = "\u00a1\u00a8\u00a9"
# A run of them is one line end: "\v\f" mid-sentence is no blank line (no paragraph break).
_OTHER_BREAKS = re.compile("[\f\v\x1c-\x1e\u2028\u2029]+")
_ODD_SPACE = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Format characters (soft hyphen, zero-width and bidi marks), surrogates and non-characters:
# invisible, unsafe in a terminal, or unencodable. Those outside the Basic Multilingual Plane are
# a pattern of their own: a character class with astral ranges scans text 4x slower, and only a
# text that has an astral character at all (`_ASTRAL`, a fast scan) needs it.
_FORMAT_BMP = (
    "\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff"
)
_FORMAT_ASTRAL = re.compile(
    "[\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ASTRAL_RANGE = "\U00010000-\U0010ffff"
# Terminal escape sequences (ECMA-48) go whole, first, as a terminal would show them: nothing.
# CSI "ESC [ params final", the string commands OSC/DCS/SOS/PM/APC up to their terminator
# (BEL or ESC \), and two-character escapes ("ESC c" resets the screen: its "c" is no
# letter of the text). A string command without a terminator on its line loses only its
# "ESC ]": the words after it stay. A lone ESC goes too.
_TERMINAL_ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[\]PX^_][^\x07\x1b\n]*(?:\x07|\x1b\\)|[ -/]*[0-~])?"
)
# Before mojibake repair C1 controls, soft hyphens and surrogates stay: ftfy needs them (to
# read "â\x80\x99" or "Ã\xad", to pair surrogates).
# Afterwards every control but the newline goes.
_EARLY_INVISIBLE = re.compile(f"[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f{_FORMAT_BMP}]")
_INVISIBLE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\ud800-\udfff{_FORMAT_BMP}]")
# In ASCII text only these need work: controls (a tab becomes a space) and "&" (entities).
_ASCII_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f]")
_ASCII_EARLY = re.compile("[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f]")
# Screens: one scan each that finds whether a step has anything to do in a non-ASCII block (most
# blocks: no), so that the step's own several scans are paid only where needed. Each holds every
# character its step acts on, and any astral character (astral classes scan slowly).
_ODD_SPACE_CHARS = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_BASIC_CHARS = (
    f"\x00-\x08\x0b-\x1a\x1c-\x1f\x7f\u2028\u2029{_ODD_SPACE_CHARS}{_FORMAT_BMP}{_ASTRAL_RANGE}"
)
_NORMALIZE_CHARS = (
    f"\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u2011\ud800-\udfff{_ODD_SPACE_CHARS}{_FORMAT_BMP}"
    f"{_ASTRAL_RANGE}"
)
_BASIC_SCREEN = re.compile(f"[{_BASIC_CHARS}]")
_NORMALIZE_SCREEN = re.compile(f"[{_NORMALIZE_CHARS}]")


def repair_chars(text: str) -> str:
    """Line ends, entities, mojibake, invisible characters, odd spaces; NFC.

    Each block of lines is repaired until it is stable, so the result is a fixed point:
    `repair_chars(repair_chars(t)) == repair_chars(t)` (unless a block needed more than
    MAX_ROUNDS rounds, which no text seen so far does).
    """
    if "\r" in text:  # first, so that blocks end at every line end
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) <= BLOCK_CHARS:
        return _repair_block(text)
    # Only the blocks that change are kept: a clean huge text comes back as the same object,
    # without a copy, and a mostly clean one costs one copy, not two.
    changed: list[tuple[int, int, str]] = []
    for start, end in block_spans(text, BLOCK_CHARS):
        block = text[start:end]
        fixed = _repair_block(block)
        if fixed != block:
            changed.append((start, end, fixed))
    if not changed:
        return text
    pieces: list[str] = []
    pos = 0
    for start, end, fixed in changed:
        pieces += (text[pos:start], fixed)
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def is_repaired(text: str) -> bool:
    """True when `repair_chars` would leave `text` as it is: one screening scan for most
    blocks, and a huge text is copied one block at a time, never whole."""
    if len(text) <= BLOCK_CHARS:
        return _block_is_repaired(text)
    return all(_block_is_repaired(text[a:b]) for a, b in block_spans(text, BLOCK_CHARS))


def _block_is_repaired(block: str) -> bool:
    return _nothing_to_repair(block) or (basic_chars(block) == block and _round(block) == block)


def _nothing_to_repair(text: str) -> bool:
    """True for text no repair can change, found in as few fast scans as possible (it decides
    most blocks of most files, so that they cost a scan, not a dozen).

    ASCII: no controls (but "\\n") and no "&", one memchr per character (several times faster
    than a regex character class). Other text: no "&", no GBK lead, nothing for any screen (one
    regex scan for all of them) and already NFC.
    """
    if text.isascii():
        return "&" not in text and not any(c in text for c in _ASCII_CONTROLS)
    return (
        "&" not in text and not any(c in text for c in GBK_LEADS)
        and not _ALL_SCREENS.search(text) and unicodedata.is_normalized("NFC", text)
    )  # fmt: skip


_ASCII_CONTROLS = [chr(c) for c in (*range(0x0A), *range(0x0B, 0x20), 0x7F)]


def line_blocks(text: str, size: int) -> list[str]:
    """`text` cut into pieces of about `size` characters, each ending just after a "\\n"
    (the last one may not): line-local rules give the same result on the pieces."""
    return [text[a:b] for a, b in block_spans(text, size)]


def block_spans(text: str, size: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the pieces `line_blocks` cuts, one at a time."""
    start, n = 0, len(text)
    while start < n:
        cut = text.find("\n", min(start + size, n) - 1)
        end = n if cut < 0 else cut + 1
        yield start, end
        start = end


def _repair_block(text: str) -> str:
    if _nothing_to_repair(text):
        return text  # most blocks of most files: nothing to repair, found in a few fast scans
    text = basic_chars(text)
    for _ in range(MAX_ROUNDS):
        before = text
        text = _round(text)
        if text == before:
            break
    return text


def _round(text: str) -> str:
    """One round of repairs; each step is skipped when a cheap test shows it has nothing to do."""
    if "&" in text:
        text = _MANGLED_ENTITY.sub(" ", unescape_entities(text))
    if not text.isascii():
        text = _repair_gbk(text)
    if not text.isascii():  # (terminal escapes, which ftfy also drops, went in basic_chars)
        text = _fix_mojibake(text)
    return normalize_chars(text)


def _ascii_control(m: re.Match[str]) -> str:
    return " " if m.group() == "\t" else ""


def basic_chars(text: str) -> str:
    """Line ends to "\\n", odd spaces to " ", invisible characters out (those ftfy reads stay).

    Line ends: CRLF, lone CR, form feeds, vertical tabs, file/group/record separators, line and
    paragraph separators (a paragraph separator is a blank line).
    """
    if "\r" in text:  # str.replace is ~10x faster than a regex over a whole file
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:
        text = _TERMINAL_ESCAPE.sub("", text)
    if text.isascii():
        if any(c in text for c in "\f\v\x1c\x1d\x1e"):
            text = _OTHER_BREAKS.sub("\n", text)
        if _ASCII_EARLY.search(text):
            text = _ASCII_EARLY.sub("", text)
        return text.replace("\t", " ") if "\t" in text else text
    if "\x85" in text:
        text = _LONE_NEL.sub("\n", text)
    if not _BASIC_SCREEN.search(text):
        return text
    if _OTHER_BREAKS.search(text):
        text = _OTHER_BREAKS.sub("\n", text.replace("\u2029", "\n\n"))
    text = _EARLY_INVISIBLE.sub("", _ODD_SPACE.sub(" ", text))
    return _FORMAT_ASTRAL.sub("", text) if _ASTRAL.search(text) else text


def normalize_chars(text: str) -> str:
    """Odd spaces and non-breaking hyphens made plain, every invisible character out; NFC."""
    if text.isascii():
        return _ASCII_CONTROL.sub(_ascii_control, text) if _ASCII_CONTROL.search(text) else text
    if _NORMALIZE_SCREEN.search(text):
        text = _ODD_SPACE.sub(" ", text).replace("\u2011", "-")
        text = _INVISIBLE.sub("", text)
        if _ASTRAL.search(text):
            text = _FORMAT_ASTRAL.sub("", text)
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def unescape_entities(text: str) -> str:
    """`&amp;`, `&#8217;`, `&rsquo;` → characters; a bare "&" (Tom & Jerry) stays as it is.

    Repeated until nothing changes, so that double-escaped text (`&amp;nbsp;`) is fully decoded.
    """
    while "&" in text:
        new = _ENTITY.sub(_entity, text)
        if new == text:
            break
        text = basic_chars(new)
    return text


def _entity(m: re.Match[str]) -> str:
    # html (and its table of 2,000 entities) is imported on the first entity, not with ctsearch.
    from html import unescape
    from html.entities import html5

    body = m.group(1)
    if body.startswith("#"):
        return unescape(m.group(0))
    return html5.get(body + ";", m.group(0))


def _repair_gbk(text: str) -> str:
    """Undo UTF-8 punctuation that went through GBK and came back as Latin-1 (`¡°` → “).

    Each pair of Latin-1 characters is re-encoded and decoded as GBK; the result is kept only when
    it is typographic punctuation or an accented Latin letter, which genuine Latin-1 text ("café",
    "¡Hola!", "½") never produces, so such text is left alone.
    """
    if not any(c in text for c in GBK_LEADS):
        return text  # the usual case, found by three fast scans
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
    if not _MOJIBAKE_SCREEN.search(text):
        return text  # one scan decides most blocks
    lines = text.split("\n")
    todo = [
        i
        for i, line in enumerate(lines)
        if (not line.isascii() or "\x1b" in line)
        and (_FTFY_HINT.search(line) or (_MOJIBAKE_SIGN.search(line) and _is_bad(line)))
    ]
    if not todo:
        return text
    fix = _ftfy()
    for i in todo:
        lines[i] = fix(lines[i])
    return "\n".join(lines)


@lru_cache(maxsize=1)
def _ftfy():
    """ftfy's fixer with our settings, imported on first need: its import costs ~90 ms."""
    import ftfy

    config = ftfy.TextFixerConfig(
        unescape_html=False, uncurl_quotes=False, fix_character_width=False,
        fix_line_breaks=False, explain=False,
    )  # fmt: skip
    return lambda line: ftfy.fix_text(line, config)


def _is_bad(line: str) -> bool:
    from ftfy.badness import is_bad

    return is_bad(line)


# Mojibake is a UTF-8 lead byte followed by continuation bytes, misread in a single-byte code
# page: "Ã©", "â€™" (cp1252/latin-1, "Ã " where a NBSP was lost), "Ð¿" / "Рї" (cp1251), "√©"
# (MacRoman). Only lines showing such a pair are worth ftfy's slower check.
_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    "\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
# The pairs are "[\u00c2-\u00f4][cont]", "[\u00c2\u00c3] ", "[\u0420\u0421][\u0400-\u045f cont]" and
# "\u221a\S", written with one leading class (which the regex engine scans for fast) and the
# second character chosen by lookbehind: 4x faster than the plain alternation.
_LEADS = "\u00c2-\u00f4\u0420\u0421\u221a"
_SECOND = (
    f"(?<=[\u00c2-\u00f4])[{_CONTINUATION}]|(?<=[\u00c2\u00c3]) "
    f"|(?<=[\u0420\u0421])[\u0400-\u045f{_CONTINUATION}]|(?<=\u221a)\\S"
)
_MOJIBAKE_SIGN = re.compile(f"[{_LEADS}](?:{_SECOND})")
# U+0085 NEXT LINE is a line break, unless it is a byte of UTF-8 mojibake ("Ã\x85" is "Å"),
# left for ftfy: after a possible lead or continuation byte, or before a continuation byte.
_LONE_NEL = re.compile(f"(?<![\u00c2-\u00f4{_CONTINUATION}])\x85(?![{_CONTINUATION}])")
# What ftfy repairs besides mojibake: C1 controls, terminal escapes, surrogates, ligatures.
_HINTS = (
    "\x1b\x80-\x9f\ud800-\udfff\ufb00-\ufb06\u0132\u0133\u013f\u0140\u0149\u01c4-\u01cc"
    "\u01f1-\u01f3"
)
_FTFY_HINT = re.compile(f"[{_HINTS}]")
# Either of the two, in one scan of a block.
_MOJIBAKE_SCREEN = re.compile(f"[{_HINTS}{_LEADS}](?:(?<=[{_HINTS}])|{_SECOND})")
# The three screens (basic, normalize, mojibake) in one scan.
_ALONE = f"{_HINTS}{_BASIC_CHARS}{_NORMALIZE_CHARS}"
_ALL_SCREENS = re.compile(f"[{_ALONE}{_LEADS}](?:(?<=[{_ALONE}])|{_SECOND})")
