"""Reading a message against the facts (sixth round): a drink's strength ("多少度", "how strong")
and its own age ("aged 8 years" is not who may drink it), a sale's age floor stated as a notice
("not sold to anyone under 18"), a price said back beside the word "cart", a multi-buy in
Chinese ("拍两瓶"), and an age given only to say who a product is for. Catalogs built here, never
the evaluation sets."""

from __future__ import annotations

from typing import Any

import pytest

from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.reading import wanted_value


def item(pid: str, name: str, price: float, category: str, stock: int = 50) -> dict[str, Any]:
    return {"id": pid, "name": name, "price": price, "currency": "CNY", "stock": stock, "category": category}


RUM: dict[str, Any] = {**item("rum", "Isla Verde Dark Rum", 219, "food"),
    "aliases": ["rum", "朗姆酒", "朗姆"],
    "specs": {"volume": "700 ml", "abv": "41% vol", "age": "aged for 8 years in ex-bourbon oak",
              "serving_temperature": "18-20 °C, neat or over ice"},
    "notices": ["Not sold to anyone under 18. Do not drink and drive."],
    "i18n": {"zh": {"notices": ["未满18周岁不售。酒后不开车。"]}},
}
PLUM: dict[str, Any] = {**item("plum", "Umenoka Plum Wine", 89, "food"),
    "aliases": ["plum wine", "梅酒"], "specs": {"abv": "12% vol"},
    "notices": ["未满18周岁不售。"],
}
SCOOTER: dict[str, Any] = {**item("scooter", "Zip Kids Kick Scooter", 259, "kids"),
    "aliases": ["scooter", "滑板车"], "min_age": 5, "specs": {"weight": "3.1 kg", "deck": "52 x 12 cm"},
}
SHOP = {"payment": "Alipay and WeChat Pay; 6-month interest-free installments on orders over 200 yuan.",
        "how_to_buy": "Tap the cart below the video and check out.",
        "i18n": {"zh": {"payment": "支持支付宝和微信支付；满200元可享6期免息分期。",
                        "how_to_buy": "点击视频下方的购物车下单。"}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"shop": SHOP, "products": [RUM, PLUM, SCOOTER]}))


@pytest.mark.parametrize("text, lang", [("这个多少度的", "zh"), ("朗姆酒几度啊", "zh"), ("how strong is it?", "en")])
def test_a_drinks_strength_is_its_abv(answerer: Answerer, text: str, lang: str) -> None:
    d = answerer.decide(text, ["Wei"], answerer.catalog.get("rum"), lang=lang)
    assert d.kind == "fact" and d.facts == ["rum/spec/abv"], d
    assert "41" in d.text


def test_a_temperature_is_still_a_temperature() -> None:
    wants = wanted_value("水温多少度合适")
    assert wants is not None and wants.search("85 °C") and wants.search("53% vol")


def test_a_drinks_own_age_is_not_an_age_limit(answerer: Answerer) -> None:
    fact = next(f for f in answerer.kb.facts("rum") if f.key == "age")
    assert "age" not in fact.attrs
    assert "适用年龄" not in (fact.text("zh") or "")
    d = answerer.decide("my nephew is 16, can I get him the rum for his birthday?", ["Mia"],
                        answerer.catalog.get("rum"), lang="en")
    assert d.kind == "suitability" and "18" in d.text, d  # the notice's floor, not "8 years"


@pytest.mark.parametrize("text, lang", [
    ("my cousin turns 16 next week, plum wine ok as a gift for him?", "en"),
    ("我弟弟16岁 能给他买梅酒吗", "zh"),
])
def test_a_sales_age_floor_in_a_notice_is_a_minimum_age(answerer: Answerer, text: str, lang: str) -> None:
    d = answerer.decide(text, ["Kim"], answerer.catalog.get("plum"), lang=lang)
    assert d.kind == "suitability" and "18" in d.text, d


def test_a_price_said_back_beside_the_cart_is_corrected(answerer: Answerer) -> None:
    d = answerer.decide("plum wine is 59 rite? thought i saw 59 in the cart", ["Jo"],
                        answerer.catalog.get("plum"), lang="en")
    assert d.facts == ["plum/price"] and "89" in d.text and "59" not in d.text, d


def test_a_remark_beside_a_question_is_not_an_unknown_thing(answerer: Answerer) -> None:
    d = answerer.decide("滑板车能分期吗 有点小贵", ["阿杰"], answerer.catalog.get("scooter"), lang="zh")
    assert d.kind == "fact" and d.facts == ["shop/payment"], d


