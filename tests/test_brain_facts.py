"""The facts-first brain: attributes, knowledge, retrieval, answerer, compliance, verify, guard and
ShowBrain.fast_reply, on a small catalog built here (never the held-out bench/data/brain_eval)."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from vhost.brain import attributes
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.compliance import AFFIRM, check_compliance, concept_rules
from vhost.brain.guard import check_fragment
from vhost.brain.host import ShowBrain
from vhost.brain.knowledge import KnowledgeBase, zh_value
from vhost.brain.persona import Persona
from vhost.brain.retrieval import Retriever
from vhost.brain.verify import unbacked_claims

SHOP: dict[str, Any] = {
    "shipping": "Ships within 48 hours from Shanghai by SF Express.",
    "how_to_buy": "Tap the yellow cart below the video and pick the item.",
    "i18n": {"zh": {"shipping": "48小时内从上海顺丰发货。", "how_to_buy": "点击视频下方的小黄车下单。"}},
}
SERUM: dict[str, Any] = {
    "id": "serum", "name": "Glow Serum", "price": 129, "currency": "CNY", "stock": 40,
    "category": "cosmetics", "aliases": ["精华"],
    "compliance_notes": "Never claim it whitens skin",
    "selling_points": ["Light texture that sinks in fast"],
    "specs": {"volume": "30 ml", "box_size": "12 x 4 x 4 cm", "texture": "light gel",
              "scent": "unscented"},
    "faq": [{"q": "Is it fragrance-free?", "a": "Yes, it has no added fragrance."}],
    "i18n": {"zh": {"name": "焕亮精华", "specs": {"texture": "清爽啫喱"}}},
}
BLOCKS: dict[str, Any] = {
    "id": "blocks", "name": "Build Blocks", "price": 199, "currency": "CNY", "stock": 12,
    "category": "kids", "min_age": 6, "aliases": ["积木"],
    "notices": ["Contains small parts, not for children under 3."],
    "specs": {"pieces": "520 pcs"},
    "i18n": {"zh": {"name": "拼搭积木", "notices": ["含小零件，不适合3岁以下儿童。"]}},
}
POWERBANK: dict[str, Any] = {
    "id": "powerbank", "name": "Volt Pack", "price": 89.9, "currency": "CNY", "stock": 5,
    "category": "electronics", "aliases": ["充电宝", "charger"],
    "specs": {"capacity": "10000 mAh"},
    "faq": [{"q": "能带上飞机吗？", "a": "可以带上飞机，放随身行李。"}],
}
TEA = {"id": "tea", "name": "Bitter Melon Tea", "price": 39, "currency": "CNY", "stock": 9,
       "category": "food", "aliases": ["苦瓜茶"]}
NOTICE = {"en": BLOCKS["notices"][0], "zh": BLOCKS["i18n"]["zh"]["notices"][0]}


def make_catalog(serum: dict | None = None, shop: dict | None = None) -> Catalog:
    s = copy.deepcopy(SERUM)
    s.update(serum or {})
    products = [s, copy.deepcopy(BLOCKS), copy.deepcopy(POWERBANK), copy.deepcopy(TEA)]
    return Catalog.model_validate({"shop": copy.deepcopy(shop or SHOP), "products": products})


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return make_catalog()


@pytest.fixture(scope="module")
def answerer(catalog: Catalog) -> Answerer:
    return Answerer(catalog)


@pytest.fixture(scope="module")
def embedder():
    from vhost.brain.embedding import UseEmbedder

    return UseEmbedder()


def _no_digits(text: str) -> bool:
    return not re.search(r"\d", text)


def _honest(text: str, catalog: Catalog) -> bool:
    """An honest "I don't know": no yes, and a number only as the catalog says it (a related fact
    may follow: "not sure about Iceland; what I know: ships within 48 hours")."""
    from vhost.brain.grounding import check_grounding

    affirms = re.search(r"\b(?:yes|of course)\b|是的|可以的|当然", text, re.IGNORECASE)
    return not affirms and all(check_grounding(text, p, catalog).grounded for p in catalog.products[:1])


# -- attributes -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, first", [
    ("这个多少钱？", "price"), ("How much is it?", "price"), ("What's the price?", "price"),
    ("容量多大？", "volume"), ("How many ml is it?", "volume"), ("how much does it hold?", "volume"),
    ("How big is the box?", "size"), ("盒子尺寸多大？", "size"), ("what are the dimensions?", "size"),
    ("适合几岁的孩子？", "age"), ("is it ok for a 5 year old?", "age"), ("发货快吗？", "shipping"),
    ("Do you ship to Canada?", "shipping"), ("包邮吗", "shipping"),
])
def test_detect_reads_the_asked_attribute_in_both_languages(text: str, first: str) -> None:
    found = attributes.detect(text)
    assert found and found[0] == first, found


def test_volume_and_size_are_told_apart() -> None:
    assert "volume" not in attributes.detect("How big is the box?")
    assert "size" not in attributes.detect("What's the volume in ml?")
    assert attributes.of_key("box_size") == "size" and attributes.of_key("volume") == "volume"


@pytest.mark.parametrize("text, names, without", [
    ("充电宝多少钱", ("充电宝",), "charging"),
    ("how much is the charger?", ("charger",), "charging"),
    ("how much is the kids cup?", ("kids cup",), "age")])
def test_product_names_are_not_attributes(text: str, names: tuple, without: str) -> None:
    assert without in attributes.detect(text)  # the name alone reads as an attribute...
    assert attributes.detect(text, names) == ["price"]  # ...until it is known to be a name


def test_a_name_that_ends_in_its_box_still_asks_what_is_inside() -> None:
    # snacks:snk-34, "gift box" an alias: once the name went, nothing was asked (honest unknown)
    assert attributes.detect("what's actually in the gift box?", ("gift box",)) == ["included"]
    assert attributes.detect("what comes in the starter kit", ("starter kit",)) == ["included"]
    assert "included" not in attributes.detect("what resistance levels are in the band set?", ("band set",))
    assert attributes.detect("how much is the gift box?", ("gift box",)) == ["price"]


def test_answerer_strips_aliases_in_any_case(answerer: Answerer) -> None:
    assert answerer.attributes_of("充电宝多少钱？") == ["price"]
    assert answerer.attributes_of("How much is the CHARGER?") == ["price"]


@pytest.mark.xfail(strict=True, reason="detect() casefolds the message but not `names`, so a "
                   "product name passed as written ('Kids Cup') is not removed")
def test_detect_names_as_written_in_the_catalog() -> None:
    assert attributes.detect("How much is the Kids Cup?", ("Kids Cup",)) == ["price"]


# -- knowledge ----------------------------------------------------------------------------------

def test_a_policy_given_only_in_chinese_is_still_the_shops_word(catalog: Catalog) -> None:
    # oral_care: `invoice` only under [shop.i18n.zh]; "can i get a fapiao?" was an honest unknown
    data = catalog.model_dump()
    data["shop"]["i18n"]["zh"]["invoice"] = "可开具电子普通发票，下单后联系客服提供抬头和税号即可。"
    kb = KnowledgeBase.build(Catalog.model_validate(data))
    fact = kb.get("shop/invoice")
    assert fact is not None and fact.texts == {"zh": data["shop"]["i18n"]["zh"]["invoice"]}
    assert "invoice" in fact.attrs and fact in kb.facts("serum")
    shop = Catalog.model_validate(data)
    brain = ShowBrain(shop, Persona(name="Mia", style="warm and brief", languages=["en", "zh"]))
    reply = brain.fast_reply("能开发票吗", "Kim", shop.get("serum"), "zh")
    assert reply is not None and "发票" in reply.text and "客服" in reply.text, reply


def test_knowledge_base_has_each_products_facts_and_the_shops(catalog: Catalog) -> None:
    kb = KnowledgeBase.build(catalog)
    ids = {f.id for f in kb.facts("serum")}
    assert {"serum/price", "serum/stock", "serum/spec/volume", "serum/spec/box_size",
            "serum/faq/0", "serum/point/0", "shop/shipping", "shop/how_to_buy"} <= ids
    assert not any(i.startswith("blocks/") for i in ids)
    assert "serum/age" not in ids and kb.get("blocks/age") is not None
    assert [f.id for f in kb.notices("blocks")] == ["blocks/notice/0"]
    assert kb.notices("blocks")[0].texts == NOTICE
    for key in ("shipping", "how_to_buy"):
        fact = kb.get(f"shop/{key}")
        assert fact.product_id is None and key in fact.attrs
        assert fact.texts == {"en": SHOP[key], "zh": SHOP["i18n"]["zh"][key]}
    # every product's question may be answered from the shop's policies
    assert {"shop/shipping", "shop/how_to_buy"} <= {f.id for f in kb.facts("tea")}
    assert kb.get("serum/price").texts["zh"].count("129元") == 1


def test_spec_in_english_only_gets_chinese_when_numbers_and_units(catalog: Catalog) -> None:
    kb = KnowledgeBase.build(catalog)
    volume = kb.get("serum/spec/volume")
    assert volume.attrs == ("volume",) and "30 ml" in volume.texts["en"]
    assert "30毫升" in volume.texts["zh"]
    box = kb.get("serum/spec/box_size")
    assert "厘米" in box.texts["zh"] and "size" in box.attrs and "volume" not in box.attrs
    assert "清爽啫喱" in kb.get("serum/spec/texture").texts["zh"]  # the catalog's own Chinese
    assert set(kb.get("serum/spec/scent").texts) == {"en"}  # a word: no invented Chinese
    assert set(kb.get("serum/faq/0").texts) == {"en"}


@pytest.mark.parametrize("value", ["light gel", "red", "yes", "up to 80 hours on 2.4 GHz", "150 ml cup on top",
                                   "6 g per bar", "22.5 W max"])
def test_a_word_spec_gets_no_chinese_text(value: str) -> None:
    kb = KnowledgeBase.build(make_catalog({"specs": {"color": value}}))
    assert set(kb.get("serum/spec/color").texts) == {"en"}


@pytest.mark.parametrize("value, zh", [("6 m", "6米"), ("60 ms", "60毫秒"), ("20 Hz - 20 kHz", "20赫兹 - 20千赫兹"),
                                       ("-20 °C to 70 °C", "-20 °C至70 °C"), ("10 to 12 hours", "10至12小时"),
                                       ("IPX5", "IPX5"), ("USB-C, 5 V", "USB-C, 5伏"), ("Type-C", "Type-C"),
                                       ("32 x 22 x 14 cm", "32 x 22 x 14厘米"), ("1 second", "1秒"),
                                       ("450 ml (15 oz)", "450毫升 (15 oz)"), ("2.4 GHz", "2.4 GHz"),
                                       ("35,000 rpm", "35,000 rpm"), ("about 2.5 hours", "约2.5小时"),
                                       ("approx. 30 ml", "约30毫升"), ("up to 20 W", "最高20瓦"),
                                       ("under 35 dB", "不到35 dB"), ("at least 3 years", "至少3年")])
def test_numbers_codes_and_units_read_in_chinese(value: str, zh: str) -> None:
    assert zh_value(value) == zh


# -- retrieval with the real embedding ----------------------------------------------------------

@pytest.mark.realmodel
@pytest.mark.parametrize("question, pid, expected", [
    ("是无香的吗？", "serum", "serum/faq/0"),  # Chinese question, English-only FAQ
    ("Can I take it on a plane?", "powerbank", "powerbank/faq/0"),  # English question, Chinese FAQ
])
def test_retrieval_crosses_languages(catalog: Catalog, embedder, question: str, pid: str,
                                     expected: str) -> None:
    kb = KnowledgeBase.build(catalog)
    top = Retriever(kb.all(), embedder).rank(question, kb.facts(pid))[0]
    assert top.fact.id == expected
    assert top.words == 0.0  # no shared words: the meaning found it
    # and without the embedding the same question finds nothing that good
    plain = Retriever(kb.all()).rank(question, kb.facts(pid))[0]
    assert plain.score < top.score


@pytest.mark.realmodel
@pytest.mark.xfail(strict=True, reason="rank() sorts by the similarity clamped to 1.0, so two "
                   "facts above the full-match similarity tie and catalog order decides (the "
                   "scent spec at 0.53 before the FAQ at 0.64)")
def test_retrieval_ranks_the_closer_meaning_first(catalog: Catalog, embedder) -> None:
    kb = KnowledgeBase.build(catalog)
    ranked = Retriever(kb.all(), embedder).rank("这个有香味吗？", kb.facts("serum"))
    assert ranked[0].meaning == max(s.meaning for s in ranked)


@pytest.mark.realmodel
def test_answerer_with_embedding_answers_across_languages(catalog: Catalog, embedder) -> None:
    a = Answerer(catalog, embedder)
    d = a.decide("是无香的吗？", ["Tom"], catalog.get("serum"))
    assert d.kind == "fact" and d.facts == ["serum/faq/0"]
    # a glossary word finds the English spec by its Chinese name too
    d = a.decide("有没有添加香精？", ["Tom"], catalog.get("serum"))
    assert d.kind == "fact" and d.facts[0] in ("serum/faq/0", "serum/spec/scent")
    for q in ("有赠品吗？", "does it ship to Iceland?"):  # meaning must not invent an answer
        d = a.decide(q, ["Tom"], catalog.get("serum"))
        assert d.kind == "unknown" and _honest(d.text, catalog), (q, d)


# -- Answerer.decide ------------------------------------------------------------------------------

def test_price_in_chinese_and_english(answerer: Answerer, catalog: Catalog) -> None:
    serum = catalog.get("serum")
    zh = answerer.decide("这个多少钱？", ["Tom"], serum)
    assert zh.kind == "fact" and zh.facts == ["serum/price"] and zh.lang == "zh"
    assert "129元" in zh.text and "¥" not in zh.text
    en = answerer.decide("How much is it?", ["Tom"], serum)
    assert en.kind == "fact" and en.lang == "en" and "129" in en.text and "元" not in en.text


@pytest.mark.parametrize("question", ["How big is the box?", "盒子多大？"])
def test_box_size_is_never_the_volume(catalog: Catalog, question: str) -> None:
    d = Answerer(catalog).decide(question, ["Tom"], catalog.get("serum"))
    assert d.kind == "fact" and d.facts == ["serum/spec/box_size"]
    assert "12" in d.text and "30" not in d.text
    # without a box size the serum's volume is no answer either
    boxless = make_catalog({"specs": {"volume": "30 ml"}})
    d = Answerer(boxless).decide(question, ["Tom"], boxless.get("serum"))
    assert d.kind == "unknown" and _no_digits(d.text)


@pytest.mark.parametrize("question", ["does it ship to Iceland?", "有赠品吗？", "Does it come in blue?",
                                      "退货怎么弄？", "has it got NFC?"])
def test_what_the_catalog_does_not_say_is_unknown(answerer: Answerer, catalog: Catalog,
                                                   question: str) -> None:
    d = answerer.decide(question, ["Tom"], catalog.get("serum"))
    assert d.kind == "unknown", d
    assert d.text and _honest(d.text, catalog)  # never a yes; a number only the catalog's


@pytest.mark.parametrize("question", ["I heard it's only 99?", "听说只要99？", "是不是九十九块？"])
def test_price_trap_gets_the_real_price(answerer: Answerer, catalog: Catalog,
                                        question: str) -> None:
    d = answerer.decide(question, ["Tom"], catalog.get("serum"))
    assert d.kind == "fact" and d.facts == ["serum/price"]
    assert "129" in d.text and "99" not in d.text.replace("129", "")
    assert d.reasons  # the operator sees it was a correction


@pytest.mark.parametrize("category", ["cosmetics", "other"])
@pytest.mark.parametrize("question, lang", [("能美白吗？", "zh"), ("Will it whiten my skin?", "en")])
def test_cosmetics_bait_is_refused_in_either_language(category: str, question: str,
                                                      lang: str) -> None:
    # "other": only the English note bans whitening, and it bans it in Chinese too
    cat = make_catalog({"category": category})
    serum = cat.get("serum")
    d = Answerer(cat).decide(question, [], serum)
    assert d.kind == "refuse" and d.reasons
    assert not AFFIRM.search(d.text)
    assert "美白" not in d.text and "whiten" not in d.text.lower()
    assert check_compliance(d.text, lang, serum, cat, question=question).ok


def test_no_bait_without_the_rule(catalog: Catalog) -> None:
    d = Answerer(catalog).decide("能美白吗？", [], catalog.get("powerbank"))
    assert d.kind != "refuse"


@pytest.mark.parametrize("question, lang", [
    ("Is it ok for my 3 year old?", "en"), ("我家宝宝3岁能玩吗？", "zh")])
def test_toy_for_a_three_year_old_is_not_suitable(answerer: Answerer, catalog: Catalog,
                                                  question: str, lang: str) -> None:
    d = answerer.decide(question, [], catalog.get("blocks"))
    assert d.kind == "suitability" and d.facts == ["blocks/age"]
    assert NOTICE[lang] in d.text
    verdict = d.text.replace(NOTICE[lang], "")
    assert "6" in verdict
    assert ("不适合" in verdict) if lang == "zh" else re.search(r"\bnot\b", verdict, re.I)


@pytest.mark.parametrize("question, lang", [
    ("Is it suitable for my 8-year-old?", "en"), ("我女儿8岁可以玩吗？", "zh")])
def test_toy_for_an_eight_year_old_is_suitable(answerer: Answerer, catalog: Catalog,
                                               question: str, lang: str) -> None:
    d = answerer.decide(question, [], catalog.get("blocks"))
    assert d.kind == "suitability"
    verdict = d.text.replace(NOTICE[lang], "")
    assert "8" in verdict and "6" in verdict
    assert "不" not in verdict if lang == "zh" else not re.search(r"\bnot\b|sorry", verdict, re.I)


def test_toy_named_while_another_is_on_screen(answerer: Answerer, catalog: Catalog) -> None:
    d = answerer.decide("积木适合3岁孩子吗？", [], catalog.get("serum"))
    assert d.kind == "suitability" and d.product.id == "blocks"


@pytest.mark.parametrize("question, pid, price", [
    ("积木多少钱？", "blocks", "199"), ("充电宝多少钱？", "powerbank", "89.9"),
    ("how much is the charger?", "powerbank", "89.9"), ("How much are the Build Blocks?", "blocks", "199")])
def test_other_product_named_by_alias(answerer: Answerer, catalog: Catalog, question: str,
                                      pid: str, price: str) -> None:
    d = answerer.decide(question, ["Tom"], catalog.get("serum"))
    assert d.product.id == pid and d.facts == [f"{pid}/price"]
    assert price in d.text and "129" not in d.text


@pytest.mark.parametrize("question, pid", [
    ("多少钱？", "serum"), ("How much is it?", "serum"), ("有赠品吗？", "serum"),
    ("does it ship to Iceland?", "serum"), ("能美白吗？", "serum"), ("Will it whiten my skin?", "serum"),
    ("3岁能玩吗？", "blocks"), ("Is it ok for a 3 year old?", "blocks")])
def test_merged_askers_are_each_named_once(answerer: Answerer, catalog: Catalog, question: str,
                                           pid: str) -> None:
    d = answerer.decide(question, ["Tom", "Kim", "Tom", "Ann"], catalog.get(pid))
    assert d.kind != "chat"
    for name in ("Tom", "Kim", "Ann"):
        assert d.text.count(name) == 1, d.text


# -- compliance -------------------------------------------------------------------------------

@pytest.mark.parametrize("category", ["cosmetics", "other"])
def test_whitening_is_flagged_in_both_languages(category: str) -> None:
    cat = make_catalog({"category": category})
    serum = cat.get("serum")
    assert not check_compliance("这款精华能美白。", "zh", serum, cat).ok
    assert not check_compliance("It whitens your skin.", "en", serum, cat).ok
    assert check_compliance("这款精华不能美白。", "zh", serum, cat).ok
    assert check_compliance("It does not whiten skin.", "en", serum, cat).ok
    assert any(r.pattern.search("美白") for r in concept_rules(serum))
    assert any(r.pattern.search("whitens") for r in concept_rules(serum))


def test_category_rules_apply_to_their_category_only(catalog: Catalog) -> None:
    tea, charger = catalog.get("tea"), catalog.get("powerbank")
    assert not check_compliance("喝了能降血糖。", "zh", tea, catalog).ok
    assert not check_compliance("It lowers blood sugar.", "en", tea, catalog).ok
    assert check_compliance("喝了不能降血糖。", "zh", tea, catalog).ok
    assert check_compliance("喝了能降血糖。", "zh", charger, catalog).ok
    assert check_compliance("这款能美白。", "zh", charger, catalog).ok
    assert not concept_rules(make_catalog({"category": "other", "compliance_notes": []}).get("serum"))


# -- verify and guard -----------------------------------------------------------------------------

POLICY_SHOP = {**SHOP, "returns": "Free returns within 7 days.",
               "i18n": {"zh": {**SHOP["i18n"]["zh"], "shipping": "全场包邮，48小时内发货。"}}}


@pytest.mark.parametrize("line", ["The link is in my bio!", "Go to www.glowserum.com to order.",
                                  "We ship worldwide.", "It's cruelty-free.", "私信我领优惠码"])
def test_invented_links_and_claims_are_unbacked(catalog: Catalog, line: str) -> None:
    serum = catalog.get("serum")
    assert unbacked_claims(line, serum, catalog)
    v = check_fragment(line, "zh" if "私信" in line else "en", serum, catalog, correct=False)
    assert v.held and v.text == "" and v.compliance_reasons


@pytest.mark.parametrize("line, lang", [("We offer free returns on it.", "en"), ("这款包邮哦。", "zh")])
def test_policy_words_pass_only_when_the_shop_states_them(catalog: Catalog, line: str,
                                                          lang: str) -> None:
    serum = catalog.get("serum")
    assert unbacked_claims(line, serum, catalog)
    assert check_fragment(line, lang, serum, catalog, correct=False).held
    backed = make_catalog(shop=POLICY_SHOP)
    assert unbacked_claims(line, backed.get("serum"), backed) == []
    v = check_fragment(line, lang, backed.get("serum"), backed, correct=False)
    assert not v.held and v.text == line


def test_catalog_facts_are_not_unbacked(catalog: Catalog) -> None:
    serum = catalog.get("serum")
    for line, lang in (("It's 129 yuan today.", "en"), ("今天129元。", "zh"),
                       (SHOP["shipping"], "en"), (SHOP["i18n"]["zh"]["shipping"], "zh")):
        assert unbacked_claims(line, serum, catalog) == []
        assert not check_fragment(line, lang, serum, catalog, correct=False).held


# -- ShowBrain.fast_reply ---------------------------------------------------------------------------

@pytest.fixture
def brain(catalog: Catalog) -> ShowBrain:
    return ShowBrain(catalog, Persona(name="Mia", style="warm and brief", languages=["en", "zh"]))


@pytest.mark.parametrize("text, lang", [("有赠品吗？", "zh"), ("does it ship to Iceland?", "en")])
def test_fast_reply_unknown(brain: ShowBrain, catalog: Catalog, text: str, lang: str) -> None:
    r = brain.fast_reply(text, "Tom", catalog.get("serum"), lang)
    assert r is not None and r.path == "unknown" and r.unanswered
    assert r.text and _honest(r.text, catalog)


@pytest.mark.parametrize("text, lang, number", [
    ("多少钱？", "zh", "129"), ("How much is it?", "en", "129"), ("盒子多大？", "zh", "12")])
def test_fast_reply_fact(brain: ShowBrain, catalog: Catalog, text: str, lang: str,
                         number: str) -> None:
    r = brain.fast_reply(text, "Tom", catalog.get("serum"), lang)
    assert r is not None and r.path == "facts" and not r.unanswered
    assert number in r.text and r.decision is not None and r.decision.kind == "fact"


@pytest.mark.parametrize("text, lang", [("hi everyone!", "en"), ("哈哈", "zh"), ("love it", "en")])
def test_fast_reply_small_talk_is_left_to_the_llm(brain: ShowBrain, catalog: Catalog, text: str,
                                                  lang: str) -> None:
    assert brain.fast_reply(text, "Tom", catalog.get("serum"), lang) is None


def test_a_question_about_a_state_of_the_thing_gets_the_measurement_of_that_state():
    """'收起来多大?' wants the packed size, not the size pitched; a selling point that measures a
    state no spec gives ('rolls up to 15 cm across') answers it too, and the plain question
    still gets the plain size."""
    tent = {"selling_points": ["Rolls up to about 15 cm across for the car boot"],
            "specs": {"volume": "30 ml", "size": "183 x 61 cm", "packed_size": "55 x 18 x 18 cm"}}
    a = Answerer(make_catalog(tent))
    serum = a.catalog.get("serum")
    assert "55" in a.decide("收起来多大？", ["阿宁"], serum).text
    assert "55" in a.decide("how big is it when packed?", ["Amy"], serum).text
    assert "183" in a.decide("how big is it?", ["Amy"], serum).text
    mat = {"selling_points": ["Rolls up to about 15 cm across for the car boot"], "specs": {"size": "183 x 61 cm"}}
    b = Answerer(make_catalog(mat))
    assert "15" in b.decide("How big is it when rolled up?", ["Amy"], b.catalog.get("serum")).text


def test_a_yes_no_quality_is_not_answered_by_a_spec_that_only_names_its_subject():
    """'does the canopy block UV?' against 'Canopy: extendable, peek-a-boo window' is unknown;
    '能放进烤箱吗' against 'oven safe: up to 180 °C' is answered (the key states the quality)."""
    serum = {"specs": {"volume": "30 ml", "canopy": "extendable canopy with a peek-a-boo window",
                       "oven_safe": "up to 180 °C without the lid"}}
    a = Answerer(make_catalog(serum))
    p = a.catalog.get("serum")
    assert a.decide("does the canopy block UV?", ["Rachel"], p).kind == "unknown"
    d = a.decide("这个能放进烤箱吗？最高多少度？", ["小鹿"], p)
    assert d.kind == "fact" and d.facts == ["serum/spec/oven_safe"]  # English only: translated by the model


def test_how_many_of_a_thing_the_fact_does_not_count_is_unknown(embedder):
    serum = {"specs": {"volume": "30 ml", "run_time": "about 25 minutes per charge", "count": "90 softgels per bottle"}}
    a = Answerer(make_catalog(serum), embedder)
    p = a.catalog.get("serum")
    assert a.decide("how many charge cycles does the battery last?", ["Emma"], p).kind == "unknown"
    d = a.decide("how many caps in a bottle?", ["Olivia"], p)
    assert d.kind == "fact" and "90" in d.text


def test_an_attribute_only_a_stating_fact_answers_is_never_answered_by_another_fact():
    """'which country is it made in?' with no origin fact is unknown (not the 'count' spec, whose
    stem it shares); the allergen notice answers a soy question."""
    serum = {"specs": {"volume": "30 ml", "count": "90 softgels per bottle"},
             "notices": ["Contains milk and soy."]}
    a = Answerer(make_catalog(serum))
    p = a.catalog.get("serum")
    assert a.decide("which country is it manufactured in?", ["Grace"], p).kind == "unknown"
    d = a.decide("does it contain soy?", ["Chen"], p)
    assert d.kind == "fact" and "soy" in d.text


def test_a_specific_diet_or_allergen_is_answered_only_by_a_fact_naming_it():
    serum = {"notices": ["People with a fish or seafood allergy should consult a doctor."],
             "faq": [{"q": "Is it gluten-free?", "a": "It is not certified gluten-free."}]}
    a = Answerer(make_catalog(serum))
    p = a.catalog.get("serum")
    assert a.decide("is it halal?", ["Grace"], p).kind == "unknown"
    d = a.decide("is it gluten free?", ["Grace"], p)
    assert d.kind == "fact" and "gluten" in d.text


def test_an_age_in_weeks_or_months_against_a_limit_in_months():
    """A teether for '3 months+' (catalog min_age 0): a 7-week-old is not suitable, said in
    weeks and months; a 5-month-old is."""
    teether = {"min_age": 0, "specs": {"volume": "30 ml", "age": "3 months+"},
               "i18n": {"zh": {"specs": {"age": "3个月以上"}}}}
    a = Answerer(make_catalog(teether))
    p = a.catalog.get("serum")
    d = a.decide("my little one is 7 weeks old, can she have it?", ["Olivia"], p)
    assert d.kind == "suitability" and "not for a 7-week-old" in d.text and "3 months" in d.text
    d = a.decide("宝宝5个月了能用吗", ["团子妈妈"], p)
    assert d.kind == "suitability" and "可以" in d.text and "3个月" in d.text
    d = a.decide("she's 2 months, ok for her?", ["Olivia"], p)
    assert "not for a 2-month-old" in d.text


def test_the_eval_counts_a_viewer_as_named_only_by_their_name_as_a_word():
    from bench.brain_eval import _norm, named

    assert not named("Mo", _norm("What I can say: 1200 W motor."))  # a word that contains the name
    assert named("Mo", _norm("Mo, it's 1200 W."))
    assert named("dan88", _norm("Not quite, dan88! 1500 W."))
    assert named("小鹿", _norm("三十毫升。小鹿问的。"))  # a Chinese name runs into the sentence


def test_the_eval_reads_a_number_as_a_whole_number():
    from bench.brain_eval import _norm, _says

    assert not _says("39", _norm("今天159元，原价239元。"))  # the pillow's price is no 39-yuan cover
    assert not _says("25", _norm("Net weight: 250 g."))
    assert _says("29.9", _norm("今天29.90元")) and _says("24", _norm("24.2 MP APS-C sensor"))
    assert _says("39", _norm("A spare cover costs 39 CNY.")) and _says("free", _norm("Free shipping"))
