"""ctsearch: full-text search over the record of the UN counter-terrorism conferences.

The Python API; the `ctsearch` command is a thin layer over it. Heavy modules (Whoosh, NLTK)
are imported lazily, inside the functions that need them, so that importing ctsearch is cheap.
"""

from __future__ import annotations

__version__ = "0.1.0"
