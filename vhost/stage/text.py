"""Fonts and text formatting for the stage overlays (prices, countdowns, wrapped captions)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QTextLayout, QTextOption

# One family with both Latin and CJK glyphs first, so an English word inside a Chinese caption
# does not switch typefaces mid-line; the rest are fallbacks for machines without WenQuanYi.
FONT_FAMILIES = [
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "PingFang SC",
    "DejaVu Sans",
    "Sans Serif",
]

_CURRENCY_SYMBOLS = {
    "USD": "$",
    "CAD": "CA$",
    "AUD": "A$",
    "EUR": "€",
    "GBP": "£",
    "CNY": "¥",
    "RMB": "¥",
    "JPY": "¥",
    "KRW": "₩",
    "INR": "₹",
    "BRL": "R$",
    "HKD": "HK$",
    "TWD": "NT$",
    "SGD": "S$",
}
_NO_DECIMALS = {"JPY", "KRW", "TWD"}


def stage_font(pixel_size: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPixelSize(max(1, round(pixel_size)))
    font.setWeight(weight)
    # Hinting snaps glyphs to the device grid; with the stage drawn at arbitrary scales it
    # makes line widths jump between sizes, so keep outlines unhinted.
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def format_price(amount: float, currency: str) -> str:
    """'$24.99', '¥199.00', '₩15000'; unknown codes are spelled out ('CHF 12.50')."""
    code = currency.strip().upper()
    decimals = 0 if code in _NO_DECIMALS else 2
    number = f"{amount:,.{decimals}f}"
    symbol = _CURRENCY_SYMBOLS.get(code)
    if symbol is None:
        if len(currency.strip()) <= 2 and not currency.strip().isalpha():
            symbol = currency.strip()  # already a symbol such as "$" or "€"
        else:
            return f"{code} {number}" if code else number
    return f"{symbol}{number}"


def discount_percent(price: float, original_price: float | None) -> int | None:
    """Whole-percent saving when there is one worth showing, else None."""
    if original_price is None or original_price <= 0 or price >= original_price:
        return None
    pct = round((1.0 - price / original_price) * 100.0)
    return pct if pct >= 1 else None


def format_countdown(seconds: float) -> str:
    """mm:ss, rounding up so the display reads 00:00 only once the offer is really over."""
    total = max(0, math.ceil(seconds - 1e-9))
    minutes, secs = divmod(total, 60)
    return f"{minutes:02d}:{secs:02d}"


def wrap_lines(text: str, font: QFont, width: float) -> list[str]:
    """Break `text` into lines no wider than `width`, using Unicode line breaking (so Chinese
    wraps between characters and English between words)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph:
            lines.append("")
            continue
        layout = QTextLayout(paragraph, font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        layout.beginLayout()
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append(
                paragraph[line.textStart() : line.textStart() + line.textLength()].rstrip()
            )
        layout.endLayout()
    return lines


def elide_lines(lines: list[str], font: QFont, width: float, max_lines: int) -> list[str]:
    """Keep the first `max_lines`, ending the last with an ellipsis when text was dropped."""
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    metrics = QFontMetricsF(font)
    kept[-1] = metrics.elidedText(kept[-1] + " …", Qt.TextElideMode.ElideRight, width)
    if not kept[-1].endswith("…"):
        kept[-1] = kept[-1].rstrip() + "…"
    return kept


def draw_lines(
    p: QPainter, lines: list[str], font: QFont, rect: QRectF, align_center: bool = False
) -> float:
    """Draw pre-wrapped lines from rect's top; returns the height used."""
    metrics = QFontMetricsF(font)
    p.setFont(font)
    y = rect.top() + metrics.ascent()
    for line in lines:
        x = rect.left()
        if align_center:
            x += (rect.width() - metrics.horizontalAdvance(line)) / 2.0
        p.drawText(QPointF(x, y), line)
        y += metrics.lineSpacing()
    return len(lines) * metrics.lineSpacing()
