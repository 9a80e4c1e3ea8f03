"""Paragraphs from lines: PDF line wraps, end-of-line hyphenation, page furniture.

A line break in extracted text is either a wrap or a paragraph break. The rules read each
document's own layout first, in one pass over its lines (`read_lines`, `measure`): its typical
wrap width, whether it is hard-wrapped at all, whether it is "double-spaced" (a blank line after
every line), which short lines recur as running headers. Only then are lines joined
(`plain_paragraphs`). End-of-line hyphens are mended or kept by the document's own vocabulary.
None of the rules is tuned to particular files.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Layout tunables, as fractions of the document's typical wrap width.
SHORT_LINE = 0.5  # a line shorter than this ended early: a heading or a paragraph's last line
FULL_LINE = 0.6  # a line at least this long reached the margin
MIN_CONTINUED = 20  # characters a paragraph needs before a lower-case line can continue it
WRAPPED_SHARE = 0.2  # share of line ends that must be mid-sentence for a "hard-wrapped" document
TAIL_WORDS = 5  # an orphaned sentence tail after a stray blank line has at most this many words
MIN_WIDTH = 40  # narrower "wrap widths" are lists or verse, not prose wrapped at a margin
OVERLONG, OVERLONG_SHARE = 1.25, 0.1  # in wrapped text few lines exceed the typical width by 25%
HEADER_MAX_CHARS, HEADER_MIN_COUNT = 60, 3  # a running header: a short line seen 3+ times
VOCABULARY_BLOCK = 1 << 20  # the vocabulary is read this many characters at a time

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SPACE = re.compile(r"\s")
# Every character str.isspace() knows but " " and "\n" (tests/test_layout.py checks the list).
OTHER_SPACES = (
    "\t\v\f\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_OTHER_SPACE = re.compile(f"[{OTHER_SPACES}]")
_ASCII_OTHER_SPACES = [c for c in OTHER_SPACES if c.isascii()]
# A line/paragraph that starts a list item or bullet: never the continuation of the one before.
BULLET_CHARS = "•◦▪▫‣⁃●○■□►▶➢✓✔·"
BULLET = re.compile(f"^(?:[{BULLET_CHARS}](?:\\s+|$))+")
_LIST_START = re.compile(r"^(?:[-*+]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s|\([A-Z]\)\s)")
_PAGE_NUMBER = re.compile(
    r"(?:(?:page|p\.|pg\.?)\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?|[-–—]\s*\d{1,3}\s*[-–—]"
    r"|page\s+[ivxlc]{1,6}",
    re.IGNORECASE,
)
_RULE_CHARS = "-_=*~.·•─━═\\"
_RULE = re.compile(r"(?:[-_=*~.·•─━═]\s*){3,}|(?:\\[-*_]\s*){3,}")
# Closing marks that may follow the punctuation ending a sentence.
_CLOSERS = "\"'”’»›)]*_"
_OPENERS = "\"'“‘«‹(["
_ABBREVIATIONS = frozenset(
    "mr ms mrs dr prof st no nos jr sr amb hon rev gen col lt gov sen rep dept art para paras "
    "p pp vol fig approx cf vs etc al".split()
)  # "etc" and "al" often end sentences too; continuing is the safer mistake for a line end
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_FUNCTION_WORDS = frozenset(
    "a an and as at by for from in into of on or the to with that which who whose whom is are was "
    "were be been has have had its their his her our your this these those than nor but if".split()
)
_URL_START = re.compile(r"(?:https?://|ftp://|www\.|mailto:|\S+@)", re.IGNORECASE)
_HYPHEN_END = re.compile(r"([^\W_]+(?:-[^\W_]+)*)-$")
_FIRST_WORD = re.compile(r"[^\W_]+")
# Kept hyphenated across a line end when the document itself gives no answer: prefixes that
# make compounds ("non-state") and rarely end a syllable split ("al-low", "mid-dle", "pro-gramme").
_COMPOUND_PREFIXES = frozenset(
    "anti co counter cross cyber multi non post pre quasi self ultra vice well".split()
)


class Vocabulary:
    """The document's own words (lower case), built on first use, to decide line-end hyphens.

    Words never span whitespace, so they are read from the document's distinct whitespace-
    separated tokens, a block at a time: a fraction of the work and memory of a whole-text scan.
    """

    def __init__(self, text: str) -> None:
        self._text: str | None = text
        self._words: set[str] = set()

    def __contains__(self, word: str) -> bool:
        if self._text is not None:
            text, self._text = self._text, None
            tokens: set[str] = set()
            start = 0
            while start < len(text):  # blocks end at a whitespace: no token is cut in two
                m = _SPACE.search(text, start + VOCABULARY_BLOCK)
                end = m.end() if m else len(text)
                tokens.update(text[start:end].split())
                start = end
            self._words = {w.lower() for token in tokens for w in _WORD.findall(token)}
        return word in self._words


# --- line features -----------------------------------------------------------------------------


def ends_sentence(s: str) -> bool:
    """The line ends a sentence: ".", "!", "?" or "…" (closing marks aside), not after "Mr."."""
    t = s.rstrip(_CLOSERS)
    if not t or t[-1] not in ".!?…":
        return False
    if t[-1] != ".":
        return True
    word = t.rsplit(None, 1)[-1].lstrip(_OPENERS).rstrip(".").lower()
    # "Mr." or an initial ("H.E.", "U.N.", "J.") does not end a sentence.
    return word not in _ABBREVIATIONS and not _INITIALS.fullmatch(word)


def _ends_clause(s: str) -> bool:
    return ends_sentence(s) or s.rstrip(_CLOSERS)[-1:] in (":", ";")


def _starts_lower(s: str) -> bool:
    t = s.lstrip(_OPENERS)
    return t[:1].islower() and not _URL_START.match(t)


def _hyphen_end(s: str) -> bool:
    return hyphenated_word(s) is not None


def hyphenated_word(s: str) -> str | None:
    """The word `s` ends with when it ends with a hyphen ("commu" of "the commu-"), else None.

    Only the last 100 characters count, and of them the last token: the word has no spaces, and
    searching a token rather than a whole line spares the regex a quadratic scan.
    """
    if not s.endswith("-"):
        return None
    m = _HYPHEN_END.search(s[-100:].rsplit(None, 1)[-1])
    return m.group(1) if m else None


def _is_hard_start(s: str) -> bool:
    """A list item or bullet starts here (the cheap first-character test spares most regexes)."""
    c = s[:1]
    if c in BULLET_CHARS and BULLET.match(s):
        return True
    if c in "-*+(" or c.isdecimal() or ("a" <= c <= "z" and s[1:2] in (".", ")")):
        return _LIST_START.match(s) is not None
    return False


def is_furniture(s: str) -> bool:
    """A page number or a drawn rule."""
    c = s[:1]
    if (c in "pP-–—" or c.isdecimal()) and _PAGE_NUMBER.fullmatch(s):
        return True
    return c in _RULE_CHARS and _RULE.fullmatch(s) is not None


def strip_bullet(s: str) -> tuple[str, bool]:
    """`s` without its leading bullets, and whether it had any."""
    if s[:1] in BULLET_CHARS:
        m = BULLET.match(s)
        if m:
            return s[m.end() :], True
    return s, False


def running_headers(lines: list[str]) -> set[str]:
    """Short lines that recur 3+ times without ending a sentence: page headers and footers."""
    counts = Counter(s for s in lines if 0 < len(s) <= HEADER_MAX_CHARS)
    return {
        s for s, n in counts.items()
        if n >= HEADER_MIN_COUNT and any(c.isalpha() for c in s)
        and s[-1] not in ".,;:!?" + _CLOSERS
    }  # fmt: skip


# --- reading the layout ------------------------------------------------------------------------


@dataclass(frozen=True)
class Lines:
    """A document's content lines (furniture and blank lines set aside), as parallel lists.

    gaps[i]: blank lines before line i (a rule counts two; furniture between blank runs does not
    add them up); hard[i]: it starts a list item; link[i]: strong evidence that line i continues
    the sentence of line i-1 (`_link`); dropped: how many furniture lines were set aside.
    """

    gaps: list[int]
    texts: list[str]
    hard: list[bool]
    link: list[bool]
    dropped: int


@dataclass(frozen=True)
class Layout:
    """What the document's lines say about its layout."""

    width: int  # typical wrap width (median length of lines that end mid-sentence)
    wrapped: bool  # hard-wrapped at a margin
    soft_gap: int  # the largest run of blank lines that is still just a wrap (1 if double-spaced)


