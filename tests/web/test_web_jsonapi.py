"""The JSON API: the same JSON as the CLI's --json for the same request, and a 400
{"error": …} for a bad parameter."""

# ruff: noqa: F811  (the fixtures imported from webfixtures are parameters of the tests)
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from webfixtures import client, web_corpus, web_index  # noqa: F401  (fixtures)

from ctsearch.cli import cli


@pytest.fixture()
def run_cli(web_index, web_corpus):
    def run(*args: str) -> dict:
        where = ["--index", str(web_index)]
        if args[0] in ("search", "show"):
            where += ["--corpus", str(web_corpus)]
        out = CliRunner().invoke(cli, [*args, "--json", *where])
        assert out.exit_code == 0, out.output
        return json.loads(out.stdout)

    return run


SEARCHES = [
    ({"q": "drones"}, ["drones"]),
    ({"q": '"rule of law"', "facets": "1"}, ['"rule of law"', "--facets"]),
    ({"q": "terrorism", "speaker": "guterres"}, ["terrorism", "--speaker", "guterres"]),
    (
        [("q", "terrorism"), ("speaker", "guterres"), ("speaker", "voronkov")],
        ["terrorism", "--speaker", "guterres", "--speaker", "voronkov"],
    ),
    (
        {"q": "victims", "from": "2021", "to": "2023-06"},
        ["victims", "--from", "2021", "--to", "2023-06"],
    ),
    ({"q": "terrorism", "conference": "second"}, ["terrorism", "--conference", "second"]),
    (
        {"q": "terrorism", "type": "speech", "year": "2018"},
        ["terrorism", "--type", "speech", "--year", "2018"],
    ),
    ({"q": "terrorism", "limit": "3", "page": "2"}, ["terrorism", "--limit", "3", "--page", "2"]),
    (
        {"q": "terrorism", "sort": "date", "facets": "true"},
        ["terrorism", "--sort", "date", "--facets"],
    ),
    ({"q": "terorism"}, ["terorism"]),
    ({"q": "drones", "year": "1999"}, ["drones", "--year", "1999"]),
    ({"q": "zyxquorum"}, ["zyxquorum"]),
    ({"q": "ISIS"}, ["ISIS"]),
    ({"q": "ISIS", "expand": "0"}, ["ISIS", "--no-expand"]),
    (
        {"q": "counter-terrorism AND (victims OR drones) NOT cyber"},
        ["counter-terrorism AND (victims OR drones) NOT cyber"],
    ),
]


@pytest.mark.parametrize(("params", "args"), SEARCHES)
def test_search_json_equals_the_clis(client, run_cli, params, args):
    r = client.get("/api/search", params=params)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == run_cli("search", *args)


@pytest.mark.parametrize("context", [None, "0", "2"])
def test_show_json_equals_the_clis(client, run_cli, context):
    pid = "001_ad18aaf8ba917e7d:5"
    params = {"context": context} if context else {}
    args = ["--context", context] if context else []
    r = client.get(f"/api/show/{pid}", params=params)
    assert r.status_code == 200
    assert r.json() == run_cli("show", pid, *args)


def test_show_gives_the_source_url_when_a_sidecar_has_one(client):
    pid = client.get("/api/search", params={"q": "zyxlinked"}).json()["hits"][0]["passage_id"]
    assert (
        client.get(f"/api/show/{pid}").json()["url"] == "https://example.org/statements/zyxlinked"
    )


def test_speakers_and_stats_json_equal_the_clis(client, run_cli, web_index):
    assert client.get("/api/speakers").json() == run_cli("speakers")
    stats = client.get("/api/stats").json()
    assert stats == run_cli("stats")
    assert stats["documents"] == 8 and stats["index_dir"] == str(web_index)


def test_the_json_is_utf8_text_not_escapes(client):
    r = client.get("/api/search", params={"q": "guterres"})
    assert "António Guterres" in r.text and "\\u00f3" not in r.text


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/search", "missing parameter 'q'"),
        ("/api/search?q=", "missing parameter 'q'"),
        ("/api/search?q=x&limt=3", "unknown parameter 'limt'"),
        ("/api/search?q=x&q=y", "parameter 'q' given 2 times"),
        ("/api/search?q=x&limit=0", "limit must be at least 1"),
        ("/api/search?q=x&limit=501", "limit must be at most 500"),
        ("/api/search?q=x&page=-1", "page must be a whole number"),
        ("/api/search?q=x&facets=maybe", "facets must be true or false"),
        ("/api/search?q=x&sort=name", "sort must be one of"),
        ("/api/search?q=x&to=2020-02-30", "is not a valid date"),
        ("/api/search?q=x&from=2023&to=2021", "is after --to"),
        ("/api/search?q=x&speaker=zzqq+nobody", "zzqq nobody"),
        ("/api/search?q=%22%22", "empty quotes"),
        ("/api/show/001_ad18aaf8ba917e7d:5?context=-1", "context must be a whole number"),
        ("/api/show/001_ad18aaf8ba917e7d:5?context=1001", "between 0 and 1000"),
        ("/api/show/001_ad18aaf8ba917e7d:5?ctx=1", "unknown parameter 'ctx'"),
        ("/api/stats?x=1", "unknown parameter 'x': this address takes none"),
        ("/api/speakers?json=1", "unknown parameter 'json'"),
    ],
)
def test_a_bad_parameter_is_a_400_with_an_error(client, path, message):
    r = client.get(path)
    assert r.status_code == 400, r.text
    body = r.json()
    assert list(body) == ["error"] and message in body["error"]
    assert "\n" not in body["error"]


