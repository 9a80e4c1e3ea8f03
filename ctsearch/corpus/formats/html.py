"""Web page → article text and the page's own metadata.

A saved page is mostly not the article: navigation, menus, share buttons, footers, cookie
banners. `trafilatura` finds the main content (well kept, and better at it than rules of our
own: it scores the page's blocks by text density and markup) and reads the metadata the page
declares about itself — `<title>`, Open Graph, Dublin Core, `article:published_time`, author,
canonical address. That metadata is evidence for the metadata step beside the text
(documents/parse.py), never a replacement for it; a sidecar still wins over both.

Bytes are decoded here, not by the parser: pages saved from a browser often declare a
`<meta charset>` that lies (cp1252 bytes declared UTF-8). Valid UTF-8 is read as UTF-8, a
declared legacy encoding is used when the bytes fit it, and anything else goes through
`read.decode_bytes` (UTF-8 with stray bytes read as cp1252). trafilatura (and lxml) are
imported only when a page is read.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from ctsearch.corpus import read
from ctsearch.errors import DocumentError

# Pages above this are refused before parsing: a real article page is well under 2 MiB, and
# reading one takes ~1 s and ~40 MB a MiB (trafilatura itself refuses pages over 20 MB).
MAX_PAGE_BYTES = 10 * 1024 * 1024
_SNIFF = 4096  # the charset declaration must come this early (the HTML standard says 1,024)
_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE | re.DOTALL
)
_UTF8_NAMES = {"utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8"}


@dataclass(frozen=True)
class WebPage:
    """A page's main text (one paragraph a line) and what the page says about itself."""

    text: str
    title: str | None = None
    date: str | None = None  # YYYY-MM-DD, from the page's metadata only
    author: str | None = None
    url: str | None = None


def read_html(path: Path) -> WebPage:
    """The article of the web page at `path` and its metadata; DocumentError if there is none."""
    path = Path(path)
    data = read.read_bytes(path, MAX_PAGE_BYTES)
    try:
        return extract_page(decode_html(data))
    except DocumentError as exc:
        raise DocumentError(f"{path}: {exc}") from None
    except RecursionError:
        raise DocumentError(f"{path}: web page nested too deeply to read") from None
    except Exception as exc:  # lxml/trafilatura errors on a broken page are a skip, not a crash
        reason = read.first_line(exc)
        raise DocumentError(f"{path}: web page could not be read ({reason})") from None


def decode_html(data: bytes) -> str:
    """A page's text: a BOM decides, then valid UTF-8, then the declared charset if the bytes
    fit it, then read.decode_bytes (which reads stray non-UTF-8 bytes as cp1252)."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):  # fmt: skip
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _declared(data[:_SNIFF])
    if declared and declared not in _UTF8_NAMES:
        try:
            codec = codecs.lookup(declared).name
            if codec in ("latin-1", "iso8859-1", "ascii"):
                codec = "cp1252"  # what browsers do: the WHATWG maps these labels to windows-1252
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return read.decode_bytes(data)
    except DocumentError as exc:
        raise DocumentError(f"not a web page ({exc})") from None


def _declared(head: bytes) -> str | None:
    m = _CHARSET.search(head)
    return m.group(1).decode("ascii").lower() if m else None


def extract_page(html: str) -> WebPage:
    """Main text and metadata of a page's HTML (trafilatura); DocumentError without text."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        # Precision over recall: a short article must not pull the menus in with it.
        favor_precision=True,
        # Dates from the page's metadata only, not guessed from its text or address: the text's
        # own dateline is read by the metadata step.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise DocumentError("no article text found in this web page")
    date = getattr(doc, "date", None)
    return WebPage(
        text=text,
        title=_field(doc, "title"),
        date=date if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None,
        author=_field(doc, "author"),
        url=_field(doc, "url"),
    )


def _field(doc, name: str) -> str | None:
    return read.one_line(getattr(doc, name, None) or None)
