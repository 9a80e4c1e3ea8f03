"""`ctsearch export`: CSV and JSONL read back to the passages of `search --json` (all pages
together), bulk NDJSON pairs, the mapping, streaming and the CLI."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from ctsearch import export, opensearch_mapping, search
from ctsearch.cli import cli
from ctsearch.errors import QueryError
from ctsearch.searching.exports import FIELDS, read_csv_row


def _search_pages(index, query, **filters) -> dict[str, dict]:
    """Every hit of `search --json`, page after page, by passage id."""
    out: dict[str, dict] = {}
    page = 1
    while True:
        args = ["search", query, "--json", "-n", "7", "--page", str(page), "--index", str(index)]
        for key, value in filters.items():
            args += [key, value]
        r = CliRunner().invoke(cli, args)
        assert r.exit_code == 0, r.output
        data = json.loads(r.stdout)
        for h in data["hits"]:
            out[h["passage_id"]] = h
        if page * 7 >= data["total"]:
            assert data["total"] == len(out)
            return out
        page += 1


def _same(rec: dict, hit: dict) -> None:
    for key in ("passage_id", "doc_id", "ordinal", "title", "doc_type", "date", "year",
                "place", "conference", "speakers", "text", "source", "start", "end"):  # fmt: skip
        assert rec[key] == hit[key], key


@pytest.mark.parametrize(
    "query, filters",
    [("victims", {}), ('"human rights"', {}), ("terrorism", {"--speaker": "guterres"})],
)
def test_jsonl_and_csv_round_trip_to_the_search_pages(query, filters, wide_index):
    pages = _search_pages(wide_index, query, **filters)
    kwargs = {"speakers": [filters["--speaker"]]} if filters else {}
    buf = io.StringIO()
    report = export(query, fmt="jsonl", out=buf, index_dir=wide_index, **kwargs)
    records = [json.loads(line) for line in buf.getvalue().splitlines()]
    assert report.passages == len(records) == len(pages)
    assert all(list(r) == list(FIELDS) for r in records)
    for rec in records:
        _same(rec, pages[rec["passage_id"]])

    buf = io.StringIO(newline="")
    export(query, fmt="csv", out=buf, index_dir=wide_index, **kwargs)
    rows = [read_csv_row(row) for row in csv.DictReader(io.StringIO(buf.getvalue(), newline=""))]
    assert rows == records


def test_no_query_exports_every_passage(real_index):
    buf = io.StringIO()
    report = export(None, out=buf, index_dir=real_index)
    from ctsearch import stats

    assert report.passages == stats(index_dir=real_index).passages
    ids = [json.loads(line)["passage_id"] for line in buf.getvalue().splitlines()]
    assert len(set(ids)) == len(ids)


def test_opensearch_bulk_pairs(real_index):
    buf = io.StringIO()
    export("victims", fmt="opensearch", out=buf, index_dir=real_index, index_name="ct")
    lines = buf.getvalue().splitlines()
    assert lines and len(lines) % 2 == 0 and buf.getvalue().endswith("\n")
    mapping = opensearch_mapping()["mappings"]["properties"]
    for action, doc in zip(lines[::2], lines[1::2], strict=True):
        a, d = json.loads(action), json.loads(doc)
        assert a == {"index": {"_index": "ct", "_id": d["passage_id"]}}
        assert set(d) <= set(mapping)  # the mapping is strict: every field must be mapped


def test_mapping_mirrors_the_analyzers():
    body = opensearch_mapping(synonyms=["isil, daesh, isis"])
    analysis = body["settings"]["analysis"]
    assert analysis["filter"]["ctsearch_stemmer"] == {"type": "snowball", "language": "English"}
    assert analysis["filter"]["ctsearch_compounds"]["catenate_words"] is True
    assert analysis["filter"]["ctsearch_vocabulary"]["type"] == "synonym_graph"
    stemmed = analysis["analyzer"]["ctsearch_stemmed"]["filter"]
    assert "asciifolding" in stemmed and "lowercase" in stemmed
    assert not any("stop" in f for a in analysis["analyzer"].values() for f in a["filter"])
    # synonyms only at search time (graph filters cannot index)
    assert "ctsearch_vocabulary" in analysis["analyzer"]["ctsearch_stemmed_search"]["filter"]
    assert "ctsearch_vocabulary" not in analysis["analyzer"]["ctsearch_stemmed"]["filter"]
    text = body["mappings"]["properties"]["text"]
    assert text["analyzer"] == "ctsearch_stemmed" and "exact" in text["fields"]
    json.dumps(body)


def test_progress_reports(real_index):
    seen = []
    export(None, out=io.StringIO(), index_dir=real_index, progress=lambda d, t: seen.append((d, t)))
    assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1] > 0


@pytest.mark.parametrize(
    "kwargs, message",
    [({"fmt": "xml"}, "--format"), ({"speakers": ["nobody at all"]}, "unknown speaker")],
)
def test_errors(kwargs, message, real_index):
    with pytest.raises(QueryError, match=message):
        export("victims", out=io.StringIO(), index_dir=real_index, **kwargs)


# -- CLI -------------------------------------------------------------------------------------


def test_cli_csv_excel_to_a_file(real_index, tmp_path):
    out = tmp_path / "victims.csv"
    args = ["export", "victims", "-f", "csv", "--excel", "-o", str(out)]
    r = CliRunner().invoke(cli, args + ["--index", str(real_index)])
    assert r.exit_code == 0, r.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(rows) == search("victims", index_dir=real_index).total
    assert "Exported" in r.stderr and not (tmp_path / "victims.csv.part").exists()
    assert r.stdout == ""


def test_cli_stdout_jsonl_has_no_progress_bar(real_index):
    r = CliRunner().invoke(cli, ["export", "--index", str(real_index)])
    assert r.exit_code == 0, r.output
    assert all(json.loads(line) for line in r.stdout.splitlines())
    assert "Exporting" not in r.stderr  # not a terminal: no bar


def test_cli_mapping():
    r = CliRunner().invoke(cli, ["export", "--mapping"])
    assert r.exit_code == 0
    assert set(json.loads(r.stdout)) == {"settings", "mappings"}


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["-f", "jsonl", "--excel"], 2, "--excel"),
        (["-f", "yaml"], 2, "yaml"),
        (["-o", "/nonexistent-dir/x.csv"], 1, "cannot write"),
    ],
)
def test_cli_errors(args, code, message, real_index):
    r = CliRunner().invoke(cli, ["export", "victims", *args, "--index", str(real_index)])
    assert r.exit_code == code, r.output
    assert message in r.output and "Traceback" not in r.output
