"""What a message tells beside what it asks: a clause after the question ("HK summers are
brutal"), a word shouted in capitals, two questions joined by "+", the viewer's own numbers
("my left eye is -6.25 and right is -4.75", "我住6楼"). Catalogs built here, never the evaluation
sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.clauses import asking_clauses
from vhost.brain.own import viewer_numbers
from vhost.brain.parts import question_parts

PRAM: dict[str, Any] = {
    **item("pram", "Cloud Pram", 3999, "kids"), "aliases": ["cloud pram", "pram"],
    "specs": {"canopy": "XXL canopy, UPF 50+", "weight": "12.5 kg"}}
JOGGER: dict[str, Any] = {
    **item("jogger", "Trail Duo Jogger", 5299, "kids"), "original_price": 6299, "aliases": ["jogger"],
    "specs": {"weight": "15.9 kg"}}
LENS: dict[str, Any] = {
    **item("lens", "AquaDay Lenses", 129, "health"), "aliases": ["lenses"],
    "specs": {"powers": "-0.50 to -6.00 in 0.25 steps; -6.50 to -10.00 in 0.50 steps", "pack": "30 lenses per box"}}
CHAIR: dict[str, Any] = {
    **item("chair", "ErgoFlex Chair", 1599, "home"), "aliases": ["chair", "椅子"],
    "faq": [{"q": "Can the mesh be washed?", "a": "The mesh cannot be removed. Vacuum it or wipe it with a damp cloth."}]}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    from vhost.brain.embedding import UseEmbedder

    return Answerer(Catalog.model_validate({"shop": {
        "upstairs": "Without a lift, up to the 3rd floor free; 10 CNY per floor above it.",
        "i18n": {"zh": {"upstairs": "没有电梯的话，3楼及以下免费搬上楼；3楼以上每多一层加10元。"}}},
        "products": [PRAM, JOGGER, LENS, CHAIR]}), UseEmbedder())


def test_a_clause_told_after_the_question_names_nothing_asked(answerer: Answerer) -> None:
    text = "back to the cloud pram, what's the UPF on its canopy? HK summers are brutal"
    assert "HK summers are brutal" not in " ".join(asking_clauses(text))
    d = decide(answerer, text, "pram", "en")
    assert d.kind == "fact" and d.facts == ["pram/spec/canopy"] and "50" in d.text
    assert "ship to HK" in " ".join(asking_clauses("ship to HK? thx"))


def test_a_word_shouted_in_capitals_is_no_name_and_plus_joins_two_questions(answerer: Answerer) -> None:
    d = decide(answerer, "FINALLY the jogger!! price + how heavy?", "jogger", "en")
    assert d.kind == "fact" and "5299" in d.text and "15.9" in d.text
    assert question_parts("any deal if i get the pram + jogger together?") == []


def test_the_viewers_own_numbers_are_no_claim_to_correct(answerer: Answerer) -> None:
    assert {"6.25", "4.75"} <= viewer_numbers("my left eye is -6.25 and right is -4.75, can i get both??")
    d = decide(answerer, "my left eye is -6.25 and right is -4.75, can i get both??", "lens", "en")
    assert "not quite" not in d.text.casefold()
    assert "6" in viewer_numbers("我住6楼没电梯 能给搬上楼吗 要加钱不")
    d = decide(answerer, "我住6楼没电梯 能给搬上楼吗 要加钱不", "chair")
    assert d.facts[:1] == ["shop/upstairs"] and "不是" not in d.text


def test_a_chinese_question_finds_an_english_faq_by_its_verb(answerer: Answerer) -> None:
    d = decide(answerer, "网背脏了能拆下来洗吗", "chair")
    assert d.kind == "fact" and d.facts == ["chair/faq/0"]  # in English only: the model translates it


def test_a_policy_offering_free_replacement_parts_is_sayable() -> None:
    # "(for) free" of a part or a service is the shop's offer, not the product given away; the
    # returns policy holding it had been unsayable to every viewer.
    from vhost.brain.compliance import check_compliance
    from vhost.brain.embedding import UseEmbedder

    assert check_compliance("tell us within 48 hours for free replacement parts or a free exchange", "en").ok
    assert not check_compliance("you get it for free", "en").ok
    a = Answerer(Catalog.model_validate({"shop": {
        "returns": "7-day returns only if the chair has not been assembled. Transport damage: tell us within 48 hours for free replacement parts."},
        "products": [CHAIR]}), UseEmbedder())
    d = decide(a, "if i assemble it and hate it can i still return it?", "chair", "en")
    assert d.kind == "fact" and d.facts == ["shop/returns"]


def test_a_registration_number_asked_is_the_products_own_certificate() -> None:
    from vhost.brain import attributes
    from vhost.brain.embedding import UseEmbedder

    assert attributes.detect("注册证号报一下") == ["certification"]
    lens = {**LENS, "specs": {**LENS["specs"], "registration": "NMPA Class III, 国械注进20213160412"},
            "i18n": {"zh": {"specs": {"registration": "国家药监局第三类医疗器械，国械注进20213160412"}}}}
    a = Answerer(Catalog.model_validate({"shop": {
        "registration": "All our lenses are registered Class III medical devices; the number is on every box.",
        "i18n": {"zh": {"registration": "所有镜片均为注册的第三类医疗器械，注册证号印在每个包装盒上。"}}},
        "products": [lens]}), UseEmbedder())
    d = decide(a, "日抛是正规医疗器械吧 注册证号报一下", "lens")
    assert d.facts == ["lens/spec/registration"] and "20213160412" in d.text


def test_a_delivery_day_asked_is_answered_by_the_policy_that_names_it() -> None:
    # "arrive" asks about shipping; the how-to-buy policy names the delivery date, by its words.
    from vhost.brain.embedding import UseEmbedder

    a = Answerer(Catalog.model_validate({"shop": {
        "how_to_buy": "Tap the yellow cart, choose the box size, then pick a delivery date (up to 7 days ahead) at checkout."},
        "products": [{**item("fruit", "Cherries", 169, "food"), "aliases": ["cherries"],
                      "notices": ["Refrigerate at 0-4 °C as soon as the box arrives and eat within 5 days."]}]}), UseEmbedder())
    d = decide(a, "back to the cherries - can i choose which day they arrive? want them for my sis's bday on sat", "fruit", "en")
    assert d.facts == ["shop/how_to_buy"] and "7 days" in d.text
