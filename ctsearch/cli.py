"""The `ctsearch` command: parses options, calls one library function, prints the result.

Library modules are imported inside the commands so that `ctsearch search` pays only for
what it uses (with garbage collection paused: importing makes no garbage). `run()`, the
console script, skips the interpreter's teardown.
"""

from __future__ import annotations

import atexit
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from ctsearch import __version__
from ctsearch.errors import CtsearchError
from ctsearch.gcpause import paused_gc

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
# Built once and shared: each click.Path looks up its (translated) name with gettext, a dozen
# file-system probes per instance, paid by every command at import time.
FOLDER = click.Path(file_okay=False, path_type=Path)
ANY_PATH = click.Path(path_type=Path)


def _corpus_option(f):
    return click.option(
        "--corpus",
        type=FOLDER,
        default="corpus",
        envvar="CTSEARCH_CORPUS",
        show_default=True,
        help="Corpus folder (env CTSEARCH_CORPUS).",
    )(f)


def _index_option(f):
    return click.option(
        "--index",
        "index_dir",
        type=FOLDER,
        default="index",
        envvar="CTSEARCH_INDEX",
        show_default=True,
        help="Index folder (env CTSEARCH_INDEX).",
    )(f)


# Commands that never write: run() ends them without the interpreter's teardown. The others
# (index, add, watch) exit normally, so that nothing they wrote depends on skipping it.
READ_ONLY = frozenset({"search", "show", "speakers", "stats", "parse"})
_invoked: list[str] = []  # the command this process runs (set by _Group.resolve_command)


class _Group(click.Group):
    """Turns library errors into one-line messages and ends quietly on a closed pipe."""

    def resolve_command(self, ctx: click.Context, args: list[str]):
        name, command, rest = super().resolve_command(ctx, args)
        _invoked.append(command.name if command is not None else str(name))
        return name, command, rest

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except CtsearchError as exc:
            from ctsearch.output import one_line  # messages may quote the user's or a file's text

            raise click.ClickException(one_line(str(exc))) from None
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
@click.argument("files", nargs=-1, required=True, type=ANY_PATH)
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON contract.")
def parse(files: tuple[Path, ...], as_json: bool) -> None:
    """Show what ingestion makes of FILES, without indexing.

    \b
    Example:
      ctsearch parse corpus/000_d8cdb801a8f39fb7.txt --json
    """
    from ctsearch.documents.parse import parse_files
    from ctsearch.output import format_parse

    docs = parse_files(list(files), warn=_warn)
    click.echo(format_parse(docs, as_json=as_json))


@cli.command("index")
@_corpus_option
@_index_option
@click.option("--rebuild", is_flag=True, help="Start from scratch instead of updating.")
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def index_command(corpus: Path, index_dir: Path, rebuild: bool, dry_run: bool) -> None:
    """Build or update the search index: only what changed in the corpus is re-indexed.

    Counts (added, changed, removed, unchanged, passages) and the time go to stderr. Exit 1
    when nothing in the corpus could be indexed (an existing index is then kept).

    \b
    Examples:
      ctsearch index --corpus corpus --index index
      ctsearch index --dry-run
      ctsearch index --rebuild
    """
    with paused_gc():
        from ctsearch.index.sync import sync_index
        from ctsearch.output import format_index_report

    with _progress_bar("Indexing") as progress:
        report = sync_index(
            corpus, index_dir, rebuild=rebuild, dry_run=dry_run, warn=_warn, progress=progress
        )
    click.echo(format_index_report(report), err=True)


