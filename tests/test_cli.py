"""The commands index, search, show, speakers and stats through click's CliRunner."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import CORPUS, GUTERRES

from ctsearch import cli as cli_module
from ctsearch.cli import cli


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def ix(real_index, real_corpus) -> list[str]:
    """Options pointing at the session's real-corpus index."""
    return ["--index", str(real_index), "--corpus", str(real_corpus)]


def run_json(runner, args):
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_search_json(runner, ix):
    data = run_json(runner, ["search", "drones", "--json", *ix])
    assert data["query"] == "drones" and data["total"] >= 1 and data["page"] == 1
    top = data["hits"][0]
    assert "**drones**" in top["highlight"] and top["speakers"] == [GUTERRES]
    assert data["suggestion"] is None and data["facets"] is None


def test_search_words_need_no_quotes(runner, ix):
    data = run_json(runner, ["search", "safe", "haven", "--json", *ix])
    assert data["query"] == "safe haven" and data["total"] >= 1


def test_search_text_output_and_summary_on_stderr(runner, ix):
    result = runner.invoke(cli, ["search", "drones", *ix])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1. ") and "speakers: António Guterres" in result.stdout
    assert "\x1b[" not in result.stdout and "**" not in result.stdout  # not a terminal
    assert "passage" in result.stderr and "match" in result.stderr


@pytest.mark.parametrize(
    "options, check",
    [
        (["--speaker", "voronkov"], lambda h: h["speakers"] == ["Vladimir Voronkov"]),
        (["--speaker", "antonio guterres", "--speaker", "voronkov"], lambda h: h["speakers"]),
        (["--conference", "2023"], lambda h: "(2023)" in h["conference"]),
        (["--type", "speech"], lambda h: h["doc_type"] == "speech"),
        (["--year", "2021"], lambda h: h["year"] == 2021),
        (["--from", "2021-06-01"], lambda h: h["year"] >= 2021),
        (["--to", "2019"], lambda h: h["year"] == 2018),
        (["--from", "2021", "--to", "2021-12-31"], lambda h: h["year"] == 2021),
    ],
)
def test_filter_options(runner, ix, options, check):
    data = run_json(runner, ["search", "terrorism", "--json", "-n", "50", *options, *ix])
    assert data["total"] >= 1 and all(check(h) for h in data["hits"])


def test_limit_page_and_sort(runner, ix):
    first = run_json(runner, ["search", "terrorism", "--json", "-n", "3", *ix])
    second = run_json(runner, ["search", "terrorism", "--json", "-n", "3", "--page", "2", *ix])
    assert len(first["hits"]) == 3 and [h["rank"] for h in second["hits"]] == [4, 5, 6]
    assert {h["passage_id"] for h in first["hits"]}.isdisjoint(
        h["passage_id"] for h in second["hits"]
    )
    dated = run_json(runner, ["search", "terrorism", "--json", "-n", "50", "--sort", "date", *ix])
    keys = [h["date"] or str(h["year"]) for h in dated["hits"]]
    assert keys == sorted(keys, reverse=True)


def test_facets(runner, ix):
    data = run_json(runner, ["search", "terrorism", "--json", "--facets", *ix])
    assert set(data["facets"]) == {"speaker", "conference", "year", "type"}
    assert sum(data["facets"]["type"].values()) == data["total"]
    text = runner.invoke(cli, ["search", "terrorism", "--facets", *ix]).stdout
    assert "Matching passages by" in text and "conference:" in text


def test_zero_hits_say_so_with_a_suggestion_and_the_excluding_filters(runner, ix):
    result = runner.invoke(cli, ["search", "terorism", *ix])
    assert result.exit_code == 0 and result.stdout == ""
    assert "No passages match 'terorism'." in result.stderr
    assert "Did you mean: terrorism" in result.stderr
    data = run_json(runner, ["search", "drones", "--year", "2023", "--json", *ix])
    assert data["total"] == 0 and data["excluded_by"] == ["--year 2023"]


def test_show(runner, ix):
    pid = run_json(runner, ["search", '"foreign terrorist fighters"', "--json", *ix])["hits"][0][
        "passage_id"
    ]
    data = run_json(runner, ["show", pid, "--context", "1", "--json", *ix])
    assert data["passage"]["passage_id"] == pid and len(data["before"]) <= 1
    assert "source:" in data["citation"]
    text = runner.invoke(cli, ["show", pid, *ix]).stdout
    assert f"[{pid}]  ◀" in text and "Cite: “" in text


def test_speakers_and_stats(runner, ix):
    index_opts = ix[:2]
    names = {
        s["name"]: s for s in run_json(runner, ["speakers", "--json", *index_opts])["speakers"]
    }
    assert names[GUTERRES]["passages"] >= names[GUTERRES]["documents"] >= 2
    assert "Vladimir Voronkov" in runner.invoke(cli, ["speakers", *index_opts]).stdout
    stats = run_json(runner, ["stats", "--json", *index_opts])
    assert stats["documents"] == 5 and stats["passages"] > 20 and stats["speakers"] >= 2
    assert stats["index_size"] > 0 and stats["built"].endswith("Z")
    assert stats["date_range"] == ["2018-06-29", "2023-06-20"] and len(stats["conferences"]) == 3
    assert "documents:    5" in runner.invoke(cli, ["stats", *index_opts]).stdout


