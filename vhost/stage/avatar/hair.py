"""Hair as two layers in head-local coordinates: `back` (behind face and neck) and `front`
(fringe and side locks over the forehead). Paths depend only on the character, so they are
built once and cached; the painter only transforms them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QLinearGradient, QPainter, QPainterPath, QPen

from vhost.avatar.character import Character
from vhost.stage.avatar.geometry import Point, mirrored_outline, shade, smooth_path, with_alpha

# Right half of a cap that hugs the skull a little outside the face outline.
_CAP = [(0, -252), (112, -238), (172, -184), (196, -96), (200, -12)]


def _mirror(points: Sequence[Point]) -> list[Point]:
    return [(-x, y) for x, y in points]


def _circles(centres: Sequence[tuple[float, float, float]]) -> QPainterPath:
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    for x, y, r in centres:
        path.addEllipse(QPointF(x, y), r, r)
    return path.simplified()


def _ring(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float, n: int, r: float):
    out = []
    for i in range(n):
        a = math.radians(a0 + (a1 - a0) * i / (n - 1))
        out.append((cx + rx * math.cos(a), cy + ry * math.sin(a), r))
    return out


def _long() -> tuple[QPainterPath, QPainterPath]:
    back = mirrored_outline(_CAP + [(208, 100), (218, 230), (226, 330), (170, 362), (0, 352)])
    # Centre part with curtain bangs that open over the forehead and fall past the shoulders.
    right = [
        (0, -247),
        (34, -257),
        (112, -242),
        (174, -186),
        (198, -92),
        (204, -8),
        (210, 120),
        (216, 250),
        (220, 332),
        (200, 350),
        (180, 332),
        (166, 200),
        (156, 60),
        (150, -40),
        (136, -108),
        (100, -160),
        (50, -196),
        (14, -222),
    ]
    left = list(reversed(_mirror(right[1:])))
    return back, smooth_path(right + left)


def _bob() -> tuple[QPainterPath, QPainterPath]:
    back = mirrored_outline(_CAP + [(206, 70), (200, 150), (166, 188), (0, 182)])
    outer = [
        (0, -256),
        (112, -242),
        (176, -186),
        (200, -92),
        (206, 0),
        (206, 96),
        (198, 166),
        (182, 192),
    ]
    inner = [(162, 178), (152, 120), (151, 20), (146, -56)]
    fringe = [(124, -86), (96, -80), (66, -88), (34, -82), (0, -90)]
    right = outer + inner + fringe
    left = list(reversed(_mirror(right[1:-1])))
    return back, smooth_path(right + left)


def _tight_cap(sides_to: float = 0.0) -> QPainterPath:
    return mirrored_outline(
        [
            (0, -250),
            (110, -236),
            (168, -182),
            (188, -96),
            (184, -20),
            (170, sides_to),
            (0, sides_to),
        ]
    )


def _swept_front(
    top: float = -254, hairline: float = -160, peak: Point | None = None
) -> QPainterPath:
    """Hair swept back from a hairline: the forehead shows, temples covered to the ears."""
    outer = [(0, top), (112, top + 14), (172, -186), (190, -98), (184, -34)]
    inner = [(166, -40), (156, -100), (124, hairline + 18), (64, hairline + 2), (0, hairline)]
    right = outer + inner
    if peak is not None:
        right = [peak] + right[1:]
    left = list(reversed(_mirror(right[1:-1])))
    return smooth_path(right + left)


def _ponytail() -> tuple[QPainterPath, QPainterPath]:
    back = _tight_cap()
    tail = smooth_path(
        [
            (150, -70),
            (196, -30),
            (222, 80),
            (230, 200),
            (214, 300),
            (196, 250),
            (186, 120),
            (162, 10),
        ]
    )
    back = back.united(tail)
    return back, _swept_front()


def _bun() -> tuple[QPainterPath, QPainterPath]:
    back = _tight_cap()
    bun = QPainterPath()
    bun.addEllipse(QPointF(0, -272), 78, 62)
    return back.united(bun), _swept_front(hairline=-164)


def _curly() -> tuple[QPainterPath, QPainterPath]:
    back = _circles(_ring(0, -40, 190, 200, 160, 380, 15, 56) + [(0, -80, 175)])
    front = _circles(
        _ring(0, -140, 148, 92, 192, 348, 9, 36)
        + [(0, -222, 62), (-82, -214, 52), (82, -214, 52), (-150, -150, 40), (150, -150, 40)]
    )
    return back, front


def _short() -> tuple[QPainterPath, QPainterPath]:
    back = _tight_cap(sides_to=-10)
    right = [
        (0, -262),
        (100, -252),
        (170, -200),
        (192, -120),
        (188, -56),
        (178, -18),
        (164, -36),
        (156, -92),
        (140, -136),
        (104, -146),
        (84, -134),
        (60, -150),
        (32, -140),
        (0, -154),
    ]
    left = list(reversed(_mirror(right[1:-1])))
    return back, smooth_path(right + left)


def _side_part() -> tuple[QPainterPath, QPainterPath]:
    back = _tight_cap(sides_to=-10)
    pts = [
        (-55, -264),
        (20, -276),
        (105, -264),
        (168, -216),
        (194, -140),
        (194, -70),
        (184, -20),
        (168, -30),
        (160, -80),
        (150, -122),
        (128, -140),
        (90, -150),
        (40, -158),
        (-10, -172),
        (-45, -196),
        (-62, -222),
        (-92, -192),
        (-134, -160),
        (-152, -110),
        (-160, -60),
        (-170, -22),
        (-186, -60),
        (-192, -130),
        (-174, -202),
        (-125, -248),
    ]
    return back, smooth_path(pts)


def _quiff() -> tuple[QPainterPath, QPainterPath]:
    back = _tight_cap(sides_to=-14)
    pts = [
        (-40, -300),
        (40, -316),
        (120, -292),
        (178, -216),
        (194, -130),
        (188, -60),
        (178, -20),
        (162, -40),
        (154, -100),
        (136, -140),
        (90, -158),
        (30, -168),
        (-30, -166),
        (-90, -158),
        (-136, -140),
        (-154, -100),
        (-162, -40),
        (-178, -20),
        (-188, -60),
        (-192, -140),
        (-170, -222),
        (-110, -282),
    ]
    return back, smooth_path(pts)


_STYLES = {
    "long": _long,
    "bob": _bob,
    "ponytail": _ponytail,
    "bun": _bun,
    "curly": _curly,
    "short": _short,
    "side_part": _side_part,
    "quiff": _quiff,
}


@lru_cache(maxsize=16)
def hair_paths(style: str) -> tuple[QPainterPath, QPainterPath]:
    return _STYLES[style]()


def _hair_brush(color: QColor, top: float, bottom: float, factor: float) -> QBrush:
    g = QLinearGradient(QPointF(0, top), QPointF(0, bottom))
    g.setColorAt(0.0, shade(color, 1.18 * factor))
    g.setColorAt(0.35, shade(color, 1.0 * factor))
    g.setColorAt(1.0, shade(color, 0.8 * factor))
    return QBrush(g)


def paint_hair_back(p: QPainter, character: Character) -> None:
    back, _ = hair_paths(character.hair_style)
    color = QColor(character.hair_color)
    rect = back.boundingRect()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(_hair_brush(color, rect.top(), rect.bottom(), 0.78))
    p.drawPath(back)


def paint_hair_front(p: QPainter, character: Character) -> None:
    _, front = hair_paths(character.hair_style)
    color = QColor(character.hair_color)
    rect = front.boundingRect()
    p.setPen(QPen(shade(color, 0.7), 2.0))
    p.setBrush(_hair_brush(color, rect.top(), rect.bottom(), 1.0))
    p.drawPath(front)
    # Strands and a crown highlight give the flat shape some texture and volume.
    p.save()
    p.setClipPath(front)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(
        QPen(
            with_alpha(shade(color, 0.62), 0.55),
            3.0,
            Qt.PenStyle.SolidLine,
            Qt.PenCapStyle.RoundCap,
        )
    )
    for dx in (-110, -60, -15, 35, 85, 135):
        strand = smooth_path(
            [(dx * 0.4, -250), (dx * 0.85, -190), (dx * 1.05, -120), (dx * 1.1, 40)], closed=False
        )
        p.drawPath(strand)
    p.setPen(
        QPen(
            with_alpha(shade(color, 1.6), 0.35),
            10.0,
            Qt.PenStyle.SolidLine,
            Qt.PenCapStyle.RoundCap,
        )
    )
    p.drawArc(-130, -240, 260, 120, 40 * 16, 100 * 16)
    p.restore()
