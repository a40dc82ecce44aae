from __future__ import annotations

from pathlib import Path

import pytest

from vhost.brain.catalog import Catalog, CatalogError, Product, load_catalog

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo" / "catalog.toml"

MINIMAL = """
[[products]]
id = "a"
name = "Thing A"
price = 10
stock = 3
"""


def write(tmp_path: Path, text: str, name: str = "catalog.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return load_catalog(DEMO)


def test_demo_catalog_has_three_products(demo: Catalog) -> None:
    assert demo.ids == ["mug", "earbuds", "lamp"]
    for p in demo.products:
        assert p.currency == "USD"
        assert p.original_price is not None and p.original_price > p.price
        assert 3 <= len(p.selling_points) <= 5
        assert 3 <= len(p.faq) <= 4
        assert p.specs and p.compliance_notes
        zh = p.i18n["zh"]
        assert zh.name and zh.selling_points and zh.faq
    assert demo.offer_minutes > 0


def test_images_resolve_relative_to_the_catalog_file(demo: Catalog) -> None:
    for pid in demo.ids:
        assert demo.get(pid).image_path == DEMO.parent / "products" / f"{pid}.png"


def test_get_and_contains(demo: Catalog) -> None:
    assert demo.get("lamp").name == "Lumen Arc LED Desk Lamp"
    assert "mug" in demo and "sofa" not in demo
    with pytest.raises(KeyError, match="sofa.*mug, earbuds, lamp"):
        demo.get("sofa")
    assert [p.id for p in demo.others("mug")] == ["earbuds", "lamp"]


def test_price_formatting_and_discount(demo: Catalog) -> None:
    mug = demo.get("mug")
    assert mug.format_price(24.99) == "$24.99"
    assert mug.format_price(25.0) == "$25"
    assert mug.discount_percent == 29  # 10 / 34.99 = 28.58%
    p = mug.model_copy(update={"original_price": None})
    assert p.discount_percent is None
    eur = mug.model_copy(update={"currency": "EUR"})
    assert eur.format_price(5) == "€5"
    chf = mug.model_copy(update={"currency": "CHF"})
    assert chf.format_price(5.5) == "CHF 5.50"


def test_localized_applies_overrides_and_falls_back(demo: Catalog) -> None:
    mug = demo.get("mug")
    zh = mug.localized("zh")
    assert zh.name == "Voyager 旅行保温杯"
    assert zh.selling_points[0].startswith("保热6小时")
    assert zh.faq[0].q == "能用洗碗机吗？"
    assert zh.price == mug.price and zh.specs == mug.specs  # not overridden
    assert mug.localized("fr") is mug


def test_facts_text_english(demo: Catalog) -> None:
    text = demo.get("mug").facts_text()
    assert text.startswith(
        "Voyager Insulated Travel Mug: $24.99 (was $34.99, 29% off). 120 in stock."
    )
    assert "capacity 450 ml (15 oz)" in text
    assert "Dishwasher safe? Lid yes" in text
    assert "Hot 6 hours, cold 12 hours" in text
    assert "\n\n" not in text


def test_facts_text_chinese(demo: Catalog) -> None:
    text = demo.get("earbuds").facts_text("zh")
    assert text.startswith("Pulse Air 无线耳机：$39.99（原价$59.99，优惠33%）。库存85件。")
    assert "主动降噪" in text and "battery 8 hours" in text and "防水吗？" in text


def test_sold_out_and_no_discount(tmp_path: Path) -> None:
    cat = load_catalog(write(tmp_path, MINIMAL.replace("stock = 3", "stock = 0")))
    text = cat.get("a").facts_text()
    assert text == "Thing A: $10. sold out."


def test_offer_seconds_default_and_override(tmp_path: Path) -> None:
    text = "offer_minutes = 10\n" + MINIMAL + MINIMAL.replace('"a"', '"b"') + "offer_minutes = 2\n"
    cat = load_catalog(write(tmp_path, text))
    assert cat.offer_seconds("a") == 600
    assert cat.offer_seconds("b") == 120


def test_missing_images(tmp_path: Path) -> None:
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "a.png").write_bytes(b"x")
    text = MINIMAL + 'images = ["pics/a.png", "pics/gone.png"]\n'
    cat = load_catalog(write(tmp_path, text))
    assert cat.missing_images() == [tmp_path / "pics" / "gone.png"]


