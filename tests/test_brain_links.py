"""A link asked to be sent: the host has none to post (a link said would be invented), so it says so,
tells how to buy, and the operator sees the question; "where's the link?" is how to buy. A code on
the box is no coupon code. A catalog
built here, never the evaluation sets; the real sentence embedding."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.links import asks_link_sent


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    catalog = Catalog.model_validate({"shop": {
        "how_to_buy": "Tap the yellow cart below the video and pick the tent.",
        "authenticity": "Every box carries a scratch-off anti-counterfeit code you can check.",
        "returns": "7-day returns if unused; for a quality issue send photos of the batch code.",
        "i18n": {"zh": {"how_to_buy": "点视频下方小黄车，选帐篷下单。"}}},
        "products": [{**item("tent", "Ridge 2P Tent", 699, "other"), "aliases": ["tent", "帐篷"],
                      "specs": {"weight": "1.8 kg"}}]})
    return Answerer(catalog, UseEmbedder())


@pytest.mark.parametrize(("text", "lang", "said"), [
    ("can u send me the link? wanna share w my sister", "en", "yellow cart"),
    ("drop the link pls, im on desktop", "en", "yellow cart"),
    ("求个链接 小黄车我老点不开 直接发我吧", "zh", "小黄车"),
    ("链接发我一下", "zh", "小黄车"),
])
def test_a_link_to_send_is_unknown_and_the_cart_is_said(answerer: Answerer, text: str, lang: str,
                                                         said: str) -> None:
    d = decide(answerer, text, "tent", lang)
    assert d.kind == "unknown" and said in d.text
    assert ("can't send links" in d.text) if lang == "en" else ("发不了链接" in d.text)
    assert "http" not in d.text and "www" not in d.text


@pytest.mark.parametrize(("text", "lang"), [
    ("link?? where do i click", "en"), ("how do i buy? where's the link", "en"),
    ("怎么买 链接在哪", "zh"), ("帐篷的链接发一下 拍哪个？", "zh")])
def test_where_the_link_is_is_how_to_buy(answerer: Answerer, text: str, lang: str) -> None:
    d = decide(answerer, text, "tent", lang)
    assert d.kind == "fact" and d.facts == ["shop/how_to_buy"]


def test_a_link_asked_beside_another_question_answers_the_question(answerer: Answerer) -> None:
    d = decide(answerer, "how heavy is it? send me the link", "tent", "en")
    assert d.kind == "fact" and "1.8" in d.text


def test_sending_a_link_oneself_is_no_request() -> None:
    assert not asks_link_sent("sending the link to my mum, how many left?")
    assert asks_link_sent("pls dm me the link")


@pytest.mark.parametrize("text", ["any coupon code for first order?", "any coupon code for new followers? 🙏"])
def test_an_anti_counterfeit_or_batch_code_is_no_coupon(answerer: Answerer, text: str) -> None:
    d = decide(answerer, text, "tent", "en")
    assert d.kind == "unknown" and "scratch" not in d.text and "batch" not in d.text


@pytest.mark.parametrize(("text", "lang"), [
    ("is there a store in Shanghai where grandpa could try it on in person?", "en"),
    ("杭州有线下店能去试坐吗", "zh"), ("any physical stores?", "en")])
def test_a_shop_to_visit_no_fact_names_is_unknown(answerer: Answerer, text: str, lang: str) -> None:
    d = decide(answerer, text, "tent", lang)
    assert d.kind == "unknown", d.text


def test_how_to_store_it_is_still_storage() -> None:
    from vhost.brain import attributes

    assert attributes.detect("how do i store it over winter?")[:1] == ["storage"]
    assert "storage" not in attributes.detect("is there a store in Shanghai?")


@pytest.mark.parametrize(("text", "lang"), [("can I trade in my old iPad for a discount on this?", "en"),
                                           ("家里旧帐篷能以旧换新吗 能抵多少钱", "zh")])
def test_a_trade_in_no_policy_names_is_unknown_never_the_discount(answerer: Answerer, text: str, lang: str) -> None:
    d = decide(answerer, text, "tent", lang)
    assert d.kind == "unknown" and "699" not in d.text, d.text


def test_a_trade_in_policy_answers_in_either_language() -> None:
    a = Answerer(Catalog.model_validate({"shop": {
        "trade_in": "Trade-in: hand any old tent to the courier within 30 days and we refund 50 CNY."},
        "products": [{**item("tent", "Ridge 2P Tent", 699, "other"), "aliases": ["帐篷"]}]}), UseEmbedder())
    d = decide(a, "家里旧帐篷坏了 买这个能以旧换新吗 抵多少钱", "tent")
    assert d.kind == "fact" and d.facts == ["shop/trade_in"], d  # the policy, to be translated
    d = decide(a, "can i trade in my old one?", "tent", "en")
    assert d.kind == "fact" and "50" in d.text, d.text


def test_a_wrong_size_to_swap_and_a_fapiao_are_policies() -> None:
    from vhost.brain import attributes

    assert attributes.detect("ordered the wrong size 🤦 can i swap it? who pays shipping")[:1] == ["returns"]
    assert attributes.detect("can i get a fapiao? my company reimburses")[:1] == ["invoice"]


def test_a_link_asked_where_the_shop_says_not_how_to_buy_is_the_plain_unknown() -> None:
    a = Answerer(Catalog.model_validate({"products": [{**item("tent", "Ridge 2P Tent", 699, "other")}]}), UseEmbedder())
    d = decide(a, "can u send me the link?", "tent", "en")
    assert d.kind == "unknown" and "link" not in d.text.casefold() and "http" not in d.text, d.text
