"""Run one command and report its wall time and peak memory as JSON on stdout.

    python benchmarks/measure.py [--timeout S] -- ctsearch index --corpus C --index I --rebuild

Meant to be started fresh for every measured run: `getrusage(RUSAGE_CHILDREN).ru_maxrss` is the
largest resident set of any waited-for descendant *of this process*, so a new wrapper per run keeps
one run's peak from leaking into the next. Because a build may use worker processes (Whoosh's
`procs=2`), the resident memory of the whole process tree is also sampled, and its peak reported.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

SAMPLE_SECONDS = 0.05  # tree RSS sampling period; short enough to catch a merge's peak
STDERR_TAIL = 2000  # characters of the child's stderr kept for the report


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
            out.extend(int(x) for x in text.split())
    except OSError:
        pass
    return out


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def tree_rss_kb(root: int) -> int:
    """Resident memory of `root` and all its descendants, in KiB (0 where /proc is missing)."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss_kb(pid)
        stack.extend(_children(pid))
    return total


def measure(cmd: list[str], timeout: float | None = None, cwd: str | None = None) -> dict:
    """Run `cmd` to completion; wall seconds, exit code, peak RSS (largest process and tree)."""
    err_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"ctsearch-bench-{os.getpid()}.err"
    peak_tree = 0
    with open(err_path, "w+b") as err:
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd)
        except OSError as exc:
            return {"rc": None, "error": f"cannot run {cmd[0]}: {exc}"}
        timed_out = False
        while True:
            try:
                proc.wait(timeout=SAMPLE_SECONDS)
                break
            except subprocess.TimeoutExpired:
                peak_tree = max(peak_tree, tree_rss_kb(proc.pid))
                if timeout is not None and time.perf_counter() - t0 > timeout:
                    proc.kill()
                    proc.wait()
                    timed_out = True
                    break
        wall = time.perf_counter() - t0
        err.seek(0)
        tail = err.read().decode("utf-8", "replace")[-STDERR_TAIL:]
    err_path.unlink(missing_ok=True)
    # ru_maxrss is in KiB on Linux.
    maxrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "rc": proc.returncode,
        "timed_out": timed_out,
        "wall_s": wall,
        "maxrss_kb": maxrss,
        "tree_peak_kb": max(peak_tree, maxrss),
        "stderr_tail": tail,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=None, help="kill the command after S seconds")
    ap.add_argument("cmd", nargs=argparse.REMAINDER, help="-- then the command")
    args = ap.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no command given")
    json.dump(measure(cmd, args.timeout), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
