"""A question offering alternatives ("塑料的还是铝的", "duck or goose?") is answered by the fact
stating one of them, in either language; the shop's name is no fact about a product, nor a
policy keyed for one attribute an answer to another that its words happen to name. A catalog
built here, never the evaluation sets."""

from __future__ import annotations

from typing import Any

import pytest

from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.reading import alternatives, stated_alternative

LAMP: dict[str, Any] = {
    "id": "lamp", "name": "Halo Desk Lamp", "price": 199, "currency": "CNY", "stock": 40, "category": "home",
    "aliases": ["台灯"],
    "selling_points": ["Glare-free light for late study"],
    "specs": {"shade": "brushed aluminium shade", "cable": "1.8 m braided cable", "base": "weighted steel base"},
    "faq": [{"q": "Can I dim it?", "a": "Yes, five brightness steps on the touch ring."}],
    "i18n": {"zh": {"name": "Halo 护眼台灯", "specs": {"shade": "拉丝铝灯罩"}}},
}
SHOP = {"name": "Silver Brightness Studio", "shipping": "Ships in 48 hours from Ningbo.",
        "returns": "7-day returns if unopened.", "i18n": {"zh": {"returns": "未开封支持7天无理由退货。"}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [LAMP], "shop": SHOP}))


def _decide(a: Answerer, text: str, lang: str):  # noqa: ANN202
    return a.decide(text, ["Kim"], a.catalog.get("lamp"), lang=lang)


def test_alternatives_are_the_words_nearest_the_or() -> None:
    assert alternatives("灯罩是塑料的还是铝的呀") == ((frozenset({"灯罩", "塑料"}), frozenset({"铝"})),)
    assert alternatives("is the base plastic or steel?") == ((frozenset({"plastic"}), frozenset({"steel"})),)
    assert alternatives("这个是物理防晒还是化学防晒") == ((frozenset({"物理"}), frozenset({"化学"})),)
    assert alternatives("more or less the same?") == () and alternatives("多少钱") == ()
    assert stated_alternative("is the base plastic or steel?", "weighted steel base") == {"plastic", "steel"}
    assert stated_alternative("is the base plastic or round?", "weighted steel base") == frozenset()
    # neither material offered, but the fact says which: "steel" answers "plastic or glass?"
    assert stated_alternative("is the base plastic or glass?", "weighted steel base") == {"plastic", "glass"}
    assert stated_alternative("is the base plastic or glass?", "weighted base") == frozenset()
    assert stated_alternative("是塑料还是钢的", "weighted steel base", lambda w: {"steel"} if w == "钢" else set())


@pytest.mark.parametrize("text, lang, fact", [
    ("灯罩是塑料的还是铝的呀", "zh", "lamp/spec/shade"),       # 塑料 unnamed: the fact states 铝
    ("is the base plastic or steel?", "en", "lamp/spec/base"),  # "plastic" is no unknown here
])
def test_a_fact_stating_one_alternative_answers(answerer: Answerer, text: str, lang: str, fact: str) -> None:
    d = _decide(answerer, text, lang)
    assert d.kind == "fact" and d.facts[:1] == [fact], (d.kind, d.reasons, d.text)


def test_neither_alternative_stated_is_still_unknown(answerer: Answerer) -> None:
    d = _decide(answerer, "is the cable cotton or nylon?", "en")  # "braided": neither is stated
    assert d.kind == "unknown", d.text


def test_the_shop_name_is_no_fact_about_the_product(answerer: Answerer) -> None:
    d = _decide(answerer, "is the shade real silver?", "en")
    assert "shop/name" not in d.facts and "Silver Brightness" not in (d.text or "")
    assert "shop/name" not in _decide(answerer, "what's the brand name of the cable?", "en").facts
    d = _decide(answerer, "what's the shop name?", "en")
    assert d.kind == "fact" and "Silver Brightness Studio" in d.text


def test_a_policy_keyed_for_another_attribute_does_not_answer_by_its_words(answerer: Answerer) -> None:
    # "未开封" in the returns policy is no shelf life: unknown, not "7天无理由退货"
    d = _decide(answerer, "台灯保质期多久啊 想多囤几个", "zh")
    assert d.kind == "unknown" and "shop/returns" not in d.facts, (d.facts, d.text)
    d = _decide(answerer, "不喜欢能退吗", "zh")
    assert d.kind == "fact" and d.facts == ["shop/returns"]


def test_a_number_about_the_viewers_own_things_is_not_corrected(answerer: Answerer) -> None:
    from vhost.brain.own import viewer_numbers

    assert viewer_numbers("would my 15.6 inch laptop fit?") == {"15.6"}
    assert viewer_numbers("我手腕特别细才14") == {"14"} and viewer_numbers("I heard it's only 99?") == set()
    d = _decide(answerer, "how long is the cable? my desk is 140 cm from the socket", "en")
    assert d.kind == "fact" and not d.text.startswith(("Not quite", "Kim, not quite")), d.text
    assert "1.8" in d.text
    d = _decide(answerer, "is the cable 3 m?", "en")  # a number said about the product: corrected
    assert "1.8" in d.text and "Not quite" in d.text, d.text


def test_is_it_worth_it_is_answered_from_the_catalog_not_an_opinion(answerer: Answerer) -> None:
    d = _decide(answerer, "is the lamp worth it?", "en")
    assert d.kind == "fact" and d.facts == ["lamp/point/0"] and "Glare-free light for late study" in d.text
    d = _decide(answerer, "台灯值得买吗？", "zh")  # the selling point is English only: translated
    assert d.kind == "fact" and d.reasons == ["translate:lamp/point/0"]
    assert _decide(answerer, "which one should I buy?", "en").kind == "chat"  # a comparison: the model


def test_with_others_waiting_an_unknown_leaves_out_what_is_known() -> None:
    from vhost.brain.host import ShowBrain
    from vhost.brain.persona import load_persona
    from vhost.config.settings import ASSETS

    catalog = Catalog.model_validate({"products": [LAMP], "shop": SHOP})
    brain = ShowBrain(catalog, load_persona(ASSETS / "persona.toml"))
    lamp = catalog.get("lamp")
    full = brain.fast_reply("do you ship to Iceland?", "Kim", lamp, "en")
    short = brain.fast_reply("do you ship to Iceland?", "Kim", lamp, "en", brief=True)
    assert full is not None and short is not None and short.path == full.path == "unknown"
    assert "Ningbo" in full.text and "Ningbo" not in short.text and "check" in short.text, (full.text, short.text)
