"""Write the Whoosh segments of a new index generation, parsing the corpus in parallel.

A full build is CPU-bound twice over: ingestion (cleaning, sentences, attribution: ~1.3 ms a
passage) and Whoosh (analysis, postings, commit: several ms a passage). Both are pure Python,
so the build forks N worker processes (`plan_procs`); each takes a contiguous share of the
files (in doc_id order, balanced by size; a file bigger than a share is cut between several
workers, each writing a run of its passages), parses them exactly as incremental updates do
(`parse_source`) and writes its own segment with a plain Whoosh `SegmentWriter`, finished with
`_finalize_segment()` as whoosh.multiproc's SubWriterTask does. It sends back the segment
object, its counts, its warnings and its failures. The parent then writes one table of
contents listing every segment, in share order, so document numbers — and with them every
search result and tie — are those of a one-process build.

Why not Whoosh's own MpWriter: it only parallelises Whoosh (ingestion stays in the parent),
its commit silently drops a worker's segment whose result is not on the queue within one
second (`resultqueue.get(timeout=1)`), and indexes written by it were seen with columns
shorter than their segment.

Forking, collecting the results in order and failing cleanly is workers.py's job.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ctsearch import whoosh_ext
from ctsearch.corpus.files import os_cause
from ctsearch.errors import DocumentError
from ctsearch.gcpause import paused_gc
from ctsearch.index import workers
from ctsearch.index.schema import add_passages
from ctsearch.index.store import create_index
from ctsearch.models import Document
from ctsearch.whoosh_ext.segwriter import (
    LIMIT_MB,
    abandon_segment,
    commit_segments,
    finish_segment,
    segment_writer,
)

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]  # (documents done, documents to do)

# One process is fastest for small corpora; several pay off once there is enough text to
# amortise forking them and the extra segment.
MP_MIN_BYTES = 500_000  # corpus size (~700 passages) from which a build forks workers
# Each worker costs ~100 MB of its own besides its share of BUILD_POOL_MB: four keep the whole
# build near the 800 MB target (only two cores were available to measure on).
MAX_PROCS = 4
# A full build shares this between its writers. Spilling costs (a run is written, read back
# and merged term by term: ~20% more time for a 23k-passage share than with no spill), so the
# build lets each worker hold its whole share when it can: ~210 MB of postings per 5,000
# passages. Peak RSS of the whole build stays under 800 MB (~570 MB at 100k passages).
BUILD_POOL_MB = 448
# A file is cut between processes only from this size (each part parses the whole file).
MIN_CUT_BYTES = 1_000_000
GC_EVERY_FILES = 50  # files parsed between two collections of young garbage while writing


@dataclass(frozen=True)
class Source:
    """One corpus file to index."""

    doc_id: str
    path: Path
    size: int = 0  # bytes, to balance the workers' shares
    # A file too big for one share is cut: (first, end, parts) means this share writes parts
    # first..end-1 of `parts` equal runs of its passages (each share parses the whole file).
    part: tuple[int, int, int] | None = None

    @property
    def first(self) -> bool:
        """True for a whole file or its first part: the one that reports on the file."""
        return self.part is None or self.part[0] == 0

    def passages_of(self, doc: Document) -> list:
        """The passages of `doc` that this share writes."""
        if self.part is None:
            return list(doc.passages)
        first, end, parts = self.part
        n = len(doc.passages)
        return list(doc.passages[first * n // parts : end * n // parts])


@dataclass(frozen=True)
class Parsed:
    """What parsing one file gave: a document, or why not."""

    doc: Document | None
    messages: tuple[str, ...] = ()  # warnings, for stderr
    failure: str | None = None  # set when the file could not be opened now


@dataclass
class _Share:
    """What one writer did with its share of the files."""

    segment: Any = None  # Whoosh Segment, None when nothing was written
    documents: int = 0
    passages: int = 0
    messages: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # read, but nothing in them to index
    cut: dict[str, int] = field(default_factory=dict)  # a cut file → its passages (-1: none)


# -- parsing -------------------------------------------------------------------------------


def parse_source(path: Path, corpus: Path, people) -> Parsed:
    """Parse one corpus file. A file that cannot be opened now gets a `failure` (it keeps its
    last good passages); one that is readable but is not text gets only a message."""
    from ctsearch.documents.parse import parse_file

    try:
        doc = parse_file(path, corpus_root=corpus, people=people)
    except DocumentError as exc:
        msg = str(exc)
        return Parsed(None, (msg if str(path) in msg else f"{path}: {msg}",), _unopenable(path))
    if not doc.passages:  # said, so that a skipped file never goes unexplained
        return Parsed(doc, (*doc.warnings, f"{path}: skipped: no passages to index"))
    return Parsed(doc, tuple(doc.warnings))


def _unopenable(path: Path) -> str | None:
    """Why `path` cannot be opened for reading now, or None if it can."""
    try:
        with open(path, "rb"):
            return None
    except OSError as exc:
        return os_cause(exc)


# -- writing -------------------------------------------------------------------------------


def parse_and_write(
    gen_dir: Path,
    corpus: Path,
    sources: list[Source],
    *,
    people,
    warn: Warn,
    failed: dict[str, str],
    skipped: set[str] | None = None,
    progress: Progress | None = None,
    procs: int = 1,
) -> tuple[int, int]:
    """Parse `sources` (in doc_id order) and write them into a new index in `gen_dir`.

    Returns (documents with passages, passages). Warnings go to `warn` in doc_id order; files
    that cannot be opened go into `failed` (doc_id → reason), files read but holding nothing to
    index (binary, empty, only page furniture) into `skipped`. `procs` > 1 forks that many
    workers where fork is available (see the module docstring); the index is the same.
    """
    ix = create_index(gen_dir)
    procs = procs if procs > 1 and sources and workers.can_fork() else 1
    limitmb = max(64, BUILD_POOL_MB // procs)
    tick = _ticker(progress, len(sources))
    if not whoosh_ext.SUPPORTED:
        shares = [_write_plainly(ix, corpus, people, sources, tick, warn)]
    else:
        if procs > 1:

            def work(share, tick, say) -> _Share:
                return _write_share(ix, corpus, people, share, tick, say, limitmb)

            shares = workers.run_forked(work, split_shares(sources, procs), progress)
            for share in shares:
                for message in share.messages:
                    warn(message)
        else:
            shares = [_write_share(ix, corpus, people, sources, tick, warn, limitmb)]
        commit_segments(ix, [s.segment for s in shares if s.segment is not None])
    for share in shares:
        failed.update(share.failed)
    if skipped is not None:
        skipped.update(d for share in shares for d in share.skipped)
    failed.update(_torn(shares))
    return sum(s.documents for s in shares), sum(s.passages for s in shares)


def _ticker(progress: Progress | None, total: int) -> Callable[[int], None]:
    def tick(done: int) -> None:
        if progress is not None:
            progress(done, total)

    return tick


def _torn(shares: list[_Share]) -> dict[str, str]:
    """Cut files whose parts did not see the same passages (the file changed between two
    reads): failed, so that the manifest leaves them out and the next run indexes them anew."""
    seen: dict[str, set[int]] = {}
    for share in shares:
        for doc_id, count in share.cut.items():
            seen.setdefault(doc_id, set()).add(count)
    return {d: "changed while it was being indexed" for d, c in seen.items() if len(c) > 1}


def _write_share(
    ix,
    corpus: Path,
    people,
    sources: list[Source],
    tick: Callable[[int], None],
    say: Warn,
    limitmb: int = LIMIT_MB,
) -> _Share:
    """Parse `sources` and write them into one new segment (not yet in any TOC)."""
    writer = segment_writer(ix, lock=False, limitmb=limitmb)
    share = _Share()
    try:
        # With the collector paused: a build allocates millions of objects that all live
        # until the segment is written, and the collections they trigger (each scanning the
        # young ones) cost about a tenth of a build, measured.
        with paused_gc():
            _fill_share(writer, share, corpus, people, sources, tick, say)
    except BaseException:
        abandon_segment(writer)
        raise
    if share.passages:
        share.segment = finish_segment(writer)
    else:
        abandon_segment(writer)  # its empty files are deleted by the commit's clean-up
    return share


def _write_plainly(ix, corpus: Path, people, sources, tick, say) -> _Share:
    """With another Whoosh version: one process, Whoosh's own writer and commit."""
    writer = segment_writer(ix, limitmb=BUILD_POOL_MB)
    share = _Share()
    try:
        _fill_share(writer, share, corpus, people, sources, tick, say)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return share


