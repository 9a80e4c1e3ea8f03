"""Readers against a writer (issue 15): `ctsearch search` processes and in-process searches
(facets, highlights, stats) run while another process commits updates, merges and a rebuild.

Bounded to about 30 s. Every search must succeed and give a total the writer committed. The
same harness runs longer by hand: `python benchmarks/stress_readers.py --seconds 60`.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # benchmarks/ is a folder of scripts beside the package
    sys.path.insert(0, str(REPO))

stress_readers = importlib.import_module("benchmarks.stress_readers")


def test_searches_never_fail_while_the_index_is_updated_merged_and_rebuilt(tmp_path):
    from ctsearch.searching import session as opened

    try:
        summary = stress_readers.stress(tmp_path, seconds=25, rebuild_every=4)
    finally:
        opened.close_all()
    writer = summary["writer"]
    # The writer did what readers must survive: updates, merges (files removed) and a rebuild.
    assert not writer["failures"], writer
    assert {"small update", "batch update", "rebuild"} <= set(writer["actions"]), writer
    assert writer["index_files_removed"] > 0 and writer["generations"] >= 2, writer
    for kind in ("cli_search", "api_search", "api_stats"):
        tally = summary[kind]
        assert tally["runs"] > 0, kind
        assert tally["failed"] == 0, (kind, tally["failures"])
    for kind in ("cli_search", "api_search"):
        # Every answer is a committed state: its total is one the writer recorded.
        assert summary[kind]["uncommitted_totals"] == {}, (kind, summary[kind])
    assert summary["ok"]
