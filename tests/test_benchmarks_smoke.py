"""Smoke tier of the benchmark suite (benchmarks/): the corpus generator is deterministic and
realistic in shape, the harness pieces work, and a generated 1k-passage corpus indexes and
answers the query mix through the Python API."""

from __future__ import annotations

import importlib
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # benchmarks/ is a folder of scripts beside the package
    sys.path.insert(0, str(REPO))

generate = importlib.import_module("benchmarks.generate")
measure = importlib.import_module("benchmarks.measure")
queries = importlib.import_module("benchmarks.queries")
report = importlib.import_module("benchmarks.report")

DATELINE = re.compile(
    r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December) (?:19|20)\d\d\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{1,2}, (?:19|20)\d\d\b",
    re.IGNORECASE,
)
QUOTE = re.compile(r"“[^”]{20,}”\*? (?:said|stated|added|noted|stressed|he said|she said)")
REPORTED = re.compile(
    r"\b(?:Mr|Ms)\. [A-Z][\w-]+ (?:emphasized|stressed|underscored|noted|"
    r"highlighted|reiterated|recalled|warned|added) that\b"
)


def read_text(path: Path) -> str:
    """Decode a generated file the way a reader of the wild would have to."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def corpus_texts(folder: Path) -> dict[Path, str]:
    return {p: read_text(p) for p in sorted(folder.rglob("*")) if p.suffix in (".txt", ".md")}


def vocabulary(folder: Path) -> Counter:
    words: Counter = Counter()
    for text in corpus_texts(folder).values():
        words.update(re.findall(r"[^\W\d_]+", text.lower()))
    return words


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("gen") / "corpus"
    return out, generate.generate(600, out)


def test_same_seed_and_size_give_identical_bytes(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate.generate(300, a)
    generate.generate(300, b)
    generate.generate(300, c, seed=7)
    assert generate.corpus_digest(a) == generate.corpus_digest(b)
    assert generate.corpus_digest(a) != generate.corpus_digest(c)


def test_output_does_not_depend_on_hash_randomisation(tmp_path):
    script = REPO / "benchmarks" / "generate.py"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, str(script), "--passages", "300", "--out", str(tmp_path / "child")],
        check=True,
        env=env,
        capture_output=True,
    )
    generate.generate(300, tmp_path / "here")
    assert generate.corpus_digest(tmp_path / "child") == generate.corpus_digest(tmp_path / "here")


def test_files_and_passage_budget(small):
    out, manifest = small
    texts = corpus_texts(out)
    assert manifest["passages"] == 600
    assert len(texts) == manifest["files"]
    # 20-40 passages per document, 60-100 words per passage (plus headers and furniture).
    assert 600 / 40 <= len(texts) <= 600 / 20 + 1
    words = sum(len(t.split()) for t in texts.values())
    assert 60 * 600 <= words <= 115 * 600
    assert all(p.parent.name.isdigit() and 2006 <= int(p.parent.name) <= 2026 for p in texts)
    assert len(manifest["kinds"]) >= 5


def test_documents_look_like_the_real_ones(small):
    out, manifest = small
    texts = corpus_texts(out).values()
    dated = [t for t in texts if DATELINE.search(t)]
    assert len(dated) >= 0.8 * len(texts)  # web pages may carry only a year
    joined = "\n".join(texts)
    assert QUOTE.search(joined), "direct quotes attributed to a speaker"
    assert REPORTED.search(joined), "reported speech: Mr./Ms. X stressed that ..."
    assert "PRESS RELEASE" in joined.upper()
    assert "[as delivered]" in joined or "Remarks by" in joined
    assert re.search(r"^\S.*\n\n\S.*\n\n\S", joined, re.M), "PDF text with blank line per line"
    assert re.search(r"[a-z]-\s*\n", joined), "hard wraps with end-of-line hyphens"
    assert "António Guterres" in manifest["speakers"] or "Ban Ki-moon" in manifest["speakers"]


def test_vocabulary_keeps_growing(tmp_path):
    small_vocab = vocabulary(generate_to(tmp_path / "s", 300))
    big_vocab = vocabulary(generate_to(tmp_path / "b", 3000))
    real_vocab = vocabulary(REPO / "corpus") if (REPO / "corpus").is_dir() else Counter()
    assert len(big_vocab) >= 2.5 * len(small_vocab)
    # Not the real documents' words resampled: most of the big vocabulary is new.
    assert len(set(big_vocab) - set(real_vocab)) >= 0.6 * len(big_vocab)
    hapax = sum(1 for c in big_vocab.values() if c == 1)
    assert hapax >= 0.2 * len(big_vocab)  # a long Zipfian tail, as in real text


def generate_to(folder: Path, passages: int) -> Path:
    generate.generate(passages, folder)
    return folder


def test_extra_document_is_new_and_deterministic(small):
    out, _ = small
    doc = generate.extra_document(600, nth=0)
    assert doc == generate.extra_document(600, nth=0)
    assert doc != generate.extra_document(600, nth=1)
    assert doc not in corpus_texts(out).values()
    assert DATELINE.search(doc)


@pytest.mark.parametrize("width", [40, 72, 100])
def test_wrap_keeps_every_character(width):
    text = "The Counter-Terrorism Office strengthened international counter-terrorism " * 20
    lines = generate.wrap(text.strip(), width, random.Random(1))
    assert all(len(line) <= width + 1 for line in lines)
    # Joining at spaces and re-gluing hyphen breaks gives the text back.
    rejoined = ""
    for line in lines:
        rejoined += line if rejoined.endswith("-") else (" " + line if rejoined else line)
    squashed = rejoined.replace("-", "")
    assert squashed.replace(" ", "") == text.strip().replace("-", "").replace(" ", "")


def test_parse_size():
    assert [generate.parse_size(s) for s in ("1k", "10K", "100k", "2500")] == [
        1000,
        10_000,
        100_000,
        2500,
    ]


def test_generate_cli_refuses_a_non_empty_folder(tmp_path, capsys):
    (tmp_path / "x.txt").write_text("x")
    assert generate.main(["--passages", "10", "--out", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err


def test_verdicts_say_met_or_by_how_much():
    assert report.verdict(70.0, 80.0, unit=" ms") == "met"
    assert report.verdict(100.0, 80.0, unit=" ms") == "missed by 20.0 ms (25%)"
    assert report.verdict(1800.0, 2000.0, higher_is_better=True, unit="/s") == (
        "missed by 200/s (10%)"
    )
    assert report.verdict(None, 1.0) == report.NA


def test_readme_block_is_replaced_between_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{report.START}\nold\n{report.END}\nafter\n")
    report.write_readme(readme, "new table")
    assert readme.read_text() == f"intro\n{report.START}\nnew table\n{report.END}\nafter\n"


def test_render_degrades_to_not_available():
    results = {
        "machine": {"CPU": "x"},
        "command": "python benchmarks/run.py",
        "sizes": [
            {
                "passages": 1000,
                "files": 34,
                "build": {"ok": False, "why": "`ctsearch index` not available"},
                "queries": {"why": "no index was built"},
            }
        ],
        "add": {"ok": False, "why": "`ctsearch add` not available"},
        "e2e": {"ok": False, "why": "`ctsearch search` not available"},
    }
    text = report.render(results)
    assert "`ctsearch index` not available" in text
    assert "`ctsearch add` not available" in text
    assert "| 1k | 34 |" in text


def test_measure_reports_peak_memory_of_the_child():
    m = measure.measure(
        [sys.executable, "-c", "b = bytearray(64_000_000); b[::4096] = b'x' * len(b[::4096])"]
    )
    assert m["rc"] == 0 and m["wall_s"] > 0
    assert m["maxrss_kb"] >= 60_000
    assert m["tree_peak_kb"] >= m["maxrss_kb"]


def test_percentile_is_nearest_rank():
    values = [float(x) for x in range(1, 101)]
    assert queries.percentile(values, 95) == 95.0
    assert queries.percentile(values, 50) == 50.0
    assert queries.percentile([3.0], 95) == 3.0


def test_generated_corpus_indexes_and_answers_the_query_mix(tmp_path):
    import ctsearch

    search = queries.api_search()  # the public API function `ctsearch.search`
    corpus = tmp_path / "corpus"
    manifest = generate.generate(1000, corpus)
    index = tmp_path / "index"
    ctsearch.build_index(corpus, index, rebuild=True)
    res = search('"human rights"', index_dir=index, limit=10)
    assert res.total > 0 and res.hits
    assert all(h.highlight != h.text for h in res.hits), "phrase matches are highlighted"
    res = search("victims", index_dir=index, speakers=["guterres"], limit=5)
    assert res.hits and all("António Guterres" in h.speakers for h in res.hits)
    res = search("drones", index_dir=index, date_from="2021-01-01", facets=True)
    assert all(h.date is None or h.date >= "2021" for h in res.hits)
    assert res.facets
    out = queries.run(index, json.loads(json.dumps(manifest)), timed=30)
    assert out["summary"]["overall"]["n"] == out["queries_in_mix"] - len(out["errors"])
    # The fixed mix is written for this corpus family: nearly every query finds something.
    assert len(out["zero_hits"]) <= 3, out["zero_hits"]
    fixed = {queries.label(q, opts) for _, q, opts in queries.BASE_MIX}
    assert not fixed & set(out["errors"]), out["errors"]


def test_explain_names_the_causes_it_can_see():
    results = {
        "sizes": [
            {
                "passages": 10_000,
                "build": {"ok": True, "wall_s": 60.0, "passages_indexed": 9_600},
                "ingest": {"seconds": 15.0, "passages": 9_600},
                "reindex_noop": {"ok": True, "wall_s": 58.0},
                "queries": {"summary": {"facets": {"p50": 110.0}, "overall": {"p50": 40.0}}},
            }
        ],
        "e2e": {"ok": True, "python_ms": 45.0, "search_ms": 300.0, "imports": {"total_ms": 190}},
    }
    why = " ".join(report.explain(results))
    assert "machine was busy" in why
    assert "ingestion alone (one process) runs at 640 passages/s" in why
    assert "45.0 s are indexing and commit" in why
    assert "Re-indexing the unchanged 10k corpus took 58.0 s" in why
    assert "facets 110 ms" in why
    quiet = {"sizes": [], "e2e": {"ok": True, "python_ms": 9.0, "search_ms": 50.0}}
    assert report.explain(quiet) == []


FAKE_CTSEARCH = """\
import pathlib, shutil, sys
args = sys.argv[1:]
if args[:1] != ["add"]:
    sys.exit(2)
