"""Text overlays: the caption box and the viewer-question bubble — what viewers see. There is
deliberately no status line: operator warnings go to the console, never on air.

Each is rendered once per distinct text into a cached image (captions change a few times a
second at most, far below the frame rate), then blitted.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath

from vhost.stage.cache import ImageCache
from vhost.stage.text import draw_lines, elide_lines, stage_font, wrap_lines

_CAPTION_PAD = (38.0, 18.0)
_BUBBLE_PAD = (30.0, 18.0)


@lru_cache(maxsize=64)
def caption_lines(text: str, px: float, width: float, max_lines: int) -> tuple[str, ...]:
    """Wrapped caption, keeping the *last* lines: in a live caption the newest words matter."""
    lines = [
        ln
        for ln in wrap_lines(" ".join(text.split()), stage_font(px, QFont.Weight.Medium), width)
        if ln
    ]
    return tuple(lines[-max_lines:])


@lru_cache(maxsize=32)
def _question_lines(text: str, px: float, width: float) -> tuple[str, ...]:
    font = stage_font(px)
    return tuple(elide_lines(wrap_lines(" ".join(text.split()), font, width), font, width, 2))


class Overlays:
    def __init__(self, opaque_boxes: bool = False) -> None:
        # Over a chroma key, translucent boxes would be tinted green and partly keyed out;
        # the renderer asks for solid boxes there.
        self._box_alpha = 255 if opaque_boxes else 200
        self._cache = ImageCache(capacity=24)

    def paint_caption(
        self, p: QPainter, area: QRectF, text: str, px: float, max_lines: int
    ) -> None:
        if not text.strip():
            return
        pad_x, pad_y = _CAPTION_PAD
        lines = caption_lines(text, px, area.width() - 2 * pad_x, max_lines)
        if not lines:
            return
        font = stage_font(px, QFont.Weight.Medium)
        m = QFontMetricsF(font)
        w = min(area.width(), max(m.horizontalAdvance(ln) for ln in lines) + 2 * pad_x + 2)
        h = len(lines) * m.lineSpacing() + 2 * pad_y
        box = QRectF(area.center().x() - w / 2, area.bottom() - h, w, h)

        def paint(q: QPainter, r: QRectF) -> None:
            q.setPen(Qt.PenStyle.NoPen)
            q.setBrush(QColor(12, 14, 22, self._box_alpha))
            q.drawRoundedRect(r, 22, 22)
            q.setPen(QColor("#FFFFFF"))
            draw_lines(
                q, list(lines), font, r.adjusted(pad_x, pad_y, -pad_x, -pad_y), align_center=True
            )

        self._cache.draw(p, box, ("caption", lines, px, self._box_alpha), paint)

    def paint_question(self, p: QPainter, area: QRectF, user: str, text: str) -> None:
        if not (user.strip() or text.strip()):
            return
        pad_x, pad_y = _BUBBLE_PAD
        name_font = stage_font(30, QFont.Weight.Bold)
        text_font = stage_font(34)
        nm, tm = QFontMetricsF(name_font), QFontMetricsF(text_font)
        inner_w = area.width() - 2 * pad_x - 10
        lines = _question_lines(text, 34.0, inner_w) if text.strip() else ()
        name = f"@{user.strip()}" if user.strip() else "Viewer question"
        content_w = max([nm.horizontalAdvance(name)] + [tm.horizontalAdvance(ln) for ln in lines])
        w = min(area.width(), content_w + 2 * pad_x + 12)
        body_h = nm.lineSpacing() + 4 + len(lines) * tm.lineSpacing() + 2 * pad_y
        tail = 18.0
        box = QRectF(area.left(), area.top(), w, min(area.height(), body_h + tail))

        def paint(q: QPainter, r: QRectF) -> None:
            body = QRectF(r.left(), r.top(), r.width(), r.height() - tail)
            path = QPainterPath()
            path.addRoundedRect(body, 22, 22)
            arrow = QPainterPath(QPointF(body.left() + 60, body.bottom() - 1))
            arrow.lineTo(QPointF(body.left() + 74, r.bottom()))
            arrow.lineTo(QPointF(body.left() + 96, body.bottom() - 1))
            arrow.closeSubpath()
            q.setPen(Qt.PenStyle.NoPen)
            q.setBrush(QColor("#FFFFFF"))
            q.drawPath(path.united(arrow))
            q.save()
            q.setClipPath(path)
            q.setBrush(QColor("#7C5CFF"))
            q.drawRect(QRectF(body.left(), body.top(), 10, body.height()))
            q.restore()
            inner = body.adjusted(pad_x + 6, pad_y, -pad_x, -pad_y)
            q.setPen(QColor("#6A4CF0"))
            draw_lines(q, [name], name_font, inner)
            q.setPen(QColor("#1C1F26"))
            draw_lines(q, list(lines), text_font, inner.adjusted(0, nm.lineSpacing() + 4, 0, 0))

        self._cache.draw(p, box, ("question", name, lines), paint)