def test_index_command_reports_on_stderr(runner, tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    args = ["index", "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "ix")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0 and result.stdout == ""
    assert "Indexed 5 documents" in result.stderr


def test_search_on_a_fresh_clone_builds_the_index_first(runner, tmp_path, monkeypatch):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CTSEARCH_INDEX", raising=False)
    monkeypatch.delenv("CTSEARCH_CORPUS", raising=False)
    result = runner.invoke(cli, ["search", "drones"])
    assert result.exit_code == 0 and "drones" in result.stdout
    assert "no index in index; building it from corpus" in result.stderr
    assert (tmp_path / "index" / "ctsearch-index.json").is_file()
    again = runner.invoke(cli, ["search", "drones"])
    assert "building" not in again.stderr


def test_environment_variables_choose_the_folders(runner, ix, monkeypatch):
    monkeypatch.setenv("CTSEARCH_INDEX", ix[1])
    monkeypatch.setenv("CTSEARCH_CORPUS", ix[3])
    data = run_json(runner, ["search", "drones", "--json"])
    assert data["total"] >= 1


@pytest.mark.parametrize(
    "args, exit_code, message",
    [
        (["search", '"drones'], 1, "Error: unbalanced quote"),
        (["search", "drones AND"], 1, "Error: AND needs something after it"),
        (["search", "foo:bar"], 1, "Error: unknown field foo:"),
        (["search", "drones", "--speaker", "gutteres"], 1, "closest: António Guterres"),
        (["search", "drones", "--from", "2021-13-45"], 1, "is not a valid date"),
        (["search", "drones", "--year", "twenty"], 1, "is not a year"),
        (["search", "drones", "--type", "tweet"], 1, "unknown document type"),
        (["search", "drones", "-n", "0"], 2, "0 is not in the range x>=1"),
        (["search", "drones", "--page", "-1"], 2, "--page"),
        (["search", "drones", "--sort", "size"], 2, "'size' is not one of"),
        (["search"], 2, "Missing argument 'QUERY"),
        (["show", "nope:1"], 1, "Error: no passage 'nope:1'"),
        (["show", "x:1", "--context", "-2"], 2, "--context"),
    ],
)
def test_errors(runner, ix, args, exit_code, message):
    result = runner.invoke(cli, [*args, *ix])
    assert result.exit_code == exit_code
    assert message in result.stderr
    assert "Traceback" not in result.output
    if exit_code == 1:
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_missing_index_for_stats_is_a_one_line_error(runner, tmp_path):
    result = runner.invoke(cli, ["stats", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no index in" in result.stderr


def test_a_missing_corpus_is_a_one_line_error(runner, tmp_path):
    args = ["search", "x", "--index", str(tmp_path / "i"), "--corpus", str(tmp_path / "c")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "corpus folder" in result.stderr


@pytest.mark.parametrize("command", ["index", "search", "show", "speakers", "stats"])
def test_help_everywhere_with_an_example(runner, command):
    for flag in ("-h", "--help"):
        result = runner.invoke(cli, [command, flag])
        assert result.exit_code == 0 and "Example" in result.output


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    class Tty:
        def isatty(self):
            return True

    monkeypatch.setattr(cli_module.sys, "stdout", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli_module._color() is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli_module._color() is False


def test_an_index_of_another_schema_version_is_rebuilt_with_a_notice(runner, tmp_path):
    from ctsearch.index.store import read_marker, write_marker

    shutil.copytree(CORPUS, tmp_path / "corpus")
    opts = ["--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "ix")]
    assert runner.invoke(cli, ["index", *opts]).exit_code == 0
    write_marker(tmp_path / "ix", {**read_marker(tmp_path / "ix"), "schema_version": 0})
    result = runner.invoke(cli, ["search", "drones", "--json", *opts])
    assert result.exit_code == 0 and json.loads(result.stdout)["total"] >= 1
    assert "schema version 0; rebuilding it" in result.stderr
    assert read_marker(tmp_path / "ix")["schema_version"] >= 1


def test_main_reports_an_unexpected_error_on_one_line(monkeypatch, capsys):
    """A bug reaches the user as one line and exit 1, not a traceback (unless CTSEARCH_DEBUG)."""
    from ctsearch import cli as cli_module

    def boom(*args, **kwargs):
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(cli_module, "cli", boom)
    monkeypatch.delenv("CTSEARCH_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        cli_module.main()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error (RuntimeError: something broke)" in err
    monkeypatch.setenv("CTSEARCH_DEBUG", "1")
    with pytest.raises(RuntimeError):
        cli_module.main()
