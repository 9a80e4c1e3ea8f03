"""doctypes.py: each signal a publisher writes, on real snippets of the devset."""

from __future__ import annotations

import pytest

from ctsearch.documents.metadata import extract_metadata
from ctsearch.documents.people import People

FIRST_PERSON = (
    "I thank the Presidency for this timely debate. We must focus our attention on conditions "
    "conducive to terrorism. I would like to make three points, and I hope we will act."
)
REPORTED = (
    "The international community must remain united, Mr. Eliasson declared today. He said "
    "that terrorists seek to divide, and he stressed the need for unity; he also warned them."
)


def type_of(text: str) -> str:
    return extract_metadata(text, people=People()).doc_type  # no one known: the type alone


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        # Document symbols.
        ("UNIS/CP/583\n\n13 October 2009\n\nExperts Meet\n\n" + REPORTED, "press_release"),
        ("In progress at UNHQ\n\nDSG/SM/1957\n\n‘African-led Solutions’\n\n" + FIRST_PERSON,
         "press_release"),
        ("SC/9323\n\nSECURITY COUNCIL BRIEFED BY CHAIRMEN\n\n" + REPORTED, "press_release"),
        ("PA/8\n\nUnited Nations, Saudi Arabia Agree\n\n" + REPORTED, "press_release"),
        ("SG/SM/17714\n\nSecretary-General, in Message to Conference\n\n" + FIRST_PERSON,
         "press_release"),
        # Meeting numbers and meetings coverage.
        ("Security Council\n\n7271st Meeting (PM)\n\nSecurity Council, in Statement, Expresses "
         "Deep Outrage\n\n" + REPORTED, "press_release"),
        ("28 July 2017\n\nSeventy-first Session, 93rd & 94th Meetings (AM & PM)\n\n" + REPORTED,
         "press_release"),
        ("Threats to international peace - Security Council, 8963rd meeting\n\nOpening remarks "
         "by the Under Secretary-General.\n\n" + REPORTED, "press_release"),
        ("MEETINGS COVERAGE AND PRESS RELEASES\n\n" + REPORTED, "press_release"),
        ("Action against Threat of Foreign Terrorist Fighters Must Be Ramped Up\n\nSecurity "
         "Council Ministerial MeetingThe Security Council this morning welcomed what it called "
         "extraordinary efforts by States.", "press_release"),
        # Labels and the forms of the Secretary-General's releases.
        ("Press release - 334(2011)\n\nCouncil of Europe hosts meeting\n\n" + REPORTED,
         "press_release"),
        ("Security Council Press Statement\n\nThe 20th Anniversary of the Attacks\n\n" + REPORTED,
         "press_release"),
        (" date 2025-08-11 Following is UN Secretary-General António Guterres’ message for the "
         "International Day:\n\n" + FIRST_PERSON, "press_release"),
        ("Secretary-General Welcomes Adoption\n\nThe following statement was issued today by the "
         "Spokesman for UN Secretary-General Ban Ki-moon:\n\n" + FIRST_PERSON, "press_release"),
        ("VIENNA, 13 October (UN Information Service) - At a major international workshop in "
         "Vienna, focal points are meeting. " + REPORTED, "press_release"),
        ("Global Counterterrorism Forum Co-Chairs' Summary\n\nSeptember 22, 2011\n\n" + REPORTED,
         "press_release"),
        # Genre headings.
        ("New York, 19 December 2014 - Statement attributable to the Spokesman for the "
         "Secretary-General on attacks against civilians\n\nThe Secretary-General strongly "
         "condemns the attacks.", "statement"),
        ("Statement by Ambassador Susan E. Rice, U.S. Permanent Representative\n\n"
         "September 8, 2010\n\n" + FIRST_PERSON, "statement"),
        ("France remains mobilized (02/12/2015) [fr]\n\nAdoption of resolution 2199 - "
         "Explanation of vote by Mr. François Delattre - Security Council - 12 February 2015\n\n"
         + FIRST_PERSON, "statement"),
        ("Тоҷикӣ | Русский | English\n\nPress Statement of the Minister of Foreign Affairs H.E. "
         "Mr. S. Muhriddin on the outcomes of the Conference\n\nDistinguished media "
         "representatives,\n\n" + FIRST_PERSON, "statement"),
        ("New York\n\n04 May 2012\n\nSecretary-General's remarks to Security Council open "
         "debate\n\n" + FIRST_PERSON, "speech"),
        ("Remarks of H.E. Moussa Faki Mahamat Chairperson of The African Union Commission\n\n"
         "April 22, 2024\n\nYour Excellency,\n\n" + FIRST_PERSON, "speech"),
        ("Abu Dhabi\n\n14 December 2012\n\nSecretary-General's message to Global Counter-"
         "Terrorism Forum [delivered by Mr. Michael Smith]\n\n" + FIRST_PERSON, "message"),
        ("2022年秘书长致辞\n\n纪念和悼念恐怖主义受害者国际日是一个思考、确认、行动的日子。",
         "message"),
        ("New York\n\n12 March 2024\n\nSecretary-General's statement on the attack in Kabul"
         "\n\nThe Secretary-General strongly condemns the attack.", "statement"),
        ("Readout of the Secretary-General's meeting with the President\n\n" + REPORTED,
         "press_release"),
        # A dateline opening the prose; a news agency's dateline is a story's.
        ("About the presentation of the draft Code of Conduct\n\nNew York, January 19, 2018 – On "
         "January 18 a Special high-level event was held at the UN headquarters devoted to the "
         "presentation of the draft.", "press_release"),
        ("PARIS, 12 March (AFP) — The attackers were arrested. " + REPORTED, "news"),
        # News marks.
        ("Global perspective Human stories\n\n‘Vigilant, determined, united’: UN urges cohesive "
         "front\n\n" + REPORTED, "news"),
        ("Chinese envoy warns pandemic could breed terror\n\nBy HONG XIAO at the United Nations "
         "| China Daily Global | Updated: 2020-08-25 09:48\n\n" + REPORTED, "news"),
        ("UN / COUNTER TERRORISM\n\nSTORY: UN / COUNTER TERRORISM\n\n5. SOUNDBITE (French) "
         "António Guterres, Secretary-General, United Nations:\n\n" + REPORTED, "news"),
        # The prose: who speaks, to whom, and how.
        ("Director General/Executive Director\n\nExcellencies,\n\nLadies and gentlemen,\n\n"
         + FIRST_PERSON, "speech"),
        ("Delivered by: Her Excellency Lana Nusseibeh, Ambassador and Permanent Representative"
         "\n\nThank you, Mr. President.\n\n" + FIRST_PERSON, "statement"),
        ("I thank Mr. Moradian for his briefing. I shall now make a statement in my capacity as "
         "the Minister of External Affairs of India. " + FIRST_PERSON, "statement"),
        ("Today, we remember and pay tribute to all victims and survivors of terrorism. "
         + FIRST_PERSON + " On this International Day of Remembrance, let us stand in "
         "solidarity with all victims.", "message"),
        ("Minister of Foreign Affairs, Republic of Tajikistan\n\nDear participants,\n\nIt is a "
         "great honour to extend a warm welcome to you for the participation at the Conference. "
         + FIRST_PERSON, "message"),
        ("CTED actively engaged during high-level counter-terrorism conference\n\nDuring the last "
         "week of June 2018, Heads of agencies gathered for a conference. It was organized by "
         "the Office. CTED was also engaged in side events, which took place on the margins; "
         "it participated and was co-organizer of several.", "news"),
        ("Executive Director of CTED Natalia Gherman delivering her remarks at the summit.\n\n"
         "On Tuesday, 12 September 2023, the Executive Director of CTED, Natalia Gherman, gave "
         "the keynote address at the World Summit on Counter-Terrorism. Coinciding with the "
         "anniversary of the attacks, the keynote speech paid tribute to the victims.\n\nIn her "
         "statement, ASG Gherman also focused on the evolving threats. She stressed the "
         "increasing risk. Ms. Gherman further discussed terrorist misuse of new technologies. "
         "She recalled the adoption of the Delhi Declaration.\n\nASG Gherman concluded her "
         "statement by referencing the New Agenda for Peace, emphasizing the need for a "
         "holistic approach.", "news"),
        ("President Bola Tinubu will open the Summit in Abuja.\n\nThe summit will provide a "
         "platform.\n\nChief Ajuri Ngelale\n\nSpecial Adviser to the President\n\n(Media & "
         "Publicity)\n\nApril 21, 2024", "press_release"),
        ("Objectives of the Centre\n\nThe objectives of the Centre are: to promote the Strategy; "
         "to provide capacity; the Centre aims at cooperation and serves Member States.",
         "web_page"),
        ("Programme\n\nOpening session\n\n09:00 - 10:00 Welcome remarks by the Under-Secretary-"
         "General\n\n10:00 - 11:30 Panel 1: Victims of terrorism", "web_page"),
        ("Day 1 | Session 3\n\nIn this session, we will take stock of the progress made.\n\n"
         "14 June 2021\n\nStart: 16:00 (CEST)", "web_page"),
    ],
)  # fmt: skip
def test_each_type_signal(text: str, doc_type: str) -> None:
    assert type_of(text) == doc_type


@pytest.mark.parametrize(
    "heading",
    [
        "Executive Director of CTED Natalia Gherman delivering her remarks at the summit.",
        "During his own remarks, Secretary General Ban thanked the Kingdom",
        "Ministers meet to address terrorism financing",
    ],
)
def test_a_story_about_a_speech_is_not_a_speech_heading(heading: str) -> None:
    assert type_of(heading + "\n\n" + REPORTED) == "news"
