"""Readers against a writer: searches while the index is updated, merged and rebuilt (issue 15).

    python benchmarks/stress_readers.py --seconds 60            # prints a JSON summary
    python benchmarks/stress_readers.py --seconds 60 --work /tmp/stress --keep

One thread plays a user keeping the index current: it rewrites a note file (a small update
that replaces one document: its old segment is dropped, small segments merged), now and then
adds and removes a batch of documents (deletions, merges), and runs `ctsearch index --rebuild`
(a new generation; the old folder is deleted), each through the real `ctsearch index` command.
After each commit it records the totals of the queries: the committed states.

Meanwhile readers search: `ctsearch search … --facets --limit 50 --json` subprocesses (the
one-shot command) and, in this process, `ctsearch.search(…, facets=True, limit=50)` whose hits'
highlights are read (the API, which keeps its searcher open between searches), plus
`ctsearch.stats()`. Every search must succeed, and every total it gives must be one the writer
recorded (an answer from a committed state, old or new, never a mix).

The summary counts searches and failures of each kind, with the failure messages. Exit status 1
when anything failed. `tests/test_readers_stress.py` runs `stress()` for about 30 s in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

QUERIES = ("drones", "victims OR financing", '"terrorist drones"')
WORDS = (
    "terrorism victims drones financing cyber justice conference prevention youth rights "
    "society borders weapons recruitment online extremism cooperation resilience law terrorist "
    "the of and to in a for on with by as is that are be this from at was it an which have"
).split()
DOCS = 60  # documents in the corpus at the start
BATCH = 6  # documents added (and the previous batch removed) by a batch update
# The console script, as installed (`run()`: without the interpreter's teardown).
CTSEARCH = [sys.executable, "-c", "from ctsearch.cli import run; run()"]


@dataclass
class Tally:
    """Searches of one kind: how many, which failed (message → count), the totals seen."""

    runs: int = 0
    failures: Counter = field(default_factory=Counter)
    totals: dict[str, set[int]] = field(default_factory=dict)

    def saw(self, query: str, total: int) -> None:
        self.runs += 1
        self.totals.setdefault(query, set()).add(total)

    def failed(self, message: str) -> None:
        self.runs += 1
        self.failures[message[:300]] += 1


def write_doc(corpus: Path, name: str, seed: int, paragraphs: int = 4) -> None:
    """A small statement whose words (and so totals) depend on `seed`."""
    rng = random.Random(seed)
    body = "\n\n".join(
        " ".join(rng.choice(WORDS) for _ in range(30)).capitalize() + "." for _ in range(paragraphs)
    )
    (corpus / f"{name}.txt").write_text(f"Statement {name} on drones\n\n{body}\n", encoding="utf-8")


def write_note(corpus: Path, n: int) -> None:
    """The note a user keeps editing: a different number of passages on drones each time."""
    lines = [f"Note number {n}"]
    for k in range(1 + n % 5):
        lines.append(f"Paragraph {k} of note {n}: terrorist drones and the victims of drones.")
    (corpus / "note.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")


def ctsearch(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "CTSEARCH_LOCK_TIMEOUT": "60"}
    env.pop("CTSEARCH_DEBUG", None)  # as a user runs it: a failure is one "internal error" line
    return subprocess.run(
        [*CTSEARCH, *args], capture_output=True, text=True, env=env, timeout=timeout
    )


def first_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line or "error" in line]
    return (errors or lines or ["(no message)"])[-1]


class Writer:
    """Commits small updates, batch updates (deletions, merges) and rebuilds in turn."""

    def __init__(self, corpus: Path, index_dir: Path, rebuild_every: int) -> None:
        self.corpus, self.index_dir = corpus, index_dir
        self.rebuild_every = rebuild_every
        self.committed: dict[str, set[int]] = {}  # query → every total of a committed state
        self.actions: Counter = Counter()
        self.failures: Counter = Counter()
        self.files_removed = 0  # index files a commit or rebuild deleted (what readers risk)
        self.generations: set[str] = set()

    def record(self) -> None:
        """The totals of the state just committed (nothing else writes: it stays until the
        next action). Searched by the command, in a fresh process."""
        for q in QUERIES:
            result = ctsearch("search", q, "--json", "--limit", "1", "--index", str(self.index_dir))
            if result.returncode != 0:
                self.failures[f"record {q!r}: {first_error(result.stderr)}"] += 1
                continue
            self.committed.setdefault(q, set()).add(json.loads(result.stdout)["total"])

    def files(self) -> set[str]:
        return {
            str(p.relative_to(self.index_dir))
            for p in self.index_dir.glob("whoosh-*/*")
            if "_MAIN_" not in p.name  # the table of contents is read at open, not kept
        }

    def step(self, n: int) -> None:
        before = self.files()
        args = ["index", "--corpus", str(self.corpus), "--index", str(self.index_dir)]
        if n % self.rebuild_every == self.rebuild_every - 1:
            kind = "rebuild"
            args.append("--rebuild")
        elif n % 3 == 2:
            kind = "batch update"
            for k in range(BATCH):
                (self.corpus / f"batch-{n - 3}-{k}.txt").unlink(missing_ok=True)
                write_doc(self.corpus, f"batch-{n}-{k}", 10_000 * n + k)
        else:
            kind = "small update"
            write_note(self.corpus, n)
        result = ctsearch(*args)
        if result.returncode != 0:
            self.failures[f"{kind}: {first_error(result.stderr)}"] += 1
        self.actions[kind] += 1
        self.files_removed += len(before - self.files())
        self.generations.update(p.name for p in self.index_dir.glob("whoosh-*"))
        self.record()


def cli_reader(index_dir: Path, tally: Tally, stop: threading.Event) -> None:
    n = 0
    while not stop.is_set():
        q = QUERIES[n % len(QUERIES)]
        n += 1
        args = ("search", q, "--facets", "--limit", "50", "--json", "--index", str(index_dir))
        result = ctsearch(*args)
        if result.returncode != 0:
            tally.failed(first_error(result.stderr))
            continue
        try:
            tally.saw(q, json.loads(result.stdout)["total"])
        except (ValueError, KeyError) as exc:
            tally.failed(f"bad JSON: {exc}")


def where(exc: BaseException) -> str:
    """Where an exception was raised (the innermost frame), to tell the causes apart."""
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    f = frames[-1]
    return f" (at {Path(f.filename).parent.name}/{Path(f.filename).name}:{f.lineno} {f.name})"


def api_reader(index_dir: Path, tally: Tally, stats: Tally, stop: threading.Event) -> None:
    import ctsearch as api

    n = 0
    while not stop.is_set():
        q = QUERIES[n % len(QUERIES)]
        n += 1
        try:
            result = api.search(q, index_dir=index_dir, facets=True, limit=50)
            for hit in result.hits:
                if not hit.highlight:
                    raise AssertionError(f"no highlight for {hit.passage_id}")
            tally.saw(q, result.total)
        except Exception as exc:  # noqa: BLE001 - every failure is what we count
            tally.failed(f"{type(exc).__name__}: {exc}{where(exc)}")
        if n % 10 == 0:
            try:
                stats.saw("stats", api.stats(index_dir=index_dir).passages)
            except Exception as exc:  # noqa: BLE001
                stats.failed(f"{type(exc).__name__}: {exc}{where(exc)}")


def stress(
    work: Path,
    seconds: float,
    *,
    cli_readers: int = 1,
    api_readers: int = 1,
    rebuild_every: int = 6,
) -> dict:
    """Run the writer and the readers for `seconds` in `work`; the summary (see the module)."""
    corpus, index_dir = work / "corpus", work / "index"
    corpus.mkdir(parents=True, exist_ok=True)
    for i in range(DOCS):
        write_doc(corpus, f"d{i:03}", i)
    write_note(corpus, 0)
    writer = Writer(corpus, index_dir, rebuild_every)
    first = ctsearch("index", "--corpus", str(corpus), "--index", str(index_dir))
    if first.returncode != 0:
        raise RuntimeError(f"the first build failed: {first.stderr}")
    writer.record()
    cli, api, stats = Tally(), Tally(), Tally()
    stop = threading.Event()
    readers = [
        threading.Thread(target=cli_reader, args=(index_dir, cli, stop)) for _ in range(cli_readers)
    ] + [
        threading.Thread(target=api_reader, args=(index_dir, api, stats, stop))
        for _ in range(api_readers)
    ]
    for t in readers:
        t.start()
    started = time.monotonic()
    n = 0
    try:
        while time.monotonic() - started < seconds or not {"rebuild", "batch update"} <= set(
            writer.actions
        ):
            writer.step(n)
            n += 1
    finally:
        stop.set()
        for t in readers:
            t.join()
    committed = writer.committed

    def uncommitted(tally: Tally) -> dict[str, list[int]]:
        return {
            q: sorted(seen - committed.get(q, set()))
            for q, seen in tally.totals.items()
            if seen - committed.get(q, set())
        }

    summary = {
        "seconds": round(time.monotonic() - started, 1),
        "writer": {
            "actions": dict(writer.actions),
            "failures": dict(writer.failures),
            "index_files_removed": writer.files_removed,
            "generations": len(writer.generations),
            "committed_totals": {q: sorted(v) for q, v in committed.items()},
        },
    }
    for name, tally in (("cli_search", cli), ("api_search", api), ("api_stats", stats)):
        summary[name] = {
            "runs": tally.runs,
            "failed": sum(tally.failures.values()),
            "failures": dict(tally.failures.most_common(8)),
        }
        if name != "api_stats":
            summary[name]["uncommitted_totals"] = uncommitted(tally)
            summary[name]["distinct_totals"] = {q: len(v) for q, v in tally.totals.items()}
    # Passage counts the writer's states had are not recorded; stats must at least not fail.
    summary["ok"] = not writer.failures and all(
        not summary[k]["failed"] and not summary[k].get("uncommitted_totals")
        for k in ("cli_search", "api_search", "api_stats")
    )
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--cli-readers", type=int, default=1)
    parser.add_argument("--api-readers", type=int, default=1)
    parser.add_argument("--rebuild-every", type=int, default=6, help="writer steps per rebuild")
    parser.add_argument("--work", type=Path, help="folder to work in (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="ctsearch-stress-"))
    try:
        summary = stress(
            work,
            args.seconds,
            cli_readers=args.cli_readers,
            api_readers=args.api_readers,
            rebuild_every=args.rebuild_every,
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
