"""The query syntax tree (query.py) compiled into a Whoosh query, remembering what to
highlight and which plain words were typed (for "did you mean").

A word or a run of words that is a form of the vocabulary (vocabulary.py) also matches the
other forms of its group: a one-word form as a stemmed word, a longer one as an exact phrase.
The form as typed keeps its full weight; each other form is weighted so that it scores at most
VARIANT_WEIGHT of what the typed form would score for the same occurrences (its idf relative to
the typed form's), so passages that say what the user typed come first among equals."""

from __future__ import annotations

import math

from ctsearch import whoosh_ext  # noqa: F401  (first: version check, lean Whoosh imports)

# isort: split
from whoosh import query as wq

from ctsearch.analysis import PAIR_JOINER, fold, spellings, stem, words
from ctsearch.errors import QueryError
from ctsearch.searching import highlight as hl
from ctsearch.searching import query as ql
from ctsearch.searching.filters import (
    SpeakerResolver,
    conference_query,
    normalize_type,
    nothing,
    parse_year,
)
from ctsearch.searching.matchers import CheckedPhrase
from ctsearch.spelling import prefix_variants

ALL_WORDS_BOOST = 2.0  # weight of "every word present" relative to the words' own scores
PAIR_BOOST = 0.6  # adjacent query words found side by side in the passage
TITLE_WEIGHT = 0.35  # a title word counts this much: it describes the document, not the passage
PHRASE_VARIANTS = 8  # hyphenated words in a phrase: at most this many spellings are tried
MAX_EXPANSIONS = 500  # words a prefix* may expand to before it is refused as too vague
# Words all the prefix* and fuzzy~ words of one query may expand to together: the time to
# search grows with it (ten 2-letter prefixes, 5,000 words, took 2 s on 1,500 passages).
MAX_TOTAL_EXPANSIONS = 1500
COMMON = 0.5  # a word in more than this share of passages does not qualify a passage alone
VARIANT_WEIGHT = 0.9  # another form of a vocabulary group, relative to the form typed


class NameRun(ql._Node):
    """Juxtaposed plain words that together are a form of the vocabulary ("Al Shabab")."""

    __slots__ = ("text", "groups")

    def __init__(self, text: str, groups: tuple[int, ...]) -> None:
        self.text, self.groups = text, groups


