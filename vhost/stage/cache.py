"""Pre-rendered overlay images at device resolution, so static parts cost a blit per frame."""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QPainter

_SCALE_STEPS = 200.0


def device_scale(painter: QPainter) -> float:
    """Device pixels per logical unit under the painter's current transform."""
    return math.sqrt(abs(painter.transform().determinant())) or 1.0


def blit(painter: QPainter, rect: QRectF, image: QImage) -> None:
    """Draw `image` (rendered at device resolution) into logical `rect`.

    When the transform is a plain scale + translate, draw 1:1 at whole device pixels: the
    raster engine's fastest path and no resampling blur on text.
    """
    t = painter.transform()
    if abs(t.m12()) < 1e-9 and abs(t.m21()) < 1e-9 and t.m11() > 0 and t.m22() > 0:
        top_left = t.map(rect.topLeft())
        painter.save()
        painter.resetTransform()
        painter.drawImage(QPointF(round(top_left.x()), round(top_left.y())), image)
        painter.restore()
    else:
        painter.drawImage(rect, image)


class ImageCache:
    """Small LRU of rendered images keyed by content, logical size and device scale."""

    def __init__(self, capacity: int = 24) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Hashable, QImage] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items.clear()

    def render(
        self,
        key: Hashable,
        size: tuple[float, float],
        scale: float,
        paint: Callable[[QPainter, QRectF], None],
    ) -> QImage:
        w, h = size
        full_key = (key, round(w, 2), round(h, 2), round(scale * _SCALE_STEPS))
        img = self._items.get(full_key)
        if img is not None:
            self._items.move_to_end(full_key)
            return img
        img = QImage(
            max(1, math.ceil(w * scale)),
            max(1, math.ceil(h * scale)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        p.scale(scale, scale)
        paint(p, QRectF(0.0, 0.0, w, h))
        p.end()
        self._items[full_key] = img
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)
        return img

    def draw(
        self,
        painter: QPainter,
        rect: QRectF,
        key: Hashable,
        paint: Callable[[QPainter, QRectF], None],
    ) -> None:
        """Draw the cached rendering of `paint` for `key` into `rect` (rendering it if new)."""
        img = self.render(key, (rect.width(), rect.height()), device_scale(painter), paint)
        blit(painter, rect, img)
