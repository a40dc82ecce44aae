"""Interest scores from chat with decay, and the suggested next product."""

from __future__ import annotations

from pathlib import Path

import pytest

from vhost.brain.catalog import load_catalog
from vhost.brain.recommend import WEIGHTS, InterestTracker

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo" / "catalog.toml"


@pytest.fixture()
def tracker() -> InterestTracker:
    return InterestTracker(load_catalog(DEMO), half_life_s=60.0)


def test_signals_are_weighted(tracker: InterestTracker) -> None:
    assert tracker.observe("the earbuds look cool", 0.0, "mug") == "earbuds"
    assert tracker.observe("do the earbuds come in white?", 0.0, "mug") == "earbuds"
    assert tracker.observe("I'll take the lamp!", 0.0, "mug") == "lamp"
    assert tracker.observe("耳机怎么买", 0.0, "mug") == "earbuds"
    s = tracker.scores(0.0)
    assert s["earbuds"] == WEIGHTS["mention"] + WEIGHTS["question"] + WEIGHTS["purchase"]
    assert s["lamp"] == WEIGHTS["purchase"] and s["mug"] == 0


def test_unnamed_questions_count_for_the_product_on_screen(tracker: InterestTracker) -> None:
    assert tracker.observe("how much?", 0.0, "mug") == "mug"
    assert tracker.observe("hello everyone", 0.0, "mug") is None
    assert tracker.scores(0.0)["mug"] == WEIGHTS["question"]


def test_scores_decay_by_half_life(tracker: InterestTracker) -> None:
    tracker.observe("I want the lamp", 0.0, "mug")
    assert tracker.scores(60.0)["lamp"] == pytest.approx(WEIGHTS["purchase"] / 2, abs=1e-3)
    assert tracker.scores(120.0)["lamp"] == pytest.approx(WEIGHTS["purchase"] / 4, abs=1e-3)


def test_suggestion_needs_a_clear_lead(tracker: InterestTracker) -> None:
    assert tracker.suggest(0.0, "mug") is None
    tracker.observe("lamp?", 0.0, "mug")
    assert tracker.suggest(0.0, "mug") is None  # below min_score
    tracker.observe("I'll take the lamp", 1.0, "mug")
    tracker.observe("how bright is the lamp?", 2.0, "mug")
    s = tracker.suggest(2.0, "mug")
    assert s is not None and s.product_id == "lamp" and "purchase" in s.reason
    for _ in range(4):
        tracker.observe("I'll take the mug", 3.0, "mug")
    assert tracker.suggest(3.0, "mug") is None  # the mug is wanted more now
    ev = tracker.event(3.0, "mug")
    assert set(ev) == {"scores", "suggested", "reason"} and ev["suggested"] is None
    # Long after, everything has decayed away.
    assert tracker.suggest(3600.0, "mug") is None
