"""Names as text: matching keys (folded by analysis.fold_aligned), honorifics, and what looks
like a person's name.

Shared by the people data (people.py), the name scanner (namescan.py) and attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ctsearch.analysis import fold_aligned as fold

# Leading words that do not change who is meant: honorifics, "the", "UN".
HONORIFIC_TOKENS = (
    ("his", "excellency"),
    ("her", "excellency"),
    ("h", "e"),
    ("united", "nations"),
    ("mr",),
    ("ms",),
    ("mrs",),
    ("miss",),
    ("dr",),
    ("prof",),
    ("professor",),
    ("ambassador",),
    ("amb",),
    ("sir",),
    ("dame",),
    ("madam",),
    ("mme",),
    ("the",),
    ("un",),
)


@lru_cache(maxsize=8192)  # the same names recur in every document
def name_key(text: str) -> str:
    """The matching key of a name or title: folded, lowercase, no punctuation or honorifics."""
    s = re.sub(r"['’]s\b", "", fold(text).casefold())
    tokens = re.sub(r"[\W_]+", " ", s).split()
    changed = True
    while changed and tokens:
        changed = False
        for seq in HONORIFIC_TOKENS:
            if tuple(tokens[: len(seq)]) == seq and len(tokens) > len(seq):
                tokens = tokens[len(seq) :]
                changed = True
                break
    return " ".join(tokens)


@dataclass(frozen=True)
class Ref:
    """A person named in a text: by name, by office, or an unknown name with an honorific."""

    start: int
    end: int
    name: str  # canonical name, or the unknown name as written without honorific
    kind: str  # "name" | "office" | "unknown"
    pronoun: str | None = None


# ---------------------------------------------------------------------- scanning
# Names of organisations and things that follow an honorific-like word but are not people.
NOT_NAME_WORDS = frozenset(
    """
    united nations nation council assembly office committee states state member conference week
    strategy secretariat organization organisation union group forum republic kingdom government
    ministry department agency centre center directorate executive programme program fund bank
    court commission day congress summit general security international national global the
    of and for on in at a an counter-terrorism terrorism deputy under-secretary-general
    secretary-general president chair chairman chairperson panel session high-level
    network institute foundation coalition movement party alliance initiative affairs democracy
    justice defence defense interior relations development rights peace operations policy
    """.split()
)
# Words of an office that a name can stand behind or before: not part of the name.
ROLE_WORDS = frozenset(
    """
    minister secretary representative ambassador director chair chairman chairperson chairwoman
    president head envoy coordinator adviser advisor commissioner spokesperson spokesman rapporteur
    chief officer prosecutor judge deputy executive king queen prince counsellor permanent
    former acting vice under assistant high foreign prime
    """.split()
)
HONORIFIC_RE = (
    r"(?:Mr|Ms|Mrs|Miss|Dr|Prof|Professor|Ambassador|Amb|H\.\s?E|His Excellency|Her Excellency"
    r"|Sir|Dame|Judge|Justice|Madam|Mme|Senator|Minister|Foreign Minister|Prime Minister"
    r"|President|Vice-President|King|Queen|Prince|Princess|Sheikh|Father|Rabbi|Imam|Cardinal)"
)
NAME_WORD = r"[A-Z][\w'’\-]*[a-z\u00c0-\u024f][\w'’\-]*"  # capitalised, with a lowercase letter
# Lowercase words inside a name ("Luis de Almagro", "Abdullah bin Abdulaziz"), and those of
# them a name never ends with (what a match that ran on past the name leaves at its end).
PARTICLES = "de da del della di dos das du van von der bin ibn al el le la".split()
TRAILING_PARTICLES = frozenset("de da del das van von bin al el".split())
_PARTICLE = "|".join(PARTICLES)
_NAME_FMT = (
    r"{word}"
    r"(?:\s+(?:[A-Z]\.|(?:" + _PARTICLE + r")(?:\s+(?:" + _PARTICLE + r"))*\s+{word}"
    r"|(?:al|el|ad|as|ash|abu|bin|ibn|ben)[-‐]{word}|{word})){{0,4}}"
)
NAME_RE = _NAME_FMT.format(word=NAME_WORD)
# NAME_RE where whitespace or the end must follow (`NAME_RE$`): a word can only end where its
# letters end, so words are atomic groups and a failing search never retries every way to cut
# long words (exponential in the words: it was most of attribution's time).
NAME_BEFORE_SPACE_RE = _NAME_FMT.format(word=f"(?>{NAME_WORD})")


_HONORIFIC_WORDS = frozenset(t for seq in HONORIFIC_TOKENS for t in seq)


def clean_unknown_name(name: str) -> str | None:
    """An unknown person's name as written, trimmed of trailing particles; None if not a name."""
    words = name.split()
    while words and (words[-1].lower() in TRAILING_PARTICLES or words[-1].lower() == "of"):
        words.pop()
    if not words or any(w.lower().strip(",.") in NOT_NAME_WORDS for w in words):
        return None
    if all(w.lower().strip(",.") in _HONORIFIC_WORDS for w in words):
        return None  # "H.E. Mr. S. Muhriddin": "Mr" is not the name
    if words[-1].endswith(("’s", "'s")):
        return None  # "Boko Haram’s": a possessive is not a person who speaks
    return " ".join(words)
