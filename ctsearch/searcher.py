"""Search the index: ranking, paging, highlighting, facets, suggestions, and `show`.

Ranking is Whoosh's BM25F. Several plain words form a "soft AND": a passage holding all of
them gets an extra ALL_WORDS_BOOST and adjacent query words found side by side score a pair
bonus, but a passage with only some of them still appears below. Quoted phrases match surface
words exactly: a two-word phrase is one lookup in the `pairs` field, a longer one intersects
its pairs and then checks positions in the `exact` field, so results stay exact without
scanning positions of every passage holding all the words. Names and acronyms of the
vocabulary also match their other forms (vocabulary.py, compiled in compiler.py), and a page
of relevance results is spread over documents (diversity.py).

Speed (issue 6): the index stays open between searches in one process (opened.py: field
lengths in memory, filter passage lists and facet columns remembered per searcher); word and
phrase queries find their best N through per-term impact lists (topk.py) instead of scoring
every match; filters restrict through matchers.Restricted, which keeps Whoosh's own top-N
shortcuts working for the queries topk.py leaves to Whoosh.
"""

from __future__ import annotations

from . import whooshlite  # noqa: F401  (first: makes the Whoosh imports below lighter)

# isort: split
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import query as wq

from . import highlight as hl
from . import opened
from . import query as ql
from .compiler import Compiler
from .diversity import MAX_POOL, pool_size, spread
from .errors import IndexError_, IndexMissingError, QueryError
from .filters import Filters, SpeakerResolver
from .matchers import Remember, Restricted
from .models import Hit, SearchResult
from .schema import FACET_SEPARATOR

SORTS = ("relevance", "date")
QUALITY_SHORTCUTS = True  # Whoosh's block-quality skipping in relevance searches
TOP_LISTS = True  # word and phrase queries through topk.py's impact lists (see _top)
EXACT_UPTO = 5_000  # below this many possible matches, every match is scored and counted
REPLACE_EVERY = 10  # matches between Whoosh's attempts to drop sub-queries that cannot win
FACET_SAMPLE = 5_000  # facets count at most about this many matches (evenly spread), then scale
MAX_CONTEXT = 1000  # neighbours `show` prints on each side at most
MAX_SUGGEST_WORDS = 8  # unknown words "did you mean" looks up at most

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
    expand: bool = True,
) -> SearchResult:
    """Run `query` with optional filters and return one page of highlighted hits.

    A missing index is built first from `corpus` when one is given (notice via `warn`).
    With `expand`, names and acronyms of the vocabulary also match their other forms
    (vocabulary.py; what was added is in `SearchResult.expanded`).
    """
    limit, page = _positive(limit, "--limit"), _positive(page, "--page")
    if sort not in SORTS:
        raise QueryError(f"--sort must be one of {', '.join(SORTS)}, not {sort!r}")
    filters = Filters.make(speakers, conference, doc_type, year, date_from, date_to)
    tree = ql.parse(query)
    corpus = Path(corpus) if corpus is not None else None
    index_dir = Path(index_dir)
    with opened.searching(index_dir, lambda: open_for_search(index_dir, corpus, warn)) as entry:
        searcher, remember = entry.searcher, entry.remember
        reader = searcher.reader()
        resolver = SpeakerResolver(reader, corpus, remember=remember)
        from . import vocabulary  # noqa: PLC0415  (after the index exists: its cache lives there)

        vocab = vocabulary.load(corpus, index_dir, warn)
        compiler = Compiler(reader, resolver, vocab if expand else None)
        q = compiler.compile(tree)
        if q is None:
            raise QueryError(f"nothing to search for in {query!r}: it has no words")
        resolved = tuple(resolver.resolve(name) for name in filters.speakers)
        parts = filters.queries(resolved, reader)
        final = _with_filters(q, parts.values(), remember)
        fetch = max(1, min(page * limit, reader.doc_count_all()))
        if sort == "date":
            from whoosh import sorting

            order = sorting.MultiFacet(
                [sorting.FieldFacet("datekey", reverse=True), sorting.FieldFacet("doc_id"),
                 sorting.FieldFacet("ordinal")]
            )  # fmt: skip
            results = searcher.search(final, limit=fetch, sortedby=order)
            ranked = results.top_n
            total, total_exact = len(results), True  # sorting visits every match: exact
        else:
            ranked, total, total_exact = _spread_top(searcher, final, fetch, remember)
        spec = compiler.spec()
        offset = (page - 1) * limit
        hits = tuple(
            _hit(offset + i + 1, _score(score), searcher.stored_fields(docnum), spec)
            for i, (score, docnum) in enumerate(ranked[offset : offset + limit])
        )
        facet_counts, facets_exact = _facets(searcher, final, remember) if facets else (None, True)
        suggestion = (
            _suggest(reader, query, compiler.plain_words, vocab)
            if not total or compiler.unknown(reader)
            else None
        )
        excluded = _excluded_by(searcher, q, parts, remember) if not total and parts else ()
    return SearchResult(
        query=query,
        total=total,
        total_exact=total_exact,
        page=page,
        hits=hits,
        suggestion=suggestion,
        facets=facet_counts,
        facets_exact=facets_exact,
        excluded_by=excluded,
        filters=filters.describe(resolved),
        expanded={k: tuple(v) for k, v in compiler.expansions.items()},
    )


