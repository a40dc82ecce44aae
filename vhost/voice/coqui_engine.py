"""Coqui TTS: a user's own model folder (VITS, XTTS, ...) as a voice, on CUDA when present.

Optional: `pip install "vhost[coqui]"`. Coqui ships no model here and downloads nothing offline, so
this engine only loads what the user points it at (`model_path` = checkpoint file or XTTS folder,
`config_path` = its config.json). Coqui reports no phoneme timings: the mouth follows loudness.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np

from vhost.base.audio_types import AudioChunk
from vhost.voice.visemes import visemes_from_envelope

log = logging.getLogger(__name__)

INSTALL_HINT = 'pip install "vhost[coqui]"'


class CoquiUnavailable(RuntimeError):
    """Coqui TTS (or the torch/torchaudio it needs) cannot be imported here."""


def import_coqui():  # noqa: ANN201 (the TTS.api.TTS class)
    """`TTS.api.TTS`, or a CoquiUnavailable that says what to install."""
    try:
        from TTS.api import TTS
    except ModuleNotFoundError as err:
        if err.name and err.name.split(".")[0] == "TTS":
            raise CoquiUnavailable(f"Coqui TTS is not installed: {INSTALL_HINT}") from err
        raise CoquiUnavailable(
            f"Coqui TTS is installed but cannot load ({err}); {INSTALL_HINT} into an environment "
            "whose torch, torchaudio and torchcodec versions match"
        ) from err
    except Exception as err:  # coqui raises ImportError/OSError for a torch/torchaudio mismatch
        raise CoquiUnavailable(
            f"Coqui TTS is installed but cannot load ({type(err).__name__}: "
            f"{str(err).strip().splitlines()[0] if str(err).strip() else ''}); it needs torch, "
            "torchaudio and torchcodec builds that match each other"
        ) from err
    return TTS


class CoquiEngine:
    """A Coqui model from disk. `languages` are what the model speaks (from the model when it is
    multilingual, else the configured list)."""

    name = "coqui"

    def __init__(
        self,
        model_path: str | Path,
        config_path: str | Path | None = None,
        device: str = "auto",
        speaker: str | None = None,
        language: str | None = None,
        languages: list[str] | None = None,
    ) -> None:
        TTS = import_coqui()  # noqa: N806 (a class)
        model_path = Path(model_path).expanduser()
        if config_path is None and model_path.is_dir():
            config_path = model_path / "config.json"
        if not model_path.exists():
            raise FileNotFoundError(f"Coqui model not found: {model_path}")
        if config_path is None or not Path(config_path).exists():
            raise FileNotFoundError(f"Coqui config not found: {config_path} (set coqui_config_path)")
        import torch

        use_cuda = device == "cuda" or (device == "auto" and torch.cuda.is_available())
        if device == "cuda" and not torch.cuda.is_available():
            log.warning("CUDA requested for Coqui but torch sees no GPU; using the CPU")
            use_cuda = False
        self.device = "cuda" if use_cuda else "cpu"
        self.model_path = model_path
        self.tts = TTS(model_path=str(model_path), config_path=str(config_path), progress_bar=False)
        self.tts.to(self.device)
        self.speaker = speaker
        if self.speaker is None and self.tts.is_multi_speaker and self.tts.speakers:
            self.speaker = self.tts.speakers[0]
        model_langs = list(self.tts.languages or []) if self.tts.is_multi_lingual else []
        self.language = language or (model_langs[0] if model_langs else None)
        self.languages: frozenset[str] = frozenset(
            lang.split("-")[0] for lang in (model_langs or languages or ["en"])
        )
        self.voice_name = self.speaker or model_path.stem
        self._lock = threading.Lock()

    @property
    def sample_rate(self) -> int:
        return int(self.tts.synthesizer.output_sample_rate)

    def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        sr = self.sample_rate
        if not text.strip():
            return AudioChunk(pcm=np.zeros(0, dtype=np.float32), sample_rate=sr, text=text)
        kwargs: dict = {}
        if self.speaker is not None and self.tts.is_multi_speaker:
            kwargs["speaker"] = self.speaker
        if self.tts.is_multi_lingual:
            base = (lang or "").split("-")[0]
            kwargs["language"] = base if base in self.languages else self.language
        with self._lock:
            wav = self.tts.tts(text=text, **kwargs)
        pcm = np.clip(np.asarray(wav, dtype=np.float32).reshape(-1), -1.0, 1.0)
        return AudioChunk(pcm=pcm, sample_rate=sr, text=text, visemes=visemes_from_envelope(pcm, sr))
