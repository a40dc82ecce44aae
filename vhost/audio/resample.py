"""Sample-rate conversion to the device's rate (48 kHz typical) from a voice's 22.05/24 kHz.

Polyphase filtering (scipy's `resample_poly`, a windowed-sinc low-pass at the exact rational
ratio, 320/147 for 22050 -> 48000) instead of linear interpolation, which leaves audible images of
the speech above the source's Nyquist frequency. Each fragment is converted whole; fragments start
and end on silence (see `loudness.edge_fade`), so the filter's edges meet nothing to smear.
"""

from __future__ import annotations

from math import gcd

import numpy as np
from scipy.signal import resample_poly


def resample(pcm: np.ndarray, src_rate: int, dst_rate: int) -> np.ndarray:
    """`pcm` at `dst_rate`: float32, exactly round(len * dst / src) samples long."""
    pcm = np.asarray(pcm, dtype=np.float32).reshape(-1)
    if src_rate <= 0 or dst_rate <= 0:
        raise ValueError(f"sample rates must be positive, got {src_rate} -> {dst_rate}")
    if src_rate == dst_rate or len(pcm) == 0:
        return pcm
    g = gcd(int(src_rate), int(dst_rate))
    up, down = dst_rate // g, src_rate // g
    out = resample_poly(pcm.astype(np.float64), up, down)
    n_out = int(round(len(pcm) * dst_rate / src_rate))
    if out.size < n_out:
        out = np.pad(out, (0, n_out - out.size))
    return out[:n_out].astype(np.float32)
