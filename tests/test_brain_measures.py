"""Reading a message against the facts (fourth round): a measure is a number, a bottle's size is
what it holds, a colour that picks the product is not the question, the mains voltage, the viewer's
own things, ages of siblings, notices and registered medical devices under compliance, translations
paired by their numbers, policies backed across languages. Catalogs built here, never the
evaluation sets."""

from __future__ import annotations

from typing import Any

import pytest

from vhost.brain import attributes
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog

GEL: dict[str, Any] = {
    "id": "gel", "name": "ShineBowl Cleaner Gel (750 ml)", "price": 25, "currency": "CNY", "stock": 30,
    "category": "home", "aliases": ["洁厕灵"],
    "tagline": "Thick gel that clings under the rim",
    "selling_points": ["Thick gel clings to the bowl instead of running down"],
    "specs": {"volume": "750 ml", "scent": "sea breeze"},
}
MIST: dict[str, Any] = {
    "id": "mist", "name": "Peach Body Mist", "price": 89, "currency": "CNY", "stock": 30, "category": "cosmetics",
    "aliases": ["body mist"], "selling_points": ["Sheer peach and white tea scent in a pink bottle"],
    "specs": {"colors": "pink, white"},
}
BOX: dict[str, Any] = {
    "id": "serum", "name": "Glow Serum", "price": 129, "currency": "CNY", "stock": 30, "category": "cosmetics",
    "specs": {"volume": "30 ml"},
}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [GEL, MIST, BOX]}))


@pytest.mark.parametrize("text, lang", [("洁厕灵一瓶多大的", "zh"), ("how big's the bottle?", "en")])
def test_a_bottle_is_as_big_as_it_holds(answerer: Answerer, text: str, lang: str) -> None:
    d = answerer.decide(text, ["Kim"], answerer.catalog.get("gel"), lang=lang)
    assert d.kind == "fact" and d.facts == ["gel/spec/volume"] and "750" in d.text, d


def test_words_without_a_number_answer_no_measure(answerer: Answerer) -> None:
    # "Thick gel" names no size; with no volume spec either, the answer is honest, not the tagline.
    cat = Catalog.model_validate({"products": [{**GEL, "specs": {"scent": "sea breeze"}}]})
    d = Answerer(cat).decide("how big is it?", ["Kim"], cat.get("gel"), lang="en")
    assert d.facts != ["gel/tagline"] and d.facts != ["gel/point/0"], d


@pytest.mark.parametrize("text", ["How big is the box?", "盒子多大？"])
def test_a_box_is_no_bottle(answerer: Answerer, text: str) -> None:
    d = answerer.decide(text, ["Kim"], answerer.catalog.get("serum"))
    assert d.kind == "unknown" and "30" not in d.text, d


@pytest.mark.parametrize("text, first", [
    ("omg the pink one is so cute, body mist price pls", "price"),
    ("粉色那个多少钱", "price"),
    ("the steel one, what size is it?", "size"),
    ("is it pink?", "color"),
    ("what colours does it come in?", "color"),
    ("is the cup glass or plastic?", "material"),
])
def test_a_value_that_picks_the_product_is_not_the_question(text: str, first: str) -> None:
    assert attributes.detect(text)[:1] == [first]


def test_the_pink_one_gets_its_price(answerer: Answerer) -> None:
    d = answerer.decide("omg the pink one is so cute, body mist price pls", ["Kim"],
                        answerer.catalog.get("gel"), lang="en")
    assert d.kind == "fact" and d.facts[:1] == ["mist/price"] and "89" in d.text, d


KETTLE: dict[str, Any] = {
    "id": "kettle", "name": "Steam Kettle", "price": 199, "currency": "CNY", "stock": 30, "category": "kitchen",
    "specs": {"voltage": "220 V, 50 Hz", "power": "1800 W", "capacity": "1.7 L"},
}
CHARGER: dict[str, Any] = {
    "id": "charger", "name": "65W Charger", "price": 99, "currency": "CNY", "stock": 30, "category": "electronics",
    "specs": {"input": "100-240 V AC", "max_output": "65 W", "plug": "foldable two-pin plug"},
}


@pytest.mark.parametrize("product, text, lang, value", [
    ("kettle", "Will the kettle work on 110 V? moving to the US", "en", "220"),
    ("kettle", "my kitchen plug is 110V lol will this work", "en", "220"),
    ("kettle", "美国110V能用吗", "zh", "220"),
    ("charger", "can I use it in India with 230V?", "en", "240"),
])
def test_the_mains_a_device_runs_on(product: str, text: str, lang: str, value: str) -> None:
    cat = Catalog.model_validate({"products": [KETTLE, CHARGER]})
    d = Answerer(cat).decide(text, ["Kim"], cat.get(product), lang=lang)
    assert d.kind == "fact" and value in d.text and "1800" not in d.text and "65" not in d.text, d


