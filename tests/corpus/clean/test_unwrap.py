"""layout: paragraphs rebuilt from lines — PDF wraps, double spacing, hyphenation, furniture.

Tested through clean_text on the real snippets from corpus/ (embedded byte for byte), on the whole
seed files, and on made-up text, since the rules must hold for unseen documents.
"""

from __future__ import annotations

import random
import re
import sys
import textwrap
import time

import pytest
from conftest import SEED_FILES, paragraphs, seed_text
from hypothesis import given, settings
from hypothesis import strategies as st

from ctsearch.corpus.clean import lines, unwrap
from ctsearch.corpus.clean.pipeline import clean_text
from ctsearch.corpus.read import decode_bytes

# --- the real corpus: layout -------------------------------------------------------------------

# Seed 000 as extracted from its PDF: a blank line (sometimes one holding spaces) after every line.
RAW_000_TOP = (
    b"\n \n \n \n \n\nPress release \n \n\nUN Secretary-General urges the international "
    b"community to work more closely together to \n\nanticipate and prevent the terrorist "
    b"attacks of tomorrow \n\n \n\n \n\nNew York, 29 June 2018 \xe2\x80\x93  The first-ever UN "
    b"High-level Conference on Counter-Terrorism concluded \n\ntoday in New York. During the two "
    b"days, over 1,000 people from around the world including security \n\nofficials, law "
    b"enforcement officials, diplomats, policy makers, international and regional organizations "
    b"and \n\ncivil society organizations discussed how to strengthen international cooperation "
    b"to combat the evolving \n\nthreat of terrorism. The conference, bilateral meetings and the "
    b"twenty-five side events organized this week \n\ncontributed to strengthening multilateral "
    b"collaboration, exploring and building new partnerships, sharing \n\nexperience and learning "
    b"about innovative approaches to prevention through community engagement. \n\nAt the end of "
    b"the Conference, Secretary-General Ant\xc3\xb3nio Guterres offered his conclusions on the way "
    b"\n\nforward. \xe2\x80\x9cTo stay ahead of the terrorists, I call on the international "
    b"community, the private sector and \n\nacademia to share knowledge, expertise and resources "
    b"to prevent new technologies becoming lethal terrorist \n\nweapons,\xe2\x80\x9d he said. He "
    b"added that he is considering the idea of establishing a Global Network of Counter-\n\n"
    b"Terrorism Coordinators to share expertise and best practices. The UN will also liaise with "
    b"Member States \n\nto organize regional events on key thematic issues to keep the momentum "
    b"and support collective efforts \n\nuntil the next conference in 2 years\xe2\x80\x99 time "
    b"accompanying the review of the UN Global Counter-Terrorism \n\nStrategy. \n\n"
)


def test_double_spaced_pdf_snippet() -> None:
    assert paragraphs(clean_text(decode_bytes(RAW_000_TOP))) == [
        "Press release",
        "UN Secretary-General urges the international community to work more closely together "
        "to anticipate and prevent the terrorist attacks of tomorrow",
        "New York, 29 June 2018 – The first-ever UN High-level Conference on Counter-Terrorism "
        "concluded today in New York. During the two days, over 1,000 people from around the "
        "world including security officials, law enforcement officials, diplomats, policy makers, "
        "international and regional organizations and civil society organizations discussed how "
        "to strengthen international cooperation to combat the evolving threat of terrorism. The "
        "conference, bilateral meetings and the twenty-five side events organized this week "
        "contributed to strengthening multilateral collaboration, exploring and building new "
        "partnerships, sharing experience and learning about innovative approaches to prevention "
        "through community engagement.",
        "At the end of the Conference, Secretary-General António Guterres offered his conclusions "
        "on the way forward. “To stay ahead of the terrorists, I call on the international "
        "community, the private sector and academia to share knowledge, expertise and resources "
        "to prevent new technologies becoming lethal terrorist weapons,” he said. He added that "
        "he is considering the idea of establishing a Global Network of Counter-Terrorism "
        "Coordinators to share expertise and best practices. The UN will also liaise with Member "
        "States to organize regional events on key thematic issues to keep the momentum and "
        "support collective efforts until the next conference in 2 years’ time accompanying the "
        "review of the UN Global Counter-Terrorism Strategy.",
    ]


def test_seed_000_whole_file() -> None:
    paras = paragraphs(seed_text("000"))
    assert paras[1].startswith("UN Secretary-General urges") and paras[1].endswith("tomorrow")
    assert paras[2].startswith("New York, 29 June 2018 – The first-ever UN High-level")
    assert "Global Network of Counter-Terrorism Coordinators" in paras[3]
    # The Secretary-General's last quote and Mr. Voronkov's statement stay apart.
    assert paras[5].endswith("delivering impact on the ground.”")
    assert paras[6].startswith("Mr. Vladimir Voronkov, the Head of the UN Office")
    assert paras[-2:] == [
        "http://www.un.org/counterterrorism/hlc",
        "https://twitter.com/search?f=tweets&q=%23UNitetoCounterTerrorism&src=typd",
    ]


