"""The public API in `ctsearch/__init__.py`: its functions stay reachable as package attributes."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import ctsearch


def test_search_stays_callable_after_every_submodule_is_imported():
    # A submodule named like an API function would rebind the package attribute on import
    # (`import ctsearch.search` used to turn `ctsearch.search` into a module).
    for info in pkgutil.iter_modules(ctsearch.__path__):
        importlib.import_module(f"ctsearch.{info.name}")
    for name in ("parse_files", "build_index", "search", "show", "speakers", "stats"):
        assert callable(getattr(ctsearch, name)), name
        assert getattr(ctsearch, name).__module__ == "ctsearch", name


def test_no_submodule_shadows_an_api_function():
    submodules = {info.name for info in pkgutil.iter_modules(ctsearch.__path__)}
    assert not submodules & set(ctsearch.__all__)


def test_search_callable_in_a_fresh_interpreter_after_importing_the_engine():
    code = (
        "import ctsearch, ctsearch.searching.search, ctsearch.index.stats, ctsearch.index.store\n"
        "assert callable(ctsearch.search) and callable(ctsearch.show), ctsearch.search\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
