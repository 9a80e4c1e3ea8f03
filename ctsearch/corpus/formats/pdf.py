"""PDF → page lines: the text layer of a PDF, page by page, with paragraph gaps kept.

Why pypdf: it is pure Python (no compiler, no system library), well kept, and hardened against
hostile files (decompression and size limits on every filter). Our documents are statements and
press releases laid out in reading order; pypdf gives their text in the order the page draws it,
which is that order (two columns drawn one after the other come out one after the other), and
its visitor reports where each line sits, from which we rebuild what pdfminer.six's layout
analysis would have given us: a blank line where the vertical gap between two lines is wider
than the document's line pitch (a paragraph break). pdfminer.six would also order boxes on
pages whose drawing order is not the reading order, but costs several times more per page,
and the 1,000-page corpus build is measured in benchmarks/.

The pages then go to `clean/pages.join_pages` (running headers, footers and page numbers at
page edges) and the usual repair pipeline (`clean/pipeline.py`: wraps, hyphenation). pypdf is
imported here, only when a PDF is read: the search path never pays for it.

A PDF is refused with a one-line DocumentError naming the file and why: encrypted with a
password, no text layer (a scanned image), broken or truncated beyond repair, a page tree
larger than MAX_PAGES (a "page bomb"), or more than MAX_SECONDS spent reading it.
"""

from __future__ import annotations

import io
import logging
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from ctsearch.corpus import read
from ctsearch.corpus.clean.pages import COLUMN_BREAK
from ctsearch.errors import DocumentError

MAX_PAGES = 5000  # a longer page tree is refused (real statements have tens of pages)
MAX_TREE_NODES = 4 * MAX_PAGES  # page-tree nodes visited before the tree counts as a bomb
MAX_SECONDS = 300.0  # a last resort: a PDF that takes longer than this to read is skipped
PARAGRAPH_GAP = 1.35  # a vertical step this many line pitches or more is a paragraph break
PITCH_QUANTILE = 0.2  # the line pitch is this quantile of the vertical steps between lines
HEADER_BYTES = 1024  # "%PDF-" must appear this early (as PDF readers allow some junk first)


@dataclass(frozen=True)
class PdfText:
    """A PDF's pages as lines ("" for a paragraph gap, COLUMN_BREAK where a new column
    starts), and its document information."""

    pages: list[list[str]]
    title: str | None = None
    author: str | None = None


def read_pdf(path: Path) -> PdfText:
    """The text layer of the PDF at `path`, page by page; DocumentError if it cannot be read."""
    path = Path(path)
    data = read.read_bytes(path)
    if b"%PDF-" not in data[:HEADER_BYTES]:
        raise DocumentError(f"{path}: not a PDF (no %PDF- header); rename it or remove it")
    try:
        return _read(data, path)
    except DocumentError:
        raise
    except RecursionError:
        raise DocumentError(f"{path}: broken PDF (objects nested too deeply)") from None
    except MemoryError:
        raise DocumentError(f"{path}: broken PDF (too large to read in memory)") from None
    except Exception as exc:  # pypdf raises many kinds for broken files; each is a skip
        raise DocumentError(f"{path}: broken PDF ({read.first_line(exc)})") from None


def _read(data: bytes, path: Path) -> PdfText:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    started = time.monotonic()
    with _quiet():
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # permissions-only encryption opens without one
            except (DependencyError, NotImplementedError) as exc:
                raise DocumentError(f"{path}: encrypted ({read.first_line(exc)})") from None
            if not opened:
                raise DocumentError(f"{path}: encrypted (a password is needed to open it)")
        _check_page_tree(reader, path)
        try:
            pages = reader.pages
            n = len(pages)
        except FileNotDecryptedError:
            raise DocumentError(f"{path}: encrypted (a password is needed to open it)") from None
        placed: list[list[_Line]] = []
        seen_contents: set[tuple] = set()
        has_images = False
        for i in range(n):
            if time.monotonic() - started > MAX_SECONDS:
                raise DocumentError(f"{path}: took over {MAX_SECONDS:.0f} s to read: skipped")
            page = pages[i]
            key = _contents_key(page)
            if key is not None and key in seen_contents:
                # The same drawing again (a bomb repeats one stream on every page; real
                # documents do not): its text would only repeat too.
                placed.append([])
                continue
            if key is not None:
                seen_contents.add(key)
            lines = _page_lines(page)
            if not any(line.text.strip() for line in lines):
                has_images = has_images or _has_images(page)
            placed.append(lines)
        info = _info(reader)
    if not any(line.text.strip() for lines in placed for line in lines):
        if has_images:
            raise DocumentError(f"{path}: no text layer: scanned image (run OCR on it first)")
        raise DocumentError(f"{path}: no text in this PDF (blank pages)")
    return PdfText(pages=_with_gaps(placed), title=info[0], author=info[1])


@dataclass(frozen=True)
class _Line:
    y: float  # baseline height on the page (PDF units, growing upwards)
    size: float  # font size in PDF units
    text: str


