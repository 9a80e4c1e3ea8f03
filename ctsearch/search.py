"""Search the index: query compilation, filters, ranking, highlighting, facets, suggestions.

Ranking is Whoosh's BM25F. Several plain words form a "soft AND": a passage holding all of
them gets an extra ALL_WORDS_BOOST and adjacent query words found side by side score a pair
bonus, but a passage with only some of them still appears below. Quoted phrases match surface
words exactly: a two-word phrase is one lookup in the `pairs` field, a longer one intersects
its pairs and then checks positions in the `exact` field, so results stay exact without
scanning positions of every passage holding all the words.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from whoosh import query as wq

from . import highlight as hl
from . import query as ql
from .errors import IndexError_, IndexMissingError, QueryError, UnknownSpeakerError
from .models import DOC_TYPES, Hit, SearchResult
from .schema import FACET_SEPARATOR, PAIR_JOINER, fold, stem, words

SORTS = ("relevance", "date")
ALL_WORDS_BOOST = 2.0  # weight of "every word present" relative to the words' own scores
PAIR_BOOST = 0.6  # adjacent query words found side by side in the passage
TITLE_WEIGHT = 0.35  # a title word counts this much: it describes the document, not the passage
PHRASE_VARIANTS = 8  # hyphenated words in a phrase: at most this many spellings are tried
MAX_EXPANSIONS = 500  # words a prefix* may expand to before it is refused as too vague
MAX_CONTEXT = 1000
PEOPLE_FILE = "people.toml"  # a corpus's additions to the built-in people (see documents.py)
_ORDINALS = {
    "1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth",
    "6th": "sixth", "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth",
}  # fmt: skip

Warn = Callable[[str], None]


def search(
    query: str,
    *,
    index_dir: Path,
    corpus: Path | None = None,
    speakers: Iterable[str] = (),
    conference: str | None = None,
    doc_type: str | None = None,
    year: int | str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 10,
    page: int = 1,
    sort: str = "relevance",
    facets: bool = False,
    warn: Warn | None = None,
) -> SearchResult:
    """Run `query` with optional filters and return one page of highlighted hits.

    A missing index is built first from `corpus` when one is given (notice via `warn`).
    """
    limit, page = _positive(limit, "--limit"), _positive(page, "--page")
    if sort not in SORTS:
        raise QueryError(f"--sort must be one of {', '.join(SORTS)}, not {sort!r}")
    filters = _Filters.make(speakers, conference, doc_type, year, date_from, date_to)
    tree = ql.parse(query)
    ix = open_for_search(Path(index_dir), corpus, warn)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        resolver = _SpeakerResolver(reader, corpus)
        compiler = _Compiler(reader, resolver)
        q = compiler.compile(tree)
        if q is None:
            raise QueryError(f"nothing to search for in {query!r}: it has no words")
        resolved = tuple(resolver.resolve(name) for name in filters.speakers)
        parts = filters.queries(resolved)
        final = _with_filters(q, parts.values())
        if sort == "date":
            from whoosh import sorting

            order = sorting.MultiFacet(
                [sorting.FieldFacet("datekey", reverse=True), sorting.FieldFacet("doc_id"),
                 sorting.FieldFacet("ordinal")]
            )  # fmt: skip
            results = searcher.search(final, limit=page * limit, sortedby=order)
        else:
            results = searcher.search(final, limit=page * limit)
        total = len(results)
        spec = compiler.spec()
        offset = (page - 1) * limit
        hits = tuple(
            _hit(offset + i + 1, _score(hit), hit.fields(), spec)
            for i, hit in enumerate(results[offset : offset + limit])
        )
        facet_counts = _facets(reader, results.docs()) if facets else None
        suggestion = (
            _suggest(reader, query, compiler.plain_words)
            if not total or compiler.unknown(reader)
            else None
        )
        excluded = _excluded_by(searcher, q, parts) if not total and parts else ()
    return SearchResult(
        query=query,
        total=total,
        page=page,
        hits=hits,
        suggestion=suggestion,
        facets=facet_counts,
        excluded_by=excluded,
        filters=filters.describe(resolved),
    )


def _score(hit) -> float:
    # Sorted (date) results carry the sort key, not a relevance score.
    return float(hit.score) if isinstance(hit.score, (int, float)) else 0.0


def open_for_search(index_dir: Path, corpus: Path | None, warn: Warn | None):
    """Open the index; build (or rebuild an outdated one) first when a corpus is known."""
    from .index import build_index, is_outdated, open_index

    try:
        return open_index(index_dir)
    except IndexMissingError:
        if corpus is None:
            raise
        if warn:
            warn(f"no index in {index_dir}; building it from {corpus} (done once)")
    except IndexError_:
        if corpus is None or not is_outdated(index_dir):
            raise
    build_index(Path(corpus), index_dir, warn=warn)
    return open_index(index_dir)


def _positive(value: Any, option: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise QueryError(f"{option} must be a whole number, not {value!r}") from None
    if number < 1:
        raise QueryError(f"{option} must be at least 1, not {number}")
    return number


# -- filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Filters:
    speakers: tuple[str, ...]
    conference: str | None
    doc_type: str | None
    year: int | None
    date_from: date | None
    date_to: date | None

    @classmethod
    def make(cls, speakers, conference, doc_type, year, date_from, date_to) -> _Filters:
        if isinstance(speakers, str):
            speakers = (speakers,)
        names = tuple(s for s in (str(x).strip() for x in speakers) if s)
        start = parse_date_bound(date_from, "--from", end=False) if date_from else None
        end = parse_date_bound(date_to, "--to", end=True) if date_to else None
        if start and end and start > end:
            raise QueryError(f"--from {date_from} is after --to {date_to}")
        return cls(
            speakers=names,
            conference=(conference or "").strip() or None,
            doc_type=normalize_type(doc_type) if doc_type else None,
            year=_year(year) if year not in (None, "") else None,
            date_from=start,
            date_to=end,
        )

    def queries(self, resolved: tuple[str, ...]) -> dict[str, wq.Query]:
        """One query per active filter, keyed by how the user wrote it."""
        out: dict[str, wq.Query] = {}
        if resolved:
            key = " ".join(
                f"--speaker {name!r}" if " " in name else f"--speaker {name}" for name in resolved
            )
            out[key] = wq.Or([wq.Term("speakers", fold(name)) for name in resolved])
        if self.conference:
            out[f"--conference {self.conference}"] = conference_query(self.conference)
        if self.doc_type:
            out[f"--type {self.doc_type}"] = wq.Term("doc_type", self.doc_type)
        if self.year:
            out[f"--year {self.year}"] = wq.NumericRange("year", self.year, self.year)
        if self.date_from or self.date_to:
            label = " ".join(
                f"{opt} {d.isoformat()}"
                for opt, d in (("--from", self.date_from), ("--to", self.date_to))
                if d
            )
            out[label] = date_query(self.date_from, self.date_to)
        return out

    def describe(self, resolved: tuple[str, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if resolved:
            out["speakers"] = list(resolved)
        if self.conference:
            out["conference"] = self.conference
        if self.doc_type:
            out["doc_type"] = self.doc_type
        if self.year:
            out["year"] = self.year
        if self.date_from:
            out["date_from"] = self.date_from.isoformat()
        if self.date_to:
            out["date_to"] = self.date_to.isoformat()
        return out


def parse_date_bound(value: str, option: str, *, end: bool) -> date:
    """YYYY, YYYY-MM or YYYY-MM-DD → the first (or with end=True, last) day it covers."""
    text = str(value).strip()
    parts = text.split("-")
    try:
        if not (1 <= len(parts) <= 3) or len(parts[0]) != 4 or not all(p.isdigit() for p in parts):
            raise ValueError
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else (12 if end else 1)
        if len(parts) > 2:
            return date(y, m, int(parts[2]))
        if not end:
            return date(y, m, 1)
        nxt = date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    except (ValueError, OverflowError):
        raise QueryError(
            f"{option} {text!r} is not a valid date: use YYYY, YYYY-MM or YYYY-MM-DD"
        ) from None


def date_query(start: date | None, end: date | None) -> wq.Query:
    """Documents dated within [start, end]; a document known only by its year matches when
    that year overlaps the range (its exact date could be any day of it)."""
    lo = datetime(start.year, start.month, start.day) if start else None
    hi = datetime(end.year, end.month, end.day, 23, 59, 59, 999999) if end else None
    by_year = wq.And(
        [
            wq.Term("date_precision", "year"),
            wq.NumericRange("year", start.year if start else None, end.year if end else None),
        ]
    )
    return wq.Or([wq.DateRange("date", lo, hi), by_year])


def conference_query(text: str) -> wq.Query:
    """Conferences whose canonical name holds all the words ("2021", "second", "2nd")."""
    terms = [_ORDINALS.get(w, w) for w, _, _, _ in words(text)]
    if not terms:
        raise QueryError(f"--conference {text!r} has no words to match")
    return wq.And([wq.Term("conference", t) for t in terms])


def normalize_type(value: str) -> str:
    key = "_".join(fold(str(value)).replace("-", " ").split())
    if key.endswith("s") and key[:-1] in DOC_TYPES:
        key = key[:-1]
    if key not in DOC_TYPES:
        raise QueryError(f"unknown document type {value!r}: use one of {', '.join(DOC_TYPES)}")
    return key


def _year(value: Any) -> int:
    text = str(value).strip()
    if not (text.isdigit() and len(text) == 4):
        raise QueryError(f"year {value!r} is not a year: use four digits, e.g. 2021")
    return int(text)


def _with_filters(q: wq.Query, filters: Iterable[wq.Query]) -> wq.Query:
    # Filters restrict without scoring: every hit gets the same constant from them.
    fs = [wq.ConstantScoreQuery(f, 0.0) for f in filters]
    return wq.And([q, *fs]) if fs else q


def _excluded_by(searcher, q: wq.Query, parts: dict[str, wq.Query]) -> tuple[str, ...]:
    """Which filters exclude everything: re-run the query without each of them."""

    def any_hit(query: wq.Query) -> bool:
        return next(iter(searcher.docs_for_query(query)), None) is not None

    if not any_hit(q):
        return ()
    names = list(parts)
    single = tuple(
        n for n in names if any_hit(_with_filters(q, [parts[m] for m in names if m != n]))
    )
    return single or tuple(names)


# -- speakers ------------------------------------------------------------------------------


class _SpeakerResolver:
    """--speaker NAME → the canonical name: exact (case/accent-insensitive), then by words
    ("guterres"), then the people file's aliases; else an error listing the closest names."""

    def __init__(self, reader, corpus: Path | None) -> None:
        self.reader = reader
        self.corpus = corpus
        self._names: dict[str, str] | None = None

    def names(self) -> dict[str, str]:
        if self._names is None:
            from .index import speaker_names

            found: dict[str, str] = {}

            for name in speaker_names(self.reader):
                found.setdefault(" ".join(fold(name).split()), name)
            self._names = found
        return self._names

    def resolve(self, name: str) -> str:
        key = " ".join(fold(name).replace(".", " ").split())
        names = self.names()
        if key in names:
            return names[key]
        wanted = key.split()
        by_words = sorted({v for k, v in names.items() if all(w in k.split() for w in wanted)})
        if len(by_words) == 1:
            return by_words[0]
        if len(by_words) > 1:
            raise UnknownSpeakerError(
                f"speaker {name!r} is ambiguous: {', '.join(by_words[:5])}; give the full name"
            )
        people = self._people()
        if people is not None:
            canonical = people.resolve(name)
            if canonical:
                return canonical
        close = difflib.get_close_matches(key, list(names), n=3, cutoff=0.5)
        suggestions = [names[c] for c in close]
        if not suggestions and people is not None:
            suggestions = list(people.closest(name, 3))
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        raise UnknownSpeakerError(f"unknown speaker {name!r}{hint} (see `ctsearch speakers`)")

    def _people(self):
        try:
            from .people import People

            extra = Path(self.corpus) / PEOPLE_FILE if self.corpus is not None else None
            return People.load(*([extra] if extra is not None and extra.is_file() else []))
        except Exception:  # a broken people file must not break a search
            return None


