"""Readings that once made the host say something false: a price heard as a child's age, a baby's
months as years, a pregnancy's months as a claim to correct, a weekday as a price, a "not for
children" FAQ as an age floor. Catalogs built here, never the evaluation sets; the real sentence
embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain import attributes
from vhost.brain.ages import stated_min_age
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.hypernyms import kind_named
from vhost.brain.own import viewer_numbers
from vhost.brain.reading import child_age, child_months, stated_prices
from vhost.brain.retrieval import tokens

LOTION: dict[str, Any] = {
    **item("lotion", "Sunny Kids Mineral Lotion SPF50", 99, "cosmetics"), "original_price": 129, "min_age": 3,
    "aliases": ["kids lotion", "儿童防晒"], "specs": {"volume": "60 ml", "zinc_oxide": "15%"},
    "notices": ["For children aged 3 and up."]}
SPRAY: dict[str, Any] = {
    **item("spray", "Sport Mist SPF50", 119, "cosmetics"), "aliases": ["spray", "喷雾"],
    "specs": {"volume": "150 ml aerosol can", "spf": "SPF50", "pa_rating": "PA+++",
              "how_to_apply": "hold 15 cm from the skin, spray evenly, then rub in"},
    "faq": [{"q": "Can kids use it?", "a": "It is not meant for children; for children aged 3 and up, use the kids lotion."}],
    "i18n": {"zh": {"specs": {"spf": "SPF50", "pa_rating": "PA+++"}}}}
SPEAKER: dict[str, Any] = {
    **item("speaker", "Tide Go 20 Bluetooth Speaker", 199, "electronics"), "aliases": ["speaker", "音箱"],
    "selling_points": ["About 16 hours of music at half volume on one charge"],
    "specs": {"battery": "4,400 mAh lithium battery", "output_power": "20 W"}}
CUPS: dict[str, Any] = {
    **item("cups", "Party Paper Cups (24 pcs)", 29, "home"), "aliases": ["cups", "杯子"],
    "specs": {"cup_volume": "250 ml", "heat": "holds drinks up to 70 °C; not for the microwave"}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    catalog = Catalog.model_validate({"shop": {"gift": "Every order over 199 CNY gets a free 15 ml travel tube.",
                                               "authenticity": "All products ship from the brand's official warehouse; "
                                                               "every box has a scratch-off anti-counterfeit code.",
                                               "i18n": {"zh": {"gift": "每单满199元送一支15毫升旅行装。",
                                                               "authenticity": "所有商品均由品牌官方仓发货，每盒都有防伪码。"}}},
                                      "products": [LOTION, SPRAY, CUPS, SPEAKER]})
    return Answerer(catalog, UseEmbedder())


def test_a_price_said_of_the_kids_product_is_no_childs_age() -> None:
    assert child_age("kids one is 79 today right? thought i saw that on screen") is None
    assert child_age("my son is 5, ok for him?") == 5


def test_the_kids_product_price_trap_is_answered_with_the_price(answerer: Answerer) -> None:
    d = answerer.decide("kids one is 79 today right? 🤔 thought i saw that on screen earlier", ["Jay"],
                        answerer.catalog.get("lotion"), lang="en")
    assert "99" in d.text and "79" not in d.text and "year-old" not in d.text


def test_a_babys_months_are_months_not_years(answerer: Answerer) -> None:
    # whole years (an 18-month-old is 1, still under a 2+ product's floor), the months kept for the line
    assert (child_age("my daughter is 18 months, can she use it"), child_months("my daughter is 18 months")) == (1, 18)
    d = answerer.decide("my baby is 10 months, can i put this on her face?", ["Ben"], answerer.catalog.get("lotion"), lang="en")
    assert d.kind == "suitability" and "not for a 10-month-old" in d.text, d.text
    # the floor in months is said only where a fact states it: 36 is no number of this catalog
    assert "36" not in d.text and "10-year-old" not in d.text



def test_a_warrantys_months_are_no_babys_age() -> None:
    """Months read as a child's age only where a child or she/he is their subject: "warranty is 12
    months" beside "my son is 6" left the 6-year-old a 0-year-old."""
    assert child_age("my son is 6, warranty is 12 months right?") == 6
    assert child_age("我儿子6岁，保修12个月吗") == 6
    assert child_age("she just turned 9 months, ok?") == 0 and child_months("she just turned 9 months") == 9
    assert child_months("6个月宝宝能用吗") == 6 and child_months("宝宝快10个月了") == 10