# Seed 002: single-newline wraps, blank (or space-only) lines between paragraphs, a stray blank
# line inside the title.
RAW_002_TOP = (
    b" PRESS RELEASE \n \n\nThe United Nations Secretary-General highlights responsible use of "
    b"new \ntechnologies in counter-terrorism efforts as Second Counter-Terrorism \n\nWeek "
    b"concludes \n \nNew York, 30 June 2021 - Convened under the auspices of Secretary-General "
    b"Ant\xc3\xb3nio Guterres, the \nSecond United Nations High-Level Conference of "
    b"Counter-Terrorism Agencies of Member States on \n\xe2\x80\x9cCountering and Preventing "
    b"Terrorism in the Age of Transformative Technologies: Addressing the \nChallenges of the "
    b"New Decade\xe2\x80\x9d concluded today. Organized by the United Nations Office of Counter-\n"
    b"Terrorism (UNOCT), the High-Level Conference featured 13 interactive sessions in both "
    b"hybrid and \nonline format, convening almost 1,000 participants from 147 Member States, 28 "
    b"international and \nregional organizations, 88 civil society, academic, and private sector "
    b"organizations, and 38 United \nNations entities over the course of three days.  \n \n"
    b"Speaking at the closing session, Secretary-General Guterres highlighted the \xe2\x80\x9cneed "
    b"to be resolute, \nprincipled and forward-looking in our pursuit of a world free from "
    b"terrorism in all its forms and \nmanifestations.\xe2\x80\x9d \n"
)


def test_wrapped_pdf_snippet() -> None:
    assert paragraphs(clean_text(decode_bytes(RAW_002_TOP))) == [
        "PRESS RELEASE",
        "The United Nations Secretary-General highlights responsible use of new technologies in "
        "counter-terrorism efforts as Second Counter-Terrorism Week concludes",
        "New York, 30 June 2021 - Convened under the auspices of Secretary-General António "
        "Guterres, the Second United Nations High-Level Conference of Counter-Terrorism Agencies "
        "of Member States on “Countering and Preventing Terrorism in the Age of Transformative "
        "Technologies: Addressing the Challenges of the New Decade” concluded today. Organized by "
        "the United Nations Office of Counter-Terrorism (UNOCT), the High-Level Conference "
        "featured 13 interactive sessions in both hybrid and online format, convening almost "
        "1,000 participants from 147 Member States, 28 international and regional "
        "organizations, 88 civil society, academic, and private sector organizations, and 38 "
        "United Nations entities over the course of three days.",
        "Speaking at the closing session, Secretary-General Guterres highlighted the “need to be "
        "resolute, principled and forward-looking in our pursuit of a world free from terrorism "
        "in all its forms and manifestations.”",
    ]


def test_seed_002_whole_file() -> None:
    paras = paragraphs(seed_text("002"))
    assert paras[:2] == [
        "PRESS RELEASE",
        "The United Nations Secretary-General highlights responsible use of new technologies in "
        "counter-terrorism efforts as Second Counter-Terrorism Week concludes",
    ]
    assert "UNOCT organized a Virtual Counter-Terrorism Week in July 2020" in seed_text("002")
    assert paras[-3:] == [
        "Visit: https://www.un.org/counterterrorism/2021-counter-terrorism-week",
        "Contact: Ms. Laurence Gerard, gerardl@un.org & Ms. Yuli Yang, yuli.yang@un.org",
        "Follow us on Twitter @UN_OCT and via hashtags #CTWeek & #UNiteToCounterTerrorism",
    ]


RAW_001_TOP = (
    b"New York\n\n29 June 2018\n\nSecretary-General's closing remarks at High-Level Conference on "
    b"Counter-Terrorism [as delivered]\n\nThank you for these productive two days.\nThere will not "
    b"be a negotiated outcome, so I will set out my own conclusions for the way forward, based on "
    b"your discussions.\nFirst, this conference has helped to strengthen multilateral "
    b"collaboration, break down silos and build new partnerships.\n"
)


def test_sentence_per_line_snippet_keeps_its_lines() -> None:
    assert paragraphs(clean_text(decode_bytes(RAW_001_TOP))) == [
        "New York",
        "29 June 2018",
        "Secretary-General's closing remarks at High-Level Conference on Counter-Terrorism "
        "[as delivered]",
        "Thank you for these productive two days.",
        "There will not be a negotiated outcome, so I will set out my own conclusions for the "
        "way forward, based on your discussions.",
        "First, this conference has helped to strengthen multilateral collaboration, break down "
        "silos and build new partnerships.",
    ]


