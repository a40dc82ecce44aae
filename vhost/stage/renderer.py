"""Composes one stage frame from a StageScene: background, avatar, product card, caption,
viewer question and status line.

The renderer keeps no state besides caches of pre-rendered images, so the same scene always
paints the same frame (golden tests, replays, OBS captures that re-request a frame).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter

from vhost.avatar.character import Character
from vhost.avatar.painter import mouth_rect, paint_character
from vhost.stage.background import CHROMA_GREEN, Background
from vhost.stage.card import ProductCard
from vhost.stage.layout import StageLayout, stage_layout
from vhost.stage.overlays import Overlays
from vhost.stage.scene import StageScene


class StageRenderer:
    def __init__(
        self, character: Character, layout: str = "landscape", background: str = CHROMA_GREEN
    ) -> None:
        self.character = character
        self.layout: StageLayout = stage_layout(layout)
        self.background = Background(background)
        self._card = ProductCard()
        self._overlays = Overlays(opaque_boxes=self.background.is_key_color)

    @property
    def size(self) -> QSize:
        """Logical stage size: 1920x1080 (landscape) or 1080x1920 (portrait)."""
        return QSize(self.layout.size)

    @property
    def opaque(self) -> bool:
        return self.background.opaque

    @property
    def avatar_rect(self) -> QRectF:
        return QRectF(self.layout.avatar)

    def mouth_rect(self) -> QRectF:
        """The mouth region in logical stage coordinates (for tests and debugging overlays)."""
        return mouth_rect(self.layout.avatar, self.character)

    def paint(self, painter: QPainter, scene: StageScene) -> None:
        """Paint in logical stage coordinates; the caller may have scaled/translated the painter."""
        lay = self.layout
        stage = QRectF(0, 0, lay.size.width(), lay.size.height())
        p = painter
        p.save()
        p.setClipRect(stage, Qt.ClipOperation.IntersectClip)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.background.paint(p, stage)
        paint_character(p, lay.avatar, self.character, scene.pose)
        if scene.product is not None:
            self._card.paint(p, lay.card, scene.product, lay.card_vertical)
        self._overlays.paint_caption(
            p, lay.caption, scene.caption, lay.caption_px, lay.caption_max_lines
        )
        self._overlays.paint_question(p, lay.question, scene.question_user, scene.question_text)
        self._overlays.paint_status(p, lay.status, scene.status)
        p.restore()

    def render_image(self, scene: StageScene, size: QSize | None = None) -> QImage:
        """Render to a new Format_ARGB32_Premultiplied image (alpha 255 everywhere when the
        background is opaque).

        A 32-bit target is the raster engine's fast path; RGB888 costs ~3 ms per 1080p
        frame more, which a consumer that needs it can pay with convertToFormat. A size with a
        different aspect ratio gets the stage fitted and centred on black / transparent.
        """
        target = QSize(size) if size is not None else self.size
        img = QImage(target, QImage.Format.Format_ARGB32_Premultiplied)
        img.fill(Qt.GlobalColor.black if self.opaque else Qt.GlobalColor.transparent)
        p = QPainter(img)
        s = min(
            target.width() / self.layout.size.width(), target.height() / self.layout.size.height()
        )
        p.translate(
            (target.width() - self.layout.size.width() * s) / 2.0,
            (target.height() - self.layout.size.height() * s) / 2.0,
        )
        p.scale(s, s)
        self.paint(p, scene)
        p.end()
        return img