@pytest.mark.parametrize(
    "path", ["/api/show/nope:3", "/api/show/001_ad18aaf8ba917e7d:999", "/api/nothing"]
)
def test_unknown_passages_and_addresses_are_404_json(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "error" in r.json()


def test_api_index_lists_the_endpoints(client):
    data = client.get("/api").json()
    assert "/api/search" in data["endpoints"] and "q" in data["endpoints"]["/api/search"]


# -- research views: the library's trend and quote, the CLI's JSON ----------------------------

TRENDS = [
    ({"q": "terrorism"}, ["terrorism"]),
    ({"q": "victims", "by": "speaker"}, ["victims", "--by", "speaker"]),
    ({"q": "terrorism", "by": "conference"}, ["terrorism", "--by", "conference"]),
    ({"q": '"rule of law"', "by": "type"}, ['"rule of law"', "--by", "type"]),
    ({"q": "terrorism", "speaker": "voronkov"}, ["terrorism", "--speaker", "voronkov"]),
    ({"q": "terrorism", "from": "2021"}, ["terrorism", "--from", "2021"]),
    ({"q": "FTFs", "expand": "0"}, ["FTFs", "--no-expand"]),
    ({"q": "FTFs"}, ["FTFs"]),
]


@pytest.mark.parametrize(("params", "args"), TRENDS)
def test_trend_json_equals_the_clis(client, run_cli, params, args):
    r = client.get("/api/trend", params=params)
    assert r.status_code == 200
    assert r.json() == run_cli("trend", *args)


def test_a_trend_without_expansion_counts_only_the_forms_as_typed(client):
    typed = client.get("/api/trend", params={"q": "FTFs", "expand": "0"}).json()["total"]
    expanded = client.get("/api/trend", params={"q": "FTFs"}).json()["total"]
    assert typed < expanded
    page = client.get("/trend", params={"q": "FTFs", "expand": "0"})
    assert page.status_code == 200 and "expand=0" in page.text  # its links keep it


QUOTES = [
    "We need to uphold the rights of victims and ensure they have a voice",
    "we must uphold the rights of victims and make sure that they have a voice",
    "The moon is made of green cheese and nobody can prove otherwise",
]


@pytest.mark.parametrize("text", QUOTES)
def test_quote_json_equals_the_clis(client, run_cli, text):
    r = client.get("/api/quote", params={"q": text})
    assert r.status_code == 200
    assert r.json() == run_cli("quote", text)


def test_quote_limit_and_filters_as_the_cli(client, run_cli):
    text = QUOTES[0]
    r = client.get("/api/quote", params={"q": text, "limit": "2", "speaker": "guterres"})
    assert r.json() == run_cli("quote", text, "--limit", "2", "--speaker", "guterres")


def test_an_empty_quote_limit_is_the_clis_default(client):
    """`limit=` (a form's empty field) is not set: `ctsearch quote`'s 5, not a search's 10."""
    engine, asked = client.app.state.engine, []
    real = engine.quote

    def quote(text, *, limit, **filters):
        asked.append(limit)
        return real(text, limit=limit, **filters)

    engine.quote = quote
    for params in ({"q": QUOTES[0]}, {"q": QUOTES[0], "limit": ""}, {"q": QUOTES[0], "limit": "2"}):
        assert client.get("/api/quote", params=params).status_code == 200
    assert asked == [5, 5, 2]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/trend", "missing parameter 'q'"),
        ("/api/trend?q=x&by=month", "by must be one of year, conference, speaker, type"),
        ("/api/trend?q=x&page=2", "unknown parameter 'page'"),
        ("/api/trend?q=x&by=year&by=type", "parameter 'by' given 2 times"),
        ("/api/quote", "missing parameter 'q'"),
        ("/api/quote?q=x&limit=0", "limit must be at least 1"),
        ("/api/quote?q=x&sort=date", "unknown parameter 'sort'"),
    ],
)
def test_bad_trend_and_quote_parameters_are_400(client, path, message):
    r = client.get(path)
    assert r.status_code == 400 and message in r.json()["error"]
