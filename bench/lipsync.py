"""Lip sync, measured: cross-correlate the report's mouth openness with the MP4's audio envelope.

    python -m bench.lipsync show.mp4 report.json
    python -m bench.lipsync --long [--minutes 30] [--window 40] [--speed 40]

Both are sampled at the video frame rate on the MP4's clock. Prints JSON with the lag (ms) at which
the correlation peaks — positive means the mouth moves after the sound — and the peak value
(`lag_ms` at whole frames, `lag_ms_fine` with a parabola through the peak and its neighbours).

`--long` measures drift over a long show cheaply (bench/lipsync_long.py): real Piper speech from
the TTS worker is played back to back into a VirtualSink that runs `--speed` times faster than
real time, except in two recording windows (at the start and after `--minutes` of show time)
where it runs in real time and the stage is recorded exactly as `vhost demo --headless` records
it (StageRenderer + VideoRecorder + the sink's audio, muxed to MP4).
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
    # Window centred on the frame's instant (i / fps): the rig_trace samples the mouth at that
    # instant, so a window starting there would read the sound half a frame late.
    return np.array([np.sqrt(np.mean(pcm[max(0, int((i - 0.5) * hop)): int((i + 0.5) * hop)] ** 2))
                     for i in range(n)])


def fine_lag(a: np.ndarray, b: np.ndarray, lag: int) -> float:
    """Sub-sample lag: vertex of the parabola through the correlation at lag-1, lag, lag+1."""
    c = [_corr(a, b, lag + d) for d in (-1, 0, 1)]
    den = c[0] - 2 * c[1] + c[2]
    return lag + (0.5 * (c[0] - c[2]) / den if den < 0 else 0.0)


def _corr(a: np.ndarray, b: np.ndarray, lag: int) -> float:
    a = (a - a.mean()) / (a.std() or 1)
    b = (b - b.mean()) / (b.std() or 1)
    x, y = (a[: len(a) - lag], b[lag:]) if lag >= 0 else (a[-lag:], b[: len(b) + lag])
    n = min(len(x), len(y))
    return float(np.mean(x[:n] * y[:n]))


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
    fine = fine_lag(env[:n], mouth[:n], lag)
    return {"fps": fps, "frames": n, "lag_ms": round(lag * 1000 / fps, 1),
            "lag_ms_fine": round(fine * 1000 / fps, 1), "frame_ms": round(1000 / fps, 1),
            "peak_correlation": round(peak, 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("mp4", nargs="?")
    ap.add_argument("report", nargs="?")
    ap.add_argument("--long", action="store_true", help="drift over a long show (see module doc)")
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--window", type=float, default=40.0, help="seconds recorded per window")
    ap.add_argument("--speed", type=float, default=40.0, help="sink speed between the windows")
    ap.add_argument("--out", default="lipsync-long", help="folder for the windows' MP4s")
    args = ap.parse_args()
    if args.long:
        from bench.lipsync_long import run_long

        print(json.dumps(run_long(args.minutes * 60.0, args.window, args.speed, args.out)))
        return
    if not (args.mp4 and args.report):
        ap.error("give show.mp4 and report.json, or --long")
    with open(args.report, encoding="utf-8") as f:
        print(json.dumps(measure(args.mp4, json.load(f))))


if __name__ == "__main__":
    main()