def _top(searcher, q: wq.Query, fetch: int, remember: Remember | None = None):
    """The best `fetch` matches by score: ([(score, docnum)...], total, whether total is exact).

    Word and phrase queries go through topk.py (impact lists, kept in the open searcher's
    memo): it reads a few dozen rows of each term's best passages instead of every match.
    Anything else uses Whoosh's top-N collector with its shortcuts (skipping blocks of
    postings whose best possible score cannot reach the current top N): the matches skipped
    are not counted, so `total` is then a lower bound (`total_exact` False, "at least N" in
    the text output). When fewer than `fetch` passages match, nothing can have been skipped
    and the count is exact.
    """
    from whoosh.collectors import TopCollector

    from . import topk

    if TOP_LISTS and remember is not None:
        found = topk.top(searcher, q, fetch, remember("impact-lists", topk.ListCache))
        if found is not None:
            return found
    # Up to EXACT_UPTO possible matches (Whoosh's upper estimate) scoring them all is cheap:
    # the count stays exact, as it always is on a small corpus.
    quick = QUALITY_SHORTCUTS and q.estimate_size(searcher.reader()) > EXACT_UPTO
    collector = TopCollector(limit=fetch, usequality=quick, replace=REPLACE_EVERY if quick else 0)
    searcher.search_with_collector(q, collector)
    total = collector.total
    exact = not quick or total < fetch or not (collector.skipped_times or collector.replaced_times)
    return collector.results().top_n, total, exact


def _spread_top(searcher, q: wq.Query, fetch: int, remember: Remember | None = None):
    """_top's best `fetch` matches, spread over documents (diversity.py): ranked from a pool
    of the best matches that grows until the spread page is certain."""
    document = searcher.reader().column_reader("doc_id").__getitem__
    pool = min(pool_size(fetch), max(MAX_POOL, fetch))
    while True:
        ranked, total, total_exact = _top(searcher, q, pool, remember)
        spread_out, certain = spread(ranked, document, fetch, len(ranked) < pool)
        if certain or pool >= MAX_POOL:
            return spread_out, total, total_exact
        pool = min(pool * 2, MAX_POOL)


def _score(score: Any) -> float:
    # Sorted (date) results carry the sort key, not a relevance score.
    return float(score) if isinstance(score, (int, float)) else 0.0


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


def _with_filters(
    q: wq.Query, filters: Iterable[wq.Query], remember: Remember | None = None
) -> wq.Query:
    """`q` restricted to the passages every filter matches; filters add nothing to the score.
    Their passage lists are computed once per open searcher (`remember`)."""
    fs = list(filters)
    if not fs:
        return q
    return Restricted(q, fs, remember) if remember else Restricted(q, fs)


def _excluded_by(
    searcher, q: wq.Query, parts: dict[str, wq.Query], remember: Remember | None = None
) -> tuple[str, ...]:
    """Which filters exclude everything: re-run the query without each of them."""

    def any_hit(query: wq.Query) -> bool:
        return next(iter(searcher.docs_for_query(query)), None) is not None

    if not any_hit(q):
        return ()
    names = list(parts)
    single = tuple(
        n for n in names if any_hit(_with_filters(q, [parts[m] for m in names if m != n], remember))
    )
    return single or tuple(names)


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


FACET_COLUMNS = (("speaker", "speaker_facet"), ("conference", "conference_name"),
                 ("year", "year"), ("type", "doc_type"))  # fmt: skip


