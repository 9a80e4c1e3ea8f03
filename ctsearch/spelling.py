"""British and American spellings of one word as one key: "organisation" = "organization".

Applied by the analyzer (schema.words) to every folded word, at index time, at query time and
when highlighting, so that either spelling finds both. The key is the American form
(organization, labor, center, defense, program, traveled), so a key is a real word whenever
the word had a British/American pair; a word outside the rules is its own key.

Why rules and not a word list: the one packaged list (breame, a 1,700-word table last released
in 2021) misses the words this field is made of ("radicalisation", "deradicalisation",
"criminalisation", "operationalise" are not in it), and importing its tables costs ~10 ms on
every search. Rules cover words no list has, cost nothing to load, and the tests check them
against breame's list (every pair of the kinds covered here must fold together) and against a
list of words that must stay distinct (the false friends: timbre/timber, filled/filed,
four/for, hour/hor, sense/...). Each rule keeps a word it does not understand unchanged.

The rules (each with the exceptions that make it safe):
- -ise/-isation/-iser (and -yse for analyse, paralyse) → -ize...; not "rise", "advise",
  "exercise", "promise", "noise" and the other words that are -ise in American English too;
- -our → -or (labour, behaviour, honourable, favourite); not "four", "hour", "tour", "pour";
- -re → -er after t, b, v, g, h (centre, metre, fibre, manoeuvre, meagre, ochre); never after
  c ("acre", "massacre"), not "timbre", "ogre", "genre", "notre";
- -ence → -ense for the four nouns that differ (defence, offence, licence, pretence);
- -gramme → -gram (programme, kilogramme);
- -logue → -log for the words spelt -log in American English (dialogue, catalogue,
  prologue, epilogue, monologue, travelogue); not "analogue" or "ideologue", whose -log
  form would stem as "analogy" and "ideology" do;
- a doubled l before -ed/-ing/-er/-or/-ous after an unstressed syllable (travelled, labelling,
  counsellor, marvellous); never in one-syllable words ("filled" ≠ "filed"), never after -il
  except "pencil"/"council"-like words ("refilled" ≠ "refiled");
- a few single words (ageing, judgement, manoeuvre, skilful, fulfil, enrol, instalment).
"""

from __future__ import annotations

import re
from functools import lru_cache

# -ise words that are -ise in American English too (and their derivatives).
_ISE_KEEP = frozenset(
    "rise arise sunrise uprise moonrise advertise chastise expertise compromise demise premise "
    "promise surmise circumcise concise excise exercise incise precise imprecise noise poise "
    "raise praise cruise bruise guise anise paradise tortoise porpoise mortise treatise valise "
    "cerise chemise marquise merchandise denise louise elise eloise lise franchise".split()
)
_ISE_KEEP_ENDINGS = (
    "ovise", "dvise", "evise", "rvise", "wise", "guise", "prise", "chise", "oise", "aise",
    "uise", "eise",
)  # fmt: skip
# Endings after the "is" of -ise: the verb, its forms, and its derived nouns and adjectives.
_ISE_TAILS = (
    "ationally", "ational", "ations", "ation", "ability", "able", "ingly", "ings", "ing",
    "ers", "er", "es", "ed", "e",
)  # fmt: skip
_ISE = re.compile(r"(.*[^aeiouy])is(" + "|".join(_ISE_TAILS) + r")\Z")
_YSE = re.compile(r"(.*ly)s(ations?|ers?|es|ed|ing|e)\Z")  # analyse, paralyse, catalyse

