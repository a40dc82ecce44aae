"""Voice benchmark: every engine side by side on this CPU, and Piper against its own command line.

    python -m bench.voice [--repeats 3] [--wav-dir DIR]

Prints one JSON object:
- "engines": per engine and language (piper en, kokoro en, kokoro zh, espeak-ng en/zh), load
  time, first (cold) call, and for a short first fragment and a full sentence the median
  synthesis time; "first_audio_s" is the fragment's (each engine returns a fragment whole, so
  its synthesis time is its time to first audio), "rtf" the sentence's synth_s / audio_s.
- "piper_cli": the `piper` command (piper-tts's reference program) on the same sentence: spawn to
  first audio byte (`--output-raw`, cold: it loads the model per run), and its warm per-line cost
  from one process fed N lines; beside it the same figures for vhost's Piper engine.
- "wavs": the sentence of each voice through the router (fixed per-voice gain + true-peak
  limiter) and resampled to 48 kHz, written and measured: duration, LUFS, true peak, clipping.
- "mandarin": a short Mandarin fact answer, today's Japanese style (jf_alpha) against the native
  ones (zf_xiaoxiao, zm_yunxi) in the same run, at 1 and 2 threads: first audio (the synthesis
  time of the answer's first fragment, cut as the show cuts it) p50/p95 over --repeats runs, the
  whole answer's RTF, and where the time goes (G2P vs the graph), on each CPU backend: Kokoro on
  onnxruntime (int8 graph) and on OpenVINO (`vhost.voice.kokoro_split`). `--only-mandarin` runs
  just this.
- "voice_moved_db": how far each CPU backend moves three lines from Kokoro's float graph on
  onnxruntime (80-band log-mel, mean |dB|): what a faster backend costs the voice.
All engines run with 1 intra-op thread (the show's setting); the piper CLI uses onnxruntime's
default (all cores), so its warm figure flatters it on a multi-core machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnxruntime

from vhost.audio.loudness import LoudnessNormalizer, integrated_lufs, true_peak_dbtp
from vhost.audio.resample import resample
from vhost.base.audio_types import AudioChunk
from vhost.voice import kokoro_styles as ks
from vhost.voice.espeak_engine import EspeakEngine
from vhost.voice.kokoro_engine import KokoroEngine
from vhost.voice.piper_engine import PiperEngine
from vhost.voice.router import VoiceRouter

TEXTS = {
    "en": {
        "fragment": "This ceramic mug is amazing,",
        "sentence": "This ceramic mug is amazing, it keeps your coffee hot for six hours.",
    },
    "zh": {
        "fragment": "这款保温杯真的很好用，",
        "sentence": "这款保温杯真的非常好用，可以保温六个小时，今天只要九十九元。",
    },
}
DEVICE_RATE = 48000


def timed(run: Callable[[], AudioChunk], repeats: int) -> dict:
    times: list[float] = []
    chunk: AudioChunk | None = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        chunk = run()
        times.append(time.perf_counter() - t0)
    assert chunk is not None
    med = statistics.median(times)
    return {
        "audio_s": round(chunk.duration, 3),
        "synth_s_median": round(med, 4),
        "synth_s_min": round(min(times), 4),
        "rtf": round(med / chunk.duration, 4) if chunk.duration else None,
        "phonemes": len(chunk.phonemes),
    }


def bench_engine(make: Callable[[], object], langs: list[str], repeats: int) -> tuple[object, dict]:
    t0 = time.perf_counter()
    engine = make()
    out: dict = {"load_s": round(time.perf_counter() - t0, 3)}
    out["providers"] = list(getattr(engine, "providers", ["espeak-ng"]))
    for lang in langs:
        texts = TEXTS[lang]
        t0 = time.perf_counter()
        engine.synthesize(texts["fragment"], lang)  # type: ignore[attr-defined]
        first = time.perf_counter() - t0
        frag = timed(lambda t=texts["fragment"], la=lang: engine.synthesize(t, la), repeats)  # type: ignore[attr-defined]
        sent = timed(lambda t=texts["sentence"], la=lang: engine.synthesize(t, la), repeats)  # type: ignore[attr-defined]
        out[lang] = {
            "cold_first_call_s": round(first, 3),
            "first_audio_s": frag["synth_s_median"],
            "rtf": sent["rtf"],
            "fragment": frag,
            "sentence": sent,
        }
    return engine, out


def piper_cli(model: Path, config: Path, text: str, lines: int) -> dict:
    """The reference program: cold time to first byte, and warm seconds per line."""
    exe = Path(sys.executable).with_name("piper")
    if not exe.exists():
        return {"error": f"{exe} not found (pip install piper-tts)"}
    cmd = [str(exe), "-m", str(model), "-c", str(config), "--output-raw"]

    def run(n: int) -> tuple[float, float, int]:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        assert proc.stdin and proc.stdout
        proc.stdin.write(("\n".join([text] * n) + "\n").encode())
        proc.stdin.close()
        first = proc.stdout.read(2)
        t_first = time.perf_counter() - t0
        rest = proc.stdout.read()
        proc.wait()
        return t_first, time.perf_counter() - t0, len(first) + len(rest)

    t_first, t_one, nbytes = run(1)
    _, t_many, _ = run(lines)
    audio_s = nbytes / 2 / json.loads(config.read_text())["audio"]["sample_rate"]
    per_line = (t_many - t_one) / (lines - 1)
    return {
        "cold_first_audio_s": round(t_first, 3),
        "cold_total_s": round(t_one, 3),
        "warm_synth_s_per_line": round(per_line, 4),
        "audio_s": round(audio_s, 3),
        "rtf_warm": round(per_line / audio_s, 4) if audio_s else None,
        "threads": "onnxruntime default (all cores)",
    }


def measure_wav(path: Path, chunk: AudioChunk) -> dict:
    from vhost.app.cli_voice import write_wav

    pcm = resample(chunk.pcm, chunk.sample_rate, DEVICE_RATE)
    write_wav(path, pcm, DEVICE_RATE)
    lufs, tp = integrated_lufs(pcm, DEVICE_RATE), true_peak_dbtp(pcm)
    return {
        "file": str(path),
        "engine": chunk.engine,
        "duration_s": round(len(pcm) / DEVICE_RATE, 3),
        "lufs": round(lufs, 2) if math.isfinite(lufs) else None,
        "true_peak_dbtp": round(tp, 2),
        "clipped_samples": int(np.count_nonzero(np.abs(pcm) >= 1.0)),
    }


FACT_ANSWER = "这款精华今天只要一百二十九元，三十毫升。"
NAME_LAST = "小鹿问的。"
PREPARED_REFUSAL = ("小周，", "这个我不能乱说哦。可以告诉你的是：", "符合大多数航空公司的登机尺寸要求。")


def joined(router: VoiceRouter, texts: tuple[str, ...]) -> AudioChunk:
    """Mandarin fragments synthesized one by one and played back to back, as the show plays them."""
    parts = [router.synthesize(text, "zh") for text in texts]
    return AudioChunk(np.concatenate([resample(c.pcm, c.sample_rate, DEVICE_RATE) for c in parts]),
                      DEVICE_RATE, engine=parts[0].engine, voice=parts[0].voice)
MANDARIN_STYLES = ("jf_alpha", "zf_xiaoxiao", "zm_yunxi")


def _pct(xs: list[float], q: float) -> float:
    return round(float(np.percentile(xs, q)), 3)


def log_mel_db(a: np.ndarray, b: np.ndarray, rate: int = 24000) -> float:
    """Mean |difference| in dB of two signals' 80-band log-mel spectra (bands within 60 dB of the
    loudest): how far one rendering of a line moved from another."""
    n = min(a.size, b.size)
    freqs = np.fft.rfftfreq(1024, 1 / rate)
    mel = 2595 * np.log10(1 + freqs / 700)
    edges = np.linspace(mel[1], mel[-1], 81)

    def spec(x: np.ndarray) -> np.ndarray:
        frames = np.lib.stride_tricks.sliding_window_view(x[:n], 1024)[::256] * np.hanning(1024)
        power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
        bands = [power[:, (mel >= lo) & (mel < hi)].sum(1)
                 for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
        return 10 * np.log10(np.stack(bands, 1) + 1e-10)

    sa, sb = spec(a), spec(b)
    keep = (sa > max(sa.max(), sb.max()) - 60) | (sb > max(sa.max(), sb.max()) - 60)
    return round(float(np.abs(sa - sb)[keep].mean()), 2)


MOVED_LINES = (FACT_ANSWER, "这把刀是不锈钢的，重两百克。", "Yes, it ships today.")


def voice_moved(lines: tuple[str, ...] = MOVED_LINES) -> dict:
    """How far each CPU backend moves the voice from Kokoro's float graph on onnxruntime (dB)."""
    ref = KokoroEngine(precision="float", backend="onnxruntime")
    int8 = KokoroEngine(backend="onnxruntime")
    ov = KokoroEngine(backend="openvino")
    out: dict = {"reference": "float32 graph on onnxruntime", "openvino": ov.backend == "openvino"}
    for name, engine in (("onnxruntime_int8", int8), ("openvino_split", ov)):
        out[name] = [log_mel_db(ref.synthesize(t).pcm, engine.synthesize(t).pcm) for t in lines]
    return out


