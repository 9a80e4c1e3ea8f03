"""whoosh_ext's version check: with another whoosh-reloaded, one warning, then Whoosh's own
writer and plain Whoosh search, with the same results."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ctsearch import whoosh_ext
from ctsearch.index.store import index_info
from ctsearch.index.sync import sync_index
from ctsearch.searching import session
from ctsearch.searching.search import search

QUERIES = ["drones", '"foreign terrorist fighters"', "victims NOT rights", "counter*"]


def test_the_pinned_version_is_the_one_installed():
    assert whoosh_ext.installed_version()[:3] == whoosh_ext.WRITTEN_FOR
    assert whoosh_ext.SUPPORTED


def results(index_dir):
    session.close_all()  # a fresh searcher: nothing kept from the other mode
    out = []
    for q in QUERIES:
        r = search(q, index_dir=index_dir, limit=20, facets=True)
        out.append((r.total, [(h.passage_id, round(h.score, 4)) for h in r.hits], r.facets))
    return out


def test_without_the_private_parts_builds_and_searches_give_the_same_results(
    tmp_path, corpus_copy, monkeypatch
):
    sync_index(corpus_copy, tmp_path / "ours")
    ours = results(tmp_path / "ours")
    monkeypatch.setattr(whoosh_ext, "SUPPORTED", False)
    report = sync_index(corpus_copy, tmp_path / "plain")
    assert report.passages == index_info(tmp_path / "ours").marker["passages"]
    assert results(tmp_path / "plain") == ours  # Whoosh's writer, plain search
    assert results(tmp_path / "ours") == ours  # our index read without the private parts
    (corpus_copy / "new.txt").write_text("A new statement on drones and victims.\n")
    assert sync_index(corpus_copy, tmp_path / "plain").added == 1  # an update, plain writer
    session.close_all()


@pytest.mark.parametrize("version", ["(2, 7, 4)", "(2, 8, 0)"])
def test_another_version_is_announced_once(version):
    code = (
        "import whoosh\n"
        f"whoosh.__version__ = {version}\n"
        "import ctsearch.whoosh_ext as ext, ctsearch.index.schema, ctsearch.searching.search\n"
        "import ctsearch.whoosh_ext.segwriter, ctsearch.whoosh_ext.internals\n"
        "assert not ext.SUPPORTED\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("warning: whoosh-reloaded 2."), r.stderr
    assert "using Whoosh's own writer and plain search" in lines[0]