# -- query compilation ---------------------------------------------------------------------


class _Compiler:
    """Query syntax tree → Whoosh query, remembering what to highlight and which plain words
    were typed (for "did you mean")."""

    def __init__(self, reader, resolver: _SpeakerResolver) -> None:
        self.reader = reader
        self.resolver = resolver
        self.negated = 0  # > 0 while compiling under NOT: nothing there is highlighted
        self.stems: set[str] = set()
        self.exact: set[str] = set()
        self.stem_phrases: list[tuple[str, ...]] = []
        self.phrases: list[tuple[tuple[str, ...], int]] = []
        self.plain_words: list[tuple[str, str, str]] = []  # (as typed, folded, stem)

    def spec(self) -> hl.MatchSpec:
        return hl.MatchSpec(
            stems=frozenset(self.stems),
            exact=frozenset(self.exact),
            stem_phrases=tuple(self.stem_phrases),
            phrases=tuple(self.phrases),
        )

    def unknown(self, reader) -> bool:
        """True when a plain word of the query occurs nowhere in the index."""
        return any(reader.doc_frequency("text", s) == 0 for _, _, s in self.plain_words)

    def compile(self, node: ql.Node) -> wq.Query | None:
        if isinstance(node, ql.Word):
            return self.word(node)
        if isinstance(node, ql.Phrase):
            return self.phrase(node)
        if isinstance(node, ql.Field):
            return self.field(node)
        if isinstance(node, ql.Not):
            inner = self.negative(node.item)
            return wq.Not(inner) if inner is not None else None
        if isinstance(node, ql.Or):
            subs = [self._signed(item) for item in node.items]
            subs = [s for s in subs if s is not None]
            return (wq.Or(subs) if len(subs) > 1 else subs[0]) if subs else None
        if isinstance(node, (ql.And, ql.Seq)):
            return self.group(node)
        raise TypeError(node)

    def negative(self, node: ql.Node) -> wq.Query | None:
        self.negated += 1
        try:
            return self.compile(node)
        finally:
            self.negated -= 1

    def _signed(self, node: ql.Node) -> wq.Query | None:
        return self.compile(node)

    def group(self, node: ql.And | ql.Seq) -> wq.Query | None:
        soft = isinstance(node, ql.Seq)
        content, required, negative = [], [], []
        pairs = []
        prev: ql.Node | None = None
        for item in node.items:
            if isinstance(item, ql.Not):
                q = self.negative(item.item)
                if q is not None:
                    negative.append(q)
                prev = None
                continue
            q = self.compile(item)
            if q is None:
                prev = None
                continue
            if soft and isinstance(item, ql.Field) and item.name != "title":
                required.append(q)  # field:value narrows, it is not one of the words
            else:
                content.append(q)
                pair = _pair(prev, item)
                if pair:
                    pairs.append(wq.Term("pairs", pair, boost=PAIR_BOOST))
            prev = item
        if soft and len(content) > 1:
            positive = [wq.Or([wq.And(content, boost=ALL_WORDS_BOOST), *content, *pairs]), *required]
        else:
            positive = content + required
        if not positive and not negative:
            return None
        base = (wq.And(positive) if len(positive) > 1 else positive[0]) if positive else wq.Every()
        if negative:
            return wq.AndNot(base, wq.Or(negative) if len(negative) > 1 else negative[0])
        return base

    def word(self, node: ql.Word) -> wq.Query | None:
        toks = words(node.text)
        if not toks:
            return None
        if node.prefix or node.fuzzy:
            if len(toks) != 1:
                raise QueryError(f"{node.text}: prefix* and fuzzy~ work on a single word")
            return self._prefix(toks[0][0]) if node.prefix else self._fuzzy(toks[0][0], node.fuzzy)
        if len(toks) == 1:
            word = toks[0][0]
            s = stem(word)
            if not self.negated:
                self.stems.add(s)
                self.plain_words.append((node.text, word, s))
            return wq.Or([wq.Term("text", s), wq.Term("title", s, boost=TITLE_WEIGHT)])
        # Hyphenated ("cyber-attacks") or split by punctuation ("U.S."): the parts as a
        # stemmed phrase, or the closed form as one word.
        alts = []
        for variant in _variants(toks):
            stems = tuple(stem(w) for w in variant)
            if len(stems) == 1:
                alts.append(wq.Term("text", stems[0]))
                if not self.negated:
                    self.stems.add(stems[0])
            else:
                alts.append(wq.Phrase("text", list(stems)))
                if not self.negated:
                    self.stem_phrases.append(stems)
        return wq.Or(alts) if len(alts) > 1 else alts[0]

    def phrase(self, node: ql.Phrase) -> wq.Query | None:
        toks = words(node.text)
        if not toks:
            return None
        alts = []
        for seq in _variants(toks):
            if not self.negated:
                self.phrases.append((seq, node.slop + 1 if node.slop and len(seq) > 1 else 0))
            if len(seq) == 1:
                alts.append(wq.Term("exact", seq[0]))
            elif node.slop:
                alts.append(wq.Phrase("exact", list(seq), slop=node.slop + 1))
            elif len(seq) == 2:
                alts.append(wq.Term("pairs", PAIR_JOINER.join(seq)))
            else:
                # The pairs find the few candidates fast; the positions then make it exact.
                pair_terms = [
                    wq.Term("pairs", PAIR_JOINER.join(p)) for p in dict.fromkeys(zip(seq, seq[1:]))
                ]
                alts.append(wq.And([*pair_terms, wq.Phrase("exact", list(seq))]))
        return wq.Or(alts) if len(alts) > 1 else alts[0]

    def _prefix(self, prefix: str) -> wq.Query:
        found = []
        for term in self.reader.expand_prefix("exact", prefix):
            found.append(term.decode("utf-8") if isinstance(term, bytes) else term)
            if len(found) > MAX_EXPANSIONS:
                raise QueryError(
                    f"{prefix}* matches more than {MAX_EXPANSIONS} words: make the prefix longer"
                )
        return self._any_exact(found)

    def _fuzzy(self, word: str, distance: int) -> wq.Query:
        found = set(self.reader.terms_within("exact", word, distance, prefix=1))
        if ("exact", word) in self.reader:
            found.add(word)
        return self._any_exact(sorted(found))

    def _any_exact(self, found: list[str]) -> wq.Query:
        if not self.negated:
            self.exact.update(found)
        if not found:
            return wq.NullQuery
        return wq.Or([wq.Term("exact", t) for t in found])

    def field(self, node: ql.Field) -> wq.Query | None:
        if node.name == "speaker":
            return wq.Term("speakers", fold(self.resolver.resolve(node.value)))
        if node.name == "conference":
            return conference_query(node.value)
        if node.name == "type":
            return wq.Term("doc_type", normalize_type(node.value))
        if node.name == "year":
            lo, _, hi = node.value.replace("..", "-").partition("-")
            return wq.NumericRange("year", _year(lo), _year(hi) if hi else _year(lo))
        stems = [stem(w) for w, _, _, _ in words(node.value)]  # title:
        if not stems:
            return None
        terms = [wq.Term("title", s) for s in stems]
        return wq.And(terms) if len(terms) > 1 else terms[0]


