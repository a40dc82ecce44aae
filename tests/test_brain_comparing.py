"""Two products set side by side get each one's own fact for what is asked, named as the viewer
named them; a comparative says which attribute ("lighter" is the weight, not a cigarette lighter);
another question in the same message, a verdict asked ("which should I buy") or a side without
its own fact leaves it to the one-product answer. A catalog built here; the real embedding."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder

BIG = {**item("big", "AirNest K8 Air Purifier", 2599, "home"),
       "aliases": ["k8", "大的那个"],
       "selling_points": ["CADR 600 m³/h cleans a 70 m² room fast"],
       "specs": {"cadr": "600 m³/h", "weight": "11.5 kg", "noise": "≤ 32 dB on sleep mode",
                 "power": "cigarette-lighter adapter not included; 220 V mains"},
       "i18n": {"zh": {"specs": {"cadr": "每小时600立方米", "weight": "11.5公斤"}}}}
SMALL = {**item("small", "AirNest K3 Mini Purifier", 899, "home"),
         "aliases": ["k3", "mini", "小的那个"],
         "specs": {"cadr": "220 m³/h", "weight": "3.2 kg", "noise": "≤ 28 dB on sleep mode"},
         "i18n": {"zh": {"specs": {"cadr": "每小时220立方米", "weight": "3.2公斤"}}}}
LAMP = {**item("lamp", "AirNest Night Lamp", 99, "home"), "aliases": ["lamp"],
        "specs": {"brightness": "3 levels"}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [BIG, SMALL, LAMP]}), UseEmbedder())


@pytest.mark.parametrize("text, lang, on, facts, said", [
    ("K8和K3净化能力到底差多少", "zh", "big", ["big/spec/cadr", "small/spec/cadr"], ["K8", "600", "K3", "220"]),
    ("which is lighter, this one or the mini?", "en", "big", ["big/spec/weight", "small/spec/weight"],
     ["K8", "11.5 kg", "mini", "3.2 kg"]),
    ("k3 vs k8, which is quieter at night", "en", "small", ["small/spec/noise", "big/spec/noise"], ["k3", "28", "k8", "32"]),
])
def test_each_side_gets_its_own_fact(answerer: Answerer, text: str, lang: str, on: str, facts: list[str],
                                     said: list[str]) -> None:
    d = decide(answerer, text, on, lang=lang)
    assert d.kind == "fact" and d.facts == facts, (d.facts, d.text)
    at = [d.text.find(s) for s in said]
    assert all(i >= 0 for i in at) and at == sorted(at), d.text  # each name before its own figure


@pytest.mark.parametrize("text, lang, on", [
    ("K8多少钱 比K3重多少啊", "zh", "big"),  # the price is asked too: part by part
    ("k8 or k3, which should i buy?", "en", "big"),  # a verdict: the model's, verified
    ("lamp vs k8 which is brighter", "en", "big"),  # the purifier has no brightness
])
def test_no_side_by_side(answerer: Answerer, text: str, lang: str, on: str) -> None:
    d = decide(answerer, text, on, lang=lang)
    assert len(d.facts) < 2 or d.facts[0].split("/")[0] == d.facts[1].split("/")[0], (d.facts, d.text)


def test_a_one_character_name_neither_crashes_nor_pairs() -> None:
    knife = {**item("knife", "EdgeCraft Chef Knife", 299, "kitchen"), "aliases": ["刀"],
             "specs": {"weight": "180 g"}}
    board = {**item("board", "EdgeCraft Cutting Board", 199, "kitchen"), "aliases": ["砧板"],
             "specs": {"weight": "1.2 kg"}}
    a = Answerer(Catalog.model_validate({"products": [knife, board]}), UseEmbedder())
    d = decide(a, "磨刀和砧板哪个更重", "board")  # 刀 inside 磨刀 names no knife here
    assert len(d.facts) < 2, (d.facts, d.text)


def test_a_side_the_catalog_does_not_cover_is_no_comparison(answerer: Answerer) -> None:
    d = decide(answerer, "K8和K3的HEPA滤网差别大吗", "big")
    assert d.kind != "fact" or len(d.facts) < 2, (d.kind, d.facts, d.text)
