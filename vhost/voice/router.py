"""Pick a voice per fragment: Piper where it speaks the language, espeak-ng for everything else."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import numpy as np

from vhost.voice.cleaning import clean_for_speech
from vhost.voice.espeak_engine import EspeakEngine
from vhost.voice.language import detect_language
from vhost.voice.piper_engine import PiperEngine
from vhost.voice.types import AudioChunk

log = logging.getLogger(__name__)

_WARMUP_TEXT = "Hello there, welcome in."


class VoiceRouter:
    """Routes each fragment to the primary (neural) voice or the espeak-ng fallback.

    The chunk it returns carries an extra `engine` attribute naming the voice that spoke it.
    """

    def __init__(self, primary: PiperEngine | None, fallback: EspeakEngine) -> None:
        self.primary = primary
        self.fallback = fallback

    def engine_for(self, lang: str) -> str:
        """Name of the engine that would speak `lang` (before any runtime failure)."""
        if self.primary is not None and lang in self.primary.languages:
            return self.primary.name
        return self.fallback.name

    def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        """Speak one fragment; `lang` is detected from the text when None. Never raises for a
        primary-voice failure: that fragment is spoken by espeak-ng instead."""
        spoken = clean_for_speech(text)
        if not spoken:  # only emotes/emoji/punctuation: nothing to say
            sr = self.primary.sample_rate if self.primary is not None else self.fallback.sample_rate
            return _tag(
                AudioChunk(pcm=np.zeros(0, dtype=np.float32), sample_rate=sr, text=text), ""
            )
        lang = lang or detect_language(spoken)

        if self.primary is not None and lang in self.primary.languages:
            try:
                chunk = self.primary.synthesize(spoken)
                chunk.text = text
                return _tag(chunk, self.primary.name)
            except Exception:
                log.exception(
                    "%s failed on %r; falling back to espeak-ng", self.primary.name, spoken
                )

        chunk = self.fallback.synthesize(spoken, lang)
        chunk.text = text
        return _tag(chunk, self.fallback.name)

    def warmup(self) -> dict[str, float]:
        """Synthesize a short phrase on each engine once (Piper's first run is several times
        slower than later ones); returns seconds per engine. Failures are logged, not raised."""
        took: dict[str, float] = {}
        engines: list[tuple[str, Callable[[], AudioChunk]]] = [
            (self.fallback.name, lambda: self.fallback.synthesize(_WARMUP_TEXT, "en"))
        ]
        if self.primary is not None:
            primary = self.primary
            engines.insert(0, (primary.name, lambda: primary.synthesize(_WARMUP_TEXT)))
        for name, run in engines:
            t0 = time.perf_counter()
            try:
                run()
            except Exception:
                log.exception("warmup of %s failed", name)
                continue
            took[name] = time.perf_counter() - t0
        return took


def _tag(chunk: AudioChunk, engine: str) -> AudioChunk:
    chunk.engine = engine  # type: ignore[attr-defined]  # read by the TTS worker's encoder
    return chunk
