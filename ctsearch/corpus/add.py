"""`ctsearch add`: copy new documents into the corpus, with their metadata as a sidecar.

Everything is checked before anything is written — every source file, every option, every name
clash — so a bad argument changes nothing. Each write is atomic (a temp file in the target
folder, then os.replace), so a kill never leaves a half-written document or sidecar where the
indexer would read it; at worst a hidden `.NAME.*.ctsearch-tmp` file remains, which no reader
picks up. Indexing is the caller's next step (see the module docstring of ctsearch.index.manifest).
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date as _date
from pathlib import Path
from typing import Any

from ctsearch.corpus.files import DOCUMENT_SUFFIXES, is_sidecar_name, sidecar_path
from ctsearch.durable import fsync_dir
from ctsearch.errors import CorpusError, DocumentError, MetadataError
from ctsearch.models import DOC_TYPES

TEMP_SUFFIX = ".ctsearch-tmp"  # ends in no document suffix nor .meta.toml: invisible to ingest
NEW_FILE_MODE = 0o644
# The sidecar keys in the order they are written; keys from a copied sidecar follow.
FIELD_ORDER = ("title", "date", "doc_type", "place", "conference", "speakers", "url")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_KINDS = ", ".join(DOCUMENT_SUFFIXES[:-1]) + " and " + DOCUMENT_SUFFIXES[-1]  # for messages


@dataclass(frozen=True)
class _Plan:
    """What adding one file will do: where it goes and the sidecar it gets."""

    source: Path
    dest: Path
    copy: bool  # False when dest already holds these bytes (or is the source itself)
    sidecar: dict[str, Any] | None  # fields to write to dest's sidecar, None = leave it alone


def add_files(
    files: Iterable[str | Path],
    corpus: str | Path,
    *,
    replace: bool = False,
    subdir: str | Path | None = None,
    check_sidecar: Callable[[Path], object] | None = None,
    **metadata: Any,
) -> list[Path]:
    """Copy `files` into `corpus` (or `corpus/subdir`) and write the metadata given as sidecars
    (`metadata`: the keyword arguments of `sidecar_fields`: speakers, date, title, ...).

    Returns the documents' paths in the corpus, in the order given. A file already in the
    corpus with the same bytes is left as it is; a different one is an error unless `replace`.
    A file that already lies inside the corpus (and no `subdir` is given) stays where it is and
    only gets its metadata: the given fields are merged into its sidecar (`replace` drops the
    old fields). A sidecar beside a source outside the corpus is copied along, under the given
    fields. Raises a CtsearchError naming the problem before anything is written.

    `check_sidecar(path)` holds an existing sidecar to the indexer's rules (known keys, value
    types: documents.metadata.read_sidecar, passed in by the caller, since the corpus stage
    does not import the documents stage), raising MetadataError.
    """
    corpus = Path(corpus)
    if not corpus.is_dir():
        raise CorpusError(f"{corpus}: no such corpus folder; create it or give --corpus")
    fields = sidecar_fields(**metadata)
    target = _target_dir(corpus, subdir)
    sources = _unique_sources([files] if isinstance(files, (str, Path)) else files)
    if not sources:
        raise DocumentError(f"no files given; name the documents ({_KINDS}) to add")
    check = check_sidecar or _toml_only
    plans = [
        _plan(src, corpus, target, subdir is not None, fields, replace, check) for src in sources
    ]
    _check_clashes(plans)
    # Sidecar first: a watcher that sees the new document then already sees its metadata.
    for plan in plans:
        if plan.sidecar is not None:
            _atomic_write_bytes(sidecar_path(plan.dest), _dump_toml(plan.sidecar))
        if plan.copy:
            _atomic_copy(plan.source, plan.dest)
    return [plan.dest for plan in plans]


# -- metadata --------------------------------------------------------------------------------


def sidecar_fields(
    *,
    speakers: Iterable[str] = (),
    date: str | None = None,
    title: str | None = None,
    doc_type: str | None = None,
    place: str | None = None,
    conference: str | None = None,
    url: str | None = None,
) -> dict[str, Any]:
    """The sidecar fields for the options given (None = not given), validated and normalised."""
    fields: dict[str, Any] = {}
    for key, value in (("title", title), ("place", place), ("conference", conference)):
        if value is not None:
            fields[key] = _text(key, value)
    if date is not None:
        fields["date"] = check_date(date)
    if doc_type is not None:
        fields["doc_type"] = check_doc_type(doc_type)
    if url is not None:
        fields["url"] = _text("url", url)
        if re.search(r"\s", fields["url"]):
            raise MetadataError(f"url {url!r} contains spaces; give one web address")
    names = [_text("speaker", name) for name in speakers]
    if names:
        fields["speakers"] = list(dict.fromkeys(names))  # repeated --speaker counts once
    return fields


def check_date(value: str) -> str:
    """`value` if it is a real date written YYYY, YYYY-MM or YYYY-MM-DD; else MetadataError."""
    text = value.strip()
    match = _DATE.fullmatch(text)
    try:
        if not match:
            raise ValueError
        year, month, day = (int(g) if g else 1 for g in match.groups())
        _date(year, month, day)
    except ValueError:
        raise MetadataError(
            f"date {value!r} is not valid; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2021-06-30)"
        ) from None
    return text


def check_doc_type(value: str) -> str:
    """The canonical document type for `value` ("Press release" → "press_release")."""
    canonical = re.sub(r"[\s-]+", "_", value.strip().lower())
    if canonical not in DOC_TYPES:
        raise MetadataError(f"type {value!r} is not one of: {', '.join(DOC_TYPES)}")
    return canonical


def _text(key: str, value: str) -> str:
    text = " ".join(str(value).split())
    if not text:
        raise MetadataError(f"{key} is empty; give a value or leave the option out")
    if _CONTROL.search(text):
        raise MetadataError(f"{key} {value!r} contains control characters")
    return text


def _toml_only(path: Path) -> None:
    """No check beyond the TOML syntax `_read_sidecar` itself makes."""


def _read_sidecar(path: Path, check: Callable[[Path], object]) -> dict[str, Any] | None:
    """The sidecar's table, None if there is none; MetadataError if it is broken."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise MetadataError(f"{path}: not readable ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MetadataError(f"{path}: not valid TOML ({exc})") from None
    # Also hold it to the indexer's rules (known keys, value types), so that a sidecar we copy
    # or extend would not be rejected later; its raw values are what we keep and rewrite.
    check(path)
    return data


