"""Run the ctsearch benchmark suite and write its table into benchmarks/README.md.

    .venv/bin/python benchmarks/run.py [--sizes 1k,10k,100k] [--quick] [--no-write]

For each size: generate the corpus (cached under benchmarks/work/), build the index from raw files
with `ctsearch index` (wall, passages/s, peak memory, size on disk), re-run it with nothing to do,
and time the fixed query mix in process. Then `ctsearch add` of one new document to the largest
index, and `ctsearch search drones` end to end on the bundled corpus beside `python -c pass`.
A measurement whose command is missing is reported as "not available" instead of stopping the run.
Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import generate, profile, report  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
BUILD_TIMEOUT_S = 1800.0
ADD_RUNS = 3
ADD_PREFIX = "zz-bench-add-"  # names of the documents `add` puts into a corpus; removed after
E2E_QUERY = "drones"
E2E_WARMUP = 3


def log(msg: str) -> None:
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


class Tools:
    """The interpreter and console script under test, and which commands they offer."""

    def __init__(self) -> None:
        self.python = sys.executable
        bindir = Path(sys.executable).parent  # not resolved: a venv's bin/ holds its scripts
        found = shutil.which("ctsearch", path=str(bindir)) or shutil.which("ctsearch")
        self.ctsearch = found
        self._help: dict[str, str | None] = {}

    def help(self, command: str) -> str | None:
        """`ctsearch COMMAND --help` text, or None when the command doesn't exist (yet)."""
        if command not in self._help:
            text = None
            if self.ctsearch:
                r = subprocess.run(
                    [self.ctsearch, command, "--help"], capture_output=True, text=True, timeout=60
                )
                text = r.stdout if r.returncode == 0 else None
            self._help[command] = text
        return self._help[command]

    def has(self, command: str) -> bool:
        return self.help(command) is not None

    def measure(self, args: list[str], timeout: float = BUILD_TIMEOUT_S) -> dict[str, Any]:
        """Run `ctsearch ARGS` in a fresh wrapper process (see measure.py)."""
        cmd = [
            self.python,
            str(HERE / "measure.py"),
            "--timeout",
            str(timeout),
            "--",
            self.ctsearch,
            *args,
        ]
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=WORK)
        if r.returncode != 0:
            return {"rc": None, "error": r.stderr[-500:]}
        return json.loads(r.stdout)


def _failure(m: dict[str, Any], what: str) -> str:
    if m.get("timed_out"):
        return f"{what} timed out after {m['wall_s']:.0f} s"
    tail = (m.get("stderr_tail") or m.get("error") or "").strip().splitlines()
    return f"{what} failed (exit {m.get('rc')}): {tail[-1] if tail else 'no message'}"


def _generator_digest() -> str:
    h = hashlib.sha256()
    for name in ("generate.py", "lexicon.py", "prose.py"):
        h.update((HERE / name).read_bytes())
    return h.hexdigest()[:16]


def ensure_corpus(passages: int, seed: int) -> tuple[Path, dict]:
    """The generated corpus for this size, regenerated only when seed or generator changed."""
    base = WORK / report.size_label(passages)
    corpus = base / "corpus"
    stamp = base / "corpus.stamp"
    want = {"seed": seed, "passages": passages, "generator": _generator_digest()}
    for leftover in corpus.glob(f"{ADD_PREFIX}*"):  # from an interrupted add measurement
        leftover.unlink()
    if corpus.is_dir() and stamp.is_file() and json.loads(stamp.read_text()) == want:
        return corpus, json.loads((corpus / ".benchmark-manifest.json").read_text("utf-8"))
    if corpus.exists():
        shutil.rmtree(corpus)
    t0 = time.perf_counter()
    manifest = generate.generate(passages, corpus, seed)
    log(f"generated {manifest['files']} files in {time.perf_counter() - t0:.1f} s")
    stamp.write_text(json.dumps(want))
    return corpus, manifest


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1024 / 1024


