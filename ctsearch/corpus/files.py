"""The corpus folder's conventions, defined once: which files are documents, their sidecars,
the people file.

- Documents: every `*.txt` and `*.md` (any case: `.TXT` too) under the corpus, hidden files
  and folders left out.
- Sidecar: `NAME.meta.toml` beside `NAME.txt` / `NAME.md`, metadata that wins over extraction;
  never a document itself.
- People: `people.toml` at the corpus root extends the built-in `ctsearch/data/people.toml`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

__all__ = [
    "BUILTIN_PEOPLE",
    "DOCUMENT_SUFFIXES",
    "PEOPLE_FILENAME",
    "SIDECAR_SUFFIX",
    "is_document_name",
    "is_sidecar_name",
    "people_path",
    "sidecar_path",
]

DOCUMENT_SUFFIXES = (".txt", ".md")  # compared in lowercase
SIDECAR_SUFFIX = ".meta.toml"
PEOPLE_FILENAME = "people.toml"  # a corpus's additions to the built-in people, at its root
BUILTIN_PEOPLE = Path(__file__).resolve().parent.parent / "data" / PEOPLE_FILENAME

P = TypeVar("P", str, Path)


def is_sidecar_name(name: str) -> bool:
    """True for NAME.meta.toml (any case)."""
    return name.lower().endswith(SIDECAR_SUFFIX)


def is_document_name(name: str) -> bool:
    """True for a file name ingestion reads as a document (.txt or .md, any case; not hidden)."""
    return not name.startswith(".") and name.lower().endswith(DOCUMENT_SUFFIXES)


def sidecar_path(path: P) -> P:
    """NAME.meta.toml beside NAME.txt or NAME.md (a str for a str: the manifest's hot loop)."""
    if isinstance(path, str):
        dot = path.rfind(".")
        return (path[:dot] if dot > path.rfind(os.sep) else path) + SIDECAR_SUFFIX
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def people_path(corpus: Path) -> Path:
    """The corpus's own people file (which may not exist)."""
    return Path(corpus) / PEOPLE_FILENAME
