"""The dashboard's two plots, painted with QPainter: a stacked column chart (chat per minute, by
intent) and a share bar (sentiment). A repaint is a few dozen rectangles — well under a
millisecond — so the stage, painted on the same thread, never waits on the dashboard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

GRID = QColor("#d9d9d9")
AXIS_TEXT = QColor("#555555")
PAD = 6.0


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    color: str
    values: tuple[float, ...]


def nice_max(value: float) -> float:
    """The axis top: a round number (1, 1.5, 2, 3, 4, 5, 6 or 8 times a power of ten) at least
    `value`, and at least 1."""
    if value <= 1:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 1.5, 2, 3, 4, 5, 6, 8, 10) if m * power >= value)


def _legend(p: QPainter, items: list[tuple[str, str]], x: float, y: float, width: float) -> float:
    """Coloured squares with labels, wrapping at `width`; returns the height used."""
    fm = QFontMetrics(p.font())
    h = fm.height()
    cx, cy = x, y
    for label, color in items:
        w = h * 0.7 + 4 + fm.horizontalAdvance(label) + 12
        if cx > x and cx + w > x + width:
            cx, cy = x, cy + h + 2
        p.fillRect(QRectF(cx, cy + h * 0.15, h * 0.7, h * 0.7), QColor(color))
        p.setPen(AXIS_TEXT)
        p.drawText(QRectF(cx + h * 0.7 + 4, cy, w, h), Qt.AlignmentFlag.AlignVCenter, label)
        cx += w
    return cy - y + h + 4


class StackedBars(QWidget):
    """One column per bin, its parts stacked in series order; the total above the newest one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: list[Series] = []
        self.x_labels: list[str] = []
        self.empty_text = ""
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(480, 190)

    def set_data(self, series: list[Series], x_labels: list[str], empty_text: str = "") -> None:
        if (series, x_labels, empty_text) == (self.series, self.x_labels, self.empty_text):
            return  # nothing new: no repaint
        self.series, self.x_labels, self.empty_text = series, x_labels, empty_text
        self.update()  # painted on the next paint event, and only if visible

    def totals(self) -> list[float]:
        n = max((len(s.values) for s in self.series), default=0)
        return [sum(s.values[i] for s in self.series if i < len(s.values)) for i in range(n)]

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.fillRect(self.rect(), QColor("#ffffff"))
        legend_h = _legend(p, [(s.label, s.color) for s in self.series], PAD, PAD, self.width() - 2 * PAD)
        totals = self.totals()
        fm = QFontMetrics(p.font())
        top = nice_max(max(totals, default=0.0))
        left = PAD + fm.horizontalAdvance(f"{top:g}") + 6
        plot = QRectF(left, legend_h + PAD + fm.height() * 0.5, self.width() - left - PAD,
                      self.height() - legend_h - 2 * PAD - fm.height() * 1.9)
        if plot.width() < 20 or plot.height() < 20:
            p.end()
            return
        self._grid(p, plot, top, fm)
        if not any(totals):
            p.setPen(AXIS_TEXT)
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, self.empty_text)
        else:
            self._columns(p, plot, top, totals, fm)
        self._x_axis(p, plot, fm)
        p.end()

    def _grid(self, p: QPainter, plot: QRectF, top: float, fm: QFontMetrics) -> None:
        for frac in (0.0, 0.5, 1.0):
            y = plot.bottom() - frac * plot.height()
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(AXIS_TEXT)
            label = f"{top * frac:g}"
            p.drawText(QRectF(PAD, y - fm.height() / 2, plot.left() - PAD - 4, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)

    def _columns(self, p: QPainter, plot: QRectF, top: float, totals: list[float], fm: QFontMetrics) -> None:
        n = len(totals)
        slot = plot.width() / n
        bar = max(2.0, slot * 0.72)
        for i in range(n):
            x = plot.left() + i * slot + (slot - bar) / 2
            y = plot.bottom()
            for s in self.series:
                v = s.values[i] if i < len(s.values) else 0
                if v <= 0:
                    continue
                h = v / top * plot.height()
                p.fillRect(QRectF(x, y - h, bar, h), QColor(s.color))
                y -= h
        last = totals[-1]
        if last:
            p.setPen(AXIS_TEXT)
            y = plot.bottom() - last / top * plot.height()
            p.drawText(QRectF(plot.right() - slot * 1.5, y - fm.height() - 1, slot * 1.5, fm.height()),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, f"{last:g}")

    def _x_axis(self, p: QPainter, plot: QRectF, fm: QFontMetrics) -> None:
        n = len(self.x_labels)
        if not n:
            return
        slot = plot.width() / n
        p.setPen(AXIS_TEXT)
        for i, label in enumerate(self.x_labels):
            if not label:
                continue
            w = fm.horizontalAdvance(label) + 4
            x = min(max(plot.left(), plot.left() + (i + 0.5) * slot - w / 2), plot.right() - w)
            p.drawText(QRectF(x, plot.bottom() + 3, w, fm.height()), Qt.AlignmentFlag.AlignHCenter, label)


class ShareBar(QWidget):
    """Shares (summing to 1) as one horizontal bar of coloured parts, the percentages in a legend."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parts: list[tuple[str, str, float]] = []  # (label, colour, share)
        self.empty_text = ""
        self.setMinimumHeight(48)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(480, 52)

    def set_data(self, parts: list[tuple[str, str, float]], empty_text: str = "") -> None:
        if (parts, empty_text) == (self.parts, self.empty_text):
            return
        self.parts, self.empty_text = parts, empty_text
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#ffffff"))
        fm = QFontMetrics(p.font())
        bar = QRectF(PAD, PAD, self.width() - 2 * PAD, fm.height() + 6)
        total = sum(s for _, _, s in self.parts)
        if total <= 0:
            p.fillRect(bar, GRID)
            p.setPen(AXIS_TEXT)
            p.drawText(bar, Qt.AlignmentFlag.AlignCenter, self.empty_text)
        else:
            x = bar.left()
            for _label, color, share in self.parts:
                w = share / total * bar.width()
                if w <= 0:
                    continue
                p.fillRect(QRectF(x, bar.top(), w, bar.height()), QColor(color))
                text = f"{share * 100:.0f}%"
                if fm.horizontalAdvance(text) + 6 < w:
                    p.setPen(QColor("#ffffff"))
                    p.drawText(QRectF(x, bar.top(), w, bar.height()), Qt.AlignmentFlag.AlignCenter, text)
                x += w
        items = [(f"{label} {share * 100:.0f}%", color) for label, color, share in self.parts]
        _legend(p, items, PAD, bar.bottom() + 4, self.width() - 2 * PAD)
        p.end()
