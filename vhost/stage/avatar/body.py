"""Neck, shoulders and outfit, in the same head-local units as the face (origin between the
eyes at rest) but not rotated with the head. Static geometry is cached per character."""

from __future__ import annotations

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
from vhost.stage.avatar.face import skin_colors
from vhost.stage.avatar.geometry import mirrored_outline, shade, smooth_path, with_alpha

BODY_BOTTOM = 600.0


@lru_cache(maxsize=16)
def _shapes(character: Character) -> tuple[QPainterPath, QPainterPath]:
    """(neck+chest skin, outfit with the neckline cut out) paths."""
    k = 1.08 if character.presentation == "masculine" else 1.0
    nw = 66.0 if character.presentation == "masculine" else 57.0
    neck = mirrored_outline(
        [(0, 100), (nw, 100), (nw + 2, 200), (nw + 8, 240), (nw + 20, 270), (120, 440), (0, 450)]
    )
    # Trapezius slope, rounded deltoid, then the upper arm going straight down to a flat cut.
    bottom = BODY_BOTTOM + 12
    right = [
        (30, 261),
        (90 * k, 260),
        (190 * k, 276),
        (282 * k, 302),
        (334 * k, 340),
        (358 * k, 400),
        (366 * k, 480),
        (370 * k, bottom),
    ]
    body = smooth_path([(-x, y) for x, y in reversed(right)] + right, closed=False)
    body.lineTo(QPointF(-370 * k, bottom))
    body.closeSubpath()
    style = character.outfit_style
    if style in ("tee", "hoodie"):
        neckline = smooth_path([(-80, 256), (-62, 298), (0, 324), (62, 298), (80, 256), (0, 242)])
    elif style == "blazer":
        neckline = smooth_path(
            [(-96, 258), (-40, 360), (0, 450), (40, 360), (96, 258), (0, 242)], tension=0.4
        )
    elif style == "blouse":
        neckline = smooth_path(
            [(-84, 258), (-36, 320), (0, 372), (36, 320), (84, 258), (0, 242)], tension=0.5
        )
    else:  # turtleneck covers the neck instead of exposing it
        neckline = QPainterPath()
    outfit = body.subtracted(neckline) if not neckline.isEmpty() else body
    return neck, outfit


def paint_body(p: QPainter, character: Character) -> None:
    neck, outfit = _shapes(character)
    skin, shadow, _ = skin_colors(character)
    cloth = QColor(character.outfit_color)
    p.setPen(Qt.PenStyle.NoPen)
    ng = QLinearGradient(QPointF(0, 150), QPointF(0, 310))
    ng.setColorAt(0.0, shade(skin, 0.8))  # the jaw shadows the top of the neck
    ng.setColorAt(0.45, shade(skin, 0.95))
    ng.setColorAt(1.0, skin)
    p.setBrush(QBrush(ng))
    p.drawPath(neck)

    style = character.outfit_style
    if style == "blazer":
        shirt = QColor("#F4F1EA") if cloth.valueF() < 0.75 else QColor("#2C2C33")
        p.setBrush(shirt)
        p.drawPath(smooth_path([(-96, 258), (0, 450), (96, 258)], tension=0.2))
        p.setBrush(skin)
        p.drawPath(smooth_path([(-50, 262), (0, 330), (50, 262)], tension=0.2))

    bg = QRadialGradient(QPointF(0, 280), 480)
    bg.setColorAt(0.0, shade(cloth, 1.08))
    bg.setColorAt(0.7, cloth)
    bg.setColorAt(1.0, shade(cloth, 0.75))
    p.setPen(QPen(shade(cloth, 0.6), 2.5))
    p.setBrush(QBrush(bg))
    p.drawPath(outfit)

    seam = QPen(
        with_alpha(shade(cloth, 0.6), 0.8), 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap
    )
    p.setBrush(Qt.BrushStyle.NoBrush)
    if style in ("tee", "hoodie"):
        p.setPen(QPen(shade(cloth, 0.8), 9, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawPath(
            smooth_path([(-80, 258), (-62, 300), (0, 326), (62, 300), (80, 258)], closed=False)
        )
        p.setPen(seam)
        for s in (-1, 1):
            p.drawPath(smooth_path([(s * 300, 320), (s * 316, 430), (s * 326, 600)], closed=False))
    if style == "hoodie":
        # The hood bunched behind the neck and the drawstrings.
        p.setPen(QPen(shade(cloth, 0.7), 2.5))
        p.setBrush(shade(cloth, 0.92))
        hood = smooth_path(
            [
                (-150, 280),
                (-110, 238),
                (0, 226),
                (110, 238),
                (150, 280),
                (84, 262),
                (0, 254),
                (-84, 262),
            ]
        )
        p.drawPath(hood)
        p.setPen(QPen(QColor("#F2EEE8"), 6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawLine(QPointF(-32, 318), QPointF(-40, 450))
        p.drawLine(QPointF(32, 318), QPointF(38, 450))
    elif style == "blazer":
        for s in (-1, 1):
            lapel = smooth_path(
                [
                    (s * 96, 260),
                    (s * 40, 365),
                    (s * 6, 452),
                    (s * 70, 384),
                    (s * 118, 352),
                    (s * 106, 310),
                    (s * 124, 276),
                ],
                tension=0.3,
            )
            p.setPen(QPen(shade(cloth, 0.55), 2.5))
            p.setBrush(shade(cloth, 0.88))
            p.drawPath(lapel)
        p.setBrush(QColor("#D9B45A"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawEllipse(QPointF(0, 500), 9, 9)
    elif style == "turtleneck":
        # A folded collar, a little wider than the neck it covers.
        cw = 80.0 if character.presentation == "masculine" else 72.0
        collar = QPainterPath()
        collar.addRoundedRect(QRectF(-cw, 176, 2 * cw, 110), 34, 26)
        cg = QLinearGradient(QPointF(-cw, 0), QPointF(cw, 0))
        cg.setColorAt(0.0, shade(cloth, 0.8))
        cg.setColorAt(0.5, shade(cloth, 1.05))
        cg.setColorAt(1.0, shade(cloth, 0.8))
        p.setPen(QPen(shade(cloth, 0.6), 2.5))
        p.setBrush(QBrush(cg))
        p.drawPath(collar)
        p.setPen(seam)
        p.drawArc(QRectF(-cw + 6, 206, 2 * cw - 12, 30), 200 * 16, 140 * 16)
    elif style == "blouse":
        collar_c = shade(cloth, 1.25) if cloth.valueF() < 0.8 else shade(cloth, 0.9)
        p.setPen(QPen(shade(cloth, 0.6), 2.5))
        p.setBrush(collar_c)
        for s in (-1, 1):
            p.drawPath(
                smooth_path(
                    [
                        (s * 84, 256),
                        (s * 36, 320),
                        (s * 2, 372),
                        (s * 40, 356),
                        (s * 112, 314),
                        (s * 110, 270),
                    ],
                    tension=0.3,
                )
            )


def paint_necklace(p: QPainter) -> None:
    gold = QColor("#D9B45A")
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(gold, 3.0))
    p.drawPath(smooth_path([(-70, 242), (-48, 300), (0, 332), (48, 300), (70, 242)], closed=False))
    p.setPen(QPen(shade(gold, 0.7), 1.5))
    p.setBrush(gold)
    p.drawEllipse(QPointF(0, 342), 9, 11)
