"""Concurrent use of `ctsearch serve`: N clients × M mixed requests against a running server.

    .venv/bin/python benchmarks/serve.py --index DIR --corpus DIR [--clients 8] [--requests 200]
        [--cache N]   (the server's --cache; 0 measures every request computed afresh)

Starts `ctsearch serve` on a free loopback port (a subprocess, as a user runs it), warms it up
with one pass over the mix, then runs the clients at once, each on its own keep-alive
connection, each sending its requests one after the other: search pages with facets (the page
always counts them), passage pages in context, trend pages. Every response must be a 200 with
its body read in full; anything else counts as an error. Prints JSON: p50 / p95 / max latency
(ms) per kind and overall, errors, throughput. By hand, not in CI: 100k passages take minutes
to build (`generate.py --passages 100k`, then `ctsearch index`).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from queries import BASE_MIX, percentile  # noqa: E402  (the query mix of the latency benchmark)

SEED = 14
SHARES = (("search", 0.6), ("passage", 0.25), ("trend", 0.15))  # the mix of requests
TREND_QUERIES = ["drones", "victims", '"foreign terrorist fighters"', "repatriation",
                 '"rule of law"', "cyber"]  # fmt: skip
FILTER_PARAMS = {"speakers": "speaker", "date_from": "from", "date_to": "to", "doc_type": "type"}
SLOWEST = 8  # paths listed with their median, slowest first
SERVING = re.compile(r"Serving .* at (http://\S+/)")


def search_paths() -> list[str]:
    """The latency benchmark's queries and filters, as search page URLs."""
    paths = []
    for _, q, opts in BASE_MIX:
        params = [("q", q)]
        for key, value in opts.items():
            if key == "facets":
                continue  # the page always counts facets
            for v in value if isinstance(value, list) else [value]:
                params.append((FILTER_PARAMS.get(key, key), str(v)))
        paths.append("/?" + urlencode(params))
    return paths


def trend_paths() -> list[str]:
    return [f"/trend?{urlencode({'q': q})}" for q in TREND_QUERIES] + [
        f"/trend?{urlencode({'q': 'victims', 'by': 'speaker'})}"
    ]


class Client:
    """One keep-alive connection; get() returns (status, ms)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def get(self, path: str) -> tuple[int, float, bytes]:
        t0 = time.perf_counter()
        try:
            self.conn.request("GET", path)
            r = self.conn.getresponse()
            body = r.read()
            status = r.status
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            status, body = 0, b""
        return status, (time.perf_counter() - t0) * 1000, body


def start_server(index: Path, corpus: Path, cache: int | None) -> tuple[subprocess.Popen, str]:
    code = os.environ.get("SERVE_CODE", "from ctsearch.cli import run; run()")
    args = ["serve", "--port", "0", "--index", str(index), "--corpus", str(corpus)]
    if cache is not None:
        args += ["--cache", str(cache)]
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        found = SERVING.search(line)
        if found:
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
            return proc, found.group(1)
        sys.stderr.write(line)
    raise SystemExit(f"the server did not start (exit {proc.wait()})")


def run(index: Path, corpus: Path, clients: int, requests: int, cache: int | None = None) -> dict:
    proc, url = start_server(index, corpus, cache)
    try:
        warm = Client(url)
        warm.get("/")  # the home page counts the census (once per state of the index)
        searches = search_paths()
        passages: list[str] = []
        for path in searches:  # warm-up: every search once; collect passage ids to read
            status, _, _ = warm.get(path)
            if status != 200:
                raise SystemExit(f"warm-up: {path} answered {status}")
            api = warm.get("/api/search?" + path[2:] + "&limit=5")[2]
            passages += [f"/passage/{h['passage_id']}" for h in json.loads(api)["hits"]]
        trends = trend_paths()
        if warm.get(trends[0])[0] == 404:  # a library without the research views (issue 13)
            trends = []
        for path in trends + passages[:5]:
            warm.get(path)
        kinds = {"search": searches, "passage": passages, "trend": trends}
        shares = [(k, w) for k, w in SHARES if kinds[k]]
        rng = random.Random(SEED)
        plans = []
        for _ in range(clients):
            names = rng.choices([k for k, _ in shares], weights=[w for _, w in shares], k=requests)
            plans.append([(k, rng.choice(kinds[k])) for k in names])
        results: list[list[tuple[str, str, int, float]]] = [[] for _ in range(clients)]
        barrier = threading.Barrier(clients + 1)

        def work(i: int) -> None:
            c = Client(url)
            barrier.wait()
            for kind, path in plans[i]:
                status, ms, _ = c.get(path)
                results[i].append((kind, path, status, ms))

        threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
        for t in threads:
            t.start()
        barrier.wait()
        t0 = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
    flat = [r for rs in results for r in rs]
    out = {
        "clients": clients,
        "requests_per_client": requests,
        "seconds": round(wall, 2),
        "requests_per_second": round(len(flat) / wall, 1),
        "errors": sum(1 for _, _, status, _ in flat if status != 200),
        "latency_ms": {},
    }
    for kind in [k for k, _ in SHARES] + ["overall"]:
        xs = [ms for k, _, _, ms in flat if kind in (k, "overall")]
        if xs:
            out["latency_ms"][kind] = {
                "n": len(xs),
                "p50": round(percentile(xs, 50), 1),
                "p95": round(percentile(xs, 95), 1),
                "max": round(max(xs), 1),
            }
    by_path: dict[str, list[float]] = {}
    for _, path, _, ms in flat:
        by_path.setdefault(path, []).append(ms)
    slowest = sorted(by_path.items(), key=lambda kv: -percentile(kv[1], 50))[:SLOWEST]
    out["slowest_paths_p50_ms"] = {path: round(percentile(xs, 50), 1) for path, xs in slowest}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=200, help="per client")
    ap.add_argument(
        "--cache",
        type=int,
        default=None,
        help="the server's --cache (answers kept; 0: none); default: the server's own",
    )
    args = ap.parse_args()
    result = run(args.index, args.corpus, args.clients, args.requests, args.cache)
    result["cache"] = "server default" if args.cache is None else args.cache
    result["commit"] = os.popen("git rev-parse --short HEAD").read().strip()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
