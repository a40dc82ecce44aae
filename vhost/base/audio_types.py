"""What a voice engine hands on: audio plus the phoneme timeline that drives the mouth."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class PhonemeTiming:
    """One phoneme, timed in seconds from the start of its audio chunk."""

    phoneme: str
    start: float
    duration: float


@dataclass(frozen=True)
class VisemeSpan:
    """A mouth shape held from `start` to `end` seconds (relative to its audio chunk)."""

    start: float
    end: float
    viseme: str


@dataclass
class AudioChunk:
    """Mono float32 PCM in [-1, 1] for one spoken fragment, with its timings."""

    pcm: np.ndarray
    sample_rate: int
    text: str = ""
    phonemes: list[PhonemeTiming] = field(default_factory=list)
    visemes: list[VisemeSpan] = field(default_factory=list)
    engine: str = ""  # the engine that spoke it ("piper", "kokoro", "espeak-ng", "coqui")
    voice: str = ""  # that engine's voice
    warning: str = ""  # set when a fallback voice spoke instead of the chosen one
    cached: bool = False  # played from memory (prepared earlier): costs no synthesis time

    @property
    def duration(self) -> float:
        return len(self.pcm) / float(self.sample_rate)