def _pair(prev: ql.Node | None, item: ql.Node) -> str | None:
    """The `pairs` term for two adjacent plain one-word query items, else None."""
    if not (isinstance(prev, ql.Word) and isinstance(item, ql.Word)):
        return None
    if prev.prefix or prev.fuzzy or item.prefix or item.fuzzy:
        return None
    a, b = words(prev.text), words(item.text)
    if len(a) != 1 or len(b) != 1:
        return None
    return a[0][0] + PAIR_JOINER + b[0][0]


def _variants(toks) -> list[tuple[str, ...]]:
    """Spellings of a tokenised phrase: each hyphenated compound as its parts or closed."""
    from .schema import compounds

    variants: list[list[str]] = [[]]
    groups = {a: b for a, b in compounds(toks)}
    i = 0
    while i < len(toks):
        if i in groups:
            b = groups[i]
            parts = [t[0] for t in toks[i : b + 1]]
            closed = "".join(parts)
            if len(variants) * 2 <= PHRASE_VARIANTS:
                variants = [v + parts for v in variants] + [v + [closed] for v in variants]
            else:
                variants = [v + parts for v in variants]
            i = b + 1
        else:
            variants = [v + [toks[i][0]] for v in variants]
            i += 1
    return [tuple(v) for v in variants]


