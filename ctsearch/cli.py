"""The `ctsearch` command: parses options, calls one library function, prints the result.

Library modules are imported inside the commands so that `ctsearch search` pays only for
what it uses.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import CtsearchError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


def _corpus_option(f):
    return click.option(
        "--corpus",
        type=click.Path(file_okay=False, path_type=Path),
        default="corpus",
        envvar="CTSEARCH_CORPUS",
        show_default=True,
        help="Corpus folder (env CTSEARCH_CORPUS).",
    )(f)


def _index_option(f):
    return click.option(
        "--index",
        "index_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default="index",
        envvar="CTSEARCH_INDEX",
        show_default=True,
        help="Index folder (env CTSEARCH_INDEX).",
    )(f)


class _Group(click.Group):
    """Turns library errors into one-line messages and ends quietly on a closed pipe."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CtsearchError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            _quiet_broken_pipe()
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            ctx.exit(130)


def _quiet_broken_pipe() -> None:
    # Point stdout at devnull so the interpreter's final flush does not raise again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)


@click.group(cls=_Group, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, prog_name="ctsearch")
def cli() -> None:
    """Search the record of the UN counter-terrorism conferences.

    \b
    Example:
      ctsearch search "foreign terrorist fighters" --speaker guterres
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON contract.")
def parse(files: tuple[Path, ...], as_json: bool) -> None:
    """Show what ingestion makes of FILES, without indexing.

    \b
    Example:
      ctsearch parse corpus/000_d8cdb801a8f39fb7.txt --json
    """
    from .documents import parse_files
    from .output import format_parse

    docs = parse_files(list(files), warn=_warn)
    click.echo(format_parse(docs, as_json=as_json))


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def main() -> None:
    cli(prog_name="ctsearch")
