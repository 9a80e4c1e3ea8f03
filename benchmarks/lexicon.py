"""Word pools for the benchmark corpus: a core counter-terrorism vocabulary and a synthetic lexicon.

The core words are taken from the real corpus (and the UN record it comes from) and carry most of
the tokens; the synthetic lexicon (pseudo-words, people, places, organisations, events) grows with
the size of the corpus, so that the vocabulary keeps growing the way real collections do (Heaps'
law) instead of resampling the same five documents' words. Every pool is ranked and sampled with
Zipfian weights.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

# --- core vocabulary (from the real corpus), most frequent first --------------------------------

CORE_NOUNS = """
terrorism counter-terrorism cooperation strategy conference society efforts organizations
technologies rights community partners expertise challenges threat security support information
extremism resolution sector law approach victims women resources partnerships opportunity
prevention officials enforcement collaboration conditions capacity resilience impact forms
multilateralism coordination network framework agenda programmes policies mandate justice
countries communities entities institutions practitioners experts youth children families
governance radicalization recruitment propaganda narratives content platforms internet media
weapons attacks drones explosives borders detention camps facilities prosecution rehabilitation
reintegration repatriation nationals returnees fighters financing funds money laundering crime
trafficking kidnapping hostage-taking aviation infrastructure targets cities development peace
conflict conflicts violence poverty inequality exclusion discrimination education jobs training
gender equality participation solidarity assistance plans action coherence compact recommendations
outcomes priorities standards measures mechanisms tools data sources networks liberties innocence
travel arrival deportation individuals regions region leaders diplomats policymakers academia
survivors dignity memory tribute remembrance accountability transparency oversight legislation
sanctions designations assets intelligence surveillance privacy safeguards diversity tolerance
intolerance xenophobia racism hatred incitement manifestations setbacks fragility underdevelopment
stakeholders donors contributions momentum roadmap blueprint instrument pillars review adoption
consensus session sessions meetings deliberations discussions dialogue consultations insights
experiences practices lessons examples solutions commitment responsibility ownership vision
imperative risks vulnerabilities cyber-attacks cybersecurity biometrics screening cargo ports
maritime piracy kidnappers hostages ransom smuggling firearms ammunition precursors pathogens
""".split()

CORE_ADJECTIVES = """
international regional national global local collective multilateral strategic practical
comprehensive coordinated effective sustainable inclusive vulnerable violent terrorist extremist
new emerging transformative digital critical key thematic joint common human civil legal judicial
financial technical innovative durable secure prosperous responsible lawful sensitive broad
complex evolving dire biological chemical radiological nuclear online forward-looking meaningful
institutional bilateral interactive substantive consensus-based timely reinvigorated networked
concrete tangible long-term comprehensive gender-sensitive age-sensitive whole-of-society
cross-border transnational domestic interregional operational political economic social cultural
religious ethnic humanitarian preventive punitive proportionate accountable transparent robust
""".split()

# (base, third person, past, -ing)
CORE_VERBS = [
    tuple(v.split("/"))
    for v in """