def _fill_share(writer, share: _Share, corpus: Path, people, sources, tick, say) -> None:
    """Parse `sources` and add their passages to `writer`, noting in `share` what was written,
    what failed and what held nothing. Young garbage is collected every few files (the caller
    may have paused the collector, see _write_share)."""
    for done, source in enumerate(sources, 1):
        if done % GC_EVERY_FILES == 0:
            gc.collect(1)
        parsed = parse_source(source.path, corpus, people)
        doc = parsed.doc
        if source.part is not None:
            share.cut[source.doc_id] = len(doc.passages) if doc is not None else -1
        if source.first:  # the other parts of a cut file say nothing more about it
            for message in parsed.messages:
                say(message)
            if parsed.failure is not None:
                share.failed[source.doc_id] = parsed.failure
            elif doc is None or not doc.passages:
                share.skipped.append(source.doc_id)
        if doc is not None and doc.passages:
            share.documents += source.first
            share.passages += add_passages(writer, doc, source.passages_of(doc))
        tick(done)


# -- workers -------------------------------------------------------------------------------


def plan_procs(sources: list[Source], *, parallel: bool) -> int:
    """How many processes to build with: one for a small corpus (forking and a second segment
    cost more than they save), else one per CPU up to MAX_PROCS (a single big file is cut
    between them, see split_shares)."""
    if not parallel or not sources:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_PROCS))


