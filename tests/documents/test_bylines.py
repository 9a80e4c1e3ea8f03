"""bylines.py: each way a title, byline or signature names the speaker, on real snippets."""

from __future__ import annotations

import pytest

from ctsearch.documents.bylines import find_voice
from ctsearch.documents.people import People


@pytest.fixture(scope="module")
def people() -> People:
    return People.load()


@pytest.mark.parametrize(
    ("title", "text", "on_date", "speakers", "readers"),
    [
        (  # "Statement by" + honorific + name + office
            "Statement by Ambassador Susan E. Rice, U.S. Permanent Representative to the United "
            "Nations, at the United Nations General Assembly Review",
            "",
            "2010-09-08",
            ["Susan E. Rice"],
            [],
        ),
        (  # "Remarks of H.E." + a name run on into the office
            "",
            "Top Slides\n\nRemarks of H.E. Moussa Faki Mahamat Chairperson of The African Union "
            "Commission at the Opening Ceremony of the High-Level African Counter-Terrorism "
            "Meeting",
            None,
            ["Moussa Faki Mahamat"],
            [],
        ),
        (  # "Delivered by:" label
            "",
            "Delivered by: Her Excellency Lana Nusseibeh, Ambassador and Permanent Representative"
            "\n\nThank you, Mr. President.",
            None,
            ["Lana Nusseibeh"],
            [],
        ),
        (  # "Presenter:" with the name on the next line
            "",
            "Wednesday, 03 October 2018\nPresenter: \nAmb. Thomas B. Amolo\nLocation: \nNew York",
            "2018-10-03",
            ["Thomas B. Amolo"],
            [],
        ),
        (  # an office first, the name in apposition
            "",
            "Opening remarks by the Under Secretary-General for Counter-Terrorism, Mr. Vladimir "
            "Voronkov.",
            None,
            ["Vladimir Voronkov"],
            [],
        ),
        (  # initials and honorifics in a row; upper-case title
            "",
            "PRESS STATEMENT OF THE MINISTER OF FOREIGN AFFAIRS OF THE REPUBLIC OF TAJIKISTAN "
            "H.E. MR. S. MUHRIDDIN ON THE OUTCOMES",
            None,
            ["Sirojiddin Muhriddin"],
            [],
        ),
        (  # "Explanation of vote by" after a dash
            "",
            "Adoption of resolution 2199 - Explanation of vote by Mr. François Delattre, Permanent "
            "Representative of France to the United Nations - Security Council - 12 February 2015",
            "2015-02-12",
            ["François Delattre"],
            [],
        ),
        (  # the office only, resolved with the date
            "Secretary-General's remarks to Security Council open debate on Threats",
            "",
            "2012-05-04",
            ["Ban Ki-moon"],
            [],
        ),
        (  # a message read out by another: the author speaks, the reader is a reader
            "Secretary-General's message to Global Counter-Terrorism Forum [delivered by Mr. "
            "Michael Smith, Executive Director, UN Counter-Terrorism Committee Executive "
            "Directorate (CTED)]",
            "",
            "2012-12-14",
            ["Ban Ki-moon"],
            ["Michael Smith"],
        ),
        (  # "Following is X's message, delivered by Y"
            "",
            "SG/SM/17714\n\nFollowing is UN Secretary-General Ban Ki-moon’s message, delivered "
            "by Jeffrey Feltman, Under-Secretary-General for Political Affairs, to the fifth "
            "Moscow Conference on International Security, in Moscow on 26 April:",
            None,
            ["Ban Ki-moon"],
            ["Jeffrey Feltman"],
        ),
        (  # a spokesman's statement speaks for the office holder on that date
            "",
            "New York, 19 December 2014 - Statement attributable to the Spokesman for the "
            "Secretary-General on attacks against civilians",
            "2014-12-19",
            ["Ban Ki-moon"],
            [],
        ),
        (  # a headline whose subject speaks
            "Secretary-General Says Counter-Terrorism Strategy's Adoption Sends Clear Message",
            "",
            "2006-09-08",
            ["Kofi Annan"],
            [],
        ),
        (  # a name line under the title
            "Secretary-General's opening remarks at Ninth Meeting of theUN Counter-Terrorism",
            "New York\n\n07 November 2014\n\nSecretary-General's opening remarks at Ninth Meeting"
            "\n\nBan Ki-Moon, Former Secretary-General\n\nThank you very much.",
            "2014-11-07",
            ["Ban Ki-moon"],
            [],
        ),
        (  # a Chinese title: "2022 Secretary-General's message", resolved with the year
            "2022年秘书长致辞",
            "",
            "2022",
            ["António Guterres"],
            [],
        ),
        (  # the Deputy Secretary-General is not the Secretary-General
            "常务副秘书长致辞",
            "",
            "2019",
            ["Amina J. Mohammed"],
            [],
        ),
        (  # a signature: the name, a comma, the office on the next line
            "",
            "Dear participants,\n\nWish you all the best.\n\nSirodjidin Aslov,\n"
            "Minister of Foreign Affairs, Republic of Tajikistan",
            None,
            ["Sirojiddin Muhriddin"],
            [],
        ),
        (  # a byline name read as names.NAME_RE reads one: "al-" + a name is part of it
            "Statement by Ahmed al-Hussein, Minister of Foreign Affairs",
            "",
            "2020-01-01",
            ["Ahmed al-Hussein"],
            [],
        ),
    ],
)
def test_voice(people, title, text, on_date, speakers, readers):
    voice = find_voice(title, text, people, on_date)
    assert list(voice.speakers) == speakers
    assert list(voice.readers) == readers


def test_no_office_holder_without_a_date(people):
    """An undated text leaves 'the Secretary-General' unresolved rather than guess."""
    voice = find_voice("Secretary-General's remarks to the Security Council", "", people, None)
    assert voice.speakers == ()


@pytest.mark.parametrize(
    ("on_date", "holder"),
    [("2006-09-08", "Kofi Annan"), ("2012", "Ban Ki-moon"), ("2019-12-28", "António Guterres")],
)
def test_office_resolved_by_date(people, on_date, holder):
    assert find_voice("Secretary-General's message", "", people, on_date).speakers == (holder,)


def test_prose_is_not_a_byline(people):
    """'statement by' inside a long paragraph of prose is not a byline."""
    prose = (
        "The Council heard a long debate in which many delegations took the floor, and the "
        "representative of one State then recalled the earlier statement by Ambassador Jane Roe "
        "of Norway, which had set out the views of the Nordic countries on the matter at length "
        "and with great care, before the meeting was adjourned for the day in the afternoon."
    )
    assert find_voice("", prose, people, None).speakers == ()
