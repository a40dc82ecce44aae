"""A unit named in the question says what it asks: "how many wh is this big one?", "多少毫安",
"几度电", "how many watts" want the fact giving a number in that unit (the capacity, not the
battery's chemistry), whatever its key is called; so does "几勺" the fact counting scoops. Only a
unit asked by "how many"/"多少"/"几" counts: "the 1000W one, how much?" names a product by its
power and asks the price."""

from __future__ import annotations

import re
import unicodedata

from vhost.brain.counting import counts_anything, counts_asked
from vhost.brain.retrieval import Scored

# unit group -> (how a question names it, how a fact writes a number in it)
_UNITS: dict[str, tuple[str, str]] = {
    "energy": (r"k?wh|watt[- ]?hours?|瓦时|千瓦时|度电", r"\d\s*(?:k?wh\b|瓦时|千瓦时|度电)"),
    "charge": (r"mah|milliamp[- ]?hours?|毫安时?", r"\d\s*(?:mah\b|毫安)"),
    "power": (r"watts?|w|瓦(?!时)", r"\d\s*(?:w\b|watts?\b|瓦(?!时))"),
    "voltage": (r"volts?|v|伏", r"\d\s*(?:v\b|volts?\b|伏)"),
    "sound": (r"decibels?|db|分贝", r"\d\s*(?:db\b|decibels?\b|分贝)"),
    "light": (r"lumens?|lm|流明", r"\d\s*(?:lm\b|lumens?\b|流明)"),
    "channels": (r"channels?|通道", r"\d\s*(?:channels?\b|通道)"),
    "speed": (r"rpm|转速", r"\d\s*(?:rpm\b|转/分|转每分)"),
    "grade": (r"年级|grades?", r"\d\s*(?:(?:-|–|~|～|至|到)\s*\d{1,2}\s*)?年级|\bgrades?\s*\d"),  # school grades
}
_ASK = {name: re.compile(rf"(?:how\s+many|how\s+much|what|which|多少|几|哪些|哪几个)\s*(?:{ask})(?![a-z])|(?:{ask})\s*(?:是|有)?\s*(?:多少|几)",
                         re.IGNORECASE) for name, (ask, _) in _UNITS.items()}
_GIVES = {name: re.compile(gives, re.IGNORECASE) for name, (_, gives) in _UNITS.items()}


def unit_asked(text: str) -> str | None:
    """The unit group a question asks a number in ("how many wh" -> "energy"), or None."""
    t = unicodedata.normalize("NFKC", text)
    return next((name for name, pattern in _ASK.items() if pattern.search(t)), None)


def giving_unit(text: str, ranked: list[Scored], min_score: float, attrs: list[str]) -> Scored | None:
    """The best-ranked fact giving a number in the unit asked, when it is this close at least; with
    no attribute read, the fact counting the things asked ("一次冲几勺": 6平勺, vhost.brain.counting)."""
    unit = unit_asked(text)
    if unit is None and (attrs or not counts_anything(text)):
        return None
    return next((s for s in ranked if s.score >= min_score and (any(
        _GIVES[unit].search(unicodedata.normalize("NFKC", t)) for t in s.fact.texts.values())
        if unit is not None else counts_asked(text, s.fact))), None)
