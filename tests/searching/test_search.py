"""The search library on the hand-made sample index: ranking, query language, filters,
highlighting, facets, suggestions, show."""

from __future__ import annotations

import pytest
from conftest import FIRST, GUTERRES, SECOND, VORONKOV

from ctsearch.errors import IndexMissingError, QueryError, UnknownSpeakerError
from ctsearch.searching.search import search as run


@pytest.fixture(scope="module")
def s(sample_index):
    def do(query, **kw):
        return run(query, index_dir=sample_index, **kw)

    return do


def ids(result) -> list[str]:
    return [h.passage_id for h in result.hits]


# -- words, ranking ------------------------------------------------------------------------


def test_a_word_matches_its_stem(s):
    r = s("drones")
    assert set(ids(r)) == {"speech-a:0", "press-b:2", "statement-d:1"}  # drones, drone
    assert r.total == 3 and r.page == 1


def test_all_words_rank_above_some_but_most_still_appear(s):
    r = s("drones private sector")
    assert ids(r)[0] == "statement-d:1"  # the only passage with all three words
    assert {"speech-a:0", "press-b:2"} <= set(ids(r))  # "drones" alone still appears


def test_very_common_or_absent_words_do_not_qualify_a_passage_alone(real_index):
    drones = run("drones", index_dir=real_index).total
    assert run("of drones", index_dir=real_index).total == drones  # "of" is in most passages
    assert run("the of", index_dir=real_index).total > 20  # only common words: all count
    # A typo next to a common word: the common word still finds passages.
    assert (
        run("terrorism zzqqx", index_dir=real_index).total
        == run("terrorism", index_dir=real_index).total
    )


def test_adjacent_query_words_found_side_by_side_rank_first(s):
    r = s("safe haven")
    assert ids(r) == ["press-b:1"]


def test_stop_words_are_searchable(s):
    assert ids(s('"US will not"')) == ["speech-a:2"]
    assert ids(s('"may not"')) == ["speech-a:3"]
    assert s("us").total >= 1  # "US" and "us" are the same word


@pytest.mark.parametrize(
    "query, expected",
    [
        ('"all of society"', {"press-b:0", "speech-a:1"}),  # spaced and hyphenated forms
        ('"all-of-society"', {"press-b:0", "speech-a:1"}),
        ("all-of-society", {"press-b:0", "speech-a:1"}),
        ("counter-terrorism", {"speech-a:2", "press-b:0", "web-c:0"}),
        ("counterterrorism", {"speech-a:2", "web-c:0"}),  # closed form of "Counter-Terrorism"
        ('"cyber attacks"', {"speech-a:0", "statement-d:1"}),
        ("cyber-attacks", {"speech-a:0", "statement-d:1"}),
    ],
)
def test_hyphenated_words_match_spaced_and_closed_forms(s, query, expected):
    assert expected <= set(ids(s(query, limit=20)))


def test_counterterrorism_matches_hyphenated_text_only_via_the_closed_form(s):
    # "counter terrorism" (spaced, press-b:0) is two words, not the closed form.
    assert "press-b:0" not in ids(s('"counterterrorism"'))


def test_phrases_are_exact_on_surface_words(s):
    assert ids(s('"foreign terrorist fighters"')) == ["speech-a:1"]
    assert ids(s('"terrorist fighters"')) == ["speech-a:1"]
    assert s('"foreign terrorists"').total == 0  # statement-d:0 has the words, not the phrase
    assert s('"drone"').total == 1  # not "drones"


def test_proximity(s):
    assert s('"rule law"').total == 0
    assert ids(s('"rule law"~1')) == ["speech-a:2"]
    assert ids(s('"fighters terrorists"~4')) == ["statement-d:0"]  # 4 words between
    assert s('"fighters terrorists"~3').total == 0
    assert s('"terrorists fighters"~9').total == 0  # in order


def test_boolean_operators(s):
    assert set(ids(s("drones AND civilians"))) == {"press-b:2"}
    assert set(ids(s("haven OR pandemic"))) == {"press-b:1", "web-c:0"}
    assert set(ids(s("drones NOT civilians"))) == {"speech-a:0", "statement-d:1"}
    assert set(ids(s("(haven OR pandemic) AND terrorist"))) == {"press-b:1"}
    assert "speech-a:2" not in ids(s("NOT law", limit=50))
    assert s("NOT law", limit=50).total == 11


