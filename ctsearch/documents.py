"""Files → Documents: read and repair (ingest), extract metadata, apply sidecars, split passages.

A sidecar NAME.meta.toml beside NAME.txt states what the text does not (title, date, doc_type,
place, conference, speakers, url) and wins over extraction. A broken sidecar is reported as a
warning naming the file and line, and the document is still ingested without it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from . import ingest
from .errors import DocumentError, MetadataError
from .metadata import SPEECH_TYPES, DocMeta, canonical_conference, extract_metadata, read_sidecar
from .models import MAX_WORD_CHARS, Document
from .passages import split_passages
from .people import People

PEOPLE_FILENAME = "people.toml"  # a user's additions to data/people.toml, at the corpus root
SIDECAR_SUFFIX = ".meta.toml"
# A word the index would hold (schema.py indexes runs of word characters up to this long).
_INDEXABLE_WORD = re.compile(rf"(?<!\w)\w{{1,{MAX_WORD_CHARS}}}(?!\w)")

Warn = Callable[[str], None]


def load_people(corpus: Path | None = None) -> People:
    """The built-in people, extended by `<corpus>/people.toml` when there is one.

    Raises MetadataError naming the file and line when the user's file is broken."""
    extra = Path(corpus) / PEOPLE_FILENAME if corpus is not None else None
    return People.load(*(p for p in [extra] if p is not None and p.is_file()))