def _facets(
    searcher, q: wq.Query, remember: Remember | None = None
) -> tuple[dict[str, dict[str, int]], bool]:
    """Counts of the matching passages by speaker, conference, year and type, and whether they
    are exact. Over FACET_SAMPLE matches, every k-th match is counted and the counts scaled by
    k (estimates, flagged). The four columns are read once per open searcher into lists."""
    from . import topk

    found = None
    if TOP_LISTS and remember is not None:
        found = topk.matches(searcher, q, remember("impact-lists", topk.ListCache))
    docnums = sorted(found if found is not None else searcher.docs_for_query(q))
    step = max(1, -(-len(docnums) // FACET_SAMPLE))  # ceiling division
    reader = searcher.reader()
    codes = (
        remember("facet-codes", lambda: _facet_codes(reader)) if remember else _facet_codes(reader)
    )
    counts: dict[str, Counter] = {}
    sample = docnums[::step]
    for key, _ in FACET_COLUMNS:
        column, table = codes[key]
        # Small ints counted in a C loop: a fifth of the time of hashing the values themselves
        tally = Counter(map(column.__getitem__, sample))
        c = counts[key] = Counter()
        for code, n in tally.items():
            value = table[code]
            if key == "speaker":
                for name in value:
                    c[name] += n
            elif value:
                c[value] += n
    scaled = {
        k: dict(sorted(((v, n * step) for v, n in c.items()), key=lambda kv: (-kv[1], kv[0])))
        for k, c in counts.items()
    }
    return scaled, step == 1


def _facet_codes(reader) -> dict[str, tuple[list[int], list[Any]]]:
    """Per facet: each docnum's value as a small int, and the values by int."""
    out = {}
    for key, column in _facet_values(reader).items():
        table: dict[Any, int] = {}
        codes = [table.setdefault(value, len(table)) for value in column]
        out[key] = (codes, list(table))
    return out


def _facet_values(reader) -> dict[str, list[Any]]:
    """Per docnum: the tuple of speakers, conference, year (as text) and type of each passage.

    From the columns; Whoosh 2.7.5 can leave a column shorter than its segment in an index
    written by several processes (reading past its end raises IndexError): the stored fields,
    always whole, are read instead then."""
    n = reader.doc_count_all()
    try:
        out = {key: list(reader.column_reader(col)) for key, col in FACET_COLUMNS}
        if any(len(v) != n for v in out.values()):
            raise IndexError("short column")
    except IndexError:
        stored = [reader.stored_fields(d) if not reader.is_deleted(d) else {} for d in range(n)]
        out = {
            "speaker": [tuple(f.get("speaker_list") or ()) for f in stored],
            "conference": [f.get("conference_name") for f in stored],
            "year": [str(f["year"]) if f.get("year") else None for f in stored],
            "type": [f.get("doc_type") for f in stored],
        }
        return out
    out["speaker"] = [
        tuple(v.decode("utf-8").split(FACET_SEPARATOR)) if v else () for v in out["speaker"]
    ]
    out["year"] = [str(v) if v else None for v in out["year"]]
    return out


def _suggest(reader, query: str, plain: list[tuple[str, str, str]], vocab=None) -> str | None:
    """ "Did you mean": each plain word unknown to the index replaced by the closest word
    that is in it (edit distance 1, then 2; most frequent first). A name or acronym of the
    vocabulary is never "corrected" ("ISIS" is not a typo of "ISIL")."""
    import re

    suggestion = query
    changed = False
    tried = 0
    for typed, word, s in plain:
        if reader.doc_frequency("text", s) or len(word) < 3:
            continue
        if vocab is not None and vocab.match(((word, 0, 0, False),)):
            continue
        # Each unknown word costs two fuzzy lexicon scans (~50 ms on 2,000 passages): a query
        # of 300 unknown words took 5 s. The first few are what a user reads anyway.
        tried += 1
        if tried > MAX_SUGGEST_WORDS:
            break
        for distance in (1, 2):
            candidates = [
                c for c in reader.terms_within("exact", word, distance, prefix=1) if c != word
            ]
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
    index_dir = Path(index_dir)
    no_spec = hl.MatchSpec()
    with opened.searching(index_dir, lambda: open_for_search(index_dir, corpus, warn)) as entry:
        searcher = entry.searcher
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
