"""conferences.py: the lowercase fast scan finds exactly what the case-insensitive one does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ctsearch.documents import conferences

_PIECES = [
    "High-Level Conference", "high level  conference", "HIGH-LEVEL CONFERENCE", " on ",
    " Counter-Terrorism", " counterterrorism", " CT Week", " Counter-Terrorism week", "Second ",
    "2021 ", "first-ever ", "the ", "UN ", "Virtual ", "Global Congress of Victims of Terrorism",
    " (2023)", " of Heads of Counter-Terrorism Agencies", "ı", "İ", "ſ", "\u212a", "ß", "É", ". ",
]  # fmt: skip


def _slow(text: str, year: int | None) -> list[tuple[int, str]]:
    saved = conferences._lowered
    conferences._lowered = lambda _text: None
    try:
        return conferences._conference_mentions(text, year)
    finally:
        conferences._lowered = saved


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), st.sampled_from([None, 2021]))
def test_fast_scan_equals_case_insensitive_scan(text: str, year: int | None) -> None:
    assert conferences._conference_mentions(text, year) == _slow(text, year)


def test_fold_traps_take_the_case_insensitive_path() -> None:
    assert conferences._lowered("the HIGH-LEVEL CONFERENCE") == "the high-level conference"
    assert conferences._lowered("Hıgh-level conference") is None
    assert conferences._lowered("İstanbul") is None  # lowercases to two characters
    text = "the Second High-Level Conference on Counter-Terrorism"
    assert conferences.canonical_conference(text) == (
        "Second United Nations High-Level Conference on Counter-Terrorism (2021)"
    )
