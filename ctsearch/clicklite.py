"""Import click and dataclasses without `inspect` (with the `ast`, `dis` and `tokenize` it
imports) or `uuid` (with `platform`): about a third of their import time, for features no
command uses. How stand-ins work: `ctsearch.lazyimport`.

- `inspect`: click dedents help texts with `inspect.cleandoc` (at import time for every
  option); `dataclasses` uses `inspect.signature` only to write a docstring for a class that
  has none. The stand-in's `cleandoc` does one-line texts itself (for one line, cleandoc only
  expands tabs and strips leading whitespace) and hands anything longer to the real function;
  everything else comes from the real `inspect` on first use.
- `uuid`: `click.types` names `uuid.UUID` as the type parameter of its UUID option type at
  import time (typing metadata only); the stand-in serves a placeholder class for that moment,
  then drops it, so that `click.UUID` converts with the real `uuid.UUID`.
"""

from __future__ import annotations

from .lazyimport import import_with_stand_ins, lazy_function, stand_in

__all__ = ["cleandoc"]

_real_cleandoc = lazy_function("inspect", "cleandoc")


def cleandoc(doc: str) -> str:
    """`inspect.cleandoc`, without importing `inspect` for one-line text (every option help)."""
    if isinstance(doc, str) and "\n" not in doc:
        return doc.expandtabs().lstrip()
    return _real_cleandoc(doc)


class _UUIDPlaceholder:
    """Stands for `uuid.UUID` in click's type parameters while click is imported."""


_INSPECT = stand_in("inspect", cleandoc=cleandoc)
_UUID = stand_in("uuid", UUID=_UUIDPlaceholder)

import_with_stand_ins(("dataclasses",), {"inspect": _INSPECT})
import_with_stand_ins(("click",), {"inspect": _INSPECT, "uuid": _UUID})
del _UUID.UUID  # from now on `uuid.UUID`, for click too, is the real one
