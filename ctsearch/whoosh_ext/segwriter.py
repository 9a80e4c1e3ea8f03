"""A Whoosh segment writer that writes the same bytes as Whoosh's own, faster.

Whoosh's `SegmentWriter` is pure Python and spends most of an index build on bookkeeping
around each posting (~250 postings a passage). The overrides here keep its file format and
its output byte for byte (`tests/whoosh_ext/test_segwriter.py` compares the files with Whoosh's own
writer's, in memory and with spilled runs) and only remove work, each measured on a build:

- `_Lengths`: `_flush_segment` asks for the field length of every posting through two layers
  of column and file objects (2.6 µs a posting); the lengths are read once per field instead.
- `Pool`: postings are grouped by term as they arrive, so that a segment's flush sorts its
  distinct terms (tens of thousands) instead of every posting (hundreds of thousands: a sort
  of 5-tuples was an eighth of a build). Spilled runs are written in the same sorted order,
  RUN_CHUNK postings per marshal call instead of one pickle call per posting.
- `_PositionFile`: `tell()` on a buffered file is a system call in CPython; the postings
  writer calls it three times per term (an eighth of a build). Files a writer creates keep
  their position themselves.

Whoosh is imported on first use (the search path never imports this module). With another
whoosh-reloaded version (`whoosh_ext.SUPPORTED` False) `segment_writer` is Whoosh's own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ctsearch import whoosh_ext

LIMIT_MB = 128  # memory per writer before it spills a sorted run of postings to disk
RUN_CHUNK = 10_000  # postings per read/write call of a spilled run
MAX_OPEN_RUNS = 128  # spilled runs merged at once (each is an open file)
# Segment files kept separate instead of copied into one compound file: a build saves the copy
# and a search reads columns and postings with plain file reads (compound.py's sub-file reads
# showed up in query profiles).
COMPOUND = False
# Bytes counted per posting held in memory, as whoosh.writing.PostingPool counts them (a
# tuple, its field name, term, number, weight and value), so `limitmb` means what it did.
_POSTING_BYTES = 28 + 4 * 5 + 21 + 26 + 18 + 16 + 21


def segment_writer(ix, *, lock: bool = True, limitmb: int = LIMIT_MB):
    """A Whoosh writer with our options. `lock=False` for a worker: the parent (and our
    IndexLock) owns the index. With another Whoosh version: Whoosh's own writer."""
    if not whoosh_ext.SUPPORTED:
        return ix.writer(_lk=lock, limitmb=limitmb)
    writer_class, storage_class = _classes()
    if type(ix.storage) is not storage_class:
        ix.storage = storage_class.wrap(ix.storage)
    return writer_class(ix, _lk=lock, limitmb=limitmb, compound=COMPOUND)


def finish_segment(writer):
    """Write out the segment `writer` holds without committing it (as whoosh.multiproc's
    SubWriterTask does); the segment object, for `commit_segments`."""
    return writer._finalize_segment()


def abandon_segment(writer) -> None:
    """Close `writer`'s segment unlisted: the next commit's clean-up deletes its files."""
    writer._close_segment()


def commit_segments(ix, segments: list) -> None:
    """One table of contents listing `segments` (as MpWriter's multisegment commit does);
    Whoosh deletes every file of the folder that no listed segment owns."""
    writer = segment_writer(ix)
    try:
        writer._close_segment()  # this writer's own (empty) segment is never listed
        writer._commit_toc(segments)
    finally:
        writer._finish()  # releases Whoosh's lock, removes the shared temp folder


_CLASSES: tuple[Any, Any] | None = None


def _classes():
    """(Writer, Storage): Whoosh's SegmentWriter and FileStorage with our overrides, made on
    first use because Whoosh loads lazily."""
    global _CLASSES
    if _CLASSES is None:
        _CLASSES = (_make_writer_class(), _make_storage_class())
    return _CLASSES


