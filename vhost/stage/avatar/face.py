"""Head, ears, eyes, brows, nose and blush, drawn in head-local coordinates.

Head-local space: origin between the eyes, y down, about 420 units from skull top (-215) to
chin (+205). The painter maps it onto the stage; every measurement below is in those units.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QRadialGradient,
)

from vhost.avatar.character import Character
from vhost.stage.avatar.geometry import (
    Point,
    lerp,
    mirrored_outline,
    mix,
    shade,
    smooth_path,
    with_alpha,
)

EYE_DX = 70.0  # eye centres at x = +-EYE_DX
BROW_Y = -52.0
NOSE_Y = 86.0
MOUTH_Y = 134.0

_FACE_RIGHT: dict[str, list[Point]] = {
    "oval": [
        (0, -215),
        (96, -204),
        (143, -150),
        (152, -60),
        (147, 30),
        (128, 108),
        (80, 172),
        (0, 202),
    ],
    "round": [
        (0, -213),
        (102, -202),
        (150, -146),
        (160, -56),
        (156, 34),
        (138, 112),
        (90, 170),
        (0, 196),
    ],
    "heart": [
        (0, -215),
        (104, -203),
        (152, -148),
        (156, -60),
        (144, 30),
        (114, 108),
        (62, 172),
        (0, 204),
    ],
    "square": [
        (0, -213),
        (100, -203),
        (146, -152),
        (153, -60),
        (151, 34),
        (142, 112),
        (102, 168),
        (0, 196),
    ],
}


@dataclass(frozen=True)
class EmotionFace:
    """How an emotion bends the face: per-side brow offsets, eye opening, blush, gaze."""

    brow_raise: float = 0.0  # negative = up
    brow_inner: float = 0.0  # extra offset of the inner end (negative = up)
    brow_outer: float = 0.0
    brow_arch: float = 0.0
    brow_left_raise: float = 0.0  # asymmetry (viewer's left brow)
    eye_scale: float = 1.0  # vertical opening multiplier
    lid_base: float = 0.0  # resting lid closure
    lower_lid: float = 0.0  # cheeks pushing the lower lid up (smiling eyes), 0..1
    iris_scale: float = 1.0
    gaze: tuple[float, float] = (0.0, 0.0)
    blush: float = 0.12


EMOTION_FACES: dict[str, EmotionFace] = {
    "neutral": EmotionFace(),
    "happy": EmotionFace(brow_raise=-5, brow_arch=3, lower_lid=0.35, lid_base=0.05, blush=0.34),
    "excited": EmotionFace(brow_raise=-13, brow_arch=5, eye_scale=1.12, lower_lid=0.15, blush=0.55),
    "surprised": EmotionFace(
        brow_raise=-22, brow_arch=7, eye_scale=1.28, iris_scale=0.86, blush=0.1
    ),
    "thinking": EmotionFace(
        brow_raise=-2, brow_inner=5, brow_left_raise=-14, lid_base=0.18, gaze=(-7, -8), blush=0.08
    ),
    "sad": EmotionFace(
        brow_raise=-2, brow_inner=-13, brow_outer=7, lid_base=0.3, gaze=(0, 4), blush=0.06
    ),
}


@lru_cache(maxsize=16)
def face_path(character: Character) -> QPainterPath:
    pts = list(_FACE_RIGHT[character.face_shape])
    if character.presentation == "masculine":
        # A slightly broader jaw; the forehead stays put so the hair still fits.
        pts = [(x * (1.04 if 60 < y < 190 else 1.0), y) for x, y in pts]
    return mirrored_outline(pts)


def skin_colors(character: Character) -> tuple[QColor, QColor, QColor]:
    """(base, shadow, highlight) skin colours."""
    base = QColor(character.skin_tone)
    return base, shade(base, 0.82), shade(base, 1.06)


def paint_ears(p: QPainter, character: Character) -> None:
    base, shadow, _ = skin_colors(character)
    for side in (-1, 1):
        ear = smooth_path(
            [
                (side * 144, -36),
                (side * 164, -48),
                (side * 179, -30),
                (side * 181, 4),
                (side * 173, 44),
                (side * 158, 78),
                (side * 144, 72),
            ]
        )
        p.setPen(QPen(with_alpha(shadow, 0.8), 2.5))
        p.setBrush(shade(base, 0.96))
        p.drawPath(ear)
        inner = smooth_path(
            [(side * 156, -28), (side * 168, -24), (side * 166, 20), (side * 158, 56)], closed=False
        )
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(shadow, 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawPath(inner)


def paint_face(p: QPainter, character: Character) -> None:
    base, shadow, highlight = skin_colors(character)
    path = face_path(character)
    grad = QRadialGradient(QPointF(-18, -30), 260)
    grad.setColorAt(0.0, highlight)
    grad.setColorAt(0.55, base)
    grad.setColorAt(1.0, shade(base, 0.9))
    p.setPen(QPen(with_alpha(shadow, 0.55), 2.5))
    p.setBrush(QBrush(grad))
    p.drawPath(path)


def paint_blush(p: QPainter, character: Character, emotion: str) -> None:
    amount = EMOTION_FACES.get(emotion, EMOTION_FACES["neutral"]).blush
    skin = QColor(character.skin_tone)
    # Pink reads as blush on light skin but as red blotches on deep skin: go deeper and
    # subtler as the skin darkens.
    light = skin.valueF()
    color = mix(QColor("#B8404E"), QColor("#F06C7A"), max(0.0, min(1.0, (light - 0.35) / 0.6)))
    amount *= 0.55 + 0.45 * light
    p.setPen(Qt.PenStyle.NoPen)
    for side in (-1, 1):
        c = QPointF(side * 92, 62)
        g = QRadialGradient(c, 46)
        g.setColorAt(0.0, with_alpha(color, amount))
        g.setColorAt(1.0, with_alpha(color, 0.0))
        p.setBrush(QBrush(g))
        p.drawEllipse(c, 52, 36)


def _eye_geometry(shape: str, scale: float, lower_lid: float) -> tuple[float, float, float]:
    """(half width, upper height, outer-corner lift) for an eye shape."""
    a, b, lift = {
        "almond": (37.0, 20.5, -2.0),
        "round": (35.0, 24.0, 0.0),
        "upturned": (37.0, 20.5, -8.0),
    }[shape]
    return a, b * scale * (1.0 - 0.25 * lower_lid), lift


def _eye_curves(a: float, b: float, lift: float, lower_lid: float):
    """Upper and lower lid curves for the viewer's right eye (outer corner at +a)."""
    up = (
        QPointF(-a, 0),
        QPointF(-a * 0.45, -b * 1.38),
        QPointF(a * 0.5, -b * 1.38),
        QPointF(a, lift),
    )
    lo_h = b * (0.95 - 0.55 * lower_lid)
    lo = (QPointF(a, lift), QPointF(a * 0.45, lo_h), QPointF(-a * 0.5, lo_h), QPointF(-a, 0))
    return up, lo


