"""Small path helpers shared by the avatar painters: smooth outlines through key points."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QPainterPath

Point = tuple[float, float]


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def smooth_path(points: Sequence[Point], closed: bool = True, tension: float = 1.0) -> QPainterPath:
    """Catmull-Rom spline through `points` as cubic Beziers.

    Outlines are specified as a handful of key points (chin, jaw, temple...) which is far
    easier to tune by eye than raw Bezier handles; the spline keeps them smooth.
    """
    pts = [QPointF(x, y) for x, y in points]
    n = len(pts)
    path = QPainterPath(pts[0])
    if n < 3:
        for p in pts[1:]:
            path.lineTo(p)
        return path
    count = n if closed else n - 1
    k = tension / 6.0
    for i in range(count):
        p0 = pts[(i - 1) % n] if (closed or i > 0) else pts[0]
        p1 = pts[i]
        p2 = pts[(i + 1) % n]
        p3 = pts[(i + 2) % n] if (closed or i + 2 < n) else pts[n - 1]
        c1 = p1 + (p2 - p0) * k
        c2 = p2 - (p3 - p1) * k
        path.cubicTo(c1, c2, p2)
    if closed:
        path.closeSubpath()
    return path


def mirrored_outline(right: Sequence[Point], cx: float = 0.0) -> QPainterPath:
    """Closed smooth outline from the right half's points (top to bottom, on-axis ends).

    The first and last points are on the axis; the left half is the mirror image, so faces
    and garments are symmetric by construction.
    """
    left = [(2 * cx - x, y) for x, y in reversed(right[1:-1])]
    return smooth_path(list(right) + left)


def shade(color: QColor, factor: float) -> QColor:
    """Darken (factor < 1) or lighten (> 1) keeping hue; clearer intent than darker()/lighter()
    whose percentages behave oddly on very dark colours."""
    h, s, v, a = color.getHsvF()
    h = max(h, 0.0)  # achromatic colours report hue -1
    if factor < 1.0:
        v *= factor
        s = min(1.0, s * (1.0 + (1.0 - factor) * 0.3))
    else:
        v = min(1.0, v * factor + (factor - 1.0) * 0.08)
        s *= max(0.0, 1.0 - (factor - 1.0) * 0.6)
    return QColor.fromHsvF(h, s, min(1.0, v), a)


def with_alpha(color: QColor, alpha: float) -> QColor:
    c = QColor(color)
    c.setAlphaF(max(0.0, min(1.0, alpha)))
    return c


def mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        lerp(a.redF(), b.redF(), t),
        lerp(a.greenF(), b.greenF(), t),
        lerp(a.blueF(), b.blueF(), t),
        lerp(a.alphaF(), b.alphaF(), t),
    )