_OUR_KEEP = frozenset(
    "our your four hour pour downpour outpour sour tour dour lour flour scour devour velour amour "
    "paramour troubadour tambour jour bonjour contour detour".split()
)
_OUR_KEEP_ENDINGS = ("tour", "hour", "four", "flour", "scour")
_OUR_TAILS = (
    "ably", "able", "ites", "ite", "ful", "fully", "less", "ally", "al", "hoods", "hood",
    "ings", "ing", "ers", "er", "eds", "ed", "ist", "ists", "isms", "ism", "itism", "ize", "izes",
    "ized", "izing", "ization", "ant", "ants", "some", "fulness", "ly", "liness", "ies", "s", "y",
    "",
)  # fmt: skip
_OUR = re.compile(
    r"(.*[a-z]{2})our(" + "|".join(sorted(_OUR_TAILS, key=len, reverse=True)) + r")\Z"
)

_RE_KEEP = frozenset(
    "timbre ogre ogres genre cadre padre macabre oeuvre oeuvres louvre euchre notre entre sartre "
    "maitre etre contre lettre autre votre ventre andre ombre chambre octobre libre sobre livre "
    "vivre havre".split()
)
# centre(s), fibre(s), meagre; centred/centring only where the rule cannot meet "hatred",
# "inbred" or "string".
_RE = re.compile(r"(.*[aeiou].*[tbvgh])re(s?)\Z")
_RED = re.compile(r"(.*[aeiou].*(?:nt|v))r(ed|ing)\Z")

_ENCE = {"defence": "defense", "offence": "offense", "licence": "license", "pretence": "pretense"}
_ENCE_TAILS = ("", "s", "less", "lessness")

_GRAMME = re.compile(r"(.*gram)me(s?)\Z")

_LOGUE = re.compile(r"(.*(?:dia|cata|pro|epi|mono|trave)log)u(e|es|ed|ing)\Z")
_LOGUE_TAILS = {"e": "", "es": "s", "ed": "ed", "ing": "ing"}  # catalogue(s/d), cataloguing

_LL_TAILS = ("ed", "ing", "ings", "er", "ers", "or", "ors", "ous", "ously", "ist", "ists")
_LL = re.compile(r"(.*[aeiou])ll(" + "|".join(sorted(_LL_TAILS, key=len, reverse=True)) + r")\Z")
_SYLLABLE = re.compile(r"[aeiouy]+")
# Heads whose -ll- is a stressed one-syllable word or ending: football(er), recall, befall,
# stonewall, install, enthral, appal, compel/expel/propel, excel, rebel, misspell, retell.
_LL_KEEP_ENDINGS = (
    "ba",
    "ca",
    "fa",
    "wa",
    "sta",
    "thra",
    "pa",
    "ga",
    "sma",
    "squa",
    "pe",
    "xce",
    "rebe",
    "spe",
    "te",
    "dwe",
    "she",
    "swe",
    "ye",
    "que",
)

_WORDS = {
    "ageing": "aging",
    "judgement": "judgment",
    "judgements": "judgments",
    "acknowledgement": "acknowledgment",
    "acknowledgements": "acknowledgments",
    "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers",
    "manoeuvred": "maneuvered",
    "manoeuvring": "maneuvering",
    "skilful": "skillful",
    "skilfully": "skillfully",
    "wilful": "willful",
    "wilfully": "willfully",
    "fulfil": "fulfill",
    "fulfils": "fulfills",
    "fulfilment": "fulfillment",
    "enrol": "enroll",
    "enrols": "enrolls",
    "enrolment": "enrollment",
    "enrolments": "enrollments",
    "instil": "instill",
    "distils": "distills",
    "enthral": "enthrall",
    "enthrals": "enthralls",
    "appal": "appall",
    "appals": "appalls",
    "instils": "instills",
    "distil": "distill",
    "instalment": "installment",
    "instalments": "installments",
    "practise": "practice",
    "practised": "practiced",
    "practises": "practices",
    "practising": "practicing",
    "grey": "gray",
    "cheque": "check",
    "cheques": "checks",
    "kerb": "curb",
    "plough": "plow",
    "sceptic": "skeptic",
    "sceptical": "skeptical",
    "scepticism": "skepticism",
    "aluminium": "aluminum",
    "paediatric": "pediatric",
    "encyclopaedia": "encyclopedia",
    "mould": "mold",
    "smoulder": "smolder",
    "moustache": "mustache",
}