def paint_eyes(
    p: QPainter,
    character: Character,
    emotion: str,
    blink: float,
    sway: float,
    gaze: tuple[float, float] = (0.0, 0.0),
) -> None:
    """`gaze`: extra look direction, -1..1 per axis in viewer space (toward the card)."""
    ef = EMOTION_FACES.get(emotion, EMOTION_FACES["neutral"])
    base, shadow, _ = skin_colors(character)
    closure = max(0.0, min(1.0, max(blink, ef.lid_base)))
    a, b, lift = _eye_geometry(character.eye_shape, ef.eye_scale, ef.lower_lid)
    lash = (
        QColor("#2A1E1A")
        if QColor(character.hair_color).valueF() > 0.35
        else shade(QColor(character.hair_color), 0.7)
    )
    iris_c = QColor(character.eye_color)
    feminine = character.presentation == "feminine"
    for side in (-1, 1):
        p.save()
        p.translate(side * EYE_DX, 0)
        p.scale(side, 1)  # draw the right eye; mirror for the left so outer corners match
        up, lo = _eye_curves(a, b, lift, ef.lower_lid)
        white = QPainterPath(up[0])
        white.cubicTo(up[1], up[2], up[3])
        white.cubicTo(lo[1], lo[2], lo[3])
        white.closeSubpath()
        # Crease above the eye, then the eye white.
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(
            QPen(with_alpha(shadow, 0.45), 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        )
        crease = QPainterPath(QPointF(-a * 0.8, -b * 1.0 - 6))
        crease.cubicTo(
            QPointF(-a * 0.3, -b * 1.75 - 6),
            QPointF(a * 0.4, -b * 1.75 - 6),
            QPointF(a * 0.95, lift - b * 0.7 - 4),
        )
        p.drawPath(crease)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#FBF7F3"))
        p.drawPath(white)

        p.save()
        p.setClipPath(white)
        # Gaze is in viewer space; multiplying by `side` undoes the mirror of this eye.
        gaze_x = ef.gaze[0] * (1.0 - abs(gaze[0])) + sway * 2.0 + gaze[0] * 13.0
        gaze_y = ef.gaze[1] * (1.0 - abs(gaze[1])) + gaze[1] * 7.0
        r = 19.0 * ef.iris_scale * (1.0 if character.eye_shape != "round" else 1.05)
        ic = QPointF(gaze_x * side, gaze_y - 1.5)
        ig = QRadialGradient(ic, r)
        ig.setColorAt(0.0, shade(iris_c, 1.35))
        ig.setColorAt(0.65, iris_c)
        ig.setColorAt(1.0, shade(iris_c, 0.55))
        p.setBrush(QBrush(ig))
        p.setPen(QPen(shade(iris_c, 0.45), 1.5))
        p.drawEllipse(ic, r, r)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#140E0C"))
        p.drawEllipse(ic, r * 0.45, r * 0.45)
        p.setBrush(QColor(255, 255, 255, 235))
        p.drawEllipse(ic + QPointF(-r * 0.35 * side, -r * 0.38), r * 0.26, r * 0.26)
        p.setBrush(QColor(255, 255, 255, 150))
        p.drawEllipse(ic + QPointF(r * 0.32 * side, r * 0.34), r * 0.12, r * 0.12)
        # Soft shadow the upper lid casts on the eyeball.
        sg = QLinearGradient(QPointF(0, -b * 1.1), QPointF(0, -b * 0.3))
        sg.setColorAt(0.0, QColor(60, 30, 20, 90))
        sg.setColorAt(1.0, QColor(60, 30, 20, 0))
        p.setBrush(QBrush(sg))
        p.drawRect(QRectF(-a, -b * 1.5, 2 * a, b * 1.3))

        # Upper lid: its edge slides from the open curve down to just above the lower lid.
        lid_edge = [
            QPointF(lerp(u.x(), lw.x(), closure), lerp(u.y(), lw.y() - 2, closure))
            for u, lw in zip(up, (lo[3], lo[2], lo[1], lo[0]), strict=True)
        ]
        lid = QPainterPath(lid_edge[0])
        lid.cubicTo(lid_edge[1], lid_edge[2], lid_edge[3])
        lid.lineTo(QPointF(a + 4, -b * 3))
        lid.lineTo(QPointF(-a - 4, -b * 3))
        lid.closeSubpath()
        p.setBrush(mix(base, shadow, 0.22))
        p.drawPath(lid)
        p.restore()

        # Lash line along the lid edge, heavier towards the outer corner.
        edge = QPainterPath(lid_edge[0])
        edge.cubicTo(lid_edge[1], lid_edge[2], lid_edge[3])
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(
            QPen(lash, 4.2 if feminine else 3.4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        )
        p.drawPath(edge)
        if feminine:
            p.setPen(QPen(lash, 2.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            for i, frac in enumerate((0.72, 0.86, 1.0)):
                pt = edge.pointAtPercent(frac)
                tip = pt + QPointF(5 + 2 * i, -6 - i * 1.5 + closure * 8)
                p.drawLine(pt, tip)
        lower = QPainterPath(lo[0])
        lower.cubicTo(lo[1], lo[2], lo[3])
        p.setPen(QPen(with_alpha(shadow, 0.8), 1.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawPath(lower)
        p.restore()


def _tapered(points: list[QPointF], w0: float, w1: float) -> QPainterPath:
    """Filled stroke whose width goes from w0 to w1 along a quadratic through 3 points."""
    (p0, p1, p2) = points
    left: list[Point] = []
    right: list[Point] = []
    n = 12
    for i in range(n + 1):
        t = i / n
        pt = p0 * (1 - t) ** 2 + p1 * 2 * (1 - t) * t + p2 * t * t
        d = (p1 - p0) * 2 * (1 - t) + (p2 - p1) * 2 * t
        length = max(1e-6, (d.x() ** 2 + d.y() ** 2) ** 0.5)
        nx, ny = -d.y() / length, d.x() / length
        w = lerp(w0, w1, t) * (0.55 + 0.45 * (1 - (2 * t - 1) ** 4)) / 2
        left.append((pt.x() + nx * w, pt.y() + ny * w))
        right.append((pt.x() - nx * w, pt.y() - ny * w))
    return smooth_path(left + list(reversed(right)))


_BROW_STYLE = {  # (inner width, outer width, arch)
    "soft": (10.0, 4.5, 7.0),
    "straight": (10.0, 5.5, 2.5),
    "arched": (9.0, 3.5, 12.0),
    "thick": (15.0, 8.0, 5.0),
}


@lru_cache(maxsize=64)
def _brow_paths(character: Character, emotion: str) -> tuple[QPainterPath, QPainterPath]:
    ef = EMOTION_FACES.get(emotion, EMOTION_FACES["neutral"])
    w0, w1, arch = _BROW_STYLE[character.brows]
    if character.presentation == "masculine":
        w0, w1 = w0 + 3, w1 + 2
    paths = []
    for side in (-1, 1):
        raise_ = ef.brow_raise + (ef.brow_left_raise if side < 0 else 0.0)
        inner = QPointF(side * (EYE_DX - 36), BROW_Y + 6 + raise_ + ef.brow_inner)
        mid = QPointF(side * (EYE_DX + 2), BROW_Y - arch - ef.brow_arch + raise_ - 6)
        outer = QPointF(side * (EYE_DX + 42), BROW_Y + 8 + raise_ * 0.8 + ef.brow_outer)
        paths.append(_tapered([inner, mid, outer], w0, w1))
    return paths[0], paths[1]


def paint_brows(p: QPainter, character: Character, emotion: str) -> None:
    color = shade(QColor(character.hair_color), 0.8)
    if QColor(character.hair_color).valueF() > 0.7:
        color = shade(QColor(character.hair_color), 0.5)  # pale hair still needs readable brows
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(color)
    for path in _brow_paths(character, emotion):
        p.drawPath(path)


def paint_nose(p: QPainter, character: Character) -> None:
    base, shadow, highlight = skin_colors(character)
    # Soft shading and two nostril wings: enough to read as a nose without the hard outline
    # that makes 2D faces look uncanny.
    p.setPen(Qt.PenStyle.NoPen)
    g = QRadialGradient(QPointF(0, NOSE_Y + 3), 24)
    g.setColorAt(0.0, with_alpha(shadow, 0.55))
    g.setColorAt(1.0, with_alpha(shadow, 0.0))
    p.setBrush(QBrush(g))
    p.drawEllipse(QPointF(0, NOSE_Y + 3), 24, 10)
    side_shadow = QLinearGradient(QPointF(4, 0), QPointF(20, 0))
    side_shadow.setColorAt(0.0, with_alpha(shadow, 0.0))
    side_shadow.setColorAt(0.5, with_alpha(shadow, 0.28))
    side_shadow.setColorAt(1.0, with_alpha(shadow, 0.0))
    p.setBrush(QBrush(side_shadow))
    p.drawPath(smooth_path([(8, -14), (16, 20), (22, 62), (12, 70), (8, 30)]))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(shade(base, 0.72), 2.8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for side in (-1, 1):
        p.drawPath(
            smooth_path(
                [(side * 15, NOSE_Y - 16), (side * 20, NOSE_Y - 5), (side * 10, NOSE_Y)],
                closed=False,
            )
        )
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(with_alpha(highlight, 0.8))
    p.drawEllipse(QPointF(-2, NOSE_Y - 14), 7, 5)
