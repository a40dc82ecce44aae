"""A temperature the viewer will use the product in, against the °C range the catalog gives it:
below the range it is not made for it (said with the range), inside it the fact answers; "140度"
of a lens or "多少度" of electricity is no temperature. A sill or step of the viewer's own above
the most the product climbs is too high. A catalog built here, never the evaluation sets."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.temperatures import said_temperatures

CAM = {**item("cam", "TrailEye Trail Camera", 399, "electronics"),
       "aliases": ["trail cam", "红外相机"],
       "specs": {"operating_temperature": "-10 °C to 55 °C", "lens": "120° field of view",
                 "battery": "8 AA batteries, about 6 months on standby"},
       "i18n": {"zh": {"specs": {"operating_temperature": "零下10°C至55°C"}}}}
BOT = {**item("bot", "SweepPal R3 Robot Vacuum", 1299, "home"),
       "aliases": ["r3", "扫地机"],
       "specs": {"threshold": "climbs door sills up to 1.8 cm", "suction": "up to 4,000 Pa"}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [CAM, BOT]}), UseEmbedder())


def test_temperatures_a_message_gives() -> None:
    assert said_temperatures("我在哈尔滨 冬天零下二十多度 放外面扛得住吗") == [-20.0]
    assert said_temperatures("15 below zero in winter, ok?") == [-15.0]
    assert said_temperatures("夏天车里能到60℃") == [60.0]
    assert said_temperatures("140度视角能拍全吗") == []  # an angle: no weather, no °C
    assert said_temperatures("一晚上充了多少度") == []


@pytest.mark.parametrize("text, lang, said", [
    ("我在哈尔滨 冬天零下二十多度 放外面扛得住吗", "zh", "零下20度"),
    ("winters here hit 15 below zero, will it survive outside?", "en", "-15 °C"),
])
def test_below_the_range_is_not_suitable(answerer: Answerer, text: str, lang: str, said: str) -> None:
    d = decide(answerer, text, "cam", lang=lang)
    assert d.kind == "suitability"
    assert d.facts == ["cam/spec/operating_temperature"]
    assert said in d.text and "55" in d.text


def test_inside_the_range_gets_the_fact(answerer: Answerer) -> None:
    d = decide(answerer, "冬天零下五度放外面扛得住吗", "cam")
    assert d.kind == "fact" and d.facts == ["cam/spec/operating_temperature"]


@pytest.mark.parametrize("text, lang", [("我家门槛有3厘米 R3能过得去吗", "zh"),
                                        ("my door sills are 3cm, can the r3 get over them?", "en")])
def test_a_sill_above_the_most_is_too_high(answerer: Answerer, text: str, lang: str) -> None:
    d = decide(answerer, text, "bot", lang=lang)
    assert d.kind == "suitability" and d.facts == ["bot/spec/threshold"]
    assert "1.8" in d.text