def read_lines(text: str | list[str]) -> Lines:
    """One pass over the lines (of a text, or already split): strip, set furniture aside, note
    list starts and continuations."""
    raw = text.split("\n") if isinstance(text, str) else text
    stripped = [line.strip() for line in raw]  # the same objects when there is nothing to strip
    del raw
    headers = running_headers(stripped)
    gaps: list[int] = []
    texts: list[str] = []
    hard: list[bool] = []
    run = best = dropped = 0  # blank lines in this run; the longest run since the last line
    # This loop runs once per line of a possibly huge file: the first character screens out the
    # lines that can be nothing but prose before any regex or function call.
    special = _SPECIAL_STARTS
    for s in stripped:
        if not s:
            run += 1
            continue
        c = s[0]
        if c not in special and not c.isdecimal() and not ("a" <= c <= "z" and s[1:2] in ".)"):
            if s not in headers:
                gaps.append(max(best, run))
                texts.append(s)
                hard.append(False)
                run = best = 0
                continue
        s, bullet = strip_bullet(s)
        if not s:
            run += 1
        elif s[:1] in _RULE_CHARS and _RULE.fullmatch(s):
            run += 2  # a drawn rule separates paragraphs
            dropped += 1
        elif is_furniture(s) or s in headers:
            best, run = max(best, run), 0
            dropped += 1
        else:
            gaps.append(max(best, run))
            texts.append(s)
            hard.append(bullet or _is_hard_start(s))
            run = best = 0
    link = [False] * len(texts)
    for i in range(1, len(texts)):
        last, n = texts[i - 1], texts[i]
        # `_link`, unrolled for the common cases (this runs once per line of a huge file): a
        # line that starts upper case and follows an unhyphenated line links to nothing.
        c = n[0]
        if last[-1] == "-" or c in _OPENERS:
            link[i] = _link(last, n)
        elif c.islower() and not (("@" in n or ":" in n or c == "w") and _URL_START.match(n)):
            t = last.rstrip(_CLOSERS)
            end = t[-1:]
            if end and end in ".!?…":
                link[i] = not ends_sentence(last)
            else:
                link[i] = end not in (":", ";")
    return Lines(gaps, texts, hard, link, dropped)