def _page_lines(page) -> list[_Line]:
    """The page's lines as pypdf draws them, each with its height on the page."""
    lines: list[_Line] = []
    parts: list[str] = []
    where: list[tuple[float, float]] = []  # (y, size) of the line's first visible text

    def flush() -> None:
        text = "".join(parts)
        if text.strip() and where:
            lines.append(_Line(where[0][0], where[0][1], text))
        parts.clear()
        where.clear()

    def visit(text, cm, tm, _font, size) -> None:
        if not text:
            return
        pieces = text.split("\n")
        for k, piece in enumerate(pieces):
            if k:
                flush()
            if not piece:
                continue
            if not where and piece.strip():
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                scale = abs(tm[3] * cm[3]) or abs(tm[0] * cm[0]) or 1.0
                where.append((y, (size or 1.0) * scale))
            parts.append(piece)

    page.extract_text(visitor_text=visit)
    flush()
    return lines


def _with_gaps(pages: list[list[_Line]]) -> list[list[str]]:
    """Lines as text, with "" where a vertical gap wider than the line pitch separates two
    (a paragraph break) and "\f" where the text goes back up the page (a new column)."""
    steps = sorted(
        a.y - b.y
        for lines in pages
        for a, b in zip(lines, lines[1:], strict=False)
        if 0 < a.y - b.y < 3 * max(a.size, b.size)
    )
    # The line pitch: a low quantile of the steps, as in a text of short paragraphs most steps
    # are gaps. When no step is a gap's size (one-line paragraphs only, or double spacing),
    # the gaps tell nothing: no blank lines, and unwrap.plain_paragraphs reads the lines.
    pitch = steps[int(len(steps) * PITCH_QUANTILE)] if steps else 0.0
    if not steps or steps[-1] <= PARAGRAPH_GAP * pitch:
        pitch = 0.0
    out: list[list[str]] = []
    for lines in pages:
        texts: list[str] = []
        for i, line in enumerate(lines):
            if i and pitch:
                step = lines[i - 1].y - line.y
                if step > PARAGRAPH_GAP * pitch:
                    texts.append("")
                elif step < -pitch:
                    texts.append(COLUMN_BREAK)
            texts.append(line.text)
        out.append(texts)
    return out


def _check_page_tree(reader, path: Path) -> None:
    """Count the page tree's leaves without building pages; refuse a tree over MAX_PAGES or one
    that reaches a node twice (a loop, or a small file that claims millions of pages)."""
    from pypdf.generic import IndirectObject

    root = reader.trailer["/Root"].get_object()
    stack = [root.get("/Pages")]
    seen: set[int] = set()
    leaves = nodes = 0
    while stack:
        ref = stack.pop()
        if isinstance(ref, IndirectObject):
            if ref.idnum in seen:
                raise DocumentError(f"{path}: broken PDF (its page tree repeats itself)")
            seen.add(ref.idnum)
        node = ref.get_object() if ref is not None else None
        nodes += 1
        if nodes > MAX_TREE_NODES:
            raise DocumentError(f"{path}: too many pages (over {MAX_TREE_NODES:,} page-tree nodes)")
        if node is None or not hasattr(node, "get"):
            continue
        kids = node.get("/Kids")
        if kids is None:
            leaves += 1
            if leaves > MAX_PAGES:
                raise DocumentError(f"{path}: too many pages (over {MAX_PAGES:,})")
            continue
        kids = kids.get_object()
        if len(kids) > MAX_TREE_NODES:
            raise DocumentError(f"{path}: too many pages (over {MAX_PAGES:,})")
        stack.extend(reversed(list(kids)))


def _contents_key(page) -> tuple | None:
    """The page's content streams by object number (None when they are direct objects)."""
    from pypdf.generic import IndirectObject

    raw = page.get("/Contents")
    refs = raw if isinstance(raw, IndirectObject) else None
    if refs is not None:
        target = refs.get_object()
        if isinstance(target, list):
            items = target
        else:
            return (refs.idnum,)
    elif isinstance(raw, list):
        items = raw
    else:
        return None
    ids = tuple(r.idnum for r in items if isinstance(r, IndirectObject))
    return ids if ids and len(ids) == len(items) else None


def _has_images(page) -> bool:
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            return False
        for ref in xobjects.get_object().values():
            if ref.get_object().get("/Subtype") == "/Image":
                return True
    except Exception:
        return False
    return False


def _info(reader) -> tuple[str | None, str | None]:
    try:
        meta = reader.metadata
    except Exception:
        return None, None
    if not meta:
        return None, None
    return read.one_line(meta.get("/Title")), read.one_line(meta.get("/Author"))


class _quiet:
    """pypdf reports what it repairs through logging and warnings; the caller reports one line
    per file, so inside a read those messages are muted."""

    def __enter__(self) -> None:
        self._logger = logging.getLogger("pypdf")
        self._level = self._logger.level
        self._logger.setLevel(logging.CRITICAL + 1)
        self._warnings = warnings.catch_warnings()
        self._warnings.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc_info) -> None:
        self._warnings.__exit__(*exc_info)
        self._logger.setLevel(self._level)
