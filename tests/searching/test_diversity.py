"""A page of results spread over documents (diversity.py), and paging that stays consistent."""

from __future__ import annotations

from conftest import index_documents, make_document

from ctsearch.searching.diversity import SAME_DOC_DECAY, spread
from ctsearch.searching.search import search


def test_a_document_s_next_passages_count_for_less():
    ranked = [(10.0, 1), (9.0, 2), (8.0, 3), (7.5, 4)]
    doc = {1: "a", 2: "a", 3: "a", 4: "b"}.get
    out, certain = spread(ranked, doc, 4, complete=True)
    assert [d for _, d in out] == [1, 4, 2, 3]  # 9 * 0.7 = 6.3 < 7.5
    assert [s for s, _ in out] == [10.0, 7.5, 9.0, 8.0]  # original scores are kept
    assert certain


def test_a_much_better_passage_still_comes_first():
    ranked = [(10.0, 1), (9.5, 2), (1.0, 3)]
    doc = {1: "a", 2: "a", 3: "b"}.get
    out, _ = spread(ranked, doc, 3, complete=True)
    assert [d for _, d in out] == [1, 2, 3]
    assert 9.5 * SAME_DOC_DECAY > 1.0


def test_uncertain_when_a_left_out_match_could_enter():
    ranked = [(10.0, 1), (9.0, 2), (8.9, 3)]  # more matches exist, each scoring <= 8.9
    doc = {1: "a", 2: "a", 3: "a"}.get
    _, certain = spread(ranked, doc, 2, complete=False)
    assert not certain  # 9.0 * 0.7 = 6.3 < 8.9: an unseen passage of another document may win
    _, certain = spread(ranked, doc, 1, complete=False)
    assert certain


def test_pages_stay_consistent_and_the_first_page_shows_more_documents(tmp_path):
    docs = [
        make_document(
            f"long{i}",
            [(f"One mention of sanctions among many other words {k}.", ()) for k in range(6)],
        )
        for i in range(3)
    ]
    docs += [
        make_document(f"short{i}", [(f"One mention of sanctions among many other words {i}.", ())])
        for i in range(8)
    ]
    index_documents(tmp_path / "corpus", tmp_path / "index", docs)
    (tmp_path / "corpus").mkdir(exist_ok=True)

    def page(n: int, limit: int = 5):
        return search("sanctions", index_dir=tmp_path / "index", limit=limit, page=n).hits

    first = page(1)
    assert len({h.doc_id for h in first}) == 5
    every = [h.passage_id for n in range(1, 7) for h in page(n)]
    assert len(every) == len(set(every)) == 26
    assert every == [h.passage_id for h in page(1, limit=26)]
