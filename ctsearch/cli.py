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


def _filter_options(f):
    """The filters of `search` and the research views."""
    for option in reversed(
        (
            click.option(
                "--speaker",
                "speakers",
                multiple=True,
                help="Passages by this speaker (repeat = any).",
            ),
            click.option(
                "--conference", help='Conference by words of its name, e.g. "2021" or "second".'
            ),
            click.option(
                "--type",
                "doc_type",
                help="speech, statement, message, press_release, news, web_page.",
            ),
            click.option("--year", help="Documents of this year (YYYY)."),
            click.option(
                "--from", "date_from", help="On or after this date: YYYY, YYYY-MM or YYYY-MM-DD."
            ),
            click.option(
                "--to", "date_to", help="On or before this date: YYYY, YYYY-MM or YYYY-MM-DD."
            ),
        )
    ):
        f = option(f)
    return f


def _expand_option(f):
    return click.option(
        "--no-expand",
        "expand",
        is_flag=True,
        flag_value=False,
        default=True,
        help="Match only the names and acronyms as typed (not ISIL for ISIS).",
    )(f)


# Commands that never write: run() ends them without the interpreter's teardown. The others
# (index, add, watch) exit normally, so that nothing they wrote depends on skipping it.
READ_ONLY = frozenset({"search", "show", "speakers", "stats", "parse", "quote", "kwic"})
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
@_filter_options
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
@_expand_option
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


@cli.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback makes the index visible to the network.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port (0: any free one).",
)
@_corpus_option
@_index_option
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a web browser.")
@click.option(
    "--cache",
    "keep",
    type=click.IntRange(min=0),
    default=256,
    show_default=True,
    help="Answers kept in memory for pages asked again (0: none); any commit to the index "
    "makes them stale.",
)
def serve(
    host: str, port: int, corpus: Path, index_dir: Path, open_browser: bool, keep: int
) -> None:
    """Search, read and cite the record in a web browser, on this computer.

    Builds the index first if there is none. The page follows what `index`, `add` and `watch`
    commit, without a restart. Read-only; Ctrl-C stops it. The same answers as JSON under
    /api/ (e.g. /api/search?q=drones).

    \b
    Example:
      ctsearch serve --open
    """
    from ctsearch.web.server import serve as run_server

    _ensure_index(corpus, index_dir)
    run_server(
        index_dir,
        corpus,
        host=host,
        port=port,
        open_browser=open_browser,
        keep=keep,
        say=lambda line: click.echo(line, err=True),
        warn=_warn,
    )


def _ensure_index(corpus: Path, index_dir: Path) -> None:
    """Build the index (with progress on stderr) when there is none or it is of an older
    schema, as `search` does on first use."""
    from ctsearch.errors import IndexMissingError, UnusableIndexError
    from ctsearch.index.store import index_info, is_outdated

    try:
        index_info(index_dir)
        return
    except IndexMissingError:
        _warn(f"no index in {index_dir}; building it from {corpus} (done once)")
    except UnusableIndexError:
        if not is_outdated(index_dir):
            raise
    from ctsearch.index.sync import sync_index
    from ctsearch.output import format_index_report

    with _progress_bar("Indexing") as progress:
        report = sync_index(corpus, index_dir, warn=_warn, progress=progress)
    click.echo(format_index_report(report), err=True)


# -- research views: quote, trend, kwic, export ----------------------------------------------


@cli.command()
@click.argument("text", nargs=-1, required=True)
@click.option(
    "-n", "--limit", type=click.IntRange(min=1), default=5, show_default=True,
    help="Matching passages to show at most.",
)  # fmt: skip
@_filter_options
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON contract.")
@_corpus_option
@_index_option
def quote(text: tuple[str, ...], as_json: bool, corpus: Path, index_dir: Path, **options) -> None:
    """Find where a quote comes from: the passages closest to its wording, best first.

    Tolerates dropped, added and changed words, British/American spelling, curly or straight
    quotes and an ellipsis for a cut. Each match has a score (0-100) and the source's words
    with the differences marked: [-missing from the quote-], {+added by the quote+}. Below the
    threshold (70) the quote is "not found" and the closest passages are shown as non-matches.

    \b
    Example:
      ctsearch quote "we must uphold the rights of victims and make sure they have a voice"
    """
    with paused_gc():
        from ctsearch.output_views import format_quote, quote_summary
        from ctsearch.searching.quotes import quote as run_quote

    result = run_quote(" ".join(text), index_dir=index_dir, corpus=corpus, warn=_warn, **options)
    out = format_quote(result, as_json=as_json, color=_color())
    if out:
        click.echo(out)
    if not as_json:
        click.echo(quote_summary(result), err=True)


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option(
    "--by", type=click.Choice(["year", "conference", "speaker", "type"]), default="year",
    show_default=True, help="What a bucket is.",
)  # fmt: skip
@_filter_options
@_expand_option
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON contract.")
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (key, matches, documents, ...).")
@click.option(
    "--plot", type=ANY_PATH, metavar="FILE.svg|FILE.png",
    help="Also draw the rate per 1,000 passages as a bar chart (needs matplotlib).",
)  # fmt: skip
@_corpus_option
@_index_option
def trend(
    query: tuple[str, ...],
    by: str,
    as_json: bool,
    as_csv: bool,
    plot: Path | None,
    corpus: Path,
    index_dir: Path,
    **options,
) -> None:
    """How often a query matches, by year, conference, speaker or document type.

    Per bucket: matching passages, matching documents, all passages in the bucket and the rate
    per 1,000 passages. By year every year of the range is listed, empty ones as zero.

    \b
    Examples:
      ctsearch trend drones
      ctsearch trend '"foreign terrorist fighters"' --by speaker --json
      ctsearch trend victims --speaker guterres --csv
      ctsearch trend victims --plot victims.svg
    """
    with paused_gc():
        from ctsearch.output_views import format_trend, trend_summary
        from ctsearch.searching.trends import trend as run_trend

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    result = run_trend(
        " ".join(query), by=by, index_dir=index_dir, corpus=corpus, warn=_warn, **options
    )
    if plot is not None:
        from ctsearch.trendplot import plot_trend

        click.echo(f"Chart written to {plot_trend(result, plot)}", err=True)
    out = format_trend(result, as_json=as_json, as_csv=as_csv)
    if out:
        click.echo(out)
    if not (as_json or as_csv):
        click.echo(trend_summary(result), err=True)


