"""What one line of extracted text is: a sentence's end, a hyphenated word's first part, a
list item, page furniture (numbers, rules), a running header. unwrap.py joins lines with these.
"""

from __future__ import annotations

import re
from collections import Counter

# A line/paragraph that starts a list item or bullet: never the continuation of the one before.
BULLET_CHARS = "•◦▪▫‣⁃●○■□►▶➢✓✔·"
BULLET = re.compile(f"^(?:[{BULLET_CHARS}](?:\\s+|$))+")
_LIST_START = re.compile(r"^(?:[-*+]\s|\(?\d{1,3}[.)]\s|\(?[a-z][.)]\s|\([A-Z]\)\s)")
_PAGE_NUMBER = re.compile(
    r"(?:(?:page|p\.|pg\.?)\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?|[-–—]\s*\d{1,3}\s*[-–—]"
    r"|page\s+[ivxlc]{1,6}",
    re.IGNORECASE,
)
RULE_CHARS = "-_=*~.·•─━═\\"
RULE = re.compile(r"(?:[-_=*~.·•─━═]\s*){3,}|(?:\\[-*_]\s*){3,}")
# Closing marks that may follow the punctuation ending a sentence.
CLOSERS = "\"'”’»›)]*_"
OPENERS = "\"'“‘«‹(["
_ABBREVIATIONS = frozenset(
    "mr ms mrs dr prof st no nos jr sr amb hon rev gen col lt gov sen rep dept art para paras "
    "p pp vol fig approx cf vs etc al".split()
)  # "etc" and "al" often end sentences too; continuing is the safer mistake for a line end
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
FUNCTION_WORDS = frozenset(
    "a an and as at by for from in into of on or the to with that which who whose whom is are was "
    "were be been has have had its their his her our your this these those than nor but if".split()
)
URL_START = re.compile(r"(?:https?://|ftp://|www\.|mailto:|\S+@)", re.IGNORECASE)
_HYPHEN_END = re.compile(r"([^\W_]+(?:-[^\W_]+)*)-$")
FIRST_WORD = re.compile(r"[^\W_]+")

HEADER_MAX_CHARS, HEADER_MIN_COUNT = 60, 3  # a running header: a short line seen 3+ times


def ends_sentence(s: str) -> bool:
    """The line ends a sentence: ".", "!", "?" or "…" (closing marks aside), not after "Mr."."""
    t = s.rstrip(CLOSERS)
    if not t or t[-1] not in ".!?…":
        return False
    if t[-1] != ".":
        return True
    word = t.rsplit(None, 1)[-1].lstrip(OPENERS).rstrip(".").lower()
    # "Mr." or an initial ("H.E.", "U.N.", "J.") does not end a sentence.
    return word not in _ABBREVIATIONS and not _INITIALS.fullmatch(word)


def ends_clause(s: str) -> bool:
    return ends_sentence(s) or s.rstrip(CLOSERS)[-1:] in (":", ";")


def ends_open(s: str) -> bool:
    """A (non-empty) line that cannot end a paragraph: it stops on a comma, a dash, a slash, an
    ampersand or an open parenthesis, or on a function word ("of", "the", "and", ...)."""
    return s[-1] in ",-–—/&(" or s.rsplit(None, 1)[-1].lower() in FUNCTION_WORDS


def starts_lower(s: str) -> bool:
    t = s.lstrip(OPENERS)
    return t[:1].islower() and not URL_START.match(t)


def ends_with_hyphen(s: str) -> bool:
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


def is_hard_start(s: str) -> bool:
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
    return c in RULE_CHARS and RULE.fullmatch(s) is not None


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
        and s[-1] not in ".,;:!?" + CLOSERS
    }  # fmt: skip
