"""`ctsearch export`: every passage a query matches (or the whole index), with every metadata
field, as CSV, JSON Lines or OpenSearch/Elasticsearch bulk NDJSON — and the index mapping for
those engines (`opensearch_mapping`).

Streaming: the matching passages are listed as docnums (4 bytes each), then read and written
one at a time in index order (document by document, passages in order), so memory stays flat
however many passages are exported. Matches are exactly those of `search` (matching.py).

What was verified here: the three formats, by tests (CSV and JSONL read back to the same
passages as `search --json` pages; every bulk line is JSON with the action/document pairing
of the bulk API; the mapping is JSON with the analyzers and fields the documents use). What was
not: loading them into a live OpenSearch or Elasticsearch cluster.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ctsearch.errors import QueryError

FORMATS = ("csv", "jsonl", "opensearch")
# Every field of a passage, in the order of the CSV columns and JSON keys.
FIELDS = (
    "passage_id", "doc_id", "ordinal", "title", "doc_type", "date", "year", "place",
    "conference", "speakers", "mentions", "text", "source", "url", "start", "end",
)  # fmt: skip
LIST_SEPARATOR = "; "  # between names in a CSV cell
PROGRESS_EVERY = 1000  # passages between progress reports
DEFAULT_INDEX_NAME = "ctsearch"

Progress = Callable[[int, int], None]
Warn = Callable[[str], None]


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    passages: int
    fmt: str
    query: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"passages": self.passages, "format": self.fmt, "query": self.query}


def export(
    query: str | None,
    *,
    fmt: str = "jsonl",
    out: TextIO,
    index_dir: str | Path = "index",
    corpus: str | Path | None = None,
    warn: Warn | None = None,
    excel: bool = False,
    index_name: str = DEFAULT_INDEX_NAME,
    progress: Progress | None = None,
    **filters: Any,
) -> ExportReport:
    """Write the passages matching `query` and the filters (None or "": all) to `out`."""
    from ctsearch.searching.matching import all_matches, opened_query

    if fmt not in FORMATS:
        raise QueryError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    query = query if query and query.strip() else None
    write = _writer(fmt, out, excel=excel, index_name=index_name)
    done = 0
    with opened_query(query, index_dir=index_dir, corpus=corpus, warn=warn, **filters) as prep:
        searcher = prep.searcher
        docnums = all_matches(searcher, prep.final, prep.remember)
        total = len(docnums)
        if progress:
            progress(0, total)
        for docnum in docnums:
            write(record(searcher.stored_fields(docnum)))
            done += 1
            if progress and (done % PROGRESS_EVERY == 0 or done == total):
                progress(done, total)
    out.flush()
    return ExportReport(passages=done, fmt=fmt, query=query)


def record(fields: dict[str, Any]) -> dict[str, Any]:
    """A passage's stored fields as the exported record (the keys of FIELDS, in order)."""
    year = fields.get("year")
    return {
        "passage_id": fields.get("passage_id", ""),
        "doc_id": fields.get("doc_id", ""),
        "ordinal": int(fields.get("ordinal") or 0),
        "title": fields.get("title") or "",
        "doc_type": fields.get("doc_type") or "",
        "date": fields.get("date_text") or None,
        "year": int(year) if year else None,
        "place": fields.get("place"),
        "conference": fields.get("conference_name"),
        "speakers": list(fields.get("speaker_list") or ()),
        "mentions": list(fields.get("mention_list") or ()),
        "text": fields.get("text") or "",
        "source": fields.get("source") or "",
        "url": fields.get("url"),
        "start": int(fields.get("start") or 0),
        "end": int(fields.get("end") or 0),
    }


def _writer(fmt: str, out: TextIO, *, excel: bool, index_name: str) -> Callable[[dict], None]:
    if fmt == "csv":
        import csv

        if excel:
            out.write("\ufeff")  # Excel reads UTF-8 only with a byte order mark
        w = csv.writer(out)
        w.writerow(FIELDS)

        def write_csv(rec: dict) -> None:
            w.writerow(
                [
                    LIST_SEPARATOR.join(v) if isinstance(v, list) else ("" if v is None else v)
                    for v in rec.values()
                ]
            )

        return write_csv
    if fmt == "jsonl":
        return lambda rec: out.write(json.dumps(rec, ensure_ascii=False) + "\n")

    def write_bulk(rec: dict) -> None:
        action = {"index": {"_index": index_name, "_id": rec["passage_id"]}}
        out.write(json.dumps(action, ensure_ascii=False) + "\n")
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")

    return write_bulk


