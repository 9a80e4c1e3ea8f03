"""Fixtures of the web app's tests: the real corpus plus hostile documents, indexed once per
test session, and a Starlette TestClient on it.

Not a conftest.py: a second conftest module would shadow tests/conftest.py for the
`from conftest import …` of the other tests. Test modules import the fixtures they use."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import CORPUS

# A file whose title, text, speaker and source address try to inject markup, and carry
# control characters (ESC sequences, BEL, a bidirectional override): all must show as text.
HOSTILE_TEXT = (
    "Remarks on <script>alert('title')</script> and safety\n\n"
    'New York, 5 May 2022 – The Under-Secretary-General said that "><img src=x '
    "onerror=alert(1)> must always be read as plain text by every zyxquorum reader. "
    "Control \x1b[31mcolour\x1b[0m, a bell \x07 and a \u202ereversed\u202c word stay harmless.\n"
)
HOSTILE_SIDECAR = """\
title = "<script>alert('sidecar')</script> & \\"quoted\\" zyxquorum"
date = "2022-05-05"
doc_type = "statement"
speakers = ["Vladimir Voronkov"]
url = "javascript:alert(1)"
"""
LINKED_TEXT = (
    "Geneva, 2 March 2022 – A statement on the zyxlinked partnership for victims of "
    "terrorism, published with its source address.\n"
)
NESTED_TEXT = "Vienna, 4 April 2022 – A short note on zyxnested cooperation against terrorism.\n"
LINKED_SIDECAR = 'url = "https://example.org/statements/zyxlinked"\ndoc_type = "statement"\n'


def make_web_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (corpus / "hostile.meta.toml").write_text(HOSTILE_SIDECAR, encoding="utf-8")
    (corpus / "linked.txt").write_text(LINKED_TEXT, encoding="utf-8")
    (corpus / "linked.meta.toml").write_text(LINKED_SIDECAR, encoding="utf-8")
    # A document in a folder, with a space and an accent in its name: its passage ids hold
    # "/", " " and "é", which links must encode and routes decode.
    (corpus / "sub folder").mkdir()
    (corpus / "sub folder" / "note é.txt").write_text(NESTED_TEXT, encoding="utf-8")
    return corpus


_BUILT: dict[str, Path] = {}  # built once per test session, whichever module asks first


@pytest.fixture(scope="session")
def web_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real corpus with the hostile and linked documents, indexed (read-only for tests)."""
    from ctsearch.index.sync import sync_index

    if "corpus" not in _BUILT:
        corpus = make_web_corpus(tmp_path_factory.mktemp("web"))
        sync_index(corpus, corpus.parent / "index")
        _BUILT["corpus"] = corpus
    return _BUILT["corpus"]


@pytest.fixture(scope="session")
def web_index(web_corpus: Path) -> Path:
    return web_corpus.parent / "index"


@pytest.fixture()
def client(web_index: Path, web_corpus: Path):
    from starlette.testclient import TestClient

    from ctsearch.web import create_app

    with TestClient(create_app(web_index, web_corpus)) as c:
        yield c


RUN = "from ctsearch.cli import run; run()"
SERVING = re.compile(r"Serving .* at (http://\S+/) \(Ctrl-C to stop\)")


class Server:
    """A real `ctsearch serve` in a subprocess: its address, and its stderr as it comes."""

    def __init__(self, *args: str, cwd: Path | None = None, timeout: float = 60) -> None:
        env = {**os.environ, "NO_COLOR": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", RUN, "serve", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=cwd,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.url = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.proc.poll() is None:
            found = next((m for m in map(SERVING.search, list(self.lines)) if m), None)
            if found:
                self.url = found.group(1)
                break
            time.sleep(0.05)

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)

    def stop(self, sig: int = signal.SIGINT, timeout: float = 20) -> int:
        """Stop it as Ctrl-C does; its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self._reader.join(5)
        return code

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
