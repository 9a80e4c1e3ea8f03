"""By hand: how long a full build of a 1,000-page PDF corpus takes, beside the same documents
as plain text.

    .venv/bin/python benchmarks/pdf_corpus.py [--pages 1000] [--work benchmarks/work/pdf]

Generates text documents with generate.py, lays each out as a real-shaped PDF (A5 pages, a
running header, page numbers, a hyphenated line end, one page in two columns: the layout of the
format tests, tests/docmakers.py) until the corpus holds `--pages` pages, writes the same
documents' cleaned text as .txt into a second corpus, and times `ctsearch index --rebuild` on
each (a fresh measure.py process per run, wall time and peak RSS of the process tree). Prints
one JSON object; the figure goes into benchmarks/README.md by hand. Needs the test extra (fpdf2).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make `benchmarks` and the test helpers importable
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from benchmarks.generate import generate  # noqa: E402


def build_corpora(pages: int, work: Path) -> dict:
    """Text documents → PDFs until `pages` pages; the same documents as .txt beside them."""
    import pypdf
    from docmakers import make_pdf, paragraphs_of

    from ctsearch.documents.parse import parse_file

    source, pdfs, txts = work / "source", work / "pdf", work / "txt"
    for folder in (pdfs, txts):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    if not source.exists():
        generate(max(2000, pages * 4), source)  # ~4 passages a page: more than enough text
    total = docs = 0
    for path in sorted(source.rglob("*")):
        if total >= pages:
            break
        if path.suffix not in (".txt", ".md"):
            continue
        try:
            doc = parse_file(path)
        except Exception:  # a generated file the cleaner refuses: not this benchmark's business
            continue
        paras = paragraphs_of(doc.text)
        if len(paras) < 3:
            continue
        name = f"{docs:04d}"
        out = make_pdf(pdfs / f"{name}.pdf", paras)
        total += len(pypdf.PdfReader(out).pages)
        (txts / f"{name}.txt").write_text(doc.text + "\n", encoding="utf-8")
        docs += 1
    size = sum(p.stat().st_size for p in pdfs.iterdir())
    return {"pages": total, "documents": docs, "pdf_bytes": size}


def time_build(corpus: Path, index: Path) -> dict:
    shutil.rmtree(index, ignore_errors=True)
    ctsearch = Path(sys.executable).parent / "ctsearch"
    build = [str(ctsearch), "index", "--rebuild", "--corpus", str(corpus), "--index", str(index)]
    cmd = [sys.executable, str(ROOT / "benchmarks" / "measure.py"), "--", *build]
    result = json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    stats = subprocess.run(
        [str(ctsearch), "stats", "--json", "--index", str(index)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    counts = json.loads(stats.stdout)
    return {
        "seconds": round(result["wall_s"], 2),
        "peak_rss_mb": round(result["tree_peak_kb"] / 1024),
        "documents": counts["documents"],
        "passages": counts["passages"],
        "rc": result["rc"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work" / "pdf")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    made = build_corpora(args.pages, args.work)
    made["generate_seconds"] = round(time.perf_counter() - t0, 1)
    print(f"corpora ready: {made}", file=sys.stderr)
    pdf = time_build(args.work / "pdf", args.work / "pdf-index")
    txt = time_build(args.work / "txt", args.work / "txt-index")
    report = {
        **made,
        "pdf_build": pdf,
        "txt_build": txt,
        "pages_per_second": round(made["pages"] / pdf["seconds"], 1),
        "pdf_overhead_seconds": round(pdf["seconds"] - txt["seconds"], 2),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
