"""The query language parser: syntax trees for good queries, one-line errors for bad ones."""

from __future__ import annotations

import pytest

from ctsearch.errors import QueryError
from ctsearch.searching.query import And, Field, Not, Or, Phrase, Seq, Word, parse

W = Word


@pytest.mark.parametrize(
    "text, tree",
    [
        ("drones", W("drones")),
        ("capacity building", Seq((W("capacity"), W("building")))),
        ('"foreign terrorist fighters"', Phrase("foreign terrorist fighters")),
        ("“curly quotes”", Phrase("curly quotes")),
        ('"rule of law"~3', Phrase("rule of law", 3)),
        ("terror*", W("terror", prefix=True)),
        ("terorism~", W("terorism", fuzzy=2)),
        ("terorism~1", W("terorism", fuzzy=1)),
        ("a AND b", And((W("a"), W("b")))),
        ("a OR b", Or((W("a"), W("b")))),
        ("NOT a", Not(W("a"))),
        ("a AND b OR c", Or((And((W("a"), W("b"))), W("c")))),
        ("drones OR uavs attacks", Seq((Or((W("drones"), W("uavs"))), W("attacks")))),
        ("(a b) OR c", Or((Seq((W("a"), W("b"))), W("c")))),
        ("victims NOT terrorism", Seq((W("victims"), Not(W("terrorism"))))),
        ("and or not", Seq((W("and"), W("or"), W("not")))),  # lowercase: plain words
        ("speaker:guterres", Field("speaker", "guterres")),
        ('speaker:"Vladimir Voronkov"', Field("speaker", "Vladimir Voronkov", quoted=True)),
        (
            "conf:2021 type:speech year:2018",
            Seq((Field("conference", "2021"), Field("type", "speech"), Field("year", "2018"))),
        ),
        ("Note: http://un.org", Seq((W("Note"), W("http://un.org")))),
        ("all-of-society", W("all-of-society")),
    ],
)
def test_parse(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the query is empty"),
        ("   ", "the query is empty"),
        ('"foreign terrorist', "unbalanced quote"),
        ("(drones", 'a "(" is never closed'),
        ("drones)", 'a ")" has no matching "("'),
        ("()", "empty parentheses"),
        ("drones AND", "AND needs something after it"),
        ("OR drones", "OR cannot come at the start"),
        ("a OR OR b", "OR cannot come after OR"),
        ("NOT", "NOT needs something after it"),
        ("foo:bar", "unknown field foo:"),
        ("speaker:", "speaker: needs a value"),
        ("*", "a prefix needs at least 2 letters"),
        ("t*", "a prefix needs at least 2 letters"),
        ("te*rm", "* is only allowed at the end"),
        ("word~3", "the edit distance is 1 or 2"),
        ('"rule of law"~', "~ after a phrase needs a number"),
        ('"rule of law"~999', "is too large"),
        ('""', "empty quotes"),
        ("(" * 60 + "a" + ")" * 60, "too deeply"),
        (" ".join(["w"] * 400), "at most 300"),
        ("x" * 10_001, "too long"),
    ],
)
def test_parse_errors(text, message):
    with pytest.raises(QueryError) as err:
        parse(text)
    assert message in str(err.value)
    assert "\n" not in str(err.value)
