"""Formatting search results, passages, speakers and stats for the terminal and as JSON."""

from __future__ import annotations

import json

import pytest
from conftest import GUTERRES

from ctsearch import output
from ctsearch.index.stats import IndexStats, SpeakerCount
from ctsearch.models import Hit, SearchResult
from ctsearch.searching.show import PassageContext

CONTRACT_HIT_KEYS = {
    "rank", "score", "passage_id", "doc_id", "title", "doc_type", "date", "year",
    "conference", "speakers", "text", "highlight", "source",
}  # fmt: skip


def hit(rank=1, text="We must stop drones now.", highlight="We must stop **drones** now.", **kw):
    fields = dict(
        rank=rank,
        score=1.5,
        passage_id="doc:3",
        doc_id="doc",
        ordinal=3,
        title="Remarks",
        doc_type="speech",
        date="2018-06-29",
        year=2018,
        place="New York",
        conference="First Conference",
        speakers=(GUTERRES,),
        text=text,
        highlight=highlight,
        source="corpus/doc.txt",
        start=0,
        end=len(text),
    )
    fields.update(kw)
    return Hit(**fields)


def result(*hits, **kw) -> SearchResult:
    fields = dict(query="drones", total=len(hits), page=1, hits=tuple(hits))
    fields.update(kw)
    return SearchResult(**fields)


def test_json_contract_has_exactly_the_promised_keys():
    data = json.loads(output.format_search(result(hit()), as_json=True))
    assert {"query", "total", "page", "hits", "suggestion", "facets"} <= set(data)
    assert CONTRACT_HIT_KEYS <= set(data["hits"][0])
    h = data["hits"][0]
    assert h["speakers"] == [GUTERRES] and h["highlight"] == "We must stop **drones** now."
    assert (data["query"], data["total"], data["page"]) == ("drones", 1, 1)


def test_json_keeps_document_text_exact_even_with_control_characters():
    text = "bad \x1b[31mred\x1b[0m text"
    data = json.loads(output.format_search(result(hit(text=text, highlight=text)), as_json=True))
    assert data["hits"][0]["text"] == text


def test_text_output_has_rank_title_date_conference_speakers_id_and_passage():
    out = output.format_search(result(hit()), as_json=False, color=False)
    assert out.splitlines() == [
        "1. Remarks",
        "   2018-06-29 · First Conference",
        f"   speakers: {GUTERRES}   [doc:3]",
        "   We must stop drones now.",
    ]


def test_colour_marks_matches_on_a_terminal_only():
    coloured = output.format_search(result(hit()), as_json=False, color=True)
    assert "\x1b[" in coloured and "**" not in coloured
    plain = output.format_search(result(hit()), as_json=False, color=False)
    assert "\x1b[" not in plain and "**" not in plain


def test_control_characters_from_documents_are_removed_in_text_output():
    text = "evil \x1b[2J\x07 text"
    out = output.format_search(
        result(hit(text=text, highlight=text, title="T\x1b]0;x\x07")), as_json=False
    )
    assert "\x1b" not in out and "\x07" not in out


def test_marked_spans_recover_the_matches():
    assert output.marked_spans("a b c", "**a** b **c**") == [(0, 1), (4, 5)]
    assert output.marked_spans("x ** y", "x ** **y**") == [(5, 6)]  # a literal ** in the text
    assert output.marked_spans("abc", "**zz**") == []  # does not line up: nothing


def test_long_passages_are_trimmed_around_the_first_match():
    words = [f"w{i}" for i in range(300)]
    words[200] = "drones"
    text = " ".join(words)
    shown = output.render_passage(text, text.replace("drones", "**drones**"), color=False)
    assert shown.startswith("…") and shown.endswith("…") and "drones" in shown
    assert len(shown) <= output.TRIM_CHARS + 2
    assert not shown[1:].startswith(" ")
    short = output.render_passage("a\n\nb", "a\n\nb", color=False)
    assert short == "a b"


