"""The server's library calls: retried when a writer's commit fails a read, never otherwise."""

from __future__ import annotations

import pytest

from ctsearch.errors import QueryError
from ctsearch.web import engine


def test_a_read_failing_under_a_commit_is_asked_again(monkeypatch):
    monkeypatch.setattr(engine, "RETRY_DELAY", 0.0)
    calls = []

    def flaky(x, *, y):
        calls.append((x, y))
        if len(calls) < engine.READ_ATTEMPTS:
            raise TypeError("'NoneType' object is not subscriptable")  # a file gone under it
        return x + y

    assert engine.retried(flaky, 1, y=2) == 3
    assert len(calls) == engine.READ_ATTEMPTS


def test_library_errors_are_answers_and_a_lasting_failure_is_raised(monkeypatch):
    monkeypatch.setattr(engine, "RETRY_DELAY", 0.0)
    calls = []

    def bad_query():
        calls.append(1)
        raise QueryError("nothing to search for")

    with pytest.raises(QueryError):
        engine.retried(bad_query)
    assert len(calls) == 1

    def broken():
        calls.append(2)
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError):
        engine.retried(broken)
    assert calls.count(2) == engine.READ_ATTEMPTS


def test_the_census_is_counted_once_per_state_of_the_index(sample_index, monkeypatch):
    from ctsearch.index import stats

    counted = []
    real = stats.census

    def counting(index_dir):
        counted.append(1)
        return real(index_dir)

    monkeypatch.setattr(stats, "census", counting)
    e = engine.Engine(sample_index, None)
    assert e.recent_census() is None  # the first page does not wait for a census
    first = e.census()
    assert e.census() is first and e.speakers() is first[0]
    assert e.recent_census() is first
    assert 1 <= len(counted) <= 2  # the background count and the one asked for may overlap once


# -- answers kept for requests asked again ---------------------------------------------------


def _counting_search(monkeypatch) -> list[str]:
    import ctsearch.searching.search as searching

    asked: list[str] = []
    real = searching.search

    def counting(query, **kwargs):
        asked.append(query)
        return real(query, **kwargs)

    monkeypatch.setattr(searching, "search", counting)
    return asked


def test_a_search_asked_again_is_answered_from_the_kept_answers(corpus_copy, tmp_path, monkeypatch):
    from ctsearch.index.sync import sync_index

    sync_index(corpus_copy, tmp_path / "index")
    asked = _counting_search(monkeypatch)
    e = engine.Engine(tmp_path / "index", corpus_copy)
    first = e.search("terrorism", speakers=["Guterres"], facets=True)
    again = e.search("terrorism", speakers=("Guterres",), facets=True)
    assert again is first and asked == ["terrorism"]
    e.search("terrorism", facets=True)  # another filter: another answer
    e.search("terrorism", speakers=["Guterres"], facets=True, page=2)
    assert len(asked) == 3 and len(e.answers) == 3


def test_a_commit_or_a_vocabulary_change_makes_kept_answers_stale(
    corpus_copy, tmp_path, monkeypatch
):
    from conftest import write_doc

    from ctsearch.index.sync import sync_index

    index_dir = tmp_path / "index"
    sync_index(corpus_copy, index_dir)
    asked = _counting_search(monkeypatch)
    e = engine.Engine(index_dir, corpus_copy)
    before = e.search("zyxwvut")
    assert before.total == 0
    new = write_doc(corpus_copy, "new-statement", seed=3)
    text = new.read_text(encoding="utf-8") + "\nThe zyxwvut initiative.\n"
    new.write_text(text, encoding="utf-8")
    sync_index(corpus_copy, index_dir)
    after = e.search("zyxwvut")
    assert after.total == 1 and len(asked) == 2  # the commit changed the index's state
    (corpus_copy / "vocabulary.toml").write_text(
        '[[name]]\ncanonical = "zyxwvut"\nexpansions = ["qqqzz"]\n', encoding="utf-8"
    )
    e.search("zyxwvut")
    assert len(asked) == 3  # the vocabulary read at query time changed


def test_no_answers_are_kept_with_a_cache_of_zero(sample_index, monkeypatch):
    asked = _counting_search(monkeypatch)
    e = engine.Engine(sample_index, None, keep=0)
    e.search("drones")
    e.search("drones")
    assert asked == ["drones", "drones"] and len(e.answers) == 0


def test_the_kept_answers_are_the_most_recently_used():
    kept = engine.Answers(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # a is now the most recent
    kept.put("c", 3)
    assert kept.get("b") is None and kept.get("a") == 1 and kept.get("c") == 3


def test_the_cli_default_is_the_engines():
    from ctsearch.cli import serve

    (option,) = [p for p in serve.params if p.name == "keep"]
    assert option.default == engine.ANSWERS_KEPT


def test_a_request_reads_the_state_of_the_index_once(sample_index, monkeypatch):
    """A page not kept yet: its key, its answers and the census it lists are of one state of
    the index (read once, not once for each)."""
    from starlette.testclient import TestClient

    from ctsearch.web import create_app

    read = []
    real = engine._stamp
    monkeypatch.setattr(engine, "_stamp", lambda index_dir: read.append(1) or real(index_dir))
    with TestClient(create_app(sample_index, None)) as c:
        assert c.get("/api/stats").status_code == 200  # the census the form lists, counted
        for path in ("/?q=terrorism", "/trend?q=terrorism", "/quote?q=we+condemn+terrorism"):
            read.clear()
            assert c.get(path).status_code == 200
            assert len(read) == 1, path
