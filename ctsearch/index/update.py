"""Incremental commits into the active generation of the index: delete, add, merge.

`sync.py` is the only caller: it decides what changed. The caller holds the IndexLock
(store.write_lock). Whoosh's commit is atomic against a kill at any moment: new
segment files under fresh names, then the table of contents renamed into place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ctsearch.errors import CorpusError
from ctsearch.index.schema import add_passages
from ctsearch.index.store import open_index
from ctsearch.models import Document
from ctsearch.whoosh_ext.segwriter import segment_writer

# When to rewrite a segment to drop its deleted passages (deletions cost every query on the
# segment, and Whoosh's default policy never removes them from a big segment). Rewriting costs
# about as much as indexing the segment afresh (an update of 30 documents that rewrote a
# 4,754-passage segment took 192 s on a loaded 2-core machine, against 6 s for 3 documents
# without a rewrite), so an update does it only where it pays: a small segment with
# DELETED_MERGE_RATIO deleted, or any segment that is mostly deleted. Big segments with a few
# deletions are left for `ctsearch index --rebuild`.
DELETED_MERGE_RATIO = 0.10
SMALL_SEGMENT = 1_000  # passages
MOSTLY_DELETED = 0.5


@dataclass(frozen=True)
class UpdateCounts:
    """What one incremental commit did."""

    documents_added: int  # documents written (with at least one passage)
    passages_added: int
    documents_deleted: int  # documents that had passages in the index and lost them
    passages_deleted: int
    passages_total: int  # live passages in the index after the commit
    merged_segments: int
    toc: int = -1  # the Whoosh TOC generation this commit wrote (the marker records it)


def commit_changes(
    index_dir: Path,
    documents: Iterable[Document] = (),
    *,
    delete: Iterable[str] = (),
) -> UpdateCounts:
    """One commit into the active generation: delete by doc_id, add, merge. Caller holds the lock.

    One writer process (procs=1): starting workers costs more than a small update. The commit
    merges only small segments and those with many deletions (`merge_policy`), so adding a
    document never rewrites the big segments. An update that would
    leave no passage at all is cancelled with CorpusError (the index is kept as it was).
    """
    ix = open_index(index_dir, write=True)
    writer = segment_writer(ix)
    before = ix.doc_count()
    docs_added = passages_added = docs_deleted = passages_deleted = 0
    try:
        deleted: set[str] = set()
        for doc_id in delete:
            if doc_id in deleted:
                continue
            deleted.add(doc_id)
            n = writer.delete_by_term("doc_id", doc_id)
            docs_deleted += n > 0
            passages_deleted += n
        for doc in documents:
            if doc.doc_id not in deleted:
                deleted.add(doc.doc_id)
                n = writer.delete_by_term("doc_id", doc.doc_id)
                docs_deleted += n > 0
                passages_deleted += n
            docs_added += bool(doc.passages)
            passages_added += add_passages(writer, doc)
        after = before - passages_deleted + passages_added
        if after <= 0:
            raise CorpusError(
                f"nothing in the corpus could be indexed any more; the index in {index_dir} "
                "is kept as it was"
            )
    except BaseException:
        writer.cancel()
        raise
    merged: list[int] = []
    writer.commit(mergetype=lambda w, segments: merge_policy(w, segments, merged))
    return UpdateCounts(
        documents_added=docs_added,
        passages_added=passages_added,
        documents_deleted=docs_deleted,
        passages_deleted=passages_deleted,
        passages_total=after,
        merged_segments=sum(merged),
        toc=writer.generation,
    )


def merge_policy(writer, segments, merged: list[int] | None = None):
    """Whoosh merge policy: rewrite segments with many deletions, then merge small ones.

    Whoosh's default (MERGE_SMALL) leaves a big segment with deletions as it is forever, and
    a fully deleted segment is still opened by every search. Here a small segment whose
    deleted share reaches DELETED_MERGE_RATIO, or any mostly deleted one, is copied without its
    deleted passages; everything else follows MERGE_SMALL, which never touches the big
    segments. Never a full optimize.
    """
    from whoosh.reading import SegmentReader
    from whoosh.writing import MERGE_SMALL

    keep, heavy = [], []
    for seg in segments:
        total = seg.doc_count_all()
        if seg.deleted_count() >= total:
            # Nothing live (a replaced document's own segment, typically): leave it out of the
            # new TOC, which deletes its files. add_reader would read all its postings only
            # to skip every one of them (0.9 s for a 33-passage segment, measured).
            continue
        share = seg.deleted_count() / total
        if share >= MOSTLY_DELETED or (share >= DELETED_MERGE_RATIO and total <= SMALL_SEGMENT):
            heavy.append(seg)
        else:
            keep.append(seg)
    for seg in heavy:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    remaining = MERGE_SMALL(writer, keep)
    if merged is not None:
        merged.append(len(segments) - len(remaining))
    return remaining
