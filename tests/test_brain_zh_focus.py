"""A Chinese wh-question names what it asks about ("那根线多长", "快门寿命多少次"): a fact that never
names it is related, not the answer, and the host says it does not know; the product itself
("书架多高") is no such thing. Catalogs built here, never the evaluation sets; the real sentence
embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.zh_focus import zh_focus

HEADSET: dict[str, Any] = {
    **item("headset", "StormCall Gaming Headset", 299, "electronics"), "aliases": ["headset", "耳机"],
    "specs": {"driver": "50 mm dynamic", "battery": "40 hours wireless"},
    "i18n": {"zh": {"specs": {"driver": "50毫米动圈", "battery": "无线续航40小时"}}}}
CAMERA: dict[str, Any] = {
    **item("camera", "Lumo X2 Mirrorless Camera", 3999, "electronics"), "aliases": ["camera", "相机"],
    "specs": {"battery_life": "about 380 shots per charge (CIPA)", "sensor": "24 MP APS-C"},
    "i18n": {"zh": {"specs": {"battery_life": "电池寿命约380次拍摄（CIPA）", "sensor": "2400万像素APS-C"}}}}
MOUSE: dict[str, Any] = {
    **item("mouse", "GlideOne Wired Mouse", 89, "electronics"), "aliases": ["mouse", "鼠标"],
    "specs": {"cable": "1.8 m braided cable", "weight": "62 g"},
    "i18n": {"zh": {"specs": {"cable": "1.8米编织线", "weight": "62克"}}}}
SHELF: dict[str, Any] = {
    **item("shelf", "Oakline Bookshelf", 599, "home"), "aliases": ["bookshelf", "书架"],
    "specs": {"dimensions": "80 x 30 x 180 cm (W x D x H)"},
    "i18n": {"zh": {"specs": {"dimensions": "80 x 30 x 180厘米（宽x深x高）"}}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [HEADSET, CAMERA, MOUSE, SHELF]}), UseEmbedder())


@pytest.mark.parametrize(("text", "focus"), [("耳机有线模式那根线多长", ["线"]), ("快门寿命多少次啊", ["快门", "寿命"]),
                                             ("电源线多长", ["电源线"]), ("充电要多久", []), ("收起来多大", []),
                                             ("充电宝自己充满要多久", [])])
def test_the_thing_a_chinese_wh_question_asks_about(text: str, focus: list[str]) -> None:
    assert zh_focus(text) == focus


@pytest.mark.parametrize(("text", "on"), [("耳机有线模式那根线多长", "headset"), ("快门寿命多少次啊", "camera")])
def test_a_fact_not_naming_the_thing_asked_is_no_answer(answerer: Answerer, text: str, on: str) -> None:
    d = decide(answerer, text, on)
    assert d.kind == "unknown", d


def test_a_fact_naming_it_answers_and_the_product_itself_is_no_missing_thing(answerer: Answerer) -> None:
    d = decide(answerer, "线多长啊", "mouse")
    assert d.kind == "fact" and "1.8" in d.text, d
    d = decide(answerer, "书架多高？", "shelf")
    assert d.kind == "fact" and "180" in d.text, d
    d = decide(answerer, "how heavy is the wired one?", "mouse", "en")  # "one" names nothing to look for
    assert d.kind == "fact" and "62" in d.text, d