def _dump_toml(fields: dict[str, Any]) -> bytes:
    import tomli_w

    ordered = {k: fields[k] for k in FIELD_ORDER if k in fields}
    ordered.update((k, v) for k, v in fields.items() if k not in ordered)
    return tomli_w.dumps(ordered).encode("utf-8")


# -- planning --------------------------------------------------------------------------------


def _target_dir(corpus: Path, subdir: str | Path | None) -> Path:
    if subdir is None:
        return corpus
    sub = Path(subdir)
    if sub.is_absolute() or ".." in sub.parts or str(sub).strip() in ("", "."):
        raise CorpusError(f"subfolder {str(subdir)!r} must be a relative folder inside the corpus")
    if any(part.startswith(".") for part in sub.parts):
        raise CorpusError(f"subfolder {str(subdir)!r} is hidden; hidden folders are not indexed")
    target = corpus / sub
    if target.exists() and not target.is_dir():
        raise CorpusError(f"{target}: exists and is not a folder")
    return target


def _unique_sources(files: Iterable[str | Path]) -> list[Path]:
    seen: dict[str, Path] = {}
    for f in files:
        path = Path(f)
        seen.setdefault(os.path.realpath(path), path)  # the same file named twice counts once
    return list(seen.values())


def _plan(
    src: Path,
    corpus: Path,
    target: Path,
    explicit_target: bool,
    fields: dict[str, Any],
    replace: bool,
    check: Callable[[Path], object],
) -> _Plan:
    _check_source(src)
    in_place = not explicit_target and _inside(src, corpus)
    dest = src if in_place else target / src.name
    _check_twin(dest)
    copy = not in_place and not _same_bytes(src, dest, replace)

    # The fields to write: the source's own sidecar (if any) overlaid with the options given.
    try:
        own = _read_sidecar(sidecar_path(src), check) if not (in_place and replace) else None
    except MetadataError as exc:
        hint = "; fix it or use --replace to overwrite it" if in_place else ""
        raise MetadataError(f"{exc}{hint}") from None
    wanted = {**(own or {}), **fields}
    if not wanted or (in_place and not fields):
        return _Plan(src, dest, copy, None)
    existing_path = sidecar_path(dest)
    if in_place:
        return _Plan(src, dest, copy, wanted)  # editing its metadata is what was asked
    try:
        existing = _read_sidecar(existing_path, check)
    except MetadataError:
        existing = {"": "unreadable"}  # broken: differs from anything we would write
    if existing is not None and existing != wanted and not replace:
        raise CorpusError(f"{existing_path} already exists and differs; use --replace to overwrite")
    return _Plan(src, dest, copy, None if existing == wanted else wanted)


def _check_source(src: Path) -> None:
    try:
        st = src.stat()
    except FileNotFoundError:
        raise DocumentError(f"{src}: no such file") from None
    except OSError as exc:
        raise DocumentError(f"{src}: not readable ({exc.strerror or exc})") from None
    if stat.S_ISDIR(st.st_mode):
        raise DocumentError(f"{src}: is a folder; name the documents in it to add")
    if src.name.startswith("."):
        raise DocumentError(f"{src}: hidden files are not indexed; rename it without the dot")
    if is_sidecar_name(src.name) or src.suffix.lower() not in DOCUMENT_SUFFIXES:
        kind = repr(src.suffix) if src.suffix else "(no extension)"
        raise DocumentError(f"{src}: unsupported file type {kind}; ctsearch adds {_KINDS} files")
    if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
        raise DocumentError(f"{src}: not a regular file")
    try:
        with open(src, "rb"):
            pass
    except OSError as exc:
        raise DocumentError(f"{src}: not readable ({exc.strerror or exc})") from None


