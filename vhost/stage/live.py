"""The bridge between the show (asyncio thread) and the stage (Qt thread): the latest values the
stage needs, and `scene_at(t)` which turns them into one frame's StageScene.

Writers replace whole immutable values; the reader copies references. No lock is held while
painting, and the audio clock — not the wall clock — decides what the mouth does.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import replace

from vhost.audio.playback import Playback
from vhost.avatar.animator import Animator, LipTrack, stress_onsets
from vhost.avatar.pose import EMOTIONS
from vhost.base.audio_types import VisemeSpan
from vhost.stage.card import PHOTOS
from vhost.stage.scene import ProductView, StageScene

CAPTION_HOLD_S = 1.2  # keep the last sentence readable briefly after the voice stops
# The mouth shapes a sound slightly before it is heard (articulation anticipates the acoustics),
# and viewers notice sound-before-picture sooner than the reverse (ITU-R BT.1359). Measured with
# bench/lipsync.py on Piper speech, the unshifted mouth trailed the audio envelope by 27-32 ms;
# leading the viseme timeline by this much centres it.
MOUTH_LEAD_S = 0.025


class LiveStage:
    def __init__(self, seed: int = 7) -> None:
        self.animator = Animator(seed)
        self._lock = threading.Lock()
        self._playbacks: deque[tuple[Playback, tuple[str, str] | None]] = deque(maxlen=32)
        self._product: ProductView | None = None
        self._offer_ends_at: float | None = None
        self._emotion = "neutral"
        self._product_since: float | None = None
        self._visuals: dict[str, tuple[str, str]] = {}  # product id -> (cut-out path, accent)
        self._pitching: bool | None = None  # None: automatic (talking about the card's product)
        # Stage thread only: id(playback) -> (playback, (start, end, interrupted), its LipTrack).
        self._track_cache: dict[int, tuple[Playback, tuple, LipTrack]] = {}

    # --- writers (show thread) -------------------------------------------------------
    def add_playback(self, pb: Playback, question: tuple[str, str] | None = None) -> None:
        with self._lock:
            self._playbacks.append((pb, question))

    def set_product(self, product, now: float, offer_s: float | None = None) -> None:
        """Show `product` on the card; `offer_s` starts its countdown (None hides it)."""
        image = str(product.images[0]) if getattr(product, "images", None) else None
        # Decode the photo here, off the stage thread (no lock held): the card's next frame
        # then only blits it.
        PHOTOS.preload(image)
        PHOTOS.preload(self._visuals.get(product.id, (None, ""))[0])
        view = ProductView(
            id=product.id, name=product.name, price=product.price, currency=product.currency,
            original_price=product.original_price, image_path=image,
            tagline=(product.selling_points[0] if product.selling_points else ""),
        )
        stock = getattr(product, "stock", None)
        with self._lock:
            same = self._product is not None and self._product.id == view.id
            if same and self._product is not None:
                initial = self._product.stock_initial
            else:
                initial = stock
            view = replace(view, stock=stock, stock_initial=initial)
            if product.id in self._visuals:
                path, accent = self._visuals[product.id]
                view = replace(view, visual_path=path, accent=accent)
            if not same:
                self._product_since = now  # the card slides in
            self._product = view
            if not same or self._offer_ends_at is None or not offer_s:
                # A running countdown goes on when the same product is shown again (the card was
                # on air before the show started, a price update): it restarts on a switch.
                self._offer_ends_at = now + offer_s if offer_s else None

    def open_on(self, catalog, product_id: str | None, now: float):  # noqa: ANN001, ANN201 - brain Catalog/Product
        """On air from the first frame: put the show's first product (`product_id`, else the
        catalog's first) on the card. Needs only the catalog, not the models still loading; the
        show's start later shows the same product again, which keeps its countdown running."""
        first = catalog.get(product_id) if product_id else catalog.products[0]
        self.set_product(first, now, catalog.offer_seconds(first.id))
        with self._lock:
            self._product_since = None  # already in place on the first frame, not sliding in
        return first

    def set_product_visual(self, product_id: str, image: str, accent: str) -> None:
        """The worker's cut-out and palette for a product (vhost.stage.visuals_worker); applied
        to the card at once if that product is showing."""
        PHOTOS.preload(image)
        with self._lock:
            self._visuals[product_id] = (image, accent)
            if self._product is not None and self._product.id == product_id:
                self._product = replace(self._product, visual_path=image, accent=accent)

    def set_stock(self, units: int) -> None:
        """Update the stock bar of the product on the card."""
        with self._lock:
            if self._product is not None:
                self._product = replace(self._product, stock=max(0, int(units)))

    def set_emotion(self, emotion: str) -> None:
        """neutral / happy / excited / surprised / thinking / sad (from the LLM's tag or the
        operator). An unknown name raises ValueError instead of freezing the face mid-show."""
        if emotion not in EMOTIONS:
            raise ValueError(f"unknown emotion {emotion!r}; expected one of {', '.join(EMOTIONS)}")
        self._emotion = emotion

    def set_pitching(self, pitching: bool | None) -> None:
        """True: the host is selling the card's product, so the eyes go to the card now and then;
        False: eyes on the viewers; None (default): automatic — pitching while speaking with a
        product on the card and no viewer question being answered."""
        self._pitching = pitching

    # --- reader (stage thread) --------------------------------------------------------
    def scene_at(self, t: float) -> StageScene:
        with self._lock:
            playbacks = list(self._playbacks)
            product = self._product
            offer_ends_at = self._offer_ends_at
        tracks = []
        caption, question = "", None
        talking_now = False
        cached = self._track_cache
        self._track_cache = {}
        for pb, q in playbacks:
            if pb.start is None:
                continue
            end = pb.end if pb.end is not None else pb.start + len(pb.samples) / pb.sample_rate
            # A playback's track only changes when it starts, ends or is cut: build it then, not
            # on every frame for each of the last 32 utterances.
            key = (pb.start, end, pb.interrupted)
            hit = cached.get(id(pb))
            track = hit[2] if hit is not None and hit[0] is pb and hit[1] == key else None
            if track is None:
                track = _lip_track(pb, end)
            self._track_cache[id(pb)] = (pb, key, track)
            tracks.append(track)
            if pb.start <= t < end + CAPTION_HOLD_S:
                caption, question = pb.chunk.text, q
                talking_now = pb.start <= t < end
        if product is not None and offer_ends_at is not None:
            product = replace(product, offer_ends_in_s=max(0.0, offer_ends_at - t))
        pitching = self._pitching
        if pitching is None:
            pitching = product is not None and talking_now and question is None
        pose = self.animator.pose_at(t, tracks, self._emotion, pitching=pitching)
        return StageScene(
            product_since=self._product_since if product is not None else None,
            t=t, pose=pose, product=product, caption=caption,
            question_user=question[0] if question else "", question_text=question[1] if question else "",
        )


def _lip_track(pb: Playback, end: float) -> LipTrack:
    assert pb.start is not None
    if pb.interrupted:
        # Only what was actually played moves the mouth.
        visemes = [v for v in pb.chunk.visemes if pb.start + v.start < end]
        visemes = [VisemeSpan(v.start, min(v.end, end - pb.start), v.viseme) for v in visemes]
    else:
        visemes = list(pb.chunk.visemes)
    stresses = tuple(s for s in stress_onsets(pb.chunk.phonemes) if pb.start + s < end)
    return LipTrack(start=pb.start - MOUTH_LEAD_S, visemes=visemes, text=pb.chunk.text,
                    stresses=stresses)
