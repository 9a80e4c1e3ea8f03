"""docdate.py: which of the dates a document writes is its own (real snippets of the devset)."""

from __future__ import annotations

import pytest

from ctsearch.documents.dates import place_name
from ctsearch.documents.docdate import DocDate, document_date, text_year
from ctsearch.documents.metadata import analyse_layout


def date_of(text: str) -> DocDate:
    layout = analyse_layout(text)
    return document_date(text, layout.paras, layout.first_prose)


PROSE = "The Secretary-General is dismayed by the pattern of attacks against innocent civilians."


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        # A dateline without its year is the document's day; the year comes from the header.
        (
            "11 September 2006\n\nSecretary-General Says Adoption Sends Clear Message\n\n"
            "NEW YORK, 8 September (UN Headquarters) -- Today's adoption by the General Assembly "
            "of a United Nations Global Counter-Terrorism Strategy sends a clear message.",
            "2006-09-08",
        ),
        (
            "PA/10\n\nUnited Nations Concludes International Conference\n\n19 February 2013\n\n"
            "RIYADH, 17 February — The United Nations Counter-Terrorism Centre held a two-day "
            "international conference on 16 and 17 February in Riyadh.",
            "2013-02-17",
        ),
        # ... and from the year before when the header is early in January.
        (
            "2 January 2014\n\nA title\n\nNEW YORK, 31 December (UN Headquarters) -- The "
            "Secretary-General condemned the attack in the strongest terms today.",
            "2013-12-31",
        ),
        # A full dateline beats the day a page was posted.
        (
            "22 January 2018\n\nAbout the presentation of the initial draft Code of Conduct\n\n"
            "New York, January 19, 2018 – On January 18 a Special high-level event was held at "
            "the UN headquarters.",
            "2018-01-19",
        ),
        # A stray metadata line dates the text; a dateline after it still wins.
        (
            " date 2020-08-18 NEW YORK, 17 August (United Nations Office of Counter-Terrorism) — "
            "The third commemoration of the International Day is taking place in trying times.",
            "2020-08-17",
        ),
        (
            " date 2025-01-22 Deputy Secretary-General Amina J. Mohammed emphasized that Africa "
            "has become the focal point.\n\nSpeaking to the Security Council today (21 Jan), she "
            "remarked that terrorism poses the greatest threat.",
            "2025-01-22",
        ),
        # "Published on" beats a reposting date on the top line; the attack's date is an event.
        (
            "30 Dec 2019\n\nSecretary-General Strongly Condemns Deadly Terrorist Attack in Somalia"
            "\n\nPublished on 28 Dec 2019 View Original\n\nThe Secretary-General strongly condemns "
            "the terrorist attack that took place in Mogadishu on 27 December 2019.",
            "2019-12-28",
        ),
        ("New York\n\n04 May 2012\n\nSecretary-General's remarks\n\n" + PROSE, "2012-05-04"),
        # A label on the line above; the day a speech was delivered beats the day it was posted.
        (
            "Speech\n\nStatement by Ambassador Jane Doe at the Security Council\n\nPublished\n\n"
            "12 May 2023\n\nDelivered on: 11 May 2023 (Transcript of the speech, exactly as it "
            "was delivered)\n\nThank you, President. " + PROSE,
            "2023-05-11",
        ),
        (
            "Secretary-General Strongly Condemns Attack\n\nFormat News and Press Release Source "
            "UN SG Posted 30 Dec 2019 Originally published 28 Dec 2019\n\n" + PROSE,
            "2019-12-28",
        ),
        ("Statement on Open Debate\n\nJan 15,2013\n\n" + PROSE, "2013-01-15"),
        ("A title\n\nFeb 10, 2025 | News and Media\n\n" + PROSE, "2025-02-10"),
        ("UN / COUNTER TERRORISM\n\n28-Mar-2023 00:03:57\n\n" + PROSE, "2023-03-28"),
        ("Press release - 334(2011)\n\nStrasbourg, 13.04.2011 – " + PROSE, "2011-04-13"),
        ("14 Febrero 2007\n\n" + PROSE, "2007-02-14"),
        ("Une déclaration\n\n3 mars 2019\n\nGenève, le 12 mars 2019 – " + PROSE, "2019-03-12"),
        (
            "20 SEPTEMBER 2023, NEW YORK| The Global Counterterrorism Forum held its twice "
            "yearly Coordinating Committee and annual Ministerial meetings on 18 and 20 September.",
            "2023-09-20",
        ),
        (
            "Title of the item\n\n22 February 2017, New York – Statement on behalf of the European "
            "Union delivered by H.E. Ms Joanne Adamson\n\n" + PROSE,
            "2017-02-22",
        ),
        # A date line at the very end, or under a signature.
        (PROSE + "\n\n" + PROSE + "\n\n9 September 2021", "2021-09-09"),
        (
            "President Bola Tinubu will on Monday, April 22, open the Summit in Abuja.\n\n"
            + PROSE
            + "\n\nChief Ajuri Ngelale\n\nSpecial Adviser to the President\n\n"
            "(Media & Publicity)\n\nApril 21, 2024",
            "2024-04-21",
        ),
        # A session's date on a line of its own among the page's paragraphs.
        (
            "Day 1 | Session 3\n\nOne Plan, 79 Recommendations\n\n" + PROSE + "\n\n14 June 2021\n\n"
            "Start: 16:00 (CEST)\n\nEnd: 17:00 (CEST)",
            "2021-06-14",
        ),
        # The ambiguous "(02/12/2015)" is read as the other date of the text confirms it.
        (
            "France remains mobilized (02/12/2015) [fr]\n\nExplanation of vote by Mr. François "
            "Delattre - Security Council - 12 February 2015\n\n" + PROSE + "\n\nDernière "
            "modification : 20/01/2016",
            "2015-02-12",
        ),
        # "Updated:" only when nothing better is there.
        (
            "Chinese envoy warns pandemic could breed terror\n\nBy HONG XIAO at the United "
            "Nations | China Daily Global | Updated: 2020-08-25 09:48\n\n" + PROSE,
            "2020-08-25",
        ),
        # A lede's day, given a second time by the photo caption.
        (
            "Ms. Natalia Gherman briefs the Security Council on 8 August 2024 on the report.\n\n"
            "On Thursday, 8 August 2024, the United Nations Security Council was briefed by the "
            "Under-Secretary-General for Counter-Terrorism.",
            "2024-08-08",
        ),
    ],
)
def test_the_documents_own_date(text: str, iso: str) -> None:
    assert date_of(text).date == iso


