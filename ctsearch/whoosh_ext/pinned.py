"""Open a committed state of the index with every one of its files held open (issue 15).

Why: segments are written uncompounded (segwriter.COMPOUND), so a Whoosh reader opens most of
a segment's files — its columns: stored fields, field lengths, facets — lazily, at the first
search that needs them. A writer may delete those files at any moment: an update's commit
removes the files of segments it merged away (`whoosh.index.clean_files`), and a rebuild
deletes the whole previous generation folder once the marker points to the new one. A reader
that opened the old state then found a column gone (`'NoneType' object is not subscriptable`
from Whoosh's `_cached_reader`, or a FileNotFoundError on `MAIN_….col`): 16 of ~7,600
searches failed in `benchmarks/stress_readers.py` before this module.

How: `open_pinned` opens *every* file of one state — its table of contents and all files of
the segments that TOC lists — before any search runs, and Whoosh then reads them only through
those descriptors (`PinnedStorage`: `open_file` gives a view of an already open descriptor with
its own position, by `os.pread`; `file_exists`, `file_length` and `list` answer from the
snapshot). Nothing is opened by name later, so nothing a writer deletes later can fail a read.

Why it is safe by design (POSIX): deleting a name does not delete an open file; its data stays
readable through every open descriptor until the last is closed. The only window is the
opening itself, and it is checked, not timed: a writer deletes the files of a state only
after it has made a newer state current — an update writes `_MAIN_<n+1>.toc` before cleaning
the segments of TOC n, a rebuild swaps the marker before deleting the old folder. So after
every file is open, `open_pinned` checks that TOC n is still the newest (no `_MAIN_<n+1>.toc`,
and `_MAIN_<n>.toc` still there) and the caller checks that the marker still names this
generation; if so, nothing of this state had been deleted when the folder was listed, and every
file of the state is held. If not, a writer moved on while we opened: the caller closes what
it opened and opens the new state (`StateMoved`, retried by index.store.open_index). A reader
never waits for a writer and never takes a lock; writers are unchanged (no build-speed cost).

What it costs: one open() and fstat() per file at open time (about 14 files per segment: a
few microseconds each, ~0.1 ms for a one-shot search), one descriptor per file while the
reader lives, and the disk space of files a writer deleted while a reader still holds them,
until that reader is closed (a long-lived reader, searching/session.py, closes its old state
at its next search after a commit, so at most one superseded state per open index folder is
kept alive). Reads cost the same as before: a buffered reader over pread instead of over read.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import weakref
from collections.abc import Iterable
from pathlib import Path

from ctsearch.whoosh_ext import imports  # noqa: F401  (first: lean Whoosh imports)

# isort: split
from whoosh.filedb.filestore import FileStorage, ReadOnlyError
from whoosh.filedb.structfile import StructFile

__all__ = [
    "PinnedStorage",
    "StateMoved",
    "latest_toc",
    "open_pinned",
    "toc_filename",
    "toc_generation",
]

# Whoosh's table of contents of a generation: `_MAIN_<n>.toc`, n + 1 at every commit.
INDEX_NAME = "MAIN"  # Whoosh's default index name, the one our generations use
_TOC = re.compile(r"^_MAIN_([0-9]+)\.toc$")


def toc_filename(generation: int) -> str:
    return f"_{INDEX_NAME}_{generation}.toc"


def latest_toc(names: Iterable[str]) -> int:
    """The newest TOC generation among file names; -1 when there is none."""
    newest = -1
    for name in names:
        m = _TOC.match(name)
        if m:
            newest = max(newest, int(m.group(1)))
    return newest


def toc_generation(folder: Path) -> int:
    """The newest TOC generation in a generation folder (-1: none)."""
    try:
        return latest_toc(os.listdir(folder))
    except OSError:
        return -1


_PREADV = hasattr(os, "preadv")


class StateMoved(Exception):
    """A writer made a newer state current while this one was being opened: open again."""


class _PreadFile(io.RawIOBase):
    """A read-only file over a descriptor someone else owns, with its own position: several
    views of one descriptor never disturb each other (no shared lseek offset). The descriptor
    belongs to the PinnedStorage: closing a view leaves it open."""

    def __init__(self, fd: int, size: int) -> None:
        super().__init__()
        self._fd, self._size, self._pos = fd, size, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def readinto(self, buffer) -> int:
        if self._pos >= self._size:
            return 0
        if _PREADV:
            n = os.preadv(self._fd, [buffer], self._pos)
        else:  # pragma: no cover - platforms without preadv
            data = os.pread(self._fd, len(buffer), self._pos)
            n = len(data)
            buffer[:n] = data
        self._pos += n
        return n

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self._size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if pos < 0:
            raise OSError(errno.EINVAL, "negative seek position")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos


class PinnedStorage(FileStorage):
    """A read-only Whoosh storage over files opened once (see the module docstring)."""

    supports_mmap = False
    readonly = True

    def __init__(self, folder: Path, toc: int) -> None:
        super().__init__(str(folder), supports_mmap=False, readonly=True)
        self.files: dict[str, tuple[int, int]] = {}  # name → (descriptor, size)
        self.toc = toc  # the TOC generation of this state
        self.info = None  # the marker's IndexInfo, set by index.open_index
        # Closes the descriptors when this storage is closed or garbage-collected.
        self._finalizer = weakref.finalize(self, _close_all, self.files)

    @property
    def state(self) -> tuple[str, int]:
        """(generation folder, TOC generation): what identifies this committed state."""
        return (Path(self.folder).name, self.toc)

    @property
    def size(self) -> int:
        """Bytes of every file of this state."""
        return sum(size for _, size in self.files.values())

    def open_file(self, name: str, **kwargs) -> StructFile:
        try:
            fd, size = self.files[name]
        except KeyError:
            raise FileNotFoundError(
                errno.ENOENT, "not a file of the opened index state", self._fpath(name)
            ) from None
        if not self._finalizer.alive:
            raise ValueError("the index state was closed")
        return StructFile(io.BufferedReader(_PreadFile(fd, size)), name=name, **kwargs)

    def list(self) -> list[str]:
        return list(self.files)

    def file_exists(self, name: str) -> bool:
        return name in self.files

    def file_length(self, name: str) -> int:
        try:
            return self.files[name][1]
        except KeyError:
            raise FileNotFoundError(errno.ENOENT, "not in the opened state", name) from None

    def file_modified(self, name: str) -> float:
        return os.fstat(self.files[name][0]).st_mtime

    def create_file(self, name: str, *args, **kwargs):
        raise ReadOnlyError(f"{name}: an opened index state is read-only")

    def lock(self, name: str):
        raise ReadOnlyError(f"{name}: an opened index state is read-only")

    def close(self) -> None:
        """Whoosh closes the storage with each segment reader: the files stay held until
        `release()` (several readers may share this state)."""

    def release(self) -> None:
        """Close every descriptor (the files a writer deleted meanwhile are then freed). Also
        done when this storage is garbage-collected."""
        self._finalizer()


def _close_all(files: dict[str, tuple[int, int]]) -> None:
    for fd, _ in files.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    files.clear()


def open_pinned(folder: Path, schema) -> PinnedStorage:
    """Open every file of the newest committed state in the generation `folder`.

    Raises StateMoved when a writer committed a newer state while this one was opened, and
    FileNotFoundError when the folder has no TOC (the caller knows whether it moved away).
    The caller must also check that the marker still names `folder` (a rebuild).
    """
    from whoosh.index import TOC

    folder = Path(folder)
    names = os.listdir(folder)
    generation = latest_toc(names)
    if generation < 0:
        raise FileNotFoundError(errno.ENOENT, "no table of contents", str(folder))
    storage = PinnedStorage(folder, generation)
    try:
        toc_name = toc_filename(generation)
        _open_into(storage.files, folder, toc_name)
        # The segments of this TOC, read through the descriptor just opened.
        # Our schema object: the pickled one is skipped, not loaded.
        toc = TOC.read(storage, INDEX_NAME, generation, schema=schema)
        prefixes = tuple(f"{segment.segment_id()}." for segment in toc.segments)
        for name in names:
            if prefixes and name.startswith(prefixes):
                _open_into(storage.files, folder, name)
        # Every file is open. A writer cleans a state's files only once a newer TOC is in
        # place; if none is and ours is still there, nothing of ours was missing from the
        # listing above (see the module docstring).
        if (folder / toc_filename(generation + 1)).exists() or not (folder / toc_name).exists():
            raise StateMoved(str(folder))
    except BaseException:
        storage.release()
        raise
    return storage


def _open_into(files: dict[str, tuple[int, int]], folder: Path, name: str) -> None:
    """Open `name` (a vanished file means a writer moved on: StateMoved)."""
    try:
        fd = os.open(folder / name, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise StateMoved(name) from None
    try:
        files[name] = (fd, os.fstat(fd).st_size)
    except BaseException:
        os.close(fd)
        raise
