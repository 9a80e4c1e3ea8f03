"""Files that survive a crash: replace a file atomically, make a rename durable.

A kill at any moment leaves the old file or the new one, never a torn one (temp file beside
the target, fsync, rename, fsync of the folder). Used for the corpus (`ctsearch add`) and the
index folder (marker, manifest).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["fsync_dir", "replace_file"]


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


def replace_file(path: Path, data: bytes, *, tmp: Path | None = None) -> None:
    """Write `data` to `path` atomically and durably (temp file, fsync, rename, fsync dir).

    `tmp` is the temp file's name (default: `.NAME.tmp` beside it); with a fixed name a killed
    write leaves at most one stray file, overwritten next time: the caller makes sure two
    writers never share it (the index's writers hold the IndexLock).
    """
    path = Path(path)
    tmp = tmp if tmp is not None else path.with_name(f".{path.name}.tmp")
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