def _check_twin(dest: Path) -> None:
    """x.md beside an existing x.txt would be the same document id and share one sidecar."""
    for suffix in DOCUMENT_SUFFIXES:
        twin = dest.with_suffix(suffix)
        if twin.name != dest.name and (twin.exists() or twin.is_symlink()):
            raise CorpusError(
                f"{twin} already exists; {dest.name} would be the same document: rename one of them"
            )


def _same_bytes(src: Path, dest: Path, replace: bool) -> bool:
    """True if `dest` already holds `src`'s bytes; CorpusError if it holds others (no replace)."""
    if not dest.exists() and not dest.is_symlink():
        return False
    if dest.is_dir():
        raise CorpusError(f"{dest}: a folder of that name is in the way")
    try:
        if os.path.samefile(src, dest) or _equal_files(src, dest):
            return True
    except OSError:
        pass  # an unreadable or dangling destination counts as different
    if not replace:
        raise CorpusError(f"{dest} already exists and differs; use --replace to overwrite")
    return False


def _equal_files(a: Path, b: Path) -> bool:
    if a.stat().st_size != b.stat().st_size:
        return False
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            chunk_a, chunk_b = fa.read(1 << 20), fb.read(1 << 20)
            if chunk_a != chunk_b:
                return False
            if not chunk_a:
                return True


def _check_clashes(plans: list[_Plan]) -> None:
    by_dest: dict[str, _Plan] = {}
    for plan in plans:
        key = os.path.abspath(plan.dest)
        other = by_dest.setdefault(key, plan)
        if other is not plan:
            raise CorpusError(
                f"{other.source} and {plan.source} would both become {plan.dest}; "
                "add them separately"
            )
        # x.txt and x.md share one sidecar and one document id: refuse the pair.
        stem_key = os.path.abspath(sidecar_path(plan.dest))
        other = by_dest.setdefault(stem_key, plan)
        if other is not plan:
            raise CorpusError(f"{other.dest} and {plan.dest} would share the sidecar {stem_key}")


def _inside(path: Path, folder: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(folder))
        return True
    except ValueError:
        return False


# -- writing ---------------------------------------------------------------------------------


def _atomic_copy(src: Path, dest: Path) -> None:
    def write(fd: int) -> None:
        try:
            with open(src, "rb") as fin:
                with os.fdopen(os.dup(fd), "wb") as fout:
                    shutil.copyfileobj(fin, fout, 1 << 20)
        except OSError as exc:
            raise DocumentError(f"{src}: could not be copied ({exc.strerror or exc})") from None

    _atomic_write(dest, write)


def _atomic_write_bytes(dest: Path, data: bytes) -> None:
    def write(fd: int) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]

    _atomic_write(dest, write)


def _atomic_write(dest: Path, write) -> None:
    """Write through `write(fd)` into a temp file beside `dest`, fsync, then rename over it."""
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        mode = dest.stat().st_mode & 0o7777 if dest.exists() else NEW_FILE_MODE
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=TEMP_SUFFIX)
    except OSError as exc:
        raise CorpusError(f"{dest}: cannot write here ({exc.strerror or exc})") from None
    try:
        try:
            write(fd)
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, dest)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise CorpusError(f"{dest}: cannot write here ({exc.strerror or exc})") from None
        raise
    fsync_dir(dest.parent)


# -- addresses -------------------------------------------------------------------------------


def add_urls(
    urls: Iterable[str],
    corpus: str | Path,
    *,
    replace: bool = False,
    check_sidecar: Callable[[Path], object] | None = None,
    **fields: Any,
) -> tuple[list[Path], list[str]]:
    """Fetch each address and add it like a file: its original bytes under a name derived from
    the address, a sidecar with its `url` (the address it was fetched from, after redirects,
    unless `url` is given) and the other fields given. Returns the documents added and one
    error line per address that failed (nothing is written for those). `check_sidecar` as in
    `add_files`."""
    from ctsearch.corpus.fetch import fetch

    corpus = Path(corpus)
    sidecar_fields(**fields)  # bad options fail before any download
    added: list[Path] = []
    errors: list[str] = []
    for url in dict.fromkeys(urls):
        try:
            got = fetch(url)
            with tempfile.TemporaryDirectory(prefix="ctsearch-fetch-") as tmp:
                src = Path(tmp, got.name)
                src.write_bytes(got.data)
                given = {**fields, "url": fields.get("url") or got.final_url}
                added.extend(
                    add_files([src], corpus, replace=replace, check_sidecar=check_sidecar, **given)
                )
        except (DocumentError, CorpusError, MetadataError) as exc:
            errors.append(str(exc) if url in str(exc) else f"{url}: {exc}")
    return added, errors