strengthen/strengthens/strengthened/strengthening promote/promotes/promoted/promoting
prevent/prevents/prevented/preventing counter/counters/countered/countering
address/addresses/addressed/addressing ensure/ensures/ensured/ensuring
support/supports/supported/supporting share/shares/shared/sharing build/builds/built/building
enhance/enhances/enhanced/enhancing protect/protects/protected/protecting
implement/implements/implemented/implementing develop/develops/developed/developing
combat/combats/combated/combating engage/engages/engaged/engaging
empower/empowers/empowered/empowering mainstream/mainstreams/mainstreamed/mainstreaming
uphold/upholds/upheld/upholding harness/harnesses/harnessed/harnessing
anticipate/anticipates/anticipated/anticipating expand/expands/expanded/expanding
identify/identifies/identified/identifying mobilize/mobilizes/mobilized/mobilizing
foster/fosters/fostered/fostering integrate/integrates/integrated/integrating
coordinate/coordinates/coordinated/coordinating monitor/monitors/monitored/monitoring
disrupt/disrupts/disrupted/disrupting dismantle/dismantles/dismantled/dismantling
investigate/investigates/investigated/investigating prosecute/prosecutes/prosecuted/prosecuting
rehabilitate/rehabilitates/rehabilitated/rehabilitating
reintegrate/reintegrates/reintegrated/reintegrating
repatriate/repatriates/repatriated/repatriating assist/assists/assisted/assisting
review/reviews/reviewed/reviewing adopt/adopts/adopted/adopting launch/launches/launched/launching
convene/convenes/convened/convening welcome/welcomes/welcomed/welcoming
reaffirm/reaffirms/reaffirmed/reaffirming tackle/tackles/tackled/tackling
mitigate/mitigates/mitigated/mitigating safeguard/safeguards/safeguarded/safeguarding
""".split()
]

# Fixed multi-word expressions of the domain, most frequent first: they make phrase queries
# realistically selective (common ones in many passages, rare ones in few).
CORE_TERMS = [
    "Member States",
    "human rights",
    "civil society",
    "United Nations",
    "violent extremism",
    "the rule of law",
    "Security Council",
    "General Assembly",
    "Global Counter-Terrorism Strategy",
    "capacity building",
    "the private sector",
    "law enforcement",
    "foreign terrorist fighters",
    "international cooperation",
    "victims of terrorism",
    "new technologies",
    "regional organizations",
    "gender equality",
    "conditions conducive to terrorism",
    "Office of Counter-Terrorism",
    "the financing of terrorism",
    "information sharing",
    "border security",
    "hate speech",
    "sustainable development",
    "an all-of-society approach",
    "all of government",
    "rehabilitation and reintegration",
    "critical infrastructure",
    "soft targets",
    "safe haven",
    "Passenger Name Record data",
    "Advance Passenger Information",
    "the misuse of the Internet",
    "unmanned aircraft systems",
    "weapons of mass destruction",
    "terrorist content online",
    "a whole-of-society response",
    "the Global Compact",
    "national action plans",
    "the Counter-Terrorism Committee",
    "the sanctions regime",
    "returning and relocating fighters",
    "prevention of violent extremism",
    "the age of transformative technologies",
]

PLACES = """
New York|Geneva|Vienna|Nairobi|Doha|Madrid|Abuja|Dushanbe|Riyadh|Brussels|Bangkok|Addis Ababa|
Budapest|Malaga|Tashkent|Rabat|Kampala|Dakar|Bogotá|Astana|Baghdad|Amman|Islamabad|Jakarta|
Manila|Niamey|Nouakchott|Tunis|Algiers|Bamako|Ouagadougou|The Hague|Marrakech|Abu Dhabi|Lomé
""".replace("\n", "").split("|")

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

ORDINALS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth"]


@dataclass(frozen=True)
class Person:
    """A speaker: name, honorific, role, and the dates between which the role was held."""

    name: str
    honorific: str  # "Mr." / "Ms."
    role: str
    start: str  # ISO dates; the person speaks only on dates within the term
    end: str

    short: str = ""  # how later mentions name them, when not the last word ("Ban", "Ní Aoláin")

    @property
    def surname(self) -> str:
        return self.short or self.name.split()[-1]

    @property
    def pronoun(self) -> str:
        return "he" if self.honorific == "Mr." else "she"


# Real office holders with their terms: a quote dated 2012 is attributed to whoever held the office.
REAL_PEOPLE = [
    Person("Kofi Annan", "Mr.", "Secretary-General", "2006-01-01", "2006-12-31"),
    Person("Ban Ki-moon", "Mr.", "Secretary-General", "2007-01-01", "2016-12-31", "Ban"),
    Person("António Guterres", "Mr.", "Secretary-General", "2017-01-01", "2026-12-31"),
    Person("Asha-Rose Migiro", "Ms.", "Deputy Secretary-General", "2007-02-01", "2012-06-30"),
    Person("Jan Eliasson", "Mr.", "Deputy Secretary-General", "2012-07-01", "2016-12-31"),
    Person("Amina J. Mohammed", "Ms.", "Deputy Secretary-General", "2017-01-01", "2026-12-31"),
    Person(
        "Vladimir Voronkov",
        "Mr.",
        "Under-Secretary-General for Counter-Terrorism",
        "2017-06-21",
        "2024-12-31",
    ),
    Person(
        "Alexander Zouev",
        "Mr.",
        "Under-Secretary-General for Counter-Terrorism",
        "2025-01-01",
        "2026-12-31",
    ),
    Person("Mike Smith", "Mr.", "Executive Director of CTED", "2007-01-01", "2013-06-30"),
    Person("Jean-Paul Laborde", "Mr.", "Executive Director of CTED", "2013-07-01", "2017-10-31"),
    Person("Michèle Coninsx", "Ms.", "Executive Director of CTED", "2017-11-01", "2023-06-30"),
    Person("Natalia Gherman", "Ms.", "Executive Director of CTED", "2023-07-01", "2026-12-31"),
    Person("Yury Fedotov", "Mr.", "Executive Director of UNODC", "2010-09-01", "2019-12-31"),
    Person("Ghada Waly", "Ms.", "Executive Director of UNODC", "2020-01-01", "2026-12-31"),
    Person("Navi Pillay", "Ms.", "High Commissioner for Human Rights", "2008-09-01", "2014-08-31"),
    Person(
        "Michelle Bachelet", "Ms.", "High Commissioner for Human Rights", "2018-09-01", "2022-08-31"
    ),
    Person("Volker Türk", "Mr.", "High Commissioner for Human Rights", "2022-10-17", "2026-12-31"),
    Person(
        "Ben Emmerson",
        "Mr.",
        "Special Rapporteur on counter-terrorism and human rights",
        "2011-08-01",
        "2017-07-31",
    ),
    Person(
        "Fionnuala Ní Aoláin",
        "Ms.",
        "Special Rapporteur on counter-terrorism and human rights",
        "2017-08-01",
        "2023-07-31",
        "Ní Aoláin",
    ),
    Person(
        "Ben Saul",
        "Mr.",
        "Special Rapporteur on counter-terrorism and human rights",
        "2023-08-01",
        "2026-12-31",
    ),
]

# Named events of the real record: (name, date of its closing day).
REAL_EVENTS = [
    ("First United Nations High-Level Conference on Counter-Terrorism", "2018-06-29"),
    ("Virtual Counter-Terrorism Week", "2020-07-10"),
    ("Second United Nations High-Level Conference on Counter-Terrorism", "2021-06-30"),
    ("United Nations Global Congress of Victims of Terrorism", "2022-09-09"),
    ("Third United Nations High-Level Conference on Counter-Terrorism", "2023-06-20"),
    ("Eighth Review of the Global Counter-Terrorism Strategy", "2023-06-23"),
    ("International Day of Remembrance of and Tribute to the Victims of Terrorism", "2019-08-21"),
]

# --- synthetic lexicon --------------------------------------------------------------------------
# Synthetic word pool = factor * passages**exponent (tuned so 1k/10k/100k passages show roughly
# 2.6k/14k/88k distinct words among 0.09M/0.9M/9M tokens: Heaps-like growth, exponent ~0.8).
WORD_POOL_FACTOR = 100.0
WORD_POOL_EXPONENT = 0.6

# Mostly open syllables with single consonants, so pseudo-words look like names and terms.
_ONSETS = "b c d f g h j k l m n p r s t v z b d k l m n r s t v br ch dr gr kr pr sh st tr".split()
_NUCLEI = "a e i o u a e i o u a e o ia ei ou".split()
_CODAS = ["", "", "", "", "", "", "n", "r", "l", "s", "m", "nd", "rt", "x"]
_NOUN_SUFFIXES = ["", "", "", "ation", "ism", "ity", "ment", "ance", "ure", "ics", "ology"]
_ADJ_SUFFIXES = ["ic", "al", "ive", "ian", "ese", "ous", "ary"]
_PLACE_SUFFIXES = ["", "", "ia", "stan", "ova", "land", "ar", "burg", "abad"]
_ACCENTED = {"a": "á", "e": "é", "o": "ø", "u": "ü", "i": "í"}
_ORG_KINDS = [
    "Institute for {x} Studies",
    "Centre on {x} Security",
    "{x} Foundation",
    "Network of {x} Prosecutors",
    "{x} Forum",
    "Commission on {x} Resilience",
]


def _syllables(rng: random.Random, lo: int, hi: int) -> str:
    parts = []
    for _ in range(rng.randint(lo, hi)):
        parts.append(rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS))
    return "".join(parts)


def zipf_cum_weights(n: int, s: float = 1.0, q: float = 2.7) -> list[float]:
    """Cumulative Zipf–Mandelbrot weights 1/(rank+q)^s for ranks 0..n-1."""
    return list(itertools.accumulate(1.0 / (r + q) ** s for r in range(n)))


@dataclass
class Lexicon:
    """All ranked pools the generator draws from, sized for one corpus."""

    nouns: list[str]
    adjectives: list[str]
    places: list[str]
    people: list[Person]
    organisations: list[str]
    events: list[tuple[str, str]]


def _unique(rng: random.Random, make, count: int, taken: set[str]) -> list[str]:
    out: list[str] = []
    while len(out) < count:
        w = make(rng)
        if w and w not in taken:
            taken.add(w)
            out.append(w)
    return out


def build_lexicon(rng: random.Random, passages: int) -> Lexicon:
    """Pools whose synthetic part grows with the corpus (Heaps-like growth of the vocabulary).

    The word pools are larger than what gets drawn, so the number of distinct words seen is set
    by Zipfian sampling, as in real text; names, places and events grow more slowly.
    """
    words = WORD_POOL_FACTOR * passages**WORD_POOL_EXPONENT
    grow = passages**0.6
    taken = {w.lower() for w in CORE_NOUNS + CORE_ADJECTIVES}

    def noun(r: random.Random) -> str:
        return _syllables(r, 2, 3) + r.choice(_NOUN_SUFFIXES)

    def adjective(r: random.Random) -> str:
        return _syllables(r, 1, 2) + r.choice(_ADJ_SUFFIXES)

    def place(r: random.Random) -> str:
        name = (_syllables(r, 2, 2) + r.choice(_PLACE_SUFFIXES)).capitalize()
        roll = r.random()
        if roll < 0.1:
            return "Port " + name
        if roll < 0.2:
            return name + " City"
        return name

    def proper(r: random.Random) -> str:
        word = _syllables(r, 2, 3)
        if r.random() < 0.15:  # some names carry accents, to exercise accent folding
            i = r.randrange(len(word))
            word = word[:i] + _ACCENTED.get(word[i], word[i]) + word[i + 1 :]
        return word.capitalize()

    nouns = CORE_NOUNS + _unique(rng, noun, int(words), taken)
    adjectives = CORE_ADJECTIVES + _unique(rng, adjective, int(0.25 * words), taken)
    places = PLACES + _unique(rng, place, int(0.05 * words), taken)

    people = list(REAL_PEOPLE)
    roles = [
        "Minister of Interior of {p}",
        "Permanent Representative of {p}",
        "Minister for Foreign Affairs of {p}",
        "Director of the {p} Counter-Terrorism Centre",
        "Chair of the Counter-Terrorism Committee",
        "Head of the {p} Police Service",
        "President of the {p} Victims' Association",
        "Youth Envoy of {p}",
    ]
    firsts = _unique(rng, proper, int(0.8 * grow) + 20, set())
    lasts = _unique(rng, proper, int(0.8 * grow) + 20, set())
    seen_names = {p.name for p in people}
    while len(people) < len(REAL_PEOPLE) + int(0.5 * grow) + 15:
        name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
        if name in seen_names:
            continue
        seen_names.add(name)
        start_year = rng.randint(2006, 2024)
        people.append(
            Person(
                name,
                rng.choice(["Mr.", "Ms."]),
                rng.choice(roles).format(p=rng.choice(places)),
                f"{start_year}-01-01",
                f"{min(2026, start_year + rng.randint(2, 8))}-12-31",
            )
        )

    organisations = [
        "the United Nations Office of Counter-Terrorism (UNOCT)",
        "the Counter-Terrorism Committee Executive Directorate (CTED)",
        "the United Nations Office on Drugs and Crime (UNODC)",
        "the Global Internet Forum to Counter Terrorism",
        "the Global Counterterrorism Forum",
        "INTERPOL",
    ]
    for _ in range(int(0.4 * grow) + 10):
        organisations.append("the " + rng.choice(_ORG_KINDS).format(x=rng.choice(places)))

    events = list(REAL_EVENTS)
    topics = [
        "Countering the Financing of Terrorism",
        "Border Security and Management",
        "Victims of Terrorism",
        "Preventing Violent Extremism",
        "Foreign Terrorist Fighters",
        "the Protection of Vulnerable Targets",
        "New and Emerging Technologies",
        "Terrorist Use of the Internet",
        "Youth Engagement",
        "Gender and Counter-Terrorism",
    ]
    for _ in range(int(0.3 * grow) + 10):
        kind = rng.choice(
            [
                "Regional Conference on",
                "High-Level Meeting on",
                "Expert Workshop on",
                "International Symposium on",
            ]
        )
        name = f"{rng.choice(ORDINALS)} {kind} {rng.choice(topics)} in {rng.choice(places)}"
        date = f"{rng.randint(2006, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        events.append((name, date))
    return Lexicon(nouns, adjectives, places, people, organisations, events)