UKE: dict[str, Any] = {
    "id": "uke", "name": "Maple Concert Ukulele", "price": 299, "currency": "CNY", "stock": 30, "category": "other",
    "aliases": ["uke", "尤克里里"],
    "specs": {"pegs": "sealed geared tuning pegs, 18:1 ratio", "strings": "nylon, 4 strings"},
}


@pytest.mark.parametrize("text, lang", [
    ("what kind of tuning pegs? the ones on my old cheap uke kept slipping", "en"),
    ("我之前那把便宜的老跑音 这把弦钮是什么样的", "zh"),
])
def test_what_a_viewer_says_of_their_own_things_is_not_asked(text: str, lang: str) -> None:
    cat = Catalog.model_validate({"products": [UKE]})
    d = Answerer(cat).decide(text, ["Kim"], cat.get("uke"), lang=lang)
    assert "299" not in d.text and d.facts[:1] != ["uke/price"], d
    assert attributes.detect("is it cheap?")[:1] == ["price"]  # asked of ours, it is the price


STROLLER: dict[str, Any] = {
    "id": "stroller", "name": "CityGo Stroller", "price": 899, "currency": "CNY", "stock": 30, "category": "kids",
    "aliases": ["推车"], "selling_points": ["Folds with one hand"],
    "specs": {"wheels": "EVA puncture-proof wheels, swivel front wheels", "folded_size": "55 x 45 x 20 cm"},
}


@pytest.mark.parametrize("text, lang", [("what's the wheel size? the sidewalks here are bumpy", "en"),
                                        ("轮子多大的", "zh")])  # the part asked (轮子) is not in the folded size
def test_a_magnitude_is_answered_by_a_number_or_not_at_all(text: str, lang: str) -> None:
    cat = Catalog.model_validate({"products": [STROLLER]})
    d = Answerer(cat).decide(text, ["Kim"], cat.get("stroller"), lang=lang)
    assert d.kind == "unknown" and not (d.kind == "fact" and "EVA" in d.text), d


BUDS: dict[str, Any] = {
    "id": "buds", "name": "Quiet Buds", "price": 299, "currency": "CNY", "stock": 30, "category": "electronics",
    "selling_points": ["8 hours per charge, 32 hours with the case"],
    "specs": {"battery_life": "8 hours per charge", "charging": "USB-C and Qi wireless charging case", "weight": "165 g"},
}


@pytest.mark.realmodel
def test_how_long_to_charge_is_not_the_battery_life() -> None:
    from vhost.brain.embedding import UseEmbedder

    cat = Catalog.model_validate({"products": [BUDS]})
    d = Answerer(cat, UseEmbedder()).decide("how long does the case take to fully charge?", ["Kim"], cat.get("buds"), lang="en")
    assert "8 hours" not in d.text and "32" not in d.text, d


def test_the_weight_it_can_hold_is_not_its_own_weight() -> None:
    cat = Catalog.model_validate({"products": [BUDS]})
    d = Answerer(cat).decide("whats the max phone weight it can hold? mine is a brick lol", ["Kim"],
                             cat.get("buds"), lang="en")
    assert d.kind == "unknown" and "165" not in d.text, d


@pytest.mark.parametrize("text, first", [
    ("how much r the sunglases today?", "price"), ("wait the studs from earlier, how much were they again?", "price"),
    ("油污净多少一瓶", "price"), ("包里都送啥呀", "included"), ("套装里都有啥", "included"),
    ("口红里有什么成分？", "material"), ("what do they smell like", "scent"), ("是无香的吗", "scent"),
    ("is it unscented?", "scent"), ("能留香多久", None), ("any lab test report for the foam?", "certification"),
    ("快递路上碎了咋办", "returns"), ("what if it arrives broken?", "returns"), ("你家要是漏了咋整", "returns"),
    ("这个杯子会漏液吗", None),  # whether it leaks is about the cup
])
def test_how_viewers_ask(text: str, first: str | None) -> None:
    assert (attributes.detect(text)[:1] or [None]) == [first]