@pytest.mark.parametrize(
    "text",
    [
        # A dateline without a year, and no year anywhere: no date, no guess.
        "BRUSSELS, 25 May (Office of Counter-Terrorism) — Federica Mogherini and Vladimir "
        "Voronkov met in Brussels today to discuss the cooperation between the two.",
        # A conference's range in the title is not the statement's day.
        "Statement by Mr. Vladimir Voronkov at the VII Moscow Conference on International "
        "Security, 4-5 April 2018, Moscow\n\nDistinguished colleagues, Dear Colleagues,\n\n"
        + PROSE,
        # Event dates in the prose, in a caption, in a lede given once.
        "CTED actively engaged during high-level counter-terrorism conference\n\nDuring the "
        "last week of June 2018, Heads of counter-terrorism agencies gathered at the United "
        "Nations.\n\nCTED Executive Director Coninsx addresses the participants in the UN "
        "General Assembly on 28 June 2018.",
        "Executive Director of CTED Natalia Gherman delivering her remarks at the summit.\n\n"
        "On Tuesday, 12 September 2023, the Executive Director of CTED gave the keynote "
        "address at the World Summit on Counter-Terrorism.",
        "On March 3-4, 2022, Tashkent hosted a High-Level International Conference.\n\nIt was "
        "emphasized that these factors led to the adoption of the first Joint Plan on "
        "November 30, 2011 in Ashgabat.",
        # "issued on" in running prose is the day of something else.
        "Counter-terrorism chief warns of threats\n\nThe head of the Directorate said that the "
        "report of the Secretary-General, issued on 12 May 2019 after a year of consultations "
        "with Member States and regional organizations, showed how the threat had grown.",
        # A print time stamp.
        "02/12/14 13:05\n\n" + PROSE,
        # A list of events, of related stories: dates of other things.
        "Upcoming events\n\n12 March 2019 Workshop on victims in Vienna\n\n3 April 2019 "
        "Seminar on prisons in Geneva\n\n20 May 2019 Regional meeting in Nairobi",
        PROSE + "\n\n" + PROSE + "\n\nRelated stories\n\nUN chief condemns attack\n\n"
        "12 May 2019\n\nCouncil extends mandate\n\n3 June 2019",
        # "Closing date" is not the day a page was issued.
        "Call for proposals\n\n" + PROSE + "\n\nThe closing date: 12 May 2019 for all of "
        "the proposals sent to the Office by the applicants.",
    ],
)
def test_no_date_where_the_text_states_none(text: str) -> None:
    assert date_of(text).date is None


