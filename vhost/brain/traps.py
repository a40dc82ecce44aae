"""A number the viewer states ("only 99?", "comb is 25cm right?"): which fact checks it.

A price or a discount is checked against the catalog's price line (`price_trap`). A measure is
checked against the fact that gives that kind of measure nearest to it (`nearest_measure`):
"comb is 25cm right?" is about the comb's 18 cm length, not its 5.5 cm width, though the width
scored higher by words; and "it's 18cm right?" is agreed with by the length, never "corrected"
by the width. A dimension the viewer names ("25cm wide") keeps to the facts naming it.
"""

from __future__ import annotations

import math
import re

from vhost.brain.grounding import extract_claims
from vhost.brain.knowledge import Fact, KnowledgeBase
from vhost.brain.retrieval import Scored
from vhost.brain.stated import bare_prices

NEAR_MIN = 0.35  # a fact scoring under this is not about what the viewer said (measured: see tests)

# Dimension words, English and Chinese: named in the question, named in the fact's key or text.
_DIMENSIONS = (("width", r"\bwid(?:e|th)\b|宽"), ("length", r"\blong\b|\blength\b|长度|多长|长"),
               ("height", r"\btall\b|\bhigh\b|\bheight\b|高"), ("depth", r"\bdeep\b|\bdepth\b|深"),
               ("thickness", r"\bthick(?:ness)?\b|厚"), ("diameter", r"\bdiameter\b|直径"))


def price_trap(text: str, kb: KnowledgeBase, product_id: str, price: float | None, known: frozenset[float],
               discount: float | None) -> Scored | None:
    """A price or discount the viewer states ("only $15?", "is it 24.99?", "五折吗", "the rope
    is 109, right?"): answered with the catalog's price line, corrected when it contradicts."""
    kinds = {c.kind for c in extract_claims(text)} & {"money", "percent"}
    if not kinds:
        if not bare_prices(text, price, known):
            return None
        kinds = {"money"}
    want = "discount" if "percent" in kinds and discount is not None else "price"
    fact = kb.get(f"{product_id}/{want}")
    return Scored(fact, 1.0, 1.0, 0.0) if fact is not None else None


def _dimensions(text: str) -> set[str]:
    t = text.casefold()
    return {name for name, pattern in _DIMENSIONS if re.search(pattern, t)}


def _values(fact: Fact, unit: str) -> list[float]:
    """The fact's numbers given in `unit` ("140 x 70 cm": both), in any of its languages."""
    out: list[float] = []
    for text in fact.texts.values():
        if any(c.kind == "quantity" and c.unit == unit for c in extract_claims(text)):
            out += [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)]
    return out


def nearest_measure(text: str, best: Scored, ranked: list[Scored]) -> Scored:
    """The fact to check a stated measure against: one holding it (the viewer is right), else the
    one giving that kind of measure nearest to it; `best` when the viewer states no measure, or no
    other fact as close by words ("签子60厘米?": the skewers' 38 cm, not the tongs' 43) gives one
    in that unit."""
    stated = [c for c in extract_claims(text) if c.kind == "quantity"]
    if len(stated) != 1 or stated[0].value <= 0:
        return best
    value, unit = stated[0].value, stated[0].unit
    named = _dimensions(text)

    def names_it(fact: Fact) -> bool:
        return not named or bool(named & _dimensions(f"{fact.key or ''} {' '.join(fact.texts.values())}"))

    # a fact as close by words, or any naming the dimension asked when the best does not ("4 cm wide?")
    loose = not names_it(best.fact)
    pool = [s for s in ranked if s.fact.product_id == best.fact.product_id and s.fact.kind not in ("price", "discount")
            and (s.fact.id == best.fact.id or s.score >= NEAR_MIN and (loose or s.words >= best.words))
            and _values(s.fact, unit) and names_it(s.fact)]
    # "runs like 8 hours on one charge?" of the runtime fact (6 sessions of 15 min): not the
    # charging time because it is in hours; a fact of the attribute the best answers, or the best
    if best.fact.attrs:
        pool = [s for s in pool if set(s.fact.attrs) & set(best.fact.attrs)]
    if not pool:
        return best

    def distance(s: Scored) -> float:
        return min(abs(math.log(v / value)) if v > 0 else math.inf for v in _values(s.fact, unit))

    return min(pool, key=lambda s: (distance(s), -s.score))
