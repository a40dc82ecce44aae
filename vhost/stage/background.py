"""Stage backgrounds: a chroma-key colour, a studio gradient, or transparent (for OBS
sources that composite the stage over their own scene)."""

from __future__ import annotations

import random

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QLinearGradient, QPainter, QRadialGradient

from vhost.stage.cache import ImageCache


def parse_background(spec: str) -> str | QColor | tuple[str, QColor]:
    """'gradient' / 'gradient:<colour>' / 'transparent' or a colour ('#00FF00', 'black');
    ValueError otherwise."""
    if spec in ("gradient", "transparent"):
        return spec
    if spec.startswith("gradient:"):
        theme = QColor(spec.partition(":")[2])
        if not theme.isValid():
            raise ValueError(f"gradient theme must be a colour, e.g. 'gradient:#2B2158'; got {spec!r}")
        return ("gradient", theme)
    color = QColor(spec)
    if not color.isValid():
        raise ValueError(
            f"background must be a colour like '#00FF00', 'gradient' or 'transparent'; got {spec!r}"
        )
    return color


def paint_gradient(p: QPainter, r: QRectF, theme: QColor | None = None) -> None:
    """A studio backdrop: dark vertical gradient (in the theme's hue when given), coloured
    glows and soft out-of-focus lights."""
    top = QColor(theme) if theme is not None else QColor("#2B2158")
    if theme is not None:  # keep the hue, force a dark studio value so overlays stay readable
        h, s, _, _ = top.getHsvF()
        top = QColor.fromHsvF(max(0.0, h), min(1.0, s * 0.9 + 0.1), 0.36)
    g = QLinearGradient(r.topLeft(), r.bottomLeft())
    g.setColorAt(0.0, top)
    g.setColorAt(0.6, top.darker(165))
    g.setColorAt(1.0, top.darker(260))
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
        elif isinstance(self._kind, tuple):
            theme = self._kind[1]
            self._cache.draw(p, stage, ("gradient", theme.name()),
                             lambda q, r: paint_gradient(q, r, theme))
        else:
            assert isinstance(self._kind, QColor)
            p.fillRect(stage, self._kind)
