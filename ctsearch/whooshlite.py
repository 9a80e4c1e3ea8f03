"""Import Whoosh without the standard-library modules it loads but never uses on our path.

Importing this module before any other Whoosh import saves about half of Whoosh's import time
(the speed issue: `ctsearch search` should answer as fast as the interpreter allows):

- `whoosh.compat` does `from urllib.request import urlretrieve`, which pulls in `http.client`,
  `email`, `ssl`, `tempfile`... Nothing in Whoosh calls `urlretrieve`.
- `whoosh.reading` does `from cached_property import cached_property`; that package imports
  `asyncio` (and `threading`) for variants Whoosh does not use.
- `whoosh.query.terms` imports `whoosh.lang.morph_en` (a 25 ms table of English word forms) only
  for `Variations` queries, which ctsearch never builds.

Each of those three imports is served, *only while these three Whoosh modules are being
imported*, by a small stand-in; the stand-in is removed from `sys.modules` right after, so any
later `import urllib.request` (or `cached_property`, `whoosh.lang.morph_en`) anywhere in the
process gets the real module. The names Whoosh binds from the stand-ins still work:
`urlretrieve` and `variations` import the real module on first call, and `cached_property` is
`functools.cached_property`, which caches the same way (in the instance's `__dict__`).
If a Whoosh module is already imported (someone imported Whoosh first), nothing is done.
`tests/test_whooshlite.py` checks that search results are identical with and without it.
"""

from __future__ import annotations

import functools
import importlib
import sys
import types
from collections.abc import Callable
from typing import Any

__all__ = ["STAND_INS"]


def _lazy(module: str, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = name
    call.__qualname__ = name
    call.__doc__ = f"Calls {module}.{name}, importing {module} on first use."
    return call


def _stand_in(module: str, **attrs: Any) -> types.ModuleType:
    stub = types.ModuleType(module, f"ctsearch.whooshlite stand-in for {module}")
    stub.__dict__.update(attrs)
    return stub


# Whoosh module to import -> (module it asks for, the stand-in served while it is imported).
STAND_INS: dict[str, tuple[str, types.ModuleType]] = {
    "whoosh.compat": (
        "urllib.request",
        _stand_in("urllib.request", urlretrieve=_lazy("urllib.request", "urlretrieve")),
    ),
    "whoosh.reading": (
        "cached_property",
        _stand_in("cached_property", cached_property=functools.cached_property),
    ),
    "whoosh.query.terms": (
        "whoosh.lang.morph_en",
        _stand_in("whoosh.lang.morph_en", variations=_lazy("whoosh.lang.morph_en", "variations")),
    ),
}


def _import_lightly() -> None:
    if any(target in sys.modules for target in STAND_INS):
        return  # Whoosh was imported before us: too late, and nothing to undo
    served = {}
    for needed, stub in STAND_INS.values():
        if needed not in sys.modules:
            served[needed] = sys.modules[needed] = stub
    try:
        for target in STAND_INS:
            importlib.import_module(target)
    finally:
        for needed, stub in served.items():
            if sys.modules.get(needed) is stub:
                del sys.modules[needed]


_import_lightly()
