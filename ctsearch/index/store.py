"""The index folder: its marker, its generations, opening it, and swapping in a new one.

Layout of an index folder:

    index/
      ctsearch-index.json   our marker: schema version, build time, corpus, active generation
      whoosh-<n>-<pid>/     the Whoosh index of the active generation
      manifest.json, .ctsearch-write.lock   (what it was built from, see manifest.py / lock.py)

ctsearch only opens a folder that holds its marker: Whoosh keeps pickled data, so an index made
elsewhere could run code when opened. A full build writes a new generation beside the active
one and then swaps the marker atomically (`swap_in`), so a crash at any moment leaves the old
index or the new one, never neither; the old generation is deleted only after the swap.
Updates (update.py) write into the active generation; Whoosh commits atomically itself. Every
write holds the IndexLock (lock.py, `write_lock`) for its whole duration.

Readers take no lock: `open_index` opens one committed state with every one of its files held
open (whoosh_ext/pinned.py explains why a writer's merges and rebuilds then cannot fail it),
and `state()` tells cheaply whether a newer one exists. The marker's document and passage
counts name the commit they describe ("toc"), so a count left stale by a kill is recounted.
"""

from __future__ import annotations

from ctsearch import whoosh_ext  # noqa: F401  (first: version check, lean Whoosh imports)

# isort: split
import contextlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ctsearch.durable import replace_file
from ctsearch.errors import CorpusError, IndexMissingError, UnusableIndexError
from ctsearch.index.schema import SCHEMA_VERSION, build_schema

MARKER = "ctsearch-index.json"
MARKER_FORMAT = "ctsearch-index"
GENERATION_PREFIX = "whoosh-"
MANIFEST_FILENAME = "manifest.json"  # what the index was built from (manifest.py)
# A writer that commits (or a rebuild that swaps generations) while a reader opens the index
# moves the state on under it (pinned.StateMoved): a fresh attempt opens the new, complete
# state. Commits take far longer than an open, so a second attempt almost always succeeds.
OPEN_ATTEMPTS = 8
OPEN_RETRY_DELAY = 0.005  # seconds, doubled after each failed attempt (~1.3 s in all at most)

Warn = Callable[[str], None]


@dataclass(frozen=True)
class IndexInfo:
    """An index folder as its marker describes it."""

    index_dir: Path
    generation: Path
    schema_version: int
    built: str | None
    corpus: str | None
    marker: dict[str, Any]


# -- the marker ----------------------------------------------------------------------------


def read_marker(index_dir: Path) -> dict[str, Any] | None:
    """The marker's contents; None when there is none. UnusableIndexError if it is not ours."""
    path = Path(index_dir) / MARKER
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UnusableIndexError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("format") != MARKER_FORMAT:
        raise UnusableIndexError(
            f"{path} is not a ctsearch index marker; delete {index_dir} and run `ctsearch index`"
        )
    return data


def write_marker(index_dir: Path, data: dict[str, Any]) -> None:
    """Replace the marker atomically and durably."""
    path = Path(index_dir) / MARKER
    payload = json.dumps({"format": MARKER_FORMAT, **data}, indent=1, ensure_ascii=False)
    tmp = path.with_name(f".{MARKER}.{os.getpid()}.tmp")
    replace_file(path, (payload + "\n").encode("utf-8"), tmp=tmp)


def _check_not_foreign(index_dir: Path) -> None:
    """Refuse a non-empty folder without our marker: it is not ours to overwrite or open."""
    from ctsearch.index.lock import LOCK_FILENAME  # off the search path (sockets, threads)

    own_names = {MARKER, MANIFEST_FILENAME, LOCK_FILENAME}
    try:
        entries = [p.name for p in index_dir.iterdir()]
    except FileNotFoundError:
        return
    except NotADirectoryError:
        raise UnusableIndexError(f"{index_dir} is a file, not an index folder") from None
    strangers = [
        n for n in entries if n not in own_names and not n.startswith((".", GENERATION_PREFIX))
    ]
    if strangers:
        raise UnusableIndexError(
            f"{index_dir} holds files that ctsearch did not write (no {MARKER}); "
            "ctsearch only opens indexes it built: choose another --index folder or empty it"
        )


