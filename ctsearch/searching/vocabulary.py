"""The field's vocabulary: names and acronyms that a search treats as one (ISIS = ISIL = Da'esh).

The data lives in `data/vocabulary.toml` (its format is described at its top); a user file
`<corpus>/vocabulary.toml` extends it, merged like people.toml: an entry with the same canonical
name or acronym gets the extra forms, new entries are added. A broken user file is reported
with its file and line, and the built-in vocabulary is used alone.

Each form is matched by its analysed key: the stems of its words as the index sees them
(analysis.words: folded, apostrophes dropped, British spellings folded), so "Da’esh", "DA'ESH" and
"daesh" are one form. The expansion itself happens in the query compiler (compiler.py), at
search time: adding an entry needs no re-index.

Kept light for the one-shot `ctsearch search`: the parsed and analysed vocabulary is cached as
JSON (already imported on that path; tomllib is not) in the index folder, keyed by the files'
sizes and modification times, and remembered in-process.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from ctsearch.analysis import spellings, stem, words
from ctsearch.errors import MetadataError
from ctsearch.index.schema import SCHEMA_VERSION

BUILTIN_VOCABULARY = Path(__file__).resolve().parents[1] / "data" / "vocabulary.toml"
VOCABULARY_FILENAME = "vocabulary.toml"  # a user's additions, at the corpus root
CACHE_NAME = "vocabulary-cache.json"  # in the index folder
CACHE_FORMAT = 1  # bump when the cache's layout or the keys' making changes
MAX_FORM_WORDS = 24  # longer forms are not matched against queries (they still expand)
KINDS = {"name": ("canonical", "variants"), "acronym": ("acronym", "expansions")}

Warn = Callable[[str], None]


class VocabularyError(MetadataError):
    """A vocabulary file that cannot be read or does not follow the format."""


class Vocabulary:
    """Groups of equivalent forms and the analysed keys that find them."""

    def __init__(self, groups: list[list], keys: dict[str, list[int]]) -> None:
        self.groups = groups  # [canonical, [shown forms...], [hidden forms...]]
        self.keys = keys  # analysed key -> group numbers
        self.longest = max((k.count(" ") + 1 for k in keys), default=0)

    @classmethod
    def build(cls, entries: Iterable[tuple[str, list[str], list[str]]]) -> Vocabulary:
        groups: list[list] = []
        keys: dict[str, list[int]] = {}
        for canonical, shown, hidden in entries:
            number = len(groups)
            groups.append([canonical, shown, hidden])
            for form in (*shown, *hidden):
                for key in form_keys(form):
                    bucket = keys.setdefault(key, [])
                    if number not in bucket:
                        bucket.append(number)
        return cls(groups, keys)

    def match(self, toks) -> tuple[int, ...]:
        """The groups a run of analysed words (schema.words) is a form of, or ()."""
        if not toks or len(toks) > self.longest:
            return ()
        found = self.keys.get(_key(t[0] for t in toks))
        if found is None and toks[-1][0].endswith("s") and len(toks[-1][0]) > 2:
            # "FTFs", "IEDs": Porter2 keeps the s of a word without vowels
            *head, last = [t[0] for t in toks]
            found = self.keys.get(_key([*head, last[:-1]]))
        return tuple(found or ())

    def forms(self, groups: tuple[int, ...]) -> list[tuple[str, bool]]:
        """(form, shown) of the groups, shown forms first, each surface form once (phrases
        match surface words: "fighter" and "fighters" are two forms, "Da'esh" and "Daesh" one)."""
        out: list[tuple[str, bool]] = []
        seen: set[str] = set()
        for shown_pass in (True, False):
            for g in groups:
                _, shown, hidden = self.groups[g]
                for form in shown if shown_pass else hidden:
                    key = " ".join(t[0] for t in words(form))
                    if key and key not in seen:
                        seen.add(key)
                        out.append((form, shown_pass))
        return out

    def to_json(self) -> dict:
        return {"groups": self.groups, "keys": self.keys}


def _key(terms: Iterable[str]) -> str:
    return " ".join(stem(t) for t in terms)


def form_keys(form: str) -> list[str]:
    """The analysed keys of a form: each hyphenated compound as its parts and closed."""
    toks = words(form)
    if not toks or len(toks) > MAX_FORM_WORDS:
        return []
    return list(dict.fromkeys(_key(v) for v in spellings(toks)))


# -- loading -------------------------------------------------------------------------------

_MEMO: dict[str, tuple[Vocabulary, tuple[str, ...]]] = {}


def load(corpus: Path | None = None, cache_dir: Path | None = None, warn: Warn | None = None):
    """The built-in vocabulary extended by `<corpus>/vocabulary.toml` when there is one.

    A broken user file is reported through `warn` (file and line) and left out. The result is
    cached in `cache_dir` (best effort) and in this process."""
    sources = [BUILTIN_VOCABULARY]
    if corpus is not None and (Path(corpus) / VOCABULARY_FILENAME).is_file():
        sources.append(Path(corpus) / VOCABULARY_FILENAME)
    signature = json.dumps([CACHE_FORMAT, SCHEMA_VERSION, *map(_identity, sources)])
    hit = _MEMO.get(signature)
    if hit is None:
        hit = _from_cache(cache_dir, signature)
    if hit is None:
        hit = _parse(sources)
        _to_cache(cache_dir, signature, hit)
    _MEMO[signature] = hit
    vocabulary, problems = hit
    for problem in problems:
        if warn is not None:
            warn(problem)
    return vocabulary


def _identity(path: Path) -> list:
    try:
        st = path.stat()
        return [str(path), st.st_size, st.st_mtime_ns]
    except OSError:
        return [str(path), None, None]


def _from_cache(cache_dir: Path | None, signature: str):
    if cache_dir is None:
        return None
    try:
        data = json.loads((Path(cache_dir) / CACHE_NAME).read_text(encoding="utf-8"))
        if data.get("signature") != signature:
            return None
        return Vocabulary(data["groups"], data["keys"]), tuple(data["problems"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _to_cache(cache_dir: Path | None, signature: str, hit) -> None:
    if cache_dir is None or not Path(cache_dir).is_dir():
        return
    vocabulary, problems = hit
    data = {"signature": signature, "problems": list(problems), **vocabulary.to_json()}
    target = Path(cache_dir) / CACHE_NAME
    tmp = target.with_name(f".{CACHE_NAME}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:  # a read-only index folder: no cache, same answers
        tmp.unlink(missing_ok=True)


def _parse(sources: list[Path]) -> tuple[Vocabulary, tuple[str, ...]]:
    merged: dict[tuple[str, str], list] = {}
    problems = []
    for path in sources:
        try:
            entries = read_file(path)
        except VocabularyError as exc:
            if path == BUILTIN_VOCABULARY:
                raise
            problems.append(f"{exc} (using the built-in vocabulary only)")
            continue
        merge(merged, entries)
    return Vocabulary.build(_groups(merged)), tuple(problems)


def read_file(path: Path) -> list[tuple[str, str, list[str], list[str]]]:
    """The entries of one vocabulary file as (kind, head, long forms, other forms).

    VocabularyError "path:LINE: what is wrong" for a file that is not valid TOML or not in
    the format."""
    import tomllib

    try:
        raw = Path(path).read_text(encoding="utf-8-sig")
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        # Only for a broken file: the people module brings difflib, which a search never needs.
        from ctsearch.documents.people import toml_error_message

        raise VocabularyError(toml_error_message(Path(path), exc, raw)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise VocabularyError(f"{path}: cannot read the vocabulary file: {exc}") from None
    out = []
    for kind in data:
        if kind not in KINDS or not isinstance(data[kind], list):
            line = _line_of(
                raw, rf"^[ \t]*\[*[ \t]*{re.escape(kind)}\b|^[ \t]*{re.escape(kind)}[ \t]*=", 0
            )
            raise VocabularyError(
                f"{path}:{line}: unknown entry {kind!r}: entries are [[name]] and [[acronym]]"
            )
    for kind, (head_key, long_key) in KINDS.items():
        for n, entry in enumerate(data.get(kind, [])):
            line = _line_of(raw, rf"^[ \t]*\[\[[ \t]*{kind}[ \t]*\]\]", n)
            try:
                out.append(_entry(kind, entry, head_key, long_key))
            except ValueError as exc:
                raise VocabularyError(f"{path}:{line}: [[{kind}]] {exc}") from None
    return out


def _entry(kind: str, entry, head_key: str, long_key: str):
    if not isinstance(entry, dict):
        raise ValueError("must be a table")
    unknown = set(entry) - {head_key, long_key, "variants"}
    if unknown:
        allowed = ", ".join(dict.fromkeys((head_key, long_key, "variants")))
        raise ValueError(f"has an unknown key {sorted(unknown)[0]!r} (keys: {allowed})")
    head = entry.get(head_key)
    if not isinstance(head, str) or not words(head):
        raise ValueError(f"needs a non-empty string `{head_key}`")
    long_forms = _str_list(entry, long_key) if long_key != "variants" else []
    others = _str_list(entry, "variants")
    if kind == "acronym" and not long_forms and not others:
        raise ValueError(f"{head!r} needs `expansions`")
    if kind == "name" and not others:
        raise ValueError(f"{head!r} needs `variants`")
    return kind, head.strip(), long_forms, others


def _str_list(entry: dict, key: str) -> list[str]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"`{key}` must be a list of non-empty strings")
    return [v.strip() for v in value]


def _line_of(raw: str, pattern: str, n: int) -> int:
    """The line of the n-th match of `pattern` in `raw` (1 when not found)."""
    for i, m in enumerate(re.finditer(pattern, raw, re.M)):
        if i == n:
            return raw.count("\n", 0, m.start()) + 1
    return 1


def merge(merged: dict[tuple[str, str], list], entries) -> None:
    """Add entries to `merged`: the same canonical name or acronym gets the extra forms."""
    for kind, head, long_forms, others in entries:
        key = (kind, _key(t[0] for t in words(head)))
        group = merged.setdefault(key, [head, [], []])
        for form in (*long_forms, *others):
            if form not in group[1]:
                group[1].append(form)
        if kind == "acronym":  # "foreign terrorist fighter" also as "... fighters"
            for form in long_forms:
                plural = form + "s"
                if not form.endswith("s") and plural not in group[2]:
                    group[2].append(plural)


def _groups(merged: dict[tuple[str, str], list]):
    for head, forms, hidden in merged.values():
        yield head, [head, *(f for f in forms if f != head)], hidden
