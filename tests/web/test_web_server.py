"""`ctsearch serve` as a user runs it: a real server in a subprocess on a free port."""

# ruff: noqa: F811  (the fixtures imported from webfixtures are parameters of the tests)
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request

from conftest import CORPUS
from webfixtures import RUN, Server, web_corpus, web_index  # noqa: F401  (fixtures)


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def test_serve_says_where_answers_and_stops_cleanly_on_ctrl_c(web_index, web_corpus):
    with Server("--port", "0", "--index", str(web_index), "--corpus", str(web_corpus)) as server:
        assert server.url and server.url.startswith("http://127.0.0.1:"), server.stderr
        status, html = get(server.url + "?q=drones")
        assert status == 200 and "<mark>" in html
        status, body = get(server.url + "api/search?q=drones")
        assert status == 200 and json.loads(body)["total"] >= 1
        status, body = get(server.url + "api/search?q=drones&limit=x")
        assert status == 400 and json.loads(body) == {
            "error": "limit must be a whole number, not 'x'"
        }
        code = server.stop()
    assert code == 0, server.stderr
    assert "stopped" in server.stderr
    assert "Traceback" not in server.stderr and "warning" not in server.stderr.lower()


def test_serve_builds_the_index_first_when_there_is_none(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    with Server("--port", "0", cwd=tmp_path) as server:
        assert server.url, server.stderr
        assert "no index in index; building it from corpus" in server.stderr
        assert "Indexed 5 documents" in server.stderr
        assert get(server.url + "api/stats")[0] == 200


def test_a_host_other_than_loopback_is_warned_about(web_index, web_corpus):
    with Server("--host", "0.0.0.0", "--port", "0", "--index", str(web_index)) as server:
        assert server.url, server.stderr
        warnings = [line for line in server.lines if line.startswith("warning:")]
        assert len(warnings) == 1 and "0.0.0.0" in warnings[0]
        assert "the index is visible to the network" in warnings[0]


def test_loopback_server_refuses_other_host_names(web_index):
    with Server("--port", "0", "--index", str(web_index)) as server:
        port = server.url.rsplit(":", 1)[1].strip("/")
        request = urllib.request.Request(
            server.url + "api/stats", headers={"Host": f"evil.example:{port}"}
        )
        try:
            urllib.request.urlopen(request, timeout=10)
            status = 200
        except urllib.error.HTTPError as e:
            status = e.code
        assert status == 400
        assert get(f"http://localhost:{port}/api/stats")[0] == 200


def test_a_port_in_use_is_one_line_and_exit_1(web_index):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        r = subprocess.run(
            [sys.executable, "-c", RUN, "serve", "--port", str(port), "--index", str(web_index)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and f"127.0.0.1:{port}" in r.stderr
    assert "--port" in r.stderr and "Traceback" not in r.stderr


def test_bad_options_are_usage_errors(web_index):
    r = subprocess.run(
        [sys.executable, "-c", RUN, "serve", "--port", "70000", "--index", str(web_index)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_a_foreign_index_folder_is_refused_before_serving(tmp_path):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "something.bin").write_bytes(b"\x00")
    r = subprocess.run(
        [sys.executable, "-c", RUN, "serve", "--port", "0", "--index", str(tmp_path / "index")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 1 and "did not write" in r.stderr and "Traceback" not in r.stderr


def test_a_running_server_answers_every_request_while_updates_commit(tmp_path):
    """Readers never fail while `ctsearch index` commits (added, changed and removed files),
    and see each commit without a restart."""
    import threading

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "index"
    where = ["--index", str(index), "--corpus", str(corpus)]
    subprocess.run([sys.executable, "-c", RUN, "index", *where], check=True, capture_output=True)
    failures: list[str] = []
    done = threading.Event()
    with Server("--port", "0", *where) as server:
        assert server.url, server.stderr

        def read() -> None:
            paths = ["?q=terrorism", "api/search?q=zyxwriter", "?q=victims&sort=date", "api/stats"]
            while not done.is_set():
                for path in paths:
                    status, body = get(server.url + path)
                    if status != 200:
                        failures.append(f"{path}: {status} {body[:200]}")

        readers = [threading.Thread(target=read) for _ in range(3)]
        for t in readers:
            t.start()
        try:
            for round_ in range(4):
                note = corpus / "writer.txt"
                note.write_text(
                    f"Geneva, 1 May 2024 – Round {round_} of the zyxwriter notes on drones.\n"
                    * (round_ + 1),
                    encoding="utf-8",
                )
                r = subprocess.run(
                    [sys.executable, "-c", RUN, "index", *where], capture_output=True
                )
                assert r.returncode == 0, r.stderr
                status, body = get(server.url + "api/search?q=zyxwriter")
                assert status == 200 and f"Round {round_} " in body  # the commit is seen
            (corpus / "writer.txt").unlink()
            subprocess.run(
                [sys.executable, "-c", RUN, "index", *where], check=True, capture_output=True
            )
            assert json.loads(get(server.url + "api/search?q=zyxwriter")[1])["total"] == 0
        finally:
            done.set()
            for t in readers:
                t.join(60)
    assert not failures, failures[:5]
    assert "Traceback" not in server.stderr


def test_open_starts_the_browser_on_the_servers_address(web_index, tmp_path, monkeypatch):
    import time

    opened = tmp_path / "opened.txt"
    opener = tmp_path / "opener.py"
    opener.write_text(f"import sys; open({str(opened)!r}, 'w').write(sys.argv[1])\n")
    monkeypatch.setenv("BROWSER", f"{sys.executable} {opener} %s")  # what webbrowser runs
    with Server("--port", "0", "--open", "--index", str(web_index)) as server:
        assert server.url, server.stderr
        deadline = time.monotonic() + 20
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text() == server.url
