"""A corpus file → its raw text and what the file itself says about the document, by format.

Plain text (.txt, .md) is decoded (`corpus/read.py`); a PDF's text layer is read page by page
(`pdf.py`) and its page furniture taken out (`clean/pages.join_pages`); a web page's article is
found (`html.py`). All three then go through the same repair pipeline (`clean/pipeline.py`, run
by the caller), so passages and offsets work the same whatever the format. The format is told by
the file name (`corpus/files.kind_of`); pypdf and trafilatura are imported only when a file of
theirs is read. `Evidence` is metadata the file states apart
from its text — a page's <title>, publication date, author and address, a PDF's title and
author — which documents/parse.py weighs beside what the text says (a sidecar wins over both).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ctsearch.corpus.files import kind_of


@dataclass(frozen=True)
class Evidence:
    """Metadata a file states about itself, apart from its text."""

    title: str | None = None
    date: str | None = None  # YYYY-MM-DD
    author: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Source:
    """A file's raw text, whether it is Markdown (None: let the cleaner tell), its evidence."""

    text: str
    markdown: bool | None = None
    evidence: Evidence | None = None


def read_source(path: Path) -> Source:
    """Read one corpus file by its format; DocumentError naming the file if it cannot be read."""
    path = Path(path)
    kind = kind_of(path.name)
    if kind == "pdf":
        from ctsearch.corpus.clean.pages import join_pages
        from ctsearch.corpus.formats.pdf import read_pdf

        pdf = read_pdf(path)
        evidence = Evidence(title=pdf.title, author=pdf.author)
        return Source(join_pages(pdf.pages), markdown=False, evidence=evidence)
    if kind == "html":
        from ctsearch.corpus.formats.html import read_html

        page = read_html(path)
        # One paragraph a line in trafilatura's text: blank lines make each one a paragraph.
        paras = [" ".join(line.split()) for line in page.text.split("\n") if line.strip()]
        if page.title and not _has_title(paras, page.title):
            paras.insert(0, page.title)  # the title read as the text's first line, as in a .txt
        text = "\n\n".join(paras)
        evidence = Evidence(title=page.title, date=page.date, author=page.author, url=page.url)
        return Source(text, markdown=False, evidence=evidence)
    from ctsearch.corpus import read

    # .md is Markdown; for anything else let the cleaner detect it (seed 003 is Markdown in .txt).
    markdown = True if path.suffix.lower() == ".md" else None
    return Source(read.read_text(path), markdown=markdown)


TITLE_LOOKAHEAD = 3  # paragraphs at the top of an article where its own heading may stand


def _has_title(paras: list[str], title: str) -> bool:
    """The page's title already heads its article (as an <h1>, perhaps with a site name
    appended to the <title>, or the heading longer than the title)."""
    want = _fold(title)
    for para in paras[:TITLE_LOOKAHEAD]:
        have = _fold(para)
        if have and (have == want or have.startswith(want) or want.startswith(have)):
            return True
    return False


def _fold(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())
