"""Real-corpus tier: every query of ../shared/eval/dev_queries.tsv through the CLI.

Each row: a query in the CLI's language with optional speaker and date filters, a k, a snippet
that some hit among the top k must contain and (optionally) one that none of them may contain,
both compared with whitespace folded and case ignored.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import EVAL_DIR

from ctsearch.cli import cli

QUERIES = EVAL_DIR / "dev_queries.tsv"
COLUMNS = ("id", "query", "speaker", "date_from", "date_to", "k", "must_find", "must_not_find")


def rows() -> list[dict[str, str]]:
    if not QUERIES.is_file():
        return []
    out = []
    for line in QUERIES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append(dict(zip(COLUMNS, line.split("\t"), strict=True)))
    return out


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def test_the_gold_file_is_there_and_not_empty():
    if not QUERIES.is_file():
        pytest.skip(f"{QUERIES} not found (the shared/ folder beside the repo)")
    assert len(rows()) >= 10


@pytest.mark.parametrize("row", rows(), ids=lambda r: r["id"])
def test_dev_query(row, real_index, real_corpus):
    args = ["search", row["query"], "--json", "-n", row["k"]]
    args += ["--index", str(real_index), "--corpus", str(real_corpus)]
    for option, column in (("--speaker", "speaker"), ("--from", "date_from"), ("--to", "date_to")):
        if row[column] != "-":
            args += [option, row[column]]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)["hits"]
    assert len(hits) <= int(row["k"])
    texts = [fold(h["text"]) for h in hits]
    assert any(fold(row["must_find"]) in t for t in texts), (
        f"{row['id']}: {row['must_find']!r} not in the top {row['k']}: "
        + " | ".join(h["passage_id"] for h in hits)
    )
    if row["must_not_find"] != "-":
        assert not any(fold(row["must_not_find"]) in t for t in texts), (
            f"{row['id']}: {row['must_not_find']!r} found in the top {row['k']}"
        )
