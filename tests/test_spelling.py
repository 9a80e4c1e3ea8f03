"""British/American spelling keys (spelling.py) and their use by the analyzer, both ways round."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS, EVAL_DIR

from ctsearch.analysis import stem, words
from ctsearch.spelling import spelling_key

PAIRS = [  # (British, American)
    ("organisation", "organization"),
    ("organisations", "organizations"),
    ("organise", "organize"),
    ("organised", "organized"),
    ("organising", "organizing"),
    ("organiser", "organizer"),
    ("radicalisation", "radicalization"),
    ("deradicalisation", "deradicalization"),
    ("radicalised", "radicalized"),
    ("criminalise", "criminalize"),
    ("prioritise", "prioritize"),
    ("recognisable", "recognizable"),
    ("analyse", "analyze"),
    ("paralysed", "paralyzed"),
    ("labour", "labor"),
    ("labourers", "laborers"),
    ("behaviour", "behavior"),
    ("behavioural", "behavioral"),
    ("honourable", "honorable"),
    ("favourite", "favorite"),
    ("neighbours", "neighbors"),
    ("neighbourhood", "neighborhood"),
    ("colourful", "colorful"),
    ("endeavour", "endeavor"),
    ("centre", "center"),
    ("centres", "centers"),
    ("centred", "centered"),
    ("theatre", "theater"),
    ("metre", "meter"),
    ("kilometres", "kilometers"),
    ("fibre", "fiber"),
    ("meagre", "meager"),
    ("sombre", "somber"),
    ("manoeuvre", "maneuver"),
    ("defence", "defense"),
    ("defences", "defenses"),
    ("offence", "offense"),
    ("offences", "offenses"),
    ("licence", "license"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("kilogramme", "kilogram"),
    ("travelling", "traveling"),
    ("travelled", "traveled"),
    ("traveller", "traveler"),
    ("labelled", "labeled"),
    ("modelling", "modeling"),
    ("cancelled", "canceled"),
    ("fuelled", "fueled"),
    ("signalled", "signaled"),
    ("counselling", "counseling"),
    ("counsellor", "counselor"),
    ("councillor", "councilor"),
    ("marvellous", "marvelous"),
    ("judgement", "judgment"),
    ("ageing", "aging"),
    ("fulfil", "fulfill"),
    ("practise", "practice"),
]

# Words that must keep their own key: distinct words, and words spelt alike in both.
DISTINCT = [
    ("timbre", "timber"),
    ("filled", "filed"),
    ("filling", "filing"),
    ("refilled", "refiled"),
    ("tilled", "tiled"),
    ("pilled", "piled"),
    ("four", "for"),
    ("our", "or"),
    ("tour", "tor"),
    ("flour", "flor"),
    ("entre", "enter"),
    ("notre", "noter"),
    ("livre", "liver"),
    ("sobre", "sober"),
    ("hatred", "hater"),
    ("string", "stering"),
    ("louvre", "louver"),
    ("dense", "dence"),
    ("sense", "since"),
    ("fence", "fense"),
    ("prise", "prize"),
]
UNCHANGED = (
    "rise arise rising advise advised revise supervisor televised improvisation exercise "
    "promise compromise enterprise surprising otherwise expertise franchise noise raise "
    "praised crises disable premises wiser miser four hour hours tour tourism your yours "
    "contour detour devour flour journal courage resources flourish outpouring acre "
    "massacre mediocre genre timbre ogre hatred inbred string hamstring there where called "
    "filled killed controlled compelled installed football footballer dwelling fence hence "
    "evidence presence femme isis basis analysis meter center labor defense program"
).split()


@pytest.mark.parametrize(("british", "american"), PAIRS)
def test_british_and_american_share_a_key(british, american):
    assert spelling_key(british) == spelling_key(american) == american


@pytest.mark.parametrize(("a", "b"), DISTINCT)
def test_false_friends_stay_distinct(a, b):
    assert spelling_key(a) != spelling_key(b)


@pytest.mark.parametrize("word", UNCHANGED)
def test_words_outside_the_rules_are_their_own_key(word):
    assert spelling_key(word) == word


def test_the_key_is_idempotent():
    for british, _ in PAIRS:
        key = spelling_key(british)
        assert spelling_key(key) == key


@pytest.mark.parametrize(
    ("text_a", "text_b"),
    [
        ("the Organisation's programme", "the organization's program"),
        ("Counter-Terrorism Centre", "counter-terrorism center"),
        ("travelling fighters", "traveling fighters"),
        ("defence labour", "defense labor"),
    ],
)
def test_the_analyzer_indexes_and_queries_both_spellings_alike(text_a, text_b):
    # The same function analyses passages and queries: both ways round, same terms.
    assert [w for w, *_ in words(text_a)] == [w for w, *_ in words(text_b)]
    assert [stem(w) for w, *_ in words(text_a)] == [stem(w) for w, *_ in words(text_b)]


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Da'esh", "daesh"),
        ("Da’esh", "daesh"),
        ("Daʼesh", "daesh"),
        ("Da‘esh", "daesh"),
        ("Daesh", "daesh"),
        ("Al-Qa'ida", "al qaida"),
        ("Al-Qa’ida", "al qaida"),
        ("Al Qaida", "al qaida"),
    ],
)
def test_apostrophes_inside_names_fold(written, folded):
    assert " ".join(w for w, *_ in words(written)) == folded


def test_hyphen_rule_is_unchanged():
    toks = words("all-of-society counter-terrorism")
    assert [w for w, *_ in toks] == ["all", "of", "society", "counter", "terrorism"]
    assert [j for *_, j in toks] == [False, True, True, False, True]


def _texts_words() -> set[str]:
    found: set[str] = set()
    folders = [CORPUS, EVAL_DIR / "devset" / "docs"]
    for folder in folders:
        for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
            text = path.read_text(encoding="utf-8", errors="replace").lower()
            found.update(re.findall(r"[a-z]+", text))
    return found


def test_no_two_words_of_a_british_american_list_are_merged_wrongly():
    """Against breame's table (an independent British/American list): over its words and
    the corpus's, two different words share a key only when the table pairs them (or they
    are spellings of one word the table leaves out), and most of the table's pairs of the
    kinds the rules cover do share one."""
    spellings = pytest.importorskip("breame.data.spelling_constants")
    table = spellings.BRITISH_ENGLISH_SPELLINGS
    pairs = {frozenset(p) for p in table.items()}
    also_one_word = ("tranquillis", "tranquilliz", "anaesthetis", "anaesthetiz", "pummel")
    vocabulary = set(table) | set(table.values()) | _texts_words()
    by_key: dict[str, set[str]] = {}
    for word in vocabulary:
        by_key.setdefault(spelling_key(word), set()).add(word)
    wrong = []
    for group in by_key.values():
        members = sorted(group)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if frozenset((a, b)) in pairs:
                    continue
                if a.startswith(also_one_word) or b.startswith(also_one_word):
                    continue
                wrong.append((a, b))
    assert not wrong, wrong[:20]
    covered = [
        (b, a)
        for b, a in table.items()
        if re.search(r"is(e|ation|ing|ed|er)|our|[tb]res?\Z|ence\Z|gramme|ll(ed|ing|er)\Z", b)
    ]
    agree = sum(spelling_key(b) == spelling_key(a) for b, a in covered)
    assert agree / len(covered) > 0.9, (agree, len(covered))


@pytest.mark.parametrize(
    ("prefix", "also"),
    [("organis", "organiz"), ("radicalisa", "radicaliza"), ("prioritis", "prioritiz")],
)
def test_a_british_prefix_also_looks_for_the_american_form(prefix, also):
    from ctsearch.spelling import prefix_variants

    assert prefix_variants(prefix) == (prefix, also)
    assert prefix_variants("terror") == ("terror",)
    assert prefix_variants("advis") == ("advis",)