def test_a_scent_question_gets_the_scent() -> None:
    candle = {"id": "candle", "name": "Fig Candle", "price": 99, "currency": "CNY", "stock": 5, "category": "home",
              "specs": {"scent": "green fig and cedarwood", "burn_time": "about 40 hours"},
              "selling_points": ["Cosy cedarwood and green fig for your living room"]}
    cat = Catalog.model_validate({"products": [candle]})
    d = Answerer(cat).decide("what's it smell like? fig sounds weird lol", ["Kim"], cat.get("candle"), lang="en")
    assert d.kind == "fact" and d.facts == ["candle/spec/scent"], d


def test_n_joins_two_questions() -> None:
    cat = Catalog.model_validate({"products": [GEL]})
    d = Answerer(cat).decide("how much is the cleaner n how many ml is it", ["Kim"], cat.get("gel"), lang="en")
    assert d.kind == "fact" and "25" in d.text and "750" in d.text, d


def test_a_translation_that_states_other_numbers_is_a_fact_of_its_own() -> None:
    case = {"id": "case", "name": "Trek Case", "price": 799, "currency": "CNY", "stock": 5, "category": "other",
            "faq": [{"q": "Does it have a warranty?", "a": "Yes, a 3-year warranty on the frame and shell."},
                    {"q": "Can the wheels be replaced?", "a": "Yes, a set of 4 spare wheels costs 59 yuan."}],
            "i18n": {"zh": {"faq": [{"q": "有28寸的吗？", "a": "有，28寸款899元。"},
                                    {"q": "轮子能换吗？", "a": "可以换，4个备用轮一套59元。"},
                                    {"q": "能托运吗？", "a": "可以托运。"}]}}}
    cat = Catalog.model_validate({"products": [case]})
    facts = {f.id: f for f in Answerer(cat).kb.facts("case") if f.kind == "faq"}
    warranty = next(f for f in facts.values() if "warranty" in f.texts.get("en", ""))
    assert "zh" not in warranty.texts  # never "有，28寸款899元" as the warranty's Chinese
    wheels = next(f for f in facts.values() if "wheels" in f.texts.get("en", ""))
    assert "59元" in wheels.texts["zh"]  # a translation stating the same numbers stays paired
    assert any(f.texts == {"zh": "有，28寸款899元。"} for f in facts.values())
    assert any(f.texts == {"zh": "可以托运。"} for f in facts.values())  # past the English list: kept
    d = Answerer(cat).decide("这个保修几年", ["Kim"], cat.get("case"), lang="zh")
    assert "899" not in d.text and "28" not in d.text, d


SCALE: dict[str, Any] = {
    "id": "scale", "name": "Fit Scale", "price": 99, "currency": "CNY", "stock": 5, "category": "health",
    "aliases": ["体脂秤"], "specs": {"max_load": "180 kg"},
    "compliance_notes": ["Not a medical device: never call it medical or say it diagnoses anything (医疗, 诊断)."],
    "notices": ["Do not use the body-fat function if you have a pacemaker or other implanted medical device."],
    "i18n": {"zh": {"notices": ["装有心脏起搏器或其他植入式医疗器械者，请勿使用体脂功能。"]}},
}


@pytest.mark.parametrize("text, lang, said", [
    ("i have a pacemaker, is the body fat thing ok for me?", "en", "pacemaker"),
    ("我装了心脏起搏器 能用吗", "zh", "起搏器"),
])
def test_a_notice_is_said_even_with_a_word_a_note_bans_as_a_claim(text: str, lang: str, said: str) -> None:
    from vhost.brain.host import ShowBrain
    from vhost.brain.persona import Persona

    cat = Catalog.model_validate({"products": [SCALE]})
    brain = ShowBrain(cat, Persona(name="Mia", style="warm", languages=["en", "zh"]))
    r = brain.fast_reply(text, "Kim", cat.get("scale"), lang)
    assert r is not None and r.decision.kind == "fact" and said in r.text, r
    # the note still holds for anything else: no line calls it medical
    assert brain.answerer._sayable(brain.answerer.kb.get("scale/spec/max_load"), cat.get("scale"), lang)


@pytest.mark.parametrize("text, age", [("my little bro is 16, can he use the dumbells?", 16),
                                       ("my twins are 5, can they use it on the flight?", 5),
                                       ("my sister is 9", 9), ("my bro is gonna love it", None)])
def test_a_brother_or_twins_have_an_age(text: str, age: int | None) -> None:
    from vhost.brain.reading import child_age

    assert child_age(text) == age


