"""Sentences and word counts: the only module that imports NLTK.

NLTK is imported inside the functions (and only `nltk.tokenize.punkt`),
because importing it costs about a third of a second and most commands never need it; Punkt is
even loaded without the rest of NLTK (see _import_punkt).
No NLTK data package is used: Punkt runs on parameters we set here, never `nltk.download`.
Sentence boundaries are Punkt's with those parameters, computed by punkt.py (its decisions,
ported step for step and tested against NLTK's); NLTK's tokenizer itself runs only on the rare
line whose characters the port leaves to it, so ingestion normally never imports NLTK.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ctsearch.documents import punkt

# Abbreviations after which a period does not end a sentence. Punkt expects them lowercase,
# without the final period ("h.e" for "H.E.").
ABBREVIATIONS = frozenset(
    """
    mr ms mrs messrs mmes dr prof sr jr st hon rev gen lt col maj capt cmdr adm sgt gov sen rep
    amb h.e h.r.h h.m u.n u.s u.k e.u u.s.a no nos nr para paras art sect vol vols pp fig figs
    op cit ibid e.g i.e etc vs cf al approx dept govt intl corp inc ltd jan feb apr jun jul aug
    sep sept oct nov dec tue tues thu thur thurs fri a.m p.m res doc
    """.split()
) | frozenset("abcdefghijklmnopqrstuvwxyz")  # initials: "Amina J. Mohammed"

# Characters that close a quotation or bracket: a sentence boundary found before them is moved
# after them, so "… ground.” Mr. X" splits after the ”.
_CLOSERS = '”’"»)]}*_'
_UNCOUNTED_WORD = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")  # a token without letters or digits
# Punkt only ends a sentence at ".", "?" or "!". A line where they appear only in its final run
# (with closing quotes/brackets) is one sentence, and Punkt (a third of ingestion) is skipped.
_MAY_SPLIT = re.compile(r"[.?!](?![”’\"»)\]}*_']*$)")


def _import_punkt() -> Any:
    """nltk.tokenize.punkt without running nltk/__init__.py.

    `import nltk.tokenize.punkt` first executes nltk/__init__.py, which imports most of NLTK
    (corpora, parsers, translation...): ~300 ms, most of `ctsearch parse`. Punkt itself needs
    a handful of small modules (~60 ms). So the two parent packages are put in sys.modules as
    bare packages while punkt loads, and everything it loaded is taken out again afterwards
    (we keep our reference): a later `import nltk` anywhere gets the real, complete package.
    Any surprise from a future NLTK falls back to the plain import."""
    import importlib
    import importlib.util
    import sys
    import types

    if "nltk" in sys.modules:
        return importlib.import_module("nltk.tokenize.punkt")
    stubs: dict[str, types.ModuleType] = {}
    try:
        spec = importlib.util.find_spec("nltk")
        if spec is None or not spec.submodule_search_locations:
            raise ImportError("nltk not found")
        root = list(spec.submodule_search_locations)[0]
        for name, path in (("nltk", root), ("nltk.tokenize", f"{root}/tokenize")):
            stubs[name] = types.ModuleType(name)
            stubs[name].__path__ = [path]
            sys.modules[name] = stubs[name]
        return importlib.import_module("nltk.tokenize.punkt")
    except Exception:
        for name in list(sys.modules):
            if name == "nltk" or name.startswith("nltk."):
                del sys.modules[name]
        stubs.clear()
        return importlib.import_module("nltk.tokenize.punkt")
    finally:
        if stubs:  # forget what the light import loaded: a later `import nltk` starts clean
            for name in [n for n in sys.modules if n == "nltk" or n.startswith("nltk.")]:
                del sys.modules[name]


@lru_cache(maxsize=1)
def _punkt() -> Any:
    punkt = _import_punkt()
    PunktParameters, PunktSentenceTokenizer = punkt.PunktParameters, punkt.PunktSentenceTokenizer
    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def _punkt_spans(line: str) -> list[tuple[int, int]]:
    """Punkt's sentence spans of one line: our exact port of its decisions (punkt.py), or
    NLTK's own tokenizer for the rare characters the port leaves to it."""
    try:
        return list(punkt.span_tokenize(line, ABBREVIATIONS))
    except punkt.Unsupported:
        return list(_punkt().span_tokenize(line))


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, stripped: the paragraphs of a cleaned text.

    A sentence never crosses a line break."""
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        a, b = m.span()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            spans.append((a, b))
    return spans


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence in `text`; `text[start:end]` is the sentence, stripped.

    Punkt with our abbreviation list, then two repairs Punkt cannot make without training
    data: closing quotes/brackets stay with the sentence they close, and a "sentence" that
    starts with a lowercase letter ("“It is clear.” he said.") is joined to the one before.
    """
    out: list[tuple[int, int]] = []
    if text and "\n" not in text and not text[0].isspace() and not text[-1].isspace():
        lines = [(0, len(text))]  # one paragraph, as passages.py gives: line_spans' answer
    else:
        lines = line_spans(text)
    for la, lb in lines:
        line = text[la:lb]
        if not _MAY_SPLIT.search(line):
            out.append((la, lb))
            continue
        spans = [(la + a, la + b) for a, b in _punkt_spans(line)]
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            # Move leading closers of this sentence onto the previous one.
            k = a
            while merged and k < b and text[k] in _CLOSERS:
                k += 1
            if k > a and merged:
                pa, _ = merged[-1]
                merged[-1] = (pa, k)
                while k < b and text[k].isspace():
                    k += 1
                a = k
            if a >= b:
                continue
            if merged and _starts_lowercase(text, a, b):
                merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        out.extend(merged)
    return out


def _starts_lowercase(text: str, a: int, b: int) -> bool:
    for i in range(a, min(b, a + 4)):
        ch = text[i]
        if ch.isalpha():
            return ch.islower()
        if ch.isdigit():
            return False
    return False


def sentences(text: str) -> list[str]:
    """The sentences of `text` as strings."""
    return [text[a:b] for a, b in sentence_spans(text)]


def word_count(text: str) -> int:
    """Number of words: whitespace-separated tokens with at least one letter or digit.

    Counted as all tokens less those of punctuation only, which are rare: twice as fast as
    finding the words themselves (`\\S*\\w\\S*` backtracks on every token)."""
    return len(text.split()) - len(_UNCOUNTED_WORD.findall(text))


def word_and_token_counts(text: str) -> tuple[int, int]:
    """(word_count(text), number of whitespace-separated tokens), splitting once."""
    tokens = len(text.split())
    return tokens - len(_UNCOUNTED_WORD.findall(text)), tokens
