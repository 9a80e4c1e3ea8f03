"""The corpus folder's conventions, defined once: which files are documents, their sidecars,
the people file.

- Documents: every `*.txt` and `*.md` (text), `*.pdf` and `*.html` / `*.htm` (any case: `.TXT`
  too) under the corpus, hidden files and folders left out. `kind_of` says which reader in
  `formats/` a name goes to. A new format is added here once: finding files, `add`, `watch`,
  the manifest and the build all ask these functions.
- Sidecar: `NAME.meta.toml` beside `NAME.txt` / `NAME.pdf` / ..., metadata that wins over
  extraction; never a document itself.
- People: `people.toml` at the corpus root extends the built-in `ctsearch/data/people.toml`.
- Why a file cannot be read: `os_cause`, the one wording of an OSError in every message.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

__all__ = [
    "BUILTIN_PEOPLE",
    "DOCUMENT_SUFFIXES",
    "HTML_SUFFIXES",
    "PDF_SUFFIXES",
    "PEOPLE_FILENAME",
    "SIDECAR_SUFFIX",
    "TEXT_SUFFIXES",
    "is_document_name",
    "is_sidecar_name",
    "kind_of",
    "os_cause",
    "people_path",
    "sidecar_path",
]

# Compared in lowercase.
TEXT_SUFFIXES = (".txt", ".md")  # read as text: decoded, then repaired
PDF_SUFFIXES = (".pdf",)  # text layer extracted page by page (formats/pdf.py)
HTML_SUFFIXES = (".html", ".htm")  # main content and page metadata (formats/html.py)
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + PDF_SUFFIXES + HTML_SUFFIXES
SIDECAR_SUFFIX = ".meta.toml"
PEOPLE_FILENAME = "people.toml"  # a corpus's additions to the built-in people, at its root
BUILTIN_PEOPLE = Path(__file__).resolve().parent.parent / "data" / PEOPLE_FILENAME

P = TypeVar("P", str, Path)


def is_sidecar_name(name: str) -> bool:
    """True for NAME.meta.toml (any case)."""
    return name.lower().endswith(SIDECAR_SUFFIX)


def is_document_name(name: str) -> bool:
    """True for a file name ingestion reads as a document (a DOCUMENT_SUFFIXES suffix, any
    case; not hidden)."""
    return not name.startswith(".") and name.lower().endswith(DOCUMENT_SUFFIXES)


def kind_of(name: str) -> str:
    """ "pdf", "html" or "text" by the file name's suffix (any case)."""
    low = name.lower()
    if low.endswith(PDF_SUFFIXES):
        return "pdf"
    if low.endswith(HTML_SUFFIXES):
        return "html"
    return "text"


def sidecar_path(path: P) -> P:
    """NAME.meta.toml beside NAME.txt, NAME.pdf, ... (a str for a str: the manifest's hot
    loop)."""
    if isinstance(path, str):
        dot = path.rfind(".")
        return (path[:dot] if dot > path.rfind(os.sep) else path) + SIDECAR_SUFFIX
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def people_path(corpus: Path) -> Path:
    """The corpus's own people file (which may not exist)."""
    return Path(corpus) / PEOPLE_FILENAME


def os_cause(err: OSError) -> str:
    """Why a file or folder could not be read, as a message says it: "permission denied",
    "no such file or directory", ... (lowercase, the exception's name when it has no text)."""
    if isinstance(err, PermissionError):
        return "permission denied"
    return (err.strerror or type(err).__name__).lower()
