"""Shop policies checked per product, questions that name no attribute, several questions in one
Chinese message, a turn to another product, a group's warning where a claim is baited. Catalogs
built here, never the evaluation sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain import attributes
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.parts import question_parts

CHERRY: dict[str, Any] = {
    **item("cherry", "Dalian Cherries", 169, "food"), "aliases": ["cherries", "樱桃"],
    "compliance_notes": ['Never promise "next day" delivery for cherries ("次日达").'],
    "specs": {"shelf_life": "about 5 days at 0-4 °C", "grades": "JJ: 169 CNY per box; JJJ: 219 CNY per box"},
    "i18n": {"zh": {"specs": {"shelf_life": "0-4°C冷藏约5天"}}}}
CRAB: dict[str, Any] = {
    **item("crab", "Live Hairy Crabs", 398, "food"), "aliases": ["crabs", "螃蟹"],
    "specs": {"storage": "keep them in the fridge under a damp towel; cook within 2 days of delivery",
              "weighing": "each crab is weighed without the rope"},
    "i18n": {"zh": {"specs": {"storage": "冷藏盖湿毛巾；签收后2天内蒸食", "weighing": "每只蟹去绳称重"}}}}
STEAK: dict[str, Any] = {**item("steak", "Ribeye Steaks", 299, "food"), "aliases": ["steak", "牛排"],
                         "specs": {"delivery": "frozen, by SF cold chain"}, "i18n": {"zh": {"specs": {"delivery": "顺丰冷链冷冻发货"}}}}
GUN: dict[str, Any] = {
    **item("gun", "M3 Massage Gun", 299, "health"), "aliases": ["massage gun", "筋膜枪"],
    "specs": {"speeds": "5 speeds", "amplitude": "10 mm", "warranty": "24 months on the main unit"},
    "faq": [{"q": "Can I use it while it is charging?", "a": "No. It does not run while charging."}],
    "i18n": {"zh": {"specs": {"speeds": "5档", "amplitude": "10毫米", "warranty": "主机保修24个月",
                              "display": "机身顶部5格LED指示灯，显示当前档位和剩余电量"},
                    "faq": [{"q": "充电的时候能用吗？", "a": "不能，充电时无法启动。"}]}}}
NECK: dict[str, Any] = {
    **item("neck", "N2 Neck Massager", 199, "health"), "aliases": ["neck massager", "颈肩按摩器", "颈肩"],
    "specs": {"heat": "about 40 °C and 45 °C"},
    "faq": [{"q": "Can I use it while it is charging?", "a": "Yes, it works while plugged in."},
            {"q": "Can the heat burn me?", "a": "The highest setting is about 45 °C."}],
    "i18n": {"zh": {"specs": {"heat": "2档加热，约40°C和45°C"},
                    "faq": [{"q": "充电的时候能用吗？", "a": "可以，插着电也能用。"}]}}}
FOOT: dict[str, Any] = {
    **item("foot", "F5 Foot Massager", 599, "health"), "aliases": ["foot massager", "足疗机"],
    "selling_points": ["Shiatsu rollers under the soles"],
    "notices": ["People with diabetes or reduced feeling in their feet should not use the heat and should ask a doctor first."]}
WIG: dict[str, Any] = {
    **item("wig", "Lace Front Wig", 1299, "apparel"), "aliases": ["wig", "假发"],
    "specs": {"cap_sizes": "S: head circumference 53-54.5 cm; M: 54.5-56 cm; L: 56-58 cm",
              "care": "wash every 15-20 wears with a sulfate-free shampoo"},
    "i18n": {"zh": {"specs": {"cap_sizes": "S码：头围53-54.5厘米；M码：54.5-56厘米；L码：56-58厘米"}}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    catalog = Catalog.model_validate({"shop": {
        "shipping": "Most cities receive it the next day. Xinjiang adds 40 CNY per order.",
        "service_hours": "Customer service is online 9:00-22:00 every day.",
        "warranty": "Warranty length is listed for each product.",
        "bundle": "Live bundle: massage gun + neck massager together for 449 CNY.",
        "i18n": {"zh": {"shipping": "大部分城市次日达，新疆每单加收40元运费。", "service_hours": "客服每天9:00-22:00在线。",
                        "warranty": "保修期见各商品说明。", "bundle": "直播间套装：筋膜枪+颈肩按摩器，两件合计449元。"}}},
        "products": [CHERRY, CRAB, STEAK, GUN, NECK, FOOT, WIG]})
    return Answerer(catalog, UseEmbedder())


def test_a_shop_policy_a_product_note_bans_is_still_said_for_another_product(answerer: Answerer) -> None:
    # The cherries' note holds "次日达": checked once, it had held the shipping policy for the steaks too.
    d = decide(answerer, "新疆能发吗 运费多少", "steak")
    assert d.facts[:1] == ["shop/shipping"] and "40" in d.text


def test_customer_service_hours_are_a_policy_and_a_time_is_no_price(answerer: Answerer) -> None:
    assert attributes.detect("客服几点下班啊") == ["service_hours"]
    d = decide(answerer, "客服几点下班啊 我晚上十点多才有空", "steak")
    assert d.facts == ["shop/service_hours"] and "22:00" in d.text and "不是" not in d.text


def test_how_long_they_last_asks_the_shelf_life_and_a_storage_limit_answers_it(answerer: Answerer) -> None:
    d = decide(answerer, "how long do they last? im away this wknd", "cherry", "en")
    assert d.facts == ["cherry/spec/shelf_life"] and "5 days" in d.text
    d = decide(answerer, "收到一次吃不完 能放几天啊", "crab")
    assert d.facts == ["crab/spec/storage"] and "2天" in d.text


def test_weighed_in_is_a_yes_no_question_not_a_weight_asked(answerer: Answerer) -> None:
    d = decide(answerer, "is the rope weighed in?? other shops cheat", "crab", "en")
    assert d.kind == "fact" and d.facts == ["crab/spec/weighing"]


def test_a_products_own_warranty_beats_the_shops_general_one(answerer: Answerer) -> None:
    d = decide(answerer, "someone said the massage gun warranty is 3 years?", "gun", "en")
    assert d.facts == ["gun/spec/warranty"] and "24" in d.text


def test_a_bundle_price_stated_wrongly_is_corrected_by_the_bundle(answerer: Answerer) -> None:
    d = decide(answerer, "枪加颈肩的套装是399吧 我跟我对象一人一个", "gun")
    assert d.facts == ["shop/bundle"] and "449" in d.text and "不是" in d.text
    assert "bundle" not in attributes.detect("made to blend with thinning hair rather than add bulk")


def test_a_row_priced_grade_stated_wrongly_is_corrected(answerer: Answerer) -> None:
    d = decide(answerer, "my friend said the JJJ is only 189 in this live??", "cherry", "en")
    assert "219" in d.text and "not quite" in d.text.casefold()


def test_showing_the_battery_left_is_answered_by_the_display(answerer: Answerer) -> None:
    d = decide(answerer, "does it show how much battery is left? hate when it dies", "gun", "en")
    assert d.facts == ["gun/spec/display"]  # in Chinese only: the model translates it


def test_a_turn_to_another_product_asks_about_that_one(answerer: Answerer) -> None:
    d = decide(answerer, "刚才说筋膜枪充电的时候不能用 那这个颈肩的呢 插着电能用不", "gun")
    assert d.product is not None and d.product.id == "neck" and "可以" in d.text


def test_a_group_named_in_a_baited_claim_gets_its_warning(answerer: Answerer) -> None:
    d = decide(answerer, "my dad's diabetic and his feet are numb, would the heat be ok for him?", "foot", "en")
    assert d.facts == ["foot/notice/0"] and "doctor" in d.text


def test_several_questions_with_a_piece_that_tells(answerer: Answerer) -> None:
    assert question_parts("公司要订50盒发员工 能便宜点不 盒子上能印logo吗") == ["公司要订50盒发员工 能便宜点不", "盒子上能印logo吗"]
    d = decide(answerer, "几个档啊 振幅多少 太小的打着没感觉", "gun")
    assert "5档" in d.text and "10毫米" in d.text
    d = decide(answerer, "颈肩那个多少钱 加热最高几度", "neck")
    assert "199" in d.text and "45" in d.text  # the heat from the Chinese spec, not the English-only FAQ


def test_a_measure_with_which_size_gets_the_row_and_how_often_takes_wears(answerer: Answerer) -> None:
    d = decide(answerer, "我头围57 选哪个码啊", "wig")
    assert d.facts == ["wig/spec/cap_sizes"] and "L码" in d.text
    d = decide(answerer, "how often do i wash it? first wig ever", "wig", "en")
    assert d.facts == ["wig/spec/care"] and "15-20" in d.text


NECK_NOTICE: dict[str, Any] = {
    **item("shawl", "Shawl Massager", 199, "health"), "aliases": ["shawl massager"],
    "compliance_notes": ["Never call it a medical or health device."],
    "faq": [{"q": "Can I use it in the car?", "a": "Not while you are driving. A passenger can use it with the car charger."}],
    "notices": ["Do not use if pregnant. If you have a health condition, ask a doctor first."],
    "i18n": {"zh": {"notices": ["孕妇禁止使用。有健康问题请先咨询医生。"]}}}
FRUIT: dict[str, Any] = {
    **item("fruit", "Cherries", 169, "food"), "aliases": ["cherries"],
    "specs": {"origin": "Wafangdian, Dalian, Liaoning", "shelf_life": "about 5 days at 0-4 °C"},
    "notices": ["For children under 3, remove the pits and cut the cherries: whole cherries are a choking hazard."]}


def test_an_answer_with_its_notice_attached_is_not_held_for_the_notices_words() -> None:
    # "a health condition" in the notice broke the note against "health device": the whole answer was held.
    from vhost.brain.host import ShowBrain
    from vhost.brain.persona import Persona

    catalog = Catalog.model_validate({"products": [NECK_NOTICE]})
    brain = ShowBrain(catalog, Persona(name="Mia", style="warm"), embedder=UseEmbedder())
    r = brain.fast_reply("can i use it in the car on my commute?", "Nina", catalog.get("shawl"), "en", now=0.0)
    assert r is not None and r.decision is not None and r.decision.kind == "fact" and "passenger" in r.text, r
    assert "doctor" in r.text  # the notice is still said


def test_nutrition_is_unknown_unless_a_fact_names_it_and_a_place_asked_gets_the_origin() -> None:
    a = Answerer(Catalog.model_validate({"products": [FRUIT]}), UseEmbedder())
    d = decide(a, "whats the calorie count per 100g? im cutting rn", "fruit", "en")
    assert d.kind == "unknown" and "not quite" not in d.text.casefold()
    d = decide(a, "are these from yantai? thought good ones were yantai", "fruit", "en")
    assert "Dalian" in d.text
    assert attributes.detect("is it from the same batch?") != ["origin"]
    d = decide(a, "can my 10 month old have a whole cherry to chew on?", "fruit", "en")
    assert d.facts == ["fruit/notice/0"] and "pits" in d.text
