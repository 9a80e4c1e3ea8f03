"""`ctsearch trend --plot FILE`: the trend as a bar chart of the rate per 1,000 passages.

matplotlib is imported here only (never on the search path), with its non-interactive Agg
backend so that it needs no display.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO

from ctsearch.errors import CtsearchError

FORMATS = (".svg", ".png")
MAX_LABEL_CHARS = 40  # longer bucket names (conference titles) are cut on the axis


def plot_trend(result: Any, path: str | Path) -> Path:
    """Draw `result` (a TrendResult) to `path` (.svg or .png); returns the path written."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise CtsearchError(f"--plot {path}: the file name must end in .svg or .png")
    _pyplot()  # before the file is created: a missing matplotlib leaves nothing behind
    try:
        with open(path, "wb") as stream:
            draw(result, stream, fmt=path.suffix.lower()[1:])
    except OSError as exc:
        raise CtsearchError(f"--plot {path}: cannot write it ({exc.strerror})") from None
    return path


def draw(result: Any, stream: BinaryIO, *, fmt: str = "svg") -> None:
    """Draw `result` as `fmt` ("svg" or "png") into a binary stream (a file, a buffer)."""
    if f".{fmt}" not in FORMATS:
        raise CtsearchError(f"a chart is drawn as svg or png, not {fmt!r}")
    plt = _pyplot()
    keys = [_label(b.key) for b in result.buckets]
    rates = [b.per_1000 for b in result.buckets]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.35 * len(keys) + 2), 4.5))
    try:
        ax.bar(range(len(keys)), rates, color="#3b6ea8")
        ax.set_xticks(range(len(keys)), keys, rotation=60 if len(keys) > 8 else 0, ha="right")
        ax.set_ylabel("matching passages per 1,000")
        ax.set_xlabel(result.by)
        ax.set_title(f"“{_label(result.query)}” by {result.by} ({result.total} passages)")
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        fig.savefig(stream, format=fmt)
    finally:
        plt.close(fig)


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import pyplot as plt
    except ImportError:
        raise CtsearchError(
            "--plot needs matplotlib: pip install 'ctsearch[plot]' (or matplotlib)"
        ) from None
    return plt


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL_CHARS else text[: MAX_LABEL_CHARS - 1] + "…"
