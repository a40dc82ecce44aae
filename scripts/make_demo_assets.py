"""Draw the demo product photos (mug, earbuds, lamp) into assets/demo/products/.

Programmatic so the repo carries no third-party images and the output is reproducible:
run `python scripts/make_demo_assets.py` and the PNGs come out the same every time.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPointF, QRectF, Qt  # noqa: E402
from PySide6.QtGui import (  # noqa: E402
    QBrush,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QRadialGradient,
)

SIZE = 600
BACKDROP = QColor("#F3F0EA")
OUT_DIR = Path(__file__).resolve().parent.parent / "assets" / "demo" / "products"


def _backdrop(p: QPainter) -> None:
    p.fillRect(QRectF(0, 0, SIZE, SIZE), BACKDROP)
    g = QRadialGradient(QPointF(SIZE / 2, SIZE * 0.42), SIZE * 0.6)
    g.setColorAt(0.0, QColor(255, 255, 255, 170))
    g.setColorAt(1.0, QColor(255, 255, 255, 0))
    p.fillRect(QRectF(0, 0, SIZE, SIZE), QBrush(g))


def _floor_shadow(p: QPainter, cx: float, y: float, rx: float, ry: float) -> None:
    g = QRadialGradient(QPointF(cx, y), rx)
    g.setColorAt(0.0, QColor(60, 50, 40, 90))
    g.setColorAt(1.0, QColor(60, 50, 40, 0))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(g))
    p.save()
    p.translate(cx, y)
    p.scale(1.0, ry / rx)
    p.drawEllipse(QPointF(0, 0), rx, rx)
    p.restore()


def _cylinder_brush(left: float, right: float, base: QColor) -> QBrush:
    """Horizontal shading that makes a flat rectangle read as a round surface."""
    g = QLinearGradient(QPointF(left, 0), QPointF(right, 0))
    g.setColorAt(0.0, base.darker(150))
    g.setColorAt(0.25, base.lighter(112))
    g.setColorAt(0.38, base.lighter(135))
    g.setColorAt(0.55, base)
    g.setColorAt(1.0, base.darker(175))
    return QBrush(g)


def draw_mug(p: QPainter) -> None:
    """A ceramic travel mug: tapered body, cork sleeve, dark lid with a sip slot."""
    _backdrop(p)
    _floor_shadow(p, 300, 520, 170, 26)
    body_c = QColor("#D9674E")
    top, bottom = 170.0, 515.0
    body = QPainterPath()
    body.moveTo(205, top)
    body.lineTo(395, top)
    body.lineTo(378, bottom - 14)
    body.quadTo(376, bottom, 360, bottom)
    body.lineTo(240, bottom)
    body.quadTo(224, bottom, 222, bottom - 14)
    body.closeSubpath()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(_cylinder_brush(205, 395, body_c))
    p.drawPath(body)
    # Cork sleeve with a speckle texture from a fixed pattern.
    sleeve = QPainterPath()
    sleeve.addRect(QRectF(200, 330, 200, 110))
    sleeve = sleeve.intersected(body)
    p.setBrush(_cylinder_brush(205, 395, QColor("#C8A27A")))
    p.drawPath(sleeve)
    p.save()
    p.setClipPath(sleeve)
    p.setBrush(QColor(120, 85, 55, 70))
    for i in range(140):
        x = 205 + (i * 73) % 190
        y = 333 + (i * 41) % 104
        p.drawEllipse(QPointF(x, y), 1.6, 1.6)
    p.restore()
    # Lid: a dark band with a rim and a sip slot.
    p.setBrush(_cylinder_brush(195, 405, QColor("#2E2F36")))
    p.drawRoundedRect(QRectF(195, 118, 210, 60), 14, 14)
    p.setBrush(_cylinder_brush(212, 388, QColor("#3A3B44")))
    p.drawRoundedRect(QRectF(212, 96, 176, 34), 12, 12)
    p.setBrush(QColor("#15161A"))
    p.drawRoundedRect(QRectF(270, 102, 60, 12), 6, 6)
    # Specular streak.
    p.setBrush(QColor(255, 255, 255, 70))
    p.drawRoundedRect(QRectF(248, 186, 14, 130), 7, 7)


def draw_earbuds(p: QPainter) -> None:
    """An open charging case with two earbuds resting in front of it."""
    _backdrop(p)
    _floor_shadow(p, 300, 478, 220, 30)
    white = QColor("#FAFAFA")
    edge = QPen(QColor("#CFD0D6"), 2)
    # Lid, swung open behind the case: we see its inside face.
    p.setPen(edge)
    lid = QRectF(182, 150, 236, 120)
    lg = QLinearGradient(lid.topLeft(), lid.bottomLeft())
    lg.setColorAt(0.0, QColor("#F4F5F8"))
    lg.setColorAt(1.0, QColor("#D9DAE0"))
    p.setBrush(QBrush(lg))
    p.drawRoundedRect(lid, 56, 56)
    # Case body: a rounded square, lit from above.
    case = QRectF(170, 250, 260, 210)
    g = QLinearGradient(case.topLeft(), case.bottomLeft())
    g.setColorAt(0.0, white)
    g.setColorAt(1.0, QColor("#D6D7DD"))
    p.setBrush(QBrush(g))
    p.drawRoundedRect(case, 60, 60)
    # Top opening with the two buds sitting in their wells.
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#C4C5CC"))
    p.drawRoundedRect(QRectF(190, 254, 220, 36), 18, 18)
    p.setBrush(QColor("#EDEEF2"))
    p.drawEllipse(QPointF(255, 268), 26, 12)
    p.drawEllipse(QPointF(345, 268), 26, 12)
    p.setBrush(QColor("#3DDC84").darker(110))
    p.drawEllipse(QPointF(300, 392), 5, 5)  # charge LED
    # Two earbuds in front: round head + stem, mirrored.
    for cx, flip in ((200, 1), (410, -1)):
        p.save()
        p.translate(cx, 440)
        p.scale(flip, 1)
        p.rotate(-18)
        stem = QRectF(-11, -20, 22, 96)
        sg = QLinearGradient(stem.topLeft(), stem.topRight())
        sg.setColorAt(0.0, QColor("#D8D9DE"))
        sg.setColorAt(0.5, white)
        sg.setColorAt(1.0, QColor("#C7C8CE"))
        p.setPen(QPen(QColor("#C2C3CA"), 1.5))
        p.setBrush(QBrush(sg))
        p.drawRoundedRect(stem, 11, 11)
        hg = QRadialGradient(QPointF(-8, -44), 44)
        hg.setColorAt(0.0, white)
        hg.setColorAt(1.0, QColor("#C9CAD0"))
        p.setBrush(QBrush(hg))
        p.drawEllipse(QPointF(0, -36), 34, 30)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#4A4B52"))
        p.drawEllipse(QPointF(-10, -40), 11, 9)
        p.setBrush(QColor("#9A9BA2"))
        p.drawRoundedRect(QRectF(-5, 66, 10, 8), 3, 3)
        p.restore()


def draw_lamp(p: QPainter) -> None:
    """An articulated desk lamp casting a warm cone of light onto the desk."""
    _backdrop(p)
    head, tilt = QPointF(372, 206), -12.0  # shade centre and its angle from straight down
    pool = QPointF(436, 506)
    glow = QRadialGradient(pool, 170)
    glow.setColorAt(0.0, QColor(255, 206, 120, 160))
    glow.setColorAt(1.0, QColor(255, 206, 120, 0))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(glow))
    p.drawEllipse(pool, 170, 56)
    _floor_shadow(p, 190, 520, 120, 18)
    metal = QColor("#2F4A6E")
    # Light beam first, so the lamp sits in front of it.
    p.save()
    p.translate(head)
    p.rotate(tilt)
    beam = QPainterPath()
    beam.moveTo(66, 36)
    beam.lineTo(150, 300)
    beam.lineTo(-150, 300)
    beam.lineTo(-66, 36)
    beam.closeSubpath()
    bg2 = QLinearGradient(QPointF(0, 36), QPointF(0, 300))
    bg2.setColorAt(0.0, QColor(255, 226, 160, 130))
    bg2.setColorAt(1.0, QColor(255, 226, 160, 0))
    p.setBrush(QBrush(bg2))
    p.drawPath(beam)
    p.restore()
    # Base.
    bg = QLinearGradient(QPointF(100, 0), QPointF(280, 0))
    bg.setColorAt(0.0, metal.darker(140))
    bg.setColorAt(0.4, metal.lighter(130))
    bg.setColorAt(1.0, metal.darker(150))
    p.setBrush(QBrush(bg))
    p.drawRoundedRect(QRectF(100, 490, 180, 30), 15, 15)
    # Arms: two thick rounded strokes with brass joints.
    lower = (QPointF(190, 492), QPointF(236, 300))
    upper = (QPointF(236, 300), QPointF(362, 160))
    p.setPen(QPen(metal, 16, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(*lower)
    p.drawLine(*upper)
    p.setPen(QPen(metal.lighter(150), 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(lower[0] + QPointF(-5, -1), lower[1] + QPointF(-5, -1))
    p.drawLine(upper[0] + QPointF(-3, -4), upper[1] + QPointF(-3, -4))
    # Shade: a cone around the bulb, opening downwards along the tilt.
    p.setPen(Qt.PenStyle.NoPen)
    p.save()
    p.translate(head)
    p.rotate(tilt)
    shade = QPainterPath()
    shade.moveTo(-20, -44)
    shade.quadTo(0, -52, 20, -44)
    shade.lineTo(70, 34)
    shade.quadTo(0, 50, -70, 34)
    shade.closeSubpath()
    sg = QLinearGradient(QPointF(-70, 0), QPointF(70, 0))
    sg.setColorAt(0.0, metal.darker(150))
    sg.setColorAt(0.35, metal.lighter(145))
    sg.setColorAt(1.0, metal.darker(165))
    p.setBrush(QBrush(sg))
    p.drawPath(shade)
    p.setBrush(QColor("#FFEBC0"))
    p.drawEllipse(QPointF(0, 38), 64, 11)
    p.restore()
    for pt in (lower[0], lower[1], upper[1]):
        p.setBrush(QColor("#C9A24D"))
        p.drawEllipse(pt, 15, 15)
        p.setBrush(QColor("#8E6F2C"))
        p.drawEllipse(pt, 6, 6)


PRODUCTS: dict[str, Callable[[QPainter], None]] = {
    "mug.png": draw_mug,
    "earbuds.png": draw_earbuds,
    "lamp.png": draw_lamp,
}


def render(draw: Callable[[QPainter], None]) -> QImage:
    img = QImage(SIZE, SIZE, QImage.Format.Format_RGB32)
    img.fill(BACKDROP)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    draw(p)
    p.end()
    # No alpha channel: smaller files, and the card draws them on an opaque box anyway.
    return img.convertToFormat(QImage.Format.Format_RGB888)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    for name, draw in PRODUCTS.items():
        path = args.out / name
        if not render(draw).save(str(path), "PNG", 0):  # quality 0 = maximum compression
            print(f"failed to write {path}", file=sys.stderr)
            return 1
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
