"""A temperature the viewer will use the product in, against the range the catalog gives it:
"我在漠河 冬天零下三十多度 扛得住吗" against "Operating temperature: -20 °C to 70 °C" is not made
for it, and the host says so with the range; "夏天40度 车里放得住吗" inside the range gets the
fact. Read only where the message speaks of weather or says °C, so "140度视角" or "充了多少度"
(kWh) is no temperature."""

from __future__ import annotations

import re
import unicodedata

from vhost.brain.grounding import _to_digits
from vhost.brain.knowledge import Fact
from vhost.brain.ranges import RangeVerdict

_ASKS = re.compile(r"(?i)\b(?:ok|okay|fine|work|works|working|handle|survive|hold up|cope|withstand|last|"
                   r"use it|be used|leave it|still run|take it)\b|扛|受得了|耐得住|撑得住|冻坏|冻不坏|晒坏|晒不坏|"
                   r"能用|好用|用得了|行不行|行吗|能行|没问题|合适|适合|可以吗|放得住|能放|会坏|坏不坏")
# Said of the weather or in degrees Celsius: "零下", "冬天", "°C", "below zero".
_WEATHER = re.compile(r"(?i)零下|摄氏|[°℃]|冬天|夏天|高温|低温|暴晒|严寒|冰天|天冷|天热|很冷|很热|冷的|热的|东北|"
                      r"\b(?:below|minus|freez\w*|winter|summer|heat|cold|hot|celsius|sub-?zero)\b")
_VIEWER = re.compile(r"(?i)(-|minus\s*|负)?\s*(\d+(?:\.\d+)?)\s*多?\s*(?:°\s*c\b|℃|摄氏度|度(?!电)|degrees?(?:\s*c(?:elsius)?\b)?)"
                     r"(?:\s*(below)\b)?")
_BELOW = re.compile(r"(?i)(\d+(?:\.\d+)?)\s*(?:degrees?\s*)?below(?:\s+zero)?\b")
_SPAN = re.compile(r"(-?\d+(?:\.\d+)?)\s*(?:°\s*C|℃|度)?\s*(?:to|至|到|~|–|-)\s*(-?\d+(?:\.\d+)?)\s*(?:°\s*C|℃|摄氏度|度)")
_KEYED = re.compile(r"(?i)temperature|operating|working|environment|温度")


def _clean(text: str) -> str:
    t = unicodedata.normalize("NFKC", text).replace("−", "-")
    return _to_digits(re.sub(r"零下\s*", "-", t))  # before the numerals: 零 alone would read as 0


def said_temperatures(text: str) -> list[float]:
    """Temperatures a message gives, in °C ("零下三十多度" -> -30, "40℃" -> 40), where it speaks
    of weather or says °C."""
    if not _WEATHER.search(unicodedata.normalize("NFKC", text)):
        return []
    t = _clean(text)
    return [-float(m.group(2)) if m.group(1) or m.group(3) else float(m.group(2))
            for m in _VIEWER.finditer(t)] + [-float(m.group(1)) for m in _BELOW.finditer(t)]


def _span(fact: Fact) -> tuple[float, float] | None:
    for t in fact.texts.values():
        m = _SPAN.search(_clean(t))
        if m is not None:
            low, high = sorted((float(m.group(1)), float(m.group(2))))
            return low, high
    return None


def agreeing(text: str, fact: Fact) -> set[str]:
    """The numbers of the temperatures a message gives inside the fact's °C range ("零下5度"
    against "-10 °C to 55 °C": "5"), which state nothing the fact contradicts."""
    span = _span(fact)
    return {f"{abs(v):g}" for v in said_temperatures(text) if span and span[0] <= v <= span[1]}


def temperature_verdict(text: str, facts: list[Fact]) -> RangeVerdict | None:
    """The viewer's temperature against the first °C range a fact gives (one named after a
    temperature first); None when the message does not ask whether it holds up, or gives none."""
    said = said_temperatures(text) if _ASKS.search(text) else []
    if not said:
        return None
    ordered = sorted(facts, key=lambda f: not _KEYED.search(f.key or ""))
    for fact in ordered:
        if (span := _span(fact)) is not None:
            return RangeVerdict(fact, said[0], *span, "degree")
    return None