def test_error_names_file_product_and_field(tmp_path: Path) -> None:
    bad = MINIMAL + MINIMAL.replace('"a"', '"b"').replace("price = 10", "price = -1")
    path = write(tmp_path, bad)
    with pytest.raises(CatalogError) as e:
        load_catalog(path)
    msg = str(e.value)
    assert str(path) in msg
    assert "product 'b' (index 1): price: Input should be greater than 0" in msg


def test_error_for_nested_field_and_typo(tmp_path: Path) -> None:
    bad = MINIMAL + 'selling_point = ["x"]\n[[products.faq]]\nq = "Q?"\n'
    with pytest.raises(CatalogError) as e:
        load_catalog(write(tmp_path, bad))
    msg = str(e.value)
    assert "product 'a' (index 0): selling_point: unknown field (typo?)" in msg
    assert "faq.0.a: Field required" in msg


def test_error_without_an_id(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"product index 0: id: Field required"):
        load_catalog(write(tmp_path, MINIMAL.replace('id = "a"', "")))


def test_error_was_price_below_price(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="original_price .* lower than price"):
        load_catalog(write(tmp_path, MINIMAL + "original_price = 5\n"))


def test_error_duplicate_ids(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="duplicate product id 'a'"):
        load_catalog(write(tmp_path, MINIMAL + MINIMAL))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("offer_minutes = 5\n", "needs at least one"),
        ("[[products]\n", "not valid TOML"),
        ("colour = 1\n" + MINIMAL, "colour: unknown field"),
    ],
)
def test_file_level_errors(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(CatalogError, match=expected):
        load_catalog(write(tmp_path, text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="catalog file not found"):
        load_catalog(tmp_path / "nope.toml")


def test_numeric_specs_and_single_note_are_accepted(tmp_path: Path) -> None:
    text = MINIMAL + 'compliance_notes = "No claims."\n[products.specs]\nweight_g = 320\n'
    p: Product = load_catalog(write(tmp_path, text)).get("a")
    assert p.specs == {"weight_g": "320"}
    assert p.compliance_notes == ["No claims."]
    assert "weight g 320" in p.facts_text()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how much is the mug?", "mug"),
        ("do the EARBUDS come in white", "earbuds"),
        ("这个杯子多少钱？", "mug"),
        ("耳机防水吗", "earbuds"),
        ("can the desk lamp charge my phone?", "lamp"),
        ("Is the Lumen Arc bright?", None),  # part of a name is not a mention
        ("is it dishwasher safe?", None),
        ("my clamp broke", None),  # whole words only
        ("lamps or mugs?", "lamp"),  # earliest mention wins, plurals count
    ],
)
def test_find_mentioned(demo: Catalog, text: str, expected: str | None) -> None:
    found = demo.find_mentioned(text)
    assert (found.id if found else None) == expected


def test_the_brains_fields_are_checked_with_clear_messages(tmp_path) -> None:
    import pytest

    from vhost.brain.catalog import CatalogError, load_catalog

    path = tmp_path / "c.toml"
    path.write_text('[[products]]\nid = "a"\nname = "A"\nprice = 10\nstock = 1\ncategory = "toy"\nmin_age = -2\n',
                    encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert "category: Input should be 'cosmetics', 'kids'" in str(err.value) and "min_age" in str(err.value)
    path.write_text('[shop]\nshipping = 5\n[[products]]\nid = "a"\nname = "A"\nprice = 10\nstock = 1\n',
                    encoding="utf-8")
    with pytest.raises(CatalogError, match="shop.shipping: must be a non-empty text"):
        load_catalog(path)
    path.write_text('[shop]\nshipping = "Free in mainland China."\n[shop.i18n.zh]\nshipping = "大陆包邮。"\n'
                    '[[products]]\nid = "a"\nname = "A"\nprice = 10\nstock = 1\ncategory = "kids"\nmin_age = 3\n'
                    'notices = "Small parts."\n', encoding="utf-8")
    c = load_catalog(path)
    assert c.shop.policy("shipping", "zh") == "大陆包邮。" and c.shop.policy("returns") is None
    assert c.get("a").notices == ["Small parts."] and c.get("a").min_age == 3
