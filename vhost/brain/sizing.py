"""A size table's row for a measurement the viewer gives ("我身高165穿什么码?", "his chest is 72
cm"): the row that holds it ("M 160-170 cm"), phrased as the size to pick."""

from __future__ import annotations

import re

from vhost.brain import attributes
from vhost.brain.knowledge import Fact
from vhost.brain.reading import _RANGE, asked_measure, child_age

_AGES = re.compile(r"(?i)\bages?\b|岁|\byrs?\b|\byears?\b")


def _segments(text: str) -> list[str]:
    """A size table's rows, cut at ; , and ". " but never inside brackets: "XXL (underbust 86-94 cm,
    bust 104-114 cm)" is one row (cut there, the host said "bust 104-114 cm)." and no size)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "(（[") - (ch in ")）]")
        if depth <= 0 and (ch in ";；,，、" or ch == "." and text[i + 1:i + 2] == " "):
            out.append(text[start:i])
            start = i + 1
    return [seg.strip().rstrip("。.") for seg in [*out, text[start:]]]


def fitting_segment(text: str, n: float) -> str | None:
    """The part of a size table that fits `n` ("S 155-160 cm; M 160-170 cm" and 165 -> "M
    160-170 cm"); at a boundary (170) the larger size, as a shopper sizes up. None when no range
    holds it."""
    fits = [seg for seg in _segments(text) if any(float(m.group(1)) <= n <= float(m.group(2)) for m in _RANGE.finditer(seg))]
    return fits[-1] if fits else None


def fit_row(facts: list[Fact], text: str, lang: str, names: tuple[str, ...] = ()) -> tuple[Fact, str] | None:
    """A measurement or a child's age to fit ("我身高165穿什么码?", "pads for a 5 yo, which size"):
    the row of the size table that holds it ("M 160-170 cm"), phrased as the size to pick."""
    n, ages = (m, False) if (m := asked_measure(text)) is not None else (child_age(text), True)
    if n is None or "size" not in attributes.detect(text, names):
        return None
    return size_row(facts, n, lang, ages=ages)


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
    rest = m.group(2)[1:-1] if m.group(2)[:1] in "(（" and m.group(2)[-1:] in ")）" else m.group(2)  # "XXL (bust ...)"
    if lang == "zh":
        return f"建议选{m.group(1)}码：{rest}。"
    return f"I'd go with size {m.group(1)}: {rest}."
