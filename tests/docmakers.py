"""Build real-shaped PDFs and web pages from the seed texts, for the format tests.

PDFs are laid out line by line as a word processor would: wrapped at a margin, a gap between
paragraphs, a running header and a page number on every page, a word hyphenated at a line end,
and (optionally) one page in two columns, drawn one column after the other. Web pages wrap the
article in what a real site puts around it: navigation, a menu, a cookie banner, a footer.
"""

from __future__ import annotations

import html
from pathlib import Path

PAGE_W, PAGE_H = 420.0, 595.0  # A5 in points: even the shortest seed text fills two pages
MARGIN = 54.0
FONT_SIZE = 11.0
LEADING = 14.0  # baseline to baseline
PARA_GAP = 9.0  # extra space between paragraphs
TOP, BOTTOM = 100.0, 530.0  # the body's first baseline and lowest baseline
COLUMN_GAP = 24.0
HEADER = "United Nations Office of Counter-Terrorism"
_COMPOUND = ("anti", "co", "counter", "cross", "cyber", "multi", "non", "post", "pre", "self")

# The seed texts of corpus/, and what a PDF or web page made of one must give back.
SEEDS = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))
META = ("title", "doc_type", "date", "year", "place", "conference", "speakers")


def parsed_seed(seed: Path):
    """The Document a seed text parses to (its doc_id taken from its own folder)."""
    from ctsearch.documents.parse import parse_file

    return parse_file(seed, corpus_root=seed.parent)


def meta_of(doc) -> dict:
    """The metadata fields of `doc` another format of the same text must match."""
    data = doc.to_dict()
    return {key: data[key] for key in META}


def passages_of(doc) -> list[tuple[str, tuple[str, ...]]]:
    """`doc`'s passages as (text, speakers)."""
    return [(p.text, p.speakers) for p in doc.passages]


def paragraphs_of(text: str) -> list[str]:
    """A cleaned text's paragraphs (one a line, blank lines between)."""
    return [p for p in text.split("\n\n") if p.strip()]


