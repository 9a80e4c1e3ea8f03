"""The Whoosh schema and analyzers: the one place index fields are defined.

Every word goes through the same steps at index time, at query time and when highlighting:
split into words (hyphens split too), lowercase, fold accents, drop apostrophes inside words
("Da'esh" = "Daesh"), fold British spellings into American ones (spelling.py: "centre" =
"center"), then for the stemmed fields the
Snowball English (Porter2) stemmer. No stop words are removed: "US", "not", "may", "will" and
phrases such as "all of society" must stay searchable.

Three views of a passage's words are indexed:
- `text`: stemmed (frequencies only): plain words.
- `exact`: the folded surface words, with positions: quoted phrases, proximity, prefix*, fuzzy~,
  "did you mean"; the only positional field (positions are costly to write and to read).
- `pairs`: adjacent surface words as one term ("foreign terrorist"), so that a quoted phrase
  is a term lookup instead of a scan of positions (the speed issue).

A hyphenated word ("counter-terrorism") is indexed as its parts at consecutive positions plus,
at index time only, its closed form ("counterterrorism") at the first part's position, so it
matches "counter terrorism" as a phrase and "counterterrorism" as a word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Filter, Token, Tokenizer
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.lang import porter2
from whoosh.system import pack_uint

from .models import MAX_WORD_CHARS
from .spelling import spelling_key

# Bump whenever a field, an analyzer or what is stored changes: an index built with another
# version is rebuilt (with a notice) instead of being searched with the wrong assumptions.
SCHEMA_VERSION = 2  # 2: apostrophes dropped, British spellings folded (spelling.py)

TITLE_BOOST = 1.5  # field boost: a word in the title says more than one word of the passage
PAIR_JOINER = " "  # between the two words of a `pairs` term; never inside a word
FACET_SEPARATOR = "\x1f"  # between names in the speaker facet column

# A word: letters/digits, with inner apostrophes ("general's", "don't"). Hyphens are not part
# of words; a single hyphen between two words marks them as parts of one compound.
_WORD = re.compile(r"\w+(?:['\u2018\u2019\u02bc`]\w+)*")
_HYPHENS = frozenset("-\u2010\u2011\u00ad")
# Letters that NFKD does not decompose into base letter + accent.
_FOLD_EXTRA = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "`": "'",
        "ß": "ss",
        "\u02bc": "'",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
    }
)
# NLTK tracks the stemmer's R1/R2 regions as strings; when step 2 or 3 replaces a suffix that
# is longer than the region, it empties the region (or leaves just "e") where the published
# algorithm keeps the region's start. Suffixes → what R2 becomes then.
_STEP2_SUFFIXES = (
    "ization", "ational", "fulness", "ousness", "iveness", "tional", "biliti", "lessli",
    "entli", "ation", "alism", "aliti", "ousli", "iviti", "fulli", "enci", "anci", "abli",
    "izer", "ator", "alli", "bli", "ogi", "li",
)  # fmt: skip
_STEP2_REPLACED = {
    "izer": "", "ization": "", "ational": "e", "ation": "e", "ator": "e", "alism": "",
    "aliti": "", "alli": "", "ousli": "", "ousness": "", "iveness": "e", "iviti": "e",
    "biliti": "", "bli": "",
}  # fmt: skip
_STEP3_SUFFIXES = ("ational", "tional", "alize", "icate", "iciti", "ative", "ical", "ness", "ful")
_STEP3_REPLACED = {"ational": "", "icate": "", "iciti": "", "ical": ""}


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lowercase and strip accents: "António" -> "antonio", "Straße" -> "strasse"."""
    word = word.lower()
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_FOLD_EXTRA).lower()


