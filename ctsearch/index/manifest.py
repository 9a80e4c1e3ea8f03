"""What the index was built from, and what changed in the corpus since (taking a snapshot of
the corpus: snapshot.py).

A `Manifest` records, for every document, the content hash of its file and of its `.meta.toml`
sidecar, plus a hash of the people data and the schema/ingest versions. `diff(old, new)` says
which documents to add, replace or delete, or that everything must be re-ingested.

Hashes decide; file stats only save work. A document whose (size, mtime, ctime, inode) — and its
sidecar's — are unchanged since the last snapshot is trusted unchanged without reading it, which
keeps `ctsearch index` on a 3,000-file corpus to a few milliseconds of `stat` calls. Any stat
difference means the file is read and hashed, and the hash decides. A file modified within
RACY_WINDOW_NS of the previous snapshot is always re-hashed (git's "racy clean" problem: a second
same-size write in the same timestamp tick would otherwise go unseen).

Crash safety is a two-step protocol around each index commit (see `mark_pending`):

1. before touching the index, re-save the previous manifest with `pending` = the doc_ids about
   to be deleted or (re)added;
2. commit; then save the new snapshot (no pending).

A crash between 1 and 2 leaves the old manifest with its pending list; the next `diff` treats
those documents as changed (or removed), whichever state the index reached, so they are redone.
Updates are idempotent (delete a document's passages by doc_id, then add). Without step 1, a
document added by the lost run and deleted before the next would stay in the index forever.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ctsearch.corpus.files import os_cause
from ctsearch.durable import fsync_dir, replace_file

FORMAT = 1  # bump when the JSON layout changes; an unknown format means a full re-index

Warn = Callable[[str], None]
StatKey = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


@dataclass(frozen=True)
class FileState:
    """One document's source file and sidecar as last seen."""

    source: str  # path relative to the corpus, "/"-separated
    sha256: str  # of the file's bytes
    sidecar_sha256: str | None  # of NAME.meta.toml's bytes; None when there is none
    size: int
    mtime_ns: int
    ctime_ns: int = 0
    inode: int = 0
    sidecar_stat: StatKey | None = None
    # True when the index holds passages made from older inputs than this manifest says (the
    # file was unreadable during a run that re-ingested everything): re-ingest it next time.
    stale: bool = False

    @property
    def stat_key(self) -> StatKey:
        return (self.size, self.mtime_ns, self.ctime_ns, self.inode)

    def same_content(self, other: FileState) -> bool:
        mine, theirs = (self.source, self.sha256, self.sidecar_sha256), other
        return mine == (theirs.source, theirs.sha256, theirs.sidecar_sha256)


@dataclass(frozen=True)
class Manifest:
    """What the index was (or is about to be) built from."""

    files: Mapping[str, FileState]  # doc_id → state
    people_sha256: str
    versions: Mapping[str, str] = field(default_factory=dict)
    # doc_ids found but not readable in this snapshot (doc_id → reason). Their entry in `files`
    # is the previous one, if any, so that the index keeps their last good passages.
    unreadable: Mapping[str, str] = field(default_factory=dict)
    created_ns: int = 0  # when the snapshot started (time.time_ns())
    # doc_ids an update was about to change when this was saved (see mark_pending): the index
    # may hold their old or their new passages, so the next diff redoes them.
    pending: tuple[str, ...] = ()

    def to_json(self) -> str:
        data = {
            "format": FORMAT,
            "created_ns": self.created_ns,
            "people_sha256": self.people_sha256,
            "versions": dict(self.versions),
            "unreadable": dict(self.unreadable),
            "pending": sorted(self.pending),
            # vars(), not asdict(): asdict deep-copies, which dominates at 100k documents.
            "files": {doc_id: vars(state) for doc_id, state in sorted(self.files.items())},
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        """Parse `to_json` output; ValueError if it is not a manifest this version can use."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                found = data.get("format") if isinstance(data, dict) else None
                raise ValueError(f"unknown manifest format {found!r}")
            files = {}
            for doc_id, raw in data["files"].items():
                raw = dict(raw)
                if raw.get("sidecar_stat") is not None:
                    raw["sidecar_stat"] = tuple(int(x) for x in raw["sidecar_stat"])
                state = FileState(**raw)
                if not isinstance(state.sha256, str) or not isinstance(state.source, str):
                    raise ValueError(f"bad entry for {doc_id!r}")
                files[str(doc_id)] = state
            return cls(
                files=files,
                people_sha256=str(data["people_sha256"]),
                versions={str(k): str(v) for k, v in data["versions"].items()},
                unreadable={str(k): str(v) for k, v in data.get("unreadable", {}).items()},
                created_ns=int(data["created_ns"]),
                pending=tuple(str(d) for d in data.get("pending", ())),
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"malformed manifest ({type(exc).__name__}: {exc})") from None

    def with_pending(self, doc_ids: Iterable[str]) -> Manifest:
        """This manifest, noting that `doc_ids` are about to change in the index."""
        return replace(self, pending=tuple(sorted(set(self.pending) | set(doc_ids))))

    def without(self, doc_ids: Iterable[str]) -> Manifest:
        """This manifest minus `doc_ids`: for documents an update could not put in the index
        (e.g. unreadable during a rebuild into a fresh index), so the next run adds them."""
        drop = set(doc_ids)
        return replace(self, files={d: s for d, s in self.files.items() if d not in drop})

    def keep_previous(
        self, reasons: Mapping[str, str], previous: Manifest | None, *, all_changed: bool = False
    ) -> Manifest:
        """This manifest with `reasons`' documents turned back to their `previous` state.

        For the indexer: a file that hashed fine but could not be read a moment later during
        ingestion keeps its old passages, so the manifest to save must describe those.
        `all_changed` marks them stale (the rest of the index moved on to new people data or
        versions without them).
        """
        files = dict(self.files)
        unreadable = dict(self.unreadable)
        for doc_id, reason in reasons.items():
            carry_forward(files, doc_id, previous, stale=all_changed)
            unreadable[doc_id] = reason
        return replace(self, files=files, unreadable=unreadable)


@dataclass(frozen=True)
class Changes:
    """What `diff` found, as sorted doc_id tuples."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()  # keep their passages as they are
    all_changed: bool = False  # people data or a version changed, or no usable manifest
    reason: str | None = None  # why all_changed, for a notice on stderr

    @property
    def to_ingest(self) -> tuple[str, ...]:
        """Documents to read, split and (re)index."""
        if self.all_changed:
            return tuple(sorted(self.added + self.changed + self.unchanged))
        return tuple(sorted(self.added + self.changed))

    @property
    def to_delete(self) -> tuple[str, ...]:
        """Documents whose passages must be deleted (by doc_id) before adding new ones.

        Includes `added`: after a crash between the commit and the manifest save, an "added"
        document may already be in the index, and deleting first keeps the update idempotent.
        """
        return tuple(sorted(set(self.to_ingest) | set(self.removed)))

    @property
    def has_work(self) -> bool:
        return bool(self.to_ingest or self.removed)

    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "unchanged": len(self.unchanged),
            "unreadable": len(self.unreadable),
        }


