"""`show`: a passage in context, with its citation line."""

from __future__ import annotations

import pytest
from conftest import FIRST

from ctsearch.errors import QueryError
from ctsearch.searching.search import search as run
from ctsearch.searching.show import show


def test_show_with_context(sample_index):
    ctx = show("speech-a:1", index_dir=sample_index, context=1)
    assert ctx.passage.passage_id == "speech-a:1"
    assert [h.passage_id for h in ctx.before] == ["speech-a:0"]
    assert [h.passage_id for h in ctx.after] == ["speech-a:2"]
    assert ctx.citation == (
        "“Closing remarks on counter-terrorism”. New York, 2018-06-29. "
        f"{FIRST}. source: corpus/speech-a.txt. passage speech-a:1"
    )
    edge = show("speech-a:0", index_dir=sample_index, context=5)
    assert edge.before == () and len(edge.after) == 3


def test_show_unknown_passage(sample_index):
    with pytest.raises(QueryError, match="no passage 'nope:1'"):
        show("nope:1", index_dir=sample_index)
    with pytest.raises(QueryError, match="--context"):
        show("speech-a:1", index_dir=sample_index, context=-1)


def test_big_result_sets_may_report_a_lower_bound_total(real_index, monkeypatch):
    import ctsearch.searching.search as searcher

    exact = run("terrorism", index_dir=real_index, limit=3)
    assert exact.total_exact and exact.total > 3
    monkeypatch.setattr(searcher, "EXACT_UPTO", 0)  # as if the index were big
    quick = run("terrorism", index_dir=real_index, limit=3)
    assert [h.passage_id for h in quick.hits] == [h.passage_id for h in exact.hits]
    assert 3 <= quick.total <= exact.total
    assert quick.total == exact.total if quick.total_exact else quick.total < exact.total + 1
    # Fewer matches than the page asks for: nothing can be skipped, the count is exact.
    few = run("terrorism", index_dir=real_index, limit=exact.total + 5)
    assert few.total_exact and few.total == exact.total


def test_facets_on_a_sample_are_scaled_and_flagged(real_index, monkeypatch):
    from ctsearch.searching import facets

    full = run("terrorism", index_dir=real_index, facets=True)
    assert full.facets_exact
    monkeypatch.setattr(facets, "FACET_SAMPLE", 2)
    sampled = run("terrorism", index_dir=real_index, facets=True)
    assert not sampled.facets_exact
    assert set(sampled.facets) == set(full.facets)
    total_years = sum(sampled.facets["year"].values())
    assert abs(total_years - sum(full.facets["year"].values())) <= full.total // 2 + 1


def test_facets_of_a_phrase_with_many_candidates_are_a_scaled_sample(real_index, monkeypatch):
    from ctsearch.searching.topn import threshold

    full = run('"rule of law"', index_dir=real_index, facets=True)
    assert full.facets_exact
    monkeypatch.setattr(threshold, "SAMPLE_CHECKS", 2)
    sampled = run('"rule of law"', index_dir=real_index, facets=True)
    assert not sampled.facets_exact
    assert [h.passage_id for h in sampled.hits] == [h.passage_id for h in full.hits]
    for key, counts in sampled.facets.items():
        assert set(counts) <= set(full.facets[key])  # only values that really match
