"""The HTML pages through Starlette's TestClient: search, facets, paging, sort, messages,
passages, errors, escaping, security headers, and a server that follows index updates."""

# ruff: noqa: F811  (the fixtures imported from webfixtures are parameters of the tests)
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest
from conftest import CORPUS, GUTERRES, VORONKOV
from starlette.testclient import TestClient
from webfixtures import client, web_corpus, web_index  # noqa: F401  (fixtures)

from ctsearch.web import create_app


class Page(HTMLParser):
    """The parts of a page the tests look at: links, marks, labels, form controls, scripts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self.marks: list[str] = []
        self.labels: set[str] = set()
        self.controls: list[dict[str, str]] = []
        self.tags: list[tuple[str, dict[str, str]]] = []
        self._href: str | None = None
        self._text: list[str] = []
        self._in_mark = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "a" and "href" in a:
            self._href, self._text = a["href"], []
        if tag == "mark":
            self._in_mark = True
            self.marks.append("")
        if tag == "label" and "for" in a:
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append(a)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)
        if self._in_mark:
            self.marks[-1] += data

    def link(self, text: str) -> str:
        for href, label in self.links:
            if label == text:
                return href
        raise AssertionError(f"no link {text!r} in {self.links}")


def hit_ids(html: str) -> list[str]:
    return [unquote(i) for i in re.findall(r'<p class="pid"><a href="/passage/([^"]+)">', html)]


# -- the search page ---------------------------------------------------------------------------


def test_home_page_has_a_labelled_form_and_what_the_index_holds(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = Page(r.text)
    assert page.controls, "no form controls"
    for control in page.controls:  # every visible control has a <label for=…>
        assert control.get("id") in page.labels, control
    assert "documents" in r.text and "passages" in r.text


def test_a_search_shows_highlighted_hits_with_their_metadata(client):
    r = client.get("/", params={"q": "drones"})
    assert r.status_code == 200
    page = Page(r.text)
    assert page.marks and all(m.lower().startswith("drone") for m in page.marks)
    assert "Secretary-General" in r.text and "2018-06-29" in r.text
    assert "First United Nations High-Level Conference on Counter-Terrorism (2018)" in r.text
    assert hit_ids(r.text)


def test_the_home_page_lists_the_last_census_without_waiting_for_another(web_index, web_corpus):
    """Once a census is counted, the home page shows its numbers: it never waits for the one a
    commit starts in the background (which holds the census lock while it counts)."""
    with TestClient(create_app(web_index, web_corpus)) as c:
        counts = c.get("/api/stats").json()  # the census, counted
        engine = c.app.state.engine

        def waited():
            raise AssertionError("the home page waited for a census")

        engine.census = waited
        r = c.get("/")
        assert r.status_code == 200
        assert f"{counts['documents']:,} documents, {counts['passages']:,} passages" in r.text


def test_the_query_box_keeps_the_query(client):
    r = client.get("/", params={"q": '"rule of law"'})
    assert 'value="&#34;rule of law&#34;"' in r.text or 'value="&quot;rule of law&quot;"' in r.text


def test_a_speaker_facet_filters_when_clicked_and_again_removes_the_filter(client):
    page = Page(client.get("/", params={"q": "terrorism"}).text)
    href = page.link(VORONKOV)
    assert parse_qs(urlsplit(href).query)["speaker"] == [VORONKOV]
    r = client.get(href)
    ids = hit_ids(r.text)
    assert ids
    data = client.get("/api/search", params={"q": "terrorism", "speaker": VORONKOV}).json()
    assert ids == [h["passage_id"] for h in data["hits"]]
    assert all(VORONKOV in h["speakers"] for h in data["hits"])
    # The active value is marked, and its link leads back to the unfiltered search.
    again = Page(r.text)
    back = [
        h for h, t in again.links if t == VORONKOV and "speaker" not in parse_qs(urlsplit(h).query)
    ]
    assert back, "the active facet should link to the search without it"


@pytest.mark.parametrize(
    ("facet", "param", "value"),
    [
        ("2021", "year", "2021"),
        ("press release", "type", "press_release"),
        ("speech", "type", "speech"),
    ],
)
def test_year_and_type_facets_filter(client, facet, param, value):
    page = Page(client.get("/", params={"q": "terrorism"}).text)
    href = page.link(facet)
    assert parse_qs(urlsplit(href).query)[param] == [value]
    query = parse_qs(urlsplit(href).query)
    data = client.get("/api/search", params={"q": "terrorism", param: value}).json()
    assert data["total"] > 0
    assert hit_ids(client.get(href).text) == [h["passage_id"] for h in data["hits"]]
    assert query["q"] == ["terrorism"]


def test_conference_facet_filters_to_that_conference(client):
    name = "Second United Nations High-Level Conference on Counter-Terrorism (2021)"
    page = Page(client.get("/", params={"q": "terrorism"}).text)
    r = client.get(page.link(name))
    assert r.status_code == 200
    data = client.get("/api/search", params={"q": "terrorism", "conference": name}).json()
    assert data["total"] > 0 and all(h["conference"] == name for h in data["hits"])
    assert hit_ids(r.text) == [h["passage_id"] for h in data["hits"]]


def test_paging_links_walk_through_the_results(client):
    first = client.get("/", params={"q": "terrorism", "limit": "3"})
    page = Page(first.text)
    nxt = page.link("Next →")
    assert parse_qs(urlsplit(nxt).query)["page"] == ["2"]
    second = client.get(nxt)
    a, b = hit_ids(first.text), hit_ids(second.text)
    assert len(a) == len(b) == 3 and not set(a) & set(b)
    assert Page(second.text).link("← Previous")
    data = client.get("/api/search", params={"q": "terrorism", "limit": 3, "page": 2}).json()
    assert b == [h["passage_id"] for h in data["hits"]]


def test_sort_by_date_puts_the_newest_first(client):
    r = client.get("/", params={"q": "terrorism", "sort": "date", "limit": "50"})
    dates = re.findall(r'<time datetime="([0-9-]+)">', r.text)
    assert dates and dates == sorted(dates, reverse=True)
    assert 'value="date" selected' in r.text


def test_did_you_mean_links_to_the_corrected_search(client):
    r = client.get("/", params={"q": "terorism"})
    href = Page(r.text).link("terrorism")
    assert parse_qs(urlsplit(href).query)["q"] == ["terrorism"]
    assert "Did you mean" in r.text


def test_filters_that_exclude_everything_are_named(client):
    r = client.get("/", params={"q": "drones", "year": "1999"})
    assert r.status_code == 200
    assert "these filters excluded them all" in r.text and "--year 1999" in r.text
    href = Page(r.text).link("Search without filters")
    assert parse_qs(urlsplit(href).query) == {"q": ["drones"]}


def test_active_filters_are_listed_with_a_way_to_remove_each(client):
    r = client.get("/", params={"q": "terrorism", "speaker": "guterres", "year": "2018"})
    assert r.status_code == 200
    removers = [h for h, t in Page(r.text).links if t == "✕"]
    assert len(removers) == 2
    left = [parse_qs(urlsplit(h).query) for h in removers]
    assert {"q": ["terrorism"], "year": ["2018"]} in left
    assert {"q": ["terrorism"], "speaker": ["guterres"]} in left


def test_aliases_are_accepted_for_a_speaker(client):
    by_alias = client.get("/api/search", params={"q": "terrorism", "speaker": "Antonio Guterres"})
    assert by_alias.status_code == 200
    assert by_alias.json()["filters"]["speakers"] == [GUTERRES]
    r = client.get("/", params={"q": "terrorism", "speaker": "guterres"})
    assert r.status_code == 200 and hit_ids(r.text)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "!!!"}, "nothing to search for"),
        ({"q": "drones", "speaker": "zzzqqq nobody"}, "zzzqqq nobody"),
        ({"q": "drones", "limit": "ten"}, "limit must be a whole number"),
        ({"q": "drones", "page": "0"}, "page must be at least 1"),
        ({"q": "drones", "sort": "random"}, "sort must be one of relevance, date"),
        ({"q": "drones", "from": "2020-13"}, "is not a valid date"),
        ({"q": "drones", "type": "poem"}, "unknown document type"),
        ({"q": "drones", "year": "20x1"}, "is not a year"),
        ({"q": "x" * 10_001}, "query too long"),
    ],
)
def test_a_bad_query_or_parameter_is_a_400_page_with_one_line(client, params, message):
    r = client.get("/", params=params)
    assert r.status_code == 400
    alert = re.search(r'<p class="error" role="alert">(.*?)</p>', r.text, re.S)
    assert alert and message in alert.group(1) and "\n" not in alert.group(1)
    assert "Traceback" not in r.text
    assert 'id="q"' in r.text  # the form is still there to fix it


def test_the_library_message_is_the_clis(client, web_index, web_corpus):
    from click.testing import CliRunner

    from ctsearch.cli import cli

    args = ["search", "!!!", "--index", str(web_index), "--corpus", str(web_corpus)]
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 1
    cli_message = out.output.strip().removeprefix("Error: ")
    api = client.get("/api/search", params={"q": "!!!"})
    assert api.status_code == 400 and api.json() == {"error": cli_message}


# -- passages ----------------------------------------------------------------------------------


def test_passage_page_shows_neighbours_metadata_and_citation(client):
    r = client.get("/passage/001_ad18aaf8ba917e7d:5")
    assert r.status_code == 200
    show = client.get("/api/show/001_ad18aaf8ba917e7d:5", params={"context": 2}).json()
    assert show["citation"] in r.text.replace("&#34;", '"').replace("&#39;", "'")
    for h in show["before"] + show["after"]:
        assert f'/passage/{h["passage_id"]}"' in r.text
    assert 'id="citation"' in r.text and 'data-copy="citation"' in r.text
    assert "2018-06-29" in r.text and GUTERRES in r.text


def test_passage_page_context_parameter(client):
    r = client.get("/passage/001_ad18aaf8ba917e7d:5", params={"context": "0"})
    assert r.status_code == 200
    assert 'class="passage-text neighbour"' not in r.text
    assert client.get("/passage/001_ad18aaf8ba917e7d:5", params={"context": "x"}).status_code == 400


def test_passages_of_documents_in_folders_with_odd_names_link_and_open(client):
    r = client.get("/", params={"q": "zyxnested"})
    assert '<a href="/passage/sub%20folder/note%20%C3%A9:0">' in r.text
    assert hit_ids(r.text) == ["sub folder/note é:0"]
    page = client.get("/passage/" + quote("sub folder/note é:0"))
    assert page.status_code == 200 and "zyxnested" in page.text
    api = client.get("/api/show/" + quote("sub folder/note é:0")).json()
    assert api["passage"]["passage_id"] == "sub folder/note é:0"


def test_a_source_url_from_a_sidecar_is_a_link(client):
    pid = client.get("/api/search", params={"q": "zyxlinked"}).json()["hits"][0]["passage_id"]
    r = client.get(f"/passage/{pid}")
    assert 'href="https://example.org/statements/zyxlinked"' in r.text


@pytest.mark.parametrize(
    "path",
    [
        "/passage/nope:1",
        "/passage/001_ad18aaf8ba917e7d:999",
        "/passage/..%2F..%2Fetc%2Fpasswd",
        "/passage/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/passage/",
        "/nothing-here",
    ],
)
def test_an_unknown_passage_or_page_is_a_404_page(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "<script>alert" not in r.text and "Traceback" not in r.text
    assert 'href="/"' in r.text


def test_nothing_can_be_written(client):
    for method in ("post", "put", "delete", "patch"):
        r = client.request(method.upper(), "/", data={"q": "x"})
        assert r.status_code == 405, method
        r = client.request(method.upper(), "/api/search?q=x")
        assert r.status_code == 405 and "error" in r.json()


# -- escaping ----------------------------------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _hostile_pages(client) -> list[str]:
    found = client.get("/api/search", params={"q": "zyxquorum"}).json()
    assert found["total"] >= 1
    pid = found["hits"][0]["passage_id"]
    return [
        client.get("/", params={"q": "zyxquorum"}).text,
        client.get("/", params={"q": "zyxquorum", "speaker": VORONKOV}).text,
        client.get(f"/passage/{pid}").text,
        client.get(
            "/", params={"q": '"><img src=x onerror=alert(1)> <script>alert(2)</script>'}
        ).text,
        client.get("/", params={"q": "zyxquorum\x1b[31m\u202e"}).text,
        client.get("/", params={"q": "<script>", "speaker": "<img src=x onerror=alert(3)>"}).text,
    ]


def test_document_text_and_queries_show_as_text_never_as_markup(client):
    for html in _hostile_pages(client):
        assert "<script>alert" not in html and "<img src=x" not in html
        scripts = [a for t, a in Page(html).tags if t == "script"]
        assert scripts == [{"src": "/static/app.js", "defer": ""}]
        assert not any("onerror" in a for _, a in Page(html).tags)
        assert not any(v.strip().lower().startswith("javascript") for _, a in Page(html).tags
                       for v in a.values())  # fmt: skip
    first = _hostile_pages(client)[0]
    assert "&lt;script&gt;alert(" in first  # shown, escaped
    assert "&#34;&gt;&lt;img src=x" in first or "&quot;&gt;&lt;img src=x" in first


def test_control_characters_never_reach_a_page(client):
    for html in _hostile_pages(client):
        assert not CONTROL.search(html), CONTROL.search(html)


def test_a_javascript_source_url_is_not_a_link(client):
    pid = client.get("/api/search", params={"q": "zyxquorum"}).json()["hits"][0]["passage_id"]
    r = client.get(f"/passage/{pid}")
    assert 'href="javascript' not in r.text.lower()


def test_every_answer_carries_the_security_headers(client):
    for path in ("/", "/?q=drones", "/api/stats", "/static/style.css", "/nothing"):
        h = client.get(path).headers
        assert "script-src 'self'" in h["content-security-policy"], path
        assert "default-src 'none'" in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"


def test_pages_load_nothing_from_elsewhere(client):
    html = client.get("/", params={"q": "terrorism"}).text
    for tag, attrs in Page(html).tags:
        for name in ("src", "href"):
            value = attrs.get(name, "")
            if tag in ("script", "link", "img") and value:
                assert value.startswith("/static/"), (tag, value)
    css = client.get("/static/style.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "url(" not in css.text and "@import" not in css.text
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "http" not in js.text.replace("https?", "")


# -- robustness --------------------------------------------------------------------------------


def test_a_bug_is_a_500_with_one_line_and_no_traceback(web_index, web_corpus, capsys, monkeypatch):
    monkeypatch.delenv("CTSEARCH_DEBUG", raising=False)
    app = create_app(web_index, web_corpus)

    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line <b>")

    app.state.engine.search = broken
    with TestClient(app) as c:
        page = c.get("/", params={"q": "drones"})
        api = c.get("/api/search", params={"q": "drones"})
    assert page.status_code == 500 and api.status_code == 500
    assert "internal error (RuntimeError: boom second line &lt;b&gt;)" in page.text
    assert api.json()["error"].startswith("internal error (RuntimeError: boom second line <b>)")
    assert "Traceback" not in page.text + api.text
    err = capsys.readouterr().err
    assert "internal error" in err and "Traceback" not in err


def test_a_missing_index_is_a_503_that_says_so(tmp_path):
    with TestClient(create_app(tmp_path / "index", None)) as c:
        page = c.get("/", params={"q": "drones"})
        api = c.get("/api/search", params={"q": "drones"})
        home = c.get("/")
    assert page.status_code == 503 and "no index in" in page.text
    assert api.status_code == 503 and "no index in" in api.json()["error"]
    assert home.status_code == 200


def test_only_the_allowed_host_names_are_answered(web_index, web_corpus):
    app = create_app(web_index, web_corpus, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        assert c.get("/api/stats").status_code == 200
        assert c.get("/api/stats", headers={"host": "attacker.example"}).status_code == 400


def test_a_running_app_sees_what_an_update_commits(tmp_path):
    """Without restarting: a document added and indexed is found; one removed is gone; the
    counts follow."""
    from ctsearch.index.sync import sync_index

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "index"
    sync_index(corpus, index)
    with TestClient(create_app(index, corpus)) as c:
        assert c.get("/api/search", params={"q": "zyxfresh"}).json()["total"] == 0
        assert "<mark>" not in c.get("/", params={"q": "zyxfresh"}).text  # a page now kept
        documents = c.get("/api/stats").json()["documents"]
        (corpus / "fresh.txt").write_text(
            "Geneva, 1 May 2024 – The zyxfresh initiative was launched today.\n", encoding="utf-8"
        )
        sync_index(corpus, index)
        found = c.get("/api/search", params={"q": "zyxfresh"}).json()
        assert found["total"] == 1
        assert "<mark>zyxfresh</mark>" in c.get("/", params={"q": "zyxfresh"}).text
        assert c.get("/api/stats").json()["documents"] == documents + 1
        (corpus / "fresh.txt").unlink()
        sync_index(corpus, index)
        assert c.get("/api/search", params={"q": "zyxfresh"}).json()["total"] == 0
        assert "<mark>" not in c.get("/", params={"q": "zyxfresh"}).text
        assert c.get(f"/passage/{found['hits'][0]['passage_id']}").status_code == 404


def test_a_page_asked_again_is_the_kept_page(web_index, web_corpus, monkeypatch):
    import ctsearch.searching.search as searching

    asked = []
    real = searching.search

    def counting(query, **kwargs):
        asked.append(query)
        return real(query, **kwargs)

    monkeypatch.setattr(searching, "search", counting)
    with TestClient(create_app(web_index, web_corpus)) as c:
        c.get("/api/stats")  # the census the form lists (a page before it is another page)
        first = c.get("/", params={"q": "drones", "page": "1"})
        again = c.get("/", params={"q": "drones", "page": "1"})
        assert again.status_code == 200 and again.text == first.text and asked == ["drones"]
        assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
        c.get("/", params={"q": "drones", "speaker": GUTERRES})  # another URL: another page
        assert len(asked) == 2
    with TestClient(create_app(web_index, web_corpus, keep=0)) as c:
        c.get("/", params={"q": "drones"})
        c.get("/", params={"q": "drones"})
    assert len(asked) == 4


def test_results_page_is_usable_on_a_phone(client):
    html = client.get("/", params={"q": "drones"}).text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    css = client.get("/static/style.css").text
    assert "@media (max-width" in css and "max-width: 70ch" in css


# -- trend and quote ---------------------------------------------------------------------------


def test_every_result_list_links_to_the_trend_of_its_query(client):
    r = client.get("/", params={"q": "victims", "speaker": "guterres"})
    href = Page(r.text).link("See how this term moves over the years →")
    assert urlsplit(href).path == "/trend"
    assert parse_qs(urlsplit(href).query) == {"q": ["victims"], "speaker": ["guterres"]}


@pytest.mark.parametrize("by", ["year", "speaker", "conference", "type"])
def test_trend_page_draws_the_trends_numbers(client, by):
    r = client.get("/trend", params={"q": "terrorism", "by": by})
    assert r.status_code == 200
    data = client.get("/api/trend", params={"q": "terrorism", "by": by}).json()
    cell = r"<td>([\d.,]+)</td>"
    rows = re.findall(r'<tr><th scope="row"><a href="[^"]*">([^<]*)</a></th>' + cell * 4, r.text)
    expected = [
        (
            b["key"],
            f"{b['matches']:,}",
            f"{b['documents']:,}",
            f"{b['passages']:,}",
            f"{b['per_1000']:,.1f}",
        )
        for b in data["buckets"]
    ]
    assert [(k.replace("&#39;", "'"), *rest) for k, *rest in rows] == expected
    bars = re.findall(r'<rect class="bar" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', r.text)
    assert len(bars) == len(data["buckets"])
    top = max(b["per_1000"] for b in data["buckets"])
    for width, b in zip(map(float, bars), data["buckets"], strict=True):
        assert (width == 0) == (b["per_1000"] == 0)
        if top:
            assert width == pytest.approx(b["per_1000"] / top * max(map(float, bars)), abs=0.05)


def test_trend_bucket_links_search_that_bucket(client):
    r = client.get("/trend", params={"q": "terrorism", "by": "year"})
    href = Page(r.text).link("2021")
    assert parse_qs(urlsplit(href).query) == {"q": ["terrorism"], "year": ["2021"]}


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"q": "x", "by": "month"}, 400, "by must be one of"),
        ({"q": "!!!"}, 400, "nothing to search for"),
        ({"q": "x", "speaker": "zzqq nobody"}, 400, "zzqq nobody"),
    ],
)
def test_a_bad_trend_request_is_a_400_page(client, params, status, message):
    r = client.get("/trend", params=params)
    assert r.status_code == status and message in r.text and 'id="q"' in r.text


def test_a_trend_page_links_to_json_the_api_answers(client):
    """Reached from a search with expansion off (expand=0), its JSON link still works."""
    for params in ({"q": "terrorism", "by": "type"}, {"q": "ISIS", "expand": "0"}):
        r = client.get("/trend", params=params)
        href = Page(r.text).link("this trend as JSON")
        assert urlsplit(href).path == "/api/trend" and client.get(href).status_code == 200, href


def test_trend_page_without_a_query_is_the_form(client):
    r = client.get("/trend")
    assert r.status_code == 200 and 'id="q"' in r.text and "<svg" not in r.text


def test_quote_page_finds_the_source_with_the_differences_marked(client):
    text = "we must uphold the rights of victims and make sure that they have a voice"
    r = client.get("/quote", params={"q": text})
    assert r.status_code == 200
    data = client.get("/api/quote", params={"q": text}).json()
    assert data["found"] and "Found:" in r.text
    first = data["matches"][0]
    assert f'/passage/{first["passage_id"]}"' in r.text
    assert "<del" in r.text or "<ins" in r.text  # the changed words are marked


def test_quote_page_says_not_found(client):
    r = client.get(
        "/quote", params={"q": "The moon is made of green cheese and nobody can prove otherwise"}
    )
    assert r.status_code == 200 and "Not found" in r.text


def test_quote_page_escapes_the_quote(client):
    r = client.get(
        "/quote", params={"q": '"><img src=x onerror=alert(1)> <script>alert(1)</script> zyxquorum'}
    )
    assert r.status_code == 200
    assert "<img src=x" not in r.text and "<script>alert" not in r.text


def test_vocabulary_expansions_are_shown_when_the_library_reports_them(client):
    """Issue 12 adds `expanded` ({"ISIS": ["ISIL", …]}) to search results: shown, escaped."""
    from ctsearch.web import pages
    from ctsearch.web.params import SearchState

    class Result:  # the fields results_view reads, plus `expanded`
        query, total, total_exact, page, hits, suggestion = "ISIS", 0, True, 1, (), None
        facets, facets_exact, excluded_by, filters = {}, True, (), {}
        expanded = {"ISIS": ("ISIL", "Da’esh", "<b>x</b>")}

    view = pages.results_view(SearchState(q="ISIS"), Result())
    assert view["expanded"] == [("ISIS", "ISIL, Da’esh, <b>x</b>")]
    html = client.app.state.templates.get_template("search.html").render(
        request=None, title=None, state=SearchState(q="ISIS"),
        form={"speakers": [], "conferences": [], "types": ()}, error=None, filters=[], **view,
    )  # fmt: skip
    assert "Also matched:" in html and "ISIS → ISIL, Da’esh, &lt;b&gt;x&lt;/b&gt;" in html


def test_expansions_can_be_turned_off_and_on_from_the_page(client):
    r = client.get("/", params={"q": "ISIS"})
    assert "Also matched:" in r.text
    off = Page(r.text).link("Search only the words as typed")
    assert parse_qs(urlsplit(off).query) == {"q": ["ISIS"], "expand": ["0"]}
    r = client.get(off)
    assert "Also matched:" not in r.text and 'name="expand" value="0"' in r.text
    on = Page(r.text).link("Match their other forms too")
    assert parse_qs(urlsplit(on).query) == {"q": ["ISIS"]}
