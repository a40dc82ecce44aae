"""Stage backgrounds: a chroma-key colour, a studio gradient, or transparent (for OBS
sources that composite the stage over their own scene)."""

from __future__ import annotations

import random

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QLinearGradient, QPainter, QRadialGradient

from vhost.stage.cache import ImageCache

CHROMA_GREEN = "#00B140"


def parse_background(spec: str) -> str | QColor:
    """'gradient' / 'transparent' or a colour ('#00B140', 'black'); ValueError otherwise."""
    if spec in ("gradient", "transparent"):
        return spec
    color = QColor(spec)
    if not color.isValid():
        raise ValueError(
            f"background must be a colour like '#00B140', 'gradient' or 'transparent'; got {spec!r}"
        )
    return color


def paint_gradient(p: QPainter, r: QRectF) -> None:
    g = QLinearGradient(r.topLeft(), r.bottomLeft())
    g.setColorAt(0.0, QColor("#2B2158"))
    g.setColorAt(0.6, QColor("#1A1838"))
    g.setColorAt(1.0, QColor("#0F1024"))
    p.fillRect(r, QBrush(g))
    p.setPen(Qt.PenStyle.NoPen)
    for cx, cy, rad, col in (
        (0.82, 0.18, 0.55, QColor(255, 92, 160, 80)),
        (0.12, 0.9, 0.6, QColor(64, 170, 255, 60)),
        (0.45, 0.35, 0.4, QColor(140, 110, 255, 45)),
    ):
        c = QPointF(r.left() + cx * r.width(), r.top() + cy * r.height())
        radius = rad * max(r.width(), r.height())
        rg = QRadialGradient(c, radius)
        rg.setColorAt(0.0, col)
        rg.setColorAt(1.0, QColor(col.red(), col.green(), col.blue(), 0))
        p.setBrush(QBrush(rg))
        p.drawEllipse(c, radius, radius)
    # Out-of-focus "studio lights"; a fixed seed keeps every frame and every run identical.
    rng = random.Random(20240601)
    for _ in range(26):
        c = QPointF(r.left() + rng.random() * r.width(), r.top() + rng.random() * r.height() * 0.75)
        radius = (0.008 + rng.random() * 0.026) * max(r.width(), r.height())
        p.setBrush(QColor(255, 255, 255, rng.randint(6, 18)))
        p.drawEllipse(c, radius, radius)


class Background:
    def __init__(self, spec: str) -> None:
        self.spec = spec
        self._kind = parse_background(spec)
        self._cache = ImageCache(capacity=2)

    @property
    def opaque(self) -> bool:
        return self._kind != "transparent"

    @property
    def is_key_color(self) -> bool:
        """A flat colour, which OBS will most likely chroma-key away."""
        return isinstance(self._kind, QColor)

    def paint(self, p: QPainter, stage: QRectF) -> None:
        if self._kind == "transparent":
            p.save()
            p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            p.fillRect(stage, Qt.GlobalColor.transparent)
            p.restore()
        elif self._kind == "gradient":
            self._cache.draw(p, stage, "gradient", paint_gradient)
        else:
            assert isinstance(self._kind, QColor)
            p.fillRect(stage, self._kind)