def test_seed_001_whole_file_is_its_lines() -> None:
    raw = (
        SEED_FILES["001"].read_text(encoding="utf-8")
        if "001" in SEED_FILES
        else pytest.skip("no corpus")
    )
    lines = [" ".join(line.split()) for line in raw.split("\n") if line.strip()]
    assert paragraphs(seed_text("001")) == lines
    assert "New partnerships have been established inside and [outside] the room." in lines


# --- made-up text: layout ----------------------------------------------------------------------

WRAPPED = """\
UNITED NATIONS
The delegates met in the main hall of the building to discuss the many
ways in which regional cooperation could be improved over the coming
years, and the Chair thanked them for their work. She noted that the commu-
nity of practice had grown, that the well-
being of victims mattered, and that the Office of Counter-
Terrorism would co-
ordinate the follow-up with the anti-
money-laundering experts.
UNITED NATIONS
The second paragraph starts here after a short last line and then wraps
onto the next line because it is long enough to reach the right margin.
- 2 -
UNITED NATIONS

The third paragraph follows a blank line and it also wraps around to the
next line of the page.
"""


def test_hard_wrapped_text_is_rejoined() -> None:
    assert paragraphs(clean_text(WRAPPED)) == [
        "The delegates met in the main hall of the building to discuss the many ways in which "
        "regional cooperation could be improved over the coming years, and the Chair thanked "
        "them for their work. She noted that the community of practice had grown, that the "
        "well-being of victims mattered, and that the Office of Counter-Terrorism would "
        "co-ordinate the follow-up with the anti-money-laundering experts.",
        "The second paragraph starts here after a short last line and then wraps onto the next "
        "line because it is long enough to reach the right margin.",
        "The third paragraph follows a blank line and it also wraps around to the next line of "
        "the page.",
    ]


def test_a_quotation_continues_across_a_stray_blank_line() -> None:
    raw = (
        "The Secretary-General addressed the conference on its closing day and\n"
        "said that the work of the past week had been important for everyone: “We\n"
        "must all work together to prevent the spread of violent extremism, and the\n"
        "\n"
        "United Nations stands ready to help Member States,” he said, before he\n"
        "thanked the organizers of the meeting and all of the participants.\n"
        "\n"
        "The Chair then closed the meeting and thanked all of the delegations for\n"
        "their work during the week, which had been a success.\n"
    )
    first, second = paragraphs(clean_text(raw))
    assert "extremism, and the United Nations stands ready" in first
    assert second.startswith("The Chair then closed")


def test_hyphen_rule_follows_the_documents_vocabulary() -> None:
    body = (
        "Counter-terrorism experts met again in the capital this week to plan the next\n"
        "steps of the programme and to review the counter-\n"
        "terrorism strategy and the peace-\n"
        "keeping budget and the peacekeeping mission and the pre-\n"
        "vention work and the post-\n"
        "conflict plans and the e-\n"
        "mail lists of the non-\n"
        "state actors that they discussed at great length with their partners.\n"
    )
    assert clean_text(body) == (
        "Counter-terrorism experts met again in the capital this week to plan the next steps of "
        "the programme and to review the counter-terrorism strategy and the peacekeeping budget "
        "and the peacekeeping mission and the pre-vention work and the post-conflict plans and "
        "the e-mail lists of the non-state actors that they discussed at great length with their "
        "partners."
    )
    # "prevention" elsewhere in the document settles "pre-/vention".
    assert "the prevention work" in clean_text(body + "\nPrevention matters.\n")


def test_double_spaced_layout_in_general() -> None:
    lines = [
        "Opening remarks",
        "",
        "",
        "The meeting opened with a statement by the Chair who welcomed the delegations and",
        "recalled that the work of the committee had been difficult but also rewarding for",
        "all of its members over the past year.",
        "",
        "",
        "A second paragraph begins after two blank lines and it continues on to the next",
        "line of the page as it is long.",
    ]
    raw = "\n\n".join(lines)  # a blank line after every line
    assert paragraphs(clean_text(raw)) == [
        "Opening remarks",
        "The meeting opened with a statement by the Chair who welcomed the delegations and "
        "recalled that the work of the committee had been difficult but also rewarding for all "
        "of its members over the past year.",
        "A second paragraph begins after two blank lines and it continues on to the next line "
        "of the page as it is long.",
    ]


def test_unwrapped_text_keeps_its_lines() -> None:
    raw = "Useful Resources\n2020 Virtual Counter-Terrorism Week\nThe Week was held online.\n"
    assert paragraphs(clean_text(raw)) == raw.split("\n")[:3]


