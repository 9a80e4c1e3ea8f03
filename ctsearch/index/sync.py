"""Bring an index up to date with its corpus: the one way any index is built or updated.

`ctsearch index`, `ctsearch add`, `watch`, the first search and the API's `build_index` all
call `sync_index`; it alone uses both a full build (build.py) and an in-place update
(update.py), and it produces the `IndexReport`.

The manifest (manifest.py) records every document's content hash, its sidecar's and the people
data's. A run takes the IndexLock, snapshots the corpus, diffs it with the saved manifest and
then either

- does nothing (nothing changed: a few stat calls),
- deletes and re-adds the changed documents in one Whoosh commit (update.commit_changes), or
- builds a new generation from scratch (no usable manifest, --rebuild, or the people data or a
  version changed — unless some files are unreadable right now: then everything is redone in
  place so that those keep their last good passages).

The result is the same index a rebuild would give. Crash safety: the manifest is re-saved with
the doc_ids about to change marked pending before the commit, and the new manifest saved after
it; a kill in between makes the next run redo exactly those documents (see manifest.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ctsearch.documents.parse import load_people_or_builtin
from ctsearch.errors import CorpusError
from ctsearch.index import build
from ctsearch.index import manifest as mf
from ctsearch.index.schema import SCHEMA_VERSION
from ctsearch.index.snapshot import snapshot
from ctsearch.index.store import (
    MANIFEST_FILENAME,
    claim,
    current_counts,
    now,
    read_marker,
    swap_in,
    write_lock,
    write_marker,
)
from ctsearch.index.update import commit_changes
from ctsearch.models import Document

# Bump when ingestion (reading, repair, metadata, passages) would turn the same files into
# different documents: every index built by an older ingest is then re-indexed in full.
INGEST_VERSION = "1"

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]  # (documents done, documents to do)


@dataclass(frozen=True)
class IndexReport:
    """What a build or an update did. `documents`/`passages` count the whole index after it;
    the change counts come from comparing the corpus with the manifest."""

    documents: int
    passages: int
    seconds: float
    index_dir: str
    corpus: str
    rebuilt: bool = True
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    unreadable: int = 0
    skipped: int = 0  # read, but nothing in them to index (binary, empty, page furniture)
    passages_written: int = 0
    dry_run: bool = False
    reason: str | None = None  # why everything was re-indexed, when it was
    merged_segments: int = 0

    @property
    def passages_per_second(self) -> float:
        written = self.passages_written or self.passages
        return written / self.seconds if self.seconds > 0 else 0.0


def sync_index(
    corpus: Path,
    index_dir: Path,
    *,
    rebuild: bool = False,
    dry_run: bool = False,
    warn: Warn | None = None,
    progress: Progress | None = None,
) -> IndexReport:
    """Make the index of `corpus` in `index_dir` match the corpus; a report of what changed.

    `dry_run` computes the changes without taking the lock or writing anything. Raises
    CorpusError (exit 1) when the corpus is missing, or when nothing in it can be indexed —
    in which case an existing index is left untouched.
    """
    started = time.perf_counter()
    corpus, index_dir = Path(corpus), Path(index_dir)
    if not corpus.is_dir():
        raise CorpusError(f"corpus folder {corpus} not found: pass --corpus DIR")
    say = warn or mf.ignore
    marker = claim(index_dir, warn)  # refuses a folder that is not ours, before any write
    if dry_run:
        usable = _usable(index_dir, marker)
        if usable:  # counted afresh if a killed update left them stale (nothing is written)
            marker = {**marker, **current_counts(index_dir, marker)}
        old = None if rebuild or not usable else _load(index_dir, say)
        new = snapshot(corpus, previous=old, versions=_versions(), warn=say)
        changes = mf.diff(old, new)
        return _report(index_dir, corpus, marker, changes, started, dry_run=True)

    with write_lock(index_dir, warn):
        marker = read_marker(index_dir)  # another update may have finished while we waited
        usable = _usable(index_dir, marker)
        if usable:
            marker = _repair_counts(index_dir, marker)
        mpath = index_dir / MANIFEST_FILENAME
        old = _load(index_dir, say) if usable and not rebuild else None
        new = snapshot(corpus, previous=old, versions=_versions(), warn=say)
        changes = mf.diff(old, new)
        if changes.all_changed and old is not None and changes.reason:
            say(f"re-indexing every document: {changes.reason}")
        if old is None or (changes.all_changed and not changes.unreadable):
            return _rebuild(corpus, index_dir, marker, new, changes, started, say, progress)
        if not changes.has_work:
            if _differs(old, new):
                mf.save(new, mpath)
            return _report(index_dir, corpus, marker, changes, started)
        return _update(corpus, index_dir, marker, old, new, changes, started, say, progress)


def _rebuild(corpus, index_dir, marker, new, changes, started, say, progress) -> IndexReport:
    """Everything into a new generation; then the manifest (minus what could not be read)."""
    mpath = index_dir / MANIFEST_FILENAME
    mf.discard(mpath)
    failed: dict[str, str] = {}
    skipped: set[str] = set()
    sources = [
        build.Source(doc_id, corpus / new.files[doc_id].source, new.files[doc_id].size)
        for doc_id in changes.to_ingest
    ]
    people = load_people_or_builtin(corpus, say)
    # Several processes from MP_MIN_BYTES of documents on: the snapshot's sizes say how many.
    big = sum(s.size for s in sources) >= build.MP_MIN_BYTES
    procs = build.plan_procs(sources, parallel=big)

    def write(gen_dir: Path) -> tuple[int, int]:
        return build.parse_and_write(
            gen_dir,
            corpus,
            sources,
            people=people,
            warn=say,
            failed=failed,
            skipped=skipped,
            progress=progress,
            procs=procs,
        )

    n_docs, n_passages = swap_in(corpus, index_dir, write, marker=marker)
    # Unreadable files are not in the new index: leave them out so the next run adds them.
    mf.save(new.without(set(new.unreadable) | set(failed)), mpath)
    return _report_of(
        corpus,
        index_dir,
        started,
        documents=n_docs,
        passages=n_passages,
        rebuilt=True,
        passages_written=n_passages,
        reason=changes.reason,
        **_change_counts(changes, failed, skipped),
    )


def _update(corpus, index_dir, marker, old, new, changes, started, say, progress) -> IndexReport:
    """Re-index the changed documents in place, in one commit."""
    mpath = index_dir / MANIFEST_FILENAME
    failed: dict[str, str] = {}
    skipped: set[str] = set()
    # Parse first: a file that cannot be read now must keep its passages, so it is left out
    # of the deletions below.
    # Reading and splitting is most of the time, so that is what the progress bar follows.
    docs = []
    todo = len(changes.to_ingest)
    for doc in _ingest(corpus, new, changes.to_ingest, say, failed, skipped):
        docs.append(doc)
        if progress is not None:
            progress(len(docs) + len(failed) + len(skipped), todo)
    mf.mark_pending(mpath, old, changes)
    counts = commit_changes(
        index_dir, docs, delete=[d for d in changes.to_delete if d not in failed]
    )
    # The marker's counts are those of the commit before (repaired by sync_index if not).
    documents = max(
        0, int(marker.get("documents", 0) or 0) - counts.documents_deleted + counts.documents_added
    )
    write_marker(
        index_dir,
        {
            **_plain(marker),
            "documents": documents,
            "passages": counts.passages_total,
            "toc": counts.toc,
            "updated": now(),
        },
    )
    mf.save(new.keep_previous(failed, old, all_changed=changes.all_changed), mpath)
    return _report_of(
        corpus,
        index_dir,
        started,
        documents=documents,
        passages=counts.passages_total,
        rebuilt=False,
        passages_written=counts.passages_added,
        merged_segments=counts.merged_segments,
        reason=changes.reason,
        **_change_counts(changes, failed, skipped),
    )


def _ingest(
    corpus: Path,
    new: mf.Manifest,
    doc_ids,
    say: Warn,
    failed: dict[str, str],
    skipped: set[str],
) -> Iterator[Document]:
    """Parse the given documents, in doc_id order, as a full build does (build.parse_source):
    a file that cannot be opened now goes into `failed` (it keeps its last good passages); one
    that is readable but is not text is skipped with a warning and ends up with no passages."""
    people = load_people_or_builtin(corpus, say)
    for doc_id in doc_ids:
        parsed = build.parse_source(corpus / new.files[doc_id].source, corpus, people)
        for message in parsed.messages:
            say(message)
        if parsed.failure is not None:
            failed[doc_id] = parsed.failure
        elif parsed.doc is None or not parsed.doc.passages:
            skipped.add(doc_id)
        if parsed.doc is not None:
            yield parsed.doc


def _versions() -> dict[str, str]:
    return {"schema": str(SCHEMA_VERSION), "ingest": INGEST_VERSION}


def _repair_counts(index_dir: Path, marker: dict) -> dict:
    """The marker, its counts made those of the newest commit (a kill between a commit and the
    marker write left them one commit behind): counted from the index and saved."""
    counts = current_counts(index_dir, marker)
    if all(marker.get(k) == v for k, v in counts.items()):
        return marker
    repaired = {**_plain(marker), **counts}
    write_marker(index_dir, repaired)
    return repaired


def _usable(index_dir: Path, marker: dict | None) -> bool:
    """True when the folder holds a complete index of this schema version."""
    if marker is None or marker.get("schema_version") != SCHEMA_VERSION:
        return False
    generation = marker.get("generation")
    return isinstance(generation, str) and (index_dir / generation).is_dir()


def _load(index_dir: Path, say: Warn) -> mf.Manifest | None:
    return mf.load(index_dir / MANIFEST_FILENAME, warn=say)


def _differs(old: mf.Manifest, new: mf.Manifest) -> bool:
    """Worth saving: anything but the snapshot time differs (saves an fsync per no-op run)."""
    return (
        dict(old.files) != dict(new.files)
        or dict(old.unreadable) != dict(new.unreadable)
        or bool(old.pending)
    )


def _change_counts(
    changes: mf.Changes, failed: dict[str, str], skipped: set[str]
) -> dict[str, int]:
    counts = changes.counts()
    # A file that hashed fine but could not be opened a moment later was not (re)indexed; one
    # that was read but held nothing to index (binary, empty) was neither added nor changed.
    counts["unreadable"] += len(failed)
    counts["skipped"] = len(skipped)
    for key in ("added", "changed"):
        counts[key] -= sum(1 for d in (*failed, *skipped) if d in getattr(changes, key))
    return counts


def _report(index_dir, corpus, marker, changes, started, *, dry_run: bool = False) -> IndexReport:
    marker = marker or {}
    return _report_of(
        corpus,
        index_dir,
        started,
        documents=int(marker.get("documents", 0) or 0),
        passages=int(marker.get("passages", 0) or 0),
        rebuilt=False,
        dry_run=dry_run,
        reason=changes.reason,
        **changes.counts(),
    )


def _report_of(corpus: Path, index_dir: Path, started: float, **fields) -> IndexReport:
    """The report of a run that started at `started` (perf_counter)."""
    seconds = time.perf_counter() - started
    return IndexReport(seconds=seconds, index_dir=str(index_dir), corpus=str(corpus), **fields)


def _plain(marker: dict) -> dict:
    return {k: v for k, v in marker.items() if k != "format"}
