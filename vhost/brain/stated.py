"""Numbers a viewer states about a product ("only 99?", "5 layers right?", "2000流明才159？"),
checked against the catalog's facts: which fact a stated number contradicts.
"""

from __future__ import annotations

import re
import unicodedata

from vhost.brain.counting import counts_asked, wrong_count
from vhost.brain.grounding import UNIT_SPELLINGS, Claim, _to_digits, extract_claims
from vhost.brain.knowledge import UNIT_WORDS, Fact
from vhost.brain.own import viewer_numbers
from vhost.brain.reading import (
    _RANGE,
    _digits,
    alternatives,
    child_age,
    stated_prices,
)
from vhost.brain.retrieval import tokens
from vhost.brain.temperatures import agreeing

_NUMBER = re.compile(r"([A-Za-z]?)(\d+(?:\.\d+)?)([A-Za-z]*)")
_SIZE_X = {"", "x", "X"}  # "40x40"
# Units grounding does not list, and the words that say a number is a measure ("160 wide").
_MEASURE_WORDS = frozenset("meter meters metre metres feet foot ft kilometers kilometres miles pounds pound "
                           "wide long tall high deep thick big heavy large across diameter".split())
# After a number in Chinese: a particle, "多" (40多), or a unit of size or age, not a thing counted.
_ZH_NOT_COUNTED = frozenset("的了吧吗啊呀呢么嘛哦左多以上下个号码寸岁度米")
_CODE = re.compile(r"\b[A-Z]{2,4}\s+(\d+(?:\.\d+)?)")
_COUNTED = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]{2,}|[\u4e00-\u9fff])", re.IGNORECASE)


def _counting_else(text: str, fact: Fact) -> set[str]:
    """Numbers that count something the fact does not speak of ("ordering 3 packs", "PE 1.0 ok?",
    "3包"): a word after the number that is no unit and none of the fact's words."""
    said = set(fact.match) | set(fact.texts.values())
    words = {t for m in said for t in tokens(m)}
    out = set(_CODE.findall(text))  # "PE 1.0", "USB 3.0", "EU 42": a code, not a quantity
    for n, word in _COUNTED.findall(text):
        w = word.casefold()
        if w in UNIT_WORDS or w in UNIT_SPELLINGS or w in _MEASURE_WORDS or any(
                u.startswith(w) for u in UNIT_SPELLINGS if not u.isascii()):
            continue
        if word.isascii() and (not tokens(word) or tokens(word)[0] in words) and n != "1":
            continue  # "1 bucket" is "one bucket", a thing named, not a count to correct
        if not word.isascii() and (word in _ZH_NOT_COUNTED or any(word in m for m in said) or counts_asked(n + word, fact)):
            continue
        out.add(n)
    return out


# Words after a number that say it is money or a time, not a thing counted ("199 CNY", "99 or more").
_NOT_COUNTED_EN = frozenset("cny rmb yuan usd dollars bucks eur euros per for and or off more less than "
                            "each with from to the its and days hours minutes weeks months years".split())
_COUNT_EN = re.compile(r"(?<![A-Za-z\d.-])(\d+(?:\.\d+)?)\s+([a-z]{3,})\b", re.IGNORECASE)  # not "K75 keyboard"


def measures(facts: list[Fact]) -> frozenset[float]:
    """The quantities a product's facts give ("249 g", "5000 m"), and the things they count ("24
    nails in 12 sizes"): a bare number a viewer repeats from them ("还是249以下吗", "is it 24 nails
    per box") speaks of that measure or count, not of the price."""
    texts = [t for f in facts if f.kind not in ("price", "discount") for t in (*f.texts.values(), *f.questions)]
    counted = {float(n) for t in texts for n, w in _COUNT_EN.findall(t) if w.casefold() not in _NOT_COUNTED_EN}
    return frozenset({c.value for t in texts for c in extract_claims(t) if c.kind == "quantity"} | counted)


def bare_prices(text: str, price: float | None, known: frozenset[float] = frozenset()) -> list[str]:
    """`stated_prices`, less the numbers the product's facts give as a measure (`measures`)."""
    own = viewer_numbers(text)  # "im only 155": the viewer's height
    return [n for n in stated_prices(text, price) if float(n) not in known and n not in own]


