"""A viewer's own measure against a range the catalog gives, in the same unit: "I've got a 250L
tank, is one enough?" against "Tank size: 60-120 L", "im only 150cm, will it fit me?" against
"适合身高165-190厘米". Inside the range the fact answers; outside it the product is not suitable,
and the host says so with the range (never a yes the catalog does not hold)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from vhost.brain.grounding import UNIT_SPELLINGS, unit_of
from vhost.brain.knowledge import Fact
from vhost.brain.own import viewer_numbers

# The units a thing of the viewer's is measured in (grounding's spellings: "250L" meets "60-120 L",
# "150cm" meets "165-190厘米"), and floor areas, which no claim check reads. Not durations: "3
# days ok?" against "ships in 1-2 days" is no fit.
_MEASURES = frozenset({"l", "ml", "cm", "mm", "kg", "g", "inch", "w"})
_AREA = ("m2", "m²", "㎡", "sqm", "平米", "平方米", "平")
_SPELLINGS = [s for s in UNIT_SPELLINGS if unit_of(s) in _MEASURES] + list(_AREA)
_UNIT = "|".join(sorted((re.escape(u) for u in _SPELLINGS), key=len, reverse=True))
_VALUE = re.compile(rf"(\d+(?:\.\d+)?)\s*({_UNIT})(?![a-z])", re.IGNORECASE)
_RANGE = re.compile(rf"(\d+(?:\.\d+)?)\s*(?:{_UNIT})?\s*(?:-|–|~|到|至|to)\s*(\d+(?:\.\d+)?)\s*({_UNIT})(?![a-z])",
                    re.IGNORECASE)
# The message asks whether it suits ("will it fit me?", "enough?", "够不够", "能用吗").
_ASKS_FIT = re.compile(r"(?i)\b(?:fit|fits|ok|okay|enough|work|works|suitable|good for|big enough|handle|still use|use it|"
                       r"go (?:that|so|this) (?:wide|high|far|big|low|small|narrow|long)|adjust (?:to|that))\b|能调到|调得到|"
                       r"够|能用|行不行|合适|适合|可以吗|能装|装得下|带得动|撑得住|能戴|戴得下|能穿|穿得下")
# A body measure given without its unit ("头围51", "身高118"): centimetres.
_BODY = re.compile(r"(?i)(?:头围|身高|胸围|腰围|臀围|掌围|腕围|\bhead(?: circumference)?|\bheight|\bchest|\bwaist|\bhips?)"
                   r"\s*(?:是|有|才|大概|约|is|of)?\s*(\d{2,3}(?:\.\d+)?)(?!\s*(?:[\d.]|斤|kg|公斤|lbs?|cm|厘米|公分|mm|毫米|m\b|米))")


# A most the catalog gives: "Max rider weight: 50 kg", "holds up to 15 kg", "最大承重100公斤".
_MOST = re.compile(rf"(?i)(?:\bmax(?:imum)?\b|\bup to\b|\bat most\b|最大|最多|最高|不超过|限重|承重)"
                   rf"[^\d\n]{{0,24}}?(\d+(?:\.\d+)?)\s*({_UNIT})(?![a-z])")
# A weight in the viewer's units that catalogs seldom use, in kg: "110斤", "120 lbs".
_OWN_WEIGHT = re.compile(r"(?i)(\d+(?:\.\d+)?)\s*(斤|lbs?\b|pounds?\b)")
_KG_PER = {"斤": 0.5, "lb": 0.4536, "lbs": 0.4536, "pound": 0.4536, "pounds": 0.4536}
# A weight said of the product, not of the viewer's own: "能承重200斤吧".
_OF_PRODUCT = re.compile(r"(?:承重|载重|限重|最大|最多|承受|holds?|takes?|supports?|max)\s*$", re.IGNORECASE)
_ASKS_BEAR = re.compile(r"(?i)\b(?:ride|sit on|stand on|hold|support|carry|get over|climb|cross)\b|能骑|能坐|能站|骑得|坐得|承受|受得了|撑得住|"
                        r"过得去|上得去|爬得上|翻得过|能过|越过")


@dataclass(frozen=True)
class RangeVerdict:
    fact: Fact
    value: float
    low: float
    high: float
    unit: str
    said: str = ""  # the viewer's own words for the value ("110斤"), when a most is against it

    @property
    def inside(self) -> bool:
        return self.low <= self.value <= self.high


def _unit(u: str) -> str:
    return "m²" if u.casefold() in _AREA else unit_of(u) or ""


def _num(x: float) -> str:
    return f"{x:g}"


def range_verdict(text: str, facts: list[Fact]) -> RangeVerdict | None:
    """The first fact whose range, in the unit of a measure the message gives, speaks to it;
    None when the message does not ask whether it suits, or states the range itself."""
    t = unicodedata.normalize("NFKC", text)
    if not _ASKS_FIT.search(t) or _RANGE.search(t):
        return None
    values = [(float(m.group(1)), _unit(m.group(2))) for m in _VALUE.finditer(t)]
    values += [(float(m.group(1)), "cm") for m in _BODY.finditer(t)]
    for fact in facts:
        said = unicodedata.normalize("NFKC", " ".join(fact.texts.values()))
        spans = [(_unit(m.group(3)), *sorted((float(m.group(1)), float(m.group(2))))) for m in _RANGE.finditer(said)]
        for value, u in values:
            mine = [(lo, hi) for unit, lo, hi in spans if unit == u]
            if not mine:
                continue
            # a size table has a row per range ("S 155-165 cm; M 165-175 cm"): any row that holds
            # the value suits; outside them all, the whole span is what the product is made for
            inside = next(((lo, hi) for lo, hi in mine if lo <= value <= hi), None)
            low, high = inside or (min(lo for lo, _ in mine), max(hi for _, hi in mine))
            return RangeVerdict(fact, value, low, high, u)
    return None


def limit_verdict(text: str, facts: list[Fact]) -> RangeVerdict | None:
    """A measure of the viewer's own against the first most a fact gives in its unit ("孩子110斤能骑
    吗" and "Max rider weight: 50 kg"); None when the message does not ask whether it suits or
    holds, or the measure is one it says of the product ("it holds 80kg right?": a claim to
    correct, and a number not to say back)."""
    t = unicodedata.normalize("NFKC", text)
    if not (_ASKS_FIT.search(t) or _ASKS_BEAR.search(t)) or _RANGE.search(t):
        return None
    own = viewer_numbers(t)
    values = [(float(m.group(1)), _unit(m.group(2)), m.group(0)) for m in _VALUE.finditer(t)
              if m.group(1) in own]
    values += [(float(m.group(1)) * _KG_PER[m.group(2).casefold()], "kg", m.group(0).strip())
               for m in _OWN_WEIGHT.finditer(t)
               if m.group(1) in own or (m.group(2) == "斤" and not _OF_PRODUCT.search(t[:m.start()]))]
    # The largest most in the unit: a basket's "up to 5 kg" is no rider's limit, and over the
    # largest the product holds the measure nowhere.
    mosts = [(float(m.group(1)), _unit(m.group(2)), fact) for fact in facts
             for m in _MOST.finditer(unicodedata.normalize("NFKC", " ".join(fact.texts.values())))]
    for value, u, words in values:
        most = max((m for m in mosts if m[1] == u), key=lambda m: m[0], default=None)
        if most is not None:
            return RangeVerdict(most[2], value, 0.0, most[0], u, said=words)
    return None


def outside_line(verdict: RangeVerdict, lang: str) -> str:
    """"It's made for 60-120 L, so not for 250 L." in the viewer's language; against a most, "It
    takes at most 50 kg, so not 110 lbs." in the viewer's own words for their measure."""
    lo, hi, v, u = _num(verdict.low), _num(verdict.high), _num(verdict.value), verdict.unit
    if u == "grade":  # vhost.brain.grades: the viewer's grade in their own words ("高二")
        return (f"这款内容是{lo}-{hi}年级的，{verdict.said}不合适哦。" if lang == "zh"
                else f"It covers grades {lo}-{hi}, so it's not made for {verdict.said}.")
    if u == "degree":  # vhost.brain.temperatures: below zero in words ("零下30度")
        said = f"零下{_num(-verdict.value)}度" if verdict.value < 0 else f"{v}度"
        return (f"这款工作温度是{lo}°C至{hi}°C，{said}不合适哦。" if lang == "zh"
                else f"It's rated for {lo} °C to {hi} °C, so not for {v} °C.")
    if lang == "zh":
        zh_u = _ZH_UNIT.get(u, u)
        if verdict.said:
            return f"这款最多{hi}{zh_u}，{verdict.said}超了，不合适哦。"
        return f"这款适用{lo}-{hi}{zh_u}，{v}{zh_u}不合适哦。"
    u = _EN_UNIT.get(u, u)
    if verdict.said:
        return f"It takes at most {hi} {u}, so not {verdict.said}."
    return f"It's made for {lo}-{hi} {u}, so not for {v} {u}."


_ZH_UNIT = {"l": "升", "ml": "毫升", "cm": "厘米", "mm": "毫米", "kg": "公斤", "g": "克", "inch": "英寸", "w": "瓦",
            "m²": "平米"}
_EN_UNIT = {"l": "L", "w": "W", "inch": "inches"}
