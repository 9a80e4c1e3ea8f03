"""matching.py: the query and filters shared by search and the research views (that the views
stay off the search path is tests/whoosh_ext/test_imports.py's FORBIDDEN)."""

from __future__ import annotations

import pytest

from ctsearch import search
from ctsearch.errors import QueryError
from ctsearch.searching.matching import all_matches, make_filters, opened_query


def test_opened_query_matches_what_search_counts(real_index):
    for query in ("victims", '"rule of law"', "terrorism NOT victims", "counter*"):
        with opened_query(query, index_dir=real_index) as prep:
            found = all_matches(prep.searcher, prep.final, prep.remember)
        assert len(found) == search(query, index_dir=real_index).total


def test_no_query_is_every_passage(real_index):
    from ctsearch import stats

    with opened_query(None, index_dir=real_index, year=2018) as prep:
        found = all_matches(prep.searcher, prep.final, prep.remember)
        assert prep.describe() == {"year": 2018}
    assert 0 < len(found) < stats(index_dir=real_index).passages


def test_unknown_filter_is_an_error():
    with pytest.raises(QueryError, match="unknown filter 'speaker'"):
        make_filters({"speaker": "guterres"})


@pytest.mark.parametrize("command", ["quote", "trend", "kwic", "export"])
def test_each_view_has_help_with_an_example(command):
    from click.testing import CliRunner

    from ctsearch.cli import cli

    r = CliRunner().invoke(cli, [command, "--help"])
    assert r.exit_code == 0
    assert "Example" in r.stdout and f"ctsearch {command} " in r.stdout
    for option in ("--speaker", "--conference", "--type", "--year", "--from", "--to", "--index"):
        assert option in r.stdout


def test_matches_whoosh_found_are_remembered_and_bounded(real_index):
    from ctsearch.searching.matching import REMEMBERED_MATCHES

    queries = [f"terrorism NOT {w}" for w in ("victims", "drones", "law", "rights")]
    queries += [f"counter* NOT w{i}" for i in range(REMEMBERED_MATCHES + 2)]
    for query in queries:
        with opened_query(query, index_dir=real_index) as prep:
            first = all_matches(prep.searcher, prep.final, prep.remember)
            again = all_matches(prep.searcher, prep.final, prep.remember)
            assert first == again == sorted(prep.searcher.docs_for_query(prep.final))
            assert len(first) == search(query, index_dir=real_index).total
            recent = prep.remember("recent-matches", dict)
            assert 0 < len(recent) <= REMEMBERED_MATCHES
