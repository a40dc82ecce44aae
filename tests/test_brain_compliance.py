"""Compliance filter: per-locale banned claims, the catalog's notes, negation, catalog backing."""

from __future__ import annotations

from pathlib import Path

import pytest

from vhost.brain.catalog import Catalog, Product, load_catalog
from vhost.brain.compliance import check_compliance, note_rules

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo" / "catalog.toml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DEMO)


@pytest.mark.parametrize(
    ("pid", "text", "category"),
    [
        ("mug", "This is the best mug ever!", "absolute"),
        ("mug", "It's the number one travel mug.", "absolute"),
        ("mug", "Guaranteed to keep coffee hot.", "absolute"),
        ("mug", "It's 100% leak-proof.", "absolute"),
        ("mug", "这是最好的保温杯。", "absolute"),
        ("mug", "销量第一！", "absolute"),
        ("mug", "国家级品质，顶级工艺。", "absolute"),
        ("mug", "最佳选择！", "absolute"),
        ("lamp", "It protects your eyes while you read.", "health"),
        ("lamp", "这款台灯护眼效果很好。", "health"),
        ("earbuds", "They cure headaches.", "health"),
        ("mug", "Lowest price anywhere!", "price_promise"),
        ("mug", "Free shipping forever!", "price_promise"),
        ("mug", "全网最低价，永久包邮！", "price_promise"),
        ("mug", "Buy one get one free today.", "price_promise"),
        ("earbuds", "Way better than AirPods.", "disparagement"),
        ("earbuds", "Other brands are junk.", "disparagement"),
        ("earbuds", "别家的耳机都是垃圾。", "disparagement"),
        ("mug", "Holy shit, that's cheap.", "profanity"),
        ("mug", "卧槽，太便宜了。", "profanity"),
        ("earbuds", "You can swim with them.", "note"),  # "Not waterproof ... swimming"
        ("earbuds", "戴着游泳没问题。", "note"),
        ("mug", "It arrives by Friday.", "note"),  # "Never promise a delivery date"
        ("earbuds", "Good for your hearing.", "health"),
    ],
)
def test_violations_are_caught_with_their_category(catalog: Catalog, pid: str, text: str,
                                                   category: str) -> None:
    lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en"
    r = check_compliance(text, lang, catalog.get(pid), catalog)
    assert not r.ok
    assert any(reason.startswith(category + ":") for reason in r.reasons), r.reasons


@pytest.mark.parametrize(
    ("pid", "text"),
    [
        ("mug", "Great question! It keeps drinks hot for 6 hours."),
        ("mug", "Free shipping in the US, and it ships in 1-2 business days."),  # catalog says so
        ("mug", "美国包邮，1-2个工作日发货。"),
        ("earbuds", "Not for swimming, but sweat and splash proof."),  # negated
        ("earbuds", "防汗防溅，不能游泳用。"),
        ("earbuds", "They charge over USB-C."),  # "sb" in USB is no insult
        ("mug", "这是你第一次来直播间吗？"),  # 第一次 is "first time", not a ranking
        ("mug", "The best part is the locking lid."),
        ("lamp", "It's flicker-free with 5 brightness levels."),
        ("mug", "It's the perfect size for a cup holder."),
    ],
)
def test_clean_lines_pass(catalog: Catalog, pid: str, text: str) -> None:
    r = check_compliance(text, "en", catalog.get(pid), catalog)
    assert r.ok, r.reasons


def test_the_catalog_can_back_a_phrase() -> None:
    plain = Product(id="t", name="Tee", price=10, stock=1)
    cotton = plain.model_copy(update={"specs": {"material": "100% cotton"}})
    assert not check_compliance("It's 100% cotton.", "en", plain).ok
    assert check_compliance("It's 100% cotton.", "en", cotton).ok
    # No "free" anywhere in this product's facts: free shipping is a promise it cannot make.
    assert not check_compliance("Free shipping!", "en", plain).ok


def test_quoted_phrases_in_notes_are_banned() -> None:
    p = Product(id="t", name="Pan", price=10, stock=1,
                compliance_notes=['Never say "non-toxic" or “PFAS-free”.'])
    assert not check_compliance("It's totally non-toxic.", "en", p).ok
    assert not check_compliance("pfas-free coating", "en", p).ok
    assert check_compliance("A ceramic coating.", "en", p).ok
    assert len(note_rules(p.compliance_notes)) == 2


def test_as_dict_shape(catalog: Catalog) -> None:
    d = check_compliance("the best ever", "en", catalog.get("mug")).as_dict()
    assert d["ok"] is False and d["reasons"]


def test_sleep_and_stress_claims_are_health_claims(catalog: Catalog) -> None:
    lamp = catalog.get("lamp")
    assert not check_compliance("It will help you sleep better.", "en", lamp).ok
    assert not check_compliance("It reduces eye strain.", "en", lamp).ok
    assert check_compliance("It won't help you sleep, it's a desk lamp.", "en", lamp).ok


def test_a_note_in_english_bans_the_claim_in_chinese_too_and_the_category_adds_its_own() -> None:
    from vhost.brain.catalog import Product

    knife = Product(id="knife", name="Chef Knife", price=399, currency="CNY", stock=5, category="kitchen",
                    compliance_notes=['Never say it "never gets dull".'])
    assert not check_compliance("这把刀永不卷刃！", "zh", knife).ok
    assert not check_compliance("It never gets dull.", "en", knife).ok
    assert check_compliance("Hone it weekly and it stays sharp.", "en", knife).ok
    tea = Product(id="tea", name="Oolong", price=88, currency="CNY", stock=5, category="food")
    for line, lang in (("喝了能降血糖", "zh"), ("It lowers blood sugar", "en"), ("减肥必备", "zh")):
        assert not check_compliance(line, lang, tea).ok, line
    assert check_compliance("不能降血糖哦，就是好喝的乌龙茶。", "zh", tea).ok  # said as a negation


def test_a_viewer_named_like_a_brand_is_not_a_competitor_claim() -> None:
    # "小米粒" is a viewer; "小米" (Xiaomi) inside it is no competitor mention
    line = "小米粒，这个信息我暂时没有，稍后帮你确认。"
    assert not check_compliance(line, "zh").ok  # without the names, the brand rule fires...
    assert check_compliance(line, "zh", names=["小米粒"]).ok  # ...with them it does not
    assert not check_compliance("小米粒，小米的更好", "zh", names=["小米粒"]).ok  # the brand itself still does


def test_a_note_with_an_apostrophe_bans_its_phrases_not_a_comma() -> None:

    note = 'Never compare it to breastfeeding (no "same as breastfeeding", "like mum\'s breast", "媲美母乳").'
    phrases = [r.pattern.pattern.replace("\\", "") for r in note_rules([note]) if r.category == "note"]
    assert phrases == ["same as breastfeeding", "like mum's breast", "媲美母乳"]
