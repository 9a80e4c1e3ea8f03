"""The Whoosh schema: the one place index fields are defined, and Whoosh's analyzer classes
built from `ctsearch.analysis` (words, folding, stemming, compounds).

Three views of a passage's words are indexed:
- `text`: stemmed (frequencies only): plain words.
- `exact`: the folded surface words, with positions: quoted phrases, proximity, prefix*, fuzzy~,
  "did you mean"; the only positional field (positions are costly to write and to read).
- `pairs`: adjacent surface words as one term ("foreign terrorist"), so that a quoted phrase
  is a term lookup instead of a scan of positions (the speed issue).

`passage_fields` maps a passage (and its document) onto these fields.
"""

from __future__ import annotations

from ctsearch import whoosh_ext  # noqa: F401  (first: version check, lean Whoosh imports)

# isort: split
from datetime import datetime
from typing import Any

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.system import pack_uint

from ctsearch.analysis import PAIR_JOINER, fold, index_terms, stem, words
from ctsearch.models import Document, Passage

# Bump whenever a field, an analyzer or what is stored changes: an index built with another
# version is rebuilt (with a notice) instead of being searched with the wrong assumptions.
SCHEMA_VERSION = 2  # 2: apostrophes dropped, British spellings folded (spelling.py)

TITLE_BOOST = 1.5  # field boost: a word in the title says more than one word of the passage
FACET_SEPARATOR = "\x1f"  # between names in the speaker facet column


# -- Whoosh analyzers built from the functions above -------------------------------------


class WordTokenizer(Tokenizer):
    """Folded words with positions and character offsets; `joined` marks compound parts."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, (word, start, end, joined) in enumerate(words(value)):
            t.text = word
            t.joined = joined
            t.span = 1
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = value[start:end]
            t.pos = start_pos + pos  # always: PairFilter needs it even without positions
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


class CompoundFilter(Filter):
    """At index time, after a hyphenated compound, also emit its closed form.

    "counter-terrorism" yields counter@p, terrorism@p+1 and counterterrorism@p (span 2), so the
    index holds both readings. At query time nothing is added: the query side decides.
    """

    def __call__(self, tokens):
        group: list[tuple[str, int, int, int]] = []  # (text, pos, startchar, endchar)
        mode = ""
        template = None
        for t in tokens:
            mode = t.mode
            if mode != "index":
                yield t
                continue
            if not t.joined and len(group) > 1:
                yield _closed_token(t, group)
            if not t.joined:
                group = []
            group.append(
                (t.text, getattr(t, "pos", 0), getattr(t, "startchar", 0), getattr(t, "endchar", 0))
            )
            template = t
            yield t
        if mode == "index" and len(group) > 1 and template is not None:
            yield _closed_token(template, group)


def _closed_token(t: Token, group: list[tuple[str, int, int, int]]) -> Token:
    closed = t.copy()
    closed.text = "".join(g[0] for g in group)
    closed.pos = group[0][1]
    closed.startchar = group[0][2]
    closed.endchar = group[-1][3]
    closed.joined = False
    closed.span = len(group)
    return closed


class StemFilter(Filter):
    """Porter2 (Snowball English) stemming with `stem()` above."""

    is_morph = True

    def __call__(self, tokens):
        for t in tokens:
            t.text = stem(t.text)
            yield t


class PairFilter(Filter):
    """Adjacent words as one term "a b": the index of two-word phrases.

    A pair is any two tokens where the second starts right after the first ends, counting a
    closed compound as spanning its parts, so "the counter-terrorism office" gives
    "the counter", "counter terrorism", "terrorism office", "the counterterrorism" and
    "counterterrorism office".
    """

    def __call__(self, tokens):
        seen: list[tuple[str, int, int]] = []  # (text, first pos, last pos)
        template = None
        for t in tokens:
            template = t
            seen.append((t.text, t.pos, t.pos + getattr(t, "span", 1) - 1))
        if template is None:
            return
        by_start: dict[int, list[str]] = {}
        for text, first, _ in seen:
            by_start.setdefault(first, []).append(text)
        out = template.copy()
        out.boost = 1.0
        for text, _, last in seen:
            for following in by_start.get(last + 1, ()):
                out.text = text + PAIR_JOINER + following
                yield out


class FoldFilter(Filter):
    """Lowercase + accent folding for whole values (speaker names)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = " ".join(fold(t.text).split())
            yield t