def _make_writer_class():
    import marshal

    from whoosh.writing import PostingPool, SegmentWriter

    class Pool(PostingPool):
        """Postings grouped by (field, term), each group in arrival order: document order,
        since a writer numbers documents as they come (merged segments included).

        A spilled run holds groups too, in term order, and runs are spilled in document order,
        so merging runs is a merge of their terms (a term's groups are concatenated in run
        order), not of every posting: at 100,000 passages a build spills several runs, and a
        merge posting by posting took a third of it.
        """

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.groups: dict[tuple[str, bytes], list] = {}
            self.unordered = False  # a term's postings arrived out of document order

        def add(self, item) -> None:
            fieldname, tbytes, docnum, weight, vbytes = item
            key = (fieldname, tbytes)
            postings = self.groups.get(key)
            if postings is None:
                self.groups[key] = postings = []
                self.fieldnames.add(fieldname)
            elif docnum < postings[-1][0]:
                self.unordered = True  # never seen, but the sort below then makes it right
            postings.append((docnum, weight, vbytes))
            size = _POSTING_BYTES + len(fieldname) + 2 * len(tbytes)
            self.currentsize += size + len(vbytes) if vbytes else size
            if self.currentsize > self.limit:
                self.save()

        def _sorted_groups(self):
            """(field, term, postings) of the postings in memory, in term order."""
            groups = self.groups
            for key in sorted(groups):
                postings = groups[key]
                if self.unordered:
                    postings.sort()
                yield key[0], key[1], postings

        def save(self) -> None:
            if self.groups:
                path, f = self._new_run()
                self._write_run(f, self._sorted_groups())
                self._add_run(path)
                self.groups = {}
                self.unordered = False
            self.currentsize = 0

        def iter_groups(self):
            """(field, term, postings) of every posting of the pool, in term order."""
            if not self.runs:
                return self._sorted_groups()
            self.save()
            while len(self.runs) > MAX_OPEN_RUNS:  # merge neighbours: document order stays
                runs, self.runs = self.runs, []
                for k in range(0, len(runs), MAX_OPEN_RUNS):
                    batch = runs[k : k + MAX_OPEN_RUNS]
                    if len(batch) == 1:
                        self.runs.extend(batch)
                        continue
                    path, f = self._new_run()
                    self._write_run(f, self._merged(batch))
                    self.runs.append(path)
            runs, self.runs = self.runs, []
            return self._merged(runs)

        def _merged(self, runs: list[str]):
            """The groups of `runs` (in document order) merged: one group per term."""
            from heapq import merge

            tagged = [_tag(self._read_run(path), n) for n, path in enumerate(runs)]
            key = None
            acc: list = []
            unordered = False
            for k, _, postings in merge(*tagged):
                if k != key:
                    if key is not None:
                        yield key[0], key[1], sorted(acc) if unordered else acc
                    key, acc, unordered = k, list(postings), False
                else:
                    # Runs are spilled in document order, so this never happens; if it did,
                    # sorting the term's postings would still make it right.
                    unordered = unordered or postings[0][0] < acc[-1][0]
                    acc.extend(postings)
            if key is not None:
                yield key[0], key[1], sorted(acc) if unordered else acc

        def items(self, maxfiles: int = 128):  # MAX_OPEN_RUNS decides, not maxfiles
            for fieldname, tbytes, postings in self.iter_groups():
                for docnum, weight, vbytes in postings:
                    yield fieldname, tbytes, docnum, weight, vbytes

        def _write_run(self, f, groups) -> None:
            chunk: list = []
            held = 0
            for group in groups:
                chunk.append(group)
                held += len(group[2])
                if held >= RUN_CHUNK:
                    marshal.dump(chunk, f)
                    chunk, held = [], 0
            if chunk:
                marshal.dump(chunk, f)
            f.close()

        def _read_run(self, path):
            f = self._open_run(path)
            try:
                while True:
                    try:
                        chunk = marshal.load(f)
                    except EOFError:
                        return
                    yield from chunk
            finally:
                f.close()
                self._remove_run(path)

    class Writer(SegmentWriter):
        def __init__(self, ix, **kwargs) -> None:
            super().__init__(ix, **kwargs)
            old = self.pool
            self.pool = Pool(old.tempstore, old.segment, limitmb=old.limit >> 20)

        def _flush_segment(self) -> None:  # as SegmentWriter._flush_segment, but _Lengths
            self.perdocwriter.close()
            pdr = self.per_document_reader() if self.codec.length_stats else None
            lengths = _Lengths(pdr) if pdr is not None else None
            _add_postings(self.fieldwriter, self.schema, lengths, self.pool.iter_groups())
            self.fieldwriter.close()
            if pdr is not None:
                pdr.close()

    return Writer


def _tag(groups, n: int):
    """((field, term), n, postings) for each group of run number `n`: heap order is term
    order, then run order, and the postings are never compared."""
    for field, term, postings in groups:
        yield (field, term), n, postings


