"""In-process query latency over a fixed, realistic mix, through the public Python API.

    python benchmarks/queries.py --index DIR [--manifest FILE] [--timed 200]

Prints JSON: latencies (ms) per category, plus errors and zero-hit counts. Every query asks for 10
hits with highlighting (the API always highlights); the index is opened and warmed up by one pass
over the whole mix before anything is timed, so the figures are what a long-running process (a
server, `watch`) or a second query sees, not the cost of importing and opening.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

LIMIT = 10
DEFAULT_TIMED = 200

# (category, query, options). Words are the core vocabulary of the corpus family (see lexicon.py):
# frequent, mid-frequency and rare, as a researcher would type them.
BASE_MIX: list[tuple[str, str, dict[str, Any]]] = [
    ("single word", "drones", {}),
    ("single word", "terrorism", {}),
    ("single word", "repatriation", {}),
    ("single word", "radicalization", {}),
    ("single word", "xenophobia", {}),
    ("single word", "ransom", {}),
    ("single word", "Tashkent", {}),
    ("single word", "victims", {}),
    ("several words", "capacity building assistance", {}),
    ("several words", "victims rights survivors", {}),
    ("several words", "misuse of technology", {}),
    ("several words", "border security cooperation", {}),
    ("several words", "foreign fighters repatriation camps", {}),
    ("several words", "online propaganda recruitment youth", {}),
    ("2-word phrase", '"human rights"', {}),
    ("2-word phrase", '"civil society"', {}),
    ("2-word phrase", '"safe haven"', {}),
    ("2-word phrase", '"hate speech"', {}),
    ("2-word phrase", '"soft targets"', {}),
    ("3-word phrase", '"rule of law"', {}),
    ("3-word phrase", '"foreign terrorist fighters"', {}),
    ("3-word phrase", '"victims of terrorism"', {}),
    ("3-word phrase", '"Passenger Name Record"', {}),
    ("3-word phrase", '"all of society"', {}),
    ("speaker filter", "victims", {"speakers": ["guterres"]}),
    ("speaker filter", "cooperation", {"speakers": ["Vladimir Voronkov"]}),
    ("speaker filter", '"human rights"', {"speakers": ["António Guterres", "Ban Ki-moon"]}),
    ("date filter", "capacity building", {"date_from": "2021-01-01"}),
    ("date filter", "victims", {"date_from": "2023-01-01", "date_to": "2023-12-31"}),
    ("date filter", "drones", {"date_from": "2015", "date_to": "2019"}),
    ("date filter", '"rule of law"', {"date_to": "2012-06"}),
    # Names and acronyms of the vocabulary (data/vocabulary.toml): each expands to its forms.
    ("vocabulary", "ISIS", {}),
    ("vocabulary", "FTFs", {}),
    ("vocabulary", "UNSC", {}),
    ("vocabulary", "PVE", {}),
    ("vocabulary", "Office on Drugs and Crime", {}),
    ("vocabulary", "Al Shabab returnees", {}),
    ("facets", "terrorism financing", {"facets": True}),
    ("facets", '"human rights"', {"facets": True}),
    ("facets", "technologies", {"facets": True, "speakers": ["guterres"]}),
]


def query_mix(manifest: dict | None) -> list[tuple[str, str, dict[str, Any]]]:
    """The fixed mix, plus speaker filters on the corpus's two most quoted generated speakers."""
    mix = list(BASE_MIX)
    real = {"António Guterres", "Ban Ki-moon", "Vladimir Voronkov", "Kofi Annan"}
    if manifest:
        others = [s for s in manifest.get("speakers", {}) if s not in real][:2]
        mix += [("speaker filter", "cooperation", {"speakers": [s]}) for s in others]
    return mix


def label(query: str, opts: dict[str, Any]) -> str:
    """How a query is named in the report: the query, then its options if any."""
    return f"{query} {opts}" if opts else query


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    k = max(0, math.ceil(p / 100 * len(ordered)) - 1)
    return ordered[k]


def summarize(latencies: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    out = {}
    everything = [x for xs in latencies.values() for x in xs]
    for cat, xs in [*latencies.items(), ("overall", everything)]:
        if xs:
            out[cat] = {
                "n": len(xs),
                "p50": statistics.median(xs),
                "p95": percentile(xs, 95),
                "max": max(xs),
            }
    return out


def api_search() -> Callable[..., Any]:
    """`ctsearch.search`, the public API function (the engine's module is
    `ctsearch.searching.search`, so importing it never shadows the function)."""
    import ctsearch  # imported here: the harness itself never imports the engine

    return ctsearch.search


def run(index_dir: Path, manifest: dict | None, timed: int) -> dict:
    search = api_search()
    mix = query_mix(manifest)
    errors: dict[str, str] = {}
    zero_hits: list[str] = []
    no_highlight: list[str] = []
    usable = []
    # Warm-up: every query once (opens the index, fills caches); drops queries the engine refuses.
    for cat, q, opts in mix:
        name = label(q, opts)
        try:
            res = search(q, index_dir=index_dir, limit=LIMIT, **opts)
        except Exception as exc:  # report, don't crash: one bad query must not void the run
            errors[name] = f"{type(exc).__name__}: {exc}"[:300]
            continue
        if res.total == 0:
            zero_hits.append(name)
        elif not all(h.highlight for h in res.hits):
            no_highlight.append(name)
        usable.append((cat, q, opts))
    latencies: dict[str, list[float]] = {}
    if usable:
        # Whole passes over the mix, so that every query weighs the same in the overall figures.
        passes = max(1, round(timed / len(usable)))
        for i in range(passes * len(usable)):
            cat, q, opts = usable[i % len(usable)]
            t0 = time.perf_counter()
            search(q, index_dir=index_dir, limit=LIMIT, **opts)
            latencies.setdefault(cat, []).append((time.perf_counter() - t0) * 1000)
    return {
        "queries_in_mix": len(mix),
        "timed": sum(len(v) for v in latencies.values()),
        "summary": summarize(latencies),
        "errors": errors,
        "zero_hits": zero_hits,
        "no_highlight": no_highlight,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True, type=Path)
    ap.add_argument("--manifest", type=Path, help="the corpus's .benchmark-manifest.json")
    ap.add_argument(
        "--timed",
        type=int,
        default=DEFAULT_TIMED,
        help="about this many timed queries (whole passes)",
    )
    args = ap.parse_args(argv)
    manifest = None
    if args.manifest and args.manifest.is_file():
        manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    json.dump(run(args.index, manifest, args.timed), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
