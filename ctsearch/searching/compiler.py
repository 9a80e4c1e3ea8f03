"""The query syntax tree (query.py) compiled into a Whoosh query, remembering what to
highlight and which plain words were typed (for "did you mean")."""

from __future__ import annotations

from ctsearch import whoosh_ext  # noqa: F401  (first: version check, lean Whoosh imports)

# isort: split
from whoosh import query as wq

from ctsearch.analysis import PAIR_JOINER, compounds, fold, stem, words
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

ALL_WORDS_BOOST = 2.0  # weight of "every word present" relative to the words' own scores
PAIR_BOOST = 0.6  # adjacent query words found side by side in the passage
TITLE_WEIGHT = 0.35  # a title word counts this much: it describes the document, not the passage
PHRASE_VARIANTS = 8  # hyphenated words in a phrase: at most this many spellings are tried
MAX_EXPANSIONS = 500  # words a prefix* may expand to before it is refused as too vague
# Words all the prefix* and fuzzy~ words of one query may expand to together: the time to
# search grows with it (ten 2-letter prefixes, 5,000 words, took 2 s on 1,500 passages).
MAX_TOTAL_EXPANSIONS = 1500
COMMON = 0.5  # a word in more than this share of passages does not qualify a passage alone


class Compiler:
    """Query syntax tree → Whoosh query, remembering what to highlight and which plain words
    were typed (for "did you mean")."""

    def __init__(self, reader, resolver: SpeakerResolver) -> None:
        self.reader = reader
        self.resolver = resolver
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
        if len(toks) != 1:
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
        for seq in _variants(toks):
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
        alts = [self._exact_seq(seq, node.slop or 0) for seq in _variants(toks)]
        return wq.Or(alts) if len(alts) > 1 else alts[0]

    def _exact_seq(self, seq: tuple[str, ...], slop: int) -> wq.Query:
        """Surface words in order: adjacent, or with up to `slop` other words between."""
        if not self.negated:
            self.phrases.append((seq, slop if len(seq) > 1 else 0))
        if len(seq) == 1:
            return wq.Term("exact", seq[0])
        if slop:
            candidates = wq.And([wq.Term("exact", w) for w in dict.fromkeys(seq)])
            return CheckedPhrase(candidates, "exact", seq, slop + 1)
        if len(seq) == 2:
            return wq.Term("pairs", PAIR_JOINER.join(seq))
        # The pairs find the few candidates fast; their positions then make it exact.
        pairs = dict.fromkeys(zip(seq, seq[1:], strict=False))
        candidates = wq.And([wq.Term("pairs", PAIR_JOINER.join(p)) for p in pairs])
        return CheckedPhrase(candidates, "exact", seq, 1)

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
