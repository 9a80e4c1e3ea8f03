"""How reported speech is written: reporting verbs, and what may stand between a speaker and
the verb ("X, the Head of ..., said", "said the Under-Secretary-General", "was briefed by X",
"X who ... noted", "X ..., noting that"). The patterns attribution.py reads sentences with.
"""

from __future__ import annotations

import re

from ctsearch.documents.names import HONORIFIC_RE, NAME_BEFORE_SPACE_RE, NAME_RE

REPORTING_VERBS = (
    "said says stated states added adds stressed stresses emphasized emphasised emphasizes "
    "emphasises highlighted highlights underscored underscores underlined noted notes urged urges "
    "reiterated reiterates concluded concludes outlined encouraged encourages thanked thanks "
    "welcomed welcomes warned warns affirmed reaffirmed explained explains observed observes told "
    "tells remarked recalled recalls declared declares announced announces acknowledged "
    "acknowledges insisted argued asserted cautioned commended congratulated expressed appealed "
    "asked continued maintained suggested reminded recognized recognised praised condemned "
    "deplored described indicated mentioned replied responded wrote addressed briefed shared "
    "assured pledged condemns deplores reaffirms affirms commends underlines expresses insists "
    "argues asserts cautions believes confirmed confirms reported "
    # Spanish, French, Italian news: "Ban reiteró", "a déclaré".
    "dijo afirmó declaró condenó reiteró subrayó señaló destacó añadió expresó advirtió "
    "déclaré souligné affermato dichiarato sottolineato"
).split()
PHRASAL = ["called for", "calls for", "called on", "calls on", "called upon", "pointed out",
            "points out", "went on", "summed up", "spoke of", "spoke about"]  # fmt: skip


def _verb_pattern(verbs: list[str]) -> str:
    r"""\b(?:verb|...)\b grouped by first letter, which halves the cost of the scan: at each
    word start only the verbs of its letter are tried. No verb is the first word of another
    phrase, so at most one alternative can match at a position and their order is free."""
    groups: dict[str, list[str]] = {}
    for v in sorted(verbs, key=len, reverse=True):
        groups.setdefault(v[0], []).append(re.escape(v[1:]))
    alts = (f"{re.escape(c)}(?:{'|'.join(rest)})" for c, rest in sorted(groups.items()))
    return r"\b(?:" + "|".join(alts) + r")\b"


