"""Pick a voice per fragment: the engine configured for its language, then a fallback chain.

Routes map a language to an engine name (`{"en": "piper", "zh": "kokoro"}`); a language without a
route goes to the first loaded engine that speaks it. When the chosen engine raises, the fragment
is spoken by the next engine that speaks the language and finally by espeak-ng (which speaks
everything), with a warning on the chunk and in the log: the show never goes silent for a voice
failure. Every chunk leaves at the voice's calibrated loudness (see `vhost.audio.loudness`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

from vhost.audio.loudness import LoudnessNormalizer
from vhost.base.audio_types import AudioChunk
from vhost.base.language import detect_language
from vhost.voice.cleaning import clean_for_speech
from vhost.voice.en_text import normalize_en
from vhost.voice.espeak_engine import EspeakEngine

log = logging.getLogger(__name__)

# Short on purpose: Kokoro on a small CPU runs near real time, and this is paid at every start.
_WARMUP_TEXT = {"en": "Hello there, welcome in.", "zh": "大家好！"}
# Reference sentences the loudness of each voice is calibrated on: ordinary host speech, several
# seconds long, so the gating of BS.1770 sees a representative level.
CALIBRATION_TEXT = {
    "en": "Welcome to the stream, everyone! This ceramic mug keeps your coffee hot for six "
    "hours, and it ships today.",
    "zh": "欢迎来到直播间！这款陶瓷杯可以保温六个小时，今天下单马上发货。",
    "es": "¡Bienvenidos al directo! Esta taza de cerámica mantiene el café caliente seis horas.",
    "fr": "Bienvenue sur le live ! Cette tasse en céramique garde le café chaud pendant six heures.",
    "it": "Benvenuti nella diretta! Questa tazza in ceramica tiene il caffè caldo per sei ore.",
    "pt": "Bem-vindos à live! Esta caneca de cerâmica mantém o café quente por seis horas.",
}


class Engine(Protocol):
    name: str
    languages: frozenset[str]

    @property
    def sample_rate(self) -> int: ...

    def synthesize(self, text: str, lang: str | None = None) -> AudioChunk: ...


def voice_of(engine: Engine, lang: str) -> str:
    """The engine's voice name for `lang` (espeak-ng picks one per language)."""
    if isinstance(engine, EspeakEngine):
        return engine.voice(lang)
    voice_for = getattr(engine, "voice_for", None)  # Kokoro: a style per language
    if callable(voice_for):
        return str(voice_for(lang))
    return str(getattr(engine, "voice_name", ""))


class VoiceRouter:
    """Routes each fragment to its language's engine; espeak-ng is the last resort."""

    def __init__(
        self,
        primary: Engine | None,
        fallback: EspeakEngine,
        *,
        engines: Sequence[Engine] = (),
        routes: Mapping[str, str] | None = None,
        normalizer: LoudnessNormalizer | None = None,
    ) -> None:
        self.primary = primary
        self.fallback = fallback
        ordered = ([primary] if primary is not None else []) + [e for e in engines if e is not primary]
        self.engines: dict[str, Engine] = {e.name: e for e in ordered}
        self.routes = dict(routes or {})
        self.normalizer = normalizer

    def chain(self, lang: str) -> list[Engine]:
        """Engines to try for `lang`, best first; always ends with espeak-ng."""
        base = lang.lower().replace("_", "-").split("-")[0]
        out: list[Engine] = []
        routed = self.routes.get(lang) or self.routes.get(base)
        if routed in (self.fallback.name, "espeak"):  # espeak-ng chosen on purpose
            return [self.fallback]
        if routed in self.engines:
            out.append(self.engines[routed])
        out += [e for e in self.engines.values() if base in e.languages and e not in out]
        out.append(self.fallback)
        return out

    def engine_for(self, lang: str) -> str:
        """Name of the engine that would speak `lang` (before any runtime failure)."""
        return self.chain(lang)[0].name

    def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        """Speak one fragment; `lang` is detected from the text when None. Never raises for a
        neural voice's failure: the next engine in the chain speaks the fragment instead."""
        spoken = clean_for_speech(text)
        if not spoken:  # only emotes/emoji/punctuation: nothing to say
            first = self.primary or self.fallback
            return AudioChunk(pcm=np.zeros(0, dtype=np.float32), sample_rate=first.sample_rate, text=text)
        lang = lang or detect_language(spoken)
        if lang.lower().split("-")[0].split("_")[0] == "en":  # units and signs as words
            spoken = normalize_en(spoken)
        chain = self.chain(lang)
        failures: list[str] = []
        for engine in chain:
            try:
                chunk = engine.synthesize(spoken, lang)
            except Exception as err:
                if engine is chain[-1]:
                    raise
                nxt = chain[chain.index(engine) + 1].name
                log.error("%s failed on %r (%s); falling back to %s", engine.name, spoken, err, nxt,
                          exc_info=True)
                failures.append(f"{engine.name} failed ({err}); spoken by {nxt}")
                continue
            chunk.text = text
            chunk.engine = engine.name
            chunk.voice = voice_of(engine, lang)
            chunk.warning = "; ".join(failures)
            if self.normalizer is not None and chunk.pcm.size:
                chunk.pcm = self.normalizer.process(self._key(engine, lang), chunk.pcm, chunk.sample_rate)
            return chunk
        raise AssertionError("unreachable: the chain ends with espeak-ng, which raises")

    def _key(self, engine: Engine, lang: str) -> str:
        return f"{engine.name}:{voice_of(engine, lang)}:{lang.split('-')[0]}"

    def warmup(self) -> dict[str, float]:
        """Synthesize once on each engine (first runs are several times slower than later ones),
        and calibrate each routed voice's loudness if not yet cached. Returns seconds per engine;
        failures are logged, not raised."""
        took: dict[str, float] = {}
        jobs: list[tuple[Engine, str]] = []
        for lang in sorted({"en", *self.routes}):
            engine = self.chain(lang)[0]
            if (engine, lang) not in jobs:
                jobs.append((engine, lang))
        for engine in [*self.engines.values(), self.fallback]:
            if not any(e is engine for e, _ in jobs):
                jobs.append((engine, next(iter(sorted(engine.languages & {"en", "zh"})), "en")))
        if self.normalizer is not None:
            # espeak-ng costs milliseconds: calibrate it for both show languages, since it may
            # have to stand in for any voice.
            jobs += [(self.fallback, lang) for lang in CALIBRATION_TEXT
                     if not any(e is self.fallback and la == lang for e, la in jobs)]
        for engine, lang in jobs:
            t0 = time.perf_counter()
            try:
                key = self._key(engine, lang)
                if (self.normalizer is not None and lang in CALIBRATION_TEXT
                        and self.normalizer.gain_db(key) is None):
                    chunk = engine.synthesize(CALIBRATION_TEXT[lang], lang)
                    self.normalizer.calibrate(key, chunk.pcm, chunk.sample_rate)
                else:
                    engine.synthesize(_WARMUP_TEXT.get(lang, _WARMUP_TEXT["en"]), lang)
            except Exception:
                log.exception("warmup of %s failed", engine.name)
                continue
            took[engine.name] = took.get(engine.name, 0.0) + time.perf_counter() - t0
        return took
