"""A size question names a dimension, and a spec named after another one does not answer it: "里面多长?"
(how long inside) is the tent's floor, not its peak height nor its packed size; depth and thickness
are one ("能包多厚的床垫" is a fitted sheet's depth). A product's own colours answer "有几个颜色可以选"
even when the shop's how-to-buy line says "选好颜色" (choose the colour) in the same words.
Catalogs built here, never the evaluation sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.dimensions import asked, keyed, other_dimension
from vhost.brain.embedding import UseEmbedder
from vhost.brain.knowledge import Fact

TENT: dict[str, Any] = {
    **item("tent", "Ridge 2 Tent", 459, "other"), "aliases": ["tent", "帐篷"],
    "selling_points": ["Two colour-coded poles: one person pitches it in 8 minutes"],
    "specs": {"peak_height": "125 cm", "packed_size": "55 x 18 x 18 cm", "floor_size": "210 x 180 cm"}}
CURLER: dict[str, Any] = {
    **item("curler", "Ceramic Curling Set", 59, "home"), "aliases": ["curler", "卷发棒"],
    "selling_points": ["3 colours: champagne pink, black, lavender"],
    "specs": {"rod_diameter": "3 cm"},
    "i18n": {"zh": {"selling_points": ["3个颜色：香槟粉、黑色、薰衣草紫"], "specs": {"rod_diameter": "3厘米"}}}}
SHOP = {"name": "Glow Studio",
        "how_to_buy": "Tap the yellow cart below the video, choose the item (and the colour for the curler), then pay.",
        "i18n": {"zh": {"how_to_buy": "点击视频下方的小黄车，选择商品（卷发棒请选好颜色）后下单。"}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [TENT, CURLER], "shop": SHOP}), UseEmbedder())


def _spec(key: str) -> Fact:
    return Fact(id=f"p/spec/{key}", product_id="p", kind="spec", key=key, texts={"en": "1 cm"}, attrs=("size",),
                match=("1 cm",))


def test_the_dimension_asked_and_the_dimension_a_spec_is_named_after() -> None:
    assert asked("里面多长") == {"length"} and asked("how tall is it?") == {"height"}
    assert asked("能包多厚的床垫") == {"thickness"} and asked("多大") == set()
    assert keyed(_spec("peak_height")) == {"height"} and keyed(_spec("floor_size")) == set()
    assert other_dimension(asked("里面多长"), _spec("peak_height"))
    assert not other_dimension(asked("里面多长"), _spec("floor_size"))
    assert not other_dimension(asked("能包多厚的床垫"), _spec("fitted_sheet_depth"))  # depth is thickness
    assert not other_dimension(asked("多大"), _spec("peak_height"))  # no dimension asked: any may answer


@pytest.mark.parametrize(("text", "lang"), [("我一米八五 躺得下吗 里面多长", "zh"),
                                            ("how long is it inside? I'm 185", "en")])
def test_a_length_asked_is_not_the_height_nor_the_packed_size(answerer: Answerer, text: str, lang: str) -> None:
    d = decide(answerer, text, "tent", lang)
    assert d.kind == "fact" and d.facts == ["tent/spec/floor_size"], d


def test_the_packed_size_still_answers_how_big_packed(answerer: Answerer) -> None:
    d = decide(answerer, "收起来多大", "tent")
    assert d.kind == "fact" and d.facts == ["tent/spec/packed_size"], d


def test_the_colours_are_the_products_not_the_how_to_buy_line(answerer: Answerer) -> None:
    d = decide(answerer, "有几个颜色可以选", "curler")
    assert d.kind == "fact" and d.facts == ["curler/point/0"], d
    d = decide(answerer, "怎么买", "curler")
    assert d.facts == ["shop/how_to_buy"], d


def test_i_will_is_no_order_and_the_shop_is_no_related_fact(answerer: Answerer) -> None:
    """"我要出差" (I'm going on a trip) orders nothing: how-to-buy neither answers the question nor
    is offered as "what I know" about it; "我要两个" is an order."""
    from vhost.brain import attributes

    assert "how_to_buy" not in attributes.detect("加满水一个月不用管了吧 我要出差")
    assert "how_to_buy" not in attributes.detect("录4k能一直录吗 我要录俩小时讲座")
    for text in ("我要", "我要两个", "我要这个", "我要了", "我要买"):
        assert "how_to_buy" in attributes.detect(text), text
    d = decide(answerer, "能一直开着不关吗 我要出差一个月", "curler")
    assert "shop/how_to_buy" not in d.facts and "小黄车" not in d.text, d
