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
from dataclasses import dataclass

from ctsearch.corpus.clean.lines import (
    BULLET_CHARS,
    CLOSERS,
    FIRST_WORD,
    OPENERS,
    RULE,
    RULE_CHARS,
    URL_START,
    ends_clause,
    ends_open,
    ends_sentence,
    ends_with_hyphen,
    hyphenated_word,
    is_furniture,
    is_hard_start,
    running_headers,
    starts_lower,
    strip_bullet,
)

# Layout tunables, as fractions of the document's typical wrap width.
SHORT_LINE = 0.5  # a line shorter than this ended early: a heading or a paragraph's last line
FULL_LINE = 0.6  # a line at least this long reached the margin
MIN_CONTINUED = 20  # characters a paragraph needs before a lower-case line can continue it
WRAPPED_SHARE = 0.2  # share of line ends that must be mid-sentence for a "hard-wrapped" document
TAIL_WORDS = 5  # an orphaned sentence tail after a stray blank line has at most this many words
MIN_WIDTH = 40  # narrower "wrap widths" are lists or verse, not prose wrapped at a margin
OVERLONG, OVERLONG_SHARE = 1.25, 0.1  # in wrapped text few lines exceed the typical width by 25%
VOCABULARY_BLOCK = 1 << 20  # the vocabulary is read this many characters at a time

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SPACE = re.compile(r"\s")
# Every character str.isspace() knows but " " and "\n" (test_unwrap.py checks the list).
OTHER_SPACES = (
    "\t\v\f\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_OTHER_SPACE = re.compile(f"[{OTHER_SPACES}]")
_ASCII_OTHER_SPACES = [c for c in OTHER_SPACES if c.isascii()]
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


# --- reading the layout ------------------------------------------------------------------------


@dataclass(frozen=True)
class Lines:
    """A document's content lines (furniture and blank lines set aside), as parallel lists.

    gaps[i]: blank lines before line i (a rule counts two; furniture between blank runs does not
    add them up); hard[i]: it starts a list item; link[i]: strong evidence that line i continues
    the sentence of line i-1 (`continues_sentence`); dropped: how many furniture lines were set
    aside.
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
        elif s[:1] in RULE_CHARS and RULE.fullmatch(s):
            run += 2  # a drawn rule separates paragraphs
            dropped += 1
        elif is_furniture(s) or s in headers:
            best, run = max(best, run), 0
            dropped += 1
        else:
            gaps.append(max(best, run))
            texts.append(s)
            hard.append(bullet or is_hard_start(s))
            run = best = 0
    link = [False] * len(texts)
    for i in range(1, len(texts)):
        last, n = texts[i - 1], texts[i]
        # `continues_sentence`, unrolled for the common cases (this runs once per line of a huge
        # file): a line that starts upper case and follows an unhyphenated line links to nothing.
        c = n[0]
        if last[-1] == "-" or c in OPENERS:
            link[i] = continues_sentence(last, n)
        elif c.islower() and not (("@" in n or ":" in n or c == "w") and URL_START.match(n)):
            t = last.rstrip(CLOSERS)
            end = t[-1:]
            if end and end in ".!?…":
                link[i] = not ends_sentence(last)
            else:
                link[i] = end not in (":", ";")
    return Lines(gaps, texts, hard, link, dropped)


# First characters of a line that may make it something other than prose: a bullet, a rule, a
# list item, a page number (digits are tested apart, lower-case "a." / "b)" too).
_SPECIAL_STARTS = frozenset(BULLET_CHARS + RULE_CHARS + "pP-–—*+(")


def continues_sentence(last: str, n: str) -> bool:
    """Line `n` continues the sentence ending line `last`, whatever lies between them: `last`
    stops mid-word at a hyphen, or mid-sentence with `n` starting in lower case."""
    if ends_with_hyphen(last) and n[:1].isalnum():
        return True
    return starts_lower(n) and not ends_clause(last)


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
            return ends_open(last)
        return True
    if gap == 1 and not ends_clause(last):
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
        second = FIRST_WORD.match(n)
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
