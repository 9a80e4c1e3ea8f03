"""`ctsearch.whoosh_ext.imports`: Whoosh imported without urllib.request/asyncio/morph_en,
same results."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Modules a search must never import: heavy, or not its job (ingestion, NLTK).
FORBIDDEN = (
    "nltk",
    "ftfy",
    "charset_normalizer",
    "ctsearch.documents.parse",
    "ctsearch.documents.passages",
    "ctsearch.corpus.read",
    "ctsearch.documents.docdate",
    "ctsearch.documents.doctypes",
    "dateparser",
    "urllib.request",
    "http.client",
    "email",
    "asyncio",
    "cached_property",
    "whoosh.lang.morph_en",
    "difflib",
    "hashlib",  # OpenSSL
    "tempfile",
    "random",
    "calendar",
    "html.entities",
    "queue",
    # The research views and the web stack stay off the search path too.
    "rapidfuzz",
    "matplotlib",
    "ctsearch.searching.quotes",
    "ctsearch.searching.trends",
    "ctsearch.searching.concordance",
    "ctsearch.searching.exports",
    "ctsearch.trendplot",
    "ctsearch.output_views",
    "ctsearch.web",
    "starlette",
    "uvicorn",
    "jinja2",
    "markupsafe",
    "anyio",
    "h11",
    # Fetching and PDF parsing belong to `ctsearch add` and ingestion.
    "pypdf",
    "trafilatura",
    "lxml",
)

QUERIES = ["drones", "terrorism victims", '"foreign terrorist fighters"', "counter*", "terorism~"]

_RUN = """
import json, sys
from pathlib import Path
if sys.argv[2] == "heavy":
    import urllib.request, asyncio, cached_property, whoosh.lang.morph_en  # the real modules
    import whoosh.compat, whoosh.reading, whoosh.query.terms  # Whoosh first: whooshlite stands by
from ctsearch.searching.search import search
out = []
for q in json.loads(sys.argv[3]):
    r = search(q, index_dir=Path(sys.argv[1]), facets=True)
    out.append([r.total, [(h.passage_id, h.score, h.highlight) for h in r.hits], r.facets])
print(json.dumps({"results": out, "modules": sorted(sys.modules)}))
"""


def _run(index: str, mode: str) -> dict:
    r = subprocess.run(
        [sys.executable, "-c", _RUN, index, mode, json.dumps(QUERIES)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def runs(real_index):
    return {mode: _run(str(real_index), mode) for mode in ("light", "heavy")}


def test_search_results_are_identical_with_and_without_the_stand_ins(runs):
    assert runs["light"]["results"] == runs["heavy"]["results"]
    assert any(total for total, _, _ in runs["light"]["results"])


def test_a_search_imports_nothing_heavy(runs):
    loaded = set(runs["light"]["modules"])
    assert not [m for m in FORBIDDEN if m in loaded]


def test_importing_whoosh_loads_none_of_the_modules_it_was_spared():
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import ctsearch.whoosh_ext.imports as w\n"
        "import whoosh.index, whoosh.searching, whoosh.qparser, whoosh.highlight\n"
        "print(' '.join(n for n in w.STAND_INS if n in sys.modules and n not in before))\n"
        "heavy = ('bz2', 'lzma', 'http.client', 'asyncio')\n"
        "print(' '.join(n for n in heavy if n in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:2] == ["", ""], r.stdout


def test_the_cli_search_imports_nothing_heavy(real_index, real_corpus):
    """`ctsearch search` (a top-level package in FORBIDDEN stands for all its modules)."""
    code = (
        "import sys\n"
        "from ctsearch.cli import cli\n"
        "try:\n"
        "    cli(['search', 'drones', '--index', sys.argv[1], '--corpus', sys.argv[2]],\n"
        "        prog_name='ctsearch')\n"
        "except SystemExit as e:\n"
        "    assert not e.code, e.code\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(real_index), str(real_corpus)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    loaded = set(r.stdout.split("MODULES", 1)[1].split())
    assert "whoosh.searching" in loaded  # it did search
    assert not [m for m in FORBIDDEN if m in loaded]


def test_stand_ins_are_gone_after_import_and_the_real_modules_load():
    code = (
        "import sys, ctsearch.whoosh_ext.imports as w\n"
        "assert not [n for n, s in w.STAND_INS.items() if sys.modules.get(n) is s]\n"
        "import urllib.request, cached_property, whoosh.lang.morph_en\n"
        "assert urllib.request.urlopen and cached_property.threaded_cached_property\n"
        "assert whoosh.lang.morph_en.variations('run')\n"
        "import whoosh.compat\n"
        "assert whoosh.compat.urlretrieve('file:///dev/null')\n"
        "assert whoosh.compat.htmlescape('<a>') == '&lt;a&gt;'\n"
        "assert whoosh.compat.queue.Queue().empty()\n"
        "import tempfile, shutil, random, calendar, hashlib, html.entities\n"
        "assert not [m for m in (tempfile, shutil, random, calendar, hashlib) if m in\n"
        "            w.STAND_INS.values()]\n"
        "assert tempfile.gettempdir() and shutil.copyfileobj and random.random() < 1\n"
        "import whoosh.filedb.filestore as fs, whoosh.util as u, whoosh.util.times as t\n"
        "assert fs.tempfile.gettempdir() == tempfile.gettempdir()\n"
        "assert len(u.random_name(12)) == 12 and t.calendar.monthrange(2024, 2)[1] == 29\n"
        "import whoosh.filedb.filetables as ft\n"
        "assert ft.md5(b'ctsearch').hexdigest() == hashlib.md5(b'ctsearch').hexdigest()\n"
        "expected = int(hashlib.md5(b'drones').hexdigest(), 16) & 0xFFFFFFFF\n"
        "assert ft.md5_hash(b'drones') == expected\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_whoosh_writes_and_reads_an_index_with_the_stand_ins(tmp_path):
    """Writing uses what a search does not (temporary names, copying files): still works."""
    code = (
        "import sys, ctsearch.whoosh_ext.imports as w\n"
        "from whoosh.fields import Schema, TEXT, ID\n"
        "from whoosh.filedb.filestore import FileStorage\n"
        "ix = FileStorage(sys.argv[1]).create_index(Schema(id=ID(stored=True), t=TEXT))\n"
        "for n in range(3):\n"
        "    with ix.writer() as wr:\n"
        "        wr.add_document(id=str(n), t='drones and more drones')\n"
        "ix.writer().commit(optimize=True)  # merges segments: compound files, temp names\n"
        "from whoosh.query import Term\n"
        "with ix.searcher() as s:\n"
        "    print(sorted(h['id'] for h in s.search(Term('t', 'drones'))))\n"
        "assert 'tempfile' not in sys.modules or sys.modules['tempfile'].__file__\n"
    )
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["['0',", "'1',", "'2']"]
