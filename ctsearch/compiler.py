"""The query syntax tree (query.py) compiled into a Whoosh query, remembering what to
highlight and which plain words were typed (for "did you mean")."""

from __future__ import annotations

from whoosh import query as wq

from . import highlight as hl
from . import query as ql
from .errors import QueryError
from .filters import SpeakerResolver, conference_query, normalize_type, parse_year
from .schema import PAIR_JOINER, compounds, fold, stem, words

ALL_WORDS_BOOST = 2.0  # weight of "every word present" relative to the words' own scores
PAIR_BOOST = 0.6  # adjacent query words found side by side in the passage
TITLE_WEIGHT = 0.35  # a title word counts this much: it describes the document, not the passage
PHRASE_VARIANTS = 8  # hyphenated words in a phrase: at most this many spellings are tried
MAX_EXPANSIONS = 500  # words a prefix* may expand to before it is refused as too vague


class Compiler:
    """Query syntax tree → Whoosh query, remembering what to highlight and which plain words
    were typed (for "did you mean")."""

    def __init__(self, reader, resolver: SpeakerResolver) -> None:
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
            positive = [
                wq.Or([wq.And(content, boost=ALL_WORDS_BOOST), *content, *pairs]),
                *required,
            ]
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
                pairs = dict.fromkeys(zip(seq, seq[1:], strict=False))
                pair_terms = [wq.Term("pairs", PAIR_JOINER.join(p)) for p in pairs]
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
