"""Catalog import from JSON and CSV: same schema, same validation, errors name file, product,
row and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vhost.brain.catalog import CatalogError, load_catalog

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo" / "catalog.toml"

CSV = """id,name,price,currency,original_price,stock,images,selling_points,specs,faq,compliance_notes,name.zh,selling_points.zh,faq.zh
kettle,Brew Kettle,39,USD,49,12,pics/k.png,Boils in 3 minutes | Auto shut-off,capacity: 1.7 l | power: 1500 W,Cordless? => Yes. | Warranty? => 2 years.,No health claims.,煮水壶,3分钟烧开 | 自动断电,无线吗？ => 是的。 | 保修多久？ => 2年。
,,,,,,,,,,,,,
cup,Plain Cup,5,USD,,100,,,,,,,,
"""


def test_csv_import(tmp_path: Path) -> None:
    path = tmp_path / "shop.csv"
    path.write_text("\ufeff" + CSV, encoding="utf-8")  # Excel's BOM is tolerated
    cat = load_catalog(path)
    assert cat.ids == ["kettle", "cup"]
    k = cat.get("kettle")
    assert k.price == 39 and k.original_price == 49 and k.stock == 12
    assert k.images == [tmp_path / "pics" / "k.png"]
    assert k.selling_points == ["Boils in 3 minutes", "Auto shut-off"]
    assert k.specs == {"capacity": "1.7 l", "power": "1500 W"}
    assert [f.q for f in k.faq] == ["Cordless?", "Warranty?"] and k.faq[1].a == "2 years."
    assert k.compliance_notes == ["No health claims."]
    zh = k.localized("zh")
    assert zh.name == "煮水壶" and zh.selling_points[0] == "3分钟烧开" and zh.faq[0].a == "是的。"
    assert cat.get("cup").original_price is None


def test_json_import_matches_toml(tmp_path: Path) -> None:
    toml_cat = load_catalog(DEMO)
    data = toml_cat.model_dump(mode="json")
    path = tmp_path / "catalog.json"  # image paths in the dump are absolute already
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_catalog(path) == toml_cat
    bare = tmp_path / "list.json"
    bare.write_text(json.dumps([{"id": "a", "name": "A", "price": 1, "stock": 1}]), "utf-8")
    assert load_catalog(bare).ids == ["a"]


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("bad.csv", "id,name,price,stock\nmug,Mug,-3,1\n",
         r"bad.csv: product 'mug' \(row 2\): price: Input should be greater than 0"),
        ("bad.csv", "id,name,price,stok\nmug,Mug,3,1\n", r"unknown column 'stok' \(typo\?\)"),
        ("bad.csv", "id,name,price,stock,specs\nmug,Mug,3,1,heavy\n",
         r"row 2: specs: 'heavy' is not 'key: value'"),
        ("bad.csv", "id,name,price,stock,faq\nmug,Mug,3,1,no arrow\n",
         r"row 2: faq: 'no arrow' is not 'question => answer'"),
        ("bad.csv", "name,price\nMug,3\n", "header row needs at least"),
        ("bad.csv", "id,name,price,stock,color.zh\nmug,Mug,3,1,红\n", "unknown column 'color.zh'"),
        ("bad.json", "{not json", "not valid JSON"),
        ("bad.json", '"text"', "expected an object"),
        ("bad.json", '{"products": [{"id": "a", "name": "A", "price": 1, "stock": "x"}]}',
         r"product 'a' \(index 0\): stock: Input should be a valid integer"),
        ("missing.csv", None, "catalog file not found"),
    ],
)
def test_import_errors_name_the_file_row_and_field(tmp_path: Path, name: str, text: str | None,
                                                   expected: str) -> None:
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=expected) as e:
        load_catalog(path)
    assert str(path) in str(e.value)