class Compiler:
    """Query syntax tree → Whoosh query, remembering what to highlight and which plain words
    were typed (for "did you mean")."""

    def __init__(self, reader, resolver: SpeakerResolver, vocabulary=None) -> None:
        self.reader = reader
        self.resolver = resolver
        self.vocabulary = vocabulary  # vocabulary.Vocabulary, or None: no expansion
        self.expansions: dict[str, list[str]] = {}  # as typed -> the other forms searched
        self.negated = 0  # > 0 while compiling under NOT: nothing there is highlighted
        self.stems: set[str] = set()
        self.exact: set[str] = set()
        self.phrases: list[tuple[tuple[str, ...], int]] = []
        self.plain_words: list[tuple[str, str, str]] = []  # (as typed, folded, stem)
        self.expanded = 0  # index words the prefix* and fuzzy~ words expanded to

    def spec(self) -> hl.MatchSpec:
        return hl.MatchSpec(
            stems=frozenset(self.stems),
            exact=frozenset(self.exact),
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
            subs = [self.compile(item) for item in node.items]
            subs = [s for s in subs if s is not None]
            return (wq.Or(subs) if len(subs) > 1 else subs[0]) if subs else None
        if isinstance(node, (ql.And, ql.Seq)):
            return self.group(node)
        if isinstance(node, NameRun):
            return self.name(node.text, words(node.text), node.groups)
        raise TypeError(node)

    def negative(self, node: ql.Node) -> wq.Query | None:
        self.negated += 1
        try:
            return self.compile(node)
        finally:
            self.negated -= 1

    def group(self, node: ql.And | ql.Seq) -> wq.Query | None:
        soft = isinstance(node, ql.Seq)
        content, required, negative = [], [], []
        weak = []  # words that cannot qualify a passage alone: very common ("of") or absent
        pairs = []
        prev: ql.Node | None = None
        items = self._name_runs(node.items) if soft and self.vocabulary else node.items
        for item in items:
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
                if soft and not self._qualifies(item):
                    weak.append(q)
                pair = _pair(prev, item)
                if pair:
                    pairs.append(wq.Term("pairs", pair, boost=PAIR_BOOST))
            prev = item
        if soft and len(content) > 1:
            # Any word may qualify a passage, except the very common ones on their own: a
            # passage that shares only "of" with the query is not a match (and scoring every
            # passage that holds "of" would be slow). They still count when all words are there.
            some = [q for q in content if all(q is not w for w in weak)] or content
            positive = [wq.Or([wq.And(content, boost=ALL_WORDS_BOOST), *some, *pairs]), *required]
        else:
            positive = content + required
        if not positive and not negative:
            return None
        base = (wq.And(positive) if len(positive) > 1 else positive[0]) if positive else wq.Every()
        if negative:
            return wq.AndNot(base, wq.Or(negative) if len(negative) > 1 else negative[0])
        return base

    def _qualifies(self, item: ql.Node) -> bool:
        """Whether a passage holding only this item (of several) should match: not when it is
        a single word in more than COMMON of the passages. An absent word qualifies nothing
        either, so that the common words are kept when the only rarer word is a typo."""
        if not isinstance(item, ql.Word) or item.prefix or item.fuzzy:
            return True
        toks = words(item.text)
        if len(toks) != 1 or (self.vocabulary and self.vocabulary.match(toks)):
            return True
        df = self.reader.doc_frequency("text", stem(toks[0][0]))
        return 0 < df <= COMMON * self.reader.doc_count_all()

    def word(self, node: ql.Word) -> wq.Query | None:
        toks = words(node.text)
        if not toks:
            return None
        if node.prefix or node.fuzzy:
            if len(toks) != 1:
                raise QueryError(f"{node.text}: prefix* and fuzzy~ work on a single word")
            return self._prefix(toks[0][0]) if node.prefix else self._fuzzy(toks[0][0], node.fuzzy)
        if self.vocabulary is not None:
            groups = self.vocabulary.match(toks)
            if groups:
                return self.name(node.text, toks, groups)
        if len(toks) == 1:
            word = toks[0][0]
            s = stem(word)
            if not self.negated:
                self.stems.add(s)
                self.plain_words.append((node.text, word, s))
            return wq.Or([wq.Term("text", s), wq.Term("title", s, boost=TITLE_WEIGHT)])
        # Hyphenated ("cyber-attacks") or split by punctuation ("U.S."): the parts as an
        # exact phrase, or the closed form ("cyberattacks") as one stemmed word.
        alts = []
        for seq in spellings(toks, PHRASE_VARIANTS):
            if len(seq) == 1:
                alts.append(wq.Term("text", stem(seq[0])))
                if not self.negated:
                    self.stems.add(stem(seq[0]))
            else:
                alts.append(self._exact_seq(seq, 0))
        return wq.Or(alts) if len(alts) > 1 else alts[0]

    def phrase(self, node: ql.Phrase) -> wq.Query | None:
        toks = words(node.text)
        if not toks:
            return None
        alts = [self._exact_seq(seq, node.slop or 0) for seq in spellings(toks, PHRASE_VARIANTS)]
        return wq.Or(alts) if len(alts) > 1 else alts[0]

    def _exact_seq(self, seq: tuple[str, ...], slop: int, boost: float = 1.0) -> wq.Query:
        """Surface words in order: adjacent, or with up to `slop` other words between."""
        if not self.negated:
            self.phrases.append((seq, slop if len(seq) > 1 else 0))
        if len(seq) == 1:
            return wq.Term("exact", seq[0], boost=boost)
        if slop:
            candidates = wq.And([wq.Term("exact", w) for w in dict.fromkeys(seq)], boost=boost)
            return CheckedPhrase(candidates, "exact", seq, slop + 1)
        if len(seq) == 2:
            return wq.Term("pairs", PAIR_JOINER.join(seq), boost=boost)
        # The pairs find the few candidates fast; their positions then make it exact.
        pairs = dict.fromkeys(zip(seq, seq[1:], strict=False))
        candidates = wq.And([wq.Term("pairs", PAIR_JOINER.join(p)) for p in pairs], boost=boost)
        return CheckedPhrase(candidates, "exact", seq, 1)

    # -- vocabulary ------------------------------------------------------------------------

    def _name_runs(self, items: tuple[ql.Node, ...]) -> list[ql.Node]:
        """`items` with each run of two or more plain words that is a vocabulary form (the
        longest first) replaced by a NameRun; single words are matched by word()."""
        out: list[ql.Node] = []
        i = 0
        while i < len(items):
            found = None
            end = i
            while end < len(items) and _plain(items[end]):
                end += 1
            for j in range(min(end, i + self.vocabulary.longest), i + 1, -1):
                text = " ".join(w.text for w in items[i:j])  # type: ignore[attr-defined]
                groups = self.vocabulary.match(words(text))
                if groups:
                    found = (j, NameRun(text, groups))
                    break
            if found:
                i, run = found
                out.append(run)
            else:
                out.append(items[i])
                i += 1
        return out

    def name(self, typed: str, toks, groups: tuple[int, ...]) -> wq.Query:
        """A vocabulary form as typed, or any other form of its groups."""
        typed_key = self._form_terms(toks)
        typed_q = self._form_query(toks, 1.0)
        typed_idf = self._idf(typed_key)
        alternatives = [typed_q]
        shown = []
        typed_words = tuple(t[0] for t in toks)
        # "Counter-Terrorism" also as "counterterrorism"
        as_typed = set(spellings(toks, PHRASE_VARIANTS))
        forms = [(f, v, words(f)) for f, v in self.vocabulary.forms(groups)]
        forms = [(f, v, ft) for f, v, ft in forms if tuple(t[0] for t in ft) not in as_typed]
        surfaces = [typed_words, *(tuple(t[0] for t in ft) for _, _, ft in forms)]
        for form, visible, ftoks in forms:
            # A form holding another form ("Al-Qaida core", "ISIL (Da'esh)") finds no passage
            # the shorter one misses: searching it too would only count those passages twice.
            surface = tuple(t[0] for t in ftoks)
            if any(other != surface and _contains(surface, other) for other in surfaces):
                if visible:
                    shown.append(form)
                if not self.negated:  # still marked whole when highlighting
                    self.phrases.extend((seq, 0) for seq in spellings(ftoks, PHRASE_VARIANTS))
                continue
            weight = VARIANT_WEIGHT * min(
                1.0, typed_idf / max(self._idf(self._form_terms(ftoks)), 1e-9)
            )
            alternatives.append(self._form_query(ftoks, weight))
            if visible:
                shown.append(form)
        if not self.negated and shown:
            self.expansions.setdefault(typed, shown)
        return wq.Or(alternatives)

    def _form_query(self, toks, boost: float) -> wq.Query:
        if len(toks) == 1:
            s = stem(toks[0][0])
            if not self.negated:
                self.stems.add(s)
            return wq.Or(
                [wq.Term("text", s, boost=boost), wq.Term("title", s, boost=TITLE_WEIGHT * boost)]
            )
        alts = [self._exact_seq(seq, 0, boost) for seq in spellings(toks, PHRASE_VARIANTS)]
        return wq.Or(alts) if len(alts) > 1 else alts[0]

    @staticmethod
    def _form_terms(toks) -> list[tuple[str, str]]:
        """The (field, term) whose scores make up a form's score: its stem, or its pairs."""
        if len(toks) == 1:
            return [("text", stem(toks[0][0]))]
        seq = [t[0] for t in toks]
        return [("pairs", a + PAIR_JOINER + b) for a, b in zip(seq, seq[1:], strict=False)]

    def _idf(self, terms: list[tuple[str, str]]) -> float:
        """Summed idf of the terms, as Whoosh's BM25F computes it."""
        n = self.reader.doc_count_all()
        return sum(math.log(n / (self.reader.doc_frequency(f, t) + 1)) + 1 for f, t in terms)

    def _prefix(self, prefix: str) -> wq.Query:
        found = []
        for start in prefix_variants(prefix):  # "organis*" is indexed as "organiz..."
            for term in self.reader.expand_prefix("exact", start):
                found.append(term.decode("utf-8") if isinstance(term, bytes) else term)
                if len(found) > MAX_EXPANSIONS:
                    raise QueryError(
                        f"{prefix}* matches more than {MAX_EXPANSIONS} words: "
                        "make the prefix longer"
                    )
        return self._any_exact(list(dict.fromkeys(found)))

    def _fuzzy(self, word: str, distance: int) -> wq.Query:
        found = set(self.reader.terms_within("exact", word, distance, prefix=1))
        if ("exact", word) in self.reader:
            found.add(word)
        return self._any_exact(sorted(found))

    def _any_exact(self, found: list[str]) -> wq.Query:
        self.expanded += len(found)
        if self.expanded > MAX_TOTAL_EXPANSIONS:
            raise QueryError(
                f"query too complex: its prefix* and fuzzy~ words match more than "
                f"{MAX_TOTAL_EXPANSIONS} words together; make them longer or use fewer"
            )
        if not self.negated:
            self.exact.update(found)
        if not found:
            return nothing()
        return wq.Or([wq.Term("exact", t) for t in found])

    def field(self, node: ql.Field) -> wq.Query | None:
        if node.name == "speaker":
            return wq.Term("speakers", fold(self.resolver.resolve(node.value)))
        if node.name == "conference":
            return conference_query(node.value, self.reader)
        if node.name == "type":
            return wq.Term("doc_type", normalize_type(node.value))
        if node.name == "year":
            lo, _, hi = node.value.replace("..", "-").partition("-")
            return wq.NumericRange("year", parse_year(lo), parse_year(hi) if hi else parse_year(lo))
        stems = [stem(w) for w, _, _, _ in words(node.value)]  # title:
        if not stems:
            return None
        terms = [wq.Term("title", s) for s in stems]
        return wq.And(terms) if len(terms) > 1 else terms[0]


def _contains(seq: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Whether `part` occurs in `seq` as a run of consecutive words."""
    n = len(part)
    return 0 < n < len(seq) and any(seq[i : i + n] == part for i in range(len(seq) - n + 1))


def _plain(item: ql.Node) -> bool:
    return isinstance(item, ql.Word) and not item.prefix and not item.fuzzy


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
