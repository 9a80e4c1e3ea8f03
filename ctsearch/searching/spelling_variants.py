"""British and American spellings of a word: one canonical form, and the other spellings.

People quoting a UN text often respell it ("organisation" for "organization", "defence" for
"defense", "dialog" for "dialogue"). `canonical` maps a folded word to one spelling by the
regular correspondences between the two (endings -ise/-ize, -isation/-ization, -yse/-yze,
-our/-or, -tre/-ter, -ence/-ense, -ogue/-og, doubled l before -ed/-ing/-er, programme/program,
judgement/judgment). It is applied to both sides of a comparison, so a rule that also rewrites
an unrelated word ("precise" → "precize") is harmless: both sides change alike. `variants`
lists the spellings a word may have in a text, to look them up in the index.
"""

from __future__ import annotations

import re
from functools import lru_cache

# (British pattern, American replacement), tried in order; each is anchored at the word's end
# (with the inflections that may follow) and needs a few letters before it, so that short
# words ("rise", "four", "hour", "fence") keep their spelling.
_TO_AMERICAN = (
    (re.compile(r"(?<=\w{3})is(ation|ations|e|es|ed|ing|er|ers)$"), r"iz\1"),
    (re.compile(r"(?<=\w{2})ys(e|es|ed|ing|er|ers)$"), r"yz\1"),
    (re.compile(r"(?<=\w{3})our(s|ed|ing|able|ably|ful|ite|ites|ist|ists|less)?$"), r"or\1"),
    (re.compile(r"(?<=\w{2})([tb])re(s|d)?$"), r"\1er\2"),
    (re.compile(r"(?<=\w{2})([fc])ence(s)?$"), r"\1ense\2"),
    (re.compile(r"(?<=\w{3})ogue(s)?$"), r"og\1"),
    (re.compile(r"(?<=\w{2}[aeiou])ll(ed|ing|er|ers)$"), r"l\1"),
    (re.compile(r"^programme(s|d)?$"), r"program\1"),
    (re.compile(r"^(ac)?knowledgement(s)?$"), r"\1knowledgment\2"),
    (re.compile(r"^judgement(s)?$"), r"judgment\1"),
)
# The other way: American forms → the British forms they may stand for.
_TO_BRITISH = (
    (re.compile(r"(?<=\w{3})iz(ation|ations|e|es|ed|ing|er|ers)$"), r"is\1"),
    (re.compile(r"(?<=\w{2})yz(e|es|ed|ing|er|ers)$"), r"ys\1"),
    (re.compile(r"(?<=\w{3})or(s|ed|ing|able|ably|ful|ite|ites|ist|ists|less)?$"), r"our\1"),
    (re.compile(r"(?<=\w{2})([tb])er(s)?$"), r"\1re\2"),
    (re.compile(r"(?<=\w{2})([fc])ense(s)?$"), r"\1ence\2"),
    (re.compile(r"(?<=\w{3})og(s)?$"), r"ogue\1"),
    (re.compile(r"(?<=\w{2}[aeiou])l(ed|ing|er|ers)$"), r"ll\1"),
    (re.compile(r"^program(s|med)?$"), r"programme\1"),
    (re.compile(r"^(ac)?knowledgment(s)?$"), r"\1knowledgement\2"),
    (re.compile(r"^judgment(s)?$"), r"judgement\1"),
)


@lru_cache(maxsize=50_000)
def canonical(word: str) -> str:
    """The American spelling of a folded word by the regular correspondences (the word itself
    when none applies)."""
    for pattern, replacement in _TO_AMERICAN:
        changed, n = pattern.subn(replacement, word)
        if n:
            return changed
    return word


def variants(word: str) -> set[str]:
    """The word and the other spellings it may have (British ↔ American)."""
    found = {word, canonical(word)}
    for pattern, replacement in _TO_BRITISH:
        changed, n = pattern.subn(replacement, word)
        if n:
            found.add(changed)
    return found
