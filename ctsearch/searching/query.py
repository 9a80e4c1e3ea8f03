"""The query language, parsed into a small syntax tree (no Whoosh here; search.py compiles it).

    drones                      a word (stemmed: also "drone")
    capacity building           several words: passages with all of them first, then most
    "foreign terrorist fighters"  an exact phrase (surface words, no stemming)
    "rule of law"~3             the words in order, up to 3 other words between each
    terror*   terorism~  terorism~2   prefix, fuzzy (edit distance 1 or 2; default 2)
    a AND b   a OR b   NOT a   ( ... )   operators are UPPERCASE; "and", "or", "not" are words
    speaker:guterres  conference:2021  type:speech  year:2018  title:week   field:"two words"

Precedence, loosest first: juxtaposition, OR, AND, NOT. So `drones OR uavs attacks` is
`(drones OR uavs) attacks`, and `a AND b OR c` is `(a AND b) OR c`.
"""

from __future__ import annotations

import re

from ctsearch.errors import QueryError

# Friendly field names → the field they search (schema names are an implementation detail).
FIELD_ALIASES = {
    "speaker": "speaker",
    "speakers": "speaker",
    "by": "speaker",
    "conference": "conference",
    "conf": "conference",
    "type": "type",
    "doc_type": "type",
    "year": "year",
    "title": "title",
}
FIELD_HELP = "speaker:, conference:, type:, year:, title:"
MAX_DEPTH = 40  # nested parentheses
MAX_CLAUSES = 300  # words, phrases and field terms in one query
MAX_SLOP = 50
MAX_QUERY_CHARS = 10_000
# prefix* and fuzzy~ words in one query: each expands to up to hundreds of index terms, so a
# few dozen of them take seconds (300 fuzzy words took 30 s on a 3,000-passage index).
MAX_EXPANDING = 10
_YEAR_VALUE = re.compile(r"\d{4}(?:(?:-|\.\.)(?:\d{4})?)?\Z")
_QUOTES = {'"': '"', "\u201c": "\u201d", "\u201d": "\u201d", "\u201e": "\u201c"}
_OPERATORS = {"AND", "OR", "NOT"}
_FIELD = re.compile(r"([A-Za-z_]+):(.*)\Z", re.S)
_FUZZY = re.compile(r"(.+?)~(\d*)\Z", re.S)
_SLOP = re.compile(r"~(\d*)")


def whole_number(value: object, option: str, lo: int = 1, hi: int | None = None) -> int:
    """An option's value as a whole number within [lo, hi]; QueryError naming the option."""
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise QueryError(f"{option} must be a whole number, not {value!r}") from None
    if number < lo or (hi is not None and number > hi):
        bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
        raise QueryError(f"{option} must be {bound}, not {number}")
    return number


