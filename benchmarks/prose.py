"""Sentences and paragraphs for the benchmark corpus: narrative, quotes, reported speech.

A small template grammar whose slots are filled from Zipf-weighted pools (see lexicon.py): text
that reads like UN prose in shape (sentence lengths, quotes attributed to speakers, "he added
that ...", multi-word terms) while its vocabulary grows with the corpus.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from .lexicon import (
    CORE_ADJECTIVES,
    CORE_NOUNS,
    CORE_TERMS,
    CORE_VERBS,
    PLACES,
    Lexicon,
    Person,
    zipf_cum_weights,
)

# Share of content-word draws that come from the synthetic lexicon rather than the core vocabulary.
SYNTHETIC_SHARE = 0.25
# Samples drawn per call to random.choices: batching is what makes 100k passages take seconds.
BATCH = 2048

_SLOT = re.compile(r"\{(\w+)\}")

NARRATIVE = [
    "{Org} {vd} {np} to {v} {np} across {pl}.",
    "Participants {vd} the importance of {vg} {np} and {np}.",
    "The {ev} {vd} {np} in {pl}, with more than {num} participants from {num} Member States.",
    "Member States {v} {np} through {a} {n} and {np}.",
    "The meeting {vd} {a} {n} on {np}, including {np}.",
    "Speakers also {vd} the need to {v} {np} and {t}.",
    "In {pl}, {a} {n} remains a {a} concern for {np}.",
    "Discussions focused on {np}, {np} and {np}.",
    "The report {v3} {np} and {v3} {org} to {v} {np}.",
    "Since {year}, {num} {n} projects have {vd} {np} in {pl} and {pl}.",
    "It {vd} {a} {n} among {np}, {t} and {np}.",
    "The {ev} brought together {a} experts on {np} and {t}.",
    "{Org} will {v} {np} with {org} in {year}.",
    "Delegations from {pl} {vd} {a} {n} and {vd} {np}.",
    "Over {num} officials, diplomats and {n} took part in {num} sessions on {np}.",
    "The programme, funded by {org}, {v3} {np} in {pl}.",
    "According to the report, {a} {n} in {pl} rose in {year} as {np} spread.",
    "A side event on {t}, co-organized by {pl} and {org}, {vd} {np}.",
    "{T} was the focus of a panel chaired by {org}.",
    "The {ev} also {vd} {a} recommendations on {np} and {np}.",
    "Experts warned that {np} could {v} {np} unless {t} {v3} {np}.",
    "Under the {a} {n}, {org} {v3} {num} Member States in {vg} {np}.",
]

# First person: the words of speeches, statements, messages and direct quotes.
SPOKEN = [
    "We must {v} {np} and {v} {np}.",
    "We need to {v} {np} in {pl} and beyond.",
    "I call on {np} to {v} {np}.",
    "Our {n} must {v} {np} and {t}.",
    "There can be no {n} without {np}.",
    "{T} is essential to {v} {np}.",
    "Let us {v} {np} together.",
    "We have seen {a} {n} in {pl}, and we must {v} {t}.",
    "That is why we are {vg} {np} with {org}.",
    "No country can {v} {np} alone.",
    "I welcome {np} and the work of {org}.",
    "Terrorists remain determined to {v} {np}.",
    "We will continue to {v} {np} and {a} {n}.",
    "Thank you for your commitment to {np}.",
    "First, we must {v} {np}; second, we must {v} {t}.",
    "The threat of {np} is {a}, {a} and constantly evolving.",
    "I am particularly concerned about {np} in {pl}.",
    "Let me be clear: {t} and {np} go hand in hand.",
    "Since {year}, we have {vd} {np} with {org}.",
    "We owe it to the victims and survivors to {v} {np}.",
    "Together, we can {v} {np} and {v} {np}.",
    "The United Nations stands ready to {v} {np}.",
]

# Reported speech, the clause after "X stressed that".
REPORTED = [
    "Member States must {v} {np}",
    "{np} is central to {vg} {t}",
    "the international community should {v} {np}",
    "{org} will {v} {np} in {pl}",
    "{t} must be {vd} through {a} {n}",
    "more needs to be done to {v} {np}",
]

SAID = ["said", "stated", "added", "noted", "stressed"]
THAT_VERBS = [
    "emphasized",
    "stressed",
    "underscored",
    "noted",
    "highlighted",
    "reiterated",
    "recalled",
    "warned",
    "added",
]


class Sampler:
    """Zipf-weighted draws from a ranked pool, batched for speed, deterministic for one rng."""

    def __init__(self, rng: random.Random, pool: list, cum: list[float]) -> None:
        self.rng, self.pool, self.cum, self.buf = rng, pool, cum, []

    def __call__(self):
        if not self.buf:
            self.buf = self.rng.choices(self.pool, cum_weights=self.cum, k=BATCH)
        return self.buf.pop()


def _mixed(rng: random.Random, pool: list, n_core: int, s: float = 1.0) -> Sampler:
    """Core words (first n_core) take 1-SYNTHETIC_SHARE of the mass, the synthetic tail the rest."""
    core = zipf_cum_weights(n_core, s)
    tail_n = len(pool) - n_core
    if tail_n <= 0:
        return Sampler(rng, pool, core)
    tail = zipf_cum_weights(tail_n, s)
    a = (1 - SYNTHETIC_SHARE) / core[-1]
    b = SYNTHETIC_SHARE / tail[-1]
    cum = [c * a for c in core] + [1 - SYNTHETIC_SHARE + t * b for t in tail]
    return Sampler(rng, pool, cum)


def upper_first(s: str) -> str:
    return s[:1].upper() + s[1:]


class Prose:
    """Writes sentences and paragraphs; `ev` and the current speaker are set per document."""

    def __init__(self, rng: random.Random, lex: Lexicon) -> None:
        self.rng = rng
        self.lex = lex
        self.noun = _mixed(rng, lex.nouns, len(CORE_NOUNS))
        self.adj = _mixed(rng, lex.adjectives, len(CORE_ADJECTIVES))
        self.place = _mixed(rng, lex.places, len(PLACES), s=0.8)
        self.term = Sampler(rng, CORE_TERMS, zipf_cum_weights(len(CORE_TERMS), 0.9))
        self.verb = Sampler(rng, CORE_VERBS, zipf_cum_weights(len(CORE_VERBS), 0.8))
        self.org = Sampler(rng, lex.organisations, zipf_cum_weights(len(lex.organisations), 1.1))
        self.event = "conference"
        self.year = 2026  # the document's year: the text never cites a later one
        self.slots: dict[str, Callable[[], str]] = {
            "np": self.np,
            "n": self.noun,
            "a": self.adj,
            "t": self.term,
            "T": lambda: upper_first(self.term()),
            "v": lambda: self.verb()[0],
            "v3": lambda: self.verb()[1],
            "vd": lambda: self.verb()[2],
            "vg": lambda: self.verb()[3],
            "pl": self.place,
            "org": self.org,
            "Org": lambda: upper_first(self.org()),
            "num": lambda: str(self.rng.choice((12, 25, 40, 88, 147, 160, 300, 1000, 1200))),
            "year": lambda: str(self.rng.randint(2000, self.year)),
            "ev": lambda: self.event,
        }

    def np(self) -> str:
        """A noun phrase; about a quarter are fixed domain terms."""
        r = self.rng.random()
        if r < 0.25:
            return self.term()
        if r < 0.5:
            return f"{self.adj()} {self.noun()}"
        if r < 0.62:
            return f"the {self.noun()} of {self.term()}"
        if r < 0.78:
            return f"{self.adj()} {self.noun()} and {self.noun()}"
        if r < 0.9:
            return self.noun()
        return f"{self.noun()} in {self.place()}"

    def fill(self, template: str) -> str:
        return _SLOT.sub(lambda m: self.slots[m.group(1)](), template)

    def narrative(self) -> str:
        return self.fill(self.rng.choice(NARRATIVE))

    def spoken(self) -> str:
        return self.fill(self.rng.choice(SPOKEN))

    def reported(self) -> str:
        return self.fill(self.rng.choice(REPORTED))

    def sentences(self, make: Callable[[], str], words: int) -> list[str]:
        """Sentences from `make` until about `words` words."""
        out: list[str] = []
        count = 0
        while count < words:
            s = make()
            out.append(s)
            count += s.count(" ") + 1
        return out

    def quote(self, words: int) -> str:
        """Direct speech: one or more spoken sentences, the last one ending in a comma."""
        text = " ".join(self.sentences(self.spoken, words))
        return text[:-1] + ","

    def attributed(self, person: Person, words: int, first_mention: bool) -> str:
        """A paragraph reporting `person`'s words, in one of the shapes of real press releases."""
        rng = self.rng
        full = f"{person.honorific} {person.name}, {person.role}," if first_mention else None
        short = f"{person.honorific} {person.surname}"
        shape = rng.randrange(5)
        parts: list[str] = []
        if shape == 0:
            parts.append(self.narrative())
            who = full[:-1] if full else short
            parts.append(f"“{self.quote(words // 2)}” {rng.choice(SAID)} {who}.")
        elif shape == 1:
            who = full or short
            parts.append(f"{who} {rng.choice(THAT_VERBS)} that {self.reported()}.")
            parts.append(f"{upper_first(person.pronoun)} added that {self.reported()}.")
            parts.append(f"“{self.quote(words // 3)}” {person.pronoun} said.")
        elif shape == 2:
            who = f"the {person.role}, {person.name}," if first_mention else short
            parts.append(
                f"Speaking at the {self.event}, {who} {self.verb()[2]} the “{self.np()}” and "
                f"{rng.choice(THAT_VERBS)} that {self.reported()}."
            )
        elif shape == 3:
            parts.append(f"“{self.quote(words // 2)}” said the {person.role}.")
        else:
            who = full[:-1] if full else short
            parts.append(
                f"In {'his' if person.pronoun == 'he' else 'her'} remarks, {who} "
                f"{rng.choice(THAT_VERBS)} that {self.reported()}."
            )
            parts.append(f"“{self.quote(words // 3)}” {person.pronoun} {rng.choice(SAID)}.")
        count = sum(p.count(" ") + 1 for p in parts)
        if count < words:
            parts.extend(self.sentences(self.narrative, words - count))
        return " ".join(parts)
