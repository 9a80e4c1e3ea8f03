"""`ctsearch trend`: counts per bucket agree with `search` totals with the same filter; every
year of the range is listed; the CLI's table, JSON, CSV and chart."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from ctsearch import search, trend
from ctsearch.cli import cli
from ctsearch.errors import QueryError
from ctsearch.searching.trends import NONE_KEY

QUERIES = ["victims", "terrorism", '"human rights"', "technologies OR technology", "Guterres"]
BUCKET_FILTER = {"year": "year", "speaker": "speakers", "type": "doc_type"}


def _total(index, query, **filters) -> int:
    result = search(query, index_dir=index, limit=1, **filters)
    assert result.total_exact
    return result.total


@pytest.mark.parametrize("by", ["year", "speaker", "type", "conference"])
@pytest.mark.parametrize("query", QUERIES)
def test_bucket_counts_agree_with_search_totals(query, by, wide_index):
    result = trend(query, by=by, index_dir=wide_index)
    assert result.total == _total(wide_index, query)
    assert result.buckets
    for b in result.buckets:
        assert 0 <= b.documents <= b.matches <= b.passages
        assert b.per_1000 == (round(1000 * b.matches / b.passages, 2) if b.passages else 0.0)
        if b.key == NONE_KEY:
            continue
        if by == "conference":
            filters = {"conference": b.key}
        else:
            value = [b.key] if by == "speaker" else b.key
            filters = {BUCKET_FILTER[by]: value}
        assert b.matches == _total(wide_index, query, **filters), (by, b.key)
    if by == "year":
        assert sum(b.matches for b in result.buckets) == result.total


def test_every_year_of_the_range_is_listed_empty_ones_as_zero(tmp_path):
    from ctsearch.index.sync import sync_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = {
        "a": ("2010-03-01", "Foreign terrorist fighters travel to conflict zones."),
        "b": ("2012-05-02", "Victims of terrorism deserve support and justice."),
        "c": ("2014-09-24", "The Council adopted a resolution on foreign terrorist fighters."),
    }
    for name, (date, text) in texts.items():
        (corpus / f"{name}.txt").write_text(f"Statement {name}\n\n{text}\n", encoding="utf-8")
        (corpus / f"{name}.meta.toml").write_text(f'date = "{date}"\n', encoding="utf-8")
    sync_index(corpus, tmp_path / "index")
    result = trend('"foreign terrorist fighters"', index_dir=tmp_path / "index")
    rows = {b.key: (b.matches, b.passages) for b in result.buckets if b.key != NONE_KEY}
    assert list(rows) == ["2010", "2011", "2012", "2013", "2014"]
    assert rows["2011"] == rows["2013"] == (0, 0)  # no document at all: shown, as zero
    assert rows["2012"][0] == 0 and rows["2012"][1] > 0  # documents, none matching
    assert rows["2010"][0] == rows["2014"][0] == 1


def test_date_filters_set_the_year_range(wide_index):
    result = trend("terrorism", index_dir=wide_index, date_from="2010", date_to="2015")
    assert [b.key for b in result.buckets if b.key != NONE_KEY] == [
        str(y) for y in range(2010, 2016)
    ]
    for b in result.buckets:
        if b.key != NONE_KEY:
            assert b.matches == _total(
                wide_index, "terrorism", year=b.key, date_from="2010", date_to="2015"
            )


def test_filters_apply_to_buckets_and_passages(wide_index):
    plain = {b.key: b for b in trend("victims", index_dir=wide_index).buckets}
    only = trend("victims", index_dir=wide_index, speakers=["guterres"])
    assert only.filters == {"speakers": ["António Guterres"]}
    assert only.total == _total(wide_index, "victims", speakers=["guterres"])
    for b in only.buckets:
        assert b.passages <= plain[b.key].passages
        if b.key != NONE_KEY:
            assert b.matches == _total(wide_index, "victims", speakers=["guterres"], year=b.key)


def test_no_match_gives_zero_buckets(real_index):
    result = trend("zebra", index_dir=real_index)
    assert result.total == 0 and all(b.matches == 0 for b in result.buckets)


@pytest.mark.parametrize(
    "query, kwargs, message",
    [
        ("victims", {"by": "colour"}, "--by"),
        ("", {}, "empty"),
        ("victims", {"year": "twenty"}, "not a year"),
    ],
)
def test_errors(query, kwargs, message, real_index):
    with pytest.raises(QueryError, match=message):
        trend(query, index_dir=real_index, **kwargs)


# -- CLI -------------------------------------------------------------------------------------


def _run(*args):
    return CliRunner().invoke(cli, list(args))


def test_cli_json_contract(real_index):
    r = _run("trend", "terrorism", "--json", "--index", str(real_index))
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data) >= {"query", "by", "buckets", "total"}
    assert data["by"] == "year"
    assert all(
        set(b) == {"key", "matches", "documents", "passages", "per_1000"} for b in data["buckets"]
    )


def test_cli_table_and_csv(real_index):
    r = _run("trend", "terrorism", "--by", "speaker", "--index", str(real_index))
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].split()[:2] == ["speaker", "matches"]
    assert "█" in r.stdout and "Vladimir Voronkov" in r.stdout
    r = _run("trend", "terrorism", "--by", "type", "--csv", "--index", str(real_index))
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows and set(rows[0]) == {"key", "matches", "documents", "passages", "per_1000"}
    data = trend("terrorism", by="type", index_dir=real_index)
    assert [(row["key"], int(row["matches"])) for row in rows] == [
        (b.key, b.matches) for b in data.buckets
    ]


@pytest.mark.parametrize("suffix, magic", [(".svg", b"<svg"), (".png", b"\x89PNG")])
def test_cli_plot(suffix, magic, real_index, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / f"chart{suffix}"
    r = _run("trend", "victims", "--plot", str(out), "--index", str(real_index))
    assert r.exit_code == 0, r.output
    assert magic in out.read_bytes()[:2000]


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["--plot", "chart.pdf"], 1, ".svg or .png"),
        (["--json", "--csv"], 2, "one of --json and --csv"),
        (["--by", "colour"], 2, "colour"),
        (["--speaker", "nobody at all"], 1, "unknown speaker"),
    ],
)
def test_cli_errors(args, code, message, real_index):
    r = _run("trend", "victims", *args, "--index", str(real_index))
    assert r.exit_code == code, r.output
    assert message in r.output
    assert "Traceback" not in r.output


def test_draw_into_a_stream(real_index):
    pytest.importorskip("matplotlib")
    import io

    from ctsearch.trendplot import draw

    buf = io.BytesIO()
    draw(trend("victims", index_dir=real_index), buf, fmt="svg")
    assert b"<svg" in buf.getvalue()[:2000]


def test_the_index_builds_itself_on_first_use(corpus_copy, tmp_path):
    index = tmp_path / "fresh-index"
    r = CliRunner().invoke(
        cli, ["trend", "victims", "--json", "--corpus", str(corpus_copy), "--index", str(index)]
    )
    assert r.exit_code == 0, r.output
    assert "building it" in r.stderr
    assert json.loads(r.stdout)["total"] > 0


def test_no_expand_counts_only_the_forms_as_typed(real_index):
    expanded = trend("FTFs", index_dir=real_index)
    typed = trend("FTFs", index_dir=real_index, expand=False)
    as_search = search("FTFs", index_dir=real_index, expand=False, limit=50)
    assert sum(b.matches for b in typed.buckets) == as_search.total
    assert sum(b.matches for b in expanded.buckets) > sum(b.matches for b in typed.buckets)
    out = CliRunner().invoke(cli, ["trend", "FTFs", "--no-expand", "--json", "--index",
                                   str(real_index)])  # fmt: skip
    assert out.exit_code == 0, out.output
    assert sum(b["matches"] for b in json.loads(out.stdout)["buckets"]) == as_search.total
