"""metadata.py (with dates.py, conferences.py): title, type, date, place, conference, speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctsearch.documents.dates import parse_date
from ctsearch.documents.metadata import (
    DocMeta,
    canonical_conference,
    extract_metadata,
    paragraph_spans,
    parse_partial_date,
    read_sidecar,
)
from ctsearch.documents.people import People
from ctsearch.errors import MetadataError

FIRST = "First United Nations High-Level Conference on Counter-Terrorism (2018)"
SECOND = "Second United Nations High-Level Conference on Counter-Terrorism (2021)"
THIRD = "Third United Nations High-Level Conference on Counter-Terrorism (2023)"


@pytest.fixture(scope="module")
def people() -> People:
    return People.load()


def meta_of(text: str, people: People) -> DocMeta:
    return extract_metadata(text, people=people)


# ------------------------------------------------------------------------------ dates
@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("New York, 29 June 2018", "2018-06-29"),
        ("29 June 2018", "2018-06-29"),
        ("29th June, 2018", "2018-06-29"),
        ("June 19, 2023", "2023-06-19"),
        ("Sept. 8, 2006", "2006-09-08"),
        ("19–20 JUNE 2023", "2023-06-20"),
        ("28 and 29 June 2018", "2018-06-29"),
        ("28 June – 1 July 2021", "2021-07-01"),
        ("Monday, 12 March 2024", "2024-03-12"),
        ("2023-06-20", "2023-06-20"),
        ("31 February 2023", None),
        ("from Monday 28 to Wednesday 30 June", None),
        ("June 2023", None),
        ("", None),
    ],
)
def test_parse_date(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2023", "2023"),
        ("2023-6", "2023-06"),
        ("June 2023", "2023-06"),
        ("2023-06-20", "2023-06-20"),
    ]
    + [("20 June 2023", "2023-06-20"), ("2023-13", None), ("soon", None)],
)
def test_parse_partial_date(text: str, value: str | None) -> None:
    assert parse_partial_date(text) == value


# ------------------------------------------------------------------------------ conferences
@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        (
            "The first-ever UN High-level Conference on Counter-Terrorism concluded today.",
            2018,
            FIRST,
        ),
        ("closing remarks at High-Level Conference on Counter-Terrorism", 2018, FIRST),
        ("Main branding image of the 2021 High-Level Conference", None, SECOND),
        ("the Third High-Level Conference of Heads of Counter-Terrorism Agencies", None, THIRD),
        (
            "the Second United Nations High-Level Conference of Counter-Terrorism Agencies of "
            "Member States",
            None,
            SECOND,
        ),
        ("as Second Counter-Terrorism Week concludes", 2021, SECOND),
        ("the 2023 UN Counter-Terrorism week", None, THIRD),
        (
            "The Virtual Counter-Terrorism Week was held in July",
            2020,
            "Virtual Counter-Terrorism Week (2020)",
        ),
        (
            "the first United Nations Global Congress of Victims of Terrorism",
            2022,
            "First United Nations Global Congress of Victims of Terrorism (2022)",
        ),
        ("a High-Level Conference on Human Rights and Civil Society", 2022, None),
        ("the High-Level Conference on Counter-Terrorism", 2024, None),
        ("nothing about any conference here at all, none whatsoever", 2021, None),
        # Short queries (the search's --conference) name a conference by ordinal or year.
        ("second", None, SECOND),
        ("HLC 2023", None, THIRD),
        ("virtual week", None, "Virtual Counter-Terrorism Week (2020)"),
    ],
)
def test_canonical_conference(text: str, year: int | None, expected: str | None) -> None:
    assert canonical_conference(text, year) == expected


def test_conference_is_the_subject_not_the_first_mention() -> None:
    text = (
        "Second Counter-Terrorism Week concludes\n"
        "The Second United Nations High-Level Conference of Counter-Terrorism Agencies concluded.\n"
        + "Filler sentence about other things. " * 20
        + "\nIt follows the First High-Level Conference on Counter-Terrorism convened in 2018."
    )
    assert canonical_conference(text, 2021) == SECOND
    text2 = "The report of the First United Nations High-Level Conference (2018) is out.\n" + text
    assert canonical_conference(text2, 2021) == SECOND


# ------------------------------------------------------------------------------ documents
STATEMENT = """Statement by the Secretary-General on the terrorist attack in Kabul

New York, 12 March 2024

The Secretary-General strongly condemns the terrorist attack in Kabul today, which killed dozens.

He extends his deepest condolences to the families of the victims."""

MESSAGE = (
    (
        "Message of the Secretary-General for the International Day of Remembrance of and Tribute "
        "to the Victims of Terrorism, 21 August 2023"
    )
    + """