def test_twins_under_the_minimum_age_are_told_no() -> None:
    pillow = {"id": "pillow", "name": "Cloud Pillow", "price": 69, "currency": "CNY", "stock": 5,
              "category": "other", "min_age": 8}
    cat = Catalog.model_validate({"products": [pillow]})
    d = Answerer(cat).decide("my twins are 5, can they use it on the flight?", ["Kim"], cat.get("pillow"), lang="en")
    assert d.kind == "suitability" and "8" in d.text, d


BP: dict[str, Any] = {
    "id": "bp", "name": "ArmCheck Blood Pressure Monitor", "price": 199, "currency": "CNY", "stock": 5,
    "category": "health", "aliases": ["血压计"],
    "specs": {"registration": "Class II medical device 苏械注准20232070", "cuff": "22-42 cm"},
    "compliance_notes": ["It is a Class II medical device that measures blood pressure only. Never say it diagnoses "
                         "anything; the irregular-heartbeat symbol is a reminder to see a doctor.",
                         "Never claim it lowers blood pressure or improves health."],
    "i18n": {"zh": {"name": "臂式电子血压计"}},
}
LAMP: dict[str, Any] = {
    "id": "lamp", "name": "Desk Lamp", "price": 99, "currency": "CNY", "stock": 5, "category": "home",
    "compliance_notes": ["Never call it a medical or health product."],
}


def test_a_registered_medical_device_may_be_called_one() -> None:
    from vhost.brain.compliance import check_compliance

    cat = Catalog.model_validate({"products": [BP, LAMP]})
    bp, lamp = cat.get("bp"), cat.get("lamp")
    d = Answerer(cat).decide("这个血压计是正规医疗器械吗 有注册证没", ["Kim"], bp, lang="zh")
    assert d.kind == "fact" and "械注准" in d.text, d
    d = Answerer(cat).decide("does it have an app? want to send her readings to her doctor", ["Kim"], bp, lang="en")
    assert d.kind != "refuse", d
    assert check_compliance("It's a Class II medical device.", "en", bp, cat).ok
    assert not check_compliance("It improves your health.", "en", bp, cat).ok  # health claims stay banned
    assert not check_compliance("A medical-grade lamp.", "en", lamp, cat).ok  # not a registered device


def test_a_one_character_verb_is_what_a_yes_no_question_asks() -> None:
    gun = {"id": "gun", "name": "Mini Massage Gun", "price": 169, "currency": "CNY", "stock": 5, "category": "other",
           "aliases": ["筋膜枪"], "specs": {"battery": "2,000 mAh lithium battery"}}
    lamp = {**gun, "id": "lamp", "name": "Camp Lamp", "aliases": ["营地灯"],
            "faq": [{"q": "Can I replace the battery?", "a": "No, the battery is built in and cannot be replaced."}]}
    cat = Catalog.model_validate({"products": [gun, lamp]})
    a = Answerer(cat)
    d = a.decide("这个电池能自己换吗", ["Kim"], cat.get("gun"), lang="zh")
    assert not (d.kind == "fact" and "2,000" in d.text), d  # not the battery's size
    d = a.decide("这个电池能自己换吗", ["Kim"], cat.get("lamp"), lang="zh")
    assert d.facts[:1] == ["lamp/faq/0"], d


@pytest.mark.parametrize("text, asked", [("do u have a 28 inch version?", {"28"}), ("有没有28寸的", {"28"}),
                                         ("有28寸的吗", {"28"}), ("is it 99?", set()), ("I heard it's 99 yuan", set())])
def test_a_version_asked_for_is_no_claim_to_correct(text: str, asked: set[str]) -> None:
    from vhost.brain.own import viewer_numbers

    assert viewer_numbers(text) == asked


def test_a_version_asked_for_is_not_corrected() -> None:
    case = {"id": "case", "name": "Trek Case", "price": 799, "currency": "CNY", "stock": 5, "category": "other",
            "specs": {"size": "72 x 46 x 29 cm including wheels"}}
    cat = Catalog.model_validate({"products": [case]})
    d = Answerer(cat).decide("do u have a 28 inch version?", ["Jess"], cat.get("case"), lang="en")
    assert "Not quite" not in d.text and "not quite" not in d.text, d


