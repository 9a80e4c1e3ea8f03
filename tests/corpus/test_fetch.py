"""`ctsearch add URL`: against a local HTTP server started by the test (no outside network)."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from docmakers import SEEDS, make_html, make_pdf, paragraphs_of

from ctsearch.cli import cli
from ctsearch.corpus import fetch
from ctsearch.corpus.add import add_urls
from ctsearch.documents.parse import parse_file
from ctsearch.errors import DocumentError

CTSEARCH = Path(sys.executable).parent / "ctsearch"


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802  (the name http.server calls)
        if self.path == "/slow":
            time.sleep(3)
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A local server: a PDF and a web page made from the seed texts, and bad answers."""
    tmp = tmp_path_factory.mktemp("site")
    pdf = make_pdf(tmp / "s.pdf", paragraphs_of(parse_file(SEEDS[1]).text)).read_bytes()
    paras = paragraphs_of(parse_file(SEEDS[4]).text)
    page = make_html(paras, title=paras[0]).encode("utf-8")
    pdf_type = {"Content-Type": "application/pdf"}
    html_type = {"Content-Type": "text/html; charset=utf-8"}
    _Handler.routes = {
        "/statement.pdf": (200, pdf_type, pdf),
        "/news/2021/conference-page": (200, html_type, page),
        "/download?id=7": (200, {"Content-Type": "application/octet-stream"}, pdf),
        "/moved": (302, {"Location": "/statement.pdf"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/to-ftp": (302, {"Location": "ftp://example.org/x.pdf"}, b""),
        "/image.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
        "/fake.pdf": (200, pdf_type, b"<html><body>Access denied</body></html>"),
        "/huge": (200, {**html_type, "Content-Length": str(2**40)}, b"<html>"),
        "/empty": (200, html_type, b""),
        "/slow": (200, html_type, page),
        "/error": (500, html_type, b"oops"),
    }
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("CTSEARCH_INDEX", None)
    env.pop("CTSEARCH_CORPUS", None)
    return env


def test_add_a_pdf_address_then_search_finds_it(server: str, tmp_path: Path) -> None:
    """The issue's example, as real processes: add the address, then search."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    where = ["--corpus", str(corpus), "--index", str(index)]
    url = f"{server}/statement.pdf"
    added = subprocess.run(
        [str(CTSEARCH), "add", url, "--speaker", "António Guterres", "--date", "2018-06-29",
         *where],
        capture_output=True, text=True, timeout=120, env=_env(),
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Traceback" not in added.stderr
    name = f"127.0.0.1-{server.rsplit(':', 1)[1]}_statement"
    stored = corpus / f"{name}.pdf"
    assert stored.read_bytes().startswith(b"%PDF-")  # the original bytes, not extracted text
    assert _Handler.routes["/statement.pdf"][2] == stored.read_bytes()
    side = (corpus / f"{name}.meta.toml").read_text()
    assert f'url = "{url}"' in side and "António Guterres" in side and "2018-06-29" in side
    found = subprocess.run(
        [str(CTSEARCH), "search", '"Passenger Name Record"', "--json", *where],
        capture_output=True, text=True, timeout=120, env=_env(),
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    hits = json.loads(found.stdout)["hits"]
    assert hits and hits[0]["doc_id"] == name
    assert hits[0]["speakers"] == ["António Guterres"] and hits[0]["date"] == "2018-06-29"
    assert hits[0]["source"].endswith(f"{name}.pdf")
    shown = subprocess.run(
        [str(CTSEARCH), "show", hits[0]["passage_id"], *where],
        capture_output=True, text=True, timeout=120, env=_env(),
    )  # fmt: skip
    assert url in shown.stdout  # the citation line gives the address


def test_add_a_web_page_address(server: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["add", f"{server}/news/2021/conference-page", "--corpus", str(tmp_path / "c"),
         "--index", str(tmp_path / "i")],
    )  # fmt: skip
    assert result.exit_code == 1  # the corpus folder does not exist
    (tmp_path / "c").mkdir()
    result = CliRunner().invoke(
        cli,
        ["add", f"{server}/news/2021/conference-page", "--corpus", str(tmp_path / "c"),
         "--index", str(tmp_path / "i"), "--type", "web_page"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    port = server.rsplit(":", 1)[1]
    page = tmp_path / "c" / f"127.0.0.1-{port}_news_2021_conference-page.html"
    doc = parse_file(page)
    assert doc.url == f"{server}/news/2021/conference-page"
    assert "Global Pandemic Environment" in doc.text


def test_a_redirect_is_followed_and_the_final_address_kept(server: str, tmp_path: Path) -> None:
    added, errors = add_urls([f"{server}/moved"], tmp_path)
    port = server.rsplit(":", 1)[1]
    assert errors == [] and [p.name for p in added] == [f"127.0.0.1-{port}_moved.pdf"]
    assert f'url = "{server}/statement.pdf"' in added[0].with_suffix(".meta.toml").read_text()


def test_a_generic_content_type_is_told_by_the_bytes(server: str) -> None:
    got = fetch.fetch(f"{server}/download?id=7")
    assert got.suffix == ".pdf" and got.name.endswith(".pdf") and "download" in got.name


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing.pdf", "HTTP 404"),
        ("/error", "HTTP 500"),
        ("/image.png", "unsupported content type image/png"),
        ("/fake.pdf", "not one (no %PDF- header)"),
        ("/huge", "too large"),
        ("/empty", "empty document"),
        ("/loop", "HTTP 302"),
        ("/to-ftp", "non-http"),
    ],
)
def test_a_failed_fetch_is_one_line_and_writes_nothing(server, tmp_path, path, reason) -> None:
    url = f"{server}{path}"
    result = CliRunner().invoke(
        cli, ["add", url, "--corpus", str(tmp_path), "--index", str(tmp_path / "index")]
    )
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and url in errors[0] and reason in errors[0], result.output
    assert list(tmp_path.iterdir()) == []  # no document, no sidecar, no index


def test_good_addresses_are_added_beside_a_failed_one(server: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["add", f"{server}/missing.pdf", f"{server}/statement.pdf", "--corpus", str(tmp_path),
         "--index", str(tmp_path / "index")],
    )  # fmt: skip
    assert result.exit_code == 1
    assert sorted(p.suffix for p in tmp_path.iterdir() if p.is_file()) == [".pdf", ".toml"]


def test_a_timeout_is_one_line(server: str, monkeypatch) -> None:
    monkeypatch.setattr(fetch, "TIMEOUT", 0.5)
    with pytest.raises(DocumentError, match="timed out"):
        fetch.fetch(f"{server}/slow")


@pytest.mark.parametrize(
    "url", ["ftp://example.org/a.pdf", "file:///etc/passwd", "http://", "https:///nohost"]
)
def test_only_http_addresses_are_fetched(url: str) -> None:
    with pytest.raises(DocumentError, match="not an http"):
        fetch.fetch(url)


def test_bad_options_fail_before_any_download(server: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["add", f"{server}/statement.pdf", "--date", "2021-13-45", "--corpus", str(tmp_path)]
    )
    assert result.exit_code == 1 and "date" in result.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "suffix", "name"),
    [
        ("https://www.un.org/sg/en/content/sg/speeches/2021-06-29/remarks", ".html",
         "un.org_sg_en_content_sg_speeches_2021-06-29_remarks.html"),
        ("https://www.un.org/counterterrorism/sites/doc.pdf", ".pdf",
         "un.org_counterterrorism_sites_doc.pdf"),
        ("http://127.0.0.1:8080/", ".html", "127.0.0.1-8080.html"),
        ("https://x.org/a%20b/..%2F..%2Fetc/passwd", ".html", "x.org_a_b_.._.._etc_passwd.html"),
        ("https://x.org/.hidden", ".html", "x.org_.hidden.html"),
    ],
)  # fmt: skip
def test_safe_name(url: str, suffix: str, name: str) -> None:
    assert fetch.safe_name(url, suffix) == name


def test_safe_names_are_short_safe_and_distinct() -> None:
    long = "https://x.org/" + "very-long-segment/" * 30
    a, b = fetch.safe_name(long + "a", ".pdf"), fetch.safe_name(long + "b", ".pdf")
    assert a != b and len(a) <= fetch.MAX_NAME and a.endswith(".pdf")
    q1 = fetch.safe_name("https://x.org/view?id=1", ".html")
    q2 = fetch.safe_name("https://x.org/view?id=2", ".html")
    assert q1 != q2
    for name in (a, q1):
        assert "/" not in name and not name.startswith(".")
