"""Voice benchmark: real-time factor and time to first audio, Piper vs espeak-ng, same process.

    python -m bench.voice [--repeats 5] [--wav-dir /tmp/vhost-voice]

Prints one JSON object. "synth_s" is wall time to synthesize a whole fragment (the voice returns
a fragment at once, so that is also its time to first audio); "rtf" is synth_s / audio seconds.
The "reply" section shows what the splitter's early first fragment buys: the first audio of a
reply is ready after synthesizing the first fragment instead of the whole first sentence.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnxruntime

from vhost.voice.espeak_engine import EspeakEngine
from vhost.voice.piper_engine import PiperEngine
from vhost.voice.splitter import SentenceSplitter
from vhost.voice.types import AudioChunk

EN_TEXTS = {
    "short_fragment": "This ceramic mug is amazing,",
    "sentence": "This ceramic mug is amazing, it keeps your coffee hot for six hours.",
    "paragraph": (
        "This ceramic mug is amazing, it keeps your coffee hot for six hours. "
        "It is only twelve ninety nine today, and shipping is free. Grab yours before they sell out!"
    ),
}
ZH_TEXTS = {
    "short_fragment": "这款保温杯真的非常好用，",
    "sentence": "这款保温杯真的非常好用，可以保温六个小时，今天只要九十九元。",
}
REPLY = (
    "This ceramic mug is a real best seller, it keeps your coffee hot for six whole hours. "
    "It is dishwasher safe too!"
)


def measure(run: Callable[[], AudioChunk], repeats: int) -> dict[str, float]:
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
        "peak": round(float(np.max(np.abs(chunk.pcm))), 3) if chunk.pcm.size else 0.0,
        "visemes": len(chunk.visemes),
        "phonemes": len(chunk.phonemes),
    }


def write_wav(path: Path, chunk: AudioChunk) -> None:
    pcm16 = np.clip(chunk.pcm * 32767.0, -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(chunk.sample_rate)
        w.writeframes(pcm16.tobytes())


def first_fragment_and_sentence(reply: str) -> tuple[str, str]:
    """The splitter's first fragment, and the first full sentence (what waiting for '.' gives)."""
    early = SentenceSplitter()
    late = SentenceSplitter(first_fragment_words=10_000)
    first = [f for tok in reply.split(" ") for f in early.push(tok + " ")] + early.flush()
    sentence = [f for tok in reply.split(" ") for f in late.push(tok + " ")] + late.flush()
    return first[0], sentence[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--wav-dir", type=Path, default=None, help="also write sample WAVs here")
    args = ap.parse_args()

    report: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "onnxruntime": onnxruntime.__version__,
            "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "repeats": args.repeats,
    }

    t0 = time.perf_counter()
    piper = PiperEngine()
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    piper.synthesize("Warm up.")
    report["piper"] = {
        "providers": piper.providers,
        "has_alignments": piper.has_alignments,
        "load_s": round(load_s, 3),
        "first_call_s": round(time.perf_counter() - t0, 3),
    }

    t0 = time.perf_counter()
    espeak = EspeakEngine()
    report["espeak-ng"] = {
        "load_s": round(time.perf_counter() - t0, 3),
        "voices": espeak.voice_for_lang,
    }
    espeak.synthesize("Warm up.", "en")

    for name, text in EN_TEXTS.items():
        report["piper"][name] = measure(lambda text=text: piper.synthesize(text), args.repeats)
        report["espeak-ng"][f"en_{name}"] = measure(
            lambda text=text: espeak.synthesize(text, "en"), args.repeats
        )
    for name, text in ZH_TEXTS.items():
        report["espeak-ng"][f"zh_{name}"] = measure(
            lambda text=text: espeak.synthesize(text, "zh"), args.repeats
        )

    first, sentence = first_fragment_and_sentence(REPLY)
    report["reply"] = {
        "first_fragment": first,
        "first_sentence": sentence,
        "piper_first_audio_s_fragment": measure(lambda: piper.synthesize(first), args.repeats)[
            "synth_s_median"
        ],
        "piper_first_audio_s_sentence": measure(lambda: piper.synthesize(sentence), args.repeats)[
            "synth_s_median"
        ],
        "note": "plus the LLM time to stream the fragment's words: fewer words arrive sooner",
    }
    report["machine"]["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]

    if args.wav_dir is not None:
        args.wav_dir.mkdir(parents=True, exist_ok=True)
        write_wav(args.wav_dir / "piper_en.wav", piper.synthesize(EN_TEXTS["paragraph"]))
        write_wav(args.wav_dir / "espeak_zh.wav", espeak.synthesize(ZH_TEXTS["sentence"], "zh"))
        write_wav(args.wav_dir / "espeak_en.wav", espeak.synthesize(EN_TEXTS["sentence"], "en"))
        report["wavs"] = sorted(str(p) for p in args.wav_dir.glob("*.wav"))

    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
