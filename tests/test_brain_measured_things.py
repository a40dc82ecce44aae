"""A length a viewer states of a named thing ("the same 5m cable right?") is checked against the
fact that gives that thing's length ("Cable length: 7 m"), however far off, and metres are a unit
the claim check reads. A catalog built here, never the evaluation sets; the real embedding."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.grounding import extract_claims

CHARGER = {**item("box", "VoltBox 22 Wall Charger", 3999, "electronics"),
           "aliases": ["22kw", "wallbox"],
           "selling_points": ["9 m cable and a weatherproof shell"],
           "specs": {"cable_length": "9 m", "weight": "6.2 kg including the cable",
                     "power": "22 kW three-phase"},
           "i18n": {"zh": {"specs": {"cable_length": "9米"}}}}
HOSE = {**item("hose", "GardenFlow Hose Reel", 399, "home"),
        "aliases": ["hose reel"],
        "selling_points": ["25 m hose on a wall reel"],
        "specs": {"weight": "3.4 kg", "hose_length": "25 m"}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [CHARGER, HOSE]}), UseEmbedder())


def test_metres_are_a_claimed_unit() -> None:
    assert [(c.value, c.unit) for c in extract_claims("a 5m cable, 7米线, 2 km away")] == [
        (5.0, "m"), (7.0, "m"), (2.0, "km")]
    assert [c.unit for c in extract_claims("3毫米 and 40 cm")] == ["mm", "cm"]
    # a thousands comma before a Chinese unit ("2,200米" is 2200 m, not 200 m)
    assert [c.value for c in extract_claims("海拔1,900-2,200米")] == [1900.0, 2200.0]


@pytest.mark.parametrize("text, lang, pid", [
    ("the 22kw comes w the same 5m cable as the other one right?", "en", "box"),
    ("充电枪是5米的线吧", "zh", "box"),
    ("its a 15m hose right?", "en", "hose"),
])
def test_a_stated_length_of_a_thing_gets_that_things_fact(answerer: Answerer, text: str, lang: str,
                                                           pid: str) -> None:
    d = decide(answerer, text, pid, lang=lang)
    assert d.kind == "fact"
    assert d.facts[0].endswith("_length"), d.facts
