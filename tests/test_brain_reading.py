"""Reading a message against the facts (second round): words bridged across languages by the
dictionary, prices asked back for confirmation, coupons, size tables, several questions in one
message, the kind of value asked, and honest unknowns with the related fact. A catalog built
here, never the evaluation sets."""

from __future__ import annotations

import re
from typing import Any

import pytest

from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.dictionary import (
    DATA_SHA256,
    Dictionary,
    DictionaryUnavailable,
    default_dictionary,
)
from vhost.brain.reading import asked_measure, stated_prices
from vhost.brain.sizing import fitting_segment

SHOP: dict[str, Any] = {
    "payment": "Alipay, WeChat Pay and UnionPay cards.",
    "returns": "7-day returns if unused; one free size exchange.",
    "i18n": {"zh": {"payment": "支持支付宝、微信支付和银联卡。", "returns": "未使用7天可退；可免费换码一次。"}},
}
HARNESS: dict[str, Any] = {
    "id": "harness", "name": "TrailPup Harness", "price": 79, "currency": "CNY", "stock": 50,
    "category": "other", "aliases": ["胸背带"],
    "selling_points": ["Padded no-pull harness"],
    "specs": {"size_s": "Size S: chest 40-50 cm", "size_m": "Size M: chest 50-65 cm",
              "size_l": "Size L: chest 65-80 cm", "weight": "180 g (size M)",
              "material": "nylon webbing, air mesh"},
    "faq": [{"q": "Does it come with a whistle?", "a": "No, the matching whistle is sold separately for 35 CNY."},
            {"q": "How often should I wash it?", "a": "Hand wash it every two weeks."}],
    "i18n": {"zh": {"name": "TrailPup 胸背带", "specs": {"size_m": "M码：胸围50-65厘米"}}},
}
CHAIR: dict[str, Any] = {
    "id": "chair", "name": "Camp Chair", "price": 129, "currency": "CNY", "stock": 8, "category": "other",
    "aliases": ["椅子"], "specs": {"weight": "1.1 kg", "max_load": "120 kg", "seat_height": "32 cm"},
}
LAMP: dict[str, Any] = {
    "id": "lamp", "name": "Desk Lamp", "price": 259, "currency": "CNY", "stock": 20, "category": "home",
    "aliases": ["台灯"],
    "specs": {"charge_time": "about 3 hours", "run_time": "about 6 hours on medium", "power": "5 W"},
    "faq": [{"q": "Can I charge it from a laptop?", "a": "Yes, any USB port works."}],
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.model_validate({"shop": SHOP, "products": [HARNESS, LAMP, CHAIR]})


@pytest.fixture(scope="module")
def answerer(catalog: Catalog) -> Answerer:
    return Answerer(catalog)


def ask(a: Answerer, c: Catalog, text: str, product: str = "harness"):
    return a.decide(text, ["Ann"], c.get(product))


def test_the_dictionary_is_the_pinned_cc_cedict_and_bridges_words() -> None:
    d = default_dictionary()
    assert d is not None
    assert "rope" in d.english("绳子") and "leash" not in d.english("绳子")
    assert "滤网" in d.chinese("filter") and "公里" in d.chinese("km")


def test_a_dictionary_file_failing_its_sha256_is_refused(tmp_path) -> None:
    bad = tmp_path / "cedict.txt.gz"
    bad.write_bytes(b"not the dictionary")
    with pytest.raises(DictionaryUnavailable, match=DATA_SHA256[:8]):
        Dictionary(bad)


def test_without_the_dictionary_the_answerer_still_answers(catalog: Catalog) -> None:
    a = Answerer(catalog, dictionary=None)
    d = ask(a, catalog, "How much is it?")
    assert d.kind == "fact" and "79" in d.text


@pytest.mark.realmodel
def test_a_chinese_question_finds_an_english_only_faq_by_its_words(catalog: Catalog) -> None:
    from vhost.brain.embedding import UseEmbedder

    a = Answerer(catalog, UseEmbedder())
    d = ask(a, catalog, "送口哨吗？要另外买吗？")  # 口哨 ~ whistle, 另外 ~ separately (CC-CEDICT)
    assert d.facts[:1] == ["harness/faq/0"], d
    plain = Answerer(catalog, UseEmbedder(), dictionary=None)  # meaning alone does not reach it
    assert plain.retriever.rank("送口哨吗？要另外买吗？", plain.kb.facts("harness"))[0].words == 0


@pytest.mark.parametrize("text, wrong", [("The harness is 59, right?", "59"), ("胸背带是69吧？", "69"),
                                         ("isn't it 99?", "99")])
def test_a_price_asked_back_is_corrected(answerer: Answerer, catalog: Catalog, text: str, wrong: str) -> None:
    d = ask(answerer, catalog, text)
    assert d.kind == "fact" and "79" in d.text and wrong not in d.text.replace("79", "")


def test_stated_prices_are_numbers_near_the_price_not_sizes_or_ages() -> None:
    assert stated_prices("the rope is 109, right?", 129) == ["109"]
    assert stated_prices("do you have size 45?", 329) == []
    assert stated_prices("is the M for 55 cm, right?", 79) == []
    assert stated_prices("my son is 10, is it ok?", 79) == []


@pytest.mark.parametrize("text", ["any coupon code for today?", "有优惠券吗？领券链接发一下", "能分期付款吗？"])
def test_a_coupon_or_installments_the_catalog_does_not_name_is_unknown(answerer: Answerer, catalog: Catalog,
                                                                      text: str) -> None:
    d = ask(answerer, catalog, text)
    assert d.kind == "unknown" and "79" not in d.text and not re.search(r"code:|优惠码是", d.text)


@pytest.mark.parametrize("text, size", [("His chest is 72 cm, which size?", "L"), ("胸围55厘米穿什么码？", "M"),
                                        ("chest 50cm what size", "M")])
def test_a_measurement_is_fitted_to_the_size_table(answerer: Answerer, catalog: Catalog, text: str, size: str) -> None:
    d = ask(answerer, catalog, text)
    assert d.kind == "fact" and re.search(rf"size {size}\b|{size}码", d.text, re.IGNORECASE), d.text


def test_size_table_reading() -> None:
    table = "S 155-160 cm; M 160-170 cm; L 170-175 cm"
    assert fitting_segment(table, 165) == "M 160-170 cm"
    assert fitting_segment(table, 170) == "L 170-175 cm"  # at the boundary, size up
    assert fitting_segment(table, 190) is None
    assert asked_measure("我身高165，穿什么码？") == 165 and asked_measure("how much is it?") is None


def test_two_questions_in_one_message_get_both_facts(answerer: Answerer, catalog: Catalog) -> None:
    d = ask(answerer, catalog, "How much is it? And how heavy?")
    assert "79" in d.text and "180" in d.text and len(d.facts) == 2


def test_a_question_for_a_duration_gets_the_fact_that_gives_one(answerer: Answerer, catalog: Catalog) -> None:
    d = ask(answerer, catalog, "台灯充满电要多久？", "lamp")
    assert d.facts == ["lamp/spec/charge_time"], d


@pytest.mark.parametrize("text", ["Is the webbing organic?", "这个胸背带甲醛含量多少？", "Do you take Apple Pay?"])
def test_what_the_facts_do_not_say_is_unknown_with_the_related_fact(answerer: Answerer, catalog: Catalog,
                                                                   text: str) -> None:
    d = ask(answerer, catalog, text)
    assert d.kind == "unknown", d
    assert not re.search(r"\byes\b|是的|可以的", d.text, re.IGNORECASE)
    if "Apple" in text:  # what the catalog does say about paying follows the honest part
        assert "Alipay" in d.text


def test_stated_context_is_not_the_question(answerer: Answerer, catalog: Catalog) -> None:
    d = ask(answerer, catalog, "I'm in Beijing, how much is the harness?")
    assert d.kind == "fact" and "79" in d.text


@pytest.mark.parametrize("text", ["whats the weight limit on the chair", "椅子承重多少？", "我爸两百六十斤，坐得住吗？能承受吗"])
def test_a_load_limit_is_never_answered_with_the_products_own_weight(answerer: Answerer, catalog: Catalog,
                                                                     text: str) -> None:
    d = ask(answerer, catalog, text, "chair")
    assert d.facts[:1] == ["chair/spec/max_load"] and "1.1" not in d.text, d


def test_without_a_load_fact_a_load_question_is_unknown(answerer: Answerer, catalog: Catalog) -> None:
    d = ask(answerer, catalog, "how much weight can it hold?", "lamp")
    assert d.kind == "unknown"


@pytest.mark.parametrize("text", ["这个台灯是多粗的", "能照多远"])
def test_how_thick_or_how_far_is_a_question(text: str) -> None:
    from vhost.brain.reading import is_question

    assert is_question(text)


def test_a_month_is_not_a_baby_unless_a_child_is_named() -> None:
    from vhost.brain.reading import child_age

    assert child_age("每天一杯 一个月能掉几斤？") is None and child_age("用一个月有效果吗") is None
    assert child_age("宝宝6个月能用吗") == 0 and child_age("my 10-month-old") == 0


def test_losing_pounds_is_a_weight_loss_claim_in_both_languages() -> None:
    from vhost.brain.catalog import Product
    from vhost.brain.compliance import check_compliance

    p = Product.model_validate({"id": "shake", "name": "Shake", "price": 99, "stock": 5, "category": "health"})
    for text, lang in (("一个月能掉几斤？", "zh"), ("can I lose 5 kg with it?", "en")):
        assert not check_compliance(text, lang, p).ok, text


def test_litres_written_as_l_ground_a_chinese_line() -> None:
    from vhost.brain.grounding import check_grounding

    c = Catalog.model_validate({"products": [{"id": "case", "name": "Case", "price": 599, "stock": 3,
                                              "specs": {"capacity": "38 L"}}]})
    assert check_grounding("容量是38升。", c.products[0], c).grounded


def test_a_wh_question_naming_what_the_fact_never_mentions_is_unknown(answerer: Answerer, catalog: Catalog) -> None:
    from vhost.brain.coverage import focus_words

    assert focus_words("what's the screen resolution?") == ["resolution"]
    assert focus_words("what's the wheel size? the sidewalks are bumpy") == ["wheel"]  # size asks the value
    assert focus_words("what's the max output?") == [] and focus_words("what grade is its filter?") == []
    d = ask(answerer, catalog, "what's the buckle material?")  # the harness's material never names a buckle
    assert d.kind == "unknown" and "nylon" in d.text  # honest, with what the catalog does say
    d = ask(answerer, catalog, "what's the webbing material?")
    assert d.kind == "fact" and "nylon" in d.text


def test_how_long_is_a_thing_asks_a_length_and_how_long_it_lasts_a_duration():
    from vhost.brain.reading import wanted_value

    assert wanted_value("how long is its cord?") is None
    assert wanted_value("how long is the chain") is None
    for q in ("how long is the warranty?", "how long is the battery life", "how long does it last?",
              "how long to charge", "能用多久"):
        assert wanted_value(q) is not None, q


def test_common_ways_to_ask_the_price_in_chinese():
    from vhost.brain.attributes import detect

    for q in ("这个vc泡腾片怎么卖", "咋卖的", "啥价", "这个价位多少"):
        assert detect(q)[:1] == ["price"], q


def test_what_comes_with_it_is_its_own_attribute():
    from vhost.brain.attributes import detect

    for q in ("送地布吗", "买精华有赠品吗？", "does it come with a case?", "what's in the box?",
              "do u get any freebies with the backpack?", "买一送一吗"):
        assert detect(q)[:1] == ["included"], q
    for q in ("能送到香港吗", "when will my package arrive?", "我想买一个送给我妈", "extra-fine nib?"):
        assert "included" not in detect(q), q


def test_age_noise_certification_and_origin_questions():
    from vhost.brain.attributes import detect

    cases = {"学步车多大能用": "age", "多大的猫可以吃？": "age", "how old should my kid be": "age",
             "Is the cover fabric certified for anything?": "certification",
             "does it meet any official lighting standard?": "certification", "有没有检测报告": "certification",
             "How loud is it in sleep mode?": "noise", "吵不吵": "noise",
             "我老是忘记关 它多久会自己断电": "auto_off", "does it turn off by itself?": "auto_off",
             "where is the leather from": "origin", "where does the tea come from?": "origin"}
    for q, attr in cases.items():
        assert detect(q)[:1] == [attr], q
    assert detect("where do you ship from?")[:1] == ["shipping"]
    assert detect("Standard delivery?")[:1] == ["shipping"]
    assert detect("这个多大")[:1] == ["size"]


def test_multi_buy_and_opened_shelf_life_questions():
    from vhost.brain.attributes import detect

    for q in ("T恤多少钱？买两件有优惠吗？", "any bulk deal?", "if i get the tent and the chair together is there a deal?"):
        assert detect(q)[:1] == ["bundle"], q
    assert "bundle" not in detect("can I use it together with my vitamin C serum?")
    assert detect("is there a deal today?")[:1] == ["discount"]
    assert detect("once u open a tube how long is it good for?")[:1] == ["shelf_life"]


def test_how_loud_wants_decibels():
    from vhost.brain.reading import wanted_value

    assert wanted_value("How loud is it in sleep mode?").search("Noise: 22 dB in sleep mode")
    assert not wanted_value("噪音多大").search("Quiet sleep mode with the display light off")


def test_a_price_seen_elsewhere_or_asked_back_now_is_a_stated_price():
    from vhost.brain.reading import stated_prices

    assert stated_prices("saw it for 999 on another app, can you match that?", 1299) == ["999"]
    assert stated_prices("wait so the protein is 249 now?", 299) == ["249"]
    assert stated_prices("别家才卖99", 129) == ["99"]
    assert stated_prices("I have 2 now", 129) == []
