"""The research views' speed, measured by hand on a built index (100k passages for the figures in
benchmarks/README.md): quote, trend --by year and kwic in process and warm, export end to end.

    python benchmarks/views.py --index DIR [--runs 20] [--no-export]

Quotes are real passages of the index, altered the ways people alter quotes (a word dropped,
one changed, British spelling, curly quotes, an ellipsis): each must be found at rank 1 (the
count of those that are is printed too). Every view is run once before timing (opening the
index, reading its columns, importing rapidfuzz), then `--runs` times; the median and the
worst are reported in ms. The export of every passage runs as `ctsearch export` in a
subprocess, through measure.py (wall time, peak resident memory).

Prints JSON on stdout; progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
SEED = 13
QUOTES = 20
TREND_QUERIES = ["terrorism", "victims", '"human rights"', "drones", "capacity building"]
KWIC_QUERIES = ["terrorism", "cooperation", "victims", '"rule of law"']
TREND_QUERIES.append('"foreign terrorist fighters"')


def altered_quotes(index_dir: Path, n: int, seed: int = SEED) -> list[tuple[str, str]]:
    """(passage_id, altered quote) for `n` passages picked at random: a sentence-sized run of
    20-30 words, with one alteration each of the kinds people make."""
    from ctsearch.searching import session
    from ctsearch.searching.matching import open_for_search

    rng = random.Random(seed)
    out: list[tuple[str, str]] = []
    with session.searching(index_dir, lambda: open_for_search(index_dir, None, None)) as e:
        s = e.searcher
        total = s.reader().doc_count_all()
        while len(out) < n:
            fields = s.stored_fields(rng.randrange(total))
            ws = (fields.get("text") or "").split()
            if len(ws) < 35:
                continue
            start = rng.randrange(0, len(ws) - 30)
            run = ws[start : start + rng.randint(20, 30)]
            out.append((fields["passage_id"], _alter(run, rng, len(out) % 5)))
    return out


def _alter(run: list[str], rng: random.Random, kind: int) -> str:
    run = list(run)
    i = rng.randrange(1, len(run) - 1)
    if kind == 0:  # a word dropped
        del run[i]
    elif kind == 1:  # a word changed
        run[i] = "indeed"
    elif kind == 2:  # British spelling and curly quotes
        run = [w.replace("ization", "isation").replace("ize", "ise") for w in run]
        run = ["\u201c" + run[0]] + run[1:-1] + [run[-1] + "\u201d"]
    elif kind == 3:  # an ellipsis for a cut
        run = run[:i] + ["..."] + run[i + 3 :]
    else:  # two words swapped
        run[i], run[i + 1] = run[i + 1], run[i]
    return " ".join(run)


def timed(fn, runs: int) -> dict[str, float]:
    t0 = time.perf_counter()
    fn()  # warm: open, read columns, import, remember
    first = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "first_ms": round(first, 2),
        "median_ms": round(statistics.median(times), 2),
        "max_ms": round(max(times), 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--no-export", action="store_true")
    args = ap.parse_args(argv)

    import ctsearch

    ix = args.index
    results: dict[str, Any] = {"index": str(ix), "passages": ctsearch.stats(index_dir=ix).passages}

    quotes = altered_quotes(ix, QUOTES)
    found = 0
    per_quote = []
    for pid, q in quotes:
        r = ctsearch.quote(q, index_dir=ix)
        if r.found and r.matches and r.matches[0].passage_id == pid:
            found += 1
        per_quote.append(timed(lambda q=q: ctsearch.quote(q, index_dir=ix), max(1, args.runs // 4)))
    results["quote"] = {
        "quotes": len(quotes),
        "found_at_rank_1": found,
        "median_ms": round(statistics.median(p["median_ms"] for p in per_quote), 2),
        "max_ms": round(max(p["max_ms"] for p in per_quote), 2),
    }
    print(f"quote: {results['quote']}", file=sys.stderr)

    results["trend_year"] = {
        q: timed(lambda q=q: ctsearch.trend(q, by="year", index_dir=ix), args.runs)
        for q in TREND_QUERIES
    }
    print(f"trend: {results['trend_year']}", file=sys.stderr)
    results["kwic"] = {
        q: timed(lambda q=q: ctsearch.kwic(q, index_dir=ix), args.runs) for q in KWIC_QUERIES
    }
    print(f"kwic: {results['kwic']}", file=sys.stderr)

    if not args.no_export:
        from measure import measure

        exe = Path(sys.executable).with_name("ctsearch")
        out = HERE / "work" / "export.jsonl"
        out.parent.mkdir(parents=True, exist_ok=True)
        for fmt in ("jsonl", "csv"):
            m = measure([str(exe), "export", "--index", str(ix), "-f", fmt, "-o", str(out)])
            results[f"export_{fmt}"] = {
                "seconds": round(m.get("wall_s") or 0, 2),
                "peak_rss_mb": round((m.get("tree_peak_kb") or 0) / 1024, 1),
                "rc": m.get("rc"),
            }
            print(f"export {fmt}: {results[f'export_{fmt}']}", file=sys.stderr)
        out.unlink(missing_ok=True)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
