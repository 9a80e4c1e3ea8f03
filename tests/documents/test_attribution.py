"""speakers.py: who speaks in each sentence of a press release or news story."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctsearch.documents.attribution import Attributor
from ctsearch.documents.people import People
from ctsearch.documents.sentences import sentences


@pytest.fixture(scope="module")
def people() -> People:
    return People.load()


def attribute(people: People, text: str, on_date: str | None = "2023-06-20") -> list[list[str]]:
    """Speakers of each sentence of `text` (paragraphs separated by blank lines)."""
    a = Attributor(people, on_date)
    out = []
    for paragraph in text.split("\n\n"):
        for s in sentences(paragraph):
            out.append(a.sentence(s).speakers)
        a.end_paragraph()
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Reported speech with a known name, an appositive without its closing comma.
        (
            "Mr. Vladimir Voronkov, the Head of the UN Office on Counter-Terrorism said that the "
            "UN is ready. He also stated that civil society are partners.",
            [["Vladimir Voronkov"], ["Vladimir Voronkov"]],
        ),
        # Inversion with a title, resolved through the office and the date.
        (
            "“Grounding our actions in good governance is a precondition,” said the "
            "Under-Secretary-General.",
            [["Vladimir Voronkov"]],
        ),
        (
            "Speaking at the closing session, Secretary-General Guterres highlighted the “need to "
            "be resolute.” “National ownership is essential,” he added.",
            [["António Guterres"], ["António Guterres"]],
        ),
        # A continuing quotation inherits its speaker; a quote across sentences too.
        (
            "Finally, the Secretary-General reiterated the readiness of the UN. “We need to "
            "ensure impact on the ground.”",
            [["António Guterres"], ["António Guterres"]],
        ),
        (
            "He added that “the community cannot leave any country behind. It is clear that a "
            "safe haven anywhere is a threat everywhere.”",
            [[], []],  # no antecedent for "He": nobody
        ),
        # Narrative and mentions are not speech.
        (
            "Convened under the auspices of Secretary-General António Guterres, the Conference "
            "on “Countering Terrorism” concluded today. More than 1000 participants attended.",
            [[], []],
        ),
        (
            "In line with the Secretary-General’s vision, the Conference aimed to strengthen "
            "cooperation. Participants also urged the international community to act.",
            [[], []],
        ),
        # Unknown people: their name as written, without honorific.
        (
            "Ambassador Jane Doe of Norway said that victims come first. “We owe them,” she added.",
            [["Jane Doe"], ["Jane Doe"]],
        ),
        (
            "“This is a turning point,” said Dr. John Smith, a professor at the University of "
            "Oslo. He urged States to act.",
            [["John Smith"], ["John Smith"]],
        ),
        (
            "Maria Lopez, a survivor from Spain, told the audience that she had hope.",
            [["Maria Lopez"]],
        ),
        ("“We will not forget,” said Maria Lopez.", [["Maria Lopez"]]),
        ("According to Ms. Gherman, the threat has grown.", [["Natalia Gherman"]]),
        # Organisations and plural subjects are not people.
        ("Member States stressed the need to act. The Security Council said nothing.", [[], []]),
        # Pronouns follow gender where it is known.
        (
            "Ms. Natalia Gherman said the threat had grown. Mr. Voronkov agreed with the "
            "assessment. She added that cooperation remained essential.",
            [["Natalia Gherman"], [], ["Natalia Gherman"]],
        ),
        # The head of an office named in lowercase, with a time adverbial before the verb.
        (
            "The head of the UN Office of Counter-Terrorism on Monday warned that groups adapt.",
            [["Vladimir Voronkov"]],
        ),
    ],
)
def test_attribution(people: People, text: str, expected: list[list[str]]) -> None:
    assert attribute(people, text) == expected


def test_pronoun_after_a_subject_that_did_not_speak(people: People) -> None:
    text = (
        "In his closing remarks, the Under-Secretary-General of UNOCT, Mr. Vladimir Voronkov, "
        "expressed thanks to donors. Sharing the outcomes, he highlighted that deliberations "
        "enabled “a better understanding.”"
    )
    assert attribute(people, text, "2021-06-30")[-1] == ["Vladimir Voronkov"]


def test_object_is_not_the_antecedent(people: People) -> None:
    text = (
        "Mr. Voronkov spoke first. He thanked Ambassador Jane Doe for her leadership. "
        "He said the work would continue."
    )
    assert attribute(people, text) == [[], ["Vladimir Voronkov"], ["Vladimir Voronkov"]]


def test_quote_state_and_mentions(people: People) -> None:
    a = Attributor(people, "2018-06-29")
    info = a.sentence("The Secretary-General outlined his priorities: “First, prevention.")
    assert info.speakers == ["António Guterres"] and info.quote_open_after
    info = a.sentence("Second, human rights.”")
    assert info.speakers == ["António Guterres"] and not info.quote_open_after
    info = a.sentence("The conference was convened by the Secretary-General.")
    assert info.speakers == [] and info.mentions == ["António Guterres"]


_HEAD_PIECES = [
    "Counter-Terrorism", "Office", "Jane", "Doe", "de", "van", "J.", "O’Neil", "Smith-Jones",
    "ABC", "x", "said", "×b", "A×", "Éric", "é", " ", "  ", ",", ".", "\n", "-", "the",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HEAD_PIECES), max_size=14).map(" ".join))
def test_name_at_end_equals_plain_name_search(head: str) -> None:
    import re

    from ctsearch.documents.attribution import _name_at_end
    from ctsearch.documents.names import NAME_RE

    plain = re.compile(rf"(?P<name>{NAME_RE})$").search(head)
    fast = _name_at_end(head)
    assert (plain and plain.span()) == (fast and fast.span())


@pytest.mark.parametrize(
    ("text", "on_date", "expected"),
    [
        # A surname alone is the full name met earlier in the document (UN News, 2009).
        (
            "Speaking on behalf of Security Council members, Ambassador Michel Kafando of Burkina "
            "Faso read out a statement to the press.\n\nNo act of terrorism “can reverse the path "
            "towards peace,” Mr. Kafando said.",
            "2009-10-25",
            [[], ["Michel Kafando"]],
        ),
        # An office word before the surname; the full name was introduced with its office.
        (
            "U.S. Secretary of State Hillary Rodham Clinton presided.\n\nSecretary Clinton said "
            "the Forum would matter.",
            "2011-09-22",
            [[], ["Hillary Rodham Clinton"]],
        ),
        # "Secretary-General Ban said": the office and the name together are the subject.
        (
            "During the ceremony Secretary-General Ban said that “the Centre will go a long way”.",
            "2011-09-21",
            [["Ban Ki-moon"]],
        ),
        # A possessive is not a person who speaks.
        (
            "Meanwhile, Boko Haram’s continued campaign of brutality in Nigeria, including the "
            "attacks, was noted.",
            "2015-02-01",
            [[]],
        ),
        # A name with a lowercase particle (press.un.org, 2012).
        (
            "“Our resolve is strong, but it requires action and results,” Nassir Abdulaziz "
            "al-Nasser said today.",
            "2012-06-28",
            [["Nassir Abdulaziz al-Nasser"]],
        ),
        # "Chair ..., Name:" introduces the quotation that follows.
        (
            "Chair of the Security Council Counter-Terrorism Committee, Hardeep Singh Puri:\n\n"
            "“Terrorism is today the most serious threat.”",
            "2011-04-13",
            [["Hardeep Singh Puri"], ["Hardeep Singh Puri"]],
        ),
        # A passive's agent speaks (CTED news, 2024).
        (
            "The Council was briefed by Ms. Natalia Gherman on the nineteenth report.",
            "2024-08-08",
            [["Natalia Gherman"]],
        ),
        # A relative clause's subject (UNIS, 2011).
        (
            "Echoing the words of United Nations Secretary-General Ban Ki-moon who referred to the "
            "death as a watershed moment and noted that the crimes touched most continents.",
            "2011-05-02",
            [["Ban Ki-moon"]],
        ),
        # Two people who speak together (GCTF, 2023).
        (
            "H.E. Sameh Shoukry, Minister of Foreign Affairs Egypt, and H.E. Josep Borrell "
            "Fontelles, High Representative of the European Union, as Co-Chairs, reiterated "
            "their joint vision.",
            "2023-09-20",
            [["Sameh Shoukry", "Josep Borrell Fontelles"]],
        ),
        # A full name met without an honorific is the antecedent of "he" (press.un.org, 2008).
        (
            "Opening the briefings was Neven Jurica of Croatia, Chairman of the Counter-Terrorism "
            "Committee. He said that the three Committees remained committed.",
            "2008-05-06",
            [[], ["Neven Jurica"]],
        ),
        # A participle clause: the sentence's subject speaks (PA/8, 2011).
        (
            "Prince Saud Al-Faisal, Foreign Minister of Saudi Arabia, presided.\n\nPrince "
            "Al-Faisal gave assurances of his country’s continued support, noting that the "
            "world body provided the best platform.",
            "2011-09-21",
            [[], ["Saud Al-Faisal"]],
        ),
        # "Of <country> <name>": the place is not part of the name (Turkmenistan MFA, 2022).
        (
            "In his speech, the head of the delegation, Deputy Minister of Foreign Affairs of "
            "Turkmenistan Vepa Hajiyev, expressing gratitude to the organizers, noted the "
            "strategic importance of the region.",
            "2022-03-04",
            [["Vepa Hajiyev"]],
        ),
        # Undated: "the Secretary-General" is left unresolved, never today's holder.
        ("The Secretary-General said that terrorism is unacceptable.", None, [[]]),
    ],
)
def test_real_snippets(people, text, on_date, expected):
    assert attribute(people, text, on_date) == expected
