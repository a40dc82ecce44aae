"""Every installed Kokoro speaker style, measured as the show plays it.

    python -m bench.voice_styles [--wav-dir DIR]

For each style (the 54 of kokoro-js@1.2.1 once `scripts/setup.sh` has fetched them): the router's
calibration sentence in the style's language, synthesized, put through the loudness stage the show
uses (a per-voice gain calibrated on that sentence, then the true-peak limiter), resampled to 48 kHz
and written as a 16-bit WAV, then read back and measured: integrated loudness (LUFS), true peak
(dBTP), clipped samples, and the synthesis' real-time factor. One JSON object; `within_bounds`
says whether every style is within -16 +- 1.5 LUFS, <= -1 dBTP and unclipped (today's bounds, the
README's). tests/test_voice_styles.py checks a handful of styles the same way on every CI run.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from vhost.app.cli_voice import write_wav
from vhost.audio.loudness import LoudnessNormalizer, integrated_lufs, true_peak_dbtp
from vhost.audio.resample import resample
from vhost.voice import kokoro_styles as ks
from vhost.voice.kokoro_engine import KokoroEngine
from vhost.voice.router import CALIBRATION_TEXT

TARGET, TOLERANCE, CEILING = -16.0, 1.5, -1.0
# The router's calibration sentences, plus the two languages it calibrates on first use instead.
TEXT = {**CALIBRATION_TEXT,
        "ja": "ライブ配信へようこそ！このマグカップはコーヒーを六時間温かく保ちます。",
        "hi": "लाइव स्ट्रीम में आपका स्वागत है! यह सिरेमिक मग आपकी कॉफी को छह घंटे तक गर्म रखता है।"}


def measure(engine: KokoroEngine, norm: LoudnessNormalizer, style: str, folder: Path) -> dict:
    lang = ks.language_of(style)
    engine.styles[lang] = style
    engine._kokoro.voices[style] = ks.load_style(style)
    text = TEXT.get(lang, TEXT["en"])
    t0 = time.perf_counter()
    chunk = engine.synthesize(text, lang)
    synth_s = time.perf_counter() - t0
    key = f"kokoro:{style}:{lang}"
    norm.calibrate(key, chunk.pcm, chunk.sample_rate)
    pcm = resample(norm.process(key, chunk.pcm, chunk.sample_rate), chunk.sample_rate, 48000)
    path = folder / f"{style}.wav"
    write_wav(path, pcm, 48000)
    with wave.open(str(path)) as w:
        heard = np.frombuffer(w.readframes(w.getnframes()), "<i2") / 32768.0
    lufs, peak = integrated_lufs(heard, 48000), true_peak_dbtp(heard)
    clipped = int(np.count_nonzero(np.abs(heard) >= 32767 / 32768.0))
    return {"style": style, "lang": lang, "lufs": round(lufs, 2), "true_peak_dbtp": round(peak, 2),
            "clipped": clipped, "audio_s": round(chunk.duration, 2), "rtf": round(synth_s / max(chunk.duration, 1e-6), 3),
            "ok": abs(lufs - TARGET) <= TOLERANCE and peak <= CEILING and clipped == 0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wav-dir", type=Path, help="keep the WAVs here")
    args = ap.parse_args()
    styles = ks.installed_styles()
    if not styles:
        raise SystemExit("no Kokoro styles installed: run scripts/setup.sh (or vhost voices --fetch)")
    engine = KokoroEngine(threads=1)
    norm = LoudnessNormalizer(TARGET, CEILING, cache_path=None)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.wav_dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows = [measure(engine, norm, style, folder) for style in styles]
    lufs = [r["lufs"] for r in rows]
    print(json.dumps({"styles": len(rows), "within_bounds": all(r["ok"] for r in rows),
                      "out_of_bounds": [r["style"] for r in rows if not r["ok"]],
                      "lufs_range": [min(lufs), max(lufs)], "true_peak_max": max(r["true_peak_dbtp"] for r in rows),
                      "clipped_total": sum(r["clipped"] for r in rows), "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
