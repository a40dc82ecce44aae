"""A yes or a no belongs to the question it answers (vhost.brain.polarity): an FAQ's "可以" / "No,"
is said only to a yes/no question that means the FAQ's own; to any other question the fact is
said without it, and a fact that is only a qualified yes ("Yes, but ...") then says nothing.
Catalogs built here, never the evaluation sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from vhost.brain import polarity
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.host import ShowBrain
from vhost.brain.persona import Persona


def item(pid: str, name: str, price: float, category: str) -> dict[str, Any]:
    return {"id": pid, "name": name, "price": price, "currency": "CNY", "stock": 50, "category": category}


KEYBOARD: dict[str, Any] = {**item("kb", "Tactile 75 Mechanical Keyboard", 399, "electronics"),
    "aliases": ["keyboard", "键盘"], "specs": {"switches": "linear, 45 gf", "battery": "4000 mAh"},
    "faq": [{"q": "Does it work with a Mac?",
             "a": "Yes. Flip the Win/Mac switch on the back; Mac keycaps are in the box."}],
}
PAN: dict[str, Any] = {**item("pan", "Stoneware Non-stick Pan 28 cm", 199, "kitchen"),
    "aliases": ["pan", "锅", "不粘锅"],
    "specs": {"coating": "3-layer stone-derived non-stick coating", "diameter": "28 cm"},
    "faq": [{"q": "Is it dishwasher safe?", "a": "Yes, but hand washing keeps the coating longer."},
            {"q": "Does it work on induction?", "a": "No, gas and electric hobs only."}],
    "i18n": {"zh": {"faq": [{"q": "能用洗碗机洗吗？", "a": "可以，但手洗能让涂层保持得更久。"},
                            {"q": "电磁炉能用吗？", "a": "不能，只适用于燃气灶和电陶炉。"}]}},
}


DROPS: dict[str, Any] = {**item("drops", "ClearStart Water Conditioner 250 ml", 39, "home"),
    "aliases": ["conditioner", "水质稳定剂"],
    "faq": [{"q": "Is it safe for shrimp and plants?", "a": "Yes, at the recommended dose it is safe for shrimp and plants."}],
    "i18n": {"zh": {"faq": [{"q": "养虾、种水草能用吗？", "a": "可以，按推荐用量对虾和水草都安全。"}]}},
}


YARN: dict[str, Any] = {**item("yarn", "Cloud Merino Yarn Pack", 79, "home"), "aliases": ["yarn", "毛线"],
    "specs": {"colours": "12 colours: cream, oatmeal, charcoal, navy, sage, rust and 6 more"},
    "faq": [{"q": "Can I mix colours in one pack?", "a": "Yes: choose 'Mix your own' and write the 5 colours you want."}],
}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [KEYBOARD, PAN, DROPS, YARN]}), UseEmbedder())


@pytest.mark.parametrize("line, rest", [
    ("No, the battery is built in.", "The battery is built in."),
    ("不能，只能用100毫米的片。", "只能用100毫米的片。"),
    ("Yes. Flip the switch.", "Flip the switch."),
    ("No added sugar.", "No added sugar."),  # "no" is what the fact states
    ("No need to rinse; pat it in.", "No need to rinse; pat it in."),
    ("有机棉面料", "有机棉面料"),
    ("Yes, but hand washing keeps the coating longer.", ""),  # a qualified yes: nothing on its own
    ("可以，但手洗能让涂层保持得更久。", ""),
])
def test_the_lead_comes_off_and_what_the_fact_states_stays(line: str, rest: str) -> None:
    assert polarity.without_lead(line) == rest


@pytest.mark.parametrize("text, asks", [
    ("is it sweet?", True), ("表带能换不", True), ("能放洗碗机吗", True), ("jar dishwasher safe?", True),
    ("珍珠是几A级的", False), ("记忆棉密度多少？", False), ("塑料的还是铝的呀", False),
    ("does it close with a zip or buttons?", False), ("how much light does it need?", False),
    ("im left handed lol can i even use this reel", True),
])
def test_which_messages_ask_for_a_yes_or_a_no(text: str, asks: bool) -> None:
    assert polarity.asks_yes_no(text) is asks


@pytest.mark.parametrize("text, lang, lead", [
    ("能放洗碗机吗", "zh", "可以"), ("can I put it in the dishwasher?", "en", "Yes"),
    ("电磁炉能用吗", "zh", "不能"),
])
def test_the_faqs_own_question_keeps_its_yes_or_no(answerer: Answerer, text: str, lang: str, lead: str) -> None:
    d = answerer.decide(text, ["Mia"], answerer.catalog.get("pan"), lang=lang)
    assert d.kind == "fact" and lead in d.text, d


@pytest.mark.parametrize("text, lang", [
    ("这个涂层能用一辈子吗？永远不会掉吧？", "zh"),  # was "可以，但手洗能让涂层保持得更久"
    ("is the coating safe for my kids? any PFOA?", "en"),
])
def test_a_qualified_yes_to_another_question_is_no_answer(answerer: Answerer, text: str, lang: str) -> None:
    d = answerer.decide(text, ["Mia"], answerer.catalog.get("pan"), lang=lang)
    assert d.kind == "unknown" and "可以" not in d.text and "Yes" not in d.text, d


def test_a_wh_question_gets_the_fact_without_the_no(answerer: Answerer) -> None:
    d = answerer.decide("我家是电磁炉 用啥锅好", ["Mia"], answerer.catalog.get("pan"), lang="zh")
    assert d.kind == "fact" and "燃气灶" in d.text and "不能" not in d.text, d


def test_a_fact_to_translate_loses_the_yes_that_answers_another_question(answerer: Answerer) -> None:
    # The Mac FAQ is the keyboard's only FAQ and is in English only: chosen for a question about
    # a wrist rest, its "Yes." must not reach the translator (it said "可以" to "送腕托不").
    d = answerer.decide("买键盘送腕托不", ["Kai"], answerer.catalog.get("kb"), lang="zh")
    assert d.kind == "unknown" or polarity.DROPPED in d.reasons, d
    brain = ShowBrain(answerer.catalog, Persona(name="Mia", style="warm", languages=["en", "zh"]), answerer=answerer)
    r = brain.fast_reply("买键盘送腕托不", "Kai", answerer.catalog.get("kb"), "zh")
    assert r is not None and not (r.translate or "").startswith("Yes") and "可以" not in r.text, r


def test_a_question_in_the_same_frame_but_about_another_thing_gets_no_yes(answerer: Answerer) -> None:
    # "海水缸能用不" (a saltwater tank?) reads like "养虾、种水草能用吗" to the embedding, but
    # names none of what that question asks: its "可以" is not an answer.
    d = answerer.decide("海水缸能用不", ["Yu"], answerer.catalog.get("drops"), lang="zh")
    assert "可以" not in d.text, d
    d = answerer.decide("养虾能用吗", ["Yu"], answerer.catalog.get("drops"), lang="zh")
    assert d.kind == "fact" and "可以" in d.text, d


def test_a_wh_question_prefers_a_fact_to_an_faq_answering_yes(answerer: Answerer) -> None:
    # "how many colours?" was answered by "Yes: choose 'Mix your own' and write the 5 colours"
    d = answerer.decide("oh and how many colours does the yarn come in?", ["Tina"], answerer.catalog.get("yarn"), lang="en")
    assert d.kind == "fact" and d.facts[0] == "yarn/spec/colours" and "12" in d.text, d