def bench_mandarin(repeats: int, threads: tuple[int, ...] = (1, 2),
                   backends: tuple[str, ...] = ("onnxruntime", "openvino")) -> dict:
    """First audio and RTF of a short fact answer per style and thread count (see the docstring)."""
    from vhost.voice.splitter import SentenceSplitter

    splitter = SentenceSplitter(first_fragment_words=4)  # as vhost.speech.speaker.split_line
    first = (splitter.push(FACT_ANSWER) + splitter.flush())[0]
    out: dict = {"answer": FACT_ANSWER, "first_fragment": first, "runs": max(5, repeats), "rows": []}
    for backend, n in ((b, n) for b in backends for n in threads):
        engine = KokoroEngine(threads=n, voices={"zh": MANDARIN_STYLES[0]}, backend=backend)
        for style in MANDARIN_STYLES[1:]:
            if style in ks.installed_styles():
                engine._kokoro.voices[style] = ks.load_style(style)
        for style in MANDARIN_STYLES:
            if style not in engine._kokoro.voices:
                out["rows"].append({"backend": engine.backend, "style": style, "threads": n,
                                    "error": "not installed"})
                continue
            engine.styles["zh"] = style
            engine.synthesize("大家好！", "zh")  # warm: the session, jieba, the style
            firsts, g2p = [], []
            for _ in range(out["runs"]):
                t0 = time.perf_counter()
                engine.phonemize(first, "zh")
                g2p.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                chunk = engine.synthesize(first, "zh")
                firsts.append(time.perf_counter() - t0)
            whole = timed(lambda e=engine: e.synthesize(FACT_ANSWER, "zh"), max(1, repeats // 2))
            out["rows"].append({"backend": engine.backend, "style": style, "threads": n,
                                "first_audio_p50_s": _pct(firsts, 50),
                                "first_audio_p95_s": _pct(firsts, 95),
                                "first_fragment_audio_s": round(chunk.duration, 3),
                                "g2p_ms_p50": round(1000 * statistics.median(g2p), 2),
                                "rtf_answer": whole["rtf"], "answer_audio_s": whole["audio_s"]})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--cli-lines", type=int, default=4, help="lines fed to one piper CLI process")
    ap.add_argument("--wav-dir", type=Path, default=None, help="keep the measured WAVs here")
    ap.add_argument("--only-mandarin", action="store_true", help="only the Mandarin styles section")
    args = ap.parse_args()
    if args.only_mandarin:
        load = [round(x, 2) for x in os.getloadavg()]
        report = bench_mandarin(args.repeats)
        report["voice_moved_db"] = voice_moved()
        from vhost.voice.kokoro_split import cpu_has_bf16

        report["cpu_bf16"] = cpu_has_bf16()  # "auto" takes OpenVINO only then
        report["loadavg"] = {"start": load, "end": [round(x, 2) for x in os.getloadavg()]}
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return

    report: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "onnxruntime": onnxruntime.__version__,
            "providers_available": onnxruntime.get_available_providers(),
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "repeats": args.repeats,
        "gpu": "none here: CUDA figures not taken" if "CUDAExecutionProvider"
        not in onnxruntime.get_available_providers() else "CUDAExecutionProvider present",
    }
    engines: dict = {}
    piper, engines["piper"] = bench_engine(lambda: PiperEngine(threads=1), ["en"], args.repeats)
    kokoro, engines["kokoro"] = bench_engine(lambda: KokoroEngine(threads=1), ["en", "zh"], args.repeats)
    espeak, engines["espeak-ng"] = bench_engine(EspeakEngine, ["en", "zh"], args.repeats)
    report["engines"] = engines
    report["mandarin"] = bench_mandarin(args.repeats)
    report["voice_moved_db"] = voice_moved()
    try:  # Coqui needs the user's own model folder: only whether it could load here
        from vhost.voice.coqui_engine import import_coqui

        import_coqui()
        report["coqui"] = {"installed": True, "note": "no bundled model; see tests/test_voice_coqui.py"}
    except Exception as err:
        report["coqui"] = {"installed": False, "reason": str(err)}

    assert isinstance(piper, PiperEngine)
    sentence = TEXTS["en"]["sentence"]
    report["piper_cli"] = {
        "reference": piper_cli(piper.model_path, piper.config_path, sentence, args.cli_lines),
        "vhost": {
            "cold_first_audio_s": round(engines["piper"]["load_s"]
                                        + engines["piper"]["en"]["cold_first_call_s"], 3),
            "warm_synth_s": engines["piper"]["en"]["sentence"]["synth_s_median"],
            "audio_s": engines["piper"]["en"]["sentence"]["audio_s"],
            "rtf_warm": engines["piper"]["en"]["rtf"],
            "threads": 1,
        },
    }

    with tempfile.TemporaryDirectory() as tmp:
        wav_dir = args.wav_dir or Path(tmp)
        wav_dir.mkdir(parents=True, exist_ok=True)
        normalizer = LoudnessNormalizer(cache_path=None)  # calibrated fresh, in this run
        router = VoiceRouter(piper, espeak, engines=[kokoro],  # type: ignore[arg-type]
                             routes={"en": "piper", "zh": "kokoro"}, normalizer=normalizer)
        router.warmup()
        wavs = []
        for name, engine, lang in (("piper_en", "piper", "en"), ("kokoro_en", "kokoro", "en"),
                                   ("kokoro_zh_native", "kokoro", "zh"), ("espeak_en", "espeak-ng", "en"),
                                   ("espeak_zh", "espeak-ng", "zh")):
            router.routes[lang] = engine
            t0 = time.perf_counter()
            chunk = router.synthesize(TEXTS[lang]["sentence"], lang)  # synth + gain + limiter
            router_s = time.perf_counter() - t0
            # What the gain + limiter + edge fades cost on their own (same key: no recalibration).
            t0 = time.perf_counter()
            normalizer.process(f"{chunk.engine}:{chunk.voice}:{lang}", chunk.pcm, chunk.sample_rate)
            normalize_s = time.perf_counter() - t0
            row = measure_wav(wav_dir / f"{name}.wav", chunk)
            row["router_s"] = round(router_s, 3)
            row["normalize_s"] = round(normalize_s, 4)
            wavs.append(row)
        # A new viewer's first question in Mandarin, as the show says it when the name would be
        # slow to start (vhost.show.reply_flow): the prepared answer, then the name, back to back.
        # And a refusal cut around its prepared phrases (vhost.speech.phrase_cache.fragments): the
        # name, the opening, the fact, each synthesized alone and played back to back.
        router.routes["zh"] = "kokoro"
        for name, texts in (("kokoro_zh_name_last", (FACT_ANSWER, NAME_LAST)),
                            ("kokoro_zh_prepared_refusal", PREPARED_REFUSAL)):
            wavs.append(measure_wav(wav_dir / f"{name}.wav", joined(router, texts)))
        report["wavs"] = wavs
        report["loudness_gains_db"] = {k: round(v, 2) for k, v in normalizer._gains.items()}
    report["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
