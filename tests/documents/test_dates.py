"""dates.py: every way the documents write a full date, found where it stands in the text."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ctsearch.documents.dates import _FOREIGN_MONTH_STARTS, day_month, find_dates, foreign_months


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("11 September 2006", "2006-09-11"),
        ("04 May 2012", "2012-05-04"),
        ("19 NOVEMBER 2014 SC/11656", "2014-11-19"),
        ("Wednesday, 03 October 2018", "2018-10-03"),
        ("On Thursday, 8 August 2024, the United Nations Security Council", "2024-08-08"),
        ("September 8, 2010", "2010-09-08"),
        ("Jan 15,2013", "2013-01-15"),  # no space after the comma
        ("Feb 10, 2025 | News and Media", "2025-02-10"),
        ("Islamabad: October 04, 2022", "2022-10-04"),
        ("Published on 28 Dec 2019 View Original", "2019-12-28"),
        ("28-Mar-2023 00:03:57", "2023-03-28"),
        ("Strasbourg, 13.04.2011 – Ten years after", "2011-04-13"),
        ("Dernière modification : 20/01/2016", "2016-01-20"),
        ("date 2025-08-11 Following is", "2025-08-11"),
        ("Updated: 2020-08-25 09:48", "2020-08-25"),
        ("14 Febrero 2007", "2007-02-14"),
        ("9 settembre 2021", "2021-09-09"),
        ("1er juin 2021", "2021-06-01"),
        ("2022年8月21日", "2022-08-21"),
        ("Nueva York, 14 de febrero de 2007", "2007-02-14"),
        ("Genève, le 12 mars 2019", "2019-03-12"),
        ("Berlin, 9. September 2021", "2021-09-09"),
    ],
)
def test_each_way_of_writing_a_date(text: str, iso: str) -> None:
    found = find_dates(text)
    assert [d.iso for d in found] == [iso]
    assert text[found[0].start : found[0].end].strip()


def test_an_ambiguous_numeric_date_keeps_both_readings() -> None:
    (d,) = find_dates("France remains mobilized in the fight against terrorism (02/12/2015) [fr]")
    assert (d.iso, d.alt) == ("2015-12-02", "2015-02-12")


@pytest.mark.parametrize(
    "text",
    [
        "02/12/14 13:05",  # a print time stamp: two-digit year
        "at least 18 muertos 2007",  # not a month
        "in 12 countries 2019",
        "31 February 2023",
        "resolution 2178 (2014)",
    ],
)
def test_what_is_not_a_date(text: str) -> None:
    assert find_dates(text) == []


def test_ranges_are_marked() -> None:
    (d,) = find_dates("On March 3-4, 2022, Tashkent hosted a High-Level International Conference")
    assert (d.iso, d.is_range) == ("2022-03-04", True)


@pytest.mark.parametrize(
    ("text", "md"),
    [("8 September", (9, 8)), ("April 22", (4, 22)), ("17 February", (2, 17)), ("Today", None)],
)
def test_day_month_without_a_year(text: str, md: tuple[int, int] | None) -> None:
    assert day_month(text) == md


def test_dateparser_is_imported_only_for_another_language() -> None:
    code = (
        "import sys; from ctsearch.documents.dates import find_dates; "
        "find_dates('New York, 29 June 2018 - in 12 countries 2019'); "
        "assert 'dateparser' not in sys.modules; "
        "assert find_dates('14 Febrero 2007')[0].iso == '2007-02-14'; "
        "assert 'dateparser' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_foreign_month_name_passes_the_cheap_filter() -> None:
    """Only words that may be a month load dateparser's data: no month name is kept out."""
    names = foreign_months()
    assert names["febrero"] == 2 and names["settembre"] == 9 and names["décembre"] == 12
    assert [n for n in names if len(n) >= 3 and n[:3] not in _FOREIGN_MONTH_STARTS] == []