if "--help" in args:
    print("Usage: ctsearch add FILE...")
    sys.exit(0)
src, corpus = pathlib.Path(args[1]), pathlib.Path(args[args.index("--corpus") + 1])
shutil.copy(src, corpus / src.name)
(corpus / (src.stem + ".meta.toml")).write_text("")
"""


def fake_tools(tmp_path: Path, monkeypatch):
    """run.Tools pointed at a stand-in `ctsearch` that only knows `add`."""
    run = importlib.import_module("benchmarks.run")
    monkeypatch.setattr(run, "WORK", tmp_path / "work")
    (tmp_path / "work").mkdir()
    script = tmp_path / "ctsearch"
    script.write_text(f"#!{sys.executable}\n{FAKE_CTSEARCH}")
    script.chmod(0o755)
    tools = run.Tools()
    tools.ctsearch = str(script)
    return run, tools


def test_add_is_timed_and_the_corpus_restored(tmp_path, monkeypatch):
    run, tools = fake_tools(tmp_path, monkeypatch)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "kept.txt").write_text("x")
    out = run.bench_add(tools, corpus, tmp_path / "index", 1000, 2, generate.DEFAULT_SEED)
    assert out["ok"] and len(out["walls"]) == 2 and out["median_s"] > 0
    assert sorted(p.name for p in corpus.iterdir()) == ["kept.txt"]


def test_missing_commands_are_reported_not_available(tmp_path, monkeypatch):
    run, tools = fake_tools(tmp_path, monkeypatch)
    corpus = tmp_path / "corpus"
    assert run.bench_build(tools, corpus, tmp_path / "i", 1000)["why"] == (
        "`ctsearch index` not available"
    )
    assert run.bench_e2e(tools, 1)["why"] == "`ctsearch search` not available"
