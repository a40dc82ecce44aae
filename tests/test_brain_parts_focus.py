"""What a question is about when it is not the product: the price of a part bought again (refill
cartridges), the measure after "max" ("max water pressure" is no temperature), what a filter is
asked to remove (fluoride is not water hardness), and a courier's surcharge (no product price).
Catalogs built here, never the evaluation sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain import attributes
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.compliance import check_compliance
from vhost.brain.embedding import UseEmbedder
from vhost.brain.parts import asks_part_price
from vhost.brain.reading import child_age
from vhost.brain.sizing import fitting_segment, size_line

JUG: dict[str, Any] = {
    **item("jug", "Clearflow Filter Jug 3.5 L", 99, "home"), "original_price": 139, "aliases": ["jug", "滤水壶"],
    "specs": {"capacity": "3.5 L", "replacement": "Replacement cartridges: 3-pack for 59 CNY",
              "cartridge_life": "150 L or about 30 days", "max_temperature": "cold water only, up to 35 °C"},
    "faq": [{"q": "Does it soften water?", "a": "The resin reduces hardness, so less limescale; it does not remove it completely."}]}
PUMP: dict[str, Any] = {
    **item("pump", "Milkway Double Breast Pump", 399, "health"), "aliases": ["pump", "吸奶器"],
    "specs": {"warranty": "motor unit 1 year; flanges and valves are wear parts and not covered"}}
BLENDER: dict[str, Any] = {
    **item("blender", "Vortex Blender", 299, "kitchen"), "aliases": ["blender", "破壁机"],
    "specs": {"motor_life": "about 8 years of daily use", "warranty": "2 years"}}
KIT: dict[str, Any] = {
    **item("kit", "Little Brush Calligraphy Kit", 99, "kids"), "min_age": 6, "aliases": ["kit", "儿童套装"],
    "notices": ["For children aged 6 and up; small parts."],
    "specs": {"copybook": "100 basic characters with stroke order", "colours": "navy, white",
              "standard": "EU EN71, no sharp corners"},
    "selling_points": ["Copybook written by a calligraphy teacher"],
    "i18n": {"zh": {"name": "小毛笔儿童书法套装", "selling_points": ["字帖由书法老师书写"],
                    "specs": {"copybook": "字帖含100个基础字和笔顺", "colours": "颜色有藏青、白色",
                              "standard": "符合欧标EN71，整体无尖角"}}}}
INK: dict[str, Any] = {
    **item("ink", "Moyun Bottled Ink 100 ml", 39, "other"), "aliases": ["ink", "墨汁"],
    "specs": {"volume": "100 ml", "scent": "添加少量冰片，有淡淡清香，没有刺鼻臭味"}}  # written in Chinese only
SHOWER: dict[str, Any] = {
    **item("shower", "Vita Shower Head Filter", 129, "home"), "aliases": ["shower filter", "花洒"],
    "specs": {"thread": "G1/2 standard thread", "flow": "about 8 L per minute"}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    catalog = Catalog.model_validate({"shop": {
        "shipping": "Free shipping by ZTO in mainland China; SF Express costs 12 CNY extra; Xinjiang and Tibet pay 18 CNY extra.",
        "wholesale": "Schools and classes ordering 20 or more kits: contact customer service for a group price.",
        "i18n": {"zh": {"shipping": "中国大陆包邮（中通）；加12元可发顺丰；新疆、西藏需补18元运费。",
                        "wholesale": "学校和书法班一次订20套以上：请联系客服报团购价。"}}},
        "products": [JUG, SHOWER, PUMP, BLENDER, KIT, INK]})
    return Answerer(catalog, UseEmbedder())


def test_a_refill_price_is_the_refills_not_the_products(answerer: Answerer) -> None:
    d = decide(answerer, "refill cartridges for it, how much?", "jug", "en")
    assert "59" in d.text and "99" not in d.text, d.text
    d = decide(answerer, "how often do u change the cartridge n how much is a new one?", "jug", "en")
    assert "59" in d.text and "99" not in d.text, d.text
    # a part the catalog does not price is unknown, never the product's own price
    d = decide(answerer, "replacement cartridges for the shower one, how much?", "shower", "en")
    assert d.kind == "unknown" and "129" not in d.text, d.text
    # the product's own price asked beside a part: the price
    assert not asks_part_price("jug price? and how long does one cartridge last", ("clearflow filter jug 3.5 l", "jug"))
    assert not asks_part_price("how much is it? does it come with a cartridge", ("jug",))


def test_the_thing_after_max_and_what_is_removed_must_be_named(answerer: Answerer) -> None:
    d = decide(answerer, "max water pressure for the jug? my building's pressure is crazy high", "jug", "en")
    assert d.kind == "unknown" and "35" not in d.text, d.text
    d = decide(answerer, "does the jug remove fluoride?", "jug", "en")
    assert d.kind == "unknown" and "hardness" not in d.text, d.text
    for asked in ("what's the max temp?", "max temp for the jug?"):
        d = decide(answerer, asked, "jug", "en")
        assert "35" in d.text, d.text  # the measure named is answered ("temp" reads as temperature)


def test_a_courier_asks_shipping_not_the_price(answerer: Answerer) -> None:
    assert attributes.detect("发顺丰吗") == ["shipping"]
    d = decide(answerer, "发顺丰吗 我在新疆 要加多少钱", "jug")
    assert d.facts == ["shop/shipping"] and "18" in d.text and "99元" not in d.text, d.text


def test_how_long_it_lives_is_no_warranty(answerer: Answerer) -> None:
    d = decide(answerer, "how many years does the motor last? my last pump died after 6 months", "pump", "en")
    assert d.kind == "unknown" and "1 year" not in d.text, d.text
    d = decide(answerer, "how long is the warranty on the motor?", "pump", "en")
    assert "1 year" in d.text, d.text
    d = decide(answerer, "how many years does the motor last?", "blender", "en")
    assert "8 years" in d.text, d.text  # a fact that gives the life answers it


def test_the_second_child_is_a_child_not_a_number(answerer: Answerer) -> None:
    """老二 is the second child: its 二 is no digit ("老二4岁" was read as 24 years old)."""
    assert child_age("老二4岁 也吵着要跟哥哥一起写 能一起用吗") == 4
    d = decide(answerer, "老二4岁 也吵着要跟哥哥一起写 能一起用吗", "kit")
    assert d.kind == "suitability" and "6" in d.text and "可以的" not in d.text, d.text


def test_a_size_row_in_brackets_is_one_row() -> None:
    """"XXL (underbust 86-94 cm, bust 104-114 cm)": the comma inside the brackets cuts no row (the
    host said "bust 104-114 cm)." and never the size)."""
    table = ("M (underbust 68-76 cm, bust 80-90 cm), L (underbust 74-82 cm, bust 88-98 cm), "
             "XXL (underbust 86-94 cm, bust 104-114 cm)")
    assert size_line(fitting_segment(table, 110) or "", "en") == "I'd go with size XXL: underbust 86-94 cm, bust 104-114 cm."
    zh = "M（下胸围68-76厘米，胸围80-90厘米）、XXL（下胸围86-94厘米，胸围104-114厘米）"
    assert size_line(fitting_segment(zh, 110) or "", "zh") == "建议选XXL码：下胸围86-94厘米，胸围104-114厘米。"


def test_a_class_order_asks_the_group_price_not_the_price(answerer: Answerer) -> None:
    d = decide(answerer, "我是书法班老师 想给学生拿30套儿童套装 能便宜点吗", "kit")
    assert d.facts == ["shop/wholesale"] and "客服" in d.text and "99" not in d.text, d.text
    d = decide(answerer, "ordering 30 for my class, any discount?", "kit", "en")
    assert d.facts == ["shop/wholesale"] and "customer service" in d.text, d.text
    assert "bundle" not in attributes.detect("拿3套")  # three sets is an order, not a class's


def test_an_either_or_the_catalog_never_names_is_unknown(answerer: Answerer) -> None:
    """"颜体还是欧体": neither style is named anywhere, so the copybook fact ("100 basic characters")
    does not answer it; the host says it does not know, never picks a side."""
    d = decide(answerer, "字帖是哪个书法家的字呀 颜体还是欧体", "kit")
    assert d.kind == "unknown" and "颜体" not in d.text and "欧体" not in d.text, d.text
    d = decide(answerer, "is it red or purple?", "kit", "en")
    assert "navy" in d.text and "yes" not in d.text.casefold(), d.text  # colours the catalog gives answer it


def test_does_it_smell_bad_is_answered_by_the_scent(answerer: Answerer) -> None:
    """"bad" says how it is asked, like "good": the scent fact (only in Chinese here) answers it."""
    d = decide(answerer, "does it smell bad? some cheap ink stinks like rotten eggs", "ink", "en")
    assert d.kind == "fact" and d.facts == ["ink/spec/scent"], (d.kind, d.facts, d.reasons)


def test_a_composition_the_catalog_states_is_no_absolute_claim_in_chinese() -> None:
    """"罩杯内衬100%棉" is what the bra is made of: in Chinese, as in English, "100%" is an absolute
    only where the catalog states none (the fabric fact had been unsayable to a Chinese viewer)."""
    bra = {**item("bra", "Soft Nursing Bra", 129, "apparel"), "aliases": ["bra", "内衣"],
           "specs": {"fabric": "88% nylon, 12% spandex; cup lining 100% cotton", "wire": "wire-free"}}
    duvet = {**item("duvet", "Cloud Goose Down Duvet", 899, "home"), "aliases": ["duvet", "被子"],
             "selling_points": ["95% white goose down, light and fluffy"],
             "i18n": {"zh": {"selling_points": ["95%白鹅绒，轻盈蓬松"]}},
             "specs": {"fill": "95% white goose down, 5% small feathers", "shell": "100% cotton, 300 thread count"}}
    catalog = Catalog.model_validate({"products": [bra, duvet]})
    a = Answerer(catalog, UseEmbedder())
    assert decide(a, "面料是啥", "bra").facts == ["bra/spec/fabric"]
    assert check_compliance("这个100%有效", "zh", catalog.get("bra"), catalog).ok  # backed by the catalog's 100%
    plain = Catalog.model_validate({"products": [{**item("cup", "Cup", 9, "home"), "specs": {"size": "10 cm"}}]})
    assert not check_compliance("这个100%有效", "zh", plain.get("cup"), plain).ok
    # goose down is what a duvet is made of: "鸭绒还是鹅绒" gets the down, not the cotton shell
    assert "material" in attributes.detect("95% white goose down, light and fluffy")
    d = decide(a, "这被子是鸭绒还是鹅绒啊 含绒量多少", "duvet")
    assert d.facts == ["duvet/point/0"] and "95" in d.text, (d.facts, d.text)
