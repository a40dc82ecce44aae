"""The price of one size that a fact prices row by row ("90 x 190 cm: 599 CNY; ... 180 x 200 cm:
1099 CNY"): "1米8的多少钱" is that row's price, never the product's base price (another size's).
Catalogs built here, never the evaluation sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.variant_price import _asked_numbers, misstated

DUVET: dict[str, Any] = {
    **item("duvet", "Cloud Silk Duvet", 599, "home"), "original_price": 799, "aliases": ["duvet", "蚕丝被"],
    "specs": {"sizes": "150 x 200 cm: 599 CNY; 200 x 230 cm: 799 CNY; 220 x 240 cm: 899 CNY",
              "filling": "100% mulberry silk, 1 kg"},
    "i18n": {"zh": {"specs": {"sizes": "150 x 200厘米：599元；200 x 230厘米：799元；220 x 240厘米：899元",
                              "filling": "100%桑蚕丝，1公斤"}}}}
FRAME: dict[str, Any] = {
    **item("frame", "Oak Bed Frame", 2999, "home"), "aliases": ["bed frame", "床架"],
    "specs": {"sizes": "Queen 150 x 200 cm: 2999 CNY; King 180 x 200 cm: 3499 CNY; no other sizes"}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [DUVET, FRAME]}), UseEmbedder())


def test_a_width_in_metres_is_read_as_chat_writes_it() -> None:
    assert {1.8, 180} <= _asked_numbers("1米8的多少钱")
    assert {1.5, 150} <= _asked_numbers("一米五的呢 多少钱")
    assert {1.2, 120} <= _asked_numbers("for a 1.2m bed how much?")
    assert {1.85, 185} <= _asked_numbers("我一米八五")  # not 1.8 and a stray 5


def test_a_price_said_of_a_size_row_is_no_misstated_price() -> None:
    assert misstated("jjj is only 189?", "JJJ: 219 CNY per box")
    assert not misstated("M码是99吗", "M: height 160-170 cm")  # the row prices nothing


@pytest.mark.parametrize(("text", "lang", "price", "not_price"), [
    ("2米2的多少钱", "zh", "899", "599"),
    ("how much is the 200 x 230 one?", "en", "799", "599"),
    ("2.2m宽的那个什么价", "zh", "899", "799"),
])
def test_a_size_asked_gets_its_own_price(answerer: Answerer, text: str, lang: str, price: str, not_price: str) -> None:
    d = decide(answerer, text, "duvet", lang)
    assert d.kind == "fact" and d.facts == ["duvet/spec/sizes"], d
    assert price in d.text and not_price not in d.text


def test_a_size_named_by_a_word_gets_its_own_price(answerer: Answerer) -> None:
    d = decide(answerer, "how much is the king one?", "frame", "en")
    assert "3499" in d.text and "2999" not in d.text


def test_a_price_asked_of_no_one_size_is_the_product_price(answerer: Answerer) -> None:
    d = decide(answerer, "蚕丝被多少钱", "duvet")
    assert d.facts == ["duvet/price"] and "599" in d.text
    d = decide(answerer, "how heavy is the 220 x 240 one?", "duvet", "en")
    assert d.facts != ["duvet/spec/sizes"] or "899" not in d.text  # a weight is asked, not a price