def split_shares(sources: list[Source], n: int) -> list[list[Source]]:
    """`sources` cut into `n` contiguous, non-empty runs of about equal total size.

    A file that alone is more than a share's worth is first cut into parts (Source.part), so
    that one 50 MB file does not leave the other processes idle: each part's process parses
    the whole file (a small share of the work) and writes its run of the passages.
    """
    shares = _split_runs(_pieces(sources, n), n)
    return [_joined(share) for share in shares]


def _pieces(sources: list[Source], n: int) -> list[Source]:
    """`sources`, each file worth k > 1 shares replaced by its k parts, in order."""
    if n <= 1:
        return list(sources)
    total = sum(max(1, s.size) for s in sources)
    out: list[Source] = []
    for s in sources:
        k = min(n, round(max(1, s.size) * n / total)) if s.size >= MIN_CUT_BYTES else 1
        if k <= 1:
            out.append(s)
        else:
            out.extend(replace(s, size=max(1, s.size // k), part=(i, i + 1, k)) for i in range(k))
    return out


def _joined(share: list[Source]) -> list[Source]:
    """Consecutive parts of one file in a share made one part; all its parts, the file."""
    out: list[Source] = []
    for s in share:
        prev = out[-1] if out else None
        if prev is not None and prev.part and s.part and prev.doc_id == s.doc_id:
            part = (prev.part[0], s.part[1], s.part[2])
            out[-1] = replace(prev, size=prev.size + s.size, part=part)
        else:
            out.append(s)
    return [
        replace(s, part=None) if s.part and s.part[1] - s.part[0] == s.part[2] else s for s in out
    ]


def _split_runs(sources: list[Source], n: int) -> list[list[Source]]:
    """`sources` cut into `n` contiguous, non-empty runs of about equal total size."""
    n = max(1, min(n, len(sources)))
    sizes = [max(1, s.size) for s in sources]
    total = sum(sizes)
    shares: list[list[Source]] = []
    start = acc = 0
    for k in range(1, n):
        target = total * k / n
        end = start + 1  # at least one file
        acc += sizes[start]
        # Leave at least one file for each share still to come.
        while end < len(sources) - (n - k) and acc + sizes[end] / 2 < target:
            acc += sizes[end]
            end += 1
        shares.append(sources[start:end])
        start = end
    shares.append(sources[start:])
    return shares
