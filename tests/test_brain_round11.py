"""Eleventh round (read from heldout18 after its one blind figure): a model-written number the
catalog never states is held whatever its unit ("260℃", "999 sold"); a number with a counter
("6本一套的?", "100道菜吧", "260C right?") is no price; a quantity another fact holds
("精确到0.1克吗" beside "±0.3 g") is not "corrected"; a measure question is answered by a fact
giving that kind of value ("车身有多大" -> "28 x 18 x 12 cm", not "15 km/h, big tyres"), and a
transport length by the transport spec. Catalogs built here, never the evaluation sets; the real
sentence embedding."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.compliance import check_compliance
from vhost.brain.embedding import UseEmbedder
from vhost.brain.guard import check_fragment
from vhost.brain.phrasing import degenerate, same_numbers, translate
from vhost.brain.reading import stated_prices

PANS: dict[str, Any] = {
    **item("pans", "CrustPro Bakeware Set", 199, "kitchen"), "aliases": ["bakeware", "烤盘"],
    "original_price": 299,
    "selling_points": ["Oven-safe up to 230 °C"],
    "specs": {"max_temperature": "230 °C", "material": "carbon steel"},
    "i18n": {"zh": {"specs": {"max_temperature": "230℃", "material": "碳钢"}}}}
SCALE: dict[str, Any] = {
    **item("scale", "GramRight Kitchen Scale", 69, "kitchen"), "aliases": ["scale", "电子秤"],
    "specs": {"resolution": "0.1 g steps up to 1 kg", "accuracy": "±0.3 g up to 1 kg; ±2 g up to 5 kg"},
    "i18n": {"zh": {"specs": {"resolution": "1公斤以内0.1克一档", "accuracy": "1公斤以内±0.3克；1-5公斤±2克"}}}}
COOKBOOK: dict[str, Any] = {
    **item("cookbook", "Home Kitchen Cookbook", 69, "other"), "aliases": ["cookbook", "菜谱"],
    "original_price": 98,
    "specs": {"recipes": "120 recipes in 6 chapters"},
    "i18n": {"zh": {"specs": {"recipes": "120道菜，分6章"}}}}
CAR: dict[str, Any] = {
    **item("car", "Dash RC Truck", 159, "kids"), "aliases": ["rc car", "遥控车"], "min_age": 8,
    "selling_points": ["Up to 15 km/h with big shock-absorbing tyres", "2.4 GHz remote"],
    "specs": {"size": "28 x 18 x 12 cm", "speed": "up to 15 km/h"},
    "i18n": {"zh": {"selling_points": ["最高时速15公里，大尺寸减震轮胎", "2.4GHz遥控"]}}}
POPUP: dict[str, Any] = {
    **item("popup", "Panda Seasons Pop-Up Book Set (4 volumes)", 168, "kids"), "aliases": ["pop-up book", "立体书"],
    "min_age": 3, "selling_points": ["Pop-ups and pull tabs on every spread"],
    "specs": {"pages": "12 pages per volume (6 pop-up spreads)"},
    "notices": ["Warning: small pop-up pieces; not for children under 3."],
    "i18n": {"zh": {"name": "熊猫四季立体书（全4册）", "specs": {"pages": "每册12页（6个立体跨页）"},
                    "notices": ["警告：含小块立体部件，不适合3岁以下儿童。"]}}}
MIXER: dict[str, Any] = {
    **item("mixer", "BakeMate Stand Mixer", 899, "kitchen"), "aliases": ["mixer", "厨师机"],
    "specs": {"bowl_capacity": "5.5 L", "power": "1200 W"}}
GEAR: dict[str, Any] = {
    **item("gear", "Roll Safe Pad Set", 159, "other"), "aliases": ["pads", "护具"],
    "specs": {"contents": "7 pieces: 1 helmet, 2 knee pads, 2 elbow pads, 2 wrist guards"},
    "i18n": {"zh": {"specs": {"contents": "7件：头盔1个、护膝2个、护肘2个、护掌2个"}}}}
BOARD: dict[str, Any] = {
    **item("board", "Rollwave Street Complete Skateboard 8.0\"", 329, "other"), "aliases": ["skateboard", "滑板"],
    "specs": {"bearings": "ABEC-7 chrome steel bearings", "deck": "8.0 x 31.5 inch maple"}}
FLOUR: dict[str, Any] = {
    **item("flour", "MillHouse High-Gluten Bread Flour", 39.9, "food"), "aliases": ["flour", "面粉"],
    "specs": {"protein": "12.5-13.5 g per 100 g"},
    "notices": ["Contains wheat (gluten)."], "i18n": {"zh": {"notices": ["含小麦（麸质）。"]}}}
LEVEL: dict[str, Any] = {
    **item("level", "Beam 12-Line Laser Level", 329, "electronics"), "aliases": ["laser level", "投线仪"],
    "specs": {"ingress_protection": "IP54 (dust and splash resistant)", "weight": "0.9 kg"}}
PRINTER: dict[str, Any] = {
    **item("printer", "K2 FDM Printer", 1599, "electronics"), "aliases": ["K2", "3d printer", "打印机"],
    "specs": {"build_volume": "220 x 220 x 250 mm"},
    "faq": [{"q": "Can it print ABS?", "a": "ABS is not recommended: the K2 is an open-frame printer, so it warps."}]}
BOOTS: dict[str, Any] = {
    **item("boots", "Trail Snow Boots", 299, "apparel"), "aliases": ["boots", "雪地靴"],
    "specs": {"shaft_height": "18 cm", "sizes": "EU 35-44"}}
CANDLE: dict[str, Any] = {
    **item("candle", "Fig Candle", 89, "home"), "aliases": ["candle", "蜡烛"],
    "specs": {"weight": "220 g of wax", "burn_time": "about 45 hours"},
    "i18n": {"zh": {"specs": {"weight": "蜡重220克", "burn_time": "约45小时"}}}}
JACKET: dict[str, Any] = {
    **item("jacket", "Cloudpack Rain Jacket", 199, "apparel"), "aliases": ["rain jacket", "雨衣"],
    "specs": {"waterproof_rating": "10,000 mm", "sizes": "S, M, L, XL",
              "care": "Machine wash cold; re-treat with a DWR spray to restore the water repellency."},
    "compliance_notes": ['Do not claim it is 100% waterproof or that the wearer never gets wet (no "100%防水").']}
FLOSSER: dict[str, Any] = {
    **item("flosser", "AquaJet F3 Water Flosser", 249, "electronics"), "aliases": ["water flosser", "冲牙器"],
    "original_price": 399, "specs": {"tank": "300 ml, detachable", "weight": "265 g with empty tank"},
    "i18n": {"zh": {"specs": {"tank": "300毫升，可拆卸", "weight": "265克（空水箱）"}}}}
ROD: dict[str, Any] = {
    **item("rod", "Ridge Spinning Rod", 259, "other"), "aliases": ["rod", "鱼竿"],
    "specs": {"length": "2.1 m (6 ft 11 in)", "transport_length": "109 cm", "sections": "2", "weight": "128 g"},
    "i18n": {"zh": {"specs": {"length": "2.1米（6尺11寸）", "transport_length": "109厘米", "sections": "2节",
                              "weight": "128克"}}}}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    shop = {"returns": "7-day returns if unused; one free size exchange for the rain jacket."}
    return Catalog.model_validate({"shop": shop, "products": [PANS, SCALE, COOKBOOK, CAR, ROD, POPUP, MIXER, GEAR, BOARD, FLOUR, LEVEL, PRINTER, BOOTS, CANDLE, JACKET, FLOSSER]})


@pytest.fixture(scope="module")
def answerer(catalog: Catalog) -> Answerer:
    return Answerer(catalog, UseEmbedder())



def test_a_model_number_the_catalog_never_states_is_held(catalog: Catalog) -> None:
    pans = catalog.get("pans")
    for line, lang in (("它耐温260℃，放心烤。", "zh"), ("These pans handle 260°C easily!", "en"),
                       ("Over 999 sold today, grab one!", "en")):
        v = check_fragment(line, lang, pans, catalog)
        # never spoken: held as a number the catalog never states, or (°C is read as a temperature)
        # held or corrected as a temperature no fact gives, to the one the catalog gives
        assert "260" not in v.text and (v.held and any("never states" in r for r in v.compliance_reasons)
                                        or any("260" in m for m in v.mismatches) or "230°C" in v.text), (line, v)
    for line, lang in (("它耐温230℃，放心烤。", "zh"), ("Only 199 yuan today, was 299!", "en"),
                       ("Tom2024, the cookbook has 120 recipes.", "en")):
        v = check_fragment(line, lang, pans, catalog, names=("Tom2024",))
        assert not v.held, (line, v)


def test_a_counted_number_is_no_price() -> None:
    assert stated_prices("刚有人说是6本一套的？", 168) == []
    assert stated_prices("这本是100道菜吧", 69) == []
    assert stated_prices("these go up to 260C right?", 199) == []
    assert stated_prices("only 99?", 168) == ["99"]  # a bare number with a price word still is
    assert stated_prices("这个159对吧", 168) == ["159"]


def test_a_wrong_count_is_corrected_with_the_count(answerer: Answerer) -> None:
    d = decide(answerer, "这本是100道菜吧", "cookbook")
    assert "120" in d.text and "69" not in d.text, d


def test_a_quantity_another_fact_holds_is_not_corrected(answerer: Answerer) -> None:
    d = decide(answerer, "顺便问下那个电子秤能精确到0.1克吗", "scale")
    assert "不是哦" not in d.text and not any("contradicts" in r for r in d.reasons), d


def test_a_measure_is_answered_by_a_fact_of_that_kind(answerer: Answerer) -> None:
    d = decide(answerer, "车身有多大？", "car")
    assert "28 x 18 x 12" in d.text, d
    d = decide(answerer, "拆开以后多长啊 我车后备箱小", "rod")
    assert "109" in d.text, d


def test_a_count_is_answered_by_the_fact_counting_those_things(answerer: Answerer) -> None:
    d = decide(answerer, "一套几本啊", "popup")
    assert "4" in d.text and "12" not in d.text, d  # the volumes, not the pages per volume
    d = decide(answerer, "刚有人说是6本一套的？", "popup")
    assert "不是哦" in d.text and "4" in d.text, d


def test_a_stated_temperature_is_corrected(answerer: Answerer) -> None:
    d = decide(answerer, "these go up to 260C right? i bake pizza super hot", "pans", "en")
    assert "Not quite" in d.text and "230" in d.text, d


def test_second_questions_by_their_words(answerer: Answerer) -> None:
    d = decide(answerer, "how big is the bowl n how many watts?", "mixer", "en")
    assert "5.5" in d.text and "1200" in d.text, d
    d = decide(answerer, "护具一套多少钱 都有啥", "gear")
    assert "159" in d.text and "头盔" in d.text, d
    d = decide(answerer, "滑板轴承啥级别的 abec几", "board")
    assert "ABEC-7" in d.text or "translate:board/spec/bearings" in d.reasons, d


def test_a_group_the_notice_names_gets_the_notice(answerer: Answerer) -> None:
    d = decide(answerer, "my daughter has celiac, can she have bread made w this?", "flour", "en")
    assert "gluten" in d.text, d
    d = decide(answerer, "MillHouse High-Gluten Bread Flour: protein per 100g?", "flour", "en")  # its name is no group
    assert "12.5" in d.text and "Contains wheat" not in d.text, d


def test_who_endorses_it_is_unknown_without_a_fact(answerer: Answerer) -> None:
    for text, lang in (("which pro skater rides this? pretty sure i saw it in a vid", "en"),
                       ("这款滑板是哪位明星代言的", "zh")):
        d = decide(answerer, text, "board", lang)
        assert d.kind == "unknown", d


class _Says:
    """A model that answers every prompt with one line."""

    def __init__(self, line: str) -> None:
        self.line = line

    async def stream(self, user_text: str, **_kw: Any):  # noqa: ANN201
        yield self.line


def test_a_translation_may_spell_a_number_but_never_change_one(catalog: Catalog) -> None:
    assert same_numbers("随书附赠2枚金属书签和1张明信片。", "Two metal bookmarks and one postcard come with it.")
    assert not same_numbers("Works on up to 2 devices.", "最多可在3台设备上使用。")
    assert not same_numbers("Up to 2 devices.", "Up to 2 devices, 12 months.")  # a number added
    gear = catalog.get("gear")
    out = asyncio.run(translate(_Says("Seven pieces: one helmet, two knee pads, two elbow pads and two wrist guards."),
                                "7件：头盔1个、护膝2个、护肘2个、护掌2个", "en", gear, catalog))
    assert out is not None and out.startswith("Seven"), out


def test_what_it_is_for_is_context_not_a_question(answerer: Answerer) -> None:
    d = decide(answerer, "投线仪防水吗 工地用", "level")
    assert d.kind == "fact" and d.facts == ["level/spec/ingress_protection"], d
    d = decide(answerer, "能打ABS不 想给车上打几个卡扣", "printer")
    assert d.kind == "fact" and d.facts == ["printer/faq/0"], d
    d = decide(answerer, "how high up the leg do they go?", "boots", "en")
    assert "18 cm" in d.text, d


def test_a_plain_length_is_not_the_packed_one(answerer: Answerer) -> None:
    d = decide(answerer, "竿子多长 多重啊", "rod")
    assert "2.1" in d.text and "109" not in d.text, d


def test_a_material_is_not_answered_by_a_weight(answerer: Answerer) -> None:
    d = decide(answerer, "蜡烛是什么蜡做的？", "candle")
    assert "220" not in d.text and d.kind == "unknown", d


def test_a_one_character_unit_is_its_unit_too() -> None:
    from vhost.brain.dictionary import default_dictionary

    d = default_dictionary()
    assert d is not None and "gram" in d.english("克") and "watt" in d.english("瓦") and "rice" in d.english("米")





def test_a_doubled_consonant_verb_keeps_its_short_stem() -> None:
    from vhost.brain.retrieval import tokens

    assert tokens("cutting capacity")[0] == tokens("cut")[0] == "cut"  # "can it cut 10mm steel?"
    assert tokens("bedding") != tokens("bed")  # a noun in -dding is left as it was


def test_a_waterproof_rating_is_no_claim_but_the_absolute_is(catalog: Catalog, answerer: Answerer) -> None:
    jacket = catalog.get("jacket")
    assert check_compliance("Waterproof rating: 10,000 mm.", "en", jacket, catalog).ok
    assert not check_compliance("It is 100% waterproof!", "en", jacket, catalog).ok
    assert not check_compliance("完全防水，放心穿。", "zh", jacket, catalog).ok
    d = decide(answerer, "rain jacket price? n how waterproof, whats the rating", "jacket", "en")
    assert d.kind == "fact" and "10,000" in d.text, d  # a question, not a bait
    d = decide(answerer, "can i just chuck it in the washing machine?", "jacket", "en")
    assert d.kind == "fact" and "re-treat" in d.text, d  # re-treating a fabric is no medical claim


def test_swapping_a_size_asks_the_exchange_policy(answerer: Answerer) -> None:
    d = decide(answerer, "if i get the jacket n it's too small can i swap the size?", "jacket", "en")
    assert "exchange" in d.text, d



def test_a_looping_translation_is_not_spoken(catalog: Catalog) -> None:
    loop = "混合在水上至1部分水，1部分水至1部分水，再冲洗。"
    assert degenerate(loop) and not degenerate("可以用温水或凉水，水温不要超过40°C。")
    assert not degenerate("Yes, mixed with water at up to 1 part mouthwash to 1 part water; rinse the tank after.")
    out = asyncio.run(translate(_Says(loop), "Yes, up to 1 part mouthwash to 1 part water.", "zh", catalog.get("gear"), catalog))
    assert out is None  # the catalog's own words are said instead


def test_how_big_a_tank_is_what_it_holds_also_as_a_second_question(answerer: Answerer) -> None:
    d = decide(answerer, "冲牙器多少钱？水箱多大 一箱水够冲一次吗", "flosser")
    assert "249" in d.text and "300" in d.text, d
