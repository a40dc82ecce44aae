"""A Chinese spec that writes its count in Chinese numerals ("两副竹制棒针") is the product's
Chinese fact (it was dropped as "stating fewer numbers" than the English "2 pairs", so Chinese
viewers got a translation); "3副针" is a count of pairs to correct. A catalog built here, never
the evaluation sets; the real embedding."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder

KIT = {**item("kit", "KnitJoy Kids' Knitting Kit", 129, "kids"), "min_age": 8,
       "aliases": ["套装", "kit"],
       "specs": {"in_the_box": "2 pairs of bamboo knitting needles (5 mm and 6 mm), 4 balls of chunky yarn, 1 row counter",
                 "projects": "5 projects: bookmark, coaster, headband"},
       "i18n": {"zh": {"specs": {"in_the_box": "两副竹制棒针（5mm和6mm）、4团粗毛线、1个计数器",
                                 "projects": "五个作品：书签、杯垫、发带"}}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [KIT]}), UseEmbedder())


def test_chinese_numerals_keep_the_chinese_fact(answerer: Answerer) -> None:
    fact = answerer.kb.get("kit/spec/in_the_box")
    assert fact.text("zh") and "两副" in fact.text("zh")
    assert answerer.kb.get("kit/spec/projects").text("zh")


def test_a_wrong_count_of_pairs_is_corrected(answerer: Answerer) -> None:
    d = decide(answerer, "评论里说这个套装有3副针 是不是啊", "kit")
    assert d.kind == "fact" and "两副" in d.text and "不是" in d.text, (d.kind, d.text)
    d = decide(answerer, "套装有几副针", "kit")
    assert d.kind == "fact" and "两副" in d.text, (d.kind, d.text)


INTERCOM = {**item("t2", "TalkLink T2 Helmet Intercom", 299, "electronics"),
            "aliases": ["蓝牙耳机", "intercom"],
            "selling_points": ["About 12 hours of talk time on one charge"],
            "specs": {"pack": "single pack: 1 unit, 299 CNY; pair pack: 2 units, 549 CNY"},
            "i18n": {"zh": {"selling_points": ["充满电对讲约12小时"],
                            "specs": {"pack": "单只装：1台，299元；双只装：2台，549元"}}}}
READER = {**item("kids6", "InkLeaf Kids 6 E-Reader", 599, "kids"), "min_age": 6,
          "original_price": 699, "aliases": ["儿童款", "the kids one"],
          "tagline": "Four shelves of stories for a whole year of reading",
          "notices": ["For ages 6 and up. Small parts: the port plugs are a choking hazard for children under 3."],
          "i18n": {"zh": {"tagline": "四层书架，陪孩子读一年",
                          "notices": ["适合6岁及以上。小零件：接口塞有窒息风险，请远离3岁以下儿童。"]}}}


@pytest.fixture(scope="module")
def shop() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [INTERCOM, READER]}), UseEmbedder())


def test_one_charge_names_no_one_unit_row(shop: Answerer) -> None:
    d = decide(shop, "蓝牙耳机多少钱 一次充电能用多久", "t2")
    assert "299" in d.text and "12" in d.text and "单只装" not in d.text, d.text
    assert "549" in decide(shop, "两台多少钱", "t2").text


def test_the_products_own_name_is_no_variant(shop: Answerer) -> None:
    d = decide(shop, "儿童款多少钱 适合几岁", "kids6")
    assert "599" in d.text and "6岁" in d.text, d.text
    assert d.text.count("适合6岁及以上") == 1, d.text  # the notice's first sentence is the age fact: said once


def test_a_taglines_numbers_are_the_catalogs(shop: Answerer) -> None:
    from vhost.brain.grounding import check_grounding
    product = shop.catalog.get("kids6")
    assert check_grounding("四层书架，陪孩子读一年。", product, shop.catalog).grounded
    assert not check_grounding("陪孩子读三年。", product, shop.catalog).grounded
