"""Summary statistics shared by the bench modules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np


def pct(values: Sequence[float] | np.ndarray, qs: Iterable[int] = (50, 95, 99)) -> dict:
    """`{"p50": .., "p95": .., "p99": .., "max": .., "n": ..}` rounded to 0.01; `{}` for no values."""
    if not len(values):
        return {}
    arr = np.asarray(values, dtype=float)
    out = {f"p{q}": round(float(np.percentile(arr, q)), 2) for q in qs}
    out["max"] = round(float(arr.max()), 2)
    out["n"] = len(arr)
    return out