@cli.command()
@click.argument("sources", metavar="FILES_OR_URLS...", nargs=-1, required=True)
@click.option("--speaker", "speakers", multiple=True, help="Who speaks (repeat for several).")
@click.option("--date", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--title", help="The document's title.")
@click.option(
    "--type", "doc_type", help="speech, statement, message, press_release, news, web_page."
)
@click.option("--conference", help="The conference it belongs to.")
@click.option("--url", help="Where it was published.")
@click.option("--place", help="Where it was given or published.")
@click.option("--replace", is_flag=True, help="Overwrite a different file of the same name.")
@_corpus_option
@_index_option
def add(sources: tuple[str, ...], corpus: Path, index_dir: Path, replace: bool, **metadata) -> None:
    """Copy FILES into the corpus, or fetch web pages and PDFs from URLS, with their metadata as
    a sidecar, and index them.

    The new passages are searchable when it returns. A fetched document is kept as the server
    sent it, under a name made from its address, with the address in its sidecar. Each address
    that cannot be fetched is one error line (exit 1); nothing is written for it.

    \b
    Examples:
      ctsearch add statement.txt --speaker "Vladimir Voronkov" --date 2024-05-02 \\
        --type statement --title "Remarks at the launch"
      ctsearch add https://www.un.org/sg/en/content/sg/statement/2024-06-20/statement.pdf
    """
    with paused_gc():
        from ctsearch.corpus.add import add_files, add_urls
        from ctsearch.corpus.fetch import is_url
        from ctsearch.documents.metadata import read_sidecar
        from ctsearch.index.sync import sync_index
        from ctsearch.output import format_index_report, one_line

    urls = [s for s in sources if is_url(s)]
    files = [Path(s) for s in sources if not is_url(s)]
    added: list[Path] = []
    if files:
        added = add_files(files, corpus, replace=replace, check_sidecar=read_sidecar, **metadata)
    failed: list[str] = []
    if urls:
        fetched, failed = add_urls(
            urls, corpus, replace=replace, check_sidecar=read_sidecar, **metadata
        )
        added += fetched
    for path in added:
        click.echo(f"Added {path}", err=True)
    if added:
        with _progress_bar("Indexing") as progress:
            report = sync_index(corpus, index_dir, warn=_warn, progress=progress)
        click.echo(format_index_report(report), err=True)
    if failed:
        for line in failed:
            click.echo(f"Error: {one_line(line)}", err=True)
        sys.exit(1)


@cli.command()
@_corpus_option
@_index_option
@click.option(
    "--debounce",
    type=click.FloatRange(min=0),
    default=1.0,
    show_default=True,
    help="Seconds of quiet before re-indexing a burst of changes.",
)
def watch(corpus: Path, index_dir: Path, debounce: float) -> None:
    """Keep the index current while it runs: re-index when corpus files change. Ctrl-C stops.

    \b
    Example:
      ctsearch watch --corpus corpus --index index --debounce 2
    """
    import time

    from ctsearch.corpus.watch import watch as watch_corpus
    from ctsearch.errors import IndexLockedError
    from ctsearch.index.sync import sync_index
    from ctsearch.output import format_index_report

    def update(paths: set[Path]) -> None:
        while True:
            try:
                report = sync_index(corpus, index_dir, warn=_warn)
            except IndexLockedError as exc:
                _warn(f"{exc}; retrying")
                time.sleep(max(debounce, 0.5))
                continue
            except CtsearchError as exc:  # e.g. every file gone: keep the index and go on
                _warn(str(exc))
                return
            click.echo(format_index_report(report), err=True)
            return

    click.echo(f"Watching {corpus} (Ctrl-C to stop)", err=True)
    watch_corpus(corpus, update, debounce=debounce, initial=True, warn=_warn)
    click.echo("stopped", err=True)


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--speaker", "speakers", multiple=True, help="Passages by this speaker (repeat = any)."
)
@click.option("--conference", help='Conference by words of its name, e.g. "2021" or "second".')
@click.option(
    "--type", "doc_type", help="speech, statement, message, press_release, news, web_page."
)
@click.option("--year", help="Documents of this year (YYYY).")
@click.option("--from", "date_from", help="On or after this date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--to", "date_to", help="On or before this date: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option(
    "-n",
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Hits per page.",
)
@click.option(
    "--page", type=click.IntRange(min=1), default=1, show_default=True, help="Page of hits."
)
@click.option(
    "--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True
)
@click.option(
    "--facets", is_flag=True, help="Count matching passages by speaker, conference, year, type."
)
@click.option(
    "--no-expand",
    "expand",
    is_flag=True,
    flag_value=False,
    default=True,
    help="Search only the names and acronyms as typed (not ISIL for ISIS).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON contract.")
@_corpus_option
@_index_option
def search(query: tuple[str, ...], as_json: bool, corpus: Path, index_dir: Path, **options) -> None:
    """Search the passages: words, "exact phrases", AND/OR/NOT, prefix*, fuzzy~, field:value.

    Builds the index first if there is none.

    \b
    Examples:
      ctsearch search drones
      ctsearch search '"foreign terrorist fighters"' --speaker guterres --from 2018
      ctsearch search 'victims NOT terrorism' --year 2023 --json
    """
    with paused_gc():
        from ctsearch.output import format_search, search_summary
        from ctsearch.searching.search import search as run_search

    result = run_search(" ".join(query), index_dir=index_dir, corpus=corpus, warn=_warn, **options)
    text = format_search(result, as_json=as_json, color=_color())
    if text:
        click.echo(text)
    if not as_json:
        click.echo(search_summary(result, limit=options["limit"]), err=True)


