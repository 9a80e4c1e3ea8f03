"""What the index was built from, and what changed in the corpus since.

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

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .filetypes import DOCUMENT_SUFFIXES, PEOPLE_FILENAME, SIDECAR_SUFFIX

MANIFEST_FILENAME = "manifest.json"  # inside the index folder; Whoosh never touches this name
FORMAT = 1  # bump when the JSON layout changes; an unknown format means a full re-index
BUILTIN_PEOPLE = Path(__file__).resolve().parent / "data" / "people.toml"
# Files modified this close to (or after) the previous snapshot are re-hashed even if their
# stat looks unchanged. 2 s covers the coarsest common timestamps (FAT, some network shares).
RACY_WINDOW_NS = 2_000_000_000

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
            _carry_forward(files, doc_id, previous, stale=all_changed)
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


# -- taking a snapshot ---------------------------------------------------------------------


def snapshot(
    corpus: Path,
    *,
    files: Iterable[Path] | None = None,
    previous: Manifest | None = None,
    versions: Mapping[str, str] | None = None,
    warn: Warn | None = None,
) -> Manifest:
    """The current state of `corpus`: every document's hashes, the people hash, `versions`.

    `files` defaults to ingest.find_files(corpus). With `previous` (the last saved manifest),
    files whose stat is unchanged are not re-read. Files that cannot be read are reported
    through `warn` as "path: not readable (reason)" and listed in `Manifest.unreadable`.
    """
    from .ingest import doc_id_for, find_files

    warn = warn or _ignore
    corpus = Path(corpus)
    created_ns = time.time_ns()
    paths = find_files(corpus, warn=warn) if files is None else [Path(p) for p in files]
    versions = dict(versions or {})
    people = people_sha256(corpus, warn=warn)
    # Documents that cannot be re-read now keep passages made from the previous inputs; if those
    # inputs changed for everyone else, mark them stale so they are redone once readable.
    stale_all = previous is not None and (
        previous.people_sha256 != people or dict(previous.versions) != versions
    )

    states: dict[str, FileState] = {}
    unreadable: dict[str, str] = {}
    sources: dict[str, Path] = {}
    root = os.path.join(os.fspath(corpus), "")
    # Plain strings rather than pathlib in this loop: at 3,000 files pathlib's parsing cost more
    # than all the stat calls together.
    for path in sorted(paths, key=os.fspath):
        text = os.fspath(path)
        source = text[len(root) :] if text.startswith(root) else None
        doc_id = _doc_id(source) if source else None
        if doc_id is None or source is None:
            doc_id, source = doc_id_for(path, corpus), _relative(path, corpus)
        if doc_id in sources:
            warn(f"{path}: same document id {doc_id!r} as {sources[doc_id]}; skipped")
            continue
        sources[doc_id] = path
        prev = previous.files.get(doc_id) if previous else None
        try:
            states[doc_id] = _file_state(text, source.replace(os.sep, "/"), prev, previous)
        except OSError as exc:
            reason = _reason(exc)
            warn(f"{path}: not readable ({reason})")
            unreadable[doc_id] = reason
            # If an interrupted update was changing it, the index state is unknown: redo it
            # once it is readable (a placeholder entry makes it "changed" or "removed" then).
            in_doubt = previous is not None and doc_id in previous.pending
            _carry_forward(states, doc_id, previous, stale=stale_all or in_doubt)
            if in_doubt and doc_id not in states:
                states[doc_id] = FileState(_relative(path, corpus), "", None, 0, 0, stale=True)
    return Manifest(
        files=states,
        people_sha256=people,
        versions=versions,
        unreadable=unreadable,
        created_ns=created_ns,
    )


def _doc_id(source: str) -> str | None:
    """ingest.doc_id_for for a plain relative path to a .txt/.md file, without pathlib (the
    tests check the two agree); None for anything else, which then goes to doc_id_for."""
    if not source.lower().endswith(DOCUMENT_SUFFIXES):
        return None
    if any(part in ("", ".", "..") for part in source.split(os.sep)):
        return None  # pathlib would normalise these: let doc_id_for decide
    return source[: source.rfind(".")].replace(os.sep, "/")


def _file_state(
    path: str, source: str, prev: FileState | None, previous: Manifest | None
) -> FileState:
    """Stat, and hash unless the stat proves nothing changed. OSError if unreadable."""
    st = os.stat(path)
    key = _stat_key(st)
    side = path[: path.rfind(".")] + SIDECAR_SUFFIX  # sidecar_path(), without pathlib
    side_st = _stat_or_none(side)
    side_key = _stat_key(side_st) if side_st else None
    if (
        prev is not None
        and previous is not None
        and not prev.stale
        and prev.source == source
        and prev.stat_key == key
        and prev.sidecar_stat == side_key
        and _settled(st, previous)
        and (side_st is None or _settled(side_st, previous))
    ):
        return prev
    sha, st = _hash_file(path)
    side_sha, side_st = _hash_sidecar(side) if side_st is not None else (None, None)
    return FileState(
        source=source,
        sha256=sha,
        sidecar_sha256=side_sha,
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
        ctime_ns=st.st_ctime_ns,
        inode=st.st_ino,
        sidecar_stat=_stat_key(side_st) if side_st else None,
    )


def _hash_file(path: str | Path) -> tuple[str, os.stat_result]:
    # The stat is taken from the open descriptor before reading: if the file changes while we
    # hash it, its mtime moves past the recorded one and the next run hashes it again.
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        return hashlib.file_digest(f, "sha256").hexdigest(), st


def _hash_sidecar(path: str | Path) -> tuple[str | None, os.stat_result | None]:
    try:
        return _hash_file(path)
    except FileNotFoundError:
        return None, None


def _settled(st: os.stat_result, previous: Manifest) -> bool:
    """True if the file's last change was well before the previous snapshot started."""
    return max(st.st_mtime_ns, st.st_ctime_ns) < previous.created_ns - RACY_WINDOW_NS


