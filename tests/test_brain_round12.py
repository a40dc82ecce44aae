"""Twelfth round (read from heldout20 after its one blind figure): no "not quite" for a number that
states no price ("1 bucket", "那把75" naming the K75, "my last one went flat in 6 months"); a
count said wrong ("15 balls for 159?") is corrected with the count; a warranty naming other
products is no warranty for this one; a recommendation its FAQ answers gets the FAQ; a price asked
second and a count asked first are both answered; a condition is no question ("if i pick a colour
n hate it, can i return?"); "hotswap" is "hot-swap"; the viewer's old thing names no product.
Catalogs built here, never the evaluation sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.grounding import extract_claims
from vhost.brain.own import viewer_numbers
from vhost.brain.reading import stated_alternative
from vhost.brain.retrieval import tokens

KEYBOARD: dict[str, Any] = {
    **item("kbd", "TypeNest K75 Hot-Swap Keyboard", 399, "electronics"), "aliases": ["keyboard", "K75", "键盘"],
    "original_price": 499,
    "selling_points": ["Hot-swap sockets take 3-pin and 5-pin switches"],
    "specs": {"layout": "75%, 81 keys", "weight": "1.1 kg"}}
CAPS: dict[str, Any] = {
    **item("caps", "Matcha PBT Keycap Set", 129, "electronics"), "aliases": ["keycaps", "caps", "键帽"],
    "original_price": 169,
    "specs": {"keys": "135 keys", "material": "PBT"},
    "faq": [{"q": "Will it fit the K75?", "a": "Yes, the set includes every key the K75 needs."}],
    "i18n": {"zh": {"faq": [{"q": "能装K75吗？", "a": "可以，这套包含K75需要的所有按键。"}]}}}
REST: dict[str, Any] = {
    **item("rest", "CloudRest Wrist Rest", 49, "home"), "aliases": ["wrist rest", "手托"],
    "specs": {"size": "32 x 8 cm, 2.2 cm high",
              "fits": "made for 75% keyboards about 32 cm wide; too short for full-size keyboards (about 44 cm)"}}
BALLS: dict[str, Any] = {
    **item("balls", "AeroSpin Tour Golf Balls (12-pack)", 159, "other"), "aliases": ["balls", "golf balls", "球"],
    "original_price": 229,
    "specs": {"pack": "12 balls per box (4 sleeves of 3)",
              "construction": "3-piece: high-energy core, ionomer mantle, urethane cover"}}
DRIVER: dict[str, Any] = {
    **item("driver", "LongShot Titanium Driver", 1299, "other"), "aliases": ["driver", "一号木"],
    "specs": {"flex": "R, SR, S"},
    "faq": [{"q": "Which flex should I pick?",
             "a": "As a rough guide: R under about 85 mph swing speed, SR for 85-95 mph, S over 95 mph."}]}
FINDER: dict[str, Any] = {
    **item("finder", "SightLine Laser Rangefinder", 899, "electronics"), "aliases": ["rangefinder", "测距仪"],
    "original_price": 1299,
    "specs": {"battery": "built-in 750 mAh battery, about 8,000 measurements per charge",
              "range": "5-800 yards"},
    "i18n": {"zh": {"specs": {"battery": "内置750毫安时电池，一次充电约可测8000次", "range": "5-800码"}}}}
PRIMER: dict[str, Any] = {
    **item("primer", "Seal Primer 5 L", 159, "home"), "aliases": ["primer", "底漆"],
    "original_price": 229,
    "specs": {"coverage": "About 15 m² per litre: one 5 L bucket covers about 75 m² with one coat",
              "standard": "Meets GB 18582-2020"}}
PAINT: dict[str, Any] = {
    **item("paint", "Snow Matte Wall Paint 5 L", 399, "home"), "aliases": ["wall paint", "乳胶漆"],
    "specs": {"colours": "Snow White plus 11 ready-mixed colours; no custom colour matching"}}
KIT: dict[str, Any] = {
    **item("kit", "Qingmu Painting Tool Kit", 59, "home"), "aliases": ["tool kit", "刷子套装"],
    "specs": {"brush_bristles": "Synthetic (polyester) bristles"}}
SHOP = {"warranty": "The TypeNest K75 keyboard has a 1-year warranty against manufacturing defects.",
        "returns": "Unopened paint can be returned within 7 days; opened paint cannot be returned.",
        "bundle": "K75 keyboard + CloudRest wrist rest together: 30 CNY off."}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    products = [KEYBOARD, CAPS, REST, BALLS, DRIVER, FINDER, PRIMER, PAINT, KIT]
    return Answerer(Catalog.model_validate({"shop": SHOP, "products": products}), UseEmbedder())


def test_one_bucket_is_no_money_and_no_claim(answerer: Answerer) -> None:
    assert not [c for c in extract_claims("how many m2 does 1 bucket do") if c.kind == "money"]
    assert [c.kind for c in extract_claims("only 15 bucks?")] == ["money"]
    d = decide(answerer, "primer how much n how many m2 does 1 bucket do", "primer", "en")
    assert "not quite" not in d.text.casefold() and "159" in d.text and "75 m²" in d.text, d


def test_a_number_in_a_product_name_is_no_price(answerer: Answerer) -> None:
    d = decide(answerer, "这套能装刚才那把75吗", "caps")
    assert "不是哦" not in d.text and d.facts == ["caps/faq/0"], d
    d = decide(answerer, "键帽才75吗", "caps")  # a price said, not a name: still corrected
    assert "不是哦" in d.text and "129" in d.text, d


def test_the_viewers_own_story_is_no_claim(answerer: Answerer) -> None:
    assert viewer_numbers("warranty tho? my last one went flat in like 6 months") == {"6"}
    assert viewer_numbers("i swing driver ~90mph which flex") == {"90"}
    assert viewer_numbers("my bf bought one for 88 last week lol") == set()  # a price to correct
    assert viewer_numbers("i heard its 99") == set()


def test_a_warranty_naming_other_products_is_not_this_ones(answerer: Answerer) -> None:
    d = decide(answerer, "warranty on the wrist rest tho? my last one went flat in like 6 months", "rest", "en")
    assert d.kind == "unknown" and "not quite" not in d.text.casefold() and "1-year" not in d.text, d
    d = decide(answerer, "how long is the keyboard warranty?", "kbd", "en")
    assert d.kind == "fact" and "1-year" in d.text, d
    # other policies stay shop-wide: the bundle names the K75 and the wrist rest, asked from the caps
    d = decide(answerer, "is there a bundle deal?", "caps", "en")
    assert "30 CNY" in d.text, d


def test_a_count_said_wrong_is_corrected_with_the_count(answerer: Answerer) -> None:
    d = decide(answerer, "these r 15 balls for 159 right?", "balls", "en")
    assert "not quite" in d.text.casefold() and "12 balls" in d.text, d
    d = decide(answerer, "these r 12 balls for 159 right?", "balls", "en")
    assert "not quite" not in d.text.casefold() and "159" in d.text, d


def test_a_recommendation_its_faq_answers_gets_the_faq(answerer: Answerer) -> None:
    d = decide(answerer, "i swing driver ~90mph which flex should i get lol", "driver", "en")
    assert d.kind == "fact" and d.facts == ["driver/faq/0"] and "not quite" not in d.text.casefold(), d


def test_farthest_asks_the_range(answerer: Answerer) -> None:
    d = decide(answerer, "测距仪多少钱 最远测多少", "finder")
    assert "899" in d.text and "800" in d.text and "8000" not in d.text, d


def test_a_count_asked_before_the_price_is_answered_too(answerer: Answerer) -> None:
    d = decide(answerer, "ooh the green caps how many keys n how much", "caps", "en")
    assert "135" in d.text and "129" in d.text, d


def test_a_condition_is_not_the_question(answerer: Answerer) -> None:
    d = decide(answerer, "if i pick a colour n open it and hate it, can i return?", "paint", "en")
    assert d.facts[:1] == ["shop/returns"], d


def test_a_closed_up_compound_is_the_hyphenated_word(answerer: Answerer) -> None:
    assert "hotsw" in tokens("3-pin hot-swap boards")
    d = decide(answerer, "hotswap吗? can i put my old 3pin switches in", "kbd", "en")
    assert d.product is not None and d.product.id == "kbd" and d.kind == "fact" and "3-pin" in d.text, d


def test_a_size_fact_answers_whether_it_works_with_theirs(answerer: Answerer) -> None:
    d = decide(answerer, "would it work with my full size 104 key board?", "rest", "en")
    assert d.kind == "fact" and "too short" in d.text, d


def test_either_material_is_answered_by_the_material_it_is() -> None:
    assert stated_alternative("is it silk or nylon?", "synthetic (polyester) bristles") == {"silk", "nylon"}
    assert stated_alternative("刷子是猪鬃的还是尼龙的", "Synthetic (polyester) bristles")
    assert not stated_alternative("is it round or square?", "Synthetic (polyester) bristles")


def test_just_now_is_no_unknown_thing_and_meets_is_conforms(answerer: Answerer) -> None:
    d = decide(answerer, "诶刚才那个底漆符合国标吗 哪个标准", "paint")
    assert d.kind == "fact" and d.facts == ["primer/spec/standard"], d


def test_how_many_layers_is_the_piece_count(answerer: Answerer) -> None:
    d = decide(answerer, "这球几层的", "balls")
    assert d.facts == ["balls/spec/construction"], d


SWITCHES: dict[str, Any] = {
    **item("sw", "Lumen Cream Linear Switches (70 pack)", 89, "electronics"), "aliases": ["switches", "轴体"],
    "specs": {"count": "70 switches per pack"},
    "i18n": {"zh": {"specs": {"count": "每包70颗"}}}}
POLE: dict[str, Any] = {
    **item("pole", "Qingmu Roller Kit", 59, "home"), "aliases": ["roller kit"],
    "specs": {"pole_length": "1.2-2 m, telescopic", "drying_rack": "dries in about 2 hours"}}
THICK: dict[str, Any] = {
    **item("thick", "Matcha Keycaps", 129, "electronics"), "aliases": ["keycaps", "键帽"],
    "specs": {"included": "a wire keycap puller", "thickness": "about 1.5 mm"},
    "i18n": {"zh": {"specs": {"included": "附赠拔键器", "thickness": "约1.5毫米"}}}}


@pytest.fixture(scope="module")
def shop() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [KEYBOARD, SWITCHES, POLE, THICK]}), UseEmbedder())


def test_a_product_named_as_what_it_fits_is_not_the_one_asked_about(shop: Answerer) -> None:
    d = decide(shop, "一包几颗 够装满K75不", "sw")
    assert d.product is not None and d.product.id == "sw" and "70" in d.text, d
    d = decide(shop, "K75多少钱", "sw")  # named as the subject: the keyboard
    assert d.product is not None and d.product.id == "kbd" and "399" in d.text, d


def test_how_thick_asked_second_is_answered(shop: Answerer) -> None:
    d = decide(shop, "送拔键器吗 键帽多厚", "thick")
    assert "拔键器" in d.text and "1.5" in d.text, d


def test_how_long_a_pole_goes_is_a_length(shop: Answerer) -> None:
    d = decide(shop, "how long does the pole go? my ceiling is like 2.8m", "pole", "en")
    assert d.kind == "fact" and "1.2-2 m" in d.text, d


# Read from heldout21 after its one blind figure.
MAT: dict[str, Any] = {
    **item("mat", "FlowGrip Yoga Mat", 268, "other"), "aliases": ["mat", "yoga mat", "垫子", "瑜伽垫"],
    "original_price": 398,
    "specs": {"size": "183 x 68 cm", "thickness": "5 mm"},
    "faq": [{"q": "Does it smell when new?", "a": "Natural rubber smells a little at first; air it for 1-2 weeks."}],
    "notices": ["Contains natural rubber latex: not for people with a latex allergy."],
    "i18n": {"zh": {"faq": [{"q": "新垫子有味道吗？", "a": "天然橡胶刚开始有淡淡的橡胶味，通风1-2周会散掉。"}],
                    "notices": ["含天然橡胶乳胶：乳胶过敏者不适用。"]}}}
BANDS: dict[str, Any] = {
    **item("bands", "Loop Resistance Bands (set of 3)", 49, "other"), "aliases": ["bands", "弹力带"],
    "specs": {"extras": "mesh storage bag included"}}
HELMET: dict[str, Any] = {
    **item("helmet", "Kids Bike Helmet", 129, "kids"), "aliases": ["helmet", "头盔"], "min_age": 3,
    "original_price": 199}
PADS: dict[str, Any] = {
    **item("pads", "Kids Knee and Elbow Pads", 59, "kids"), "aliases": ["pads", "护具"], "min_age": 3,
    "specs": {"sizes": "S: ages 3-6 (knee 20-27 cm around); M: ages 6-10 (knee 26-33 cm around)"},
    "notices": ["For children: adult supervision required."]}
BLOCK: dict[str, Any] = {
    **item("block", "Cork Yoga Block", 89, "other"), "aliases": ["block", "瑜伽砖"], "original_price": 129,
    "specs": {"pack": "sold as a pair (2 blocks)"}}
SCOOTER: dict[str, Any] = {
    **item("scooter", "Kids 3-Wheel Scooter", 199, "kids"), "aliases": ["scooter", "滑板车"], "min_age": 3}
SHOP21 = {"bundle": "Buy a helmet together with a scooter: 50 CNY off.",
          "i18n": {"zh": {"bundle": "头盔和滑板车一起买立减50元。"}}}


@pytest.fixture(scope="module")
def gear() -> Answerer:
    return Answerer(Catalog.model_validate({"shop": SHOP21, "products": [MAT, BANDS, HELMET, PADS, BLOCK, SCOOTER]}), UseEmbedder())


def test_a_typed_how_much_asks_the_price(gear: Answerer) -> None:
    d = decide(gear, "hw much is this one rn?", "mat", "en")
    assert d.kind == "fact" and "268" in d.text, d


def test_a_plus_joins_two_questions_and_thanks_is_no_unknown(gear: Answerer) -> None:
    d = decide(gear, "mat price + size pls 谢谢", "mat", "en")
    assert d.kind == "fact" and "268" in d.text and "183 x 68" in d.text, d


def test_a_storage_bag_in_todays_words(gear: Answerer) -> None:
    d = decide(gear, "弹力带送收纳袋不", "bands")
    assert d.kind == "fact" and d.facts == ["bands/spec/extras"], d


def test_together_and_one_piece_are_no_price(gear: Answerer) -> None:
    d = decide(gear, "头盔多钱 跟滑板车一块买便宜不", "helmet")
    assert "不是哦" not in d.text and ("129" in d.text or "50" in d.text), d
    d = decide(gear, "这个怎么卖 一块还是一对呀", "block")
    assert "不是哦" not in d.text and "89" in d.text, d


def test_a_childs_age_picks_the_size_row(gear: Answerer) -> None:
    d = decide(gear, "pads for a 5 yo, which size", "pads", "en")
    assert "S: ages 3-6" in d.text and "M: ages" not in d.text, d
    d = decide(gear, "pads ok for my 2 yo?", "pads", "en")  # too young: still not suitable
    assert d.kind == "suitability" and "3" in d.text, d


def test_a_size_row_never_silences_a_pregnancy_warning() -> None:
    dress = {**item("dress", "Linen Dress", 199, "apparel"), "aliases": ["dress", "连衣裙"],
             "specs": {"sizes": "S: height 155-160 cm; M: height 160-170 cm"},
             "notices": ["Not suitable during pregnancy: the waist is fitted."],
             "i18n": {"zh": {"specs": {"sizes": "S码：身高155-160厘米；M码：身高160-170厘米"},
                             "notices": ["孕期不适合：腰部是收身设计。"]}}}
    a = Answerer(Catalog.model_validate({"products": [dress]}), UseEmbedder())
    d = decide(a, "我怀孕了 身高165 穿什么码", "dress")
    assert "孕" in d.text, d
    d = decide(a, "身高165 穿什么码", "dress")
    assert "M" in d.text and "160-170" in d.text, d
