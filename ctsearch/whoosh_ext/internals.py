"""Reading what whoosh-reloaded keeps private: field-length columns and posting blocks.

- `preload_lengths`: BM25 reads the field length of every document it scores; through
  Whoosh's column reader that is a seek and a read in the segment file each time, which
  dominated query time. Whoosh looks the column reader up in a segment's private
  `_perdoc._readers` first, so the bytes placed there are used instead.
- `length_bytes` reads those bytes back (the impact lists of `searching/topn/impact.py`).
- `term_postings`: a term's postings a whole block at a time (ids and weights arrays).

Each falls back to the public API (or does nothing) when `whoosh_ext.SUPPORTED` is False.
"""

from __future__ import annotations

import contextlib

from ctsearch import whoosh_ext

__all__ = ["length_bytes", "preload_lengths", "term_postings"]


def preload_lengths(searcher) -> None:
    """Read each segment's field-length columns into memory (one byte per passage and field).

    BM25 reads the field length of every document it scores; through Whoosh's column reader
    that is a seek and a read in the (compound) segment file each time, which dominated query
    time. Whoosh looks the column reader up in `_readers` first, so a bytes object (indexable
    by docnum, giving the same byte) placed there is used instead. Guarded: on any other
    reader layout nothing is changed and Whoosh reads from disk as before.
    """
    if not whoosh_ext.SUPPORTED:
        return
    from whoosh.codec.whoosh3 import _lenfield

    for sub in _segment_readers(searcher.reader()):
        perdoc = getattr(sub, "_perdoc", None)
        readers = getattr(perdoc, "_readers", None)
        if not isinstance(readers, dict) or not hasattr(perdoc, "_get_column_file"):
            continue
        doccount = perdoc.doc_count_all()
        for field, ftype in sub.schema.items():
            if not ftype.scorable:
                continue
            lenfield = _lenfield(field)
            with contextlib.suppress(Exception):
                if lenfield in readers or not perdoc.has_column(lenfield):
                    continue
                colfile, offset, length = perdoc._get_column_file(lenfield)
                try:
                    # One byte per document; Whoosh omits trailing zeros (they read as 0).
                    colfile.seek(offset)
                    raw = colfile.read(min(length, doccount))
                finally:
                    colfile.close()
                readers[lenfield] = raw + bytes(max(0, doccount - len(raw)))


def _segment_readers(reader) -> list:
    if reader.is_atomic():
        return [reader]
    return [r for r, _ in reader.leaf_readers()]


def length_bytes(reader, field: str) -> bytes | None:
    """The field-length byte of every document of a segment reader, when `preload_lengths`
    placed them in memory (None otherwise, or with another Whoosh)."""
    if not whoosh_ext.SUPPORTED:
        return None
    from whoosh.codec.whoosh3 import _lenfield

    lenfield = _lenfield(field)
    readers = getattr(getattr(reader, "_perdoc", None), "_readers", None)
    raw = readers.get(lenfield) if isinstance(readers, dict) else None
    return raw if isinstance(raw, bytes) else None


def term_postings(reader, field: str, btext: bytes) -> tuple[list[int], list[float]]:
    """All (docnum, weight) of a term in one segment, deleted passages left out."""
    m = reader.postings(field, btext)
    deleted = reader.deleted_docs_set if reader.has_deletions() else None
    leaf = m
    while not hasattr(leaf, "_read_ids") and hasattr(leaf, "child"):
        leaf = leaf.child
    ids: list[int] = []
    weights: list[float] = []
    if whoosh_ext.SUPPORTED and hasattr(leaf, "_read_ids") and hasattr(leaf, "_next_block"):
        # Whole blocks at a time (Whoosh's W3 postings): ids and weights arrays per block.
        while not leaf._atend:
            leaf._read_ids()
            leaf._read_weights()
            ids.extend(leaf._ids)
            weights.extend(leaf._weights)
            leaf._next_block()
    else:  # another Whoosh or codec: the public matcher API
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
    if deleted:
        kept = [(d, w) for d, w in zip(ids, weights, strict=True) if d not in deleted]
        ids = [d for d, _ in kept]
        weights = [w for _, w in kept]
    return ids, weights
