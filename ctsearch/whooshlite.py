"""Import Whoosh without the standard-library modules it loads but never uses on our path.

Importing this module before any other Whoosh import saves most of Whoosh's incidental import
time (the speed issue: `ctsearch search` should answer as fast as the interpreter allows). While
the Whoosh modules a search uses are imported, these are served by stand-ins
(`ctsearch.lazyimport`: the real module loads on first use of an attribute):

- `urllib.request` (`whoosh.compat` binds `urlretrieve`; pulls in `http.client`, `email`,
  `ssl`...), `queue` and `html` (`escape`; `html.entities` is a 100 kB table), all from
  `whoosh.compat`. Nothing on our path calls them.
- `cached_property` (`whoosh.reading`): that package imports `asyncio` for variants Whoosh does
  not use; served as `functools.cached_property`, which caches the same way (in the instance's
  `__dict__`).
- `whoosh.lang.morph_en` (`whoosh.query.terms`): a 25 ms table of English word forms, used only
  by `Variations` queries, which ctsearch never builds.
- `hashlib` (`whoosh.filedb.filetables` binds `md5`, for its term tables): served by the
  built-in `_md5` module, which computes the same digests without loading OpenSSL.
- `shutil` (`copyfileobj`, used when writing compound files; pulls in `bz2` and `lzma`),
  `tempfile` (temporary storage), `random` (temporary names, `whoosh.classify` sampling) and
  `calendar` (date arithmetic in `whoosh.util.times`): not used by a search.

The stand-ins leave `sys.modules` right after, so any later `import urllib.request` (or
`tempfile`, `hashlib`...) anywhere in the process gets the real module. If Whoosh is already
imported (someone imported it first), nothing is done. Garbage collection is paused while
Whoosh is imported (`lazyimport.paused_gc`). `tests/test_whooshlite.py` checks that
search results are identical with and without it.
"""

from __future__ import annotations

import functools
import sys
import types

from .lazyimport import import_with_stand_ins, lazy_function, stand_in

__all__ = ["STAND_INS", "TARGETS", "WHOOSH_VERSION", "check_version"]

# The whoosh-reloaded release pinned in pyproject.toml. ctsearch reaches into its internals
# (segwriter.py, pinned.py, opened.py, topk.py, matchers.py...): another release may break
# them silently, so a process that finds another one says so, once, on stderr.
WHOOSH_VERSION = (2, 7, 5)


def _md5() -> object:
    try:
        from _md5 import md5  # CPython's own MD5: same digests as hashlib's OpenSSL one
    except ImportError:  # a build without it: hashlib, imported on first use
        return lazy_function("hashlib", "md5")
    return md5


# Module asked for -> the stand-in served while the Whoosh modules below are imported.
STAND_INS: dict[str, types.ModuleType] = {
    "urllib.request": stand_in("urllib.request", "urlretrieve"),
    "queue": stand_in("queue"),
    "html": stand_in("html", "escape"),
    "cached_property": stand_in("cached_property", cached_property=functools.cached_property),
    "whoosh.lang.morph_en": stand_in("whoosh.lang.morph_en", "variations"),
    "hashlib": stand_in("hashlib", md5=_md5()),
    "shutil": stand_in("shutil", "copyfileobj"),
    "tempfile": stand_in("tempfile"),
    "random": stand_in("random"),
    "calendar": stand_in("calendar"),
}

# The Whoosh modules a search uses that ask for them (directly or through their own imports);
# the first one is what every Whoosh import starts with.
TARGETS = (
    "whoosh.compat",
    "whoosh.util",
    "whoosh.util.times",
    "whoosh.reading",
    "whoosh.query.terms",
    "whoosh.filedb.filestore",
    "whoosh.filedb.filetables",
    "whoosh.filedb.compound",
    "whoosh.codec.whoosh3",
    "whoosh.searching",
    "whoosh.collectors",  # no stand-ins needed: imported here so that no collection runs
)

import_with_stand_ins(TARGETS, STAND_INS)


_checked = False


def check_version() -> str | None:
    """Warn (one line on stderr, once per process) when the installed Whoosh is not the pinned
    release; the warning, or None."""
    global _checked
    import whoosh

    found = tuple(getattr(whoosh, "__version__", ()))[:3]
    if found == WHOOSH_VERSION:
        return None
    want = ".".join(map(str, WHOOSH_VERSION))
    have = ".".join(map(str, found)) or "unknown"
    message = (
        f"warning: ctsearch is built for whoosh-reloaded {want} and relies on its internals, "
        f"but Whoosh {have} is installed: results may be wrong "
        f"(pip install whoosh-reloaded=={want})"
    )
    if not _checked:
        _checked = True
        try:
            sys.stderr.write(message + "\n")
        except (OSError, ValueError):
            pass
    return message


check_version()
