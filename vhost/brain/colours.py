"""Colours in English and Chinese: a colour a translation names must be one its source names.

The packaged 0.5B model translated "颜色是石青、朱红两色" (azure blue and vermilion) as "stone green
and purple", and the sentence embedding passed it; a colour said wrong is a false fact a viewer
buys on. Each group is one colour's spellings; 青 is blue or green, so it backs either.
"""

from __future__ import annotations

import re
import unicodedata

_GROUPS: tuple[tuple[str, str, str], ...] = (
    ("black", r"black", r"黑"), ("white", r"white|ivory|cream", r"白|米白|象牙"),
    ("red", r"red|vermilion|crimson|scarlet|burgundy|wine", r"红|朱|赤|酒红"),
    ("blue", r"blue|navy|azure|teal", r"蓝|青|藏青"), ("green", r"green|olive|sage|mint", r"绿|青"),
    ("pink", r"pink|rose", r"粉|玫"), ("grey", r"gr[ae]y|charcoal|graphite", r"灰"),
    ("yellow", r"yellow", r"黄"), ("purple", r"purple|violet|lilac|lavender", r"紫"),
    ("brown", r"brown|tan|coffee|khaki", r"棕|褐|咖"), ("orange", r"orange", r"橙|橘"),
    ("silver", r"silver", r"银"), ("gold", r"gold(?:en)?", r"金"),
)
_PATTERNS = tuple((name, re.compile(rf"(?<![a-z])(?:{en})(?![a-z])"), re.compile(zh)) for name, en, zh in _GROUPS)


def colours_in(text: str) -> set[str]:
    t = unicodedata.normalize("NFKC", text).casefold()
    return {name for name, en, zh in _PATTERNS if en.search(t) or zh.search(t)}


def unbacked_colours(out: str, src: str) -> list[str]:
    """The colours `out` names that `src` does not, in either language."""
    return sorted(colours_in(out) - colours_in(src))
