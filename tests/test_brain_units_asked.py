"""A unit asked by "how many"/"多少" says which fact answers ("how many wh" -> the capacity in Wh,
not the battery's chemistry); a second question the catalog cannot answer leaves the first one
answered beside the honest "not sure"; a target the viewer wants ("expand it? like to 2kwh") is
no wrong number to correct. A catalog built here, never the evaluation sets; the real embedding."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.units_asked import unit_asked

STATION = {**item("station", "Trek 1000 Power Station", 3999, "electronics"),
           "aliases": ["the big one", "大电源"],
           "selling_points": ["1024 Wh LiFePO4 battery, rated for 3000 cycles"],
           "specs": {"capacity": "1024 Wh", "battery": "LiFePO4 (lithium iron phosphate); 3000 cycles to 80%",
                     "ac_output": "1200 W continuous, 2400 W surge", "usb_output": "2 x USB-C PD, up to 100 W each"},
           "i18n": {"zh": {"specs": {"capacity": "1024瓦时", "ac_output": "持续1200瓦，峰值2400瓦"}}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [STATION]}), UseEmbedder())


def test_units_asked() -> None:
    assert unit_asked("how many wh is this big one??") == "energy"
    assert unit_asked("大电源几度电") == "energy" and unit_asked("输出多少瓦") == "power"
    assert unit_asked("how many mAh?") == "charge"
    assert unit_asked("the 1000W one, how much?") is None  # a product named by its power: the price asked


@pytest.mark.parametrize(("text", "lang", "said"), [("how many wh is this big one?", "en", "1024"),
                                                    ("大电源几度电", "zh", "1024")])
def test_a_unit_asked_finds_the_fact_in_that_unit(answerer: Answerer, text: str, lang: str, said: str) -> None:
    d = decide(answerer, text, "station", lang)
    assert said in d.text and "LiFePO4" not in d.text, d.text


def test_an_unknown_second_question_leaves_the_first_answered(answerer: Answerer) -> None:
    d = decide(answerer, "how many wh is this big one?? and is it the NMC kind", "station", "en")
    assert d.kind == "unknown" and "1024" in d.text and "not sure" in d.text, d.text


def test_a_target_the_viewer_wants_is_not_corrected(answerer: Answerer) -> None:
    d = decide(answerer, "can u add an extra battery to expand it? like to 2kwh", "station", "en")
    assert "not quite" not in d.text.casefold(), d.text


def test_a_count_asked_by_its_measure_word_finds_the_fact_counting_it() -> None:
    milk = {**item("milk", "Stage 2 Formula", 298, "food"), "aliases": ["二段"],
            "specs": {"scoop": "1 level scoop = 4.5 g powder, for every 30 ml water",
                      "feeding_guide": "6-9 months: 6 level scoops + 180 ml water; 9-12 months: 7 level scoops + 210 ml water",
                      "water_temperature": "boiled water cooled to 40-50 °C"},
            "i18n": {"zh": {"specs": {"scoop": "1平勺 = 4.5克奶粉，配30毫升水",
                                      "feeding_guide": "6-9月龄：6平勺 + 180毫升水；9-12月龄：7平勺 + 210毫升水",
                                      "water_temperature": "烧开后晾到40-50℃的温开水"}}}}
    a = Answerer(Catalog.model_validate({"products": [milk]}), UseEmbedder())
    d = decide(a, "二段来了！我家二宝7个月 一次冲几勺？水要多少度", "milk")
    assert d.facts == ["milk/spec/feeding_guide", "milk/spec/water_temperature"], d
    d = decide(a, "how many scoops per feed for a 7 month old?", "milk", "en")
    assert d.facts[:1] == ["milk/spec/feeding_guide"], d


def test_fake_asks_whether_it_is_genuine() -> None:
    from vhost.brain import attributes

    assert attributes.detect("how do i know its not fake?? so many fakes online")[:1] == ["authenticity"]
    assert "authenticity" not in attributes.detect("is it fake leather?")
    assert "authenticity" not in attributes.detect("is that real fur inside or fake?")  # the material
