"""A measure stated or asked of the right fact: "runs like 8 hours on one charge?" is checked
against the runtime, not the charging time that happens to be in hours; "这推车多重" is the
stroller's own weight, not the child's limit ("up to 22 kg"); "1米8的要多少啊" asks a size's price.
A catalog built here, never the evaluation sets; the real sentence embedding."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder

NECK = {**item("neck", "N2 Neck Massager", 199, "health"),
        "specs": {"runtime": "about 6 sessions of 15 minutes per full charge", "charging": "USB-C, about 3 hours"}}
STROLLER = {**item("stroller", "Featherlite Stroller", 899, "kids"), "aliases": ["推车", "stroller"],
            "specs": {"child_weight": "up to 22 kg", "stroller_weight": "6.8 kg", "basket": "holds up to 5 kg"},
            "i18n": {"zh": {"specs": {"child_weight": "宝宝体重22公斤以内", "stroller_weight": "6.8公斤",
                                      "basket": "储物篮最大承重5公斤"}}}}
MATTRESS = {**item("mattress", "Latex Mattress", 2999, "home"), "aliases": ["床垫"],
            "specs": {"sizes": "150 x 200 cm: 2999 CNY; 180 x 200 cm: 3499 CNY"},
            "i18n": {"zh": {"specs": {"sizes": "150 x 200厘米：2999元；180 x 200厘米：3499元"}}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [NECK, STROLLER, MATTRESS]}), UseEmbedder())


def test_a_stated_runtime_is_checked_against_the_runtime(answerer: Answerer) -> None:
    d = decide(answerer, "and it runs like 8 hours on one charge right?", "neck", "en")
    assert "6 sessions" in d.text and "3 hours" not in d.text, d.text


@pytest.mark.parametrize(("text", "lang"), [("这推车多重啊 我得一个人抱着上五楼", "zh"), ("how heavy is the stroller?", "en")])
def test_how_heavy_is_its_own_weight_not_a_limit(answerer: Answerer, text: str, lang: str) -> None:
    d = decide(answerer, text, "stroller", lang)
    assert d.facts[:1] == ["stroller/spec/stroller_weight"] and "6.8" in d.text, d.text


def test_a_sizes_price_asked_with_yao_duoshao(answerer: Answerer) -> None:
    d = decide(answerer, "1米8的要多少啊 两个人睡", "mattress")
    assert d.kind == "fact" and "3499" in d.text, d.text


def test_a_word_holding_a_weight_character_is_no_weight_asked() -> None:
    from vhost.brain import attributes

    assert "weight" not in attributes.detect("适用于轻度至中重度听力损失的成年人")  # mild, not light
    assert "weight" not in attributes.detect("巧克力味的吗")
    assert attributes.detect("多少克")[:1] == ["weight"] and "weight" in attributes.detect("这个轻不轻")


def test_what_power_it_plugs_into_is_its_power_spec() -> None:
    box = {**item("box", "Drying Box", 129, "electronics"), "aliases": ["干燥盒"],
           "specs": {"power": "USB-C, 5 V / 1 A; USB-C cable included, no power adapter in the box",
                     "cycle": "4 hours, then switches off"},
           "notices": ["Take the batteries out before drying; never put the charging case in the box."]}
    a = Answerer(Catalog.model_validate({"products": [box]}), UseEmbedder())
    d = decide(a, "干燥盒插啥电的 要不要另外买充电器 家里有手机充电头", "box")
    assert d.facts[:1] == ["box/spec/power"], d


def test_the_viewers_dads_old_thing_names_no_product() -> None:
    from vhost.brain.own import without_own_things

    assert "hearing aid" not in without_own_things("my dad's old hearing aid says PR48 on the battery")
