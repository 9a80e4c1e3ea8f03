"""`ctsearch.clicklite`: click and dataclasses imported without `inspect`/`uuid`, unchanged."""

from __future__ import annotations

import inspect
import subprocess
import sys
import uuid

import click
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ctsearch.cli import cli
from ctsearch.clicklite import cleandoc


@given(st.text(alphabet=st.sampled_from(" \t\nab\r\x0b\u3000"), max_size=30))
def test_cleandoc_equals_inspect_cleandoc(text):
    assert cleandoc(text) == inspect.cleandoc(text)


def test_cleandoc_on_every_help_text_of_the_cli():
    texts = []
    for command in cli.commands.values():
        texts.append(command.help or "")
        texts.extend(getattr(p, "help", None) or "" for p in command.params)
    assert len(texts) > 30
    for text in texts:
        assert cleandoc(text) == inspect.cleandoc(text), text


def test_click_uuid_converts_with_the_real_uuid():
    value = click.UUID.convert("12345678-1234-5678-1234-567812345678", None, None)
    assert isinstance(value, uuid.UUID)


def test_help_is_dedented_as_before():
    out = CliRunner().invoke(cli, ["search", "--help"]).output
    assert "\n  Examples:\n    ctsearch search drones\n" in out
    assert "--limit INTEGER RANGE" in out and "Hits per page." in out


def test_the_cli_does_not_import_inspect_or_uuid():
    """Parsing every option of a command (here up to a usage error) needs neither."""
    code = (
        "import sys\n"
        "from ctsearch.cli import cli\n"
        "try:\n"
        "    cli(['search', 'x', '--sort', 'date', '--limit', '0'], prog_name='ctsearch')\n"
        "except SystemExit as e:\n"
        "    assert e.code == 2\n"
        "import dataclasses\n"
        "assert dataclasses.inspect.__doc__.startswith('ctsearch stand-in')\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    loaded = set(r.stdout.split("MODULES", 1)[1].split())
    assert "click" in loaded and "dataclasses" in loaded
    assert not {"inspect", "uuid", "platform", "ast", "dis"} & loaded
