"""Build, open and describe the Whoosh index: a self-describing build product.

Layout of an index folder:

    index/
      ctsearch-index.json   our marker: schema version, build time, corpus, active generation
      whoosh-<n>-<pid>/     the Whoosh index of the active generation
      manifest.json, .ctsearch-write.lock   (incremental updates, see manifest.py / lock.py)

ctsearch only opens a folder that holds its marker: Whoosh keeps pickled data, so an index made
elsewhere could run code when opened. A full build writes a new generation beside the active
one and then swaps the marker atomically (os.replace), so a crash at any moment leaves the old
index or the new one, never neither; the old generation is deleted only after the swap.
Incremental updates (incremental.py) write into the active generation; Whoosh commits
atomically itself. Every write holds the IndexLock (lock.py) for its whole duration.

Readers take no lock: `open_index` opens one committed state with every one of its files held
open (pinned.py explains why a writer's merges and rebuilds then cannot fail it), and
`state()` tells cheaply whether a newer one exists. The marker's document and passage counts
name the commit they describe ("toc"), so a count left stale by a kill is recounted.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .errors import CorpusError, IndexError_, IndexMissingError
from .models import Document, Passage

MARKER = "ctsearch-index.json"
MARKER_FORMAT = "ctsearch-index"
GENERATION_PREFIX = "whoosh-"
# Names of our own that may sit in an index folder before its marker exists.
OWN_NAMES = frozenset({MARKER, "manifest.json", ".ctsearch-write.lock"})
# Build tuning (issue 6): one process is fastest for small corpora; several (build.py) pay off
# once there is enough text to amortise forking them and the extra segment.
MP_MIN_BYTES = 500_000  # corpus size (~700 passages) from which a build forks workers

# A writer that commits (or a rebuild that swaps generations) while a reader opens the index
# moves the state on under it (pinned.StateMoved): a fresh attempt opens the new, complete
# state. Commits take far longer than an open, so a second attempt almost always succeeds.
OPEN_ATTEMPTS = 8
OPEN_RETRY_DELAY = 0.005  # seconds, doubled after each failed attempt (~1.3 s in all at most)

Warn = Callable[[str], None]
Progress = Callable[[int, int], None]  # (documents done, documents to do)

# Whoosh's table of contents of a generation: `_MAIN_<n>.toc`, n + 1 at every commit.
INDEX_NAME = "MAIN"  # Whoosh's default index name, the one our generations use
_TOC = re.compile(r"^_MAIN_([0-9]+)\.toc$")


@dataclass(frozen=True)
class IndexReport:
    """What a build or an update did. `documents`/`passages` count the whole index after it;
    the change counts come from comparing the corpus with the manifest (incremental.py)."""

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
    """The marker's contents; None when there is none. IndexError_ if it is not ours."""
    path = Path(index_dir) / MARKER
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise IndexError_(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("format") != MARKER_FORMAT:
        raise IndexError_(
            f"{path} is not a ctsearch index marker; delete {index_dir} and run `ctsearch index`"
        )
    return data


def write_marker(index_dir: Path, data: dict[str, Any]) -> None:
    """Replace the marker atomically (write, fsync, rename)."""
    path = Path(index_dir) / MARKER
    tmp = path.with_name(f".{MARKER}.{os.getpid()}.tmp")
    payload = json.dumps({"format": MARKER_FORMAT, **data}, indent=1, ensure_ascii=False)
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(payload + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    from .manifest import fsync_dir  # the one implementation of a durable rename

    fsync_dir(path)


def _check_not_foreign(index_dir: Path) -> None:
    """Refuse a non-empty folder without our marker: it is not ours to overwrite or open."""
    try:
        entries = [p.name for p in index_dir.iterdir()]
    except FileNotFoundError:
        return
    except NotADirectoryError:
        raise IndexError_(f"{index_dir} is a file, not an index folder") from None
    strangers = [
        n for n in entries if n not in OWN_NAMES and not n.startswith((".", GENERATION_PREFIX))
    ]
    if strangers:
        raise IndexError_(
            f"{index_dir} holds files that ctsearch did not write (no {MARKER}); "
            "ctsearch only opens indexes it built: choose another --index folder or empty it"
        )


def index_info(index_dir: Path) -> IndexInfo:
    """Describe a usable index, or raise IndexMissingError / IndexError_ saying why not."""
    from .schema import SCHEMA_VERSION

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
        raise IndexError_(
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
    from .schema import SCHEMA_VERSION

    marker = read_marker(Path(index_dir))
    return marker is not None and marker.get("schema_version") != SCHEMA_VERSION


def open_index(index_dir: Path, *, write: bool = False):
    """Open the active generation: for reading, one committed state with all its files held
    open (pinned.py: a writer's merges and rebuilds cannot fail its searches); with `write`
    (the caller holds the IndexLock) plainly, for a writer.

    A writer committing (or a rebuild swapping generations) while the state is being opened
    moves it on: the newer state is opened instead, a few attempts at most.
    """
    from . import pinned  # first: Whoosh through whooshlite (lighter; checks its release)

    # isort: split
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import FileIndex

    from .schema import build_schema

    schema = build_schema()  # ours: nothing of ours is unpickled on open
    delay = OPEN_RETRY_DELAY
    for attempt in range(OPEN_ATTEMPTS):
        info = index_info(index_dir)
        try:
            if write:
                return FileStorage(str(info.generation), supports_mmap=False).open_index(
                    schema=schema
                )
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


def _active_generation(index_dir: Path) -> str | None:
    marker = read_marker(index_dir)
    return marker.get("generation") if marker else None


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


def state(index_dir: Path) -> tuple[str, int]:
    """(active generation, its newest TOC): changes with every commit and every rebuild, and
    costs a marker read and a folder listing (opened.py checks it before each search)."""
    generation = index_info(index_dir).generation
    return (generation.name, toc_generation(generation))


def _broken(index_dir: Path, exc: Exception) -> IndexError_:
    return IndexError_(
        f"cannot open the index in {index_dir} ({type(exc).__name__}: {exc}); "
        "run `ctsearch index --rebuild`"
    )


@contextlib.contextmanager
def write_lock(index_dir: Path, warn: Warn | None = None):
    """Hold the IndexLock of `index_dir` (unless this thread already does) while writing."""
    from .lock import IndexLock, held_by_this_thread

    if held_by_this_thread(index_dir):
        yield
        return

    def waiting(holder) -> None:
        if warn is not None:
            who = holder.describe() if holder is not None else "pid unknown"
            warn(f"waiting for another ctsearch update ({who})")

    with IndexLock(index_dir, on_wait=waiting):
        yield


# -- building ------------------------------------------------------------------------------


def build_index(
    corpus: Path,
    index_dir: Path,
    *,
    rebuild: bool = False,
    warn: Warn | None = None,
    documents: Iterable[Document] | None = None,
    progress: Progress | None = None,
) -> IndexReport:
    """Bring the index of `corpus` up to date; a full build when there is none yet.

    Without `documents` this is the incremental update of incremental.update_index (only
    what changed in the corpus is re-indexed; `rebuild` starts from scratch). `documents`
    replaces reading the corpus (tests, benchmarks) and always makes a full build.
    """
    if documents is None:
        from .incremental import update_index

        return update_index(corpus, index_dir, rebuild=rebuild, warn=warn, progress=progress)
    corpus, index_dir = Path(corpus), Path(index_dir)
    _claim(index_dir, warn)  # refuses a folder that is not ours, before the lock file is made
    with write_lock(index_dir, warn):
        from .manifest import MANIFEST_FILENAME, discard

        # The manifest would describe the corpus, not these documents: forget it.
        discard(index_dir / MANIFEST_FILENAME)
        from .build import write_documents

        def write(gen_dir: Path) -> tuple[int, int]:
            return write_documents(gen_dir, documents, progress=progress)

        # The marker is read by full_build, under the lock: another build may have just ended.
        return full_build(corpus, index_dir, write)


def _claim(index_dir: Path, warn: Warn | None) -> dict[str, Any] | None:
    """Check the folder is ours (or empty) and announce a schema change; the current marker."""
    from .schema import SCHEMA_VERSION

    old = read_marker(index_dir)
    if old is None:
        _check_not_foreign(index_dir)
    elif old.get("schema_version") != SCHEMA_VERSION and warn is not None:
        warn(
            f"the index in {index_dir} has schema version {old.get('schema_version')}; "
            f"rebuilding it for version {SCHEMA_VERSION}"
        )
    return old


def full_build(
    corpus: Path,
    index_dir: Path,
    write: Callable[[Path], tuple[int, int]],
    *,
    marker: dict[str, Any] | None = None,
) -> IndexReport:
    """Write a new generation with `write(gen_dir)` → (documents, passages) and swap it in.

    The caller holds the lock. `write` is build.write_documents or build.parse_and_write.
    Raises CorpusError, leaving the previous index as it was, when no document yields a passage:
    an empty corpus (or one of unreadable files) must never replace a good index with nothing.
    """
    from .schema import SCHEMA_VERSION

    started = time.perf_counter()
    index_dir.mkdir(parents=True, exist_ok=True)
    old = read_marker(index_dir) if marker is None else marker
    if old is None:
        # Mark the folder as ours before anything else, so that a crash mid-build leaves a
        # folder we recognise (and rebuild) rather than one we refuse as foreign.
        write_marker(index_dir, {"schema_version": SCHEMA_VERSION, "generation": None})
        old = read_marker(index_dir) or {}
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
    write_marker(
        index_dir,
        {
            "schema_version": SCHEMA_VERSION,
            "generation": gen_name,
            "serial": serial,
            "built": _now(),
            "corpus": str(corpus.resolve()),
            "documents": n_docs,
            "passages": n_passages,
            "toc": toc_generation(gen_dir),
        },
    )
    previous = old.get("generation")
    if isinstance(previous, str) and previous != gen_name:
        _rmtree(index_dir / previous)
    return IndexReport(
        documents=n_docs,
        passages=n_passages,
        seconds=time.perf_counter() - started,
        index_dir=str(index_dir),
        corpus=str(corpus),
        rebuilt=True,
        passages_written=n_passages,
    )


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

    generation = Path(index_dir) / str(marker.get("generation"))
    toc = toc_generation(generation)
    if marker.get("toc") == toc and isinstance(marker.get("documents"), int):
        return {k: marker.get(k) for k in ("documents", "passages", "toc")}
    ix = open_index(index_dir)
    try:
        with ix.reader() as reader:
            return {
                "documents": count_documents(reader),
                "passages": reader.doc_count(),
                "toc": ix.storage.toc,
            }
    finally:
        ix.storage.release()


def is_big(corpus: Path) -> bool:
    """True when the corpus holds at least MP_MIN_BYTES of text: worth several processes."""
    total = 0
    try:
        for path in corpus.rglob("*"):
            if path.suffix in (".txt", ".md") and path.is_file():
                total += path.stat().st_size
                if total >= MP_MIN_BYTES:
                    return True
    except OSError:
        return False
    return False


def update_documents(
    index_dir: Path,
    documents: Iterable[Document] = (),
    *,
    delete: Iterable[str] = (),
) -> tuple[int, int]:
    """Replace the given documents' passages and delete `delete` doc_ids, in one commit.

    The building block of incremental updates (see update.apply_update): each document is
    deleted by doc_id, then added, so re-applying the same update is harmless. Returns
    (documents, passages) added.
    """
    from .update import apply_update

    with write_lock(Path(index_dir)):
        counts = apply_update(Path(index_dir), documents, delete=delete)
    return counts.documents_added, counts.passages_added


def passage_fields(doc: Document, passage: Passage) -> dict[str, Any]:
    """One passage as the keyword arguments of `writer.add_document`."""
    from .schema import FACET_SEPARATOR

    fields: dict[str, Any] = {
        "passage_id": passage.passage_id,
        "doc_id": doc.doc_id,
        "ordinal": passage.ordinal,
        "source": doc.source,
        "text": passage.text,
        "exact": passage.text,
        "pairs": passage.text,
        "title": doc.title or "",
        "doc_type": doc.doc_type,
        "date_text": doc.date,
        "speakers": ",".join(s.replace(",", " ") for s in passage.speakers),
        "speaker_names": ",".join(s.replace(",", " ") for s in passage.speakers),
        "speaker_list": list(passage.speakers),
        "speaker_facet": FACET_SEPARATOR.join(passage.speakers).encode("utf-8"),
        "mentions": ",".join(s.replace(",", " ") for s in passage.mentions),
        "mention_list": list(passage.mentions),
        "place": doc.place,
        "url": doc.url,
        "start": passage.start,
        "end": passage.end,
    }
    day = _parse_iso_day(doc.date)
    year = doc.year or (day.year if day else None)
    if day is not None:
        fields["date"] = day
        fields["date_precision"] = "day"
        fields["datekey"] = day.year * 10000 + day.month * 100 + day.day
    elif year:
        fields["date_precision"] = "year"
        fields["datekey"] = year * 10000
    else:
        fields["date_precision"] = "none"
    if year:
        fields["year"] = year
    if doc.conference:
        fields["conference_name"] = doc.conference
    return fields


def _parse_iso_day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d")
    except ValueError:
        return None


def _now() -> str:
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