@cli.command()
@click.argument("passage_id")
@click.option(
    "-c",
    "--context",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Neighbouring passages to show on each side.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_corpus_option
@_index_option
def show(passage_id: str, context: int, as_json: bool, corpus: Path, index_dir: Path) -> None:
    """Show one passage in context, with a citation line.

    \b
    Example:
      ctsearch show 000_d8cdb801a8f39fb7:3 --context 1
    """
    with paused_gc():
        from ctsearch.output import format_show
        from ctsearch.searching.show import show as run_show

    ctx = run_show(passage_id, index_dir=index_dir, context=context, corpus=corpus, warn=_warn)
    click.echo(format_show(ctx, as_json=as_json, color=_color()))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_index_option
def speakers(as_json: bool, index_dir: Path) -> None:
    """List every speaker with their passage and document counts.

    \b
    Example:
      ctsearch speakers --json
    """
    with paused_gc():
        from ctsearch.index.stats import speakers as list_speakers
        from ctsearch.output import format_speakers

    click.echo(format_speakers(list_speakers(index_dir), as_json=as_json))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_index_option
def stats(as_json: bool, index_dir: Path) -> None:
    """Summarise the index: documents, passages, speakers, conferences, dates, size.

    \b
    Example:
      ctsearch stats --json
    """
    with paused_gc():
        from ctsearch.index.stats import stats as index_stats
        from ctsearch.output import format_stats

    click.echo(format_stats(index_stats(index_dir), as_json=as_json))


def _color() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


class _progress_bar:
    """A progress callback drawing a bar on stderr when it is a terminal, else None."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        return self.update

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < 20:  # too short a run to be worth a bar
                return
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc_info) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc_info)


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def main() -> None:
    """The console script. A bug (any exception that is not a CtsearchError) is reported on one
    line with exit 1 instead of a traceback; CTSEARCH_DEBUG=1 shows the traceback."""
    try:
        cli(prog_name="ctsearch")
    except Exception as exc:
        if os.environ.get("CTSEARCH_DEBUG"):
            raise
        from ctsearch.output import one_line

        click.echo(
            f"Error: internal error ({type(exc).__name__}: {one_line(str(exc), limit=200)}); "
            "please report it (CTSEARCH_DEBUG=1 shows the traceback)",
            err=True,
        )
        sys.exit(1)


def run() -> NoReturn:
    """The console script: `main()`, then end the process without the interpreter's teardown.

    Tearing down a process that has imported Whoosh takes about a fifth of a one-shot search
    (freeing every module and object one by one) for nothing: the OS reclaims it all at once.
    What `sys.exit` does that matters is kept: the exit status, atexit handlers, and flushing
    stdout and stderr (a reader that went away ends quietly, as it does inside a command).
    Only read-only commands (READ_ONLY, or no command: --help, --version) end this way; a
    command that writes — index, add, watch, or a search that built a missing index first
    (it took the write lock) — exits normally, as does a process where another thread is still
    running (it might be writing): the interpreter's own exit waits for it."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = _exit_status(exc.code)
    threading = sys.modules.get("threading")  # not imported: no other thread can exist
    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)  # CPython's
    if (
        not _read_only()
        or (threading is not None and threading.active_count() > 1)
        or run_exitfuncs is None
    ):
        sys.exit(code)
    run_exitfuncs()  # what the interpreter does first when it exits
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    except (OSError, ValueError) as exc:  # e.g. a full disk: as the interpreter would, say so
        _say(f"Error: could not write the output: {exc}")
        code = code or 120
    try:
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)


def _read_only() -> bool:
    """True when this process ran a read-only command and took no write lock."""
    if any(name not in READ_ONLY for name in _invoked):
        return False
    lock = sys.modules.get("ctsearch.index.lock")  # never imported: nothing was written
    return lock is None or not lock.tried_to_write()


def _exit_status(code: object) -> int:
    """What the interpreter makes of `sys.exit(code)`: None is 0, an int is itself, anything
    else is printed on stderr and gives 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    _say(str(code))
    return 1


def _say(message: str) -> None:
    try:
        sys.stderr.write(message + "\n")
    except (OSError, ValueError):  # stderr is closed too: nothing more to say
        pass
