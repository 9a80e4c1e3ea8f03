"""Query-string parameters → search options, checked as the CLI checks its options."""

from __future__ import annotations

import pytest

from ctsearch.errors import QueryError
from ctsearch.web import params as P


def test_a_full_query_string_becomes_the_librarys_options():
    state = P.parse_search(
        [("q", " drones "), ("speaker", "guterres"), ("speaker", ""), ("speaker", "voronkov"),
         ("conference", "2021"), ("type", "speech"), ("year", "2021"), ("from", "2021-01"),
         ("to", "2021-12-31"), ("limit", "20"), ("page", "3"), ("sort", "date"),
         ("facets", "on")]
    )  # fmt: skip
    assert state.q == "drones"
    assert state.options() == {
        "speakers": ["guterres", "voronkov"], "conference": "2021", "doc_type": "speech",
        "year": "2021", "date_from": "2021-01", "date_to": "2021-12-31", "limit": 20,
        "page": 3, "sort": "date", "facets": True, "expand": True,
    }  # fmt: skip


def test_empty_values_mean_not_set_and_defaults_are_left_out_of_the_url():
    state = P.parse_search([("q", "x"), ("year", ""), ("sort", ""), ("limit", ""), ("page", "")])
    assert state.options()["year"] is None and state.limit == 10 and state.page == 1
    assert state.query_string() == "q=x"


def test_a_state_round_trips_through_its_url():
    from urllib.parse import parse_qsl

    state = P.parse_search(
        [("q", '"rule of law" AND x'), ("speaker", "António Guterres"), ("page", "2"),
         ("sort", "date"), ("to", "2020")]
    )  # fmt: skip
    assert P.parse_search(parse_qsl(state.query_string())) == state


def test_changing_anything_but_the_page_goes_back_to_page_one():
    state = P.SearchState(q="x", page=4)
    assert state.with_(year="2020").page == 1
    assert state.with_(page=5).page == 5


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("limit", "0")], "limit must be at least 1"),
        ([("limit", "1e3")], "limit must be a whole number"),
        ([("limit", "١٢")], "limit must be a whole number"),  # non-ASCII digits
        ([("limit", "9" * 50)], "limit must be a whole number"),
        ([("limit", "501")], "limit must be at most 500"),
        ([("page", "-2")], "page must be a whole number"),
        ([("sort", "size")], "sort must be one of relevance, date"),
        ([("facets", "perhaps")], "facets must be true or false"),
        ([("q", "x" * 10_001)], "query too long"),
    ],
)
def test_bad_values_are_refused_with_one_line(pairs, message):
    with pytest.raises(QueryError, match=message):
        P.parse_search(pairs)


def test_strict_parsing_refuses_unknown_and_repeated_parameters():
    assert P.parse_search([("q", "x"), ("utm_source", "y")]).q == "x"  # pages: ignored
    with pytest.raises(QueryError, match="unknown parameter 'utm_source'"):
        P.parse_search([("q", "x"), ("utm_source", "y")], strict=True)
    with pytest.raises(QueryError, match="given 2 times"):
        P.parse_search([("q", "x"), ("year", "2020"), ("year", "2021")], strict=True)
    assert P.parse_search([("q", "x"), ("year", "2020"), ("year", "2021")]).year == "2021"


def test_trend_by():
    assert P.trend_by("") == "year" and P.trend_by("speaker") == "speaker"
    with pytest.raises(QueryError, match="by must be one of"):
        P.trend_by("decade")


def test_expansion_is_on_unless_turned_off():
    assert P.parse_search([("q", "ISIS")]).expand is True
    state = P.parse_search([("q", "ISIS"), ("expand", "0")])
    assert state.expand is False and state.options()["expand"] is False
    assert state.query_string() == "q=ISIS&expand=0"
    with pytest.raises(QueryError, match="expand must be true or false"):
        P.parse_search([("q", "x"), ("expand", "sometimes")])
