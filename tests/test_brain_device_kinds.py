"""A kind of device asked about ("my phone", "苹果手机", "电脑") is covered by a fact naming its
members (Android, iOS, Windows, macOS), and only by such a fact. Catalogs built here, never the
evaluation sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.hypernyms import member_named
from vhost.brain.retrieval import tokens

BAND: dict[str, Any] = {
    **item("band", "PulseFit Band 3", 199, "electronics"), "aliases": ["band", "手环"],
    "specs": {"compatibility": "Android 9.0+ and iOS 14+ via the PulseFit app", "battery": "14 days typical use",
              "sensors": "heart rate, SpO2, sleep"},
    "faq": [{"q": "Does it have GPS?", "a": "No built-in GPS; it uses your phone's GPS for outdoor runs."}],
    "i18n": {"zh": {"faq": [{"q": "有GPS吗？", "a": "没有内置GPS，户外跑步时使用手机的GPS。"}]}}}
MOUSE: dict[str, Any] = {
    **item("mouse", "GlideOne Wireless Mouse", 89, "electronics"), "aliases": ["mouse", "鼠标"],
    "specs": {"compatibility": "Windows 10+, macOS 12+ and ChromeOS", "battery": "1 AA battery, about 12 months"}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [BAND, MOUSE]}), UseEmbedder())


def test_a_device_kind_is_named_by_its_members_only() -> None:
    phones, computers = set(tokens("Android 9.0+ and iOS 14+")), set(tokens("Windows 10+, macOS 12+"))
    assert member_named("手机", phones) and member_named("Phone", set(tokens("iPhone 15"))) and member_named("手机", set(tokens("支持安卓")))
    assert member_named("laptop", computers) and not member_named("laptop", phones)
    assert not member_named("strap", phones) and not member_named("手机", set(tokens("Bluetooth 5.3")))


@pytest.mark.parametrize(("text", "lang"), [("安卓和苹果手机都能用吗？", "zh"), ("will it work with my phone?", "en")])
def test_a_phone_question_is_answered_by_the_platforms(answerer: Answerer, text: str, lang: str) -> None:
    d = decide(answerer, text, "band", lang)
    assert d.kind == "fact" and d.facts == ["band/spec/compatibility"], d


def test_a_laptop_question_is_answered_by_the_operating_systems(answerer: Answerer) -> None:
    d = decide(answerer, "does it work with my laptop?", "mouse", "en")
    assert d.kind == "fact" and d.facts == ["mouse/spec/compatibility"], d