Terrorism inflicts a devastating toll on individuals, families and communities.

We stand in solidarity with victims and survivors, and we commit to amplifying their voices."""
)

NEWS = """UN News

Global perspective Human stories

Counter-terrorism chief warns Security Council of evolving threats

19 June 2023 Peace and Security

The head of the UN Counter-Terrorism Committee Executive Directorate on Monday warned them.

Ms. Natalia Gherman said that the threat had grown. "We must adapt," she told the Council."""

PRESS = """PRESS RELEASE

Member States discuss the rights of victims at a side event

Geneva, June 19, 2023 – A side event on the rights of victims of terrorism was held today in Geneva.

Ambassador Jane Doe of Norway said that victims must be at the centre of all efforts.

Contact: Ms. A. Person, person@un.org

Follow us on Twitter @UN_OCT"""

SPEECH = """Vienna

3 May 2022

Deputy Secretary-General's remarks to the Regional Conference on Victims of Terrorism

Excellencies, ladies and gentlemen,

Thank you for joining us today. We are here to listen to victims and survivors."""

WEB = """Victims of Terrorism Support Portal

Home

About us

Resources

The portal brings together resources for victims of terrorism and the organizations that help.

It was launched by the United Nations Office of Counter-Terrorism."""


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        (
            STATEMENT,
            dict(
                title="Statement by the Secretary-General on the terrorist attack in Kabul",
                doc_type="statement",
                date="2024-03-12",
                year=2024,
                place="New York",
                conference=None,
                speakers=("António Guterres",),
            ),
        ),
        (
            MESSAGE,
            dict(doc_type="message", date="2023-08-21", year=2023, speakers=("António Guterres",)),
        ),
        (
            NEWS,
            dict(
                title="Counter-terrorism chief warns Security Council of evolving threats",
                doc_type="news",
                date="2023-06-19",
                place=None,
                speakers=(),  # a news story's speakers come from its passages
            ),
        ),
        (
            PRESS,
            dict(
                title="Member States discuss the rights of victims at a side event",
                doc_type="press_release",
                date="2023-06-19",
                place="Geneva",
            ),
        ),
        (
            SPEECH,
            dict(
                title=(
                    "Deputy Secretary-General's remarks to the Regional Conference on Victims of "
                    "Terrorism"
                ),
                doc_type="speech",
                date="2022-05-03",
                place="Vienna",
                speakers=("Amina J. Mohammed",),
            ),
        ),
        (
            WEB,
            dict(
                title="Victims of Terrorism Support Portal",
                doc_type="web_page",
                date=None,
                year=None,
                place=None,
            ),
        ),
    ],
)
def test_extract_metadata(people: People, text: str, fields: dict) -> None:
    meta = meta_of(text, people)
    assert {k: getattr(meta, k) for k in fields} == fields


def test_header_and_furniture_are_skipped(people: People) -> None:
    meta = meta_of(PRESS, people)
    paras = [PRESS[a:b] for a, b in paragraph_spans(PRESS)]
    kept = [p for i, p in enumerate(paras) if i not in meta.skip]
    assert kept[0].startswith("Geneva, June 19") and PRESS[meta.body_start :].startswith("A side")
    assert not any(p.startswith(("Contact", "Follow", "PRESS")) for p in kept)


def test_title_wrapped_over_two_lines_is_joined(people: People) -> None:
    text = (
        "PRESS RELEASE\n\nThe Secretary-General highlights new technologies as Second "
        "Counter-Terrorism\n\nWeek concludes\n\nNew York, 30 June 2021 - The conference ended.\n"
    )
    meta = meta_of(text, people)
    assert meta.title.endswith("Second Counter-Terrorism Week concludes")
    assert meta.conference == SECOND


def test_explicit_dateline_beats_a_banner_range(people: People) -> None:
    text = (
        "Third United Nations HIGH-LEVEL CONFERENCE ON COUNTER-TERRORISM\n\n19–20 JUNE 2023\n\n"
        "UNITED NATIONS HEADQUARTERS • NEW YORK\n\nPRESS RELEASE\n\nThe conference concludes\n\n"
        "New York, 20 June 2023 – The conference concluded today."
    )
    meta = meta_of(text, people)
    assert (meta.date, meta.place, meta.title) == (
        "2023-06-20",
        "New York",
        "The conference concludes",
    )
    assert meta.conference == THIRD


def test_body_dates_are_not_the_document_date(people: People) -> None:
    text = "Second High-Level Conference\n\nThe conference was held on 28 and 29 June 2018 here."
    meta = meta_of(text, people)
    assert meta.date is None and meta.doc_type == "web_page"


def test_text_without_any_header(people: People) -> None:
    text = "The conference concluded today with a call for cooperation among all Member States."
    meta = meta_of(text, people)
    assert meta.title.startswith("The conference concluded today")
    assert meta.body_start == 0 and not meta.skip


def test_text_without_prose(people: People) -> None:
    text = "A list\n\none item\n\nanother item\n\na third item"
    meta = meta_of(text, people)
    assert meta.title == "A list" and meta.skip == {0}


# ------------------------------------------------------------------------------ sidecars
def test_read_sidecar(tmp_path: Path) -> None:
    side = tmp_path / "x.meta.toml"
    side.write_text(
        'title = "A title"\ndate = 2023-06-20\ndoc_type = "speech"\nspeakers = ["guterres"]\n'
        'url = "https://example.org"\nconference = "third"\nplace = "Geneva"\n',
        encoding="utf-8",
    )
    assert read_sidecar(side) == {
        "title": "A title",
        "date": "2023-06-20",
        "doc_type": "speech",
        "speakers": ["guterres"],
        "url": "https://example.org",
        "conference": "third",
        "place": "Geneva",
    }
    side.write_text('date = "June 2023"\nspeakers = "Jane Doe"\n', encoding="utf-8")
    assert read_sidecar(side) == {"date": "2023-06", "speakers": ["Jane Doe"]}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('title = "x"\ndate = "not a date"\n', ":2: date 'not a date' is not a date"),
        ('title = "x"\n\ndoc_type = "memo"\n', ":3: doc_type 'memo' is not one of"),
        ("speakers = [1, 2]\n", ":1: speakers must be a list of names"),
        ('author = "me"\n', ":1: unknown key 'author'"),
        ("title = 5\n", ":1: title must be a string"),
        ('title = "x"\ndate = "2023-06-20\n', ":2: "),
        ('title = "unclosed\n', ":1: "),
    ],
)
def test_broken_sidecar(tmp_path: Path, content: str, message: str) -> None:
    side = tmp_path / "x.meta.toml"
    side.write_text(content, encoding="utf-8")
    with pytest.raises(MetadataError) as err:
        read_sidecar(side)
    assert str(err.value).startswith(f"{side}:") and message in str(err.value)


SPOKESPERSON = """Statement attributable to the Spokesperson for the Secretary-General on Mogadishu

