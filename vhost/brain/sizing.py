"""A size table's row for a measurement the viewer gives ("我身高165穿什么码?", "his chest is 72
cm"): the row that holds it ("M 160-170 cm"), phrased as the size to pick."""

from __future__ import annotations

import re

from vhost.brain.knowledge import Fact
from vhost.brain.reading import _RANGE, fitting_segment

_AGES = re.compile(r"(?i)\bages?\b|岁|\byrs?\b|\byears?\b")


def size_row(facts: list[Fact], n: float, lang: str, ages: bool = False) -> tuple[Fact, str] | None:
    """The size fact and the line for measurement `n` (a child's age where `ages`: only a row
    that speaks of ages); at a boundary ("50 cm": S 40-50, M 50-65) the larger size."""
    fits = []  # (lower bound, fact, row)
    for f in facts:
        if "size" not in f.attrs:
            continue
        for source in dict.fromkeys((lang, *f.texts)):
            seg = fitting_segment(f.text(source) or "", n)
            if seg and (not ages or _AGES.search(seg)):
                lo = max(float(m.group(1)) for m in _RANGE.finditer(seg) if float(m.group(1)) <= n)
                fits.append((lo, f, seg))
                break
    if not fits:
        return None
    _lo, f, seg = max(fits, key=lambda x: x[0])
    return f, size_line(seg, lang)


def size_line(seg: str, lang: str) -> str:
    """"M 160-170 cm" -> "Size M: 160-170 cm." / "建议选M码：160-170厘米。"."""
    m = re.match(r"^\s*(?i:size\s+)?([A-Z]{1,4}|\d{2,3})(?![A-Za-z\d.\-–~])(?:码|号)?\s*[:：]?\s*(?:for\s+|适合)?(.+)$", seg)
    if m is None or re.search(r"(?i)size|码|号", m.group(2)):
        return seg + ("。" if lang == "zh" else ".")
    if lang == "zh":
        return f"建议选{m.group(1)}码：{m.group(2)}。"
    return f"I'd go with size {m.group(1)}: {m.group(2)}."