def _add_postings(fieldwriter, schema, lengths, groups) -> None:
    """As whoosh.codec.base.FieldWriter.add_postings, a term's postings a block at a time.

    Whoosh's loop makes several method calls per posting (add, add_posting, the length
    lookup) to fill each block of the postings writer one posting at a time. Here each block
    of up to `blocklimit` postings is set on the writer in one go, with the same statistics
    add_posting() keeps, and written by Whoosh's own _write_block() / finish_term(): the
    same bytes.
    """
    from array import array

    lastfn = None
    postwriter = None
    column = None
    limit = 0
    for fieldname, btext, postings in groups:
        if fieldname != lastfn:
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfn = fieldname
            postwriter = fieldwriter._postwriter
            limit = postwriter._blocklimit
            column = lengths.column(fieldname) if lengths is not None else None
        fieldwriter.start_term(btext)
        for start in range(0, len(postings), limit):
            if start:
                postwriter._write_block()  # the previous block was full
            block = postings[start : start + limit]
            ids = [p[0] for p in block]
            weights = [p[1] for p in block]
            postwriter._ids = array("I", ids)
            postwriter._weights = array("f", weights)
            postwriter._values = [p[2] for p in block if p[2]]
            top = max(weights)
            postwriter._maxweight = top if top > 0 else 0
            if column is None:
                postwriter._minlength, postwriter._maxlength = None, 0
            else:
                found = [n for n in map(column, ids) if n]
                postwriter._minlength = min(found) if found else None
                postwriter._maxlength = max(found) if found else 0
        fieldwriter.finish_term()
    if lastfn is not None:
        fieldwriter.finish_field()


def _make_storage_class():
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.structfile import StructFile

    class PositionFile(StructFile):
        """A file being written that knows its position without asking the system.

        Every write through this object moves the position; anything that may write around
        it (pickle.dump or array.tofile on the raw file, seek, truncate) makes it ask the
        file once more.
        """

        def __init__(self, fileobj, **kwargs) -> None:
            super().__init__(fileobj, **kwargs)
            self._pos: int | None = fileobj.tell()

        def write(self, data, *args, **kwargs):
            n = self.file.write(data, *args, **kwargs)
            if self._pos is not None:
                self._pos += n
            return n

        def tell(self, *args, **kwargs):
            if self._pos is None or args or kwargs:
                return self.file.tell(*args, **kwargs)
            return self._pos

        def _resync(self) -> None:
            self._pos = self.file.tell()

        def seek(self, *args, **kwargs):
            result = self.file.seek(*args, **kwargs)
            self._resync()
            return result

        def truncate(self, *args, **kwargs):
            result = self.file.truncate(*args, **kwargs)
            self._resync()
            return result

        def write_pickle(self, *args, **kwargs):
            super().write_pickle(*args, **kwargs)
            self._resync()

        def write_array(self, *args, **kwargs):
            super().write_array(*args, **kwargs)
            self._resync()

        def raw_file(self):
            self._pos = None  # whoever holds the raw file may write to it: ask from now on
            return self.file

    class Storage(FileStorage):
        """FileStorage whose new files are PositionFiles."""

        @classmethod
        def wrap(cls, storage: FileStorage) -> Storage:
            new = cls.__new__(cls)
            new.__dict__.update(storage.__dict__)
            return new

        def create_file(self, name, excl=False, mode="wb", **kwargs):
            f = super().create_file(name, excl=excl, mode=mode, **kwargs)
            if mode != "wb":
                return f
            return PositionFile(f.file, name=f._name, onclose=f.onclose)

    return Storage


class _Lengths:
    """A segment's field lengths, each field's column decoded once; answers
    doc_field_length exactly as whoosh.codec.whoosh3.W3PerDocReader does."""

    def __init__(self, pdr) -> None:
        self._pdr = pdr
        self._fields: dict[str, list | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0):
        try:
            column = self._fields[fieldname]
        except KeyError:
            column = self._fields[fieldname] = self._load(fieldname)
        if column is None:
            return default
        return column[docnum] if docnum < len(column) else None

    def column(self, fieldname: str) -> Callable[[int], int | None]:
        """doc_field_length(docnum, fieldname) as a function of docnum alone."""
        if fieldname not in self._fields:
            self._fields[fieldname] = self._load(fieldname)
        lengths = self._fields[fieldname]
        if lengths is None:
            return lambda docnum: 0
        size = len(lengths)
        return lambda docnum: lengths[docnum] if docnum < size else None

    def _load(self, fieldname: str) -> list | None:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
        from whoosh.util.numeric import byte_to_length

        reader = self._pdr._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if reader is None:
            return None
        decoded = [byte_to_length(b) if b else None for b in range(256)]
        return [decoded[b] for b in reader.load()]
