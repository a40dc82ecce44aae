"""A number a viewer says is a price only where it can be one (ninth round): "挂一块" is "together",
not one yuan; a number the product's own facts give as a measure ("还是249以下吗" of a 249 g
drone) and an altitude ("海拔五千多") are no price to correct; a viewer's own window ("宽1.2米
高1.5米") and what they order ("订50盒") are theirs, not a claim about the product. Catalogs built
here, never the evaluation sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.own import viewer_numbers
from vhost.brain.parts import guesses_value
from vhost.brain.reading import stated_prices


def item(pid: str, name: str, price: float, category: str) -> dict[str, Any]:
    return {"id": pid, "name": name, "price": price, "currency": "CNY", "stock": 300, "category": category}


SHEER: dict[str, Any] = {
    **item("sheer", "Morning Mist Sheer Curtain", 79, "home"), "aliases": ["sheer", "纱帘"],
    "faq": [{"q": "Can I hang it together with the blackout curtain?",
             "a": "Yes, on a double track; both use the same hooks."}],
    "i18n": {"zh": {"faq": [{"q": "能和遮光帘挂在一起吗？", "a": "可以，用双轨挂，挂钩通用。"}]}}}
BLIND: dict[str, Any] = {
    **item("blind", "Roller Blind", 129, "home"), "aliases": ["roller blind", "卷帘"],
    "faq": [{"q": "How do I order a custom size?",
             "a": "Tap the cart under the video, choose 'Custom size' and write the width x height."}],
    "specs": {"price_rule": "129 CNY per square metre (width x height); under 1 m² counts as 1 m²"},
    "i18n": {"zh": {"specs": {"price_rule": "每平方米129元（宽x高），不足1平方米按1平方米计"},
                    "faq": [{"q": "定制尺寸怎么下单？", "a": "点击视频下方的小黄车，选“定制尺寸”，备注写明宽x高。"}]}}}
BATTERY: dict[str, Any] = {
    **item("battery", "Mini Battery Plus", 399, "electronics"), "aliases": ["battery plus", "电池", "长续航电池"],
    "selling_points": ["Up to 47 minutes of flight on the Mini drone"],
    "specs": {"charges": "charges a phone about 1.5 times"},
    "faq": [{"q": "Will the drone still be under 249 g with this battery?",
             "a": "No. With Battery Plus the takeoff weight is about 290 g."}],
    "i18n": {"zh": {"selling_points": ["装在迷你无人机上最长可飞47分钟"], "specs": {"charges": "能给手机充满约1.5次"},
                    "faq": [{"q": "换这块电池后还在249克以下吗？", "a": "不是。装长续航电池后起飞重量约290克。"}]}}}
DRONE: dict[str, Any] = {
    **item("drone", "Aeris Mini Drone", 1999, "electronics"), "aliases": ["drone", "无人机", "迷你"],
    "specs": {"max_altitude": "4000 m above sea level", "flight_time": "31 min",
              "warranty": "1 year on the drone; Aeris Care crash cover sold separately"},
    "i18n": {"zh": {"specs": {"max_altitude": "最高海拔4000米", "flight_time": "31分钟",
                              "warranty": "飞行器保修1年；Aeris Care 炸机险需另购"}}}}
MANGO: dict[str, Any] = {
    **item("mango", "Dried Mango Slices", 49.9, "food"), "aliases": ["dried mango", "芒果干"],
    "specs": {"origin": "mangoes grown in Baise, Guangxi", "colors": "golden yellow",
              "storage": "Keep sealed in a cool, dry place below 25°C; eat soon after opening."},
    "i18n": {"zh": {"specs": {"origin": "广西百色芒果", "storage": "密封置于25°C以下阴凉干燥处，开袋后尽快食用"}}}}
RUG: dict[str, Any] = {
    **item("rug", "Cloudstep Washable Rug", 199, "home"), "aliases": ["rug", "地毯"],
    "specs": {"sizes": "120 x 170 cm, 160 x 230 cm, 200 x 300 cm",
              "size_prices": "120 x 170 cm: 199 CNY; 160 x 230 cm: 329 CNY; 200 x 300 cm: 499 CNY",
              "custom_size": "width 100-600 cm; 59 CNY per metre of width"},
    "faq": [{"q": "Which size suits my sofa?", "a": "120 x 170 cm for a 2-seat sofa; 160 x 230 cm for a 3-seat sofa."}],
    "i18n": {"zh": {"faq": [{"q": "沙发配哪个尺寸？", "a": "2人沙发选120 x 170厘米，3人沙发选160 x 230厘米。"}]}}}
DATES: dict[str, Any] = {
    **item("jujube", "Jujubes with Walnuts", 39.9, "food"), "aliases": ["枣夹核桃", "stuffed dates", "red dates"],
    "specs": {"net_weight": "500 g", "piece_weight": "about 10 g per piece"}}
PUP: dict[str, Any] = {
    **item("pup", "SkyPup Mini Drone", 299, "kids"), "aliases": ["skypup"], "min_age": 14,
    "specs": {"camera": "720p HD, photos and video saved to your phone",
              "control": "2.4 GHz remote included; phone app over Wi-Fi for the camera view"}}
NUTS: dict[str, Any] = {
    **item("nuts", "Daily Mixed Nuts", 99, "food"), "aliases": ["trail mix", "每日坚果"],
    "selling_points": ["Almonds, cashews, walnut kernels and raisins in every bag", "Lightly roasted, no added salt"],
    "specs": {"nutrition_per_bag": "per 25 g bag: energy 560 kJ, protein 4.2 g, fat 11.5 g",
              "packed_in": "Lin'an, Hangzhou, Zhejiang"}}
KIDSET: dict[str, Any] = {
    **item("kidset", "Kids Swim Set", 129, "kids"), "aliases": ["kids swimsuit", "儿童泳衣"], "min_age": 3,
    "specs": {"size_guide": "choose by height: 100 for 95-105 cm, 110 for 105-115 cm, 120 for 115-125 cm"}}
GIFT: dict[str, Any] = {
    **item("gift", "Nut Gift Box", 168, "food"), "aliases": ["gift box", "礼盒"],
    "faq": [{"q": "Is 168 for one box?", "a": "Yes, 168 CNY is for one box of 8 jars."}],
    "specs": {"jars": "reusable tin jars"},  # 循环 is a word the catalog knows
    "i18n": {"zh": {"faq": [{"q": "168是一盒的价格吗？", "a": "是的，168元是一整盒8罐的价格。"}],
                    "specs": {"jars": "可循环使用的铁罐"}}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    products = [SHEER, BLIND, BATTERY, DRONE, MANGO, RUG, DATES, PUP, NUTS, KIDSET, GIFT]
    return Answerer(Catalog.model_validate({"products": products}), UseEmbedder())


def decide(a: Answerer, text: str, on: str, lang: str = "zh"):  # noqa: ANN201
    return a.decide(text, ["Mia"], a.catalog.get(on), lang=lang)


def not_corrected(d) -> bool:  # noqa: ANN001
    return "不是哦" not in d.text and "Not quite" not in d.text and not d.reasons


def test_hanging_them_together_is_no_price_of_one_yuan(answerer: Answerer) -> None:
    d = decide(answerer, "纱帘能跟遮光帘挂一块吗 我家是双轨", "sheer")
    assert not_corrected(d) and "79元" not in d.text, d
    d = decide(answerer, "纱帘就一块钱吗", "sheer")  # a price in 块 is still one
    assert "不是哦" in d.text and "79元" in d.text, d


def test_a_measure_the_facts_give_is_no_price(answerer: Answerer) -> None:
    d = decide(answerer, "换了这个电池还是249以下吗", "battery")
    assert not_corrected(d) and "290" in d.text, d
    d = decide(answerer, "这个是349吧", "battery")  # a price it does not hold: corrected
    assert "不是哦" in d.text and "399" in d.text, d


def test_an_altitude_is_no_price(answerer: Answerer) -> None:
    assert stated_prices("迷你能带去西藏飞吗 海拔五千多", 1999) == []
    d = decide(answerer, "迷你能带去西藏飞吗 海拔五千多", "drone")
    # an honest "not sure about Tibet" may say why; no correction, no price
    assert "不是哦" not in d.text and not any("contradicts" in r for r in d.reasons) and "1999" not in d.text, d


def test_the_viewers_own_window_is_no_claim_about_the_blind(answerer: Answerer) -> None:
    assert viewer_numbers("我家飘窗宽1.2米 高1.5米 卷帘做下来多少钱") == {"1.2", "1.5"}
    assert viewer_numbers("my window is 120 x 150 cm, price?") == {"120", "150"}
    assert viewer_numbers("my daughter is 5, is the 99 one ok?") == {"5"}
    d = decide(answerer, "我家飘窗宽1.2米 高1.5米 卷帘做下来多少钱", "blind")
    assert not_corrected(d) and "129" in d.text, d


def test_what_a_viewer_orders_is_no_claim(answerer: Answerer) -> None:
    assert viewer_numbers("公司要订50盒发员工") == {"50"}
    d = decide(answerer, "公司要订50盒发员工 一盒是168吗", "gift")
    assert not_corrected(d), d


def test_a_guessed_value_is_answered_by_the_value(answerer: Answerer) -> None:
    d = decide(answerer, "芒果干哪里产的呀 海南的吗", "mango")
    assert d.kind == "fact" and "百色" in d.text, d
    d = decide(answerer, "what colour is it? orange?", "mango", "en")
    assert d.kind == "fact" and "golden yellow" in d.text, d
    # only a value attribute's fact answers a guess: "ships from Hangzhou" names no courier
    assert guesses_value("海南的吗", ["origin"]) and guesses_value("red?", ["color"])
    assert not guesses_value("顺丰的吗", ["shipping"]) and not guesses_value("好吃吗", ["origin"])


def test_where_the_viewer_lives_is_context_not_the_question(answerer: Answerer) -> None:
    d = decide(answerer, "要放冰箱吗 我在广州 回南天超潮的", "mango")
    assert d.kind == "fact" and "阴凉干燥" in d.text, d
    d = decide(answerer, "能寄到广州吗", "mango")  # a place asked about is still asked
    assert d.kind == "unknown", d


def test_a_spec_ending_in_a_full_stop_is_said_with_one(answerer: Answerer) -> None:
    fact = answerer.kb.get("mango/spec/storage")
    assert fact is not None and fact.texts["en"].endswith("opening.") and ".." not in fact.texts["en"]


def test_a_spec_whose_name_starts_with_a_capital_is_no_size_row() -> None:
    from vhost.brain.sizing import size_line

    assert size_line("Width range: 40-250 cm", "en") == "Width range: 40-250 cm."  # not "size W: idth"
    assert size_line("Dose: 1 scoop per pot 15-20 cm across", "en").startswith("Dose: 1 scoop")
    assert size_line("M 160-170 cm", "en") == "I'd go with size M: 160-170 cm."


def test_sizes_and_prices_get_the_fact_pricing_each_size(answerer: Answerer) -> None:
    d = decide(answerer, "rug sizes & prices pls", "rug", "en")
    assert d.kind == "fact" and all(p in d.text for p in ("199", "329", "499")), d
    assert "down from" not in d.text  # the product's own price line is not said again


def test_a_price_per_metre_is_the_fact_pricing_a_metre(answerer: Answerer) -> None:
    d = decide(answerer, "地毯定制一米多少钱", "rug")
    assert d.facts == ["rug/spec/custom_size"], d
    d = decide(answerer, "how much per metre for a custom one?", "rug", "en")
    assert "59" in d.text, d
    d = decide(answerer, "地毯多少钱", "rug")  # no unit asked: the product's price
    assert d.facts[0] == "rug/price", d


def test_a_price_per_jin_asks_the_price_not_the_weight(answerer: Answerer) -> None:
    d = decide(answerer, "枣夹核桃一斤多钱", "jujube")
    assert d.kind == "fact" and "39.9" in d.text and "10" not in d.text, d


def test_a_point_and_a_notice_are_two_sentences() -> None:
    from vhost.brain.compose import Composer, sentence

    assert sentence("每袋4种坚果加3种果干", "zh") == "每袋4种坚果加3种果干。"
    assert sentence("Cosy cedarwood and green fig", "en") == "Cosy cedarwood and green fig."
    assert sentence("Ships today!", "en") == "Ships today!"
    line = Composer().fact("每袋4种坚果加3种果干", [], "zh", notices=["过敏原：含树坚果"])
    assert line == "每袋4种坚果加3种果干。过敏原：含树坚果。", line
    line = Composer().fact("Burns for 40 hours", [], "en", notices=["Never leave it unattended"])
    assert line.endswith("Burns for 40 hours. Never leave it unattended."), line


def test_a_value_asked_of_a_spec_is_answered_by_the_value_it_gives(answerer: Answerer) -> None:
    d = decide(answerer, "is the camera 4k? wanna film my cat from above lol", "pup", "en")
    assert d.kind == "fact" and d.facts == ["pup/spec/camera"] and "720p" in d.text, d


def test_calories_are_the_nutrition_spec_not_where_it_is_packed(answerer: Answerer) -> None:
    d = decide(answerer, "back to the trail mix - how many calories in one pack?", "nuts", "en")
    assert d.facts == ["nuts/spec/nutrition_per_bag"] and "560 kJ" in d.text, d
    d = decide(answerer, "每日坚果热量高吗", "nuts")
    assert d.facts == ["nuts/spec/nutrition_per_bag"], d


def test_a_second_question_for_a_duration_gets_the_fact_giving_one(answerer: Answerer) -> None:
    d = decide(answerer, "长续航电池多少钱 换上能飞多久", "battery")
    assert "399" in d.text and "47分钟" in d.text and d.text.endswith("。"), d


def test_a_taiwan_sense_is_no_gloss_and_a_version_word_names_nothing(answerer: Answerer) -> None:
    from vhost.brain.dictionary import default_dictionary

    d = default_dictionary()
    assert d is not None and not {"video", "game"} & d.english("电动")  # (Tw) video game
    assert "smell" in d.english("味道")  # a dialect sense stays
    d2 = decide(answerer, "卷帘有电动款吗", "blind")  # not "the video below" of how to buy
    assert d2.kind == "unknown", d2


def test_the_head_word_of_the_on_screen_products_name_keeps_the_last_product_out(answerer: Answerer) -> None:
    from vhost.brain.naming import named_by_head

    a, dates, nuts = answerer, answerer.catalog.get("jujube"), answerer.catalog.get("nuts")
    assert named_by_head(a.catalog, "are the walnuts in the dates raw?") is dates
    assert named_by_head(a.catalog, "that box is gorgeous") is None  # "gift box" and "box": too short
    d = a.decide("are the walnuts in the dates raw or roasted?", ["Kev"], dates, recent=nuts, lang="en")
    assert d.product is dates and "Lightly roasted" not in d.text, d
    d = a.decide("are they roasted?", ["Kev"], dates, recent=nuts, lang="en")  # no word: the last product
    assert d.product is nuts, d


def test_a_verb_and_bu_before_a_told_clause_is_a_question() -> None:
    from vhost.brain.reading import is_question

    assert is_question("地毯掉毛不 我家猫已经够能掉了😂")
    assert is_question("好用不")
    assert not is_question("一点都不 好看") and not is_question("我不 想要了") and not is_question("主播好美")


def test_which_size_to_pick_is_the_faq_that_asks_it_not_small_talk(answerer: Answerer) -> None:
    d = decide(answerer, "沙发2米2宽 地毯选哪个尺寸", "rug")
    assert d.kind == "fact" and d.facts == ["rug/faq/0"] and "160 x 230" in d.text, d
    d = decide(answerer, "which one do you recommend?", "rug", "en")  # a pick among products: the model
    assert d.kind == "chat", d


def test_advice_to_ask_a_doctor_is_no_medical_claim() -> None:
    from vhost.brain.compliance import check_compliance

    catalog = Catalog.model_validate({"products": [{
        **item("mango", "Dried Mango", 49.9, "food"),
        "compliance_notes": ["Never claim health effects such as aiding digestion or boosting immunity."]}]})
    p = catalog.get("mango")
    for text, lang in (("Not recommended for diabetics; ask your doctor first.", "en"),
                       ("不建议糖尿病人食用；需要控糖的人请先咨询医生。", "zh")):
        assert check_compliance(text, lang, p, catalog).ok, text
    for text, lang in (("Doctors recommend it for digestion.", "en"), ("医生都推荐吃这个。", "zh")):
        assert not check_compliance(text, lang, p, catalog).ok, text


def test_a_banned_phrase_said_negated_is_honest_but_asked_a_not_a_is_still_bait() -> None:
    from vhost.brain.compliance import check_compliance

    catalog = Catalog.model_validate({"products": [{
        **item("dates", "Red Dates", 39.9, "food"),
        "compliance_notes": ['Never claim it helps a pregnancy ("安胎") or is unbreakable ("摔不坏").']}]})
    p = catalog.get("dates")
    assert check_compliance("本品没有任何保健或安胎功效。", "zh", p, catalog).ok
    assert not check_compliance("吃这个能安胎。", "zh", p, catalog).ok
    assert not check_compliance("是不是摔不坏？", "zh", p, catalog).ok  # asked: still the claim
    assert not check_compliance("会不会安胎", "zh", p, catalog).ok


def test_a_chinese_line_in_the_main_list_is_chinese() -> None:
    catalog = Catalog.model_validate({"products": [{
        **item("dates", "Red Dates", 39.9, "food"), "selling_points": ["每袋4种坚果加3种果干", "Pitted by machine"],
        "faq": [{"q": "孕妇可以吃吗？", "a": "这是普通食品，孕期可以适量吃。"}]}]})
    a = Answerer(catalog, UseEmbedder())
    assert a.kb.get("dates/point/0").texts == {"zh": "每袋4种坚果加3种果干"}
    assert a.kb.get("dates/point/1").texts == {"en": "Pitted by machine"}
    assert a.kb.get("dates/faq/0").texts == {"zh": "这是普通食品，孕期可以适量吃。"}


def test_the_price_of_a_thing_another_fact_names_is_not_the_products(answerer: Answerer) -> None:
    d = decide(answerer, "Aeris Care炸机险多少钱 包几次", "drone")
    assert "1999" not in d.text and "另购" in d.text, d
    d = decide(answerer, "how long is the warranty? and how much is it", "drone", "en")  # the drone's price
    assert "1999" in d.text, d


def test_standard_size_is_no_certificate_and_super_is_no_quality() -> None:
    from vhost.brain import attributes
    from vhost.brain.coverage import _FILLER

    assert "certification" not in attributes.detect("标准款是不是不够长")
    assert attributes.detect("符合什么标准")[:1] == ["certification"]
    assert {"super", "very"} <= _FILLER  # "is it super loud?" asks the noise, not a "super"


def test_cycles_asked_are_not_the_charges_a_fact_counts(answerer: Answerer) -> None:
    d = decide(answerer, "这个能循环多少次啊 500次还是1000次", "battery")
    assert d.kind == "unknown", d
    d = decide(answerer, "能给手机充多少次", "battery")
    assert d.kind == "fact" and "1.5" in d.text, d


def test_an_old_enough_childs_height_and_which_size_get_the_size(answerer: Answerer) -> None:
    d = decide(answerer, "my daughter is 7 and 122 cm, which size do i get?", "kidset", "en")
    assert d.kind == "fact" and "size 120" in d.text, d
    d = decide(answerer, "my son is 2, can he wear it?", "kidset", "en")  # too young: still said
    assert d.kind == "suitability" and "3" in d.text, d
    from vhost.brain.sizing import size_line
    assert size_line("100-120 cm", "en") == "100-120 cm."  # a range is no size label


def test_a_characters_first_sense_is_no_proper_nouns(answerer: Answerer) -> None:
    from vhost.brain.dictionary import default_dictionary

    d = default_dictionary()
    assert d is not None and d.english("新") == {"new"}  # not "abbr. for Xinjiang / Singapore"
    # "新货" (this year's harvest?) is not answered by "Xinjiang jujubes"
    catalog = Catalog.model_validate({"products": [{
        **item("jujube", "Xinjiang Jujubes with Walnuts", 39.9, "food"), "aliases": ["枣夹核桃"],
        "tagline": "Pitted Xinjiang jujubes with a walnut inside",
        "i18n": {"zh": {"tagline": "去核新疆红枣，夹一颗核桃仁"}}}]})
    a = Answerer(catalog, UseEmbedder())
    d2 = a.decide("核桃是今年新货吗 别是陈货啊", ["M"], a.catalog.get("jujube"), lang="zh")
    assert d2.kind == "unknown", d2