def test_a_range_gives_the_year_of_an_undated_heading() -> None:
    text = (
        "Statement by Mr. Vladimir Voronkov at the VII Moscow Conference on International "
        "Security, 4-5 April 2018, Moscow\n\nDistinguished colleagues,\n\n" + PROSE
    )
    assert date_of(text) == DocDate(None, 2018)


def test_a_dateline_opening_the_prose_is_reported() -> None:
    assert date_of("VIENNA, 13 October (UN Information Service) - At a workshop " + PROSE).dateline
    assert not date_of("New York\n\n04 May 2012\n\nRemarks\n\n" + PROSE).dateline


@pytest.mark.parametrize(
    ("text", "doc_type", "year"),
    [
        ("2014 OSCE-wide Counter-Terrorism Conference\n\n" + PROSE, "web_page", 2014),
        (
            "2022年秘书长致辞\n\n纪念和悼念恐怖主义受害者国际日是一个思考、确认、行动的日子。",
            "message",
            2022,
        ),
        (
            "A caption.\n\nOn Tuesday, 12 September 2023, the Executive Director gave the "
            "keynote address.",
            "news",
            2023,
        ),
        # A speech or a page recalls past days: not the year it is from.
        ("Dear participants,\n\nThe Strategy was adopted on 12 November 2016.", "message", None),
        ("Objectives\n\nAt the meeting held on 7 November 2014, he spoke.", "web_page", None),
        # Citations are not evidence.
        ("A kit\n\nThe Council adopted resolution 1373 (2001) and S/2015/338.", "news", None),
    ],
)
def test_the_year_where_the_text_makes_it_clear(text: str, doc_type: str, year: int | None) -> None:
    layout = analyse_layout(text)
    assert text_year(text, layout.paras, layout.first_prose, doc_type) == year


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("NEW YORK, 8 September (UN Headquarters) -- Today's adoption " + PROSE, "New York"),
        ("Strasbourg, 13.04.2011 – Ten years after the attacks, " + PROSE, "Strasbourg"),
        ("GENEVA (12 March 2024) – A UN expert today expressed alarm. " + PROSE, "Geneva"),
        ("20 SEPTEMBER 2023, NEW YORK| The Global Counterterrorism Forum " + PROSE, "New York"),
        ("New York\n\n04 May 2012\n\nRemarks\n\n" + PROSE, None),  # not a dateline
    ],
)
def test_the_place_a_dateline_names(text: str, place: str | None) -> None:
    assert date_of(text).place == place


def test_place_names_are_written_as_places() -> None:
    assert place_name("NEW YORK") == "New York"
    assert place_name("New York, NY") == "New York"
    assert place_name(" ") is None
