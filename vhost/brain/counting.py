"""Counted things: whether a fact states a number of things ("90 softgels", "3个"), and whether
it counts the thing a question counts ("一套几本?" is answered by "4 volumes", not by "12 pages
per volume"; "how many pairs?" by "2 pairs").
"""

from __future__ import annotations

import re
import unicodedata

from vhost.brain.grounding import _to_digits
from vhost.brain.knowledge import Fact

# Units and measured things: "how many hours/grams/pieces" asks a value of a kind, not a count of
# things (vhost.brain.reading.wanted_value).
UNITS = frozenset("seconds minutes hours days weeks months years times grams kilograms kg ml liters litres "
                  "pieces pcs items people persons cups servings calories mah watts volts inches cm mm "
                  "meters metres km miles pounds lbs ounces oz sheets pages colors colours sizes".split())
_COUNTED = re.compile(r"\d+\s*(?:x\s*|-)?([a-z]+|[\u3400-\u9fff])", re.IGNORECASE)  # "3-piece"
_ZH_COUNTERS = "个件片颗粒支包袋根块张只双副套瓶罐盒枚条本册卷道层团"

# A Chinese counter and the English nouns it counts (one group per kind of thing).
_COUNTER_NOUNS = (
    ("本册", "book volume"), ("卷", "roll volume"), ("双对副", "pair"), ("张", "sheet card"),
    ("片", "piece sheet tablet slice"), ("粒颗", "capsule tablet softgel pill"), ("支根", "pen stick"),
    ("瓶罐", "bottle can jar"), ("包袋", "pack bag sachet pouch"), ("盒", "box"), ("道", "recipe dish"),
    ("套", "set"), ("件", "piece item"), ("层", "layer piece ply"), ("只", "ball piece"), ("勺", "scoop spoonful"),
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


def counts_anything(question: str) -> bool:
    """The question counts things of a kind the counters know ("几勺", "how many scoops")."""
    return bool(_kinds(question))


def counts_asked(question: str, fact: Fact) -> bool:
    """The fact gives a number of the very things the question counts ("一套几本" and "4
    volumes" / "4册"); False when the question counts nothing named."""
    kinds = _kinds(question)
    for t in fact.texts.values():
        low = unicodedata.normalize("NFKC", t).casefold()
        for counters, nouns in kinds:
            # "6平勺" (level scoops) counts; "1平勺 = 4.5克" says what one is
            if re.search(rf"\d\s*平?[{counters}](?!\s*[=＝])", low) or re.search(
                    rf"\d[\s-]*(?:[a-z-]+\s+)?(?:{'|'.join(nouns.split())})(?:e?s)?\b(?!\s*[=＝])", low):
                return True
    return False


_SAID_EN = re.compile(r"(?<![\d.])(\d+)\s+([a-z]{3,})\b", re.IGNORECASE)
_SAID_ZH = re.compile(rf"(?<![\d.])(\d+)\s*(个[\u4e00-\u9fff]|[{_ZH_COUNTERS}])")  # "4个人" counts people, not 个 of anything


def _counts_in(text: str, numerals: bool = False) -> list[tuple[str, str]]:
    """(number, thing) pairs written in `text`: "15 balls" -> ("15", "ball"), "12只" -> ("12", "只");
    with `numerals`, counts in Chinese words too ("两副棒针": 2副; not "一张床垫", one of any)."""
    t = unicodedata.normalize("NFKC", text).casefold()
    out = [(n, w[:-2] if w.endswith("es") and w[:-2].endswith(("sh", "ch", "x")) else w.rstrip("s"))
           for n, w in _SAID_EN.findall(t) if w not in UNITS and w.rstrip("s") not in UNITS]
    worded = [(n, w) for n, w in _SAID_ZH.findall(_to_digits(t)) if n != "1"] if numerals else []
    return out + list(dict.fromkeys([*_SAID_ZH.findall(t), *worded]))


def wrong_count(text: str, facts: list[Fact], own: set[str]) -> Fact | None:
    """The fact that counts the very things a viewer states a number of, with another number
    ("these r 15 balls for 159 right?" and "12 balls per box"): the count to correct. A thing of
    the viewer's own (`own`: "my bag holds 20 balls") is theirs; any fact holding the same count
    agrees."""
    said = [(n, w) for n, w in _counts_in(text) if n not in own and n != "1"]
    if not said:
        return None
    held = [(f, pairs) for f in facts if f.kind not in ("price", "discount")
            for pairs in [[p for t in f.texts.values() for p in _counts_in(t, numerals=True)]] if pairs]
    for n, w in said:
        same = [f for f, pairs in held if any(pw == w for _, pw in pairs)]
        if same and not any(pn == n and pw == w for _, pairs in held for pn, pw in pairs):
            return same[0]
    return None
