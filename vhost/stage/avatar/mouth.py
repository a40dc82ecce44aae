"""The mouth: one parametric shape per viseme, opened by the pose's mouth_open.

Drawn in mouth-local coordinates (origin at the mouth centre, head-local units). Each viseme
sets width, roundness and which of teeth/tongue show, so shapes stay readable even at the
small sizes a stream viewer sees.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QLinearGradient, QPainter, QPainterPath, QPen

from vhost.avatar.character import Character
from vhost.stage.avatar.geometry import lerp, mix, shade, with_alpha

# Opening height (units) at mouth_open == 1 before the per-shape factor.
_OPEN_HEIGHT = 56.0
_HALF_WIDTH = 49.0


@dataclass(frozen=True)
class MouthShape:
    width: float = 1.0  # x half-width factor
    height: float = 1.0  # opening factor on top of mouth_open
    roundness: float = 0.0  # 0 lens-shaped with sharp corners .. 1 oval
    teeth_top: float = 0.0  # 0..1 how much of the upper teeth show
    teeth_bottom: float = 0.0
    tongue: float = 0.0  # 0 none .. 1 prominent
    tongue_up: bool = False  # tongue tip raised against the teeth (L)
    upper_lip: float = 1.0  # lip thickness factors: pressed lips thin, pouted lips thick
    lower_lip: float = 1.0
    min_open: float = 0.0  # a floor so e.g. FV always shows its teeth on the lip


SHAPES: dict[str, MouthShape] = {
    "rest": MouthShape(),
    "MBP": MouthShape(width=0.86, upper_lip=0.35, lower_lip=0.4),
    "FV": MouthShape(
        width=0.94, height=1.0, roundness=0.1, teeth_top=1.0, lower_lip=0.75, min_open=0.1
    ),
    "L": MouthShape(
        width=0.94, height=0.9, roundness=0.35, teeth_top=0.8, tongue=1.0, tongue_up=True
    ),
    "WQ": MouthShape(width=0.5, height=0.7, roundness=0.95, upper_lip=1.5, lower_lip=1.45),
    "E": MouthShape(width=1.14, height=0.72, roundness=0.05, teeth_top=1.0, teeth_bottom=0.8),
    "AI": MouthShape(width=1.04, height=1.0, roundness=0.4, teeth_top=0.9, tongue=0.7),
    "O": MouthShape(
        width=0.76,
        height=1.08,
        roundness=1.0,
        teeth_top=0.35,
        tongue=0.4,
        upper_lip=1.1,
        lower_lip=1.1,
    ),
    "U": MouthShape(
        width=0.66,
        height=1.3,
        roundness=1.0,
        teeth_top=0.35,
        tongue=0.6,
        upper_lip=1.15,
        lower_lip=1.15,
    ),
    "etc": MouthShape(width=0.9, height=1.0, roundness=0.5, teeth_top=0.6, tongue=0.8),
}


@dataclass(frozen=True)
class _Mood:
    corner_lift: float = -2.0  # negative raises the corners (smile)
    asym: float = 0.0  # extra lift of the viewer's right corner
    width: float = 1.0
    shift: float = 0.0  # x offset (a thinking mouth slides to one side)
    idle_open: float = 0.0  # opening when silent (surprise, excitement)
    idle_shape: str = "rest"


_MOODS = {
    "neutral": _Mood(),
    "happy": _Mood(corner_lift=-10.0, width=1.08),
    "excited": _Mood(corner_lift=-12.0, width=1.1, idle_open=0.38, idle_shape="E"),
    "surprised": _Mood(corner_lift=1.0, width=0.9, idle_open=0.42, idle_shape="O"),
    "thinking": _Mood(corner_lift=1.0, asym=-7.0, width=0.84, shift=9.0),
    "sad": _Mood(corner_lift=9.0, width=0.92),
}


def lip_color(character: Character) -> QColor:
    skin = QColor(character.skin_tone)
    tint = QColor("#C2505E") if skin.valueF() > 0.6 else QColor("#8E3B42")
    return mix(skin, tint, 0.58 if character.presentation == "feminine" else 0.4)


def paint_mouth(
    p: QPainter, character: Character, viseme: str, mouth_open: float, emotion: str
) -> None:
    mood = _MOODS.get(emotion, _MOODS["neutral"])
    openness = max(0.0, min(1.0, mouth_open))
    if viseme == "rest" and openness < mood.idle_open:
        viseme, openness = mood.idle_shape, mood.idle_open
    shape = SHAPES.get(viseme, SHAPES["etc"])
    openness = max(openness, shape.min_open)
    # Smiles widen only the less-rounded shapes: an O stays an O even when happy.
    w = _HALF_WIDTH * shape.width * lerp(mood.width, 1.0, shape.roundness)
    if character.presentation == "masculine":
        w *= 1.05
    h = _OPEN_HEIGHT * openness * shape.height
    lift = mood.corner_lift * (1.0 - 0.7 * shape.roundness)
    left = QPointF(-w + mood.shift, lift)
    right = QPointF(w + mood.shift, lift + mood.asym)
    cx = mood.shift
    top_y = -h * 0.32
    bot_y = h * 0.68 + max(0.0, -lift) * 0.35  # smiles curve the lower edge more
    kx = lerp(0.5, 1.0, shape.roundness) * w

    lips = lip_color(character)
    dark = shade(lips, 0.62)
    t_up = 11.5 * shape.upper_lip
    t_lo = 15.0 * shape.lower_lip

    # Outer lip contour (cupid's bow on top, full curve below), shared by open and closed.
    outer = QPainterPath(left + QPointF(-3, 0))
    outer.cubicTo(
        QPointF(cx - w * 0.75, top_y - t_up * 0.9),
        QPointF(cx - w * 0.35, top_y - t_up * 1.35),
        QPointF(cx, top_y - t_up * 0.85),
    )
    outer.cubicTo(
        QPointF(cx + w * 0.35, top_y - t_up * 1.35),
        QPointF(cx + w * 0.75, top_y - t_up * 0.9),
        right + QPointF(3, 0),
    )
    outer.cubicTo(
        QPointF(cx + w * 0.7, bot_y + t_lo * 1.35),
        QPointF(cx - w * 0.7, bot_y + t_lo * 1.35),
        left + QPointF(-3, 0),
    )
    outer.closeSubpath()

    opening = QPainterPath(left)
    opening.cubicTo(
        QPointF(cx - kx, top_y * 1.33 + lift * 0.3),
        QPointF(cx + kx, top_y * 1.33 + lift * 0.3),
        right,
    )
    opening.cubicTo(QPointF(cx + kx, bot_y * 1.33), QPointF(cx - kx, bot_y * 1.33), left)
    opening.closeSubpath()

    # A faint outline separates the lips from skin of similar brightness (deep skin tones).
    p.setPen(QPen(with_alpha(dark, 0.35), 1.5))
    lg = QLinearGradient(QPointF(0, top_y - t_up), QPointF(0, bot_y + t_lo))
    lg.setColorAt(0.0, shade(lips, 0.84))
    lg.setColorAt(0.45, lips)
    lg.setColorAt(1.0, shade(lips, 1.08))
    p.setBrush(QBrush(lg))
    p.drawPath(outer)

    if h < 2.0:
        # Closed: a lip line, pressed flatter for MBP.
        line = QPainterPath(left)
        sag = 3.0 if viseme != "MBP" else 0.5
        line.cubicTo(
            QPointF(cx - w * 0.4, lift * 0.3 + sag), QPointF(cx + w * 0.4, lift * 0.3 + sag), right
        )
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(
            QPen(
                dark,
                4.6 if viseme == "MBP" else 2.6,
                Qt.PenStyle.SolidLine,
                Qt.PenCapStyle.RoundCap,
            )
        )
        p.drawPath(line)
        if viseme == "MBP":
            # Pressed lips bulge the skin below the lower lip and dimple the corners: that,
            # more than the thin lips, is what makes an M/B/P read at stream resolution.
            p.setPen(
                QPen(
                    with_alpha(shade(QColor(character.skin_tone), 0.7), 0.8),
                    3.2,
                    Qt.PenStyle.SolidLine,
                    Qt.PenCapStyle.RoundCap,
                )
            )
            p.drawArc(QRectF(cx - w * 0.55, 6, w * 1.1, 18), 200 * 16, 140 * 16)
            for side in (-1, 1):
                corner = QPointF(cx + side * (w + 5), lift)
                p.drawLine(corner + QPointF(0, -6), corner + QPointF(side * 2, 6))
    else:
        p.setBrush(QColor("#3A1418"))
        p.drawPath(opening)
        p.save()
        p.setClipPath(opening)
        top = top_y * 1.0 - 1.0
        bottom = bot_y
        if shape.tongue > 0:
            p.setBrush(QColor("#D0606A"))
            if shape.tongue_up:
                p.drawEllipse(QPointF(cx, top + h * 0.45), w * 0.38, h * 0.42)
            else:
                p.drawEllipse(QPointF(cx, bottom + 2), w * 0.62, h * 0.42 * shape.tongue + 4)
        if shape.teeth_top > 0:
            th = min(13.0, h * 0.42) * shape.teeth_top + 2
            p.setBrush(QColor("#F7F4EE"))
            p.drawRect(QRectF(cx - w, top - 20, 2 * w, 20 + th))
        if shape.teeth_bottom > 0:
            th = min(10.0, h * 0.3) * shape.teeth_bottom + 1
            p.setBrush(QColor("#ECE7DF"))
            p.drawRect(QRectF(cx - w, bottom - th, 2 * w, th + 20))
        p.restore()
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(with_alpha(dark, 0.8), 1.6))
        p.drawPath(opening)
    # Lower-lip highlight keeps the mouth from reading as a flat cut-out.
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(255, 255, 255, 38))
    p.drawEllipse(QPointF(cx - 3, bot_y + t_lo * 0.45), w * 0.22, max(1.5, t_lo * 0.16))
