"""NLTK Punkt's sentence boundaries for our fixed parameters, without importing NLTK.

sentences.py runs Punkt with parameters of our own: a list of abbreviations, and no collocations,
no frequent sentence starters and no orthographic statistics (nothing is trained). With those
parameters Punkt's decision reduces to a few token rules (a period-final word breaks unless it
is an abbreviation; an initial or a number before a lowercase word, a capitalised word (initials
only) or punctuation does not break). This module is `PunktSentenceTokenizer.span_tokenize` of
NLTK 3.10.2 and later (the first to treat typographic quotes as punctuation) with those
parameters filled in, step for step (candidate contexts, the break decision on each context,
the realignment of closing quotes), using the stdlib `re` with
NLTK's own patterns instead of NLTK's ReDoS-guarded `regex` wrappers, which cost more than
the tokenizing itself (about 40% of ingestion) and ~0.1 s to import.

`re` and the third-party `regex` engine NLTK uses agree on every character except four
control characters (U+001C-U+001F: whitespace to `re` only), code points unassigned in
Python's Unicode tables (digits/letters in newer Unicode), and which non-ASCII characters
count as letters for an "initial" (`[^\\W\\d]\\.`). Those cases raise `Unsupported`, and the
caller uses NLTK itself. tests/test_punkt.py checks the two agree on generated text.
"""

# ruff: noqa: UP031  (NLTK's patterns are %-format strings: they are filled the same way here)
from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# NLTK's PunktLanguageVars, verbatim (tests compare them with the installed NLTK).
SENT_END_CHARS = (".", "?", "!")
PUNCTUATION = tuple(";:,.!?")  # PunktSentenceTokenizer.PUNCTUATION: never starts a sentence
_NON_WORD = r"(?:[)\";}\]\*:@\'\({\[\u2018\u2019\u201c\u201d\xab\xbb%s])" % re.escape("!?")
_MULTI_CHAR = r"(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)"
_WORD_START = r"[^\(\"\`{\[:;&\#\*@\)}\]\-,]"
WORD_TOKENIZE_FMT = r"""(
        %(MultiChar)s
        |
        (?=%(WordStart)s)\S+?  # Accept word characters until end is found
        (?= # Sequences marking a word's end
            \s|                                 # White-space
            $|                                  # End-of-string
            %(NonWord)s|%(MultiChar)s|          # Punctuation
            ,(?=$|\s|%(NonWord)s|%(MultiChar)s) # Comma if at end of word
        )
        |
        \S
    )"""
PERIOD_CONTEXT_FMT = r"""
        %(SentEndChars)s             # a potential sentence ending
        (?=(?P<after_tok>
            %(NonWord)s              # either other punctuation
            |
            \s+(?P<next_tok>\S+)     # or whitespace and some other token
        ))"""
BOUNDARY_REALIGNMENT = r'["\')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\s+|(?=--)|$)'

_WORDS_RE = re.compile(
    WORD_TOKENIZE_FMT % {"NonWord": _NON_WORD, "MultiChar": _MULTI_CHAR, "WordStart": _WORD_START},
    re.UNICODE | re.VERBOSE,
)
_PERIOD_CONTEXT_RE = re.compile(
    PERIOD_CONTEXT_FMT
    % {"NonWord": _NON_WORD, "SentEndChars": "[%s]" % re.escape("".join(SENT_END_CHARS))},
    re.UNICODE | re.VERBOSE,
)
_REALIGN_RE = re.compile(BOUNDARY_REALIGNMENT, re.MULTILINE)
_NUMERIC_RE = re.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")  # PunktToken._RE_NUMERIC
_ELLIPSIS_RE = re.compile(r"\.\.+$")
# Where `re` and `regex` may disagree on \s or \d (see the module docstring).
_RISKY_ASCII = re.compile("[\x1c-\x1f]")
# What Punkt's _get_last_whitespace_index looks for, besides the space.
_OTHER_WHITESPACE = string.whitespace.replace(" ", "")
_safe_chars: dict[str, bool] = {}
_INITIAL_CHAR = re.compile(r"[^\W\d]")
# Categories holding characters on which `re` and `regex` disagree about \w (combining marks,
# other numbers such as "²", some symbols, connector punctuation, format, unassigned).
_UNSURE_CATEGORIES = frozenset({"Mn", "Mc", "Me", "No", "So", "Pc", "Cf", "Cn"})


class Unsupported(Exception):
    """The text has a character on which this port and NLTK's regex engine could differ."""


def check_supported(text: str) -> None:
    """Raise Unsupported when `text` holds a character on which `re` and `regex` differ for
    \\s (U+001C-U+001F); unassigned code points are checked on the tokens that matter."""
    if _RISKY_ASCII.search(text):
        raise Unsupported


def _check_token(tok: str) -> None:
    """A period-final token goes through \\d (numbers): no code point unknown to Python."""
    if not tok.isascii():
        for ch in tok:
            ok = _safe_chars.get(ch)
            if ok is None:
                ok = _safe_chars[ch] = ch.isascii() or unicodedata.category(ch) != "Cn"
            if not ok:
                raise Unsupported