def contradicts(text: str, fact: Fact, known: frozenset[float] = frozenset(),
                prices: frozenset[float] = frozenset()) -> bool:
    """The viewer states a number ("only 99?", "5 layers right?") that the fact does not hold
    (a number inside a range the fact gives, "230V" in "100-240 V", agrees with it). A price
    is read as a price (`stated_prices`), unless it is one of the product's `known` measures;
    "一套"/"买两件" state no number to correct; nor, against another fact, the product's own
    `prices` ("charger is 119? any deal with the cable": 119 is right, the deal is asked)."""
    if fact.kind == "age":
        return False
    if fact.kind in ("price", "discount"):
        price = float(fact.numbers[0]) if fact.numbers else None
        asked = set(bare_prices(text, price, known)) | {
            n for c in extract_claims(text) if c.kind in ("money", "percent")
            and not (c.value < 5 and c.text.endswith("块"))  # "一块买" is together, "一块还是一对" one piece
            for n in re.findall(r"\d+(?:\.\d+)?", _digits(c.text))}
    else:
        # a code is no quantity: "3C认证", "IP67", "PS5" (but "180g", "5 layers", "40mm" are)
        t = unicodedata.normalize("NFKC", text)
        asked = {n for pre, n, unit in _NUMBER.findall(t)
                 if pre in _SIZE_X and (unit in _SIZE_X or unit in ("C", "F") and float(n) >= 10 or unit.casefold() in UNIT_WORDS)} - _counting_else(t, fact)
    asked -= {str(a) for a in [child_age(text)] if a is not None}
    asked -= viewer_numbers(text)  # "my shelf gap is 80cm": theirs, nothing to correct
    asked -= agreeing(text, fact)  # "零下5度" inside "-10 °C to 55 °C"
    if fact.kind not in ("price", "discount"):
        asked -= offered_numbers(text)  # "500次还是1000次?" asks, it states neither
        asked = {a for a in asked if float(a) not in prices}
    if not asked or not fact.numbers or any(float(a) == float(n) for a in asked for n in fact.numbers):
        return False
    ranges = [(float(m.group(1)), float(m.group(2))) for t in fact.texts.values() for m in _RANGE.finditer(t)]
    return not any(lo <= float(a) <= hi for a in asked for lo, hi in ranges)


_EN_NUMBER_OR = re.compile(r"(\d+(?:\.\d+)?)\s*[a-z%]*\s+or\s+(\d+(?:\.\d+)?)", re.IGNORECASE)


def offered_numbers(text: str) -> set[str]:
    """Numbers a viewer offers as alternatives ("500次还是1000次", "500 or 1000 cycles?")."""
    out = {m for pair in _EN_NUMBER_OR.findall(unicodedata.normalize("NFKC", text)) for m in pair}
    for a, b in alternatives(text):
        out |= {w for w in a | b if re.fullmatch(r"\d+(?:\.\d+)?", w)}
    return out


def wrong_spec(text: str, facts: list[Fact]) -> Fact | None:
    """The spec a viewer states a quantity of, in its own unit, with a value it does not hold
    ("2000流明才159？" against "Max output: 800 lumens"): beside a price, the price is right and
    the spec is what needs correcting. A quantity of the viewer's own ("my old one was 500
    lumens") is not stated of the product."""
    theirs = {float(n) for n in viewer_numbers(text)}
    written = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", unicodedata.normalize("NFKC", text))}
    # in digits, as a spec is quoted ("一天能喂多少" states no quantity of a day)
    said = [c for c in extract_claims(text) if c.kind == "quantity" and c.value in written - theirs]
    for fact in facts if said else []:
        if fact.kind != "spec":
            continue
        held = [c for t in fact.texts.values() for c in extract_claims(t) if c.kind == "quantity"]
        ranges = [(float(m.group(1)), float(m.group(2))) for t in fact.texts.values() for m in _RANGE.finditer(t)]
        for claim in said:
            same = [h.value for h in held if h.unit == claim.unit]
            if same and claim.value not in same and not any(lo <= claim.value <= hi for lo, hi in ranges):
                return fact
    return None


def held_elsewhere(text: str, facts: list[Fact]) -> bool:
    """Every quantity the viewer states in digits ("精确到0.1克吗") is one a fact of the product
    gives in the same unit ("0.1 g steps up to 1 kg"): right, though not of the fact chosen to
    answer ("accuracy ±0.3 g"), so nothing to correct."""
    written = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", unicodedata.normalize("NFKC", text))}
    said = {(c.value, c.unit) for c in extract_claims(text) if c.kind == "quantity" and c.value in written}
    held = {(c.value, c.unit) for f in facts for t in f.texts.values() for c in extract_claims(t) if c.kind == "quantity"}
    return bool(said) and said <= held



