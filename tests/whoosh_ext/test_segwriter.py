"""The tuned Whoosh segment writer (segwriter.py): the bytes Whoosh's own writer writes."""

from __future__ import annotations

import pytest

from ctsearch.index import build
from ctsearch.index.store import create_index
from ctsearch.whoosh_ext import segwriter


@pytest.mark.parametrize(
    "spill, open_runs",
    [(None, 128), (5_000, 128), (5_000, 3)],
    ids=["in-memory", "spilled-runs", "runs-merged-in-batches"],
)
def test_the_writer_writes_what_whoosh_writes(tmp_path, monkeypatch, spill, open_runs):
    """The overrides change speed only: the same files as Whoosh's own SegmentWriter, also
    when the postings spill to sorted runs on disk (a tiny pool limit forces many runs)."""
    from conftest import sample_documents
    from whoosh.writing import SegmentWriter

    monkeypatch.setattr(segwriter, "MAX_OPEN_RUNS", open_runs)

    def files(make_writer, name: str) -> dict[str, bytes]:
        ix = create_index(tmp_path / name)
        writer = make_writer(ix)
        if spill:
            writer.pool.limit = spill
        for doc in sample_documents():
            build.add_passages(writer, doc)
        if spill:
            assert len(writer.pool.runs) > 10
        writer.commit()
        (segment,) = ix._segments()
        prefix = f"MAIN_{segment.segment_id().split('_', 1)[1]}"
        folder = tmp_path / name
        return {
            p.name.replace(prefix, ""): p.read_bytes()
            for p in folder.iterdir()
            if p.name.startswith(prefix)
        }

    ours = files(segwriter.segment_writer, "ours")
    theirs = files(lambda ix: SegmentWriter(ix, compound=segwriter.COMPOUND), "theirs")
    assert ours.keys() == theirs.keys() and ours == theirs


def test_position_files_know_their_position(tmp_path):
    ix = create_index(tmp_path / "ix")
    segwriter.segment_writer(ix).cancel()
    f = ix.storage.create_file("probe")
    f.write(b"abc")
    f.write_int(7)
    f.write_pickle({"a": 1})
    f.write_varint(300)
    assert f.tell() == f.file.tell()
    f.seek(1)
    assert f.tell() == 1
    f.raw_file().write(b"zz")
    assert f.tell() == f.file.tell() == 3
    f.close()