class _Node:
    """A syntax tree node: immutable by convention, compared by type and fields.

    Plain slotted classes rather than dataclasses: seven dataclasses cost ~15 ms to create at
    import, on the path of every `ctsearch search`."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        args = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({args})"


class Word(_Node):
    __slots__ = ("text", "prefix", "fuzzy")

    def __init__(self, text: str, prefix: bool = False, fuzzy: int = 0) -> None:
        self.text, self.prefix, self.fuzzy = text, prefix, fuzzy  # fuzzy: max edit distance


class Phrase(_Node):
    __slots__ = ("text", "slop")

    def __init__(self, text: str, slop: int | None = None) -> None:
        self.text, self.slop = text, slop  # slop None: exact; N: up to N words between


class Field(_Node):
    __slots__ = ("name", "value", "quoted")

    def __init__(self, name: str, value: str, quoted: bool = False) -> None:
        self.name, self.value, self.quoted = name, value, quoted  # name: a FIELD_ALIASES value


class Not(_Node):
    __slots__ = ("item",)

    def __init__(self, item: _Node) -> None:
        self.item = item


class And(_Node):
    __slots__ = ("items",)

    def __init__(self, items: tuple[_Node, ...]) -> None:
        self.items = items


class Or(_Node):
    __slots__ = ("items",)

    def __init__(self, items: tuple[_Node, ...]) -> None:
        self.items = items


class Seq(_Node):
    """Juxtaposed items: the more of them a passage holds, the higher it ranks."""

    __slots__ = ("items",)

    def __init__(self, items: tuple[_Node, ...]) -> None:
        self.items = items


Node = Word | Phrase | Field | Not | And | Or | Seq


def parse(text: str) -> Node:
    """Parse a query string; QueryError with a one-line reason if it cannot be understood."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is too long ({len(text)} characters; at most {MAX_QUERY_CHARS})"
        )
    tokens = _lex(text)
    if not tokens:
        raise QueryError("the query is empty: type some words to search for")
    clauses = sum(1 for t in tokens if t[0] in ("word", "phrase", "field"))
    if clauses > MAX_CLAUSES:
        raise QueryError(
            f"query too complex: it has {clauses} terms; at most {MAX_CLAUSES} are allowed"
        )
    expanding = sum(
        1
        for t in tokens
        if t[0] == "word" and (t[1].prefix or t[1].fuzzy)  # type: ignore[union-attr]
    )
    if expanding > MAX_EXPANDING:
        raise QueryError(
            f"query too complex: it has {expanding} prefix* or fuzzy~ words; "
            f"at most {MAX_EXPANDING} are allowed"
        )
    parser = _Parser(tokens)
    node = parser.seq(depth=0)
    if parser.peek() is not None:  # only a stray ")" can stop seq() early
        raise QueryError('unbalanced parentheses: a ")" has no matching "("')
    return node


# -- lexer: (kind, value) tokens -----------------------------------------------------------


