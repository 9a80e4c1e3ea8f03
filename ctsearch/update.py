"""Incremental commits into the active generation of the index: delete, add, merge.

Whoosh lives here as in index.py (reading, building) and schema.py. The caller holds the
IndexLock (index.write_lock). Whoosh's commit is atomic against a kill at any moment: new
segment files under fresh names, then the table of contents renamed into place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import CorpusError
from .index import LIMIT_MB, Progress, open_index, passage_fields
from .models import Document

# A segment whose deleted passages reach this share of it is rewritten at the next commit:
# deletions make every query on the segment filter them out (+40% p50 measured in issue 4),
# but rewriting a big segment for every small update would cost seconds each time.
DELETED_MERGE_RATIO = 0.10


@dataclass(frozen=True)
class UpdateCounts:
    """What one incremental commit did."""

    documents_added: int  # documents written (with at least one passage)
    passages_added: int
    documents_deleted: int  # documents that had passages in the index and lost them
    passages_deleted: int
    passages_total: int  # live passages in the index after the commit
    merged_segments: int


def apply_update(
    index_dir: Path,
    documents: Iterable[Document] = (),
    *,
    delete: Iterable[str] = (),
    total: int = 0,
    progress: Progress | None = None,
    allow_empty: bool = True,
) -> UpdateCounts:
    """One commit into the active generation: delete by doc_id, add, merge. Caller holds the lock.

    One writer process (procs=1): starting workers costs more than a small update. The commit
    merges only small segments and those with many deletions (`merge_policy`), so adding a
    document never rewrites the big segments. With `allow_empty=False` an update that would
    leave no passage at all is cancelled with CorpusError.
    """
    ix = open_index(index_dir)
    writer = ix.writer(limitmb=LIMIT_MB)
    before = ix.doc_count()
    docs_added = passages_added = docs_deleted = passages_deleted = done = 0
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
            done += 1
            if doc.doc_id not in deleted:
                deleted.add(doc.doc_id)
                n = writer.delete_by_term("doc_id", doc.doc_id)
                docs_deleted += n > 0
                passages_deleted += n
            docs_added += bool(doc.passages)
            for passage in doc.passages:
                writer.add_document(**passage_fields(doc, passage))
                passages_added += 1
            if progress is not None:
                progress(done, max(total, done))
        after = before - passages_deleted + passages_added
        if after <= 0 and not allow_empty:
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
    )


def merge_policy(writer, segments, merged: list[int] | None = None):
    """Whoosh merge policy: rewrite segments with many deletions, then merge small ones.

    Whoosh's default (MERGE_SMALL) leaves a big segment with deletions as it is forever, and
    a fully deleted segment is still opened by every search. Here a segment whose deleted
    share reaches DELETED_MERGE_RATIO is copied without its deleted passages; everything else
    follows MERGE_SMALL, which never touches the big segments. Never a full optimize.
    """
    from whoosh.reading import SegmentReader
    from whoosh.writing import MERGE_SMALL

    keep, heavy = [], []
    for seg in segments:
        total = seg.doc_count_all()
        if total and seg.deleted_count() / total >= DELETED_MERGE_RATIO:
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
