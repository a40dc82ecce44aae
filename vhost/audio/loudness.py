"""Loudness: every voice at about -16 LUFS with true peaks at or below -1 dBTP, fragment after fragment.

Streamers expect a steady level on the virtual cable into OBS. Normalizing each fragment to its
own loudness would make a short "Yes!" as loud as a long sentence and make the level jump between
fragments, so each voice gets one fixed gain, calibrated once on a reference sentence (and cached
on disk), and a look-ahead limiter only catches the peaks that gain pushes over the ceiling.

Measures follow ITU-R BS.1770: integrated loudness with pyloudnorm (K-weighting, gating), true peak
on a 4x oversampled signal (the peak a DAC or a resampler reconstructs between samples).
"""

from __future__ import annotations

import json
import logging
import math
import threading
from pathlib import Path

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

from vhost.base.files import atomic_write_text

log = logging.getLogger(__name__)

TARGET_LUFS = -16.0
CEILING_DBTP = -1.0
EDGE_FADE_S = 0.002  # a fragment starts and ends on zero: no click where two fragments meet
_MAX_GAIN_DB = 30.0  # a near-silent calibration must not turn into +60 dB of noise
_CALIBRATION_MIN_S = 1.5  # shorter audio is too little speech to set a voice's level from
# The limiter aims this far under the ceiling: resampling to the device rate and 16-bit rounding
# move true peaks by up to about a tenth of a dB, and the ceiling must still hold after them.
_MARGIN_DB = 0.3  # measured: 0.1 let a limited Piper line reach -0.97 dBTP after resampling to 48 kHz


def db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def integrated_lufs(pcm: np.ndarray, sample_rate: int) -> float:
    """BS.1770 integrated loudness in LUFS; -inf for silence or empty audio.

    Audio shorter than the standard 400 ms block is measured as one block.
    """
    import pyloudnorm

    x = np.asarray(pcm, dtype=np.float64).reshape(-1)
    if x.size == 0 or not np.any(x):
        return float("-inf")
    block = min(0.4, x.size / sample_rate)
    if block < 0.02:
        return float("-inf")
    meter = pyloudnorm.Meter(sample_rate, block_size=block)
    with np.errstate(divide="ignore"):
        value = float(meter.integrated_loudness(x))
    return value if math.isfinite(value) else float("-inf")


def true_peak(pcm: np.ndarray, oversample: int = 4) -> float:
    """Linear true peak: the largest magnitude of the 4x oversampled signal."""
    x = np.asarray(pcm, dtype=np.float64).reshape(-1)
    if x.size == 0:
        return 0.0
    return float(max(np.max(np.abs(x)), np.max(np.abs(resample_poly(x, oversample, 1)))))


def true_peak_dbtp(pcm: np.ndarray, oversample: int = 4) -> float:
    peak = true_peak(pcm, oversample)
    return 20.0 * math.log10(peak) if peak > 0 else float("-inf")


def limit(
    pcm: np.ndarray, sample_rate: int, ceiling_dbtp: float = CEILING_DBTP, lookahead_s: float = 0.005
) -> np.ndarray:
    """Look-ahead peak limiter: true peaks end at or below `ceiling_dbtp`, everything else as is.

    The gain needed at each sample (from the oversampled envelope) is spread `lookahead_s` either
    side with a minimum filter and then smoothed with a moving average no wider than that spread,
    so the smoothed gain never exceeds what any sample needs and still ramps in and out over a few
    milliseconds instead of stepping (which would distort).
    """
    x = np.asarray(pcm, dtype=np.float32).reshape(-1)
    if x.size == 0:
        return x.copy()
    ceiling = db_to_gain(ceiling_dbtp)
    k = 4
    over = np.abs(resample_poly(x.astype(np.float64), k, 1))[: x.size * k]
    over = np.pad(over, (0, x.size * k - over.size))
    # Envelope per sample: its own value and the inter-sample peaks on both sides of it.
    env = np.maximum(np.abs(x), over.reshape(-1, k).max(axis=1))
    env = np.maximum(env, np.concatenate([[0.0], env[:-1]]))
    need = np.minimum(1.0, ceiling / np.maximum(env, 1e-12))
    if np.all(need >= 1.0):
        return x.copy()
    half = max(1, int(lookahead_s * sample_rate))
    gain = minimum_filter1d(need, size=2 * half + 1, mode="nearest")
    gain = uniform_filter1d(gain, size=half + 1, mode="nearest")
    y = (x * gain).astype(np.float32)
    # The smoothed gain is exact on samples; between them the filter's ringing may add a hair.
    for _ in range(3):
        tp = true_peak(y)
        if tp <= ceiling:
            break
        y *= np.float32(ceiling / tp * 0.999)
    return y


