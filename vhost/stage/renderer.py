"""Composes one stage frame from a StageScene: background, avatar, product card, caption and
viewer question. Nothing else: operator status and warnings go to the console, never on air.

The renderer keeps no state besides caches of pre-rendered images, so the same scene always
paints the same frame (golden tests, replays, OBS captures that re-request a frame).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter

from vhost.avatar.character import Character
from vhost.avatar.pose import RigPose
from vhost.config.background import CHROMA_GREEN
from vhost.stage.avatar.painter import bust_transform, mouth_rect, paint_character
from vhost.stage.background import Background
from vhost.stage.card import ProductCard
from vhost.stage.layout import StageLayout, stage_layout
from vhost.stage.overlays import Overlays
from vhost.stage.scene import StageScene

CARD_IN_S = 0.45  # the card slides in over this long when the product switches
LAYERS = ("background", "avatar", "card", "captions", "overlays")


class AvatarPainter(Protocol):
    """The plugin point for other avatars (a sprite pack here; Live2D as a user plugin)."""

    def paint(self, painter: QPainter, rect: QRectF, pose: RigPose,
              look_dir: tuple[float, float] = (1.0, 0.0)) -> None: ...

    def mouth_rect(self, rect: QRectF) -> QRectF: ...


def card_progress(t: float, since: float | None) -> float:
    """0..1 eased progress of the card's entrance (1 when there is no switch time)."""
    if since is None:
        return 1.0
    x = min(1.0, max(0.0, (t - since) / CARD_IN_S))
    # Ease-out-back: overshoots a touch and settles, the way broadcast graphics land.
    c = 1.4
    return 1.0 + (c + 1.0) * (x - 1.0) ** 3 + c * (x - 1.0) ** 2


class StageRenderer:
    def __init__(
        self,
        character: Character,
        layout: str = "landscape",
        background: str = CHROMA_GREEN,
        avatar: AvatarPainter | None = None,
    ) -> None:
        """`avatar`: paint this (e.g. a SpritePack) instead of the generated `character`."""
        self.character = character
        self.avatar = avatar
        self.layout: StageLayout = stage_layout(layout)
        self.background = Background(background)
        self._card = ProductCard()
        self._overlays = Overlays(opaque_boxes=self.background.is_key_color)
        self.look_dir = self._look_dir()
        # Set to a dict to collect ms per layer per frame (bench/stage.py); None costs nothing.
        self.layer_ms: dict[str, list[float]] | None = None

    def _look_dir(self) -> tuple[float, float]:
        """Unit vector from the face to the card's centre, in stage coordinates."""
        face = bust_transform(self.layout.avatar).map(QPointF(0.0, 0.0))
        d = self.layout.card.center() - face
        n = math.hypot(d.x(), d.y()) or 1.0
        return (d.x() / n, d.y() / n)

    def enable_profiling(self) -> None:
        self.layer_ms = defaultdict(list)

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
        if self.avatar is not None:
            return self.avatar.mouth_rect(self.layout.avatar)
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
        lap = _Lap(self.layer_ms)
        self.background.paint(p, stage)
        lap("background")
        if self.avatar is not None:
            self.avatar.paint(p, lay.avatar, scene.pose, self.look_dir)
        else:
            paint_character(p, lay.avatar, self.character, scene.pose, self.look_dir)
        lap("avatar")
        if scene.product is not None:
            self._paint_card(p, scene)
        lap("card")
        self._overlays.paint_caption(
            p, lay.caption, scene.caption, lay.caption_px, lay.caption_max_lines
        )
        lap("captions")
        self._overlays.paint_question(p, lay.question, scene.question_user, scene.question_text)
        lap("overlays")
        p.restore()

    def _paint_card(self, p: QPainter, scene: StageScene) -> None:
        lay = self.layout
        assert scene.product is not None
        k = card_progress(scene.t, scene.product_since)
        if k >= 1.0:
            self._card.paint(p, lay.card, scene.product, lay.card_vertical)
            return
        p.save()
        # Landscape: in from the right edge; portrait: up from below. Fade in alongside.
        if lay.card_vertical:
            p.translate((1.0 - k) * (lay.size.width() - lay.card.left()), 0.0)
        else:
            p.translate(0.0, (1.0 - k) * (lay.size.height() - lay.card.top()))
        p.setOpacity(max(0.0, min(1.0, k * 1.5)))
        self._card.paint(p, lay.card, scene.product, lay.card_vertical)
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


class _Lap:
    """Per-layer stopwatch; does nothing unless profiling is on."""

    def __init__(self, sink: dict[str, list[float]] | None) -> None:
        self._sink = sink
        self._t = time.perf_counter() if sink is not None else 0.0

    def __call__(self, name: str) -> None:
        if self._sink is None:
            return
        now = time.perf_counter()
        self._sink[name].append((now - self._t) * 1000.0)
        self._t = now