def index_info(index_dir: Path) -> IndexInfo:
    """Describe a usable index, or raise IndexMissingError / UnusableIndexError saying why not."""
    index_dir = Path(index_dir)
    marker = read_marker(index_dir)
    if marker is None:
        _check_not_foreign(index_dir)
        raise IndexMissingError(f"no index in {index_dir}: run `ctsearch index` to build it")
    generation = marker.get("generation")
    if not isinstance(generation, str) or not (index_dir / generation).is_dir():
        raise IndexMissingError(f"the index in {index_dir} is incomplete: run `ctsearch index`")
    version = marker.get("schema_version")
    if version != SCHEMA_VERSION:
        raise UnusableIndexError(
            f"the index in {index_dir} was built by another ctsearch version (schema {version}, "
            f"this one reads {SCHEMA_VERSION}): run `ctsearch index --rebuild`"
        )
    return IndexInfo(
        index_dir=index_dir,
        generation=index_dir / generation,
        schema_version=version,
        built=marker.get("built"),
        corpus=marker.get("corpus"),
        marker=marker,
    )


def is_outdated(index_dir: Path) -> bool:
    """True when the folder holds a ctsearch index of another schema version."""
    marker = read_marker(Path(index_dir))
    return marker is not None and marker.get("schema_version") != SCHEMA_VERSION


def create_index(gen_dir: Path):
    """A new, empty Whoosh index of our schema in `gen_dir` (a generation being built)."""
    from whoosh.filedb.filestore import FileStorage

    storage = FileStorage(str(gen_dir))
    storage.create()
    return storage.create_index(build_schema())


def open_index(index_dir: Path, *, write: bool = False):
    """Open the active generation: for reading, one committed state with all its files held
    open (whoosh_ext/pinned.py: a writer's merges and rebuilds cannot fail its searches); with
    `write` (the caller holds the IndexLock) plainly, for a writer.

    A writer committing (or a rebuild swapping generations) while the state is being opened
    moves it on: the newer state is opened instead, a few attempts at most.
    """
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import FileIndex

    from ctsearch.whoosh_ext import pinned

    schema = build_schema()  # ours: nothing of ours is unpickled on open
    if write:  # the caller holds the lock: nothing can move the state under it, no retry
        info = index_info(index_dir)
        try:
            storage = FileStorage(str(info.generation), supports_mmap=False)
            return storage.open_index(schema=schema)
        except Exception as exc:  # Whoosh raises many kinds for a damaged index
            raise _broken(index_dir, exc) from None
    delay = OPEN_RETRY_DELAY
    for attempt in range(OPEN_ATTEMPTS):
        info = index_info(index_dir)
        try:
            storage = pinned.open_pinned(info.generation, schema)
            try:
                if _active_generation(index_dir) != info.generation.name:
                    raise pinned.StateMoved(str(info.generation))  # a rebuild swapped it
                storage.info = info
                return FileIndex(storage, schema=schema)
            except BaseException:
                storage.release()
                raise
        except (pinned.StateMoved, FileNotFoundError) as exc:
            if attempt + 1 < OPEN_ATTEMPTS:
                time.sleep(delay)
                delay *= 2
                continue
            raise _broken(index_dir, exc) from None
        except Exception as exc:  # Whoosh raises many kinds for a damaged index
            raise _broken(index_dir, exc) from None
    raise AssertionError("unreachable")


@contextlib.contextmanager
def reading(index_dir: Path) -> Iterator[Any]:
    """The index opened for reading (`open_index`) for the block; the files of its state are
    released when the block ends, however it ends."""
    ix = open_index(index_dir)
    try:
        yield ix
    finally:
        ix.storage.release()


def _active_generation(index_dir: Path) -> str | None:
    marker = read_marker(index_dir)
    return marker.get("generation") if marker else None


def state(index_dir: Path) -> tuple[str, int]:
    """(active generation, its newest TOC): changes with every commit and every rebuild, and
    costs a marker read and a folder listing (searching/session.py checks it before each
    search)."""
    from ctsearch.whoosh_ext.pinned import toc_generation

    generation = index_info(index_dir).generation
    return (generation.name, toc_generation(generation))


# -- counts --------------------------------------------------------------------------------
#
# The marker's "documents" and "passages" describe the Whoosh commit named by its "toc" (the
# TOC generation). A kill between a commit and the marker write leaves them describing the
# commit before: the next update (under the lock) sees that "toc" is not the newest and counts
# afresh from the index itself, the one source of truth, before it does anything else.


def count_documents(reader) -> int:
    """Documents with at least one live passage in the index (postings skip deleted ones)."""
    return sum(
        1 for term in reader.lexicon("doc_id") if reader.postings("doc_id", term).is_active()
    )


