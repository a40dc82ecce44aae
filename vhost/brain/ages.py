"""The ages a product's own words allow: a floor ("ages 3 and up", "6+", "3岁以上", "3 months+") when
the catalog has no `min_age`, and a ceiling ("5-12 years", "适合5-12岁"): a 15-year-old is past a
kids' watch made for 5-12, whatever its floor says."""

from __future__ import annotations

import re
import unicodedata

from vhost.brain.catalog import Product
from vhost.brain.grounding import _to_digits
from vhost.brain.knowledge import Fact

_MIN_AGE = re.compile(r"(?:ages?|aged)\s*(\d{1,2})\s*(?:\+|and up|and over|or older|and older)"
                      r"|(\d{1,2})\s*\+\s*(?:years?|yrs?)?|(\d{1,2})\s*(?:岁|周岁)(?:及)?以上"
                      # a warning's floor: "not recommended for children under 12", "12岁以下儿童...不建议"
                      r"|(?:not (?:recommended|suitable|for)|should not|must not)[^.;]{0,40}?(?:children|kids) "
                      r"(?:under|below|younger than) (\d{1,2})|(\d{1,2})\s*岁以下[^。；;]{0,30}?不(?:建议|宜|适合|推荐|可)"
                      # a sale's floor (alcohol, blades): "not sold to anyone under 18", "未满18周岁不售"
                      r"|(?:not (?:be )?sold|do not sell|don'?t sell|never sell)[^.;]{0,30}?(?:under|below|younger than)\s*(\d{1,2})"
                      r"|未满(\d{1,2})\s*周?岁[^。；;]{0,8}?(?:不售|不卖|禁止|谢绝|勿购|的人销售)",
                      re.IGNORECASE)
# Not for children at all ("It is not meant for children; for children aged 3 and up, use the kids'
# one"): the ages named are another product's, no floor of this one.
_NOT_FOR_KIDS = re.compile(r"not (?:meant |made |intended |suitable |recommended |designed )?for (?:use by )?(?:children|kids)"
                           r"(?!\s*(?:under|below|younger|aged?\s*\d|\d))|(?:不适合|不宜|不建议|不推荐)(?:给)?(?:儿童|小孩|孩子|宝宝)"
                           r"(?!\d)|(?:儿童|小孩|孩子)(?:不宜|勿用|禁用|不适用)", re.IGNORECASE)
_MIN_MONTHS = re.compile(r"(\d{1,2})\s*(months?|weeks?|个月|周)\s*(?:\+|以上|and up|and older|or older|of age)|"
                         r"(?:from|over|above|at least|适用于|适合|^)\s*(\d{1,2})\s*(months?|weeks?|个月|周)"
                         r"(?=\s*(?:\+|以上|及以上|and up|to\b|-|–|至|到|$|[.。,，]))", re.IGNORECASE)
# A range of ages in years ("ages 5-12", "5 to 12 years", "适合5-12岁", "5~12周岁").
_AGE_RANGE = re.compile(r"(\d{1,2})\s*(?:-|–|~|～|to|至|到)\s*(\d{1,2})\s*(?:years?|yrs?|岁|周岁)|"
                        r"ages?\s*(\d{1,2})\s*(?:-|–|~|to)\s*(\d{1,2})\b", re.IGNORECASE)


def stated_min_months(texts: list[str]) -> int | None:
    """A floor in months a product's own words state ("3 months+", "3个月以上", "from 12 weeks"),
    for babies and pets whose limits are not whole years."""
    for text in texts:
        t = _to_digits(unicodedata.normalize("NFKC", text))
        m = _MIN_MONTHS.search(t)
        if m:
            n, unit = next((g, u) for g, u in ((m.group(1), m.group(2)), (m.group(3), m.group(4))) if g)
            return int(n) if not unit.lower().startswith(("week", "周")) else max(1, round(int(n) * 7 / 30.44))
    return None


def stated_min_age(texts: list[str]) -> int | None:
    """The youngest age a product's own words allow ("ages 3 and up", "6+", "3岁以上"), when the
    catalog has no `min_age`."""
    for text in texts:
        t = _to_digits(unicodedata.normalize("NFKC", text))
        if _NOT_FOR_KIDS.search(t):
            return None
        m = _MIN_AGE.search(t)
        if m:
            return int(next(g for g in m.groups() if g))
    return None


def stated_age_range(texts: list[str]) -> tuple[int, int] | None:
    """The ages a product's own age words give as a range ("5-12 years", "适合5-12岁"), else None."""
    for text in texts:
        m = _AGE_RANGE.search(_to_digits(unicodedata.normalize("NFKC", text)))
        if m:
            lo, hi = (int(g) for g in (m.groups()[:2] if m.group(1) else m.groups()[2:]))
            if lo < hi <= 18:
                return lo, hi
    return None


def age_range(facts: list[Fact]) -> tuple[int, int, str] | None:
    """The ages a product's age facts give as a range ("5-12 years"), with the fact's id."""
    for f in facts:
        if "age" in f.attrs and f.product_id is not None and (span := stated_age_range(list(f.texts.values()))):
            return span[0], span[1], f.id
    return None


def min_months_fact(facts: list[Fact]) -> tuple[int, str] | None:
    """A floor in months a product's age facts state ("3 months+", "适用于3个月以上"), with the fact."""
    for f in facts:
        if "age" in f.attrs and f.product_id is not None:
            n = stated_min_months(list(f.texts.values()))
            if n is not None:
                return n, f.id
    return None


def min_age_of(product: Product, facts: list[Fact]) -> tuple[int | None, str]:
    """The catalog's `min_age`, else an age floor the product's own age facts state ("aged 3 and
    up"), with the fact that says it."""
    if product.min_age is not None:
        return product.min_age, f"{product.id}/age"
    for f in facts:
        if "age" in f.attrs and f.product_id is not None:
            n = stated_min_age(list(f.texts.values()))
            if n is not None:
                return n, f.id
    return None, ""
