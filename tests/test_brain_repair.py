"""Wrong numbers corrected from the catalog when unambiguous, held otherwise; the fragment guard."""

from __future__ import annotations

from pathlib import Path

import pytest

from vhost.brain.catalog import Catalog, load_catalog
from vhost.brain.grounding import check_grounding
from vhost.brain.guard import check_fragment
from vhost.brain.repair import repair_claims

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo" / "catalog.toml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DEMO)


def test_yuan_on_a_usd_product_is_a_currency_mismatch(catalog: Catalog) -> None:
    # The known gap: "24.99元" used to pass for a USD product.
    r = check_grounding("这个杯子只要24.99元。", catalog.get("mug"), catalog)
    assert not r.grounded and "not CNY" in r.mismatches[0]
    assert check_grounding("这个杯子只要24.99美元。", catalog.get("mug"), catalog).grounded
    assert check_grounding("二十四块九毛九", catalog.get("mug"), catalog).grounded  # 块: unsaid


@pytest.mark.parametrize(
    ("pid", "draft", "fixed", "why"),
    [
        ("mug", "It's only $19.99 today!", "It's only $24.99 today!", "price"),
        ("mug", "这个杯子只要24.99元。", "这个杯子只要24.99美元。", "currency"),
        ("mug", "只要¥24.99", "只要24.99美元", "currency"),
        ("mug", "It was $40, now $24.99.", "It was $34.99, now $24.99.", "original price"),
        ("mug", "Save $15 today!", "Save $10 today!", "saving"),
        ("mug", "Half off: 50% off right now!", "Half off: 29% off right now!", "discount"),
        ("mug", "Only 5 left, hurry!", "Only 120 left, hurry!", "stock"),
        ("mug", "现在5折！", "现在优惠29%！", "discount"),
        ("lamp", "It has 12 brightness levels.", "It has 5 brightness levels.", "level"),
        ("earbuds", "有2年保修。", "有1年保修。", "year"),
    ],
)
def test_unambiguous_mistakes_are_corrected(catalog: Catalog, pid: str, draft: str, fixed: str,
                                            why: str) -> None:
    r = repair_claims(draft, catalog.get(pid), catalog)
    assert r.ok, r.unresolved
    assert r.text == fixed
    assert len(r.corrections) == 1 and r.corrections[0].endswith(f"({why})")
    assert check_grounding(r.text, catalog.get(pid), catalog).grounded


@pytest.mark.parametrize(
    ("pid", "draft"),
    [
        ("mug", "Keeps coffee hot for 24 hours."),  # 6 or 12 hours? Not clear: hold
        ("mug", "Free shipping over $35."),  # no price cue: not the price
        ("mug", "It's 100% leak-proof."),  # not a discount
        ("mug", "保热二十四小时！"),  # spelled out: cannot be located safely
        ("lamp", "It puts out 800 lumens."),  # no lumen fact at all
    ],
)
def test_ambiguous_mistakes_are_left_unresolved(catalog: Catalog, pid: str, draft: str) -> None:
    r = repair_claims(draft, catalog.get(pid), catalog)
    assert not r.ok and r.unresolved and r.corrections == []


def test_grounded_text_is_untouched(catalog: Catalog) -> None:
    text = "Just $24.99, down from $34.99!"
    r = repair_claims(text, catalog.get("mug"), catalog)
    assert r.ok and r.text == text and r.corrections == []


def test_guard_corrects_holds_and_strips(catalog: Catalog) -> None:
    mug = catalog.get("mug")
    v = check_fragment("[happy] Only $19.99 today!", "en", mug, catalog)
    assert not v.held and v.text == "Only $24.99 today!" and v.emotions == ["happy"]
    assert v.corrections == ["'$19.99' -> '$24.99' (price)"]
    v = check_fragment("Keeps coffee hot for 24 hours.", "en", mug, catalog)
    assert v.held and v.text == "" and v.mismatches
    v = check_fragment("The best mug ever, only $24.99.", "en", mug, catalog)
    assert v.held and v.compliance_reasons and not v.mismatches
    # A corrected number does not launder a banned claim.
    v = check_fragment("全网最低，只要19.99美元！", "zh", mug, catalog)
    assert v.held and v.compliance_reasons
    v = check_fragment("Only $19.99 today!", "en", mug, catalog, correct=False)
    assert v.held


def test_an_amount_equal_to_the_saving_is_only_backed_as_a_saving(catalog: Catalog) -> None:
    buds = catalog.get("earbuds")  # $39.99, was $59.99: the saving is $20
    for ok in ("Save $20 today!", "$20 off today", "比原价省20美元"):
        assert check_grounding(ok, buds, catalog).grounded, ok
    r = check_grounding("是的，耳机的价格是二十美元。", buds, catalog)
    assert not r.grounded and "only the saving" in r.mismatches[0]
    assert repair_claims("It costs $20.", buds, catalog).text == "It costs $39.99."