def edge_fade(pcm: np.ndarray, sample_rate: int, fade_s: float = EDGE_FADE_S) -> np.ndarray:
    x = np.asarray(pcm, dtype=np.float32).reshape(-1).copy()
    n = min(int(fade_s * sample_rate), x.size // 2)
    if n > 0:
        ramp = np.linspace(0.0, 1.0, n, endpoint=False, dtype=np.float32)
        x[:n] *= ramp
        x[-n:] *= ramp[::-1]
    return x


class LoudnessNormalizer:
    """A fixed gain per voice (calibrated once, cached in `cache_path`) plus the peak limiter."""

    def __init__(
        self,
        target_lufs: float = TARGET_LUFS,
        ceiling_dbtp: float = CEILING_DBTP,
        cache_path: Path | None = None,
    ) -> None:
        self.target_lufs = target_lufs
        self.ceiling_dbtp = ceiling_dbtp
        self.cache_path = cache_path
        self._gains: dict[str, float] = {}
        self._lock = threading.Lock()
        if cache_path is not None:
            self._gains.update(self._read_cache(cache_path))

    def _cache_key(self, key: str) -> str:
        return f"{key}@{self.target_lufs:g}"

    def gain_db(self, key: str) -> float | None:
        return self._gains.get(self._cache_key(key))

    def calibrate(self, key: str, pcm: np.ndarray, sample_rate: int) -> float:
        """Set the voice's gain from a reference recording; returns the gain in dB."""
        lufs = integrated_lufs(pcm, sample_rate)
        if not math.isfinite(lufs):
            raise ValueError(f"cannot calibrate {key}: the reference audio is silent")
        gain = float(np.clip(self.target_lufs - lufs, -_MAX_GAIN_DB, _MAX_GAIN_DB))
        x = np.asarray(pcm, dtype=np.float32).reshape(-1)
        for _ in range(2):
            # The true-peak limiter takes some loudness off the peaks (about 0.6 dB on Piper's
            # voice): aim the gain at what comes out of the limiter, not what goes in.
            out = limit(x * np.float32(db_to_gain(gain)), sample_rate, self.ceiling_dbtp - _MARGIN_DB)
            short = self.target_lufs - integrated_lufs(out, sample_rate)
            if not math.isfinite(short) or abs(short) < 0.05:
                break
            gain = float(np.clip(gain + short, -_MAX_GAIN_DB, _MAX_GAIN_DB))
        with self._lock:
            self._gains[self._cache_key(key)] = gain
            if self.cache_path is not None:
                self._write_cache()
        log.info("loudness: %s measured %.1f LUFS -> gain %+.1f dB", key, lufs, gain)
        return gain

    def process(self, key: str, pcm: np.ndarray, sample_rate: int) -> np.ndarray:
        """The fragment at the voice's fixed gain, limited to the true-peak ceiling, edges faded.

        A voice heard for the first time calibrates itself from this fragment when it is long
        enough; a short first fragment gets its own gain once, without setting the voice's.
        """
        x = np.asarray(pcm, dtype=np.float32).reshape(-1)
        if x.size == 0:
            return x
        gain = self.gain_db(key)
        if gain is None:
            if x.size / sample_rate >= _CALIBRATION_MIN_S and np.any(x):
                gain = self.calibrate(key, x, sample_rate)
            else:
                lufs = integrated_lufs(x, sample_rate)
                gain = 0.0 if not math.isfinite(lufs) else float(
                    np.clip(self.target_lufs - lufs, -_MAX_GAIN_DB, _MAX_GAIN_DB))
        y = limit(x * np.float32(db_to_gain(gain)), sample_rate, self.ceiling_dbtp - _MARGIN_DB)
        return edge_fade(y, sample_rate)

    @staticmethod
    def _read_cache(path: Path) -> dict[str, float]:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            items = data.items()
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, AttributeError) as err:
            log.warning("ignoring unreadable loudness cache %s (%s)", path, err)
            return {}
        # Entry by entry: one damaged gain (null, NaN, a string) costs that voice a
        # recalibration, not every voice's level, and never the voice itself (a NaN gain would
        # turn every fragment into NaN samples: silence or a full-scale burst on the cable).
        gains: dict[str, float] = {}
        for k, v in items:
            try:
                gain = float(v)
            except (TypeError, ValueError):
                gain = math.nan
            if math.isfinite(gain) and abs(gain) <= _MAX_GAIN_DB:
                gains[str(k)] = gain
            else:
                log.warning("ignoring bad loudness gain %r for %s in %s", v, k, path)
        return gains

    def _write_cache(self) -> None:
        assert self.cache_path is not None
        try:
            text = json.dumps(self._gains, indent=1, sort_keys=True)
            atomic_write_text(self.cache_path, text, mode=0o600)
        except OSError as err:  # a read-only data dir costs a recalibration next start, no more
            log.warning("could not save loudness cache %s (%s)", self.cache_path, err)
