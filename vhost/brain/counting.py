"""Counted things: whether a fact states a number of things ("90 softgels", "3个"), and whether
it counts the thing a question counts ("一套几本?" is answered by "4 volumes", not by "12 pages
per volume"; "how many pairs?" by "2 pairs").
"""

from __future__ import annotations

import re
import unicodedata

from vhost.brain.knowledge import Fact

# Units and measured things: "how many hours/grams/pieces" asks a value of a kind, not a count of
# things (vhost.brain.reading.wanted_value).
UNITS = frozenset("seconds minutes hours days weeks months years times grams kilograms kg ml liters litres "
                  "pieces pcs items people persons cups servings calories mah watts volts inches cm mm "
                  "meters metres km miles pounds lbs ounces oz sheets pages colors colours sizes".split())
_COUNTED = re.compile(r"\d+\s*(?:x\s*)?([a-z]+|[\u3400-\u9fff])", re.IGNORECASE)
_ZH_COUNTERS = "个件片颗粒支包袋根块张只双套瓶罐盒枚条本册卷道"

# A Chinese counter and the English nouns it counts (one group per kind of thing).
_COUNTER_NOUNS = (
    ("本册", "book volume"), ("卷", "roll volume"), ("双对", "pair"), ("张", "sheet card"),
    ("片", "piece sheet tablet slice"), ("粒颗", "capsule tablet softgel pill"), ("支根", "pen stick"),
    ("瓶罐", "bottle can jar"), ("包袋", "pack bag sachet pouch"), ("盒", "box"), ("道", "recipe dish"),
    ("套", "set"), ("件", "piece item"),
)
_ASKED_ZH = re.compile(r"(?:几|多少|\d+\s*)([\u4e00-\u9fff])")  # "几本", and "6本一套?" said back
_ASKED_EN = re.compile(r"\bhow many\s+([a-z]+)", re.IGNORECASE)


def counts_things(fact: Fact) -> bool:
    """The fact states a number of things ("90 softgels", "12 bars", "3个"), not only measures."""
    for t in fact.texts.values():
        for m in _COUNTED.finditer(t):
            w = m.group(1).casefold()
            if not w.isascii():
                if w in _ZH_COUNTERS:
                    return True
            elif w not in UNITS and not re.fullmatch(r"(?:g|kg|l|m|h|s|w|v|hz|mah|°c|c|f|x|gb|mb|k)", w):
                return True
    return False


def _kinds(question: str) -> list[tuple[str, str]]:
    """The (counters, nouns) groups of what the question counts: "几本" -> books and volumes."""
    t = unicodedata.normalize("NFKC", question).casefold()
    out = [g for m in _ASKED_ZH.finditer(t) for g in _COUNTER_NOUNS if m.group(1) in g[0]]
    for m in _ASKED_EN.finditer(t):
        noun = m.group(1).rstrip("s")
        out += [g for g in _COUNTER_NOUNS if noun in g[1].split()]
    return out


def counts_asked(question: str, fact: Fact) -> bool:
    """The fact gives a number of the very things the question counts ("一套几本" and "4
    volumes" / "4册"); False when the question counts nothing named."""
    kinds = _kinds(question)
    for t in fact.texts.values():
        low = unicodedata.normalize("NFKC", t).casefold()
        for counters, nouns in kinds:
            if re.search(rf"\d\s*[{counters}]", low) or re.search(
                    rf"\d\s*(?:[a-z-]+\s+)?(?:{'|'.join(nouns.split())})(?:e?s)?\b", low):
                return True
    return False
