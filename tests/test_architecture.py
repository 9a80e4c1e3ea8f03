"""The house rules (pyproject.toml, [tool.importlinter]): imports go one way between the
stages, Whoosh / NLTK / click stay where they belong, and no import cycle comes back."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def lint_imports() -> str:
    """`lint-imports` beside this interpreter (the venv's), else on PATH."""
    beside = Path(sys.executable).with_name("lint-imports")
    found = str(beside) if beside.exists() else shutil.which("lint-imports")
    if found is None:
        pytest.fail("lint-imports is not installed: pip install -e '.[test]'")
    return found


def test_import_contracts_are_kept():
    r = subprocess.run(
        [lint_imports(), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "0 broken" in r.stdout


def test_every_subpackage_says_what_belongs_in_it():
    for init in (REPO / "ctsearch").rglob("__init__.py"):
        text = init.read_text(encoding="utf-8")
        assert text.lstrip().startswith('"""'), f"{init.relative_to(REPO)} has no docstring"
