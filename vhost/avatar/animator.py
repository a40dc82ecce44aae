"""Turns (seed, time, lip tracks, emotion) into a RigPose.

Everything here is a pure function of its inputs: no wall clock, no state carried between
frames. The stage can therefore re-render any instant exactly (golden tests, replays, a
dropped frame that is painted late still shows what belongs to its timestamp), and blinks or
sway never depend on the frame rate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from vhost.avatar.pose import EMOTIONS, VISEME_OPENNESS, VISEMES, RigPose
from vhost.base.audio_types import VisemeSpan

# Half-width of the raised-cosine kernel the viseme timeline is smoothed with. A step between
# two shapes becomes a 2*_COART_HALF = 50 ms S-curve, the coarticulation edge that keeps the
# mouth from snapping between shapes while staying in sync with 10-20 ms phonemes.
_COART_HALF = 0.025

# Blinks: one per 4 s slot, jittered by up to +-1 s so gaps land in 2..6 s.
_BLINK_SLOT = 4.0
_BLINK_JITTER = 1.0
_BLINK_CLOSE = 0.07
_BLINK_HOLD = 0.03
_BLINK_OPEN = 0.10
_DOUBLE_BLINK_P = 0.18
_DOUBLE_BLINK_GAP = 0.30

_MASK64 = (1 << 64) - 1

# Emphasis nods: a quick dip then a slower return; stresses closer than _NOD_GAP to the last
# nod are skipped, because nodding on every stressed word reads as a twitch, not emphasis.
_NOD_DOWN = 0.09
_NOD_UP = 0.26
_NOD_GAP = 0.45
_NOD_LEAD = 0.03  # the head starts to move just before the vowel, as speakers do

# Glances at the product card while pitching: slots of _GLANCE_SLOT s, in each the host looks
# at the card for a seed-jittered share, turning over _GLANCE_TURN s (eyes are quick).
_GLANCE_SLOT = 3.2
_GLANCE_TURN = 0.18
PRIMARY_STRESS = "ˈ"


def stress_onsets(phonemes) -> tuple[float, ...]:
    """Times of primary-stressed syllables in a Piper/espeak phoneme timeline.

    The IPA stress mark comes as its own symbol (or glued to the vowel) right before the
    stressed syllable, so its start time is the syllable's onset.
    """
    return tuple(ph.start for ph in phonemes if PRIMARY_STRESS in ph.phoneme)


@dataclass(frozen=True)
class LipTrack:
    """One utterance's mouth timeline, anchored on the audio device clock."""

    start: float  # seconds, audio device clock, when the first sample plays
    visemes: list[VisemeSpan]  # times relative to `start`
    text: str = ""
    # Onsets (relative to `start`) of primary-stressed syllables: the head dips on them.
    stresses: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        for span in self.visemes:
            if span.viseme not in VISEME_OPENNESS:
                raise ValueError(
                    f"unknown viseme {span.viseme!r}; expected one of {', '.join(VISEMES)}"
                )
            if span.end < span.start:
                raise ValueError(f"viseme span ends before it starts: {span}")

    @property
    def end(self) -> float:
        if not self.visemes:
            return self.start
        return self.start + max(span.end for span in self.visemes)


