"""Every use of whoosh-reloaded's private parts, behind one door and one version check.

What belongs here: code that reaches into Whoosh beyond its public API — the faster segment
writer (`segwriter`), the build's segment-by-segment commit, reading posting blocks and
field-length columns directly (`internals`), and the lean way Whoosh is imported (`imports`).
Nothing else in ctsearch touches a private Whoosh name; `index/` and `searching/` call the
functions here.

These parts were written against one release (`WRITTEN_FOR`). With any other installed
version `SUPPORTED` is False: ctsearch then says so once on stderr and uses Whoosh's own
writer and plain Whoosh search (slower, same results), never our reading of private parts.
Importing this package first also makes the Whoosh imports that follow lighter (`imports`).
"""

from __future__ import annotations

import sys

from ctsearch.whoosh_ext import imports  # noqa: F401  (first: lean Whoosh imports)

# isort: split
import whoosh

__all__ = ["SUPPORTED", "WRITTEN_FOR", "installed_version"]

WRITTEN_FOR = (2, 7, 5)  # the whoosh-reloaded release pinned in pyproject.toml


def installed_version() -> tuple[int, ...]:
    """The installed whoosh-reloaded's version, as Whoosh reports it."""
    version = getattr(whoosh, "__version__", ())
    return tuple(v for v in version if isinstance(v, int))


SUPPORTED = installed_version()[:3] == WRITTEN_FOR

if not SUPPORTED:
    sys.stderr.write(
        f"warning: whoosh-reloaded {'.'.join(map(str, installed_version())) or '(unknown)'} is "
        f"not the version ctsearch was written for ({'.'.join(map(str, WRITTEN_FOR))}): "
        "using Whoosh's own writer and plain search (slower, same results)\n"
    )
