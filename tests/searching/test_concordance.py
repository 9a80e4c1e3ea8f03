"""`ctsearch kwic`: one line per occurrence, the match is the term, centred, sorted."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from ctsearch import kwic, search
from ctsearch.analysis import fold, stem, words
from ctsearch.cli import cli
from ctsearch.errors import QueryError
from ctsearch.searching import highlight as hl


def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w, _, _, _ in words(text))


@pytest.mark.parametrize("term", ["victims", "terrorism", "technologies", "Member"])
def test_every_line_match_is_the_term(term, wide_index):
    result = kwic(term, index_dir=wide_index, limit=0)
    assert result.lines and result.complete
    for line in result.lines:
        assert _stems(line.match) == _stems(term), line


def test_a_phrase_is_one_match(wide_index):
    result = kwic('"rule of law"', index_dir=wide_index, limit=0)
    assert result.lines
    assert all(fold(" ".join(line.match.split())) == "rule of law" for line in result.lines)


def test_occurrences_not_passages(wide_index):
    """As many lines as highlighted matches in all the matching passages."""
    result = kwic("victims", index_dir=wide_index, limit=0)
    hits = search("victims", index_dir=wide_index, limit=500).hits
    marked = sum(h.highlight.count(hl.START) // 2 for h in hits)
    assert len(result.lines) == marked > len(hits)
    assert result.passages == len(hits)
    per_passage = {}
    for line in result.lines:
        per_passage[line.passage_id] = per_passage.get(line.passage_id, 0) + 1
    assert max(per_passage.values()) >= 3


def test_context_width(real_index):
    result = kwic("terrorism", index_dir=real_index, width=15, limit=0)
    assert all(len(line.left) <= 15 and len(line.right) <= 15 for line in result.lines)
    assert any(len(line.left) == 15 for line in result.lines)
    assert all("\n" not in line.left + line.right for line in result.lines)


@pytest.mark.parametrize("sort", ["left", "right", "date"])
def test_sort_orders(sort, wide_index):
    lines = kwic("terrorism", index_dir=wide_index, sort=sort, limit=0).lines
    word = re.compile(r"\w[\w'’]*")  # punctuation is not a word: "(2018)" sorts as 2018
    if sort == "left":
        keys = [[w.casefold() for w in reversed(word.findall(line.left))][:2] for line in lines]
    elif sort == "right":
        keys = [[w.casefold() for w in word.findall(line.right)][:2] for line in lines]
    else:
        keys = [line.date or "9999" for line in lines]
    assert keys == sorted(keys)


def test_limit_and_completeness(wide_index):
    full = kwic("terrorism", index_dir=wide_index, limit=0)
    some = kwic("terrorism", index_dir=wide_index, limit=10)
    assert len(some.lines) == 10 and not some.complete and full.complete
    assert some.passages == full.passages


def test_filters(wide_index):
    result = kwic("victims", index_dir=wide_index, limit=0, speakers=["guterres"])
    assert result.lines
    assert all("António Guterres" in line.speakers for line in result.lines)


@pytest.mark.parametrize(
    "term, kwargs, message",
    [
        ("victims", {"width": 0}, "--width"),
        ("victims", {"sort": "middle"}, "--sort"),
        ("victims", {"limit": -1}, "--limit"),
        ("speaker:guterres", {}, "nothing to show"),
    ],
)
def test_errors(term, kwargs, message, real_index):
    with pytest.raises(QueryError, match=message):
        kwic(term, index_dir=real_index, **kwargs)


def test_cli_centres_the_match(real_index):
    r = CliRunner().invoke(cli, ["kwic", "victims", "-w", "20", "--index", str(real_index)])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines
    for line in lines:
        assert line[21:28].casefold() == "victims"  # 20 columns of context, a space, the match


def test_cli_json_contract(real_index):
    r = CliRunner().invoke(cli, ["kwic", "terrorism", "--json", "--index", str(real_index)])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data) >= {"query", "lines"}
    assert set(data["lines"][0]) == {"left", "match", "right", "passage_id", "date", "speakers"}


def test_no_expand_shows_only_the_forms_as_typed(real_index):
    assert kwic("FTFs", index_dir=real_index).lines
    assert not kwic("FTFs", index_dir=real_index, expand=False).lines
    assert kwic("UNOCT", index_dir=real_index, expand=False).lines