@lru_cache(maxsize=200_000)
def term(word: str) -> str:
    """A word as indexed and searched: folded, apostrophes dropped ("Da’esh" = "Daesh",
    "Qa'ida" = "Qaida"), British spellings as American ("organisation" = "organization")."""
    folded = fold(word)
    if "'" in folded:
        folded = folded.replace("'", "")
    return spelling_key(folded)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball English (Porter2) stem of a folded word, as NLTK's SnowballStemmer("english").

    Built from Whoosh's port (no NLTK import on the search path). The port follows the
    published algorithm; NLTK differs in one corner (see _STEP2_REPLACED), reproduced here so
    that the index agrees with NLTK word for word ("realization" -> "realize").
    """
    p = porter2
    if len(word) <= 2:
        return word
    word = p.remove_initial_apostrophe(word)
    if word in p.exceptional_forms:
        return p.exceptional_forms[word]
    word = p.capitalize_consonant_ys(word)
    r1, r2 = p.get_r1(word), p.get_r2(word)
    word = p.step_0(word)
    word = p.step_1a(word)
    if word in p.exceptional_early_exit_post_1a:
        return word
    word = p.step_1b(word, r1)
    word = p.step_1c(word)
    before, word = word, p.step_2(word, r1)
    r1, r2 = _nltk_regions(before, word, r1, r2, _STEP2_SUFFIXES, _STEP2_REPLACED)
    before, word = word, p.step_3(word, r1, r2)
    r1, r2 = _nltk_regions(before, word, r1, r2, _STEP3_SUFFIXES, _STEP3_REPLACED)
    word = p.step_4(word, r2)
    word = p.step_5(word, r1, r2)
    return p.normalize_ys(word)


def _nltk_regions(
    before: str,
    after: str,
    r1: int,
    r2: int,
    suffixes: tuple[str, ...],
    replaced: dict[str, str],
) -> tuple[int, int]:
    if after == before:
        return r1, r2
    suffix = next((s for s in suffixes if before.endswith(s)), None)
    if suffix not in replaced:
        return r1, r2
    boundary = len(before) - len(suffix)
    if r1 > boundary:
        r1 = len(after)
    if r2 > boundary:
        r2 = len(after) - len(replaced[suffix])
    return r1, r2


@lru_cache(maxsize=64)
def words(text: str) -> tuple[tuple[str, int, int, bool], ...]:
    """The folded words of `text` as (word, start, end, joined), offsets into `text`.

    `joined` is True when the word follows the previous one across a single hyphen, i.e. it
    continues a compound. Cached because one passage is analysed for several fields in turn.
    """
    out: list[tuple[str, int, int, bool]] = []
    prev_end = -2
    for m in _WORD.finditer(text):
        start, end = m.span()
        if end - start > MAX_WORD_CHARS:
            prev_end = -2
            continue
        joined = start == prev_end + 1 and text[prev_end] in _HYPHENS
        out.append((term(m.group()), start, end, joined))
        prev_end = end
    return tuple(out)


def compounds(
    tokens: tuple[tuple[str, int, int, bool], ...],
) -> list[tuple[int, int]]:
    """(first, last) token indexes of each hyphenated compound in a `words()` result."""
    groups = []
    first = None
    for i, (_, _, _, joined) in enumerate(tokens):
        if joined:
            if first is None:
                first = i - 1
        elif first is not None:
            groups.append((first, i - 1))
            first = None
    if first is not None:
        groups.append((first, len(tokens) - 1))
    return groups


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


def index_tokens(text: str) -> list[tuple[str, int, int]]:
    """(word, first position, last position) of each token the index-time analysis gives,
    in its order: every word, and after each hyphenated compound its closed form, which spans
    the compound's positions. What WordTokenizer | CompoundFilter yield, without Token objects."""
    toks = words(text)
    out: list[tuple[str, int, int]] = []
    first = 0  # where the current run of joined words (a compound) starts
    for i, (word, _, _, joined) in enumerate(toks):
        if not joined:
            if i - first > 1:
                out.append(("".join(t[0] for t in toks[first:i]), first, i - 1))
            first = i
        out.append((word, i, i))
    if len(toks) - first > 1:
        out.append(("".join(t[0] for t in toks[first:]), first, len(toks) - 1))
    return out


def index_terms(kind: str, text: str) -> dict[str, list[int]]:
    """The terms of one field kind ("stem", "exact", "pairs") in `text`, each with the
    positions of its occurrences in order (a pair at its first word's first position)."""
    tokens = index_tokens(text)
    terms: dict[str, list[int]] = {}
    if kind == "pairs":
        by_start: dict[int, list[str]] = {}
        for word, first, _ in tokens:
            by_start.setdefault(first, []).append(word)
        for word, first, last in tokens:
            for following in by_start.get(last + 1, ()):
                terms.setdefault(word + PAIR_JOINER + following, []).append(first)
        return terms
    for word, first, _ in tokens:
        terms.setdefault(stem(word) if kind == "stem" else word, []).append(first)
    return terms


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