def wrong_stated(text: str, facts: list[Fact], priced: bool) -> Fact | None:
    """The fact a viewer's stated quantity or count gets wrong: a spec beside a price (`priced`,
    `wrong_spec`), a count of the product's things at any time (counting.wrong_count), or a
    measure misremembered (`misremembered`)."""
    return ((wrong_spec(text, facts) if priced else None) or wrong_count(text, facts, viewer_numbers(text))
            or misremembered(text, facts) or wrong_grade(text, facts))


# A grade by its letter: "class A", "grade B", "A类", "B级".
_GRADE = re.compile(r"(?i)\b(?:class|grade|category|cat)\s*([a-d])\b|(?<![a-z])([a-d])\s*(?:类|级)")


def wrong_grade(text: str, facts: list[Fact]) -> Fact | None:
    """The fact giving the grade a viewer states wrongly ("the kids set is class A baby grade
    right?" against "GB 31701 Class B"): one fact grades the product, by another letter."""
    said = {a.casefold() for m in _GRADE.finditer(text) for a in m.groups() if a}
    graded = [(f, {a.casefold() for t in f.texts.values() for m in _GRADE.finditer(t) for a in m.groups() if a})
              for f in facts if f.kind in ("spec", "faq", "point")]
    graded = [(f, g) for f, g in graded if g]
    if not said or not graded or any(said & g for _f, g in graded):
        return None
    return graded[0][0]


_NEAR = 1.25  # a misremembered measure is within this factor of the true one


def misremembered(text: str, facts: list[Fact]) -> Fact | None:
    """The fact a measure stated of the product is a slip of ("表盘38mm的对吧" against "case
    diameter: 36 mm", not the 7 mm thickness or the 16 mm strap): no fact holds it in its unit,
    and one holds a value of that unit within `_NEAR` of it, nearer than any other."""
    theirs = {float(n) for n in viewer_numbers(text)}
    written = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", unicodedata.normalize("NFKC", text))}
    said = [c for c in extract_claims(text) if c.kind == "quantity" and c.value in written - theirs and c.value > 0]
    held = [(f, c) for f in facts if f.kind in ("spec", "faq", "point") for t in f.texts.values()
            for c in extract_claims(t) if c.kind == "quantity" and c.value > 0]
    ranges = [(float(m.group(1)), float(m.group(2))) for f, _ in held for t in f.texts.values() for m in _RANGE.finditer(t)]
    near: list[tuple[float, Fact]] = []
    named: set[int] = set()
    for claim in said:
        same = [(f, h.value) for f, h in held if h.unit == claim.unit]
        if any(v == claim.value for _, v in same) or any(lo <= claim.value <= hi for lo, hi in ranges):
            return None  # the product has it: nothing to correct
        near += [(max(v, claim.value) / min(v, claim.value), f) for f, v in same]
        thing = _thing_of(text, claim)
        keyed = [f for f, h in held if thing and h.unit == claim.unit and thing in tokens(f.key or "")]
        if keyed:  # "the same 5m cable" against "Cable length: 7 m": the cable's, however far off
            return keyed[0]
        named |= {id(f) for f, h in held if thing and h.unit == claim.unit and any(
            _thing_of(t, h) == thing for t in f.texts.values())}
    if len(named) == 1:  # against "7 m cable and IP65 enclosure"
        return next(f for f, _ in held if id(f) in named)
    near.sort(key=lambda n: n[0])
    if near and (near[0][0] <= _NEAR or _RECALLED.search(text) and len({id(f) for _, f in near}) == 1) and (
            len(near) == 1 or near[1][0] > near[0][0] or near[1][1] is near[0][1]):
        return near[0][1]
    return None


_THING = re.compile(r"\s*(?:of\s+)?([a-z]{3,})|的?([\u4e00-\u9fff])", re.IGNORECASE)


def _thing_of(text: str, claim: Claim) -> str | None:
    """The thing a quantity is of, the word right after it ("5m cable" -> "cable", "5米的线" ->
    "线"), when `claim` was read from `text`."""
    t = _to_digits(text)
    at = t.find(claim.text)
    m = _THING.match(t, at + len(claim.text)) if at >= 0 else None
    return (m.group(1) or m.group(2)).casefold() if m else None


# A value the viewer says they were told ("刚才是不是说这手套能扛零下40度？", "my buddy told me it's
# 8 hours"): when one fact alone gives that unit, it is the one to correct, however far off.
_RECALLED = re.compile(r"(?i)刚才.{0,3}说|是不是说|不是说|听说|主播说|说是|(?:told me|heard|said|was told)")
