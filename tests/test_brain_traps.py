"""A measure the viewer states is checked against the fact giving that kind of measure nearest
to it: "comb is 25cm right?" gets the comb's length, "it's 18cm right?" is agreed with, and a
named dimension ("6 cm wide?") keeps to the fact naming it. Catalogs built here, never the
evaluation sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder

COMB: dict[str, Any] = {
    **item("comb", "SilkGlide Wide-Tooth Comb", 39, "cosmetics"), "aliases": ["comb", "梳子"],
    "specs": {"width": "5.5 cm", "length": "18 cm", "tooth_length": "3.5 cm", "weight": "45 g"},
    "i18n": {"zh": {"specs": {"width": "5.5厘米", "length": "18厘米", "tooth_length": "3.5厘米", "weight": "45克"}}}}

TOOLS: dict[str, Any] = {
    **item("tools", "EmberPro BBQ Tool Set", 129, "kitchen"), "aliases": ["tool set", "烧烤工具"],
    "specs": {"skewer_length": "38 cm, flat", "tool_length": "about 43 cm (spatula, tongs, fork)"},
    "i18n": {"zh": {"specs": {"skewer_length": "签子长38厘米，扁签", "tool_length": "约43厘米（铲子、夹子、叉子）"}}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [COMB, TOOLS]}), UseEmbedder())


@pytest.mark.parametrize(("text", "lang"), [("comb is 25cm right? looks huge on cam", "en"), ("梳子有25厘米吧 看着好大", "zh")])
def test_a_stated_measure_is_corrected_by_the_nearest_fact_of_its_kind(answerer: Answerer, text: str, lang: str) -> None:
    d = decide(answerer, text, "comb", lang)
    assert d.facts == ["comb/spec/length"] and "18" in d.text and "5.5" not in d.text, d
    assert d.reasons == ["the viewer stated a number the catalog contradicts"], d


def test_a_stated_measure_a_fact_holds_is_agreed_with(answerer: Answerer) -> None:
    d = decide(answerer, "so the comb is 18cm right?", "comb", "en")
    assert d.facts == ["comb/spec/length"] and "18" in d.text and "Not quite" not in d.text, d


def test_a_named_dimension_keeps_to_its_fact(answerer: Answerer) -> None:
    d = decide(answerer, "is the comb 4 cm wide?", "comb", "en")  # nearer the tooth length, but the width is asked
    assert d.facts == ["comb/spec/width"] and "5.5" in d.text, d


def test_the_thing_named_keeps_its_fact_though_another_is_nearer(answerer: Answerer) -> None:
    d = decide(answerer, "签子60厘米那么长？", "tools")  # the tongs' 43 cm is nearer 60, but the skewers are asked
    assert d.facts == ["tools/spec/skewer_length"] and "38" in d.text, d
