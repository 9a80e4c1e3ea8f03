"""Markdown → plain paragraphs: detect Markdown, split it into its blocks, remove its marks.

Web pages saved as Markdown (and .txt files that are Markdown inside) are searched and shown
without `**bold**`, `*italic*`, headings, rules, `[links](#)` or escapes. Detection needs more
than one sign, so that "5 * 3" or one list item does not turn plain text into Markdown.
"""

from __future__ import annotations

import re

from ctsearch.corpus.clean.lines import BULLET, BULLET_CHARS
from ctsearch.corpus.clean.repair import basic_chars, normalize_chars, unescape_entities
from ctsearch.corpus.clean.unwrap import Vocabulary, append_line

DETECT_CHARS = 200_000  # Markdown is recognised from the start of a text

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
# What each strong sign cannot match without (any one of the strings).
_MD_STRONG_NEEDS = (("#",), ("**", "__"), ("](",), ("<",), ("\\",), ("*",))
_ANY_BULLET = re.compile(f"[{BULLET_CHARS}]")
_LINE_BULLETS = re.compile(r"^[ \t]*" + BULLET.pattern[1:], re.MULTILINE)


def looks_like_markdown(text: str) -> bool:
    """Markdown if two kinds of strong marks (or three marks, or one with a list or a rule).

    Bullets are set aside first, as cleaning removes them: marks they hid must count already.
    """
    head = text[:DETECT_CHARS]
    text = _LINE_BULLETS.sub("", head) if "\n" in text and _ANY_BULLET.search(head) else head
    # A sign's regex only runs when the text holds the characters every match of it needs:
    # plain prose has none of them, and the scans were a seventh of ingestion.
    strong = [
        len(sign.findall(text)) if any(c in text for c in needs) else 0
        for sign, needs in zip(_MD_STRONG_SIGNS, _MD_STRONG_NEEDS, strict=True)
    ]
    kinds = sum(1 for n in strong if n)
    if kinds >= 2 or sum(strong) >= 3:
        return True
    return kinds >= 1 and any(sign.search(text) for sign in _MD_WEAK_SIGNS)


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
_MAX_NESTING = 5  # links may hold images, emphasis may nest


def markdown_paragraphs(text: str, vocab: Vocabulary) -> list[str]:
    """Markdown's own blocks (blank lines, headings, list items, quotes), then its marks removed.

    Lines inside a block are joined, hard line breaks ("  " or "\\" at the end) included.
    """
    blocks: list[list[str]] = [[]]
    fenced = False
    if "<!--" in text:
        text = _HTML_COMMENT.sub(" ", text)
    for line in text.split("\n"):
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
            append_line(parts, s, vocab)
        joined = "".join(parts)
        if joined:
            paras.append(normalize_chars(unescape_entities(basic_chars(strip_marks(joined)))))
    return paras


def strip_marks(s: str) -> str:
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
    for _ in range(_MAX_NESTING):
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
