"""A fact that answers better than the asked attribute's best: "备用绳多少钱?" asks the spare rope's
price (an FAQ), not the product's; "纱帘定制一米多少钱" a price per metre, not the panel's; "买回去怎么
磨刀?" asks about sharpening, not how to buy; "how long does the battery last?" a duration, not
the 4,400 mAh of the battery spec."""

from __future__ import annotations

import re
from collections.abc import Callable

from vhost.brain import attributes
from vhost.brain.knowledge import Fact
from vhost.brain.reading import wanted_value
from vhost.brain.retrieval import Scored

STATING = ("spec", "faq", "policy", "price", "discount", "stock", "age", "notice")
MONEY = re.compile(r"\d+(?:\.\d+)?\s*(?:cny|rmb|yuan|元|块(?:钱|(?![\d.]|[\u4e00-\u9fff]))|usd|美元)|[¥$￥]\s*\d", re.IGNORECASE)
# A price asked per unit ("一米多少钱", "每平方多少", "how much per metre") and how a fact says that unit.
_PER_UNIT = (
    (re.compile(r"(?:一|每|1)\s*米(?!色|白|黄)|\b(?:per|a|each|/)\s*(?:metre|meter|m)\b", re.I),
     re.compile(r"per\s+(?:running\s+)?(?:metre|meter|m)\b|/\s*m(?![²2\w])|每米|(?:一|1)米", re.I)),
    (re.compile(r"(?:一|每|1)\s*(?:平|平方|平米|㎡)|\b(?:per|a|each|/)\s*(?:square|sq\.?\s*m|sqm|m²|m2)\b", re.I),
     re.compile(r"per\s+(?:square|sq\.?\s*m|sqm|m²|m2)|/\s*(?:m²|m2|㎡)|每平方?米?|平方米", re.I)),
    (re.compile(r"(?:一|每|1)\s*(?:公斤|千克)|\b(?:per|a|each|/)\s*(?:kg|kilo)\b", re.I),
     re.compile(r"per\s+(?:kg|kilo)|/\s*kg|每公斤|每千克", re.I)),
)


def per_unit_price(hit: Scored, ranked: list[Scored], text: str) -> Scored | None:
    """The fact giving a price per the unit asked ("纱帘定制一米多少钱" -> "59 CNY per metre"),
    when the attribute's best gives none."""
    for asked, said in _PER_UNIT:
        if asked.search(text) and not said.search(" ".join(hit.fact.texts.values())):
            return next((s for s in ranked[:8] if MONEY.search(t := " ".join(s.fact.texts.values()))
                         and said.search(t)), None)
    return None


def instead(hit: Scored, ranked: list[Scored], wanted: set[str], text: str) -> Scored:
    """The attribute's best fact, unless another fact holds the question's words far better:
    "备用绳多少钱?" asks the spare rope's price (an FAQ), not the product's; "买回去怎么磨刀?"
    asks about sharpening, not how to buy."""
    if not wanted & attributes.GENERIC or hit.fact.key in wanted:
        return hit
    money = wanted & {"price", "discount"}
    if money and (per := per_unit_price(hit, ranked, text)) is not None:
        return per
    for s in ranked[:5]:
        if s.fact.id == hit.fact.id or s.fact.kind == "notice" or (
                s.fact.product_id is None and not wanted & set(s.fact.attrs)):
            continue  # a shop policy is about the shop: "选好颜色" in how-to-buy gives no colours
        if money and MONEY.search(" ".join(s.fact.texts.values())) and (
                s.words >= max(0.3, hit.words + 0.2) or s.meaning >= max(0.7, hit.meaning + 0.2)):
            return s  # "奶嘴可以单买吗 多少钱": the FAQ pricing the nipples, not the bottle
        if not money and s.fact.kind in STATING and s.words >= 0.6 and hit.words <= 0.3:
            return s
    return hit



def price_list(ranked: list[Scored], attrs: list[str]) -> Scored | None:
    """For a price asked with another attribute ("rug sizes & prices"), the fact that prices each
    of its values ("120 x 170 cm: 199 CNY; 160 x 230 cm: 329 CNY; ..."), when there is one."""
    if "price" not in attrs[:2] or len(attrs) < 2:
        return None
    return next((s for s in ranked if set(attrs[:2]) <= set(s.fact.attrs)
                 and len(MONEY.findall(" ".join(s.fact.texts.values()))) >= 2 * len(s.fact.texts)), None)


def of_kind_asked(part: str, best: Scored | None, ranked: list[Scored], fits: Callable[[Fact], bool],
                  min_score: float) -> Scored | None:
    """For a second question in a message ("price? n how long does the battery last"): the fact
    giving the kind of value it asks (a duration: "16 hours on one charge") when its best gives
    none ("Battery: 4,400 mAh"); `fits`: the fact answers the part's attribute."""
    want = wanted_value(part)
    if best is None or want is None or want.search(" ".join(best.fact.texts.values())):
        return best
    return next((s for s in ranked[:6] if s.score >= min_score and fits(s.fact)
                 and want.search(" ".join(s.fact.texts.values()))), best)
