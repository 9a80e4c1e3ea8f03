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
    counted = []
    real = engine.ctsearch.speakers

    def counting(**kwargs):
        counted.append(1)
        return real(**kwargs)

    monkeypatch.setattr(engine.ctsearch, "speakers", counting)
    e = engine.Engine(sample_index, None)
    assert e.recent_census() is None  # the first page does not wait for a census
    first = e.census()
    assert e.census() is first and e.speakers() is first[0]
    assert e.recent_census() is first
    assert len(counted) <= 2  # the background count and the one asked for may overlap once
