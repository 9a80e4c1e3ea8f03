"""matchers.py: filters as a Restricted wrapper, and a FilterMatcher that stays correct under
Whoosh's block-quality shortcuts."""

from __future__ import annotations

from whoosh import query as wq
from whoosh.collectors import TopCollector

from ctsearch.index.schema import stem
from ctsearch.index.store import open_index
from ctsearch.searching.matchers import CheckedPhrase, Restricted


def _top(searcher, q, quality: bool):
    c = TopCollector(limit=10, usequality=quality, replace=10 if quality else 0)
    searcher.search_with_collector(q, c)
    return [(round(s, 6), d) for s, d in c.results().top_n]


def test_restricted_matches_the_filtered_docs_only_and_adds_no_score(real_index):
    with open_index(real_index).searcher() as s:
        word = wq.Or([wq.Term("text", stem("terrorism")), wq.Term("title", stem("terrorism"))])
        year = wq.NumericRange("year", 2000, 2100)
        memo: dict = {}

        def remember(key, compute):
            return memo[key] if key in memo else memo.setdefault(key, compute())

        got = dict((d, sc) for sc, d in _top(s, Restricted(word, [year], remember), True))
        allowed = set(s.docs_for_query(year))
        plain = dict((d, sc) for sc, d in _top(s, word, False))
        assert got and set(got) <= allowed
        for d, sc in got.items():
            if d in plain:
                assert sc == plain[d]  # the filter adds nothing to the score
        assert memo  # the allowed passages were remembered
        assert set(s.docs_for_query(Restricted(word, [year]))) == (
            set(s.docs_for_query(word)) & allowed
        )


def test_checked_phrase_is_exact_with_and_without_quality_shortcuts(real_index):
    with open_index(real_index).searcher() as s:
        seq = ("rule", "of", "law")
        pairs = wq.And([wq.Term("pairs", "rule of"), wq.Term("pairs", "of law")])
        q = CheckedPhrase(pairs, "exact", seq, 1)
        assert _top(s, q, True) == _top(s, q, False)
        docs = set(s.docs_for_query(q))
        assert docs
        for d in docs:
            assert "rule of law" in " ".join(s.stored_fields(d)["text"].lower().split())
