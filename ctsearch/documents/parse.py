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

from ctsearch.corpus import read
from ctsearch.corpus.files import PEOPLE_FILENAME, is_sidecar_name, people_path, sidecar_path
from ctsearch.corpus.formats.source import Evidence, read_source
from ctsearch.documents.metadata import (
    SPEECH_TYPES,
    DocMeta,
    canonical_conference,
    extract_metadata,
    read_sidecar,
)
from ctsearch.documents.passages import split_passages
from ctsearch.documents.people import People
from ctsearch.errors import DocumentError, MetadataError
from ctsearch.models import MAX_WORD_CHARS, Document

# A word the index would hold (schema.py indexes runs of word characters up to this long).
_INDEXABLE_WORD = re.compile(rf"(?<!\w)\w{{1,{MAX_WORD_CHARS}}}(?!\w)")

Warn = Callable[[str], None]


def load_people(corpus: Path | None = None) -> People:
    """The built-in people, extended by `<corpus>/people.toml` when there is one.

    Raises MetadataError naming the file and line when the user's file is broken."""
    extra = people_path(corpus) if corpus is not None else None
    return People.load(*(p for p in [extra] if p is not None and p.is_file()))


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
    if "speakers" in fields:  # offices resolved on the date the sidecar leaves the document
        on = dataclasses.replace(meta, **changes).on_date
        changes["speakers"] = tuple(
            dict.fromkeys(
                people.resolve(s, on, undated_office=False) or s for s in fields["speakers"]
            )
        )
    return dataclasses.replace(meta, **changes)


def _apply_evidence(meta: DocMeta, evidence: Evidence, people: People) -> DocMeta:
    """What a file states about itself (a page's date, author and address) fills what its text
    leaves open; the text's own dateline and title come first, a sidecar later overrides both."""
    changes: dict = {}
    if evidence.url and not meta.url:
        changes["url"] = evidence.url
    if evidence.date and not meta.date:
        year = int(evidence.date[:4])
        if meta.year is None or meta.year == year:  # a year the text states is not contradicted
            changes["date"], changes["year"] = evidence.date, year
    if evidence.title and not meta.title.strip():
        changes["title"] = evidence.title
    if evidence.author and meta.doc_type in SPEECH_TYPES and not meta.speakers:
        on = dataclasses.replace(meta, **changes).on_date
        # Only a known person: "UN News" or a web editor is an author, not a speaker; an office
        # only on a date (who held it is never guessed).
        names = [
            people.resolve(a.strip(), on, undated_office=False)
            for a in re.split(r"[;,]| and ", evidence.author)
        ]
        known = tuple(dict.fromkeys(n for n in names if n))
        if known:
            changes["speakers"] = known
    return dataclasses.replace(meta, **changes) if changes else meta


def parse_file(
    path: Path, *, corpus_root: Path | None = None, people: People | None = None
) -> Document:
    """One file (text, PDF or web page) → a Document. Raises DocumentError when the file cannot
    be read."""
    path = Path(path)
    people = people if people is not None else load_people(corpus_root)
    source = read_source(path)
    text = read.clean_text(source.text, markdown=source.markdown)
    if not text:
        # Only page numbers, rules or Markdown marks: nothing a search could ever find.
        raise DocumentError(f"{path}: no text left after cleaning (only page furniture or marks)")
    doc_id = read.doc_id_for(path, corpus_root)
    meta = extract_metadata(text, people=people)
    if source.evidence is not None:
        meta = _apply_evidence(meta, source.evidence, people)
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


def load_people_or_builtin(corpus: Path | None, warn: Warn | None) -> People:
    """load_people(corpus); the built-in people (with a warning) when its file is broken."""
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
        if is_sidecar_name(path.name) or path.name == PEOPLE_FILENAME:
            continue
        who = people
        if who is None:
            if path.parent not in by_folder:
                by_folder[path.parent] = load_people_or_builtin(path.parent, warn)
            who = by_folder[path.parent]
        docs.extend(_parse_many([path], None, who, warn))
    return docs


def iter_corpus(corpus: Path, *, warn: Warn | None = None, people=None) -> Iterator[Document]:
    """Every document under `corpus`, in path order; unreadable files are skipped with a warning."""
    corpus = Path(corpus)
    who = people if people is not None else load_people_or_builtin(corpus, warn)
    yield from _parse_many(read.find_files(corpus, warn=warn), corpus, who, warn)
