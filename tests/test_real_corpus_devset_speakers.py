"""Real-document tier: the speakers of the development set (../shared/eval/devset/), parsed once
and scored like ../shared/eval/score_devset.py (tests/devset_scoring.py). Recall and precision
are held to the issue's goals; the primary speaker to what this code reaches (48/53: five
documents name no speaker the text can resolve, see the issue-11 note), so a later change
cannot quietly lose ground. Skipped when the development set is absent."""

from __future__ import annotations

import pytest
from devset_scoring import Figures

PRIMARY_FLOOR = 48 / 53  # goal 95%; the rest name no speaker the text resolves
RECALL_GOAL = 0.90
PRECISION_GOAL = 0.95


@pytest.fixture(scope="module")
def figures(devset) -> Figures:
    return devset.figures


def _wrong(f: Figures) -> str:
    return "\n".join(f"{n}: {w}" for n, ws in f.wrong.items() for w in ws if w.startswith("spea"))


def test_primary_speaker(figures) -> None:
    assert figures.share("primary_found", "voiced") >= PRIMARY_FLOOR, _wrong(figures)


def test_speaker_recall(figures) -> None:
    assert figures.share("speakers_found", "gold_speakers") >= RECALL_GOAL, _wrong(figures)


def test_speaker_precision(figures) -> None:
    assert figures.share("speakers_correct", "speakers_extracted") >= PRECISION_GOAL, _wrong(
        figures
    )