def _lex(text: str) -> list[tuple[str, object]]:
    tokens: list[tuple[str, object]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
        elif c in "()":
            tokens.append((c, c))
            i += 1
        elif c in _QUOTES:
            phrase, i = _read_phrase(text, i)
            tokens.append(("phrase", phrase))
        else:
            j = i
            while (
                j < n and not text[j].isspace() and text[j] not in "()" and text[j] not in _QUOTES
            ):
                j += 1
            raw = text[i:j]
            m = _FIELD.match(raw)
            if m and m.group(1).lower() in FIELD_ALIASES:
                field = FIELD_ALIASES[m.group(1).lower()]
                value = m.group(2)
                if not value and j < n and text[j] in _QUOTES:
                    phrase, j = _read_phrase(text, j)
                    tokens.append(("field", Field(field, phrase.text, quoted=True)))
                elif not value:
                    raise QueryError(
                        f"{m.group(1)}: needs a value, e.g. {m.group(1)}:{_example(field)}"
                    )
                elif field == "year" and not _YEAR_VALUE.match(value):
                    raise QueryError(
                        f"{raw}: a year is four digits or a range, e.g. year:2018 or year:2018-2021"
                    )
                else:
                    tokens.append(("field", Field(field, value)))
            elif m and m.group(2) and not m.group(2).startswith("/"):
                raise QueryError(f"unknown field {m.group(1)}: (fields are {FIELD_HELP})")
            elif raw in _OPERATORS:
                tokens.append((raw, raw))
            else:
                tokens.append(("word", _word(raw.rstrip(":") if m else raw)))
            i = j
    return tokens


def _read_phrase(text: str, i: int) -> tuple[Phrase, int]:
    close = _QUOTES[text[i]]
    end = -1
    for k in range(i + 1, len(text)):
        if text[k] == close or text[k] == '"':
            end = k
            break
    if end < 0:
        raise QueryError(f"unbalanced quote: {text[i : i + 30]!r} has no closing quote")
    inner = text[i + 1 : end]
    j = end + 1
    slop = None
    m = _SLOP.match(text, j)
    if m:
        if not m.group(1):
            raise QueryError('~ after a phrase needs a number, e.g. "rule of law"~3')
        slop = int(m.group(1)) if len(m.group(1)) < 6 else MAX_SLOP + 1
        if not 0 <= slop <= MAX_SLOP:
            raise QueryError(f"proximity ~{m.group(1)} is too large (at most ~{MAX_SLOP})")
        j = m.end()
    if not inner.strip():
        raise QueryError("empty quotes: put the phrase between the quotes")
    return Phrase(inner, slop), j


def _word(raw: str) -> Word:
    fuzzy = 0
    m = _FUZZY.match(raw)
    if m and not m.group(1).endswith("~"):
        raw, digits = m.group(1), m.group(2)
        fuzzy = int(digits) if digits and len(digits) < 3 else (2 if not digits else 99)
        if fuzzy not in (1, 2):
            raise QueryError(f"fuzzy {raw}~{digits}: the edit distance is 1 or 2")
    prefix = raw.endswith("*")
    core = raw.rstrip("*") if prefix else raw
    if "*" in core:
        raise QueryError(f"{raw}: * is only allowed at the end of a word (prefix*)")
    if prefix and fuzzy:
        raise QueryError(f"{raw}~: a word can be a prefix* or fuzzy~, not both")
    if prefix and len(core.strip("-'")) < 2:
        raise QueryError(f"{raw}: a prefix needs at least 2 letters before the *")
    return Word(core, prefix=prefix, fuzzy=fuzzy)


def _example(field: str) -> str:
    return {"speaker": "guterres", "conference": "2021", "type": "speech", "year": "2018"}.get(
        field, "word"
    )


# -- parser --------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[tuple[str, object]]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, object]:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def seq(self, depth: int) -> Node:
        items = []
        while self.peek() not in (None, ")"):
            items.append(self.or_(depth))
        if not items:
            raise QueryError("empty parentheses: put words between ( and )")
        # A repeated item adds nothing to find and only costs time (300 words drawn from a
        # few common ones took 17 s): keep each item once, in first-seen order.
        items = list(dict.fromkeys(items))
        return items[0] if len(items) == 1 else Seq(tuple(items))

    def or_(self, depth: int) -> Node:
        items = [self.and_(depth)]
        while self.peek() == "OR":
            self.take()
            items.append(self.and_(depth, after="OR"))
        items = list(dict.fromkeys(items))  # `a OR a` is `a`; repeats only cost time
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_(self, depth: int, after: str | None = None) -> Node:
        items = [self.unary(depth, after)]
        while self.peek() == "AND":
            self.take()
            items.append(self.unary(depth, "AND"))
        items = list(dict.fromkeys(items))
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self, depth: int, after: str | None = None) -> Node:
        kind = self.peek()
        if kind == "NOT":
            # A loop, not recursion: `NOT NOT ... x` must not exhaust Python's stack.
            nots = 0
            while self.peek() == "NOT":
                self.take()
                nots += 1
            if nots > MAX_DEPTH:
                raise QueryError(f"query too complex: more than {MAX_DEPTH} NOTs in a row")
            node = self.unary(depth, "NOT")
            for _ in range(nots):
                node = Not(node)
            return node
        if kind is None or kind == ")":
            if after:
                raise QueryError(f"{after} needs something after it")
            raise QueryError('unbalanced parentheses: a ")" has no matching "("')
        if kind in ("AND", "OR"):
            where = f"after {after}" if after else "at the start of the query or a group"
            raise QueryError(f"{kind} cannot come {where}: it joins two terms, e.g. a {kind} b")
        if kind == "(":
            if depth >= MAX_DEPTH:
                raise QueryError(
                    f"query too complex: parentheses nest too deeply (at most {MAX_DEPTH})"
                )
            self.take()
            node = self.seq(depth + 1)
            if self.peek() != ")":
                raise QueryError('unbalanced parentheses: a "(" is never closed')
            self.take()
            return node
        return self.take()[1]  # type: ignore[return-value]