def make_pdf(
    path: Path,
    paragraphs: list[str],
    *,
    two_column_page: int | None = 2,
    hyphenate: int = 3,
    header: str | None = HEADER,
    page_numbers: bool = True,
    user_password: str | None = None,
    owner_password: str | None = None,
    title: str | None = None,
) -> Path:
    """Lay `paragraphs` out on A4 pages and write the PDF; returns `path`.

    `two_column_page`: that page (1-based) is set in two columns; `hyphenate`: up to that many
    line ends split a long word with a hyphen; passwords encrypt it (RC4, readable by pypdf
    without extra libraries)."""
    from fpdf import FPDF

    pdf = FPDF(format=(PAGE_W, PAGE_H), unit="pt")
    pdf.core_fonts_encoding = "windows-1252"  # curly quotes and dashes in the core font
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=FONT_SIZE)
    if title:
        pdf.set_title(title)
    state = {"page": 0, "col": 0, "cols": 1, "y": 0.0, "hyphens": hyphenate}

    def new_page() -> None:
        pdf.add_page()
        state["page"] += 1
        state["cols"] = 2 if state["page"] == two_column_page else 1
        state["col"], state["y"] = 0, TOP
        if header:
            pdf.text(MARGIN, 50, header)
        if page_numbers:
            label = str(state["page"])
            pdf.text((PAGE_W - pdf.get_string_width(label)) / 2, PAGE_H - 30, label)

    def column_width() -> float:
        full = PAGE_W - 2 * MARGIN
        return full if state["cols"] == 1 else (full - COLUMN_GAP) / 2

    def next_line() -> None:
        state["y"] += LEADING
        if state["y"] > BOTTOM:
            if state["col"] + 1 < state["cols"]:
                state["col"] += 1
                state["y"] = TOP
            else:
                new_page()

    def put(line: str) -> None:
        x = MARGIN + state["col"] * (column_width() + COLUMN_GAP)
        pdf.text(x, state["y"], line)

    new_page()
    for n, para in enumerate(paragraphs):
        if n:
            state["y"] += PARA_GAP
            if state["y"] > BOTTOM:
                next_line()
        words = para.split()
        line = ""
        i = 0
        while i < len(words):
            word = words[i]
            trial = f"{line} {word}" if line else word
            if pdf.get_string_width(trial) <= column_width():
                line, i = trial, i + 1
                continue
            if not line:  # a word wider than the column: put it alone
                line, i = word, i + 1
            elif state["hyphens"] > 0 and _splittable(word):
                head = word[: len(word) // 2]
                if pdf.get_string_width(f"{line} {head}-") <= column_width():
                    line = f"{line} {head}-"
                    words[i] = word[len(head) :]
                    state["hyphens"] -= 1
            put(line)
            next_line()
            line = ""
        if line:
            put(line)
            next_line()
    if user_password is not None or owner_password is not None:
        from fpdf.enums import EncryptionMethod

        pdf.set_encryption(
            owner_password=owner_password or "owner",
            user_password=user_password or "",
            encryption_method=EncryptionMethod.RC4,
        )
    pdf.output(str(path))
    return Path(path)


def _splittable(word: str) -> bool:
    """A plain lower-case word long enough to hyphenate, not one that reads as a compound."""
    return len(word) >= 9 and word.isalpha() and word.islower() and not word.startswith(_COMPOUND)


def make_image_pdf(path: Path, pages: int = 2) -> Path:
    """A "scanned" PDF: each page one image, no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    pdf = FPDF(format="A4", unit="pt")
    for n in range(pages):
        img = Image.new("L", (400, 560), 255)
        draw = ImageDraw.Draw(img)
        for row in range(40, 520, 18):  # grey bars where lines of text would be
            draw.rectangle((30, row, 370 - (row * 7 + n) % 90, row + 8), fill=60)
        pdf.add_page()
        pdf.image(img, x=MARGIN, y=MARGIN, w=PAGE_W - 2 * MARGIN)
    pdf.output(str(path))
    return Path(path)


def make_html(
    paragraphs: list[str],
    *,
    title: str,
    published: str | None = None,
    author: str | None = None,
    url: str | None = None,
    charset: str = "utf-8",
    site: str = "United Nations",
) -> str:
    """A page as a real site serves it: the article (an <h1> and its paragraphs) inside
    navigation, a menu, a cookie banner, share links and a footer."""
    e = html.escape
    meta = [f'<meta charset="{charset}">', f"<title>{e(title)} | {e(site)}</title>"]
    meta.append(f'<meta property="og:title" content="{e(title)}">')
    meta.append(f'<meta property="og:site_name" content="{e(site)}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{e(published)}">')
    if author:
        meta.append(f'<meta name="author" content="{e(author)}">')
    if url:
        meta.append(f'<meta property="og:url" content="{e(url)}">')
        meta.append(f'<link rel="canonical" href="{e(url)}">')
    nav = "".join(
        f'<li><a href="/{w.lower()}">{w}</a></li>'
        for w in ("Home", "About", "News", "Events", "Resources", "Contact")
    )
    body = "\n".join(f"<p>{e(p)}</p>" for p in paragraphs[1:])
    return f"""<!DOCTYPE html>
<html lang="en"><head>{"".join(meta)}
<style>.cookie {{ position: fixed; bottom: 0 }}</style>
<script>window.dataLayer = window.dataLayer || [];</script></head>
<body>
<div id="cookie-consent" class="cookie-banner cookie"><p>This website uses cookies to improve
your experience. By continuing to browse you accept our use of cookies.</p>
<button>Accept all cookies</button> <button>Manage preferences</button></div>
<header class="site-header"><div class="logo">{e(site)}</div>
<nav class="main-menu"><ul>{nav}</ul></nav>
<form class="search"><input name="q" placeholder="Search"></form></header>
<div class="breadcrumb"><a href="/">Home</a> / <a href="/news">News</a></div>
<main><article class="node-content">
<h1>{e(paragraphs[0])}</h1>
{body}
</article>
<aside class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></aside></main>
<footer class="site-footer"><ul><li><a href="/copyright">Copyright</a></li>
<li><a href="/privacy">Privacy notice</a></li><li><a href="/fraud">Fraud alert</a></li>
<li><a href="/terms">Terms of use</a></li></ul>
<p>United Nations Office of Counter-Terrorism, 405 East 42nd Street, New York</p></footer>
</body></html>
"""
