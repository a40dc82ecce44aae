"""Spec words a viewer uses for a spec the catalog names otherwise: an IP code is the water
rating ("leave it out in the rain overnight? waterproof?" -> IP67), "啥芯片" the processor, "屏幕多大"
the display (not the box's dimensions), "零下三十度 扛得住不" the operating range that holds -30,
"does it go that wide?" a range to measure against, "metal?" a material asked; "折叠/折射率/骨折"
ask no discount. A catalog built here, never the evaluation sets; the real embedding."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain import attributes
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder

CHARGER = {**item("go", "VoltGo Portable EV Charger", 699, "electronics"),
           "aliases": ["the go", "随车充"],
           "specs": {"rated_power": "Up to 3.5 kW", "cable_length": "5 m",
                     "protection_rating": "Control box IP67; car plug IP55",
                     "carry_bag": "Waterproof carry bag included",
                     "operating_temperature": "-30 to 50 °C", "weight": "2.3 kg",
                     "display": "2.4-inch colour screen", "dimensions": "34 x 22 x 12 cm",
                     "processor": "ARM Cortex-M4, 168 MHz"},
           "i18n": {"zh": {"specs": {"rated_power": "最大3.5千瓦", "dimensions": "34 x 22 x 12厘米"}}}}
HEADSET = {**item("x1", "Nova X1 Pro VR Headset", 3999, "electronics"),
           "aliases": ["the pro one", "pro"],
           "specs": {"ipd": "58-72 mm, continuous adjustment", "weight": "535 g"}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [CHARGER, HEADSET]}), UseEmbedder())


def test_an_ip_code_answers_waterproof(answerer: Answerer) -> None:
    d = decide(answerer, "can i leave the go charging outside in the rain overnight? waterproof?", "go", "en")
    assert d.kind == "fact" and "IP67" in d.text, (d.kind, d.text)


def test_a_cold_winter_inside_the_operating_range(answerer: Answerer) -> None:
    d = decide(answerer, "俺们哈尔滨冬天零下三十度 这桩扛得住不 工作温度多少", "go")
    assert d.kind == "fact" and "-30" in d.text, (d.kind, d.text)


@pytest.mark.parametrize(("text", "said"), [("这个是啥芯片 跑得动吗", "Cortex"), ("屏幕多大呀", "2.4")])
def test_spec_named_in_chinese_words(answerer: Answerer, text: str, said: str) -> None:
    d = decide(answerer, text, "go")
    assert d.facts and said in " ".join(answerer.kb.get(d.facts[0]).texts.values()), (d.facts, d.text)


def test_a_measure_against_how_far_it_goes(answerer: Answerer) -> None:
    d = decide(answerer, "my ipd is 75mm lol. does the pro one go that wide?", "x1", "en")
    assert d.kind == "suitability" and "72" in d.text, (d.kind, d.text)


def test_what_asks_a_material_or_no_discount() -> None:
    assert "material" in attributes.detect("are the needles metal?")
    assert "material" in attributes.detect("is that wool or synthetic?")
    for text in ("能折叠吗", "镜片折射率多少", "骨折了能用吗"):
        assert "discount" not in attributes.detect(text), text
    for text in ("打几折", "8折吗", "有折扣吗"):
        assert "discount" in attributes.detect(text), text
