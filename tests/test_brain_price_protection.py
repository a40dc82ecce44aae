"""A price drop after the order (保价) is asked of the shop's price-protection policy, not today's
price; the catalog's own "保价15天" may be said (an invented one may not); a policy written in
Chinese where the English goes is Chinese, translated for an English viewer, never read out in
Chinese. "最高能升到多高" asks a height, no litres (升). A catalog built here."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.compliance import check_compliance
from vhost.brain.embedding import UseEmbedder

DESK = {**item("desk", "RiseUp D3 Standing Desk", 1599, "home"),
        "aliases": ["d3", "升降桌"],
        "specs": {"height_range": "65-130 cm", "max_load": "100 kg"},
        "i18n": {"zh": {"specs": {"height_range": "65-130厘米"}}}}
CATALOG = {"shop": {"price_protection": "保价15天：下单后15天内本店同款降价，可联系客服退差价。",
                    "shipping": "Ships in 48 hours."},
           "products": [DESK]}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate(CATALOG), UseEmbedder())


@pytest.mark.parametrize("text, lang", [
    ("if the price drops next week do i get the difference back?", "en"),
    ("买了以后降价了能退差价吗", "zh"),
    ("有保价吗", "zh"),
])
def test_price_protection_is_the_policy(answerer: Answerer, text: str, lang: str) -> None:
    d = decide(answerer, text, "desk", lang=lang)
    assert d.kind == "fact" and d.facts == ["shop/price_protection"], (d.kind, d.facts, d.text)
    if lang == "en":  # the Chinese policy is translated, not read out in Chinese
        assert d.text == "" and d.reasons == ["translate:shop/price_protection"]
    else:
        assert "15天" in d.text


def test_price_protection_only_as_the_shop_states_it(answerer: Answerer) -> None:
    catalog = answerer.catalog
    assert not check_compliance("保价15天，放心买", "zh", catalog.get("desk"), catalog).reasons
    bare = Catalog.model_validate({"products": [DESK]})
    assert check_compliance("保价30天，放心买", "zh", bare.get("desk"), bare).reasons


def test_rising_is_no_litre(answerer: Answerer) -> None:
    d = decide(answerer, "最高能升到多高", "desk")
    assert "volume" not in d.attrs and d.facts == ["desk/spec/height_range"], (d.attrs, d.facts)
