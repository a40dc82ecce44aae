"""Head-attached accessories (head-local coordinates): glasses, earrings, headband."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from vhost.avatar.character import Character
from vhost.stage.avatar.face import EYE_DX
from vhost.stage.avatar.geometry import shade, smooth_path, with_alpha

_GOLD = QColor("#D9B45A")


def paint_glasses(p: QPainter, character: Character) -> None:
    frame = QColor("#2B2A30") if QColor(character.hair_color).valueF() > 0.3 else QColor("#7A4E2E")
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(200, 225, 255, 28))  # faint lens tint, light enough to keep the eyes clear
    lenses = []
    for side in (-1, 1):
        r = QRectF(side * EYE_DX - 44, -32, 88, 66)
        lens = QPainterPath()
        lens.addRoundedRect(r, 26, 26)
        lenses.append(lens)
        p.drawPath(lens)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(frame, 5.0))
    for lens in lenses:
        p.drawPath(lens)
    p.drawPath(smooth_path([(-EYE_DX + 44, -6), (0, -14), (EYE_DX - 44, -6)], closed=False))
    for side in (-1, 1):
        p.drawLine(QPointF(side * (EYE_DX + 44), -12), QPointF(side * 150, -18))
    p.setPen(QPen(QColor(255, 255, 255, 90), 3.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    for side in (-1, 1):
        p.drawLine(QPointF(side * EYE_DX - 28, -20), QPointF(side * EYE_DX - 16, -26))


def paint_earrings(p: QPainter) -> None:
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(_GOLD, 4.0))
    for side in (-1, 1):
        p.drawEllipse(QPointF(side * 158, 98), 11, 14)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(with_alpha(QColor("#FFFFFF"), 0.6))
    for side in (-1, 1):
        p.drawEllipse(QPointF(side * 152, 90), 2.5, 2.5)


def paint_headband(p: QPainter, character: Character) -> None:
    hair = QColor(character.hair_color)
    band = QColor("#E8E1D6") if hair.valueF() < 0.45 else QColor("#C0394B")
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(shade(band, 0.75), 20.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    arc = smooth_path(
        [(-172, -138), (-116, -210), (0, -240), (116, -210), (172, -138)], closed=False
    )
    p.drawPath(arc)
    p.setPen(QPen(band, 15.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawPath(arc)
