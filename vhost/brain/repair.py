"""Correct a wrong number in a draft when the catalog says unambiguously what it should be.

The grounding check (vhost.brain.grounding) only says *that* a number is wrong. Holding the whole
fragment back costs the viewer an answer, so when the fix is unambiguous it is made instead:

- a price in the wrong currency whose value is a catalog price ("24.99元" on a USD product);
- a price next to a price cue ("only", "it's", "售价", "只要") -> the price; next to "was"/"原价"
  -> the original price; next to "save"/"省" -> the saving;
- a discount next to "off"/"折"/"优惠" -> the catalog discount;
- a stock count -> the stock;
- a quantity whose unit has exactly one value in the product's facts ("12 brightness levels"
  when the lamp has 5 levels).

Anything else (two candidate values, a number spelled out in words we cannot locate, a range) is
left unresolved, and the caller holds the fragment back. Every correction is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vhost.brain.catalog import Catalog, Product
from vhost.brain.grounding import (
    Claim,
    _fmt,
    _to_digits,
    allowed_claims,
    backed,
    check_grounding,
    extract_claims,
)

_ZH_CURRENCY = {"USD": "美元", "CNY": "元", "EUR": "欧元", "GBP": "英镑", "JPY": "日元"}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Looked for in the ~24 characters before a money claim.
_WAS_CUE = re.compile(r"(was|originally|original|regular|usually|normally|list|原价|之前|平时)",
                      re.IGNORECASE)
_SAVE_CUE = re.compile(r"(save|saving|off|省|便宜了|减)", re.IGNORECASE)
_PRICE_CUE = re.compile(
    r"(price|cost|costs|only|just|now|it'?s|is|for|pay|deal|售价|价格|只要|只需|现价|到手|仅|才|卖|是)",
    re.IGNORECASE,
)
_DISCOUNT_CUE = re.compile(r"(off|discount|折|优惠|省|便宜)", re.IGNORECASE)


@dataclass
class Repair:
    text: str
    corrections: list[str] = field(default_factory=list)  # "'$19.99' -> '$24.99' (price)"
    unresolved: list[str] = field(default_factory=list)  # mismatches that could not be fixed

    @property
    def ok(self) -> bool:
        return not self.unresolved


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def _money_text(product: Product, value: float, zh: bool) -> str:
    if zh:
        return _fmt(round(value, 2)) + _ZH_CURRENCY.get(product.currency, product.currency)
    return product.format_price(value)


def _target(claim: Claim, before: str, after: str, product: Product,
            catalog: Catalog) -> tuple[float, str] | None:
    """The catalog value this wrong claim must have meant, or None when that is not clear."""
    if claim.kind == "money":
        if _WAS_CUE.search(before):
            if product.original_price is None:
                return None
            return product.original_price, "original price"
        saving = _SAVE_CUE.search(before) or re.match(r"\s*(off|less)\b", after, re.IGNORECASE)
        if saving and product.original_price is not None:
            return round(product.original_price - product.price, 2), "saving"
        if _PRICE_CUE.search(before):
            return product.price, "price"
        return None
    if claim.kind == "percent":
        # "100% leak-proof" is no discount: only a percentage said as a discount is fixed.
        if product.discount_percent is not None and (
            _DISCOUNT_CUE.search(before[-8:]) or _DISCOUNT_CUE.match(after.lstrip())
            or "折" in claim.text
        ):
            return float(product.discount_percent), "discount"
        return None
    if claim.kind == "stock":
        return float(product.stock), "stock"
    values = {f.value for f in allowed_claims(product, catalog)
              if f.kind == "quantity" and f.unit == claim.unit}
    if len(values) == 1:
        return values.pop(), claim.unit
    return None


def _replacement(claim: Claim, value: float, product: Product, zh: bool) -> str:
    if claim.kind == "money":
        return _money_text(product, value, zh)
    if claim.kind == "percent" and "折" in claim.text:
        return f"优惠{_fmt(value)}%"
    # Keep the unit as written; swap only the number.
    return _NUMBER.sub(_fmt(value), claim.text, count=1)


def repair_claims(text: str, product: Product, catalog: Catalog) -> Repair:
    """`text` with every unambiguously wrong number replaced by the catalog's; see module doc."""
    result = Repair(text)
    if check_grounding(text, product, catalog).grounded:
        return result
    facts = allowed_claims(product, catalog)
    currencies = {product.currency, *(o.currency for o in catalog.others(product.id))}
    zh = _has_cjk(text)
    claims = extract_claims(text)
    digits = _to_digits(text)
    for claim in claims:
        wrong_currency = claim.kind == "money" and claim.unit and claim.unit not in currencies
        if not wrong_currency and backed(claim, digits, facts):
            continue
        pos = result.text.find(claim.text)
        same_span = sum(1 for c in claims if c.text == claim.text)
        if pos < 0 or same_span > 1 or len(_NUMBER.findall(claim.text)) > 1:
            # Spelled-out numbers (rewritten before matching) or ranges: no safe edit.
            result.unresolved.append(f"'{claim.text}': cannot be corrected safely")
            continue
        before = result.text[max(0, pos - 24):pos]
        after = result.text[pos + len(claim.text):pos + len(claim.text) + 12]
        if wrong_currency and any(
            f.kind == "money" and abs(f.value - claim.value) < 0.005 for f in facts
        ):
            target: tuple[float, str] | None = (claim.value, "currency")
        else:
            target = _target(claim, before, after, product, catalog)
        if target is None:
            result.unresolved.append(f"'{claim.text}': more than one catalog value could be meant")
            continue
        new = _replacement(claim, target[0], product, zh)
        result.text = result.text[:pos] + new + result.text[pos + len(claim.text):]
        result.corrections.append(f"'{claim.text}' -> '{new}' ({target[1]})")
    if result.ok and not check_grounding(result.text, product, catalog).grounded:
        result.unresolved.extend(check_grounding(result.text, product, catalog).mismatches)
    return result