# -- hits, facets, suggestions -------------------------------------------------------------


def _hit(rank: int, score: float, fields: dict[str, Any], spec: hl.MatchSpec) -> Hit:
    text = fields.get("text") or ""
    return Hit(
        rank=rank,
        score=round(float(score), 4),
        passage_id=fields.get("passage_id", ""),
        doc_id=fields.get("doc_id", ""),
        ordinal=int(fields.get("ordinal") or 0),
        title=fields.get("title") or "",
        doc_type=fields.get("doc_type") or "",
        date=fields.get("date_text"),
        year=fields.get("year") or None,
        place=fields.get("place"),
        conference=fields.get("conference_name"),
        speakers=tuple(fields.get("speaker_list") or ()),
        text=text,
        highlight=hl.highlight(text, spec) if spec else text,
        source=fields.get("source") or "",
        start=int(fields.get("start") or 0),
        end=int(fields.get("end") or 0),
    )


def _facets(reader, docnums: Iterable[int]) -> dict[str, dict[str, int]]:
    """Counts of the matching passages by speaker, conference, year and type."""
    cols = {
        name: reader.column_reader(name)
        for name in ("speaker_facet", "conference_name", "year", "doc_type")
    }
    counts: dict[str, Counter] = {k: Counter() for k in ("speaker", "conference", "year", "type")}
    for d in docnums:
        raw = cols["speaker_facet"][d]
        if raw:
            counts["speaker"].update(raw.decode("utf-8").split(FACET_SEPARATOR))
        conference = cols["conference_name"][d]
        if conference:
            counts["conference"][conference] += 1
        year = cols["year"][d]
        if year:
            counts["year"][str(year)] += 1
        doc_type = cols["doc_type"][d]
        if doc_type:
            counts["type"][doc_type] += 1
    return {k: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for k, c in counts.items()}


