"""A size table's row for a measurement the viewer gives ("我身高165穿什么码?", "his chest is 72
cm"): the row that holds it ("M 160-170 cm"), phrased as the size to pick."""

from __future__ import annotations

import re

from vhost.brain import attributes
from vhost.brain.knowledge import Fact, zh_value
from vhost.brain.reading import _RANGE, asked_measure, child_age

_AGES = re.compile(r"(?i)\bages?\b|岁|\byrs?\b|\byears?\b")


def _segments(text: str) -> list[str]:
    """A size table's rows, cut at ; , and ". " but never inside brackets: "XXL (underbust 86-94 cm,
    bust 104-114 cm)" is one row (cut there, the host said "bust 104-114 cm)." and no size). Where
    rows are cut by ; a comma is inside a row ("M: height 158-165 cm, bust up to 90 cm, 47-55 kg")."""
    by_rows = len(_cut(text, ";；", stops=False)) > 1
    return _cut(text, ";；" if by_rows else ";；,，、")


def _cut(text: str, cuts: str, stops: bool = True) -> list[str]:
    """`text` cut at `cuts` (and at ". " where `stops`), outside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "(（[") - (ch in ")）]")
        if depth <= 0 and (ch in cuts or stops and ch == "." and text[i + 1:i + 2] == " "):
            out.append(text[start:i])
            start = i + 1
    return [seg.strip().rstrip("。.") for seg in [*out, text[start:]]]


# A row named by one height ("120 cm (6-7)", "按身高选：100厘米（约3-4岁）"): a child's size.
_ONE_HEIGHT = re.compile(r"^(?:[^\d]{0,12}[:：])?\s*(\d{2,3})\s*(?:cm|厘米|公分)(?![\d\s]*[-–~到至])", re.IGNORECASE)


def height_row(text: str, n: float) -> str | None:
    """Of a table of single heights ("100 cm (3-4), 110 cm (4-5), 120 cm (6-7)"), the row for a
    height `n` between them: the next size up (118 -> 120 cm), as a shopper sizes up."""
    rows = [(float(m.group(1)), seg) for seg in _segments(text) if (m := _ONE_HEIGHT.match(seg))]
    up = [(h, seg) for h, seg in rows if h >= n]
    if len(rows) < 2 or not up or n < min(h for h, _ in rows) - 10:
        return None
    return min(up)[1]


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
    if not ages and not any(_LABEL.match(seg) for _lo, _f, seg in fits):  # "身高100-150厘米女童" names no size
        for f in facts:
            row = next((r for src in dict.fromkeys((lang, *f.texts)) if "size" in f.attrs
                        and (r := height_row(f.text(src) or "", n))), None)
            if row:  # "120 cm (6-7)" -> "I'd go with 120 cm (6-7)."
                row = re.sub(r"^[^\d]{0,12}[:：]\s*", "", row)
                return f, f"建议选{row}。" if lang == "zh" else f"I'd go with {row}."
    if not fits:
        return None
    _lo, f, seg = max(fits, key=lambda x: x[0])
    return f, size_line(seg, lang)


_LABEL = re.compile(r"^\s*(?i:size\s+)?([A-Z]{1,4}|\d{2,3})(?![A-Za-z\d.\-–~])(?:码|号)?\s*[:：]?\s*(?:for\s+|适合)?(.+)$")


def size_line(seg: str, lang: str) -> str:
    """"M 160-170 cm" -> "Size M: 160-170 cm." / "建议选M码：160-170厘米。"."""
    m = _LABEL.match(seg)
    if m is None or re.search(r"(?i)size|码|号", m.group(2)):
        return seg + ("。" if lang == "zh" else ".")
    rest = m.group(2)[1:-1] if m.group(2)[:1] in "(（" and m.group(2)[-1:] in ")）" else m.group(2)  # "XXL (bust ...)"
    if lang == "zh":
        return f"建议选{m.group(1)}码：{_zh_row(rest)}。"
    return f"I'd go with size {m.group(1)}: {rest}."


# A size row's body measures in Chinese ("bust 82-88 cm, height 155-165 cm" -> 胸围82-88厘米，身高155-165厘米).
_BODY_ZH = [(re.compile(rf"(?i)\b{en}\b\s*"), zh) for en, zh in (
    ("head circumference", "头围"), ("underbust", "下胸围"), ("bust", "胸围"), ("chest", "胸围"), ("height", "身高"),
    ("waist", "腰围"), ("hips?", "臀围"), ("weight", "体重"), ("foot length", "脚长"), ("up to", "最多"))]


def _zh_row(rest: str) -> str:
    """An English row said in Chinese where its words are body measures and units, else as written."""
    if not re.search(r"[A-Za-z]{3,}", rest):
        return rest
    out = rest
    for pattern, zh in _BODY_ZH:
        out = pattern.sub(zh, out)
    said = zh_value(out.replace(", ", "，"))
    return said if said is not None else rest