def test_buying_two_bottles_is_a_multi_buy(answerer: Answerer) -> None:
    assert answerer.attributes_of("拍两瓶能便宜点不 有没有第二瓶半价", answerer.catalog.products[0])[:1] == ["bundle"]


def test_an_age_given_only_to_say_who_for_gets_the_answer_asked(answerer: Answerer) -> None:
    d = answerer.decide("is it heavy? my 6yo wants to carry it up the stairs himself", ["Ben"],
                        answerer.catalog.get("scooter"), lang="en")
    assert d.kind == "fact" and d.facts[0] == "scooter/spec/weight" and "3.1" in d.text, d
    # Too young stays a safety answer, whatever else is asked.
    d = answerer.decide("is it heavy? my 3yo wants to carry it", ["Ben"], answerer.catalog.get("scooter"), lang="en")
    assert d.kind == "suitability", d


TRIPOD: dict[str, Any] = {**item("tripod", "Crane Travel Tripod", 399, "electronics"),
    "aliases": ["tripod", "三脚架"],
    "specs": {"height_range": "minimum 28 cm, maximum 150 cm", "load_capacity": "8 kg",
              "runtime": "the remote lasts 30 h on one charge"},
}


@pytest.fixture(scope="module")
def tripod() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [TRIPOD, RUM]}))


def test_how_low_is_a_size_question(tripod: Answerer) -> None:
    d = tripod.decide("最低能放多低 想拍花", ["阿杰"], tripod.catalog.get("tripod"), lang="zh")
    assert d.facts == ["tripod/spec/height_range"] and "28" in d.text, d


def test_how_long_it_holds_out_is_not_how_much_it_bears(tripod: Answerer) -> None:
    assert tripod.attributes_of("遥控器能撑多久", tripod.catalog.products[0])[:1] == ["battery"]
    assert tripod.attributes_of("能撑8公斤的相机吗", tripod.catalog.products[0])[:1] == ["load"]


def test_chat_shorthand_names_the_spec(tripod: Answerer) -> None:
    d = tripod.decide("what temp should i serve the rum at?", ["Wei"], tripod.catalog.get("rum"), lang="en")
    assert d.facts == ["rum/spec/serving_temperature"], d


def test_recommending_a_way_to_use_it_is_no_comparison(tripod: Answerer) -> None:
    assert "recommend" not in tripod.attributes_of("how do u recommend drinking it?", tripod.catalog.products[0])
    assert tripod.attributes_of("which one do you recommend?", tripod.catalog.products[0])[:1] == ["recommend"]


SAKE: dict[str, Any] = {**item("sake", "Yuki Junmai Ginjo", 268, "food"),
    "aliases": ["sake", "清酒"], "original_price": 328,
    "specs": {"polishing_ratio": "精米步合55%", "abv": "15% vol"},
    "faq": [{"q": "Can you add a greeting card to a gift?", "a": "Yes, write your message in the order notes."}],
}
LAMP: dict[str, Any] = {**item("lamp", "Glow Desk Light", 129, "home"), "aliases": ["light", "lamp"],
                        "specs": {"weight": "900 g"}}
BAG: dict[str, Any] = {**item("bag", "Feather Day Pack", 199, "apparel"), "aliases": ["day pack"],
                       "specs": {"weight": "320 g"}}


@pytest.fixture(scope="module")
def shop() -> Answerer:
    # the real embedding model, as the show has: words alone do not find an English FAQ from 贺卡
    return Answerer(Catalog.model_validate({"products": [SAKE, LAMP, BAG]}), UseEmbedder())


def test_a_percent_the_spec_asked_holds_is_no_discount_claim(shop: Answerer) -> None:
    d = shop.decide("whats the polishing ratio? ginjo should be 60% or lower no?", ["Jess"],
                    shop.catalog.get("sake"), lang="en")
    assert d.facts == ["sake/spec/polishing_ratio"] and "not quite" not in d.text.casefold(), d
    d = shop.decide("is it 50% off today?", ["Jess"], shop.catalog.get("sake"), lang="en")
    assert d.facts == ["sake/discount"], d  # a percent about the deal is still the deal


def test_a_plain_word_said_as_one_names_no_product(shop: Answerer) -> None:
    assert shop.catalog.mentioned("it's like 300g right? super light") == []
    assert [p.id for p in shop.catalog.mentioned("how heavy is the light?")] == ["lamp"]


