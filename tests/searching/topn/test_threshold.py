"""topk.py (impact lists + Threshold Algorithm) gives exactly the hits, order, scores and
counts of Whoosh's own collector, on one segment and on several with deletions."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ctsearch.searching import search as engine
from ctsearch.searching import session as opened
from ctsearch.searching.search import search

QUERIES = [
    ("drones", {}),
    ("terrorism", {}),
    ("victims of terrorism", {}),
    ("foreign terrorist fighters", {}),
    ("capacity building assistance", {}),
    ("human rights", {}),
    ('"human rights"', {}),
    ('"rule of law"', {}),
    ('"all of society"', {}),
    ("all-of-society approach", {}),
    ("counter-terrorism", {}),
    ("cyber-attacks", {}),
    ('"foreign terrorist"~2', {}),
    ("drones OR ransom", {}),
    ("terrorism AND victims", {}),
    ("terror*", {}),
    ("terorism~", {}),
    ("the of", {}),
    ("terrorism", {"limit": 3, "page": 2}),
    ("terrorism", {"limit": 50}),
    ("victims", {"speakers": ["guterres"]}),
    ('"rule of law"', {"speakers": ["António Guterres"]}),
    ("victims", {"date_from": "2015", "date_to": "2023-06"}),
    ("cooperation", {"year": 2021}),
    ("terrorism financing", {"facets": True}),
    ('"human rights"', {"facets": True}),
]


def _run(index_dir: Path, fast: bool, monkeypatch) -> dict:
    monkeypatch.setattr(engine, "TOP_LISTS", fast)
    # Whoosh's shortcuts make its counts lower bounds: compare with its exact path.
    monkeypatch.setattr(engine, "QUALITY_SHORTCUTS", False)
    out = {}
    for q, opts in QUERIES:
        r = search(q, index_dir=index_dir, **opts)
        out[(q, str(opts))] = (
            [(h.passage_id, h.score, h.highlight) for h in r.hits],
            r.total if r.total_exact else None,
            r.facets,
        )
    return out


def _same(fast: dict, slow: dict) -> None:
    for key, (hits, total, facets) in slow.items():
        f_hits, f_total, f_facets = fast[key]
        assert f_hits == hits, key
        if f_total is not None:  # an exact count must be the exact count
            assert f_total == total, key
        assert f_facets == facets, key


def test_same_results_as_whoosh_on_one_segment(real_index, monkeypatch):
    _same(_run(real_index, True, monkeypatch), _run(real_index, False, monkeypatch))


def test_same_results_on_several_segments_with_deletions(corpus_copy, tmp_path, monkeypatch):
    from ctsearch.index.sync import sync_index

    index_dir = tmp_path / "index"
    sync_index(corpus_copy, index_dir, rebuild=True)
    # Changing a file and adding one commits new segments and deletes the old passages.
    first = sorted(corpus_copy.glob("*.txt"))[0]
    text = first.read_text(encoding="utf-8", errors="replace")
    first.unlink()
    (corpus_copy / "changed.txt").write_text(text.replace("terrorism", "terror"), "utf-8")
    shutil.copy(sorted(corpus_copy.glob("*.txt"))[1], corpus_copy / "copy.txt")
    sync_index(corpus_copy, index_dir)
    _same(_run(index_dir, True, monkeypatch), _run(index_dir, False, monkeypatch))
    opened.close_all()


def test_exact_counts_on_a_small_index(real_index, monkeypatch):
    monkeypatch.setattr(engine, "QUALITY_SHORTCUTS", False)
    for q in ("terrorism", "victims of terrorism", '"rule of law"', "drones"):
        monkeypatch.setattr(engine, "TOP_LISTS", True)
        fast = search(q, index_dir=real_index)
        monkeypatch.setattr(engine, "TOP_LISTS", False)
        slow = search(q, index_dir=real_index)
        assert fast.total_exact and fast.total == slow.total, q


def test_a_tiny_list_cache_still_answers_right(real_index, monkeypatch):
    from ctsearch.searching.topn import impact

    expected = _run(real_index, True, monkeypatch)
    opened.close_all()
    monkeypatch.setattr(impact.ListCache.__init__, "__defaults__", (10,))
    _same(_run(real_index, True, monkeypatch), expected)
    opened.close_all()


def _top(index_dir: Path, query: str):
    """What the Threshold Algorithm answers for `query` (None: it leaves it to Whoosh)."""
    from ctsearch.index.store import open_index
    from ctsearch.searching import query as ql
    from ctsearch.searching.compiler import Compiler
    from ctsearch.searching.filters import SpeakerResolver
    from ctsearch.searching.topn import threshold as topk

    with opened.searching(index_dir, lambda: open_index(index_dir)) as entry:
        reader = entry.searcher.reader()
        q = Compiler(reader, SpeakerResolver(reader, None)).compile(ql.parse(query))
        return topk.top(entry.searcher, q, 10, topk.ListCache())


@pytest.mark.parametrize("query", ["drones", '"rule of law"', "victims of terrorism", "terror*"])
def test_word_and_phrase_queries_take_the_fast_path(real_index, query):
    """The comparisons above would pass if the fast path never ran: it must answer these."""
    assert _top(real_index, query) is not None


@pytest.mark.parametrize("query", ["NOT terrorism", "speaker:guterres victims", "year:2021"])
def test_other_queries_fall_back_to_whoosh(real_index, query):
    assert _top(real_index, query) is None
    assert search(query, index_dir=real_index).total > 0


def test_same_results_on_random_word_queries(real_index, monkeypatch):
    """Bags of 2-5 words and 2-3 word phrases drawn from the passages themselves (seeded),
    with limits that land inside score ties: the bounds of the Threshold Algorithm must never
    stop it early."""
    import random

    from ctsearch.index.schema import words
    from ctsearch.index.store import open_index

    with open_index(real_index).searcher() as s:
        texts = [f["text"] for f in s.all_stored_fields()]
    rng = random.Random(6)
    queries = []
    for _ in range(40):
        ws = [w for w, _, _, _ in words(rng.choice(texts))]
        if len(ws) < 6:
            continue
        k = rng.randint(2, 5)
        start = rng.randrange(len(ws) - k)
        bag = rng.sample(ws, k)
        queries.append((" ".join(bag), {"limit": rng.choice([1, 3, 10, 25])}))
        n = rng.randint(2, 3)
        queries.append(('"' + " ".join(ws[start : start + n]) + '"', {"limit": 5}))
    monkeypatch.setattr(engine, "QUALITY_SHORTCUTS", False)
    for q, opts in queries:
        monkeypatch.setattr(engine, "TOP_LISTS", True)
        fast = search(q, index_dir=real_index, **opts)
        monkeypatch.setattr(engine, "TOP_LISTS", False)
        slow = search(q, index_dir=real_index, **opts)
        assert [(h.passage_id, h.score) for h in fast.hits] == [
            (h.passage_id, h.score) for h in slow.hits
        ], q
        if fast.total_exact:
            assert fast.total == slow.total, q


@pytest.mark.parametrize(
    "query", ['"rule of law"', '"the United Nations" OR drones', '"human rights and" victims']
)
def test_a_sample_of_the_matches_is_the_matches_at_every_kth_passage(real_index, query):
    from ctsearch.index.store import open_index
    from ctsearch.searching import query as ql
    from ctsearch.searching.compiler import Compiler
    from ctsearch.searching.filters import SpeakerResolver
    from ctsearch.searching.topn import threshold as topk

    with opened.searching(real_index, lambda: open_index(real_index)) as entry:
        searcher = entry.searcher
        q = Compiler(searcher.reader(), SpeakerResolver(searcher.reader(), None)).compile(
            ql.parse(query)
        )
        every = set(searcher.docs_for_query(q))  # Whoosh, checking every position
        whole, k = topk.sample_of_matches(searcher, q, topk.ListCache())
        assert k == 1 and whole == every  # few candidates: all of them are checked
        sample, k = topk.sample_of_matches(searcher, q, topk.ListCache(), checks=1)
        assert k > 1
        assert sample == {d for d in every if d % k == 0}