def current_counts(index_dir: Path, marker: dict[str, Any]) -> dict[str, Any]:
    """The marker's counts ("documents", "passages", "toc") if they describe the index's newest
    commit, else counted from that commit. The caller holds the lock (or only reads)."""
    from ctsearch.whoosh_ext.pinned import toc_generation

    generation = Path(index_dir) / str(marker.get("generation"))
    toc = toc_generation(generation)
    if marker.get("toc") == toc and isinstance(marker.get("documents"), int):
        return {k: marker.get(k) for k in ("documents", "passages", "toc")}
    with reading(index_dir) as ix, ix.reader() as reader:
        return {
            "documents": count_documents(reader),
            "passages": reader.doc_count(),
            "toc": ix.storage.toc,
        }


def _broken(index_dir: Path, exc: Exception) -> UnusableIndexError:
    return UnusableIndexError(
        f"cannot open the index in {index_dir} ({type(exc).__name__}: {exc}); "
        "run `ctsearch index --rebuild`"
    )


@contextlib.contextmanager
def write_lock(index_dir: Path, warn: Warn | None = None):
    """Hold the IndexLock of `index_dir` (unless this thread already does) while writing."""
    from ctsearch.index.lock import IndexLock, held_by_this_thread

    if held_by_this_thread(index_dir):
        yield
        return

    def waiting(holder) -> None:
        if warn is not None:
            who = holder.describe() if holder is not None else "pid unknown"
            warn(f"waiting for another ctsearch update ({who})")

    with IndexLock(index_dir, on_wait=waiting):
        yield


# -- writing -------------------------------------------------------------------------------


def claim(index_dir: Path, warn: Warn | None) -> dict[str, Any] | None:
    """Check the folder is ours (or empty) and announce a schema change; the current marker."""
    old = read_marker(index_dir)
    if old is None:
        _check_not_foreign(index_dir)
    elif old.get("schema_version") != SCHEMA_VERSION and warn is not None:
        warn(
            f"the index in {index_dir} has schema version {old.get('schema_version')}; "
            f"rebuilding it for version {SCHEMA_VERSION}"
        )
    return old


def swap_in(
    corpus: Path,
    index_dir: Path,
    write: Callable[[Path], tuple[int, int]],
    *,
    marker: dict[str, Any] | None = None,
) -> tuple[int, int]:
    """Write a new generation with `write(gen_dir)` → (documents, passages) and swap it in.

    The caller holds the lock. `write` is build.parse_and_write (or anything that writes a
    Whoosh index into the empty folder it is given). Returns (documents, passages).
    Raises CorpusError, leaving the previous index as it was, when no document yields a passage:
    an empty corpus (or one of unreadable files) must never replace a good index with nothing.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    old = read_marker(index_dir) if marker is None else marker
    if old is None:
        # Mark the folder as ours before anything else, so that a crash mid-build leaves a
        # folder we recognise (and rebuild) rather than one we refuse as foreign.
        old = {"schema_version": SCHEMA_VERSION, "generation": None}
        write_marker(index_dir, old)
    _remove_stale_generations(index_dir, keep=old.get("generation"))

    serial = int(old.get("serial", 0) or 0) + 1
    gen_name = f"{GENERATION_PREFIX}{serial}-{os.getpid()}"
    gen_dir = index_dir / gen_name
    try:
        n_docs, n_passages = write(gen_dir)
        if n_passages == 0:
            raise CorpusError(
                f"nothing in {corpus} could be indexed (no readable documents); "
                "the existing index, if any, is kept"
            )
    except BaseException:
        _rmtree(gen_dir)
        raise
    from ctsearch.whoosh_ext.pinned import toc_generation

    write_marker(
        index_dir,
        {
            "schema_version": SCHEMA_VERSION,
            "generation": gen_name,
            "serial": serial,
            "built": now(),
            "corpus": str(corpus.resolve()),
            "documents": n_docs,
            "passages": n_passages,
            "toc": toc_generation(gen_dir),
        },
    )
    previous = old.get("generation")
    if isinstance(previous, str) and previous != gen_name:
        _rmtree(index_dir / previous)
    return n_docs, n_passages


def now() -> str:
    """The current UTC time as the marker records it."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _remove_stale_generations(index_dir: Path, *, keep: str | None) -> None:
    """Delete generations left by builds that died. The caller holds the IndexLock, so no
    other build can be writing one: any generation but the active one is garbage (a pid
    check would keep a dead build's folder forever once its pid is reused)."""
    for path in index_dir.glob(f"{GENERATION_PREFIX}*"):
        if path.name != keep and path.is_dir():
            _rmtree(path)


def _rmtree(path: Path) -> None:
    """Delete a folder and everything in it, quietly (shutil loads bz2 and lzma: imported here,
    off the search path)."""
    import shutil

    shutil.rmtree(path, ignore_errors=True)