def test_prefix_and_fuzzy(s):
    assert {"press-b:1", "speech-a:1"} <= set(ids(s("terrorist*", limit=20)))
    assert ids(s("pandemc~")) == ["web-c:0"]
    assert ids(s("pandemc~1")) == ["web-c:0"]
    assert s("zzqq*").total == 0


def test_field_values_in_the_query(s):
    assert set(ids(s("drones speaker:guterres"))) == {"speech-a:0"}
    assert set(ids(s("drones type:statement"))) == {"statement-d:1"}
    assert set(ids(s("drones year:2021"))) == {"press-b:2"}
    assert set(ids(s("victims conference:second"))) == {"web-c:1"}
    assert set(ids(s("title:week"))) == {"press-b:0", "press-b:1", "press-b:2"}
    assert set(ids(s('speaker:"vladimir voronkov" drones'))) == {"press-b:2", "statement-d:1"}
    assert set(ids(s("drones year:2018-2021", limit=20))) == {"speech-a:0", "press-b:2"}


# -- filters -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["guterres", "Antonio Guterres", "ANTÓNIO GUTERRES", GUTERRES])
def test_speaker_filter_is_case_accent_and_alias_insensitive(s, name):
    r = s("drones", speakers=[name])
    assert ids(r) == ["speech-a:0"]
    assert r.filters["speakers"] == [GUTERRES]


def test_several_speakers_mean_any_of_them(s):
    assert s("drones", speakers=["guterres", "voronkov"]).total == 3


def test_unknown_speaker_lists_the_closest_names(s):
    with pytest.raises(UnknownSpeakerError) as err:
        s("drones", speakers=["gutteres"])
    assert "unknown speaker 'gutteres'" in str(err.value) and GUTERRES in str(err.value)


def test_people_file_aliases_resolve(s):
    # "the Secretary-General" is an office held by Guterres in the built-in people data.
    assert ids(s("drones", speakers=["UNSG"])) == ["speech-a:0"]


def test_conference_filter_matches_words_of_the_name(s):
    assert set(ids(s("drones", conference="2021"))) == {"press-b:2"}
    assert set(ids(s("drones", conference="2nd"))) == {"press-b:2"}
    assert set(ids(s("drones", conference="first high-level"))) == {"speech-a:0"}
    assert s("drones", conference="fifth").total == 0


def test_type_and_year_filters(s):
    assert set(ids(s("drones", doc_type="press release"))) == {"press-b:2"}
    assert set(ids(s("drones", year=2023))) == {"statement-d:1"}
    with pytest.raises(QueryError, match="unknown document type"):
        s("drones", doc_type="tweet")
    with pytest.raises(QueryError, match="not a year"):
        s("drones", year="21")


@pytest.mark.parametrize(
    "date_from, date_to, expected",
    [
        ("2021", None, {"press-b:2", "statement-d:1"}),
        ("2021-07", None, {"statement-d:1"}),
        (None, "2021-06-29", {"speech-a:0"}),
        ("2021-06-30", "2021-06-30", {"press-b:2"}),
        ("2018-06-29", "2018-06-29", {"speech-a:0"}),
    ],
)
def test_date_range(s, date_from, date_to, expected):
    assert set(ids(s("drones", date_from=date_from, date_to=date_to))) == expected


def test_a_document_known_only_by_its_year_matches_ranges_touching_that_year(s):
    assert ids(s("pandemic", date_from="2021-01-01", date_to="2021-12-31")) == ["web-c:0"]
    assert ids(s("pandemic", date_from="2021-06")) == ["web-c:0"]
    assert s("pandemic", date_to="2020-12-31").total == 0
    assert s("pandemic", date_from="2022").total == 0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"date_from": "2021-13-45"}, "--from '2021-13-45' is not a valid date"),
        ({"date_to": "June 2021"}, "--to 'June 2021' is not a valid date"),
        ({"date_from": "2022", "date_to": "2021"}, "is after"),
        ({"limit": 0}, "--limit must be at least 1"),
        ({"page": -1}, "--page must be at least 1"),
        ({"sort": "size"}, "--sort must be one of"),
    ],
)
def test_option_errors(s, kwargs, message):
    with pytest.raises(QueryError) as err:
        s("drones", **kwargs)
    assert message in str(err.value)


# -- paging, sorting -----------------------------------------------------------------------


def test_limit_and_pages(s):
    everything = ids(s("drones", limit=10))
    page1, page2 = s("drones", limit=2), s("drones", limit=2, page=2)
    assert ids(page1) + ids(page2) == everything
    assert [h.rank for h in page2.hits] == [3] and page2.total == 3
    assert s("drones", limit=2, page=99).hits == ()