def test_a_common_word_jieba_tags_as_a_name_is_known_by_its_meaning(shop: Answerer) -> None:
    d = shop.decide("送人的 能帮写张贺卡不", ["小白"], shop.catalog.get("sake"), lang="zh")
    assert d.kind == "fact" and d.facts == ["sake/faq/0"], d


def test_a_code_is_no_number_to_correct() -> None:
    grinder = {**item("grinder", "Volt Angle Grinder", 299, "home"), "aliases": ["angle grinder", "角磨机", "角磨"],
               "specs": {"cord": "2 m, three-pin plug", "disc": "100 mm"},
               "i18n": {"zh": {"specs": {"cord": "2米，国标三插"}}}}
    a = Answerer(Catalog.model_validate({"products": [grinder]}))
    for text, lang in (("这个角磨有3C认证吗", "zh"), ("does the grinder cord have a 3C mark?", "en")):
        d = a.decide(text, ["阿强"], a.catalog.get("grinder"), lang=lang)
        assert "不是" not in d.text and "not quite" not in d.text.casefold(), d
    d = a.decide("the disc is 125mm right?", ["Tom"], a.catalog.get("grinder"), lang="en")
    assert "not quite" in d.text.casefold() and "100" in d.text, d  # a measure said wrong is still corrected


def test_cheap_said_of_other_things_asks_no_price(answerer: Answerer) -> None:
    assert "price" not in answerer.attributes_of("how much sugar r in it? cheap rum gives me headaches", answerer.catalog.products[0])
    assert "price" not in answerer.attributes_of("is it aged in oak or steel? cheap stuff never is", answerer.catalog.products[0])
    assert answerer.attributes_of("why so cheap?", answerer.catalog.products[0])[:1] == ["price"]
    assert answerer.attributes_of("is it cheap?", answerer.catalog.products[0])[:1] == ["price"]


GAMES: dict[str, Any] = {**item("dice", "Pepper Dice Party Cards", 59, "kids"), "aliases": ["pepper cards", "辣椒牌"],
    "min_age": 8, "specs": {"players": "3-8", "cards": "120 cards"},
}


@pytest.fixture(scope="module")
def games() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [GAMES, RUM, SCOOTER]}))


@pytest.mark.parametrize("text", ["does it come w charcoal or gotta buy seperately", "any gifts w the tool set?"])
def test_what_comes_with_it_in_chat_words(games: Answerer, text: str) -> None:
    assert games.attributes_of(text, games.catalog.products[0])[:1] == ["included"]


def test_a_combo_is_a_multi_buy(games: Answerer) -> None:
    assert games.attributes_of("if i grab the cards + the scooter is there a combo deal", games.catalog.products[0])[:1] == ["bundle"]


def test_a_misspelt_how_much_asks_the_price(games: Answerer) -> None:
    d = games.decide("ok scooter now, how mch?", ["Jake"], games.catalog.get("dice"), lang="en")
    assert d.facts == ["scooter/price"] and "259" in d.text, d


def test_a_price_from_the_last_stream_is_corrected(games: Answerer) -> None:
    d = games.decide("wasnt the scooter 199 last stream?", ["Jake"], games.catalog.get("scooter"), lang="en")
    assert d.facts == ["scooter/price"] and "259" in d.text and "199" not in d.text, d


def test_a_plural_alias_is_named_in_the_singular(games: Answerer) -> None:
    d = games.decide("oh and the pepper card thing, how much was it again?", ["Kay"], games.catalog.get("scooter"),
                     lang="en")
    assert d.facts == ["dice/price"] and "59" in d.text, d



def test_kilowatt_hours_in_chinese_are_energy_not_degrees() -> None:
    plug = {**item("plug", "Spark Smart Plug", 49, "electronics"), "aliases": ["smart plug", "智能插座"],
            "specs": {"max_load": "10 A / 2200 W", "energy_monitoring": "real-time power (W) and monthly energy use (kWh)"}}
    a = Answerer(Catalog.model_validate({"products": [plug]}), UseEmbedder())
    d = a.decide("能看每个月用了多少度电不", ["阿杰"], a.catalog.get("plug"), lang="zh")
    assert d.kind == "fact" and d.facts == ["plug/spec/energy_monitoring"], d
    assert wanted_value("能看用了多少度电") is None and wanted_value("水温多少度") is not None
