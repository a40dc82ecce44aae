"""A material a model-written line names must be one the catalog names: a translation that calls
cardboard "塑料" (plastic), or a line calling an aluminium rack stainless steel, is not spoken.
Catalogs built here, never the evaluation sets."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.brain_helpers import item
from vhost.brain.catalog import Catalog
from vhost.brain.guard import check_fragment
from vhost.brain.materials import materials_in, unbacked_materials
from vhost.brain.phrasing import translate
from vhost.brain.verify import unbacked_claims

PUZZLE: dict[str, Any] = {
    **item("puzzle", "Harbour Lights 1000-Piece Puzzle", 39, "kids"), "aliases": ["puzzle", "拼图"],
    "specs": {"material": "2 mm recycled cardboard, soy-based ink"}}
RACK: dict[str, Any] = {
    **item("rack", "DryTidy Shower Rack", 59, "home"), "aliases": ["rack", "置物架"],
    "specs": {"material": "aluminium, anodised"},
    "i18n": {"zh": {"specs": {"material": "铝合金，阳极氧化"}}}}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.model_validate({"products": [PUZZLE, RACK]})


class _Says:
    """A model that answers every prompt with one line."""

    def __init__(self, line: str) -> None:
        self.line = line

    async def stream(self, user_text: str, **_kw: Any):  # noqa: ANN201
        yield self.line


@pytest.mark.parametrize(("text", "found"), [
    ("2 mm recycled cardboard", {"paper"}), ("不锈钢", {"steel"}), ("铝合金", {"aluminium"}),
    ("glass lid", {"glass"}), ("搪瓷浴缸", {"enamel"}), ("记忆棉枕头", {"foam"}), ("纯棉", {"cotton"}),
    # other meanings of the same letters are no material
    ("钢琴", set()), ("a glass of wine", set()), ("reading glasses", set()), ("silky texture", set()),
    ("牛皮纸袋", {"paper"}), ("钢化玻璃", {"glass"}),
])
def test_materials_are_found_in_either_language(text: str, found: set[str]) -> None:
    assert materials_in(text) == found


def test_a_material_is_backed_in_the_other_language() -> None:
    assert unbacked_materials("铝合金的，不会生锈", "Material: aluminium, anodised") == []
    assert unbacked_materials("It is stainless steel.", "材质：铝合金") == ["steel"]


def test_a_translation_that_adds_a_material_is_not_spoken(catalog: Catalog) -> None:
    puzzle, src = catalog.get("puzzle"), "Material: 2 mm recycled cardboard, soy-based ink."
    wrong = asyncio.run(translate(_Says("塑料：2毫米再生纸板，大豆油墨。"), src, "zh", puzzle, catalog))
    assert wrong is None  # the catalog's own words are said instead
    right = asyncio.run(translate(_Says("材质：2毫米再生纸板，大豆油墨。"), src, "zh", puzzle, catalog))
    assert right is not None and "纸板" in right


def test_a_model_line_naming_a_material_the_catalog_does_not_is_an_invented_claim(catalog: Catalog) -> None:
    rack = catalog.get("rack")
    assert any("steel" in r for r in unbacked_claims("This rack is stainless steel, it never rusts.", rack, catalog))
    assert unbacked_claims("这个置物架是铝合金的，浴室用很合适。", rack, catalog) == []
    v = check_fragment("这个置物架是不锈钢的，放心用。", "zh", rack, catalog, correct=False)
    assert v.held or "不锈钢" not in v.text
