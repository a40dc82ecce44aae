"""Contact sheet of generated characters: one bust per seed, labelled, to pick a host from."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter

from vhost.avatar.character import generate_character
from vhost.avatar.pose import RigPose
from vhost.stage.avatar.painter import paint_character
from vhost.stage.text import stage_font


def render_gallery(seeds: Sequence[int], columns: int = 4, cell: int = 360) -> QImage:
    if not seeds:
        raise ValueError("no seeds to draw")
    if columns < 1 or cell < 64:
        raise ValueError("columns must be >= 1 and cell >= 64 px")
    cols = min(columns, len(seeds))
    rows = math.ceil(len(seeds) / cols)
    ch = round(cell * 1.12)
    img = QImage(cols * cell, rows * ch, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor("#1B1C24"))
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    label_font = stage_font(cell * 0.06, QFont.Weight.Bold)
    pose = RigPose(emotion="happy", mouth_open=0.25, viseme="E")
    for i, seed in enumerate(seeds):
        x, y = (i % cols) * cell, (i // cols) * ch
        tile = QRectF(x + 6, y + 6, cell - 12, ch - 12)
        g = QLinearGradient(tile.topLeft(), tile.bottomLeft())
        g.setColorAt(0.0, QColor("#3A3F58"))
        g.setColorAt(1.0, QColor("#272A3A"))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(g)
        p.drawRoundedRect(tile, 14, 14)
        c = generate_character(seed)
        p.save()
        p.setClipRect(tile)
        paint_character(p, tile.adjusted(8, cell * 0.14, -8, 0), c, pose)
        p.restore()
        p.setFont(label_font)
        p.setPen(QColor("#FFFFFF"))
        p.drawText(tile.adjusted(14, 8, -14, 0), Qt.AlignmentFlag.AlignLeft, f"seed {seed}")
        p.setFont(stage_font(cell * 0.04))
        p.setPen(QColor("#B8BCD0"))
        p.drawText(tile.adjusted(14, 8, -14, 0), Qt.AlignmentFlag.AlignRight,
                   f"{c.presentation} · {c.hair_style.replace('_', ' ')}")
    p.end()
    return img
