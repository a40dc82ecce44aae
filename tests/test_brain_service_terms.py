"""A delivery service is no giveaway: "送上楼要加钱吗" asks the shipping policy, not what comes
free, and the shop's own "carrying upstairs is free" / "有电梯免费送上楼" may be said, while "the
desk is free" still may not. A feature asked yes/no ("is the top waterproof?") of a fact that
never gives it is an honest unknown. A catalog built here; the real embedding."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.compliance import check_compliance
from vhost.brain.embedding import UseEmbedder

DESK = {**item("desk", "RiseUp D3 Standing Desk", 1599, "home"),
        "aliases": ["d3", "升降桌"],
        "specs": {"desktop_material": "solid bamboo with a matte lacquer",
                  "controller": "touch panel with 4 presets and a USB-C charging port"},
        "i18n": {"zh": {"specs": {"desktop_material": "实心竹面板，哑光漆"}}}}
SHOP = {"shipping": "Free shipping. Carrying upstairs is free where there is a lift; without a lift the "
                    "courier charges 10 CNY per floor.",
        "gift": "Every desk comes with a free cable tray.",
        "payment": "Alipay or WeChat Pay; 6 interest-free Huabei instalments on orders over 1500 CNY.",
        "i18n": {"zh": {"shipping": "包邮。有电梯免费送上楼；没有电梯的，快递按每层10元收取搬运费。",
                        "gift": "每张桌子送一个理线托盘。",
                        "payment": "支持支付宝、微信支付，满1500元可用花呗6期免息。"}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"shop": SHOP, "products": [DESK]}), UseEmbedder())


def test_the_shops_own_service_may_be_said(answerer: Answerer) -> None:
    catalog, desk = answerer.catalog, answerer.catalog.get("desk")
    for text, lang in ((SHOP["shipping"], "en"), (SHOP["i18n"]["zh"]["shipping"], "zh")):
        assert not check_compliance(text, lang, desk, catalog).reasons, text
    assert check_compliance("The desk is free today", "en", desk, catalog).reasons
    assert check_compliance("免费送一个桌子", "zh", desk, catalog).reasons


@pytest.mark.parametrize("text", ["我住6楼没电梯 送上楼要加钱吗？还有能花呗分期不", "没电梯 送上楼要加钱吗"])
def test_upstairs_asks_the_shipping_policy(answerer: Answerer, text: str) -> None:
    d = decide(answerer, text, "desk")
    assert d.facts[:1] == ["shop/shipping"] and "10元" in d.text, (d.facts, d.text)


def test_a_feature_the_fact_never_gives_is_unknown(answerer: Answerer) -> None:
    d = decide(answerer, "is the bamboo top waterproof? i spill coffee daily", "desk", lang="en")
    assert d.kind == "unknown", (d.kind, d.facts, d.text)

