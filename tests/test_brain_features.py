"""A safety feature asked in one language and stated in the other: "does it switch itself off if
it boils dry?" is answered by a kettle whose only line is 干烧自动断电保护 (the fact, to be
translated), not "I'll check"; a notice that the pump must never run dry (永远不要让水泵干烧) states
no auto-off, so the same question there stays unknown; "尺码标准" (true to size) is no
certificate; a measure misremembered ("表盘38mm的对吧") is corrected by the nearest fact of its unit
(the 36 mm case), not by the first fact naming the dial (7 mm thin). Catalogs built here, never the evaluation sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain import attributes
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder

KETTLE: dict[str, Any] = {
    **item("kettle", "Gooseneck Kettle", 259, "kitchen"), "aliases": ["kettle", "手冲壶"],
    "specs": {"capacity": "0.9 L", "safety": "干烧自动断电保护。"}}  # the one line in Chinese
FOUNTAIN: dict[str, Any] = {
    **item("fountain", "Pet Water Fountain", 129, "home"), "aliases": ["fountain", "饮水机"],
    "specs": {"capacity": "2.5 L"}, "notices": ["Unplug before cleaning; never run the pump dry."],
    "i18n": {"zh": {"notices": ["清洗前请拔掉电源；切勿让水泵干烧。"]}}}

WATCH: dict[str, Any] = {
    **item("watch", "Slim Quartz Watch", 399, "apparel"), "aliases": ["watch", "手表"],
    "selling_points": ["Only 7 mm thin with a clean minimalist dial"],
    "specs": {"case_diameter": "36 mm", "case_thickness": "7 mm", "strap": "Mesh strap, 16 mm wide"},
    "i18n": {"zh": {"selling_points": ["表身仅7毫米，极简表盘"],
                    "specs": {"case_diameter": "36毫米", "case_thickness": "7毫米", "strap": "网带，16毫米宽"}}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [KETTLE, FOUNTAIN, WATCH]}), UseEmbedder())


def test_a_feature_stated_only_in_chinese_answers_an_english_question(answerer: Answerer) -> None:
    for text in ("does it switch itself off if it boils dry?", "will it turn off automatically?"):
        d = decide(answerer, text, "kettle", "en")
        assert d.kind == "fact" and d.facts == ["kettle/spec/safety"], (text, d)


def test_a_warning_not_to_run_dry_is_no_auto_off(answerer: Answerer) -> None:
    d = decide(answerer, "Does it turn off automatically when the water runs low?", "fountain", "en")
    assert d.kind == "unknown", d


def test_the_words_of_a_feature_and_of_a_standard_size() -> None:
    assert "auto_off" in attributes.detect("干烧自动断电保护")
    assert "auto_off" in attributes.detect("boil-dry protection")
    assert "auto_off" not in attributes.detect("清洗前请拔掉电源；切勿让水泵干烧。 never let it boil dry")
    assert "certification" not in attributes.detect("尺码标准；里面穿厚毛衣建议拍大一码。")
    assert "certification" in attributes.detect("符合国家标准")


def test_a_misremembered_measure_is_corrected_by_the_nearest_fact_of_its_unit(answerer: Answerer) -> None:
    d = decide(answerer, "表盘38mm的对吧", "watch")
    assert d.facts == ["watch/spec/case_diameter"] and "36" in d.text and "38" not in d.text, d
    d = decide(answerer, "the strap is 17mm right?", "watch", "en")
    assert d.facts == ["watch/spec/strap"] and "16" in d.text, d
    d = decide(answerer, "表盘36mm的对吧", "watch")  # right: no correction
    assert "不是" not in d.text and "36" in d.text, d


def test_a_count_after_every_is_a_number_in_a_translation() -> None:
    """"every 3 months" translated as 每三个月 keeps its 3 (the translation was refused as a number
    dropped, and the English source was read out to a Chinese viewer); "每一个" is just "each"."""
    from vhost.brain.grounding import _to_digits
    from vhost.brain.phrasing import same_numbers

    assert same_numbers("Replace: every 3 months.", "替换：每三个月。")
    assert same_numbers("Stir every 10 minutes.", "每十分钟搅拌。")
    assert _to_digits("每一个都有") == "每一个都有" and _to_digits("第一次") == "第一次"
