"""The product card: image, name, price (with the struck-through original and a discount
badge), tagline and a live countdown.

Everything except the countdown digits only changes when the product does, so it is
rendered once into an image and blitted; the countdown is drawn per frame on top.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
)

from vhost.stage.cache import ImageCache
from vhost.stage.scene import ProductView
from vhost.stage.text import (
    discount_percent,
    draw_lines,
    elide_lines,
    format_countdown,
    format_price,
    stage_font,
    wrap_lines,
)

ACCENT = QColor("#E5484D")
INK = QColor("#1C1F26")
MUTED = QColor("#5B6070")
FAINT = QColor("#9AA0AE")
_SHADOW = 22.0  # logical px of soft shadow around the card, inside the cached image
_PAD = 28.0


# The card's photo box is under 600 logical px; a 12 MP phone shot kept whole costs ~48 MB per
# product and a slow scaled draw on every card re-render.
PHOTO_MAX_SIDE = 1024


class PhotoStore:
    """Product photos decoded once, downscaled, shared by every thread (a small LRU).

    The show thread calls `preload` when it switches product (`LiveStage.set_product`), so the
    stage thread finds the photo decoded: reading and decoding a large JPEG takes tens of ms,
    a visible hitch when done inside a frame. Decoding happens outside the lock."""

    def __init__(self, capacity: int = 32) -> None:
        self.capacity = capacity
        self._lock = threading.Lock()
        self._items: OrderedDict[str, QImage | None] = OrderedDict()

    def get(self, path: str | None) -> QImage | None:
        """The photo (None if missing or unreadable); loads it here if nobody preloaded it."""
        if not path:
            return None
        with self._lock:
            if path in self._items:
                self._items.move_to_end(path)
                return self._items[path]
        return self.preload(path)

    def preload(self, path: str | None) -> QImage | None:
        if not path:
            return None
        with self._lock:
            if path in self._items:
                return self._items[path]
        img = _load_photo(path)
        with self._lock:
            self._items[path] = img
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return img


def _load_photo(path: str) -> QImage | None:
    img = QImage(path) if Path(path).is_file() else QImage()
    if img.isNull():
        return None
    if max(img.width(), img.height()) > PHOTO_MAX_SIDE:
        img = img.scaled(PHOTO_MAX_SIDE, PHOTO_MAX_SIDE, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)
    return img


PHOTOS = PhotoStore()


class ProductCard:
    def __init__(self, photos: PhotoStore = PHOTOS) -> None:
        self._photos = photos
        self._cache = ImageCache(capacity=8)

    def source_image(self, path: str | None) -> QImage | None:
        """The product photo, loaded once per path (None if missing or unreadable)."""
        return self._photos.get(path)

    def paint(self, p: QPainter, rect: QRectF, product: ProductView, vertical: bool) -> None:
        has_timer = product.offer_ends_in_s is not None
        key = ("card", replace(product, offer_ends_in_s=None), vertical, has_timer)
        outer = rect.adjusted(-_SHADOW, -_SHADOW, _SHADOW, _SHADOW)

        def paint_static(q: QPainter, r: QRectF) -> None:
            q.translate(_SHADOW, _SHADOW)
            self._paint_static(q, QRectF(0, 0, rect.width(), rect.height()), product, vertical)

        self._cache.draw(p, outer, key, paint_static)
        if has_timer:
            pill = _timer_rect(rect, vertical)
            font = stage_font(pill.height() * 0.5, QFont.Weight.Bold)
            p.setFont(font)
            p.setPen(QColor("white"))
            text = f"Ends in {format_countdown(product.offer_ends_in_s or 0.0)}"
            metrics = QFontMetricsF(font)
            x = pill.left() + pill.height() * 1.05
            y = pill.center().y() + (metrics.ascent() - metrics.descent()) / 2.0
            p.drawText(QPointF(x, y), text)

    # -- static part ----------------------------------------------------------------------

    def _paint_static(self, p: QPainter, r: QRectF, product: ProductView, vertical: bool) -> None:
        for i in range(8):  # layered translucent outlines: a cheap soft shadow
            grow = _SHADOW * (i + 1) / 8.0
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(0, 0, 0, 9))
            p.drawRoundedRect(r.adjusted(-grow, -grow + 6, grow, grow + 6), 28 + grow, 28 + grow)
        # Opaque: over a chroma-key green any translucency would tint the card and let the
        # keyer eat into it.
        p.setBrush(QColor("#FFFFFF"))
        p.drawRoundedRect(r, 28, 28)

        if vertical:
            img_box = QRectF(r.left() + _PAD, r.top() + _PAD, r.width() - 2 * _PAD, 372)
            text = QRectF(img_box.left(), img_box.bottom() + 22, img_box.width(), 0)
            sizes = (44.0, 64.0, 30.0)
        else:
            side = r.height() - 2 * _PAD
            img_box = QRectF(r.left() + _PAD, r.top() + _PAD, side, side)
            left = img_box.right() + 30
            text = QRectF(left, r.top() + _PAD + 4, r.right() - _PAD - left, 0)
            sizes = (40.0, 58.0, 28.0)
        self._paint_image(p, img_box, product)
        text.setBottom(
            _timer_rect(r, vertical).top() - 12
            if product.offer_ends_in_s is not None
            else r.bottom() - _PAD
        )
        self._paint_text(p, text, product, sizes)
        if product.offer_ends_in_s is not None:
            self._paint_timer_pill(p, _timer_rect(r, vertical), _accent(product))
        if product.stock is not None:
            _paint_stock(p, _stock_rect(r, vertical), product)

    def _paint_image(self, p: QPainter, box: QRectF, product: ProductView) -> None:
        clip = QPainterPath()
        clip.addRoundedRect(box, 20, 20)
        accent = _accent(product)
        cut = self.source_image(product.visual_path)
        src = cut or self.source_image(product.image_path)
        p.setPen(Qt.PenStyle.NoPen)
        if cut is not None:
            # The cut-out stands on a soft panel tinted with the product's own colour.
            # A neutral product (no colourful palette entry) gets a neutral panel.
            base = accent if product.accent and accent != ACCENT else QColor("#9AA0AE")
            g = QLinearGradient(box.topLeft(), box.bottomLeft())
            g.setColorAt(0.0, _tint(base, 0.90))
            g.setColorAt(1.0, _tint(base, 0.75))
            p.setBrush(QBrush(g))
        else:
            # Product shots sit on a plain backdrop: extend it (sampled from the corner) to fill
            # the box, so letterboxing does not show as a second rectangle.
            p.setBrush(src.pixelColor(1, 1) if src is not None else QColor("#F2F3F6"))
        p.drawPath(clip)
        if src is not None:
            # Fit inside the box keeping aspect; photos are usually on a light backdrop.
            s = min(box.width() / src.width(), box.height() / src.height())
            w, h = src.width() * s, src.height() * s
            target = QRectF(box.center().x() - w / 2, box.center().y() - h / 2, w, h)
            p.save()
            p.setClipPath(clip)
            p.drawImage(target, src)
            p.restore()
        else:
            initial = (product.name.strip()[:1] or "?").upper()
            p.setFont(stage_font(box.height() * 0.4, QFont.Weight.Bold))
            p.setPen(FAINT)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, initial)
        pct = discount_percent(product.price, product.original_price)
        if pct is not None:
            font = stage_font(32, QFont.Weight.Bold)
            label = f"-{pct}%"
            w = QFontMetricsF(font).horizontalAdvance(label) + 36
            badge = QRectF(box.left() + 14, box.top() + 14, w, 52)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(accent)
            p.drawRoundedRect(badge, 26, 26)
            p.setFont(font)
            p.setPen(QColor("white"))
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)

    def _paint_text(
        self, p: QPainter, r: QRectF, product: ProductView, sizes: tuple[float, float, float]
    ) -> None:
        name_px, price_px, tag_px = sizes
        y = r.top()
        name_font = stage_font(name_px, QFont.Weight.Bold)
        lines = elide_lines(wrap_lines(product.name, name_font, r.width()), name_font, r.width(), 2)
        p.setPen(INK)
        y += draw_lines(p, lines, name_font, QRectF(r.left(), y, r.width(), 0)) + 6

        price_font = stage_font(price_px, QFont.Weight.Bold)
        pm = QFontMetricsF(price_font)
        baseline = y + pm.ascent()
        price_text = format_price(product.price, product.currency)
        p.setFont(price_font)
        p.setPen(_accent(product))
        p.drawText(QPointF(r.left(), baseline), price_text)
        if discount_percent(product.price, product.original_price) is not None:
            old_font = stage_font(price_px * 0.55)
            om = QFontMetricsF(old_font)
            x = r.left() + pm.horizontalAdvance(price_text) + 20
            old = format_price(product.original_price or 0.0, product.currency)
            p.setFont(old_font)
            p.setPen(FAINT)
            p.drawText(QPointF(x, baseline), old)
            strike_y = baseline - om.xHeight() * 0.55
            p.setPen(QPen(FAINT, max(2.0, price_px * 0.04)))
            p.drawLine(
                QPointF(x - 2, strike_y), QPointF(x + om.horizontalAdvance(old) + 2, strike_y)
            )
        y += pm.lineSpacing() + 4

        if product.tagline:
            tag_font = stage_font(tag_px)
            room = max(1, int((r.bottom() - y) // QFontMetricsF(tag_font).lineSpacing()))
            lines = elide_lines(
                wrap_lines(product.tagline, tag_font, r.width()), tag_font, r.width(), min(2, room)
            )
            p.setPen(MUTED)
            draw_lines(p, lines, tag_font, QRectF(r.left(), y, r.width(), 0))

    @staticmethod
    def _paint_timer_pill(p: QPainter, pill: QRectF, accent: QColor = ACCENT) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(INK)
        p.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        # A drawn clock icon: emoji fonts are not guaranteed on the streaming machine.
        c = QPointF(pill.left() + pill.height() * 0.55, pill.center().y())
        rad = pill.height() * 0.24
        p.setPen(QPen(_tint(accent, 0.35), 3.0))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(c, rad, rad)
        p.drawLine(c, c + QPointF(0, -rad * 0.65))
        p.drawLine(c, c + QPointF(rad * 0.5, 0))


def _timer_rect(card: QRectF, vertical: bool) -> QRectF:
    h = 60.0 if vertical else 54.0
    if vertical:
        return QRectF(card.left() + _PAD, card.bottom() - _PAD - h, 300, h)
    left = card.left() + card.height() + 2
    return QRectF(left, card.bottom() - _PAD - h, 280, h)


def _accent(product: ProductView) -> QColor:
    c = QColor(product.accent) if product.accent else QColor()
    return c if c.isValid() else QColor(ACCENT)


def _tint(c: QColor, amount: float) -> QColor:
    """`c` mixed with white by `amount` (0 = c, 1 = white)."""
    return QColor(
        round(c.red() + (255 - c.red()) * amount),
        round(c.green() + (255 - c.green()) * amount),
        round(c.blue() + (255 - c.blue()) * amount),
    )


def _stock_rect(card: QRectF, vertical: bool) -> QRectF:
    timer = _timer_rect(card, vertical)
    left = timer.right() + 24
    return QRectF(left, timer.top(), card.right() - _PAD - left, timer.height())


def _paint_stock(p: QPainter, r: QRectF, product: ProductView) -> None:
    """'N left' over a bar that empties as stock sells; red-orange when nearly gone."""
    stock = max(0, product.stock or 0)
    initial = max(stock, product.stock_initial or stock, 1)
    frac = stock / initial
    label = "Sold out" if stock == 0 else f"Only {stock} left" if frac <= 0.2 else f"{stock} left"
    font = stage_font(r.height() * 0.42, QFont.Weight.Bold)
    m = QFontMetricsF(font)
    p.setFont(font)
    p.setPen(INK)
    p.drawText(QPointF(r.left(), r.top() + m.ascent()), label)
    bar = QRectF(r.left(), r.bottom() - r.height() * 0.3, r.width(), r.height() * 0.3)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#E6E8EE"))
    p.drawRoundedRect(bar, bar.height() / 2, bar.height() / 2)
    if frac > 0:
        fill = QRectF(bar.left(), bar.top(), max(bar.height(), bar.width() * frac), bar.height())
        p.setBrush(QColor("#F06A2A") if frac <= 0.2 else _accent(product))
        p.drawRoundedRect(fill, bar.height() / 2, bar.height() / 2)