@pytest.mark.parametrize(
    "furniture",
    ["12", "Page 3", "page 2 of 5", "- 3 -", "— 14 —", "_______", "--------", "* * *", "===", "\f"],
)
def test_page_furniture_is_dropped(furniture: str) -> None:
    raw = f"First paragraph ends here.\n\n{furniture}\n\nSecond paragraph."
    assert clean_text(raw) == "First paragraph ends here.\n\nSecond paragraph."


def test_running_headers_are_dropped_but_repeated_sentences_stay() -> None:
    raw = "\n\n".join(
        ["UN Office of Counter-Terrorism", f"Paragraph {n} of the text.", "Thank you."][i % 3]
        for n in range(4)
        for i in range(3)
    )
    assert "UN Office of Counter-Terrorism" not in clean_text(raw)
    assert clean_text(raw).count("Thank you.") == 4


# --- unwrap.py itself: its shortcuts against their definitions ----------------------------------

LAYOUT_PIECES = [
    "the", "and", "of", "said", "Counter-", "Terrorism", "commu-", "nity", "pre-", "vention",
    "prevention", ".", ",", ":", ";", "“", "”", "Mr.", "•", "- ", "1. ", "a) ", "12", "Page 2",
    "---", " ", "  ", "\n", "\n\n", "\n\n\n", "UNITED NATIONS", "a lower-case line that carries on",
    "A Sentence Here.", "a very long line of text that reaches the right margin of the page and",
]  # fmt: skip
layout_texts = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.lists(st.sampled_from(LAYOUT_PIECES), max_size=120).map("".join),
)


def test_other_spaces_are_every_space_but_the_plain_ones() -> None:
    every = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(unwrap.OTHER_SPACES) == every - {" ", "\n"}


@settings(max_examples=200, deadline=None)
@given(layout_texts, st.integers(min_value=1, max_value=30))
def test_vocabulary_read_in_blocks_is_the_whole_texts(text: str, block: int) -> None:
    whole = {w.lower() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text)}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(unwrap, "VOCABULARY_BLOCK", block)
        vocab = unwrap.Vocabulary(text)
        "x" in vocab  # noqa: B015 - builds it
    assert vocab._words == whole


@settings(max_examples=300, deadline=None)
@given(layout_texts)
def test_hyphenated_word_matches_the_plain_regex(line: str) -> None:
    m = re.search(r"([^\W_]+(?:-[^\W_]+)*)-$", line[-100:]) if line.endswith("-") else None
    assert lines.hyphenated_word(line) == (m.group(1) if m else None)


@settings(max_examples=300, deadline=None)
@given(layout_texts)
def test_is_settled_is_sound(text: str) -> None:
    # Whenever is_settled says so, laying the text out again gives it back unchanged...
    once = "\n\n".join(unwrap.finalize(unwrap.plain_paragraphs(text, unwrap.Vocabulary(text))))
    for t in (text, once):
        if unwrap.is_settled(t):
            again = unwrap.plain_paragraphs(t, unwrap.Vocabulary(t))
            assert "\n\n".join(unwrap.finalize(again)) == t


def test_is_settled_on_typical_output() -> None:
    # ...and it says so for what layout makes of ordinary documents, the case that matters.
    for raw in (WRAPPED, "\n\n".join(["Opening remarks", "The meeting opened.", "Thank you."])):
        out = "\n\n".join(unwrap.finalize(unwrap.plain_paragraphs(raw, unwrap.Vocabulary(raw))))
        assert unwrap.is_settled(out)
    assert not unwrap.is_settled("one\ntwo")  # a single line end
    assert not unwrap.is_settled("one\n\n12\n\ntwo")  # a page number to drop
    assert not unwrap.is_settled("one  two")  # a double space


def prose(paragraphs: int, width: int = 0) -> str:
    rng = random.Random(4)
    words = "the of and to in a council member states said security strategy victims".split()
    out = []
    for _ in range(paragraphs):
        p = " ".join(rng.choice(words) for _ in range(rng.randint(20, 80))).capitalize() + "."
        out.append("\n".join(textwrap.wrap(p, width)) if width else p)
    return "\n\n".join(out)


@pytest.mark.parametrize("width", [0, 72])
def test_laying_out_5_mb_is_fast(width: int) -> None:
    text = prose(16_000, width)  # ~5 MB, one paragraph a line or wrapped at 72
    start = time.perf_counter()
    paras = unwrap.finalize(unwrap.plain_paragraphs(text, unwrap.Vocabulary(text)))
    elapsed = time.perf_counter() - start
    assert len(paras) >= 16_000
    assert elapsed < 8.0  # ~0.2 s and ~0.5 s on a laptop: a limit for loaded CI machines


# --- pages (PDFs) ------------------------------------------------------------------------------
