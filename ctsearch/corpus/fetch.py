"""`ctsearch add URL`: fetch a web page or PDF, keep its original bytes under a safe name.

The standard library's urllib does the fetching (no new dependency for one GET): a timeout on
every connect and read plus an overall deadline, at most MAX_REDIRECTS redirects and only to
http(s), a size limit checked on the announced length and again while reading, and the content
type checked against the bytes (a PDF must start like one; an address that answers with an
image or a zip is refused). Every failure is a one-line DocumentError naming the address;
nothing is written for it. What is kept is exactly what the server sent: the corpus holds the
original, and ingestion reads it like any other file of its format.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

from ctsearch.errors import DocumentError

TIMEOUT = 20.0  # seconds for the connection and for each read
DEADLINE = 120.0  # seconds for the whole download
MAX_REDIRECTS = 5
CHUNK = 1 << 16
USER_AGENT = "ctsearch (+https://github.com/ctsearch; document indexer)"
MAX_NAME = 120  # characters of the file name derived from the address, suffix included
# What each accepted content type is stored as; anything else is refused.
_TYPES = {
    "application/pdf": ".pdf",
    "application/x-pdf": ".pdf",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
}
_URL = re.compile(r"[a-z][a-z0-9+.-]*://", re.IGNORECASE)


@dataclass(frozen=True)
class Fetched:
    """A downloaded document: where its address ended up, its bytes and suffix."""

    final_url: str
    data: bytes
    suffix: str  # ".pdf" or ".html"
    name: str  # a safe file name derived from the address


def is_url(arg: str) -> bool:
    """True for an argument written as an address (scheme://...) rather than a file path."""
    return _URL.match(str(arg)) is not None


def fetch(url: str) -> Fetched:
    """Download `url` (http or https); DocumentError("url: why") on any failure."""
    import socket
    import urllib.error
    import urllib.parse
    import urllib.request

    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme.lower() not in ("http", "https") or not parsed.hostname:
        raise DocumentError(f"{url}: not an http(s) address; ctsearch fetches http and https")
    opener = urllib.request.build_opener(_redirect_handler())
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT})
    started = time.monotonic()
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            final = response.geturl()
            ctype = (response.headers.get_content_type() or "").lower()
            declared = response.headers.get("Content-Type")
            suffix = _suffix_for(ctype if declared else None, url)
            limit = _limit_for(suffix)
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise DocumentError(f"{url}: too large ({_mib(int(length))}, over {_mib(limit)})")
            data = _read(response, url, limit, started)
    except DocumentError:
        raise
    except urllib.error.HTTPError as exc:
        raise DocumentError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise DocumentError(f"{url}: timed out after {TIMEOUT:.0f} s") from None
        raise DocumentError(f"{url}: cannot connect ({_short(reason)})") from None
    except TimeoutError:
        raise DocumentError(f"{url}: timed out after {TIMEOUT:.0f} s") from None
    except (OSError, ValueError) as exc:  # connection reset, bad status line, bad chunking
        raise DocumentError(f"{url}: download failed ({_short(exc)})") from None
    suffix = _check_bytes(url, data, suffix)
    return Fetched(final_url=final, data=data, suffix=suffix, name=safe_name(url, suffix))


_ACCEPT = "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.1"


def _read(response, url: str, limit: int, started: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    read = getattr(response, "read1", None) or response.read
    while True:
        if time.monotonic() - started > DEADLINE:
            raise DocumentError(f"{url}: download took over {DEADLINE:.0f} s")
        chunk = read(CHUNK)  # what has arrived: a trickling server meets the deadline
        if not chunk:
            break
        size += len(chunk)
        if size > limit:
            raise DocumentError(f"{url}: too large (over {_mib(limit)})")
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data:
        raise DocumentError(f"{url}: the server sent an empty document")
    return data


def _suffix_for(ctype: str | None, url: str) -> str | None:
    """The suffix for the declared content type; None to decide from the bytes (no type, or a
    generic one); DocumentError for a type that is neither a web page nor a PDF."""
    if ctype is None or ctype in ("application/octet-stream", "binary/octet-stream"):
        return None
    if ctype in _TYPES:
        return _TYPES[ctype]
    raise DocumentError(
        f"{url}: unsupported content type {ctype}; ctsearch adds web pages and PDFs"
    )


def _check_bytes(url: str, data: bytes, suffix: str | None) -> str:
    """The suffix the bytes bear out: a PDF must start like one, a web page must not."""
    head = data[:1024]
    is_pdf = b"%PDF-" in head
    if suffix == ".pdf" and not is_pdf:
        raise DocumentError(f"{url}: announced as a PDF but is not one (no %PDF- header)")
    if is_pdf:
        return ".pdf"
    if suffix is None and not re.search(rb"<(?:!doctype html|html|head|body)\b", head.lower()):
        raise DocumentError(f"{url}: neither a web page nor a PDF (no content type, no HTML)")
    return ".html"


def _limit_for(suffix: str | None) -> int:
    from ctsearch.corpus.formats.html import MAX_PAGE_BYTES
    from ctsearch.corpus.read import MAX_FILE_BYTES

    return MAX_PAGE_BYTES if suffix == ".html" else MAX_FILE_BYTES


def safe_name(url: str, suffix: str) -> str:
    """A file name for the document at `url`: host and path as letters, digits, ".", "-", "_"
    ("www.un.org/sg/en/x" → "un.org_sg_en_x.html"), never hidden, at most MAX_NAME characters,
    ending in `suffix`; a query string or a cut adds a short hash so that addresses differ."""
    import urllib.parse

    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "site").lower().removeprefix("www.")
    if parts.port:
        host = f"{host}-{parts.port}"
    path = urllib.parse.unquote(parts.path).strip("/")
    stem = f"{host}_{path}" if path else host
    low = stem.lower()
    for known in (".pdf", ".html", ".htm", ".php", ".aspx", ".asp", ".jsp"):
        if low.endswith(known):
            stem = stem[: -len(known)]
            break
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem.replace("/", "_"))
    stem = re.sub(r"_{2,}", "_", stem).strip("._-") or "document"
    room = MAX_NAME - len(suffix)
    if parts.query or len(stem) > room:
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]
        stem = f"{stem[: room - 11].rstrip('._-')}-{digest}"
    return stem + suffix


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def _short(reason: object) -> str:
    text = " ".join(str(getattr(reason, "strerror", None) or reason).split())
    return text[:120] or type(reason).__name__


def _redirect_handler():
    """A redirect handler (a class made on first use: urllib is imported lazily)."""
    import urllib.request

    class Redirects(urllib.request.HTTPRedirectHandler):
        """At most MAX_REDIRECTS redirects, and only to http(s) addresses."""

        max_redirections = MAX_REDIRECTS

        def redirect_request(self, req, fp, code, msg, headers, newurl):
            if not re.match(r"https?://", newurl, re.IGNORECASE):
                raise DocumentError(f"{req.full_url}: redirected to a non-http address {newurl}")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return Redirects()
