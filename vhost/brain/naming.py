"""A product named by the head word of its names ("the walnuts in the *dates*" for "stuffed dates",
"red dates"): when no name or alias is in the message, a head word that only one product's names
end with says the viewer means the product on screen, not the one they asked about before (then
"Lightly roasted" of the trail mix was said of the dates' walnuts). Only for that choice: a head
word is often a plain noun ("that bottle is gorgeous" names no "spray bottle" of the shop's)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from vhost.brain.catalog import Catalog, Product

_MIN_HEAD = 4  # "box", "set", "kit", "mix" name too many things


def named_by_head(catalog: Catalog, text: str) -> Product | None:
    """The one product whose multi-word English names end with a word the message says."""
    heads: dict[str, set[str]] = {}
    whole: set[str] = set()  # one-word names: such a word names its own product, not another's
    for p in catalog.products:
        for name in (p.id, p.name, *p.aliases):
            words = re.findall(r"[a-z]+", unicodedata.normalize("NFKC", name).casefold())
            if len(words) == 1:
                whole.add(words[0])
            elif len(words) > 1 and len(words[-1]) >= _MIN_HEAD:
                heads.setdefault(words[-1], set()).add(p.id)
    said = set(re.findall(r"[a-z]+", unicodedata.normalize("NFKC", text).casefold()))
    found = {pid for head, pids in heads.items() if head in said and head not in whole and len(pids) == 1
             for pid in pids}
    return catalog.get(next(iter(found))) if len(found) == 1 else None


# The viewer's own thing named by a product's word ("我的多肉能种这个懒人盆吗": their succulents,
# our pot; "can my succs go in this pot?").
_OWNED = re.compile(r"(?:我的|我家的?|我们家的?)[\u3400-\u9fff]{1,4}|\b(?:my|our)\s+[a-z]+", re.IGNORECASE)


# A message that turns from one product to another: "那这个颈肩的呢", "what about the foot one?".
_TURN = re.compile(r"(?:^|[\s，,。！!？?])那(?:么)?(?=[^，,。？?]{1,12}呢)|\b(?:what|how) about\b", re.IGNORECASE)


def named_product(catalog: Catalog, text: str) -> Product | None:
    """The product a message names, earliest first; one the viewer says is theirs only when no
    other product is named."""
    named = catalog.find_mentioned(text)
    if named is None:
        return None
    turn = _TURN.search(text)  # "筋膜枪充电时不能用 那这个颈肩的呢 插着电能用不": the neck one
    if turn is not None and (then := catalog.find_mentioned(text[turn.end():])) is not None:
        return then
    other = catalog.find_mentioned(_OWNED.sub(" ", text))
    return other if other is not None else named


# A product named as what the one asked about goes with ("一包够装满K75不", "这套能装刚才那把75吗",
# "will these fit the K75?"): the switches or caps on screen are asked about, not the keyboard.
_TARGET = re.compile(r"(?:装满?|配|适配|适用于?|用在|放进|能用在)\s*(?:刚才那把|那把|那台|那个)?\s*$|"
                     r"\b(?:fits?|fit on|fit in|work with|works with|go on)\s+(?:the\s+|my\s+|a\s+)?$", re.IGNORECASE)


def only_as_target(product: Product, text: str) -> bool:
    """Every mention of the product's names in the message follows a word saying what the
    thing asked about fits or goes with."""
    t = unicodedata.normalize("NFKC", text).casefold()
    names = [unicodedata.normalize("NFKC", n).casefold() for n in (product.name, *product.aliases) if len(n) >= 2]
    spans = [m.start() for n in names for m in re.finditer(re.escape(n), t)]
    return bool(spans) and all(_TARGET.search(t[max(0, s - 12):s]) for s in spans)


def too_young_for(catalog: Catalog, text: str, named: Product, age: int | None,
                  min_age: Callable[[Product], int | None]) -> Product:
    """Of the products a message names with a child's age ("我女儿7岁 穿儿童那套 配这个步摇戴可以吗"),
    one the child is too young for, so the host says so rather than answering for the other one
    ("7岁可以的" of the kids' set, when the 14+ hairpin was asked about too); else `named`."""
    if age is None or (min_age(named) or 0) > age:
        return named
    younger = [p for p in catalog.mentioned(text)
               if p is not named and (min_age(p) or 0) > age and not only_as_target(p, text)]
    return younger[0] if younger else named
