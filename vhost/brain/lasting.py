""""How long do they last?" names no attribute: of cherries it asks the shelf life, of earbuds the
battery. The product's own facts tell which (the first of these it has a fact for)."""

from __future__ import annotations

import re

from vhost.brain.knowledge import Fact

_LASTS = re.compile(r"(?i)\bhow long (?:do|does|will|would|can) (?:they|these|those|it|this|that|the \w+) "
                    r"(?:last|keep|stay (?:good|fresh))\b|能放多久|能放几天|能保存多久|能存多久")
_BY_KIND = ("shelf_life", "battery")


def lasting(text: str, facts: list[Fact]) -> list[str]:
    """The attribute a bare "how long do they last?" asks of a product with these facts, if any."""
    if not _LASTS.search(text):
        return []
    has = {a for f in facts if f.product_id is not None for a in f.attrs}
    return [a for a in _BY_KIND if a in has][:1]
