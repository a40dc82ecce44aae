"""Frame pacing statistics: how regularly frames arrive and how long painting takes.

Percentiles over a sliding window, because a stream's smoothness is judged by its worst
frames (p95/p99), not by the average.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Percentiles:
    count: int
    p50: float
    p95: float
    p99: float
    max: float

    def __str__(self) -> str:
        return f"p50={self.p50:.2f} p95={self.p95:.2f} p99={self.p99:.2f} max={self.max:.2f} ms (n={self.count})"


class FrameStats:
    """Collects frame intervals and render durations, in milliseconds."""

    def __init__(self, window: int = 900) -> None:
        if window < 1:
            raise ValueError("window must be >= 1")
        self._intervals: deque[float] = deque(maxlen=window)
        self._render: deque[float] = deque(maxlen=window)
        self._last_frame: float | None = None
        self.frames = 0

    def frame(self, now_s: float) -> None:
        """Mark a frame presented at `now_s` (a monotonic clock, seconds)."""
        if self._last_frame is not None:
            self._intervals.append((now_s - self._last_frame) * 1000.0)
        self._last_frame = now_s
        self.frames += 1

    def render(self, ms: float) -> None:
        self._render.append(float(ms))

    def reset(self) -> None:
        self._intervals.clear()
        self._render.clear()
        self._last_frame = None
        self.frames = 0

    @property
    def interval_ms(self) -> Percentiles:
        return _percentiles(self._intervals)

    @property
    def render_ms(self) -> Percentiles:
        return _percentiles(self._render)

    @property
    def fps(self) -> float:
        """Mean frame rate over the window (0 until two frames were seen)."""
        if not self._intervals:
            return 0.0
        mean = float(np.mean(self._intervals))
        return 1000.0 / mean if mean > 0 else 0.0

    def summary(self) -> dict[str, float]:
        iv, rd = self.interval_ms, self.render_ms
        return {
            "frames": float(self.frames),
            "fps": self.fps,
            "interval_p50_ms": iv.p50,
            "interval_p95_ms": iv.p95,
            "interval_p99_ms": iv.p99,
            "render_p50_ms": rd.p50,
            "render_p95_ms": rd.p95,
            "render_p99_ms": rd.p99,
        }


def _percentiles(values: deque[float]) -> Percentiles:
    if not values:
        return Percentiles(0, 0.0, 0.0, 0.0, 0.0)
    arr = np.fromiter(values, dtype=np.float64, count=len(values))
    p50, p95, p99 = np.percentile(arr, [50, 95, 99])
    return Percentiles(len(arr), float(p50), float(p95), float(p99), float(arr.max()))