def _carry_forward(
    files: dict[str, FileState], doc_id: str, previous: Manifest | None, *, stale: bool
) -> None:
    prev = previous.files.get(doc_id) if previous else None
    if prev is None:
        files.pop(doc_id, None)  # never indexed: nothing to keep
    else:
        files[doc_id] = replace(prev, stale=prev.stale or stale)


def sidecar_path(path: Path) -> Path:
    """NAME.meta.toml beside NAME.txt or NAME.md."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def people_sha256(corpus: Path, *, builtin: Path = BUILTIN_PEOPLE, warn: Warn | None = None) -> str:
    """One hash over the built-in people data and the corpus's people.toml (each may be absent).

    An unreadable file hashes as such, so it counts as a change (everything is re-ingested with
    whatever the people loader makes of it) and again once it is readable.
    """
    digest = hashlib.sha256()
    for label, path in (("builtin", builtin), ("corpus", Path(corpus) / PEOPLE_FILENAME)):
        try:
            part = hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError:
            part = "absent"
        except OSError as exc:
            (warn or _ignore)(f"{path}: not readable ({_reason(exc)})")
            part = "unreadable"
        digest.update(f"{label}\0{part}\n".encode())
    return digest.hexdigest()


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
    """Write `manifest` to `path` atomically and durably (temp file, fsync, rename, fsync dir).

    The temp name is fixed, so a killed save leaves at most one stray file, overwritten next
    time; callers hold the IndexLock, so two saves never share it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    data = manifest.to_json().encode("utf-8")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


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
        reason = _reason(exc) if isinstance(exc, OSError) else "not UTF-8"
        (warn or _ignore)(f"{path}: manifest not readable ({reason}); re-indexing everything")
        return None
    try:
        return Manifest.from_json(text)
    except ValueError as exc:
        (warn or _ignore)(f"{path}: manifest is corrupt ({exc}); re-indexing everything")
        return None


def fsync_dir(directory: Path) -> None:
    """Make a rename in `directory` durable (best effort where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# -- helpers ---------------------------------------------------------------------------------


def _stat_key(st: os.stat_result) -> StatKey:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _stat_or_none(path: str | Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None


def _relative(path: Path, corpus: Path) -> str:
    try:
        return path.relative_to(corpus).as_posix()
    except ValueError:
        return Path(os.path.relpath(path, corpus)).as_posix()


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _ignore(message: str) -> None:
    pass