def sidecar_path(path: Path) -> Path:
    """NAME.meta.toml beside NAME.txt (or NAME.md)."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def _apply_sidecar(meta: DocMeta, fields: dict, people: People) -> DocMeta:
    changes: dict = {}
    for key in ("title", "doc_type", "place", "url"):
        if key in fields:
            changes[key] = fields[key]
    if "date" in fields:
        value = fields["date"]
        if value and len(value) == 10:
            changes["date"], changes["year"] = value, int(value[:4])
        else:  # "2023" or "2023-06": the year is known, the day is not
            changes["date"] = None
            changes["year"] = int(value[:4]) if value else meta.year
    if "year" in fields and not changes.get("date"):
        changes["year"] = fields["year"]
    if "conference" in fields:
        given = fields["conference"]
        year = changes.get("year", meta.year)
        changes["conference"] = (canonical_conference(given, year) or given) if given else None
    if "speakers" in fields:
        on = changes.get("date") or meta.date or (str(meta.year) if meta.year else None)
        changes["speakers"] = tuple(
            dict.fromkeys(
                people.resolve(s, on, undated_office=False) or s for s in fields["speakers"]
            )
        )
    return dataclasses.replace(meta, **changes)


def parse_file(
    path: Path, *, corpus_root: Path | None = None, people: People | None = None
) -> Document:
    """One file → a Document. Raises DocumentError when the file cannot be read as text."""
    path = Path(path)
    people = people if people is not None else load_people(corpus_root)
    # .md is Markdown; for anything else let the cleaner detect it (seed 003 is Markdown in .txt).
    markdown = True if path.suffix.lower() == ".md" else None
    text = ingest.clean_text(ingest.read_text(path), markdown=markdown)
    if not text:
        # Only page numbers, rules or Markdown marks: nothing a search could ever find.
        raise DocumentError(f"{path}: no text left after cleaning (only page furniture or marks)")
    doc_id = ingest.doc_id_for(path, corpus_root)
    meta = extract_metadata(text, people=people, source=str(path))
    warnings: list[str] = []
    fields: dict = {}
    side = sidecar_path(path)
    if side.is_file():
        try:
            fields = read_sidecar(side)
        except MetadataError as exc:
            warnings.append(str(exc))
    if fields:
        meta = _apply_sidecar(meta, fields, people)
    # A speech's speaker (from its title, or the sidecar's speakers) speaks every passage of it;
    # in other documents passages get the people their quotes and reported speech belong to.
    passages = split_passages(doc_id, text, meta, people)
    if not passages and _INDEXABLE_WORD.search(text):
        # All of it read as a heading (a one-line note, a title and a dateline): searchable as
        # text all the same, rather than a document nothing can find.
        passages = split_passages(doc_id, text, meta, people, skip=set(), body_start=0)
    # Document speakers: the sidecar's, a speech's own speaker, else who speaks in the passages
    # (a speech by an unknown speaker that quotes someone is not that person's speech).
    speakers = meta.speakers
    if not fields.get("speakers") and (meta.doc_type not in SPEECH_TYPES or not speakers):
        quoted = (s for p in passages for s in p.speakers if s not in meta.readers)
        speakers = tuple(dict.fromkeys((*meta.speakers, *quoted)))
    return Document(
        doc_id=doc_id,
        source=str(path),
        title=meta.title,
        doc_type=meta.doc_type,
        date=meta.date,
        year=meta.year,
        place=meta.place,
        conference=meta.conference,
        speakers=speakers,
        text=text,
        passages=tuple(passages),
        url=meta.url,
        warnings=tuple(warnings),
    )


def _people_or_builtin(corpus: Path | None, warn: Warn | None) -> People:
    try:
        return load_people(corpus)
    except MetadataError as exc:
        if warn:
            warn(f"{exc} (using the built-in people only)")
        return People.load()


def _parse_many(
    paths: list[Path], corpus_root: Path | None, people: People, warn: Warn | None
) -> Iterator[Document]:
    for path in paths:
        try:
            doc = parse_file(path, corpus_root=corpus_root, people=people)
        except DocumentError as exc:
            if warn:
                msg = str(exc)
                warn(msg if str(path) in msg else f"{path}: {msg}")
            continue
        if warn:
            for w in doc.warnings:
                warn(w)
        yield doc


def parse_files(paths: list[Path], *, warn: Warn | None = None, people=None) -> list[Document]:
    """Files (or folders, read recursively) → Documents; unreadable files are skipped with
    warn("path: reason"). Sidecars and people files given by a shell glob are not documents."""
    docs: list[Document] = []
    by_folder: dict[Path, People] = {}  # people.toml beside the files, read once per folder
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            docs.extend(iter_corpus(path, warn=warn, people=people))
            continue
        if path.name.endswith(SIDECAR_SUFFIX) or path.name == PEOPLE_FILENAME:
            continue
        who = people
        if who is None:
            if path.parent not in by_folder:
                by_folder[path.parent] = _people_or_builtin(path.parent, warn)
            who = by_folder[path.parent]
        docs.extend(_parse_many([path], None, who, warn))
    return docs


def iter_corpus(
    corpus: Path, *, warn: Warn | None = None, people=None, workers: int = 1
) -> Iterator[Document]:
    """Every document under `corpus`, in path order; unreadable files are skipped with a warning.

    `workers` > 1 parses files in that many processes (ingestion is pure Python and
    CPU-bound, so threads would not help); documents still come out in path order and warnings
    are still given in the calling process, so the result is the same as with one worker.
    """
    corpus = Path(corpus)
    who = people if people is not None else _people_or_builtin(corpus, warn)
    paths = ingest.find_files(corpus, warn=warn)
    if workers <= 1 or len(paths) < 2 * PARALLEL_MIN_FILES:
        yield from _parse_many(paths, corpus, who, warn)
        return
    yield from _parse_parallel(paths, corpus, who, warn, workers)


PARALLEL_MIN_FILES = 8  # fewer files than twice this: starting processes costs more than it saves
_worker_state: dict = {}


def _init_worker(corpus_root: Path | None, people: People) -> None:
    _worker_state["args"] = (corpus_root, people)


def _parse_in_worker(path: Path) -> tuple[Path, Document | None, str | None]:
    corpus_root, people = _worker_state["args"]
    try:
        return path, parse_file(path, corpus_root=corpus_root, people=people), None
    except DocumentError as exc:
        return path, None, str(exc)


def _parse_parallel(
    paths: list[Path], corpus_root: Path | None, people: People, warn: Warn | None, workers: int
) -> Iterator[Document]:
    import multiprocessing

    # fork where available: the workers start at once, with every module already imported.
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(64, len(paths) // (workers * 8)))
    with ctx.Pool(workers, initializer=_init_worker, initargs=(corpus_root, people)) as pool:
        for path, doc, error in pool.imap(_parse_in_worker, paths, chunksize=chunk):
            if doc is None:
                if warn:
                    msg = error or "unreadable"
                    warn(msg if str(path) in msg else f"{path}: {msg}")
                continue
            if warn:
                for w in doc.warnings:
                    warn(w)
            yield doc
