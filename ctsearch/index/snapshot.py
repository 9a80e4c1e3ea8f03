"""A snapshot of the corpus: every document's content hashes, its sidecar's, the people
data's (a `Manifest`, manifest.py).

Hashes decide; file stats only save work. A document whose (size, mtime, ctime, inode) — and
its sidecar's — are unchanged since the last snapshot is trusted unchanged without reading it,
which keeps `ctsearch index` on a 3,000-file corpus to a few milliseconds of `stat` calls. A
file modified within RACY_WINDOW_NS of the previous snapshot is always re-hashed (git's "racy
clean" problem: a second same-size write in the same timestamp tick would otherwise go unseen).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from ctsearch.corpus.files import (
    BUILTIN_PEOPLE,
    is_document_name,
    os_cause,
    people_path,
    sidecar_path,
)
from ctsearch.index.manifest import FileState, Manifest, StatKey, carry_forward, ignore

# Files modified this close to (or after) the previous snapshot are re-hashed even if their
# stat looks unchanged. 2 s covers the coarsest common timestamps (FAT, some network shares).
RACY_WINDOW_NS = 2_000_000_000

Warn = Callable[[str], None]


def snapshot(
    corpus: Path,
    *,
    files: Iterable[Path] | None = None,
    previous: Manifest | None = None,
    versions: Mapping[str, str] | None = None,
    warn: Warn | None = None,
) -> Manifest:
    """The current state of `corpus`: every document's hashes, the people hash, `versions`.

    `files` defaults to corpus.read.find_files(corpus). With `previous` (the last saved manifest),
    files whose stat is unchanged are not re-read. Files that cannot be read are reported
    through `warn` as "path: not readable (reason)" and listed in `Manifest.unreadable`.
    """
    from ctsearch.corpus.read import doc_id_for, find_files

    warn = warn or ignore
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
            reason = os_cause(exc)
            warn(f"{path}: not readable ({reason})")
            unreadable[doc_id] = reason
            # If an interrupted update was changing it, the index state is unknown: redo it
            # once it is readable (a placeholder entry makes it "changed" or "removed" then).
            in_doubt = previous is not None and doc_id in previous.pending
            carry_forward(states, doc_id, previous, stale=stale_all or in_doubt)
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
    """corpus.read.doc_id_for for a plain relative path to a document file, without pathlib (the
    tests check the two agree); None for anything else, which then goes to doc_id_for."""
    if not is_document_name(os.path.basename(source)):
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
    side = sidecar_path(path)
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


def people_sha256(corpus: Path, *, builtin: Path = BUILTIN_PEOPLE, warn: Warn | None = None) -> str:
    """One hash over the built-in people data and the corpus's people.toml (each may be absent).

    An unreadable file hashes as such, so it counts as a change (everything is re-ingested with
    whatever the people loader makes of it) and again once it is readable.
    """
    digest = hashlib.sha256()
    for label, path in (("builtin", builtin), ("corpus", people_path(corpus))):
        try:
            part = hashlib.sha256(path.read_bytes()).hexdigest()
        except FileNotFoundError:
            part = "absent"
        except OSError as exc:
            (warn or ignore)(f"{path}: not readable ({os_cause(exc)})")
            part = "unreadable"
        digest.update(f"{label}\0{part}\n".encode())
    return digest.hexdigest()


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
