"""Lip sync, measured: cross-correlate the report's mouth openness with the MP4's audio envelope.

    python -m bench.lipsync show.mp4 report.json

Both are sampled at the video frame rate on the MP4's clock. Prints JSON with the lag (ms) at which
the correlation peaks — positive means the mouth moves after the sound — and the peak value.
"""

from __future__ import annotations

import argparse
import json
import subprocess

import numpy as np


def audio_envelope(mp4: str, fps: float, rate: int = 16000) -> np.ndarray:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", mp4, "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"],
                         check=True, capture_output=True).stdout
    pcm = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768
    hop = rate / fps
    n = int(len(pcm) / hop)
    return np.array([np.sqrt(np.mean(pcm[int(i * hop): int((i + 1) * hop)] ** 2)) for i in range(n)])


def xcorr_lag(a: np.ndarray, b: np.ndarray, max_lag: int) -> tuple[int, float]:
    """Lag (in samples) of b relative to a with the highest normalized correlation."""
    a = (a - a.mean()) / (a.std() or 1)
    b = (b - b.mean()) / (b.std() or 1)
    best = (0, -2.0)
    for lag in range(-max_lag, max_lag + 1):
        x, y = (a[: len(a) - lag], b[lag:]) if lag >= 0 else (a[-lag:], b[: len(b) + lag])
        n = min(len(x), len(y))
        c = float(np.mean(x[:n] * y[:n]))
        if c > best[1]:
            best = (lag, c)
    return best


def measure(mp4: str, report: dict) -> dict:
    fps = report["fps"]
    mouth = np.array([f["mouth_open"] for f in report["rig_trace"]])
    env = audio_envelope(mp4, fps)
    n = min(len(env), len(mouth))
    lag, peak = xcorr_lag(env[:n], mouth[:n], max_lag=int(fps))  # search ±1 s
    return {"fps": fps, "frames": n, "lag_ms": round(lag * 1000 / fps, 1), "frame_ms": round(1000 / fps, 1),
            "peak_correlation": round(peak, 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mp4")
    ap.add_argument("report")
    args = ap.parse_args()
    with open(args.report, encoding="utf-8") as f:
        print(json.dumps(measure(args.mp4, json.load(f))))


if __name__ == "__main__":
    main()