def test_total_is_exact_whatever_the_limit(s):
    # Title-only matches score low; Whoosh's top-N shortcuts must not drop them from the count.
    everything = s("terrorism", limit=50)
    assert s("terrorism", limit=1).total == everything.total == len(everything.hits)
    assert s("terrorism", limit=1, sort="date").total == everything.total


def test_sort_by_date_newest_first(s):
    r = s("drones", sort="date")
    assert ids(r) == ["statement-d:1", "press-b:2", "speech-a:0"]


# -- hits, highlights, facets, suggestions -------------------------------------------------


def test_hit_carries_what_is_needed_to_cite_it(s):
    hit = s('"foreign terrorist fighters"').hits[0]
    assert (hit.doc_id, hit.ordinal, hit.doc_type, hit.date, hit.year) == (
        "speech-a",
        1,
        "speech",
        "2018-06-29",
        2018,
    )
    assert (hit.conference, hit.speakers, hit.source) == (FIRST, (GUTERRES,), "corpus/speech-a.txt")
    assert hit.title == "Closing remarks on counter-terrorism" and hit.score > 0
    assert hit.highlight == (
        "We must bring **foreign terrorist fighters** to justice and adopt an "
        "all-of-society approach."
    )


@pytest.mark.parametrize(
    "query, highlight",
    [
        ("drones chemical", "the use of **drones** for **chemical** attacks."),
        ("all-of-society", "adopt an **all-of-society** approach."),
        ("cyber-attacks", "researching **cyber-attacks** and"),
        ('"counterterrorism"', "**Counterterrorism** efforts"),
        ("respect NOT drones", "must **respect** the rule"),
        ("financ*", "**Financing** of terrorism"),
    ],
)
def test_highlights_mark_the_words_as_written(s, query, highlight):
    assert any(highlight in h.highlight for h in s(query).hits)


def test_negated_words_are_not_highlighted(s):
    hit = s("justice NOT drones").hits[0]
    assert "**" not in hit.highlight.replace("**justice**", "")


def test_facets_count_all_matching_passages(s):
    r = s("drones", facets=True, limit=1)
    assert r.facets == {
        "speaker": {VORONKOV: 2, GUTERRES: 1},
        "conference": {
            FIRST: 1,
            SECOND: 1,
            "Third United Nations High-Level Conference on Counter-Terrorism (2023)": 1,
        },
        "year": {"2018": 1, "2021": 1, "2023": 1},
        "type": {"press_release": 1, "speech": 1, "statement": 1},
    }
    assert s("drones").facets is None


def test_zero_hits_suggest_a_spelling_from_the_index(s):
    r = s("terorism")
    assert r.total == 0 and r.suggestion == "terrorism"
    assert s("pandemic").suggestion is None


def test_zero_hits_name_the_filters_that_excluded_everything(s):
    r = s("pandemic", speakers=["guterres"], doc_type="web_page")
    assert r.total == 0 and r.excluded_by == ("--speaker 'António Guterres'",)
    r = s("pandemic", year=2018, doc_type="speech")
    assert r.excluded_by == ("--type speech", "--year 2018")
    assert s("zzzz", year=2018).excluded_by == ()  # the query alone matches nothing


def test_bad_query_and_nothing_to_search(s):
    with pytest.raises(QueryError, match="unbalanced quote"):
        s('"drones')
    with pytest.raises(QueryError, match="no words"):
        s("— & —")


def test_missing_index_without_corpus_is_an_error(tmp_path):
    with pytest.raises(IndexMissingError, match="ctsearch index"):
        run("drones", index_dir=tmp_path / "index")


def test_missing_index_is_built_from_the_corpus_with_a_notice(tmp_path, corpus_copy):
    notices: list[str] = []
    r = run("drones", index_dir=tmp_path / "index", corpus=corpus_copy, warn=notices.append)
    assert r.total >= 1 and any("building it" in n for n in notices)


def test_facet_values_fall_back_to_stored_fields_on_a_short_column(sample_index):
    # Whoosh 2.7.5's multi-process writer can leave a column shorter than its segment.
    from ctsearch.index.store import open_index
    from ctsearch.searching.facets import _facet_values

    with open_index(sample_index).reader() as reader:
        whole = _facet_values(reader)

        class Short:
            def __getattr__(self, name):
                return getattr(reader, name)

            def column_reader(self, name):
                return list(reader.column_reader(name))[:-1]

        assert _facet_values(Short()) == whole