def _mix(x: int) -> int:
    """splitmix64 finaliser: a fast, well-spread integer hash (stable, unlike hash())."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def _unit(seed: int, index: int, salt: int) -> float:
    """Deterministic uniform value in [0, 1) for (seed, index, salt)."""
    h = _mix((seed & _MASK64) ^ _mix((index & _MASK64) ^ _mix(salt)))
    return (h >> 11) / float(1 << 53)


def _smoothstep(x: float) -> float:
    x = min(1.0, max(0.0, x))
    return x * x * (3.0 - 2.0 * x)


def _kernel_cdf(u: float) -> float:
    """CDF of the raised-cosine kernel on [-h, h] (h = _COART_HALF)."""
    h = _COART_HALF
    if u <= -h:
        return 0.0
    if u >= h:
        return 1.0
    return (u + h) / (2.0 * h) + math.sin(math.pi * u / h) / (2.0 * math.pi)


class Animator:
    """Deterministic idle + lip-sync animation for one character seed."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)
        # Per-character rhythm: slightly different breathing rate and sway phases so two
        # hosts side by side do not move in lockstep.
        self._breath_hz = 0.22 + 0.06 * _unit(self.seed, 0, 11)
        self._breath_phase = 2.0 * math.pi * _unit(self.seed, 0, 12)
        self._sway = tuple(
            (amp, hz, 2.0 * math.pi * _unit(self.seed, i, 13))
            for i, (amp, hz) in enumerate(((0.55, 0.071), (0.3, 0.127), (0.15, 0.293)))
        )

    # -- public -----------------------------------------------------------------------------

    def pose_at(
        self,
        t: float,
        tracks: Sequence[LipTrack],
        emotion: str = "neutral",
        pitching: bool = False,
    ) -> RigPose:
        """`pitching`: a product is on the card and the host is selling it, so the eyes go
        to the card now and then (and come back to the viewers)."""
        if emotion not in EMOTIONS:
            raise ValueError(f"unknown emotion {emotion!r}; expected one of {', '.join(EMOTIONS)}")
        mouth_open, viseme = self.mouth_at(t, tracks)
        talking = any(track.start <= t < track.end for track in tracks)
        return RigPose(
            nod=self.nod_at(t, tracks),
            look=self.look_at(t) if pitching else 0.0,
            mouth_open=mouth_open,
            viseme=viseme,
            blink=self.blink_at(t),
            breath=self.breath_at(t),
            sway=self.sway_at(t),
            emotion=emotion,
            talking=talking,
        )

    def mouth_at(self, t: float, tracks: Sequence[LipTrack]) -> tuple[float, str]:
        """(openness, dominant viseme) from the viseme timeline smoothed by the kernel.

        Each span's weight is the kernel mass that falls inside it, so at a boundary the
        openness glides between the two shapes' VISEME_OPENNESS values, and gaps or the ends
        of a track glide to rest. Overlapping tracks add up (clamped), which keeps
        back-to-back utterances continuous across their seam.
        """
        weights: dict[str, float] = {}
        total = 0.0
        for track in tracks:
            local = t - track.start
            if local < -_COART_HALF or t > track.end + _COART_HALF:
                continue
            for span in track.visemes:
                if span.end < local - _COART_HALF or span.start > local + _COART_HALF:
                    continue
                w = _kernel_cdf(span.end - local) - _kernel_cdf(span.start - local)
                if w > 0.0:
                    weights[span.viseme] = weights.get(span.viseme, 0.0) + w
                    total += w
        if total <= 0.0:
            return 0.0, "rest"
        weights["rest"] = weights.get("rest", 0.0) + max(0.0, 1.0 - total)
        openness = sum(VISEME_OPENNESS[v] * w for v, w in weights.items())
        # Ties resolve in VISEMES order so the result never depends on dict insertion order.
        viseme = max(VISEMES, key=lambda v: (weights.get(v, 0.0), -VISEMES.index(v)))
        return min(1.0, openness), viseme

    def nod_at(self, t: float, tracks: Sequence[LipTrack]) -> float:
        """Head dip 0..1 from the stressed syllables around t (pure function of the tracks)."""
        best = 0.0
        for track in tracks:
            if not track.stresses or t < track.start - 1.0 or t > track.end + 1.0:
                continue  # a nod lasts 0.35 s: only tracks around t can move the head
            last = -1e9
            for onset in track.stresses:
                if onset - last < _NOD_GAP:
                    continue
                last = onset
                dt = t - (track.start + onset - _NOD_LEAD)
                if dt < 0.0:
                    break
                if dt < _NOD_DOWN:
                    best = max(best, _smoothstep(dt / _NOD_DOWN))
                elif dt < _NOD_DOWN + _NOD_UP:
                    best = max(best, 1.0 - _smoothstep((dt - _NOD_DOWN) / _NOD_UP))
        return best

    def look_at(self, t: float) -> float:
        """0 (viewers) .. 1 (the card): in each slot the host looks at the card for 35-65 %
        of it, starting at a seed-jittered moment, with a quick smooth turn each way."""
        k = math.floor(t / _GLANCE_SLOT)
        local = t - k * _GLANCE_SLOT
        share = 0.35 + 0.3 * _unit(self.seed, k, 21)
        start = (1.0 - share) * _GLANCE_SLOT * _unit(self.seed, k, 22)
        end = start + share * _GLANCE_SLOT
        return min(_smoothstep((local - start) / _GLANCE_TURN), _smoothstep((end - local) / _GLANCE_TURN))

    def blink_at(self, t: float) -> float:
        """Eyelid closure 0..1. Blink k starts in slot k at 4k + 2 +- 1 s (gaps of 2..6 s);
        a blink lasts 0.2 s, so only the current slot can be blinking at t."""
        k = math.floor(t / _BLINK_SLOT)
        start = self.blink_start(k)
        closure = self._blink_curve(t - start)
        if _unit(self.seed, k, 2) < _DOUBLE_BLINK_P:
            closure = max(closure, self._blink_curve(t - start - _DOUBLE_BLINK_GAP))
        return closure

    def blink_start(self, k: int) -> float:
        """Start time of the k-th scheduled blink (the first of a double blink)."""
        jitter = (2.0 * _unit(self.seed, k, 1) - 1.0) * _BLINK_JITTER
        return k * _BLINK_SLOT + _BLINK_SLOT / 2.0 + jitter

    def breath_at(self, t: float) -> float:
        return math.sin(2.0 * math.pi * self._breath_hz * t + self._breath_phase)

    def sway_at(self, t: float) -> float:
        # Incommensurate slow sines never visibly repeat; amplitudes sum to 1 so |sway| <= 1.
        return sum(amp * math.sin(2.0 * math.pi * hz * t + ph) for amp, hz, ph in self._sway)

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _blink_curve(dt: float) -> float:
        if dt < 0.0:
            return 0.0
        if dt < _BLINK_CLOSE:
            return _smoothstep(dt / _BLINK_CLOSE)
        dt -= _BLINK_CLOSE
        if dt < _BLINK_HOLD:
            return 1.0
        dt -= _BLINK_HOLD
        if dt < _BLINK_OPEN:
            return 1.0 - _smoothstep(dt / _BLINK_OPEN)
        return 0.0