def span_tokenize(text: str, abbreviations: frozenset[str]) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of `text`, as NLTK's span_tokenize with realignment.

    Raises Unsupported (before yielding anything) when NLTK itself must decide."""
    check_supported(text)
    return _realign(text, list(_slices(text, abbreviations)))


def _last_whitespace(text: str) -> int:
    """Index of the last `string.whitespace` character, 0 if none (as Punkt's
    _get_last_whitespace_index), by C-level scans instead of a loop over characters."""
    i = text.rfind(" ")
    for ch in _OTHER_WHITESPACE:
        if ch in text:
            i = max(i, text.rfind(ch))
    return max(i, 0)


def _end_contexts(text: str) -> Iterator[tuple[re.Match, str]]:
    """Punkt's _match_potential_end_contexts: each candidate break with the word before it
    (Punkt's context is that word, the mark, and the punctuation or word after)."""
    prev_start, prev_stop = 0, 0
    prev_match: re.Match | None = None
    for match in _PERIOD_CONTEXT_RE.finditer(text):
        i = _last_whitespace(text[prev_stop : match.start()])
        word_start = i + prev_stop + 1 if i else prev_start
        if prev_match and prev_stop <= word_start:
            yield prev_match, text[prev_start:prev_stop]
        prev_match, prev_start, prev_stop = match, word_start, match.start()
    if prev_match:
        yield prev_match, text[prev_start:prev_stop]


def _slices(text: str, abbreviations: frozenset[str]) -> Iterator[tuple[int, int]]:
    last_break = 0
    for match, word in _end_contexts(text):
        if _breaks(match, word, abbreviations):
            yield last_break, match.end()
            last_break = match.start("next_tok") if match.group("next_tok") else match.end()
    yield last_break, len(text.rstrip())


def _breaks(match: re.Match, word: str, abbreviations: frozenset[str]) -> bool:
    """Punkt's decision on one candidate, with the two common cases decided at once:
    - "?" or "!" is always a token of its own (they end any word before them), a break
      by the first pass that no later rule revisits, and a token always follows it;
    - a plain word of two or more ASCII letters that is not an abbreviation, then ".":
      one token "word.", a break that the second pass keeps (no initial, no number)."""
    mark = match.group()
    if mark != ".":
        return True
    if len(word) >= 2 and word.isascii() and word.isalpha() and word.lower() not in abbreviations:
        return True
    return contains_sentbreak(word + mark + match.group("after_tok"), abbreviations)


def _realign(text: str, slices: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Closing quotes and brackets after a break go with the sentence they close."""
    realign = 0
    for k, (start, stop) in enumerate(slices):
        start += realign
        if k + 1 == len(slices):
            if start < stop:  # text[sentence1] is non-empty
                yield start, stop
            continue
        n_start, n_stop = slices[k + 1]
        m = _REALIGN_RE.match(text[n_start:n_stop])
        if m:
            yield start, n_start + len(m.group(0).rstrip())
            realign = m.end()
        else:
            realign = 0
            if start < stop:
                yield start, stop


@lru_cache(maxsize=16384)
def contains_sentbreak(context: str, abbreviations: frozenset[str]) -> bool:
    """Punkt's text_contains_sentbreak: a token other than the last one ends a sentence.

    Contexts repeat ("said. The"), hence the cache."""
    toks = [t for line in context.split("\n") if line.strip() for t in _WORDS_RE.findall(line)]
    return any(_is_break(toks[i], toks[i + 1], abbreviations) for i in range(len(toks) - 1))


def _is_break(tok: str, nxt: str, abbreviations: frozenset[str]) -> bool:
    """Punkt's first and second pass on a token followed by `nxt`, with our parameters."""
    period_final = tok.endswith(".")
    if tok in SENT_END_CHARS:
        sentbreak = True
    elif _ELLIPSIS_RE.match(tok):
        sentbreak = False
    elif period_final and not tok.endswith(".."):
        low = tok[:-1].lower()
        sentbreak = not (low in abbreviations or low.split("-")[-1] in abbreviations)
    else:
        sentbreak = False
    if not period_final:
        return sentbreak
    _check_token(tok)
    typ = _NUMERIC_RE.sub("##number##", tok.lower())
    if len(typ) > 1 and typ[-1] == ".":
        typ = typ[:-1]
    initial = _is_initial(tok)
    # Collocations, sentence starters and orthographic context are empty: an abbreviation
    # or ellipsis never becomes a break (the orthographic heuristic is never True).
    if initial or typ == "##number##":
        if nxt in PUNCTUATION or nxt[0].islower():  # orthographic heuristic: False
            return False
        if initial and nxt[0].isupper():  # "unknown", next word capitalised: "J. Bach"
            return False
    return sentbreak


def _is_initial(tok: str) -> bool:
    """PunktToken.is_initial: `[^\\W\\d]\\.$`, one letter and a period."""
    if len(tok) != 2 or tok[1] != ".":
        return False
    ch = tok[0]
    if not ch.isascii() and unicodedata.category(ch) in _UNSURE_CATEGORIES:
        raise Unsupported  # `regex` and `re` disagree on which of these are letters
    return bool(_INITIAL_CHAR.match(ch))