def _suggest(reader, query: str, plain: list[tuple[str, str, str]]) -> str | None:
    """"Did you mean": each plain word unknown to the index replaced by the closest word
    that is in it (edit distance 1, then 2; most frequent first)."""
    import re

    suggestion = query
    changed = False
    for typed, word, s in plain:
        if reader.doc_frequency("text", s) or len(word) < 3:
            continue
        for distance in (1, 2):
            candidates = [c for c in reader.terms_within("exact", word, distance, prefix=1) if c != word]
            if candidates:
                best = max(candidates, key=lambda c: (reader.doc_frequency("exact", c), c))
                pattern = re.compile(r"(?<!\w)" + re.escape(typed) + r"(?!\w)")
                suggestion, n = pattern.subn(lambda _m, b=best: b, suggestion, count=1)
                changed = changed or n > 0
                break
    return suggestion if changed else None


# -- show ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PassageContext:
    """A passage, its neighbours in the document, and how to cite it."""

    passage: Hit
    before: tuple[Hit, ...]
    after: tuple[Hit, ...]
    citation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "passage": self.passage.to_dict(),
            "before": [h.to_dict() for h in self.before],
            "after": [h.to_dict() for h in self.after],
            "citation": self.citation,
        }


def show(
    passage_id: str,
    *,
    index_dir: Path,
    context: int = 0,
    corpus: Path | None = None,
    warn: Warn | None = None,
) -> PassageContext:
    """The passage `passage_id` with `context` neighbours on either side, from the index."""
    try:
        context = int(context)
    except (TypeError, ValueError):
        raise QueryError(f"--context must be a whole number, not {context!r}") from None
    if not 0 <= context <= MAX_CONTEXT:
        raise QueryError(f"--context must be between 0 and {MAX_CONTEXT}, not {context}")
    ix = open_for_search(Path(index_dir), corpus, warn)
    no_spec = hl.MatchSpec()
    with ix.searcher() as searcher:
        docnum = searcher.document_number(passage_id=passage_id)
        if docnum is None:
            raise QueryError(
                f"no passage {passage_id!r} in the index: passage ids look like "
                "DOC_ID:N, as printed by `ctsearch search`"
            )
        fields = searcher.stored_fields(docnum)
        ordinal = int(fields.get("ordinal") or 0)
        near = wq.And(
            [
                wq.Term("doc_id", fields["doc_id"]),
                wq.NumericRange("ordinal", max(0, ordinal - context), ordinal + context),
            ]
        )
        neighbours = sorted(
            (searcher.stored_fields(d) for d in searcher.docs_for_query(near) if d != docnum),
            key=lambda f: int(f.get("ordinal") or 0),
        )
    return PassageContext(
        passage=_hit(0, 0.0, fields, no_spec),
        before=tuple(_hit(0, 0.0, f, no_spec) for f in neighbours if f["ordinal"] < ordinal),
        after=tuple(_hit(0, 0.0, f, no_spec) for f in neighbours if f["ordinal"] > ordinal),
        citation=citation(fields),
    )


def citation(fields: dict[str, Any]) -> str:
    """Title, date, place, conference, source: enough to cite a passage."""
    parts = [f"“{fields.get('title') or fields.get('doc_id')}”"]
    when = fields.get("date_text") or (str(fields["year"]) if fields.get("year") else None)
    where = ", ".join(x for x in (fields.get("place"), when) if x)
    for item in (where, fields.get("conference_name")):
        if item:
            parts.append(item)
    parts.append(f"source: {fields.get('source')}")
    if fields.get("url"):
        parts.append(fields["url"])
    parts.append(f"passage {fields.get('passage_id')}")
    return ". ".join(parts)
