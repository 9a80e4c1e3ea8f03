"""Import Whoosh without the standard-library modules it loads but never uses on our path.

Importing this module before any other Whoosh import saves most of Whoosh's incidental import
time (the speed issue: `ctsearch search` should answer as fast as the interpreter allows). While
the Whoosh modules a search uses are imported, these are served by stand-ins
(`LazyModule` below: the real module loads on first use of an attribute):

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
Whoosh is imported (`ctsearch.gcpause`). `tests/whoosh_ext/test_imports.py` checks that
search results are identical with and without it.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ctsearch.gcpause import paused_gc

__all__ = [
    "LazyModule",
    "STAND_INS",
    "TARGETS",
    "import_with_stand_ins",
    "lazy_function",
    "stand_in",
]


class LazyModule(types.ModuleType):
    """A stand-in for a module: attributes not set on it come from the real module, imported
    on first use."""

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # the import machinery probing (__path__, __spec__...)
            raise AttributeError(attr)
        if sys.modules.get(self.__name__) is self:  # used while still standing in: step aside
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attr)


def lazy_function(module: str, name: str) -> Callable[..., Any]:
    """`module.name` as a function that imports `module` on its first call."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    call.__qualname__ = name
    call.__doc__ = f"Calls {module}.{name}, importing {module} on first use."
    return call


def stand_in(module: str, *lazy_names: str, **attrs: Any) -> LazyModule:
    """A stand-in for `module`: `lazy_names` as lazy functions, `attrs` as given, and every
    other attribute from the real module on first use."""
    stub = LazyModule(module, f"ctsearch stand-in for {module}")
    for name in lazy_names:
        setattr(stub, name, lazy_function(module, name))
    stub.__dict__.update(attrs)
    return stub


def import_with_stand_ins(
    targets: Iterable[str], stand_ins: Mapping[str, types.ModuleType]
) -> bool:
    """Import `targets` while `stand_ins` serve the modules they name. Does nothing (and returns
    False) if the first target is already imported: too late, and nothing to undo."""
    targets = tuple(targets)
    if targets[0] in sys.modules:
        return False
    served = {}
    with paused_gc():
        for needed, stub in stand_ins.items():
            if needed not in sys.modules:
                served[needed] = sys.modules[needed] = stub
        try:
            for target in targets:
                importlib.import_module(target)
        finally:
            for needed, stub in served.items():
                if sys.modules.get(needed) is stub:
                    del sys.modules[needed]
    return True


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
