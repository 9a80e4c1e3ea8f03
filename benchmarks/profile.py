"""Where the time goes, so the results can say *why* a target is missed.

    python benchmarks/profile.py ingest --corpus DIR   # JSON: seconds to read and split it

- `ingest`: reading, repairing and splitting the whole corpus into passages through the public
  `ctsearch.parse_files`, without indexing: the share of a build that is ingestion.
- `import_profile()`: the modules a command imports and what they cost (`python -X importtime`),
  so the end-to-end figure says what the interpreter spends before the search starts.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

BATCH_FILES = 200  # files parsed per call: bounded memory on the 100k corpus
_IMPORT_LINE = re.compile(r"import time:\s+(\d+)\s+\|\s+(\d+)\s+\|(\s*)(\S+)")


def ingest_seconds(corpus: Path) -> dict:
    """Parse every .txt/.md under `corpus` (in batches) and time it."""
    import ctsearch  # the harness itself never imports the engine; this runs in a child

    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md") and p.is_file())
    t0 = time.perf_counter()
    docs = passages = 0
    for i in range(0, len(files), BATCH_FILES):
        batch = ctsearch.parse_files(files[i : i + BATCH_FILES], warn=lambda _m: None)
        docs += len(batch)
        passages += sum(len(d.passages) for d in batch)
    return {"seconds": time.perf_counter() - t0, "documents": docs, "passages": passages}


def import_profile(cmd: list[str], cwd: Path, top: int = 6) -> dict:
    """Run `cmd` (a Python script and its arguments) under -X importtime: import time in total
    and per top-level package (stdlib modules count as themselves), and whether NLTK was loaded."""
    r = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )
    per_package: dict[str, float] = {}
    roots: set[str] = set()
    total = 0.0
    for line in r.stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if not m:
            continue
        self_us, _cumulative, _indent, name = m.groups()
        root = name.split(".")[0]
        roots.add(root)
        # Self times summed per top-level package: "whoosh" is whoosh's own modules, wherever
        # they were imported from.
        per_package[root] = per_package.get(root, 0.0) + int(self_us) / 1000
        total += int(self_us) / 1000
    heaviest = sorted(per_package.items(), key=lambda kv: -kv[1])[:top]
    return {
        "total_ms": total,
        "heaviest_ms": dict(heaviest),
        "nltk": "nltk" in roots,
        "modules": len(roots),
        "rc": r.returncode,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    ing = sub.add_parser("ingest", help="time parsing the whole corpus without indexing")
    ing.add_argument("--corpus", required=True, type=Path)
    args = ap.parse_args(argv)
    json.dump(ingest_seconds(args.corpus), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