def indexed_passages(tools: Tools, index: Path) -> int | None:
    """Passages in the index according to `ctsearch stats --json`."""
    if not tools.has("stats"):
        return None
    r = subprocess.run(
        [tools.ctsearch, "stats", "--index", str(index), "--json"],
        capture_output=True,
        text=True,
        cwd=WORK,
        timeout=300,
    )
    try:
        return int(json.loads(r.stdout)["passages"])
    except (ValueError, KeyError, TypeError):
        return None


def bench_build(
    tools: Tools, corpus: Path, index: Path, nominal: int, timeout: float = BUILD_TIMEOUT_S
) -> dict[str, Any]:
    if not tools.has("index"):
        return {"ok": False, "why": "`ctsearch index` " + report.NA}
    if index.exists():  # every build starts from an empty folder, whatever the last run left
        shutil.rmtree(index)
    args = ["index", "--corpus", str(corpus), "--index", str(index)]
    if "--rebuild" in (tools.help("index") or ""):
        args.append("--rebuild")
    log(f"ctsearch {' '.join(args)}")
    m = tools.measure(args, timeout=timeout)
    if m.get("rc") != 0:
        return {"ok": False, "why": _failure(m, "index build")}
    counted = indexed_passages(tools, index)
    return {
        "ok": True,
        "wall_s": m["wall_s"],
        "maxrss_kb": m["maxrss_kb"],
        "tree_peak_kb": m["tree_peak_kb"],
        "index_mb": dir_mb(index),
        "passages_indexed": counted if counted is not None else nominal,
        "passages_counted": counted is not None,
    }


def bench_noop(tools: Tools, corpus: Path, index: Path) -> dict[str, Any]:
    m = tools.measure(["index", "--corpus", str(corpus), "--index", str(index)])
    if m.get("rc") != 0:
        return {"ok": False, "why": _failure(m, "re-index")}
    return {"ok": True, "wall_s": m["wall_s"]}