def test_facets_in_text():
    facets = {
        "speaker": {GUTERRES: 2},
        "conference": {},
        "year": {"2018": 2},
        "type": {"speech": 2},
    }
    out = output.format_search(result(hit(), facets=facets), as_json=False)
    assert f"speaker:    {GUTERRES} (2)" in out and "conference: -" in out


@pytest.mark.parametrize(
    "res, limit, expected",
    [
        (result(hit(), total=25), 10, "25 passages match; showing 1–1 (next: --page 2)"),
        (result(hit()), 10, "1 passage matches; showing 1–1"),
        (result(total=3, page=9), 10, "3 passages match; page 9 is past the end"),
        (
            result(suggestion="terrorism", query="terorism"),
            10,
            "No passages match 'terorism'.\nDid you mean: terrorism",
        ),
        (
            result(excluded_by=("--year 2018",)),
            10,
            "No passages match 'drones'.\n"
            "The query alone has matches; these filters excluded them all: --year 2018",
        ),
    ],
)
def test_search_summary(res, limit, expected):
    assert output.search_summary(res, limit=limit) == expected


def test_format_show_text_and_json():
    ctx = PassageContext(
        passage=hit(rank=0),
        before=(hit(rank=0, passage_id="doc:2", text="Before.", highlight="Before."),),
        after=(),
        citation="“Remarks”. New York, 2018-06-29. source: corpus/doc.txt. passage doc:3",
    )
    text = output.format_show(ctx, as_json=False)
    assert text.splitlines()[0] == f"[doc:2]  ({GUTERRES})"
    assert f"[doc:3]  ◀  ({GUTERRES})" in text and text.endswith("passage doc:3")
    assert "We must stop drones now." in text and "**" not in text
    data = json.loads(output.format_show(ctx, as_json=True))
    assert data["passage"]["passage_id"] == "doc:3" and data["before"][0]["text"] == "Before."
    assert data["citation"].startswith("“Remarks”")


def test_format_speakers():
    rows = (SpeakerCount(GUTERRES, 14, 3), SpeakerCount("Vladimir Voronkov", 8, 3))
    assert output.format_speakers(rows, as_json=False).splitlines() == [
        "speaker            passages  documents",
        f"{GUTERRES}         14          3",
        "Vladimir Voronkov         8          3",
    ]
    data = json.loads(output.format_speakers(rows, as_json=True))
    assert data == {
        "speakers": [
            {"name": GUTERRES, "passages": 14, "documents": 3},
            {"name": "Vladimir Voronkov", "passages": 8, "documents": 3},
        ]
    }
    assert output.format_speakers((), as_json=False) == "No speakers in the index."


def test_format_stats():
    stats = IndexStats(
        documents=5,
        passages=37,
        speakers=2,
        conferences=("A", "B"),
        date_range=("2018-06-29", "2023-06-20"),
        doc_types={"speech": 1},
        index_size=2048,
        built="2026-01-01T00:00:00Z",
        schema_version=1,
        corpus="/c",
        index_dir="index",
    )
    data = json.loads(output.format_stats(stats, as_json=True))
    assert data["documents"] == 5 and data["date_range"] == ["2018-06-29", "2023-06-20"]
    text = output.format_stats(stats, as_json=False)
    assert "documents:    5" in text and "index size:   2.0 kB in index" in text
    assert "conferences:  A\n              B" in text


def test_search_json_and_text_say_when_the_total_is_a_lower_bound():
    import json

    from ctsearch.models import SearchResult
    from ctsearch.output import format_search, search_summary

    r = SearchResult(query="q", total=12, page=1, hits=(), total_exact=False, facets_exact=False)
    data = json.loads(format_search(r, as_json=True))
    assert data["total"] == 12 and data["total_exact"] is False and data["facets_exact"] is False
    assert search_summary(r, limit=10).startswith("at least 12 passages match")
    exact = SearchResult(query="q", total=12, page=1, hits=())
    assert json.loads(format_search(exact, as_json=True))["total_exact"] is True
    assert search_summary(exact, limit=10).startswith("12 passages match")