@cli.command()
@click.argument("term", nargs=-1, required=True)
@click.option(
    "-w", "--width", type=click.IntRange(1, 1000), default=40, show_default=True,
    help="Characters of context on each side.",
)  # fmt: skip
@click.option(
    "--sort", type=click.Choice(["left", "right", "date"]), default="left", show_default=True,
    help="By the words before the match, after it, or by date.",
)  # fmt: skip
@click.option(
    "-n", "--limit", type=click.IntRange(min=0), default=200, show_default=True,
    help="Lines at most, from the best passages (0 = every occurrence).",
)  # fmt: skip
@_filter_options
@_expand_option
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON contract.")
@_corpus_option
@_index_option
def kwic(term: tuple[str, ...], as_json: bool, corpus: Path, index_dir: Path, **options) -> None:
    """Keyword in context: every occurrence of TERM, centred, with its context.

    One line per occurrence (not per passage); phrases and every form of a stemmed word count
    as matches. The passage id, date and speakers end each line.

    \b
    Examples:
      ctsearch kwic victims --width 30
      ctsearch kwic '"rule of law"' --sort right --speaker guterres
      ctsearch kwic drones --sort date --limit 0 --json
    """
    with paused_gc():
        from ctsearch.output_views import format_kwic, kwic_summary
        from ctsearch.searching.concordance import kwic as run_kwic

    result = run_kwic(" ".join(term), index_dir=index_dir, corpus=corpus, warn=_warn, **options)
    out = format_kwic(result, as_json=as_json, color=_color())
    if out:
        click.echo(out)
    if not as_json:
        click.echo(kwic_summary(result), err=True)


@cli.command()
@click.argument("query", nargs=-1)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(["csv", "jsonl", "opensearch"]), default="jsonl",
    show_default=True, help="CSV, JSON Lines, or OpenSearch/Elasticsearch bulk NDJSON.",
)  # fmt: skip
@click.option(
    "-o", "--out", type=ANY_PATH, metavar="FILE",
    help="Write to FILE (written whole or not at all) instead of stdout.",
)  # fmt: skip
@click.option("--excel", is_flag=True, help="CSV with a UTF-8 byte order mark, for Excel.")
@click.option(
    "--index-name", default="ctsearch", show_default=True,
    help="The _index of the opensearch bulk actions.",
)  # fmt: skip
@click.option(
    "--mapping", is_flag=True,
    help="Print the OpenSearch/Elasticsearch index mapping (analyzers like ours) and stop.",
)  # fmt: skip
@_filter_options
@_expand_option
@_corpus_option
@_index_option
def export(
    query: tuple[str, ...],
    fmt: str,
    out: Path | None,
    excel: bool,
    index_name: str,
    mapping: bool,
    corpus: Path,
    index_dir: Path,
    **options,
) -> None:
    """Export every passage matching QUERY (no QUERY: all of them) with all its metadata.

    Streams in bounded memory; a progress bar on stderr when it is a terminal. `--format
    opensearch` writes bulk-API NDJSON: load it with `--mapping`'s index body first, the path
    for a collection that outgrows one machine.

    \b
    Examples:
      ctsearch export drones --format csv --excel --out drones.csv
      ctsearch export --speaker guterres --format jsonl > guterres.jsonl
      ctsearch export --mapping > mapping.json
      ctsearch export --format opensearch | curl -H 'Content-Type: application/x-ndjson' \\
        -XPOST localhost:9200/_bulk --data-binary @-
    """
    with paused_gc():
        from ctsearch.output import to_json
        from ctsearch.searching.exports import export as run_export
        from ctsearch.searching.exports import opensearch_mapping

    if mapping:
        click.echo(to_json(opensearch_mapping()))
        return
    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv only")
    text = " ".join(query)
    kwargs = dict(fmt=fmt, index_dir=index_dir, corpus=corpus, warn=_warn, excel=excel)
    kwargs.update(index_name=index_name, **options)
    with _progress_bar("Exporting") as progress:
        if out is None:
            report = run_export(text, out=sys.stdout, progress=progress, **kwargs)
        else:
            part = out.with_name(out.name + ".part")
            try:
                with open(part, "w", encoding="utf-8", newline="") as stream:
                    report = run_export(text, out=stream, progress=progress, **kwargs)
                os.replace(part, out)
            except OSError as exc:
                raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
            finally:
                if part.exists():
                    part.unlink()
    where = f" to {out}" if out is not None else ""
    click.echo(f"Exported {report.passages} passage(s){where}", err=True)


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