def test_a_product_not_for_children_has_no_age_floor(answerer: Answerer) -> None:
    assert stated_min_age(["It is not meant for children; for children aged 3 and up, use the kids lotion."]) is None
    assert stated_min_age(["Not recommended for children under 12."]) == 12
    d = decide(answerer, "喷雾给我家5岁儿子用可以吗", "spray")
    assert "可以的" not in d.text and "适合3岁" not in d.text and d.facts == ["spray/faq/0"], (d.kind, d.text)


def test_a_viewers_own_months_are_no_claim_to_correct(answerer: Answerer) -> None:
    assert "5" in viewer_numbers("孕妇能用吗 我怀孕5个月了")
    d = decide(answerer, "孕妇能用吗 我怀孕5个月了 现在啥都不敢乱用", "lotion")
    assert d.kind == "unknown" and "不是" not in d.text, d.text


def test_a_weekday_is_no_price() -> None:
    assert stated_prices("今天拍了周六能到上海吗 生日派对周六办", 59) == []
    assert stated_prices("今天只要49吗", 59) == ["49"]


def test_the_shops_gift_policy_answers_a_gift_question(answerer: Answerer) -> None:
    assert attributes.of_key("gift") == "included"
    d = decide(answerer, "有赠品吗 送啥呀", "lotion")
    assert d.facts == ["shop/gift"] and "199" in d.text, (d.kind, d.text)


def test_a_spec_the_question_names_answers_whatever_else_it_counts(answerer: Answerer) -> None:
    d = decide(answerer, "这个spf多少呀 PA几个加", "spray")
    assert d.kind == "fact" and "SPF50" in d.text, (d.kind, d.text)


def test_milk_is_a_drink() -> None:
    drinks = set(tokens("holds drinks up to 70 °C"))
    assert kind_named("牛奶", drinks) and kind_named("coffee", drinks)
    assert not kind_named("牛奶", set(tokens("250 ml paper cup"))) and not kind_named("plate", drinks)


def test_an_english_fridge_finds_a_chinese_refrigerator(answerer: Answerer) -> None:
    d = answerer.retriever.dictionary
    assert d is not None and "冰箱" in d.chinese("fridge") and "fridge" in d.english("冰箱")


def test_a_second_question_gets_the_kind_of_value_it_asks(answerer: Answerer) -> None:
    d = answerer.decide("ok speaker time 🔊 price? n how long does the battery last", ["Ray"],
                        answerer.catalog.get("speaker"), lang="en")
    assert "199" in d.text and "16 hours" in d.text and "mAh" not in d.text, d.text


def test_how_big_a_can_is_what_it_holds(answerer: Answerer) -> None:
    d = answerer.decide("ok now the spray - price? n how big is the can", ["Jay"], answerer.catalog.get("spray"), lang="en")
    assert "119" in d.text and "150 ml" in d.text and "15 cm" not in d.text, d.text


def test_a_viewer_who_once_bought_fakes_gets_the_shops_word_not_a_refusal(answerer: Answerer) -> None:
    d = decide(answerer, "是正品吗 之前在别家买到过假货 怕了怕了", "lotion")
    assert d.kind == "fact" and d.facts == ["shop/authenticity"] and "防伪码" in d.text, (d.kind, d.text)
    # asked to run the other shops down, the host still refuses
    assert decide(answerer, "别家都是假货吧 你家是不是正品", "lotion").kind == "refuse"


def test_without_the_shops_word_genuineness_is_an_honest_unknown() -> None:
    bare = Answerer(Catalog.model_validate({"products": [LOTION]}), UseEmbedder())
    d = decide(bare, "是正品吗", "lotion")
    assert d.kind == "unknown" and "是正品" not in d.text, (d.kind, d.text)
