"""espeak-ng voice: robotic, but speaks ~100 languages instantly, so it covers what the others can't.

Speaks through libespeak-ng (see `espeak_lib`), whose phoneme events give a phoneme timeline like
the neural voices', so the mouth follows phonemes. Where the library cannot load, the `espeak-ng`
binary is run per fragment instead (a few ms to start) and the mouth follows loudness: it reports
no phoneme timings on stdout.
"""

from __future__ import annotations

import logging
import shutil
import struct
import subprocess
import threading

import numpy as np

from vhost.base.audio_types import AudioChunk
from vhost.voice.visemes import (
    group_phonemes,
    rest_in_silence,
    visemes_from_envelope,
    visemes_from_phonemes,
)

log = logging.getLogger(__name__)

# Preferred espeak-ng voices per language, best first. Chinese needs "cmn-latn-pinyin": in
# espeak-ng 1.51 the plain "zh"/"cmn" voice reads its own pinyin tone digits as English numbers
# ("ni3" -> "nee three").
_DEFAULT_VOICES: dict[str, tuple[str, ...]] = {
    "zh": ("cmn-latn-pinyin", "cmn", "zh"),
    "en": ("en-us", "en"),
    "ja": ("ja",),
    "yue": ("yue",),
}
_MISSING = "espeak-ng not found: apt-get install espeak-ng"


class EspeakEngine:
    """Any-language fallback voice using the espeak-ng command-line program."""

    name = "espeak-ng"

    def __init__(
        self,
        voice_for_lang: dict[str, str] | None = None,
        speed_wpm: int = 175,
        binary: str = "espeak-ng",
        use_library: bool = True,
    ) -> None:
        path = shutil.which(binary)
        if path is None:
            raise RuntimeError(_MISSING)
        self.binary = path
        self.speed_wpm = speed_wpm
        self._installed = self._list_voices()
        self.voice_for_lang: dict[str, str] = {
            lang: next((v for v in options if v in self._installed), options[-1])
            for lang, options in _DEFAULT_VOICES.items()
        }
        self.voice_for_lang.update(voice_for_lang or {})
        self._sample_rate = 22050  # espeak-ng's output rate; refreshed from each WAV header
        self._lock = threading.Lock()
        self.library = None
        if use_library:
            from vhost.voice.espeak_lib import shared_library

            try:
                self.library = shared_library(self._data_dir())
                self._sample_rate = self.library.sample_rate
            except OSError as err:
                log.warning("libespeak-ng unavailable (%s): no phoneme timings from espeak-ng", err)

    @property
    def sample_rate(self) -> int:
        return self._sample_rate

    @property
    def languages(self) -> frozenset[str]:
        """Languages with a configured voice (others are tried as an espeak voice name)."""
        return frozenset(self.voice_for_lang)

    def voice(self, lang: str) -> str:
        """espeak-ng voice for a language code such as "zh", "en-US" or "de"."""
        lang = lang.lower().replace("_", "-")
        return self.voice_for_lang.get(lang) or self.voice_for_lang.get(lang.split("-")[0]) or lang

    def synthesize(self, text: str, lang: str = "en") -> AudioChunk:
        """Speak `text` in `lang`; returns float32 mono PCM with loudness-driven visemes."""
        if not text.strip():
            return AudioChunk(
                pcm=np.zeros(0, dtype=np.float32), sample_rate=self._sample_rate, text=text
            )
        if self.library is not None:
            pcm, sr, timeline = self.library.synthesize(text, self.voice(lang), self.speed_wpm)
            if timeline:
                phonemes = group_phonemes(timeline)
                visemes = rest_in_silence(visemes_from_phonemes(phonemes), pcm, sr)
            else:
                phonemes, visemes = [], visemes_from_envelope(pcm, sr)
            return AudioChunk(pcm=pcm, sample_rate=sr, text=text, phonemes=phonemes,
                              visemes=visemes, voice=self.voice(lang))
        cmd = [
            self.binary,
            "-v",
            self.voice(lang),
            "-s",
            str(self.speed_wpm),
            "-b",
            "1",
            "--stdout",
            "--stdin",
        ]
        try:
            # Text goes through stdin so a fragment starting with "-" is never taken for an option.
            proc = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True, timeout=60)
        except FileNotFoundError as err:
            raise RuntimeError(_MISSING) from err
        if proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip() or proc.stdout[:200]
            raise RuntimeError(
                f"espeak-ng failed ({proc.returncode}) for voice {self.voice(lang)!r}: {detail}"
            )
        pcm, sr = wav_to_float32(proc.stdout)
        with self._lock:
            self._sample_rate = sr
        return AudioChunk(
            pcm=pcm, sample_rate=sr, text=text, visemes=visemes_from_envelope(pcm, sr)
        )

    def _data_dir(self) -> str | None:
        """The binary's `espeak-ng-data` folder ("... Data at: /usr/lib/.../espeak-ng-data")."""
        try:
            out = subprocess.run([self.binary, "--version"], capture_output=True, text=True,
                                 timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        _, found, where = out.partition("Data at:")
        return where.strip() or None if found else None

    def _list_voices(self) -> set[str]:
        try:
            out = subprocess.run(
                [self.binary, "--voices"], capture_output=True, text=True, timeout=30, check=True
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return set()
        return {line.split()[1] for line in out.splitlines()[1:] if len(line.split()) > 1}


def wav_to_float32(data: bytes) -> tuple[np.ndarray, int]:
    """Decode a 16-bit PCM WAV (mono or first channel) to float32 in [-1, 1].

    espeak-ng writing to a pipe cannot seek back to fill in the RIFF/data sizes (they read
    0x7FFFF000), so chunk sizes are trusted only for the header and the data runs to the end.
    """
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError("not a RIFF/WAVE stream")
    pos = 12
    channels = sample_rate = bits = None
    while pos + 8 <= len(data):
        chunk_id, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = pos + 8
        if chunk_id == b"fmt ":
            _fmt, channels, sample_rate, _rate, _align, bits = struct.unpack(
                "<HHIIHH", data[body : body + 16]
            )
        elif chunk_id == b"data":
            if channels is None or sample_rate is None:
                raise ValueError("WAV data before fmt chunk")
            if bits != 16:
                raise ValueError(f"unsupported WAV sample width: {bits} bits")
            raw = data[body : min(body + size, len(data))]
            raw = raw[: len(raw) // (2 * channels) * 2 * channels]
            samples = np.frombuffer(raw, dtype="<i2").reshape(-1, channels)[:, 0]
            return (samples.astype(np.float32) / 32768.0), int(sample_rate)
        pos = body + size + (size & 1)
    raise ValueError("WAV stream has no data chunk")