For immediate release

The Secretary-General strongly condemns today's terrorist attack in Mogadishu.

He extends his condolences to the families of the victims.

New York, 15 September 2023"""

NAMED_SPEECH = """Check against delivery

Vladimir Voronkov

Under-Secretary-General, United Nations Office of Counter-Terrorism

Opening remarks at the launch of the Global Programme on Victims

Vienna, 3 May 2022

Excellencies, distinguished guests,

It is an honour to open this event. Victims must be at the centre of our work."""


def test_trailing_dateline_and_release_line(people: People) -> None:
    meta = meta_of(SPOKESPERSON, people)
    assert (meta.doc_type, meta.date, meta.place) == ("statement", "2023-09-15", "New York")
    assert meta.speakers == ("António Guterres",)
    paras = [SPOKESPERSON[a:b] for a, b in paragraph_spans(SPOKESPERSON)]
    kept = [p for i, p in enumerate(paras) if i not in meta.skip]
    assert kept == paras[2:4]


def test_speech_named_in_its_header(people: People) -> None:
    meta = meta_of(NAMED_SPEECH, people)
    assert meta.title == "Opening remarks at the launch of the Global Programme on Victims"
    assert (meta.doc_type, meta.date, meta.place) == ("speech", "2022-05-03", "Vienna")
    assert meta.speakers == ("Vladimir Voronkov",)


def test_a_scraped_pages_date_marker_is_metadata_apart(people: People) -> None:
    # "date 2020-08-18" is the page's metadata carried into the text: a date label of its own,
    # and what follows it is read as the line it is (a dateline here), not as its title.
    text = (
        " date 2020-08-18 NEW YORK, 17 August (United Nations Office of Counter-Terrorism) — The "
        "third commemoration of the International Day is taking place in trying times.\n\n"
        "Victims and survivors will speak at the event, which opens on 21 August."
    )
    paras = [text[a:b] for a, b in paragraph_spans(text)]
    assert paras[:2] == ["date 2020-08-18", paras[1]] and paras[1].startswith("NEW YORK, 17")
    meta = meta_of(text, people)
    assert (meta.doc_type, meta.date, meta.place) == ("press_release", "2020-08-17", "New York")
    assert meta.title.startswith("NEW YORK, 17 August") and 0 in meta.skip
    assert text[meta.body_start :].startswith("NEW YORK")
    # Within a line the words stay prose: only a marker opening one of the first lines is split.
    later = "A title\n\nThe report says the deadline was date 2020-08-18 for all of them."
    assert len(paragraph_spans(later)) == 2
