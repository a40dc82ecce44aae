"""A scripted demo show as a pure function of time, for `vhost render-stage`, goldens and the
stage benchmark: the catalog's products in turn, their selling points as spoken lines (with a
mouth timeline derived from the letters), a viewer question now and then, and an emotion per
product slot. No models, no audio: any instant renders the same frame on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vhost.avatar.animator import Animator, LipTrack
from vhost.base.audio_types import PhonemeTiming
from vhost.stage.scene import ProductView, StageScene
from vhost.voice.visemes import visemes_from_phonemes

SLOT_S = 40.0  # each product is on the card this long
LINE_GAP_S = 0.7
CHAR_S = 0.075  # seconds per letter: ~13 letters/s, conversational English
_SLOT_EMOTIONS = ("happy", "excited", "neutral", "surprised", "thinking", "sad")
_QUESTIONS = (
    ("mika_23", "Does it fit in a car cup holder?"),
    ("小鹿", "有没有别的颜色？"),
    ("dan.k", "How long does shipping take?"),
)
_VOWELS = set("aeiou")


@dataclass(frozen=True)
class DemoLine:
    start: float
    text: str
    track: LipTrack
    question: tuple[str, str] | None


def letter_track(text: str, start: float) -> LipTrack:
    """A mouth timeline from letters (a rough stand-in for a TTS phoneme timeline): one
    'phoneme' per letter, a primary stress mark before the first vowel of every long word."""
    phonemes: list[PhonemeTiming] = []
    stresses: list[float] = []
    t = 0.0
    for word in text.lower().split():
        stressed = len(word) > 4
        for ch in word:
            if stressed and ch in _VOWELS:
                phonemes.append(PhonemeTiming("ˈ", t, 0.0))
                stresses.append(t)
                stressed = False
            phonemes.append(PhonemeTiming(ch if ch.isalpha() else "_", t, CHAR_S))
            t += CHAR_S
        phonemes.append(PhonemeTiming(" ", t, CHAR_S))
        t += CHAR_S
    return LipTrack(start=start, visemes=visemes_from_phonemes(phonemes), text=text,
                    stresses=tuple(stresses))


class DemoShow:
    def __init__(self, catalog_path: str | Path | None = None, seed: int = 7,
                 visuals: dict[str, tuple[str, str]] | None = None) -> None:
        from vhost.base.paths import repo_root
        from vhost.brain.catalog import load_catalog

        path = Path(catalog_path) if catalog_path else repo_root() / "assets/demo/catalog.toml"
        self.catalog = load_catalog(path)
        self.products = list(self.catalog.products)
        self.animator = Animator(seed)
        self.visuals = visuals or {}
        self._lines = [self._slot_lines(i) for i in range(len(self.products))]

    def _slot_lines(self, slot: int) -> list[DemoLine]:
        product = self.products[slot]
        texts = [f"Let's look at the {product.name}!", *product.selling_points]
        texts = [f"Great question! {t}" if i % 3 == 2 else t for i, t in enumerate(texts)]
        lines, t = [], 1.0
        for i, text in enumerate(texts):
            track = letter_track(text, t)
            question = _QUESTIONS[(slot + i) % len(_QUESTIONS)] if i % 3 == 2 else None
            lines.append(DemoLine(t, text, track, question))
            t = track.end + LINE_GAP_S
        return lines

    def product_view(self, slot: int, t_in_slot: float) -> ProductView:
        p = self.products[slot]
        image = str(p.images[0]) if p.images else None
        path, accent = self.visuals.get(p.id, (None, None))
        return ProductView(
            id=p.id, name=p.name, price=p.price, currency=p.currency,
            original_price=p.original_price, image_path=image,
            tagline=p.selling_points[0] if p.selling_points else p.tagline,
            offer_ends_in_s=max(0.0, self.catalog.offer_seconds(p.id) - t_in_slot),
            stock=max(0, p.stock - int(t_in_slot // 4)), stock_initial=p.stock,
            visual_path=path, accent=accent,
        )

    def scene_at(self, t: float, emotion: str | None = None) -> StageScene:
        cycle = SLOT_S * len(self.products)
        slot = int((t % cycle) // SLOT_S)
        slot_start = t - (t % cycle) % SLOT_S
        local = t - slot_start
        lines = self._lines[slot]
        tracks = [LipTrack(ln.track.start + slot_start, ln.track.visemes, ln.text, ln.track.stresses)
                  for ln in lines]
        caption, question, talking = "", None, False
        for ln, track in zip(lines, tracks, strict=True):
            if track.start <= t < track.end + 1.0:
                caption, question = ln.text, ln.question
                talking = t < track.end
        emo = emotion or _SLOT_EMOTIONS[slot % len(_SLOT_EMOTIONS)]
        pose = self.animator.pose_at(t, tracks, emo, pitching=talking and question is None)
        return StageScene(
            t=t, pose=pose, product=self.product_view(slot, local), caption=caption,
            question_user=question[0] if question else "",
            question_text=question[1] if question else "",
            product_since=slot_start,
        )