def test_supervision_is_no_eyesight_claim() -> None:
    from vhost.brain.compliance import check_compliance

    light = {"id": "light", "name": "Bunny Night Light", "price": 79, "currency": "CNY", "stock": 5,
             "category": "kids", "min_age": 3,
             "compliance_notes": ["Never claim it protects children's eyesight or vision (护眼)."],
             "notices": ["Not for children under 3. Adult supervision required when charging."]}
    cat = Catalog.model_validate({"products": [light]})
    assert check_compliance("Adult supervision required when charging.", "en", cat.get("light"), cat).ok
    assert not check_compliance("It protects your kid's vision.", "en", cat.get("light"), cat).ok
    d = Answerer(cat).decide("my son's 5, is the bunny okay for him?", ["Priya"], cat.get("light"), lang="en")
    assert d.kind == "suitability" and check_compliance(d.text, "en", cat.get("light"), cat).ok, d


@pytest.mark.realmodel
def test_a_bait_offering_two_sides_gets_the_side_the_catalog_states() -> None:
    from vhost.brain.embedding import UseEmbedder

    uke = {**UKE, "specs": {**UKE["specs"], "body": "laminated mahogany (合板)"},
           "compliance_notes": ["Never say it is solid wood (单板); the body is laminated mahogany."],
           "i18n": {"zh": {"specs": {"body": "桃花心木合板"}}}}
    cat = Catalog.model_validate({"products": [uke]})
    d = Answerer(cat, UseEmbedder()).decide("单板还是合板啊 别忽悠我哈", ["Kim"], cat.get("uke"), lang="zh")
    assert d.kind == "refuse" and "合板" in d.text and "单板" not in d.text, d


def test_what_colours_is_answered_by_a_fact_naming_colours() -> None:
    bands = {"id": "bands", "name": "Loop Bands", "price": 69, "currency": "CNY", "stock": 5, "category": "other",
             "selling_points": ["5 colour-coded resistance levels"],
             "specs": {"resistance": "yellow about 5 kg, green 10 kg, red 15 kg, blue 20 kg, black 25 kg"}}
    cat = Catalog.model_validate({"products": [bands]})
    d = Answerer(cat).decide("the resistance bands, what colours are they", ["Kim"], cat.get("bands"), lang="en")
    assert d.kind == "fact" and "yellow" in d.text, d


def test_seconds_are_a_duration() -> None:
    from vhost.brain.reading import wanted_value

    want = wanted_value("how long does one reading take?")
    assert want is not None and want.search("Reading time: 1 second") and want.search("1秒出结果")


def test_settings_find_a_chinese_spec_in_levels() -> None:
    light = {"id": "light", "name": "Bunny Night Light", "price": 79, "currency": "CNY", "stock": 5,
             "category": "home", "specs": {"brightness": "3档亮度，弱光档适合夜里起夜", "size": "12 x 10 x 14 cm"}}
    cat = Catalog.model_validate({"products": [light]})
    d = Answerer(cat).decide("how many brightness settings? need something really dim", ["Lily"],
                             cat.get("light"), lang="en")
    assert d.kind == "fact" and d.facts == ["light/spec/brightness"], d


def test_a_policy_the_catalog_states_in_one_language_backs_it_in_the_other() -> None:
    from vhost.brain.verify import unbacked_claims

    case = {"id": "case", "name": "Trek Case", "price": 799, "currency": "CNY", "stock": 5, "category": "other",
            "faq": [{"q": "Does it have a warranty?", "a": "Yes, a 3-year warranty on the frame and shell."}]}
    cat = Catalog.model_validate({"products": [case], "shop": {"payment": "Huabei installments."}})
    assert unbacked_claims("是3年保修的。", cat.get("case"), cat) == []  # the warranty, translated
    assert unbacked_claims("支持花呗分期。", cat.get("case"), cat) == []
    assert unbacked_claims("这款是有机材料。", cat.get("case"), cat)  # organic: nowhere in the catalog
    assert unbacked_claims("支持七天无理由退货。", cat.get("case"), cat)  # no returns policy either


@pytest.mark.parametrize("text", ["wait the temp gun from before, does it take AAA? how many",
                                  "can it run on batteries? wanna take it to the park"])
def test_a_spec_naming_the_batteries_answers_a_battery_question(text: str) -> None:
    gun = {"id": "gun", "name": "Forehead Thermometer", "price": 129, "currency": "CNY", "stock": 5,
           "category": "other", "aliases": ["temp gun"],
           "specs": {"power": "2 x AAA batteries (included); about 3,000 readings per set", "auto_off": "after 30 s"},
           "notices": ["After coming in from outdoors, wait 10 minutes at room temperature before measuring."]}
    cat = Catalog.model_validate({"products": [gun]})
    d = Answerer(cat).decide(text, ["Bob"], cat.get("gun"), lang="en")
    assert d.kind == "fact" and d.facts == ["gun/spec/power"], d
