"""The bridge between the show (asyncio thread) and the stage (Qt thread): the latest values the
stage needs, and `scene_at(t)` which turns them into one frame's StageScene.

Writers replace whole immutable values; the reader copies references. No lock is held while
painting, and the audio clock — not the wall clock — decides what the mouth does.
"""

from __future__ import annotations

import threading
from collections import deque

from vhost.audio.playback import Playback
from vhost.avatar.animator import Animator, LipTrack
from vhost.stage.scene import ProductView, StageScene
from vhost.voice.types import VisemeSpan

CAPTION_HOLD_S = 1.2  # keep the last sentence readable briefly after the voice stops


class LiveStage:
    def __init__(self, seed: int = 7) -> None:
        self.animator = Animator(seed)
        self._lock = threading.Lock()
        self._playbacks: deque[tuple[Playback, tuple[str, str] | None]] = deque(maxlen=32)
        self._product: ProductView | None = None
        self._offer_ends_at: float | None = None
        self._emotion = "neutral"
        self.status = ""

    # --- writers (show thread) -------------------------------------------------------
    def add_playback(self, pb: Playback, question: tuple[str, str] | None = None) -> None:
        with self._lock:
            self._playbacks.append((pb, question))

    def set_product(self, product, now: float, offer_s: float | None = None) -> None:
        """Show `product` on the card; `offer_s` starts its countdown (None hides it)."""
        image = str(product.images[0]) if getattr(product, "images", None) else None
        view = ProductView(
            id=product.id, name=product.name, price=product.price, currency=product.currency,
            original_price=product.original_price, image_path=image,
            tagline=(product.selling_points[0] if product.selling_points else ""),
        )
        with self._lock:
            self._product = view
            self._offer_ends_at = now + offer_s if offer_s else None

    def set_emotion(self, emotion: str) -> None:
        self._emotion = emotion

    # --- reader (stage thread) --------------------------------------------------------
    def scene_at(self, t: float) -> StageScene:
        with self._lock:
            playbacks = list(self._playbacks)
            product = self._product
            offer_ends_at = self._offer_ends_at
        tracks = []
        caption, question = "", None
        for pb, q in playbacks:
            if pb.start is None:
                continue
            end = pb.end if pb.end is not None else pb.start + len(pb.samples) / pb.sample_rate
            if pb.interrupted:
                # Only what was actually played moves the mouth.
                visemes = [v for v in pb.chunk.visemes if pb.start + v.start < end]
                visemes = [VisemeSpan(v.start, min(v.end, end - pb.start), v.viseme) for v in visemes]
            else:
                visemes = list(pb.chunk.visemes)
            tracks.append(LipTrack(start=pb.start, visemes=visemes, text=pb.chunk.text))
            if pb.start <= t < end + CAPTION_HOLD_S:
                caption, question = pb.chunk.text, q
        if product is not None and offer_ends_at is not None:
            product = ProductView(**{**product.__dict__, "offer_ends_in_s": max(0.0, offer_ends_at - t)})
        pose = self.animator.pose_at(t, tracks, self._emotion)
        return StageScene(
            t=t, pose=pose, product=product, caption=caption,
            question_user=question[0] if question else "", question_text=question[1] if question else "",
            status=self.status,
        )
