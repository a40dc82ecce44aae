"""Sample-rate conversion for speech: linear interpolation is enough for a voice at 22–24 kHz
going up to the device rate, and keeps us free of a compiled resampler dependency."""

from __future__ import annotations

import numpy as np


def resample(pcm: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    pcm = np.asarray(pcm, dtype=np.float32)
    if src_rate == dst_rate or len(pcm) == 0:
        return pcm
    n_out = int(round(len(pcm) * dst_rate / src_rate))
    x_out = np.arange(n_out, dtype=np.float64) * (src_rate / dst_rate)
    return np.interp(x_out, np.arange(len(pcm)), pcm).astype(np.float32)
