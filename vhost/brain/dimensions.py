"""Which dimension a size question asks (length, width, height, depth, thickness, diameter), and
whether a spec is named after another one: "里面多长?" (how long inside) is not answered by "Peak
height: 125 cm" when "Floor size: 210 x 180 cm" is there, however close the two are in meaning."""

from __future__ import annotations

import re

from vhost.brain.knowledge import Fact

_ASKED: dict[str, re.Pattern[str]] = {
    "length": re.compile(r"(?i)多长|长度|多少米长|\bhow long is\b|\blength\b|\bhow long (?:are|r)\b"),
    "width": re.compile(r"(?i)多宽|宽度|\bhow wide\b|\bwidth\b"),
    "height": re.compile(r"(?i)多高|高度|\bhow (?:tall|high)\b|\bheight\b"),
    "depth": re.compile(r"(?i)多深|深度|\bhow deep\b|\bdepth\b"),
    "thickness": re.compile(r"(?i)多厚|厚度|最厚|多薄|\bhow thick\b|\bthickness\b"),
    "diameter": re.compile(r"(?i)直径|口径|多粗|\bdiameter\b|\bhow (?:wide|big) (?:across|round)\b"),
}
# A spec key's words naming a dimension ("peak_height", "blade_length", "cup_diameter"). Depth and
# thickness are one: a mattress "多厚" is what a fitted sheet's depth fits.
_KEY_WORDS = {"length": "length long", "width": "width wide", "height": "height tall high",
              "depth": "depth deep thickness thick", "thickness": "depth deep thickness thick",
              "diameter": "diameter"}
_KEYED = [(w, dim) for dim, words in _KEY_WORDS.items() for w in words.split()]


def asked(question: str) -> set[str]:
    """The dimensions a question names ("里面多长" -> {"length"})."""
    return {dim for dim, pattern in _ASKED.items() if pattern.search(question)}


def keyed(fact: Fact) -> set[str]:
    """The dimensions a spec's key names ("peak_height" -> {"height"}); none for "floor_size"."""
    words = set(re.split(r"[_\s-]+", (fact.key or "").casefold()))
    return {dim for w, dim in _KEYED if w in words}


def other_dimension(want: set[str], fact: Fact) -> bool:
    """The fact is named after a dimension, and not one of `want` (what the question `asked`)."""
    named = keyed(fact)
    return bool(want and named and not want & named)


# "how big is the tabletop?", "桌面多大": the whole size, no one dimension named.
_OVERALL = re.compile(r"(?i)多大|大小|尺寸|\bhow big\b|\bsize\b|\bdimensions?\b")
_OVERALL_KEY = frozenset(("size", "dimensions", "dimension"))


def _key_words(fact: Fact) -> set[str]:
    return set(re.split(r"[_\s-]+", (fact.key or "").casefold())) - {""}


def overall_first(question: str, facts: list[Fact]) -> list[Fact]:
    """Of the facts for a question asking the whole size ("how big is the tabletop?"), those not
    named after one dimension of a thing whose whole size another spec gives ("desktop_thickness"
    goes when "desktop_size" is there); all of them when the question names a dimension."""
    if asked(question) or not _OVERALL.search(question):
        return facts
    whole = [_key_words(f) - _OVERALL_KEY for f in facts if _key_words(f) & _OVERALL_KEY and not keyed(f)]
    return [f for f in facts if not (keyed(f) and any(
        w and w <= _key_words(f) for w in whole))]