# First characters of a line that may make it something other than prose: a bullet, a rule, a
# list item, a page number (digits are tested apart, lower-case "a." / "b)" too).
_SPECIAL_STARTS = frozenset(BULLET_CHARS + _RULE_CHARS + "pP-–—*+(")


def _link(last: str, n: str) -> bool:
    """Line `n` continues the sentence ending line `last`, whatever lies between them: `last`
    stops mid-word at a hyphen, or mid-sentence with `n` starting in lower case."""
    if _hyphen_end(last) and n[:1].isalnum():
        return True
    return _starts_lower(n) and not _ends_clause(last)


def measure(lines: Lines) -> Layout:
    """Wrap width, hard-wrapped or not, double-spaced or not: read from all the lines at once."""
    texts, hard, link = lines.texts, lines.hard, lines.link
    evidence = sorted(
        len(texts[i - 1])
        for i in range(1, len(texts))
        if link[i] and not hard[i] and len(texts[i - 1]) >= MIN_CONTINUED
    )
    width = evidence[len(evidence) // 2] if evidence else 0  # the median
    pairs = max(0, len(texts) - 1)
    # Hard-wrapped: many line ends fall mid-sentence, and lines stop at a margin (few run past it;
    # already-clean text, one paragraph a line, has no margin).
    wrapped = (
        len(evidence) >= 3 and len(evidence) >= WRAPPED_SHARE * pairs and width >= MIN_WIDTH
        and _count_longer(texts, OVERLONG * width) <= OVERLONG_SHARE * len(texts)
    )  # fmt: skip
    single = lines.gaps[1:].count(1)
    double_spaced = wrapped and single >= 3 and single >= 2 * lines.gaps[1:].count(0)
    return Layout(width=width, wrapped=wrapped, soft_gap=1 if double_spaced else 0)


def _count_longer(texts: list[str], limit: float) -> int:
    return sum(len(s) > limit for s in texts)


# --- joining lines -----------------------------------------------------------------------------


def plain_paragraphs(text: str, vocab: Vocabulary) -> list[str]:
    """Rejoin hard-wrapped lines into paragraphs, reading the document's own layout.

    Between two lines there may be no blank line, one, or more. Documents extracted from PDFs
    wrap lines at a typical width; some put a blank line after every line ("double-spaced"),
    where only a run of blank lines separates paragraphs.
    """
    lines = read_lines(text)
    layout = measure(lines)
    gaps, texts, hard, link = lines.gaps, lines.texts, lines.hard, lines.link
    wrapped, soft_gap, width = layout.wrapped, layout.soft_gap, layout.width
    paras: list[list[str]] = []
    size = quotes = 0  # characters and unclosed quotation marks in the current paragraph
    for i, s in enumerate(texts):
        gap = gaps[i]
        if paras and not hard[i] and (wrapped or gap == 0):
            last = texts[i - 1]  # the paragraph's last physical line
            if size >= MIN_CONTINUED and link[i]:
                joined = True
            elif wrapped:
                tail_alone = i + 1 == len(texts) or gaps[i + 1] > soft_gap
                joined = _wraps(last, s, gap - soft_gap, width, quotes > 0, tail_alone)
            else:
                joined = False
            if joined:
                if last[-1] == "-":
                    append_line(paras[-1], s, vocab)  # may mend a hyphenated word
                else:
                    paras[-1].append(" " + s)
                size += len(s) + 1
                quotes += 0 if s.isascii() else s.count("“") - s.count("”")
                continue
        paras.append([s])
        size, quotes = len(s), 0 if s.isascii() else s.count("“") - s.count("”")
    return ["".join(parts) for parts in paras]


def _wraps(last: str, s: str, gap: int, width: float, quoted: bool, tail_alone: bool) -> bool:
    """In a hard-wrapped document, does line `s` continue the paragraph ending with line `last`?

    `gap` counts the blank lines between them beyond those a wrap may have (0: a plain wrap, 1: a
    stray blank line, more: a paragraph break); `quoted`: the paragraph has an open quotation.
    """
    if gap <= 0:
        if ends_sentence(last):
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


def append_line(parts: list[str], n: str, vocab: Vocabulary) -> None:
    """Join line `n` to a paragraph kept as a list of parts (no quadratic string building),
    mending a word hyphenated at the line end."""
    last = parts[-1] if parts else ""
    first = hyphenated_word(last)
    if first is not None and n[:1].isalnum():
        second = _FIRST_WORD.match(n)
        if second and not _keep_hyphen(first, second.group(), vocab):
            parts[-1] = last[:-1]
        parts.append(n)
    else:
        parts.append(f" {n}" if parts else n)


def _keep_hyphen(first: str, second: str, vocab: Vocabulary) -> bool:
    """Keep "Counter-/Terrorism" hyphenated, mend "commu-/nity"; the document decides first."""
    if not (first[-1].isalpha() and second[0].isalpha()) or second[0].isupper() or "-" in first:
        return True
    head, tail = first.lower(), second.lower()
    if f"{head}-{tail}" in vocab:
        return True
    if head + tail in vocab:
        return False
    return len(head) == 1 or head in _COMPOUND_PREFIXES


# --- the paragraphs' last tidy-up --------------------------------------------------------------

MAX_FINALIZE_ROUNDS = 10


def finalize(paras: list[str]) -> list[str]:
    """Collapse whitespace; drop empty paragraphs, page furniture and running headers.

    Paragraphs are never joined here: the layout decided that, and a second cleaning (which sees
    each paragraph as a line with blank lines around it, in a text with no margin) keeps them.
    """
    paras = [p if _single_spaced(p) else " ".join(p.split()) for p in paras]
    for _ in range(MAX_FINALIZE_ROUNDS):  # dropping a header can leave a bullet or new repeats
        headers = running_headers(paras)
        out = []
        for p in paras:
            p = strip_bullet(p)[0]
            if p and not is_furniture(p) and p not in headers:
                out.append(p)
        if out == paras:
            break
        paras = out
    return paras


def _single_spaced(p: str) -> bool:
    """`" ".join(p.split()) == p`, without building a list of words, for plain ASCII `p`
    (ASCII without controls has no whitespace but the space)."""
    return (
        p.isascii() and p.isprintable() and "  " not in p
        and p[:1] != " " and p[-1:] != " "
    )  # fmt: skip


def is_settled(text: str) -> bool:
    """True when `finalize(plain_paragraphs(text))` is known to give `text` back: it is already
    one paragraph a line with one blank line between, nothing to drop, and no margin to rejoin.

    Why that suffices: with every gap one blank line and the text not hard-wrapped, the joining
    loop joins nothing (it joins across a blank line only in wrapped text), so each line stays a
    paragraph, and `finalize` changes nothing it was not checked for here.
    """
    if not text:
        return True
    # Whitespace as `finalize` leaves it: single spaces inside paragraphs, one blank line between
    # them, nothing at either end (tested on the whole text at once: this may be a huge file).
    if text[0].isspace() or text[-1].isspace():
        return False
    if text.isascii():  # memchr per character beats a regex on ASCII, the usual case
        if any(c in text for c in _ASCII_OTHER_SPACES):
            return False
    elif _OTHER_SPACE.search(text):
        return False
    if "  " in text or " \n" in text or "\n " in text:
        return False
    # Paragraph, blank, paragraph, ...: every other line blank, the others not.
    split = text.split("\n")
    if len(split) % 2 == 0 or any(split[1::2]) or not all(split[::2]):
        return False
    lines = read_lines(split)
    if lines.dropped or len(lines.texts) * 2 - 1 != len(split):
        return False  # furniture or running headers to take out
    if any(a is not b and a != b for a, b in zip(lines.texts, split[::2], strict=True)):
        return False  # a bullet to take out
    return not measure(lines).wrapped


# --- pages -------------------------------------------------------------------------------------

EDGE_LINES = 3  # lines at the top and at the bottom of a page that may be running furniture
EDGE_SHARE = 0.5  # ... a line recurring at the edges of this share of the pages (2 at least)
FRAME_WIDTH_QUANTILE = 0.75  # a page's or column's width: this quantile of its line lengths
COLUMN_BREAK = "\f"  # in a page's lines: the text goes on at the top of the next column
_DIGITS = re.compile(r"\d+")


def join_pages(pages: list[list[str]]) -> str:
    """The text of a paged document (a PDF's pages as lines, "" where a vertical gap separates
    paragraphs, COLUMN_BREAK between columns), page furniture taken out, paragraphs rebuilt.

    Furniture: page numbers, and running headers and footers — short lines that recur at the
    top or bottom of many pages, page numbers inside them ("Statement — page 3") counting as
    the same line. When the pages show paragraph gaps, the gaps are the paragraph breaks: the
    lines between them are joined (hyphenated words mended by the document's vocabulary),
    and a paragraph goes on across a page or column break only mid-sentence. Without any gap
    the lines are returned as they are, for `plain_paragraphs` to read the layout.
    """
    count: Counter[str] = Counter()
    for page in pages:
        count.update({_edge_key(s) for s in _edges(page)})
    need = max(2, int(EDGE_SHARE * len(pages) + 0.5))
    running = {key for key, n in count.items() if n >= need}
    bodies = [_page_body(page, running) for page in pages]
    if not any(s == "" for body in bodies for s in body):
        return "\n".join(s for body in bodies for s in body if s != COLUMN_BREAK)
    vocab = Vocabulary("\n".join(s for body in bodies for s in body))
    paras: list[list[str]] = []
    last, width = "", 0  # the open paragraph's last line ("" after a gap), its frame's width
    for body in bodies:
        for frame in _frames(body):
            # The frame's (page's or column's) line width: most lines of prose reach it.
            lengths = sorted(len(s) for s in frame if s)
            fresh = True  # at the top of a page or column
            for s in frame:
                if not s:
                    last = ""
                    continue
                if last and not _is_hard_start(s) and (not fresh or _goes_on(last, s, width)):
                    append_line(paras[-1], s, vocab)
                else:
                    paras.append([s])
                last, fresh = s, False
            if lengths:
                width = lengths[int(len(lengths) * FRAME_WIDTH_QUANTILE)]
    return "\n\n".join("".join(parts) for parts in paras)


def _frames(body: list[str]) -> list[list[str]]:
    """A page body cut at its column breaks."""
    frames: list[list[str]] = [[]]
    for s in body:
        if s == COLUMN_BREAK:
            frames.append([])
        else:
            frames[-1].append(s)
    return [f for f in frames if f]


def _goes_on(last: str, s: str, width: int) -> bool:
    """After a page or column break, does line `s` continue the paragraph ending with `last`
    (`width`: the usual line length where `last` stands)?

    Mid-sentence it does: a lower-case start, a hyphen, a comma or "the" at the end, a line that
    stops without a full stop and is not short (a heading is) or is short only because the next
    line's first word would not have fitted on it. After a sentence end it does not.
    """
    if _link(last, s):
        return True
    if ends_sentence(last):
        # Ambiguous; a break costs nothing, a wrong join can merge speakers. Measured on the
        # 1,000-page benchmark corpus, joining after a full last line makes more errors.
        return False
    if _starts_lower(s) or last[-1] in ",-–—/&(":
        return True
    if last.rsplit(None, 1)[-1].lower() in _FUNCTION_WORDS:
        return True
    fits = len(last) + 1 + len(s.split(None, 1)[0])
    return not _ends_clause(last) and width > 0 and max(len(last) / FULL_LINE, fits) >= width


def _page_body(page: list[str], running: set[str]) -> list[str]:
    """A page's lines (stripped) without the furniture at its top and bottom edges."""
    lines = [s.strip() if s != COLUMN_BREAK else s for s in page]

    def furniture(s: str) -> bool:
        return not s or s == COLUMN_BREAK or is_furniture(s) or _edge_key(s) in running

    lo, hi = 0, len(lines)
    for _ in range(EDGE_LINES):  # from the top edge inwards
        while lo < hi and lines[lo] in ("", COLUMN_BREAK):
            lo += 1
        if lo < hi and furniture(lines[lo]):
            lo += 1
    for _ in range(EDGE_LINES):  # from the bottom edge inwards
        while hi > lo and lines[hi - 1] in ("", COLUMN_BREAK):
            hi -= 1
        if hi > lo and furniture(lines[hi - 1]):
            hi -= 1
    return lines[lo:hi]


def _edges(page: list[str]) -> list[str]:
    lines = [s.strip() for s in page if s.strip()]  # COLUMN_BREAK is whitespace: left out
    edge = lines if len(lines) <= 2 * EDGE_LINES else lines[:EDGE_LINES] + lines[-EDGE_LINES:]
    return [s for s in edge if len(s) <= HEADER_MAX_CHARS]


def _edge_key(s: str) -> str:
    return _DIGITS.sub("#", " ".join(s.split()).lower())
