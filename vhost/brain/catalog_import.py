"""Catalogs from a shop's export: JSON (the TOML structure) or CSV (one product per row).

CSV columns (header row; empty cells are left out; unknown columns are an error):
    id, name, price, currency, original_price, stock, tagline, offer_minutes,
    images, selling_points, aliases, compliance_notes   lists, items separated by " | "
    specs                                               "capacity: 450 ml | weight: 320 g"
    faq                                                 "Dishwasher safe? => Lid yes. | Q2 => A2"
    name.zh, tagline.zh, selling_points.zh, faq.zh, specs.zh   per-language overrides
Both return the same dict shape as the TOML file, so one validator reports every error with the
file, the product and the field; CSV errors also give the row.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

_LIST_SEP = "|"
_SCALARS = ("id", "name", "price", "currency", "original_price", "stock", "tagline",
            "offer_minutes")
_LISTS = ("images", "selling_points", "aliases", "compliance_notes")
_I18N = ("name", "tagline", "selling_points", "faq", "specs")


class ImportProblem(ValueError):
    """A file-level problem; the caller prefixes the path."""


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ImportProblem(f"not valid JSON: {e}") from e
    if isinstance(data, list):  # a bare list of products
        data = {"products": data}
    if not isinstance(data, dict):
        raise ImportProblem("expected an object with a 'products' list (or a list of products)")
    return data


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split(_LIST_SEP) if x.strip()]


def _specs(cell: str, row: int, col: str) -> dict[str, str]:
    out = {}
    for item in _split(cell):
        key, sep, value = item.partition(":")
        if not sep or not key.strip():
            raise ImportProblem(f"row {row}: {col}: '{item}' is not 'key: value'")
        out[key.strip()] = value.strip()
    return out


def _faq(cell: str, row: int, col: str) -> list[dict[str, str]]:
    out = []
    for item in _split(cell):
        q, sep, a = item.partition("=>")
        if not sep:
            raise ImportProblem(f"row {row}: {col}: '{item}' is not 'question => answer'")
        out.append({"q": q.strip(), "a": a.strip()})
    return out


def read_csv(path: Path) -> tuple[dict[str, Any], list[int]]:
    """(catalog dict, the CSV row number of each product) from a CSV export."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # Excel writes a BOM
    except UnicodeDecodeError as e:
        raise ImportProblem(f"not UTF-8 text: {e}") from e
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    if "id" not in header:
        raise ImportProblem("the header row needs at least the columns id, name, price, stock")
    for col in header:
        base, _, lang = col.partition(".")
        known = base in _SCALARS or base in _LISTS or base in ("specs", "faq")
        if lang and base not in _I18N or not known:
            raise ImportProblem(f"unknown column '{col}' (typo?)")
    products: list[dict[str, Any]] = []
    rows: list[int] = []
    for n, rec in enumerate(reader, start=2):
        if not any((v or "").strip() for v in rec.values()):
            continue  # blank line
        if None in rec:
            raise ImportProblem(f"row {n}: more cells than header columns")
        p: dict[str, Any] = {}
        for col, cell in rec.items():
            cell = (cell or "").strip()
            if not cell:
                continue
            base, _, lang = col.partition(".")
            target = p.setdefault("i18n", {}).setdefault(lang, {}) if lang else p
            if base in _LISTS or base == "selling_points":
                target[base] = _split(cell)
            elif base == "specs":
                target[base] = _specs(cell, n, col)
            elif base == "faq":
                target[base] = _faq(cell, n, col)
            else:
                target[base] = cell
        products.append(p)
        rows.append(n)
    return {"products": products}, rows