class CommaTokenizer(Tokenizer):
    """Comma-separated values, stripped (speaker lists)."""

    def __call__(self, value, positions=False, chars=False, mode="", **kwargs):
        t = Token(positions, chars, mode=mode, **kwargs)
        for pos, item in enumerate(v for v in value.split(",") if v.strip()):
            t.text = item.strip()
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = pos
            yield t


class WordField(TEXT):
    """A TEXT field of one of our analysis kinds whose indexing skips Whoosh's token stream.

    `index()` gives exactly the (term, frequency, weight, value) rows that TEXT.index() gives
    with the kind's analyzer (a test compares them on the corpus and on generated text), from
    one pass over `words()`: the token pipeline cost about a third of an index build (the
    speed issue). Queries and highlighting still use the analyzer.
    """

    ANALYZERS = {"stem": "stem_analyzer", "exact": "exact_analyzer", "pairs": "pair_analyzer"}

    def __init__(self, kind: str, **kwargs) -> None:
        super().__init__(analyzer=globals()[self.ANALYZERS[kind]](), **kwargs)
        self.kind = kind

    def index(self, value, **kwargs):
        if not isinstance(value, str) or kwargs:
            yield from super().index(value, **kwargs)
            return
        fmt = self.format
        boost = fmt.field_boost
        positional = isinstance(fmt, Positions)
        for term, positions in index_terms(self.kind, value).items():
            freq = len(positions)
            vbytes = fmt.encode(positions) if positional else pack_uint(freq)
            yield term.encode("utf-8"), freq, float(freq) * boost, vbytes


def stem_analyzer():
    return WordTokenizer() | CompoundFilter() | StemFilter()


def exact_analyzer():
    return WordTokenizer() | CompoundFilter()


def pair_analyzer():
    return WordTokenizer() | CompoundFilter() | PairFilter()


def name_analyzer():
    return CommaTokenizer() | FoldFilter()


def _names_field() -> KEYWORD:
    field = KEYWORD(commas=True, scorable=False)
    field.analyzer = name_analyzer()  # KEYWORD only lowercases; ours folds accents too
    return field


def build_schema() -> Schema:
    """The index's fields. Stored fields are enough to print a hit and its neighbours."""
    return Schema(
        # identity
        passage_id=ID(stored=True, unique=True),
        doc_id=ID(stored=True, sortable=True),
        ordinal=NUMERIC(int, bits=32, stored=True, sortable=True, shift_step=0),
        source=ID(stored=True),
        # the words
        text=WordField("stem", stored=True, phrase=False),
        exact=WordField("exact", phrase=True),
        pairs=WordField("pairs", phrase=False),
        title=WordField("stem", stored=True, phrase=False, field_boost=TITLE_BOOST),
        # metadata for filters, facets and citation
        doc_type=ID(stored=True, sortable=True),
        # Only documents with a full date. Whoosh's tiered terms (8 per value) keep a date
        # range query to a few terms; with one term per value it would OR every day in range.
        date=DATETIME(),
        date_text=STORED(),  # "YYYY-MM-DD" as the document gave it
        date_precision=ID(),  # "day" | "year" | "none": year-only documents match by year
        # One term per value (shift_step=0): few distinct years, and datekey/ordinal are never
        # searched by wide ranges (sorting uses their columns), so tiers would only cost writes.
        year=NUMERIC(int, bits=32, stored=True, sortable=True, shift_step=0),
        datekey=NUMERIC(int, bits=32, sortable=True, shift_step=0),  # YYYYMMDD, for --sort date
        conference_name=ID(stored=True, sortable=True),  # the canonical name, exact
        speakers=_names_field(),  # folded canonical names
        speaker_names=KEYWORD(commas=True, scorable=False),  # display names, for listing
        speaker_list=STORED(),  # display names, in order
        speaker_facet=COLUMN(),  # display names joined by FACET_SEPARATOR
        mentions=_names_field(),
        mention_list=STORED(),
        place=STORED(),
        url=STORED(),
        start=STORED(),
        end=STORED(),
    )


# -- a passage as fields ---------------------------------------------------------------


def passage_fields(doc: Document, passage: Passage) -> dict[str, Any]:
    """One passage as the keyword arguments of `writer.add_document`."""
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


def add_passages(writer, doc: Document, passages=None) -> int:
    """Add a document's passages (or the given ones of them) to `writer`; how many."""
    add = writer.add_document
    passages = doc.passages if passages is None else passages
    for passage in passages:
        add(**passage_fields(doc, passage))
    return len(passages)