VERB_RE = re.compile(_verb_pattern(PHRASAL + REPORTING_VERBS))
ADVERB_WORDS = (
    r"also|further|then|later|again|however|additionally|subsequently|moreover|once again"
    r"|in addition|in particular|specifically|strongly|firmly|repeatedly|previously|separately"
    r"|particularly|especially|notably"
    r"|earlier|finally|meanwhile|has|had|have|was|is|will|would|both|himself|herself"
    r"|personally|publicly|clearly|today|yesterday|tonight|this week|last week|earlier today"
    r"|on [A-Za-z]+day|on \d{1,2} [A-Z][a-z]+|in (?:a|his|her|their) (?:statement|speech|address"
    r"|remarks|message|video message|briefing)"
)
ADVERBS = rf"(?:(?:{ADVERB_WORDS}),?\s+)*"
ADVERB_TAIL = re.compile(rf"(?:\s+(?:{ADVERB_WORDS}),?)*\s*$")
APPOSITIVE_TAIL = re.compile(r",[^,“”\"]{1,160}?,?\s*$")
# Between a subject and its verb: "of Norway", an appositive between commas, adverbs.
GAP_RE = re.compile(
    r"\s*(?:(?:of|from)\s+(?:the\s+)?[A-Z][\w\-’']*(?:\s+[A-Z][\w\-’']*){0,4}\s*)?"
    r"(?:,(?:[^,“”\"]{1,160}?,(?:[^,“”\"]{1,60}?,){0,3}|[^,“”\"]{1,160}?)\s*)?" + ADVERBS + r"$"
)
# "X who referred to ... and noted": X is the relative clause's subject.
WHO = re.compile(r",?\s+who\s+(?:[^.;]{0,200}?\s+and\s+)?" + ADVERBS + r"$")
# Between two people who speak together: "X, Minister of ..., and H.E. Y".
COORDINATED = re.compile(
    rf"(?:,[^,“”\"]{{1,160}}?)?,?\s+and\s+(?:the\s+|(?:{HONORIFIC_RE})\.?\s+)*"
)
AFTER_VERB_RE = re.compile(rf"\s+(?:the\s+|(?:{HONORIFIC_RE})\.?\s+)*$")
AFTER_PASSIVE_RE = re.compile(rf"\s+by\s+(?:the\s+|(?:{HONORIFIC_RE})\.?\s+)*$")
PASSIVE_BY = re.compile(r"\s+by\s")
PASSIVE_VERBS = re.compile(r"briefed|told|addressed")
NAME_AFTER_OFFICE = re.compile(r"\s+[A-Z][\w\-’']+(?:\s+[A-Z][\w\-’']+){0,2}(?=[\s,])")
# A full name introduced with its office: "Derek Plumbly, United Nations Special Coordinator".
APPOSITIVE_NAME = re.compile(
    rf"(?P<name>{NAME_BEFORE_SPACE_RE})(?:\s+\([^()]{{1,40}}\)|\s+of\s+[A-Z][\w\-]+)?"
    r",\s+(?:the\s+|[A-Z][\w.’'\-]*\s+){0,6}?"
    r"(?:Minister|Secretary|Representative|Ambassador|Director|Chair|Chairman|Chairperson|President"
    r"|Head|head|Envoy|Coordinator|Adviser|Advisor|Commissioner|Spokes\w+|Rapporteur|Chief|Deputy"
    r"|deputy|Executive|Under-Secretary-General|Secretary-General|High Representative)"
)
# A full name behind its office: "U.S. Secretary of State Hillary Rodham Clinton".
ROLE_THEN_NAME = re.compile(
    r"\b(?:Minister|Secretary(?: of State)?|President|Ambassador|Chairman|Chair|Director"
    rf"|Representative|Envoy|Commissioner|Prince|King)\s+(?P<name>{NAME_BEFORE_SPACE_RE})(?=[\s,.;])"
)
PARTICIPLE = re.compile(
    r",\s+(?:saying|stressing|noting|adding|emphasi[sz]ing|underlining|underscoring|warning"
    r"|urging|recalling|highlighting|reiterating|insisting|calling (?:for|on|upon))\b"
)
PARTICIPLE_SUBJECT = 60  # characters from the sentence start within which its subject stands
PRONOUN_RE = re.compile(r"\b(?P<p>[Hh]e|[Ss]he)\b")
UNKNOWN_LEFT = re.compile(rf"(?P<name>{NAME_BEFORE_SPACE_RE})$")
NAME_CHUNKS = 5  # NAME_RE: a word and at most 4 more, none holding whitespace
UNKNOWN_RIGHT = re.compile(rf"\s+(?P<name>{NAME_RE})")
ACCORDING = re.compile(r"\b[Aa]ccording to\s+")
# A person right after one of these words is an object, not a subject.
OBJECT_BEFORE = re.compile(
    r"\b(?:of|by|to|for|with|from|on|at|under|about|including|among|thanked|thank|welcomed"
    r"|congratulated|commended|invited|joined|met|and|honou?ring|praised|behalf of)"
    rf"\s+(?:the\s+|(?:{HONORIFIC_RE})\.?\s+)*$",
    re.IGNORECASE,
)
MAX_GAP = 220  # characters between a subject and its verb (an appositive fits)
MAX_LEARNED = 60  # full names remembered per document (each sentence is searched for them)
MAX_LOOKBACK = 30  # references searched back for a pronoun's antecedent within a sentence
OPEN_QUOTES, CLOSE_QUOTES = "“«", "”»"
QUOTE_CHARS = re.compile(r"[“«”»\"]")
OPENS_WITH_QUOTE = re.compile(r"[\s*_(]*[“\"«]")