def read_csv_row(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row read back (csv.DictReader) as the record it was written from."""
    out: dict[str, Any] = {}
    for key in FIELDS:
        value = row.get(key, "")
        if key in ("speakers", "mentions"):
            out[key] = value.split(LIST_SEPARATOR) if value else []
        elif key in ("ordinal", "start", "end"):
            out[key] = int(value or 0)
        elif key == "year":
            out[key] = int(value) if value else None
        elif key in ("date", "place", "conference", "url"):
            out[key] = value or None
        else:
            out[key] = value
    return out


# -- OpenSearch / Elasticsearch mapping -------------------------------------------------------


def opensearch_mapping(synonyms: list[str] | None = None) -> dict[str, Any]:
    """An index body (settings + mappings) for OpenSearch or Elasticsearch whose analyzers
    mirror ours as closely as those engines allow:

    - words split at whitespace and punctuation, hyphens included, with the closed form of a
      hyphenated word kept too ("counter-terrorism" → counter, terrorism, counterterrorism:
      word_delimiter_graph with catenate_words), possessive 's dropped;
    - lowercase and accents folded (asciifolding), curly apostrophes as straight ones;
    - no stop words removed;
    - `text` and `title` stemmed with Snowball English (Porter2, our stemmer); `text.exact` the
      surface words, for phrases;
    - `synonyms` (Solr format, "a, b, c" per line: our vocabulary) applied at search time, as
      synonym_graph must be (flatten_graph makes the index-time word graph storable).

    Not reproduced: the `pairs` field (a speed device: phrase queries do the same there),
    our passage ranking boosts (BM25 is those engines' default too).
    """
    char_filter = {
        "ctsearch_apostrophes": {"type": "mapping", "mappings": ["\u2019 => '", "\u02bc => '"]}
    }
    filters: dict[str, Any] = {
        "ctsearch_compounds": {
            "type": "word_delimiter_graph",
            "generate_word_parts": True,
            "generate_number_parts": True,
            "catenate_words": True,
            "split_on_case_change": False,
            "split_on_numerics": False,
            "preserve_original": False,
            "stem_english_possessive": True,
        },
        "ctsearch_stemmer": {"type": "snowball", "language": "English"},
    }
    base = ["ctsearch_compounds", "lowercase", "asciifolding"]
    analyzers: dict[str, Any] = {
        "ctsearch_exact": _analyzer(base + ["flatten_graph"]),
        "ctsearch_stemmed": _analyzer(base + ["ctsearch_stemmer", "flatten_graph"]),
        "ctsearch_exact_search": _analyzer(base),
        "ctsearch_stemmed_search": _analyzer(base + ["ctsearch_stemmer"]),
    }
    if synonyms:
        filters["ctsearch_vocabulary"] = {
            "type": "synonym_graph",
            "synonyms": list(synonyms),
            "lenient": True,
        }
        for name in ("ctsearch_exact_search", "ctsearch_stemmed_search"):
            analyzers[name]["filter"] = (
                base + ["ctsearch_vocabulary"] + (["ctsearch_stemmer"] if "stemmed" in name else [])
            )
    for a in analyzers.values():
        a["char_filter"] = ["ctsearch_apostrophes"]
    stemmed = {
        "type": "text",
        "analyzer": "ctsearch_stemmed",
        "search_analyzer": "ctsearch_stemmed_search",
    }
    exact = {
        "type": "text",
        "analyzer": "ctsearch_exact",
        "search_analyzer": "ctsearch_exact_search",
    }
    keyword = {"type": "keyword"}
    properties = {
        "passage_id": keyword,
        "doc_id": keyword,
        "ordinal": {"type": "integer"},
        "title": {**stemmed, "fields": {"exact": exact}},
        "doc_type": keyword,
        "date": {"type": "date", "format": "strict_date"},
        "year": {"type": "integer"},
        "place": keyword,
        "conference": keyword,
        "speakers": keyword,
        "mentions": keyword,
        "text": {**stemmed, "fields": {"exact": exact}},
        "source": keyword,
        "url": keyword,
        "start": {"type": "integer", "index": False},
        "end": {"type": "integer", "index": False},
    }
    return {
        "settings": {
            "analysis": {"char_filter": char_filter, "filter": filters, "analyzer": analyzers}
        },
        "mappings": {"dynamic": "strict", "properties": properties},
    }


def _analyzer(filters: list[str]) -> dict[str, Any]:
    return {"type": "custom", "tokenizer": "whitespace", "filter": list(filters)}