def carry_forward(
    files: dict[str, FileState], doc_id: str, previous: Manifest | None, *, stale: bool
) -> None:
    """Keep `doc_id`'s previous state in `files` (marked stale if asked), or drop it."""
    prev = previous.files.get(doc_id) if previous else None
    if prev is None:
        files.pop(doc_id, None)  # never indexed: nothing to keep
    else:
        files[doc_id] = replace(prev, stale=prev.stale or stale)


# -- comparing -------------------------------------------------------------------------------


def diff(old: Manifest | None, new: Manifest) -> Changes:
    """What to do to an index built from `old` so that it matches `new`."""
    readable = {d: s for d, s in new.files.items() if d not in new.unreadable}
    unreadable = tuple(sorted(new.unreadable))
    if old is None:
        return Changes(
            added=tuple(sorted(readable)),
            unreadable=unreadable,
            all_changed=True,
            reason="no record of what the index was built from",
        )
    added, changed, unchanged = [], [], []
    pending = set(old.pending)
    for doc_id, state in readable.items():
        before = old.files.get(doc_id)
        if before is None:
            added.append(doc_id)
        elif before.stale or doc_id in pending or not before.same_content(state):
            changed.append(doc_id)
        else:
            unchanged.append(doc_id)
    removed = (set(old.files) | pending) - set(new.files) - set(new.unreadable)
    reason = _why_all_changed(old, new)
    return Changes(
        added=tuple(sorted(added)),
        changed=tuple(sorted(changed)),
        removed=tuple(sorted(removed)),
        unchanged=tuple(sorted(unchanged)),
        unreadable=unreadable,
        all_changed=reason is not None,
        reason=reason,
    )


def _why_all_changed(old: Manifest, new: Manifest) -> str | None:
    if old.people_sha256 != new.people_sha256:
        return "the people data changed"
    for key in sorted(set(old.versions) | set(new.versions)):
        before, after = old.versions.get(key), new.versions.get(key)
        if before != after:
            return f"the {key} version changed ({before or 'none'} → {after or 'none'})"
    return None


# -- saving and loading ----------------------------------------------------------------------


def save(manifest: Manifest, path: Path) -> None:
    """Write `manifest` to `path` atomically and durably (a fixed temp name: callers hold the
    IndexLock, so two saves never share it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, manifest.to_json().encode("utf-8"))


def mark_pending(path: Path, previous: Manifest | None, changes: Changes) -> None:
    """Step 1 of an update: before changing the index, record what is about to change.

    With no previous manifest there is nothing to protect (the next run re-indexes everything
    anyway). A full rebuild that replaces the whole index should call `discard` instead.
    """
    if previous is not None and changes.to_delete:
        save(previous.with_pending(changes.to_delete), path)


def discard(path: Path) -> None:
    """Forget the manifest (before swapping in a rebuilt index): the next run re-indexes all."""
    try:
        Path(path).unlink()
    except FileNotFoundError:
        return
    fsync_dir(Path(path).parent)


def load(path: Path, *, warn: Warn | None = None) -> Manifest | None:
    """The manifest saved at `path`; None if there is none, or (with a warning) if it is corrupt
    or from another format — the caller then re-indexes everything."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = os_cause(exc) if isinstance(exc, OSError) else "not UTF-8"
        (warn or ignore)(f"{path}: manifest not readable ({reason}); re-indexing everything")
        return None
    try:
        return Manifest.from_json(text)
    except ValueError as exc:
        (warn or ignore)(f"{path}: manifest is corrupt ({exc}); re-indexing everything")
        return None


# -- helpers ---------------------------------------------------------------------------------


def ignore(message: str) -> None:
    """A warn callback that says nothing (the default of every `warn=None`)."""
