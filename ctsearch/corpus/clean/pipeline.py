"""Decoded text → clean text: characters repaired, then paragraphs rebuilt, idempotently.

Everything downstream (metadata, passages, the index) sees only what `clean_text` returns:
paragraphs separated by one blank line, each on a single line, with encodings, mojibake, HTML
entities, PDF line wraps, page furniture and Markdown marks repaired. Characters are
`repair.py`'s job, plain-text layout `unwrap.py`'s, Markdown `markdown.py`'s.
"""

from __future__ import annotations

from ctsearch.corpus.clean.markdown import looks_like_markdown, markdown_paragraphs
from ctsearch.corpus.clean.repair import is_repaired, repair_chars
from ctsearch.corpus.clean.unwrap import Vocabulary, finalize, is_settled, plain_paragraphs

# Extra cleanings at most, after the first, until the text no longer changes.
MAX_PASSES = 4


def clean_text(raw: str, *, markdown: bool | None = None) -> str:
    """The repaired text: paragraphs separated by one blank line, each paragraph on one line.

    `markdown=None` looks for Markdown marks in the text itself (a .txt file may be Markdown).
    Whitespace inside a paragraph is one space; cleaning twice gives the same text as once.
    """
    text = _clean_once(raw, markdown)
    # The rules are built to leave clean text alone, but they read the whole document's layout,
    # and an unusual text can read differently once cleaned (short lower-case list items look
    # like wrapped prose). Cleaning until nothing changes makes idempotence a guarantee. A full
    # extra cleaning costs as much as the first on a huge file, so `is_clean` first checks, in
    # one cheap pass, the conditions under which cleaning again provably changes nothing.
    for _ in range(MAX_PASSES):
        if is_clean(text, markdown=markdown):
            break
        again = _clean_once(text, markdown)
        if again == text:
            break
        text = again
    return text


def is_clean(text: str, *, markdown: bool | None = None) -> bool:
    """True when `clean_text(text, markdown=markdown)` is known to return `text` unchanged.

    A sufficient test, not a full one: it answers False (and the caller cleans again) whenever
    the Markdown path could be taken, as that path is not analysed here.
    """
    if markdown:
        return False
    if not is_repaired(text):
        return False
    if markdown is None and looks_like_markdown(text):
        return False
    return is_settled(text)


def _clean_once(raw: str, markdown: bool | None) -> str:
    text = repair_chars(raw)
    vocab = Vocabulary(text)
    if markdown is None:
        markdown = looks_like_markdown(text)
    paras = markdown_paragraphs(text, vocab) if markdown else plain_paragraphs(text, vocab)
    return "\n\n".join(finalize(paras))