@lru_cache(maxsize=200_000)
def spelling_key(word: str) -> str:
    """The American spelling of a folded (lowercase) British word; any other word unchanged."""
    if len(word) < 4 or not word.isalpha():
        return word
    if word in _WORDS:
        return _WORDS[word]
    for rule in (_ise, _our, _re, _ence, _gramme, _logue, _double_l):  # "colourise": two rules
        word = rule(word) or word
    return word


_ISE_PREFIX = re.compile(r"(.*[^aeiouy])is(a|at|ati|atio|e|ed|es|in|er)?\Z")


def prefix_variants(prefix: str) -> tuple[str, ...]:
    """A typed prefix and, when it ends inside a British -ise word ("organis", "radicalisa"),
    its American form, which is what the index holds. (A whole word is keyed already.)"""
    m = _ISE_PREFIX.match(prefix)
    if m and len(m.group(1)) >= 3 and not (m.group(1) + "ise").endswith(_ISE_KEEP_ENDINGS):
        return (prefix, f"{m.group(1)}iz{m.group(2) or ''}")
    return (prefix,)


def _ise(word: str) -> str | None:
    m = _ISE.match(word)
    if m:
        head, tail = m.groups()
        base = head + "ise"
        if base in _ISE_KEEP or base.endswith(_ISE_KEEP_ENDINGS) or len(head) < 2:
            return None
        if not _SYLLABLE.search(head):
            return None
        return head + "iz" + tail
    m = _YSE.match(word)
    if m and len(m.group(1)) >= 4:
        return m.group(1) + "z" + m.group(2)
    return None


def _our(word: str) -> str | None:
    m = _OUR.match(word)
    if not m:
        return None
    head, tail = m.groups()
    base = head + "our"
    if base in _OUR_KEEP or base.endswith(_OUR_KEEP_ENDINGS) or not _SYLLABLE.search(head):
        return None
    return head + "or" + tail


def _re(word: str) -> str | None:
    m = _RE.match(word)
    if m:
        head, tail = m.groups()
        if head + "re" in _RE_KEEP:
            return None
        return head + "er" + tail
    m = _RED.match(word)
    if m and not word.endswith("string"):
        head, tail = m.groups()
        if head + "re" in _RE_KEEP:
            return None
        return head + "er" + tail
    return None


def _ence(word: str) -> str | None:
    for british, american in _ENCE.items():
        if word.startswith(british) and word[len(british) :] in _ENCE_TAILS:
            return american + word[len(british) :]
    return None


def _gramme(word: str) -> str | None:
    m = _GRAMME.match(word)
    return m.group(1) + m.group(2) if m else None


def _logue(word: str) -> str | None:
    m = _LOGUE.match(word)
    return m.group(1) + _LOGUE_TAILS[m.group(2)] if m else None


def _double_l(word: str) -> str | None:
    m = _LL.match(word)
    if not m:
        return None
    head, tail = m.groups()
    # British English doubles the l after an unstressed -el/-al ("travelled", "signalled") and
    # in -cil/-ril words ("pencilled", "councillor"); a one-syllable word doubles it in both
    # ("filled" is not "filed"), and so does a stressed ending ("compelled", "controlled",
    # "installed", "refilled"), left alone here.
    if not head.endswith(("a", "e", "ci", "ri", "vi")) or head.endswith(_LL_KEEP_ENDINGS):
        return None
    syllables = len(_SYLLABLE.findall(re.sub(r"(?<=[^aeiouy])(ue|ia|ua)", "u-a", head)))
    if syllables < 2:
        return None
    if tail in ("ous", "ously") and not head.endswith("e"):  # marvellous; not "callous"
        return None
    return head + "l" + tail
