"""Import a library without the standard-library modules it loads but does not use on our path.

Used by `whooshlite` and `clicklite` (the speed issue: `ctsearch search` should answer as fast as
the interpreter allows, and most of a one-shot command's time is spent importing). While the
library's modules are imported, and only then, a module they ask for is served by a stand-in: a
module object that loads the real module the first time one of its attributes is used (so
anything that does use it still works, unchanged), with a few attributes preset where the
library binds them at import time: wrappers that import the real module on their first call, or
an equivalent the caller provides. Right after, the stand-ins leave `sys.modules`, so any later
`import` anywhere in the process gets the real module; only the library's own modules keep
referring to their stand-ins.
"""

from __future__ import annotations

import gc
import importlib
import sys
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

__all__ = ["LazyModule", "import_with_stand_ins", "lazy_function", "paused_gc", "stand_in"]


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


@contextmanager
def paused_gc() -> Iterator[None]:
    """No garbage collection inside: importing creates many objects and no garbage, so the
    collections it triggers are wasted work (about a tenth of a one-shot search)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


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