def bench_ingest(tools: Tools, corpus: Path) -> dict[str, Any]:
    """Ingestion alone (read, repair, split), to tell how much of a build it accounts for."""
    r = subprocess.run(
        [tools.python, str(HERE / "profile.py"), "ingest", "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        cwd=WORK,
        timeout=3600,
    )
    if r.returncode != 0:
        return {}
    return json.loads(r.stdout)


def bench_queries(tools: Tools, index: Path, manifest_path: Path, timed: int) -> dict[str, Any]:
    """The query mix in a separate interpreter, so the harness never imports ctsearch."""
    probe = subprocess.run(
        [tools.python, "-c", "import ctsearch.searching.search"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        return {"why": "`ctsearch.searching.search` " + report.NA}
    r = subprocess.run(
        [
            tools.python,
            str(HERE / "queries.py"),
            "--index",
            str(index),
            "--manifest",
            str(manifest_path),
            "--timed",
            str(timed),
        ],
        capture_output=True,
        text=True,
        cwd=WORK,
        timeout=3600,
    )
    if r.returncode != 0:
        lines = r.stderr.strip().splitlines()
        return {"why": f"query run failed: {lines[-1] if lines else r.returncode}"}
    return json.loads(r.stdout)


def bench_add(
    tools: Tools, corpus: Path, index: Path, nominal: int, runs: int, seed: int
) -> dict[str, Any]:
    """`ctsearch add` of new documents, one at a time; the corpus is restored afterwards."""
    if not tools.has("add"):
        return {"ok": False, "why": "`ctsearch add` " + report.NA}
    src = WORK / "add-src"
    src.mkdir(parents=True, exist_ok=True)
    walls = []
    try:
        for i in range(runs):
            doc = src / f"{ADD_PREFIX}{i}.txt"
            doc.write_text(generate.extra_document(nominal, seed, i), encoding="utf-8")
            m = tools.measure(
                ["add", str(doc), "--corpus", str(corpus), "--index", str(index)], timeout=600
            )
            if m.get("rc") != 0:
                return {"ok": False, "why": _failure(m, "add")}
            walls.append(m["wall_s"])
    finally:
        for added in corpus.rglob(f"{ADD_PREFIX}*"):
            added.unlink()
    return {"ok": True, "walls": walls, "median_s": statistics.median(walls), "nominal": nominal}


def _time(cmd: list[str], cwd: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    return (time.perf_counter() - t0) * 1000, r.returncode


def _compile_bytecode(tools: Tools) -> None:
    """Write the .pyc files of the ctsearch under test, as `pip install` does. Without them
    (PYTHONDONTWRITEBYTECODE set, or sources edited since the last run) every run compiles
    the changed modules again, and that would be timed as startup."""
    code = (
        "import compileall, importlib.util, os\n"
        "spec = importlib.util.find_spec('ctsearch')\n"
        "compileall.compile_dir(os.path.dirname(spec.origin), quiet=1)\n"
    )
    subprocess.run([tools.python, "-c", code], capture_output=True, timeout=600)


def _editable(tools: Tools) -> bool:
    """True when the ctsearch under test is an editable install (`pip install -e`)."""
    code = (
        "import importlib.metadata as m, json\n"
        "url = json.loads(m.distribution('ctsearch').read_text('direct_url.json') or '{}')\n"
        "print(url.get('dir_info', {}).get('editable', False))\n"
    )
    # Run outside the repository: its ctsearch.egg-info would answer instead.
    r = subprocess.run(
        [tools.python, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tempfile.gettempdir(),
    )
    return r.stdout.strip() == "True"


def _as_users_install(tools: Tools) -> tuple[Tools, str]:
    """The tools to time end to end: a user's install, as the README's first command makes it.

    An editable install (the test setup) adds a finder to every interpreter start, ~10 ms to
    `python -c pass` and to every command, so the comparison would be of neither: then the
    repository is installed normally into benchmarks/work/e2e-venv (made once, reinstalled
    each run) and that is timed."""
    if not _editable(tools):
        return tools, "the installed ctsearch"
    venv = WORK / "e2e-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=600)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", str(REPO)]
        if (venv / "bin" / "ctsearch").exists()
        else [str(python), "-m", "pip", "install", "-q", str(REPO)],
        check=True,
        capture_output=True,
        timeout=1200,
    )
    user = Tools()
    user.python = str(python)
    user.ctsearch = str(venv / "bin" / "ctsearch")
    return user, "a non-editable install (`pip install .`, benchmarks/work/e2e-venv)"


def bench_e2e(tools: Tools, runs: int) -> dict[str, Any]:
    """`ctsearch search drones` on the bundled corpus vs `python -c pass`, interleaved."""
    if not tools.has("search"):
        return {"ok": False, "why": "`ctsearch search` " + report.NA}
    try:
        tools, installed = _as_users_install(tools)
    except (subprocess.SubprocessError, OSError) as exc:
        installed = f"the editable install (a normal install failed: {exc})"
    corpus = REPO / "corpus"
    with tempfile.TemporaryDirectory(prefix="ctsearch-e2e-") as tmp:
        index = Path(tmp) / "index"
        search = [
            tools.ctsearch,
            "search",
            E2E_QUERY,
            "--corpus",
            str(corpus),
            "--index",
            str(index),
        ]
        if tools.has("index"):
            subprocess.run(
                [tools.ctsearch, "index", "--corpus", str(corpus), "--index", str(index)],
                capture_output=True,
                cwd=tmp,
                timeout=600,
            )
        _compile_bytecode(tools)
        first = subprocess.run(search, capture_output=True, text=True, cwd=tmp, timeout=600)
        if first.returncode != 0:
            lines = first.stderr.strip().splitlines()
            return {"ok": False, "why": f"search failed: {lines[-1] if lines else ''}"}
        py = [tools.python, "-c", "pass"]
        for _ in range(E2E_WARMUP):
            _time(py, Path(tmp))
            _time(search, Path(tmp))
        py_ms, search_ms = [], []
        for i in range(runs):
            pair = [(py, py_ms), (search, search_ms)]
            for cmd, sink in pair if i % 2 == 0 else reversed(pair):  # cancel drift
                ms, rc = _time(cmd, Path(tmp))
                if rc != 0:
                    return {"ok": False, "why": f"{cmd[0]} exited {rc} during timing"}
                sink.append(ms)
        imports = profile.import_profile(search, Path(tmp))  # attribution, not timing
    return {
        "imports": imports,
        "installed": installed,
        "ok": True,
        "runs": runs,
        "python_ms": statistics.median(py_ms),
        "search_ms": statistics.median(search_ms),
        "python_all": py_ms,
        "search_all": search_ms,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--sizes", help="comma-separated passages, e.g. 1k,10k,100k (default; 1k,10k with --quick)"
    )
    ap.add_argument(
        "--quick",
        action="store_true",
        help="fewer repetitions: 60 timed queries, 10 end-to-end runs, 1 add",
    )
    ap.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    ap.add_argument(
        "--no-write",
        action="store_true",
        help="print the table instead of writing benchmarks/README.md",
    )
    ap.add_argument("--skip-e2e", action="store_true", help="leave out the end-to-end timing")
    ap.add_argument(
        "--build-timeout",
        type=float,
        default=BUILD_TIMEOUT_S,
        help=f"seconds before an index build is abandoned (default {BUILD_TIMEOUT_S:.0f})",
    )
    args = ap.parse_args(argv)
    sizes = [
        generate.parse_size(s)
        for s in (args.sizes or ("1k,10k" if args.quick else "1k,10k,100k")).split(",")
    ]
    timed, e2e_runs, add_runs = (60, 10, 1) if args.quick else (200, 30, ADD_RUNS)

    WORK.mkdir(parents=True, exist_ok=True)
    tools = Tools()
    notes: list[str] = []
    if not tools.ctsearch:
        notes.append(f"no `ctsearch` console script next to {tools.python}")
    results: dict[str, Any] = {
        "machine": report.machine_info(REPO),
        "command": "python benchmarks/run.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "sizes": [],
        "notes": notes,
    }
    largest: tuple[dict, Path, Path] | None = None
    for n in sizes:
        label = report.size_label(n)
        log(f"size {label}: corpus")
        corpus, manifest = ensure_corpus(n, args.seed)
        index = WORK / label / "index"
        entry: dict[str, Any] = {"passages": n, "files": manifest["files"]}
        entry["build"] = bench_build(tools, corpus, index, n, args.build_timeout)
        log(f"size {label}: build {json.dumps(entry['build'])[:300]}")
        if entry["build"].get("ok"):
            if not entry["build"]["passages_counted"]:
                notes.append(
                    f"{label}: `ctsearch stats --json` gave no passage count; the "
                    "nominal size is used for passages/s"
                )
            entry["reindex_noop"] = bench_noop(tools, corpus, index)
            log(f"size {label}: ingestion alone")
            entry["ingest"] = bench_ingest(tools, corpus)
            log(f"size {label}: queries")
            entry["queries"] = bench_queries(
                tools, index, corpus / ".benchmark-manifest.json", timed
            )
            largest = (entry, corpus, index)
        else:
            entry["queries"] = {"why": "no index was built"}
        results["sizes"].append(entry)

    if largest:
        entry, corpus, index = largest
        log(f"add: {add_runs} document(s) to the {report.size_label(entry['passages'])} index")
        add = bench_add(tools, corpus, index, entry["passages"], add_runs, args.seed)
        if add.get("ok"):
            add["index_passages"] = entry["build"]["passages_indexed"]
            add["rebuild_s"] = entry["build"]["wall_s"]
        results["add"] = add
    else:
        results["add"] = {"ok": False, "why": "no index was built"}
    if args.skip_e2e:
        results["e2e"] = {"ok": False, "why": "skipped (--skip-e2e)"}
    else:
        log(f"end to end: {e2e_runs} interleaved runs")
        results["e2e"] = bench_e2e(tools, e2e_runs)

    (WORK / "last-results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    block = report.render(results)
    if args.no_write:
        print(block)
    else:
        report.write_readme(HERE / "README.md", block)
        log(f"wrote {HERE / 'README.md'} (raw figures in {WORK / 'last-results.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
