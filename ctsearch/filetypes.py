"""Which files are documents: one definition of the suffixes every stage agrees on.

Finding files (ingest), `ctsearch add`, `ctsearch watch`, the manifest and the build all ask
"is this a document?"; they import the answer from here so that a new format is added once.
No imports: the manifest's stat-only fast path and `watch` use it without loading anything.
"""

from __future__ import annotations

TEXT_SUFFIXES = (".txt", ".md")  # read as text: decoded, then repaired
PDF_SUFFIXES = (".pdf",)  # text layer extracted page by page (pdftext.py)
HTML_SUFFIXES = (".html", ".htm")  # main content and page metadata (webpage.py)
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + PDF_SUFFIXES + HTML_SUFFIXES
SIDECAR_SUFFIX = ".meta.toml"  # NAME.meta.toml beside NAME.txt / NAME.pdf / ...
PEOPLE_FILENAME = "people.toml"  # a user's additions to data/people.toml, at the corpus root


def is_document_name(name: str) -> bool:
    """True for a file name with a document suffix (any case), sidecars excepted."""
    low = name.lower()
    return low.endswith(DOCUMENT_SUFFIXES) and not low.endswith(SIDECAR_SUFFIX)


def kind_of(name: str) -> str:
    """ "pdf", "html" or "text" by the file name's suffix (any case)."""
    low = name.lower()
    if low.endswith(PDF_SUFFIXES):
        return "pdf"
    if low.endswith(HTML_SUFFIXES):
        return "html"
    return "text"
