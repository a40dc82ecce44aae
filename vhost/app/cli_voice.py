"""`vhost say` (speak one text to a WAV, measured) and `vhost voices` (what can speak here)."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import wave
from pathlib import Path

import numpy as np

from vhost.config.settings import ConfigError, load_config
from vhost.voice.config import VoiceConfig

ENGINES = ("piper", "kokoro", "coqui", "espeak")


def register(sub: argparse._SubParsersAction) -> None:
    say = sub.add_parser("say", help="speak TEXT into a WAV file and print its measures as JSON")
    say.add_argument("text")
    say.add_argument("--voice", help="a Kokoro style (zf_xiaoxiao; `vhost voices` lists them), an engine "
                                     "or engine:voice, e.g. kokoro, kokoro:zm_yunxi, "
                                     "piper:/path/voice.onnx, coqui:/path/model, espeak:de")
    say.add_argument("--lang", help="language code (detected from the text when omitted)")
    say.add_argument("--out", required=True, help="WAV file to write")
    say.add_argument("--rate", type=int, default=None, help="output rate (default: [audio] sample_rate)")
    say.add_argument("--config", help="TOML config ([voice] section)")
    say.set_defaults(func=cmd_say)

    voices = sub.add_parser("voices", help="list engines, voices and languages, and what is missing")
    voices.add_argument("--config")
    voices.add_argument("--json", action="store_true", help="one JSON object per engine")
    voices.add_argument("--fetch", action="store_true",
                        help="fetch Kokoro's 54 native styles (npm kokoro-js, sha256-checked) first")
    voices.set_defaults(func=cmd_voices)


def apply_voice(cfg: VoiceConfig, spec: str, lang: str) -> VoiceConfig:
    """`cfg` with `lang` routed to the engine (and voice) named by `spec` ("engine[:voice]")."""
    engine, _, voice = spec.partition(":")
    if engine not in ENGINES and _is_kokoro_style(engine):
        engine, voice = "kokoro", engine  # `--voice zf_xiaoxiao`
    if engine not in ENGINES:
        raise ConfigError(f"unknown voice engine {engine!r}; choose one of {', '.join(ENGINES)}")
    update: dict = {"languages": {**cfg.languages, lang: engine}}
    if cfg.engine == "espeak" and engine != "espeak":
        update["engine"] = engine if lang == "en" else "piper"
    if voice:
        field = {"piper": "piper_model", "coqui": "coqui_model_path"}.get(engine)
        if engine == "kokoro":
            update["kokoro_voices"] = {**cfg.kokoro_voices, lang: voice}
        elif field is not None:
            update[field] = voice
        else:
            update["espeak_voices"] = {**cfg.espeak_voices, lang: voice}
    return VoiceConfig.model_validate({**cfg.model_dump(), **update})


def _is_kokoro_style(name: str) -> bool:
    from vhost.voice.kokoro_styles import PACKAGED_FALLBACK, expected_sha256

    return name in expected_sha256() or name in PACKAGED_FALLBACK.values()


def cmd_say(args: argparse.Namespace) -> int:
    from vhost.app.compose import host_voice
    from vhost.audio.loudness import integrated_lufs, true_peak_dbtp
    from vhost.audio.resample import resample
    from vhost.base.language import detect_language
    from vhost.voice.cleaning import clean_for_speech
    from vhost.voice.factory import build_router

    full = load_config(args.config)
    lang = args.lang or detect_language(clean_for_speech(args.text) or args.text)
    cfg = apply_voice(host_voice(full), args.voice, lang) if args.voice else host_voice(full)
    rate = args.rate or full.audio.sample_rate
    built = build_router(cfg, warmup=True, langs=[lang])
    for warning in built.warnings:
        print(f"vhost: warning: {warning}", file=sys.stderr)
    t0 = time.perf_counter()
    chunk = built.router.synthesize(args.text, lang)
    synth_s = time.perf_counter() - t0
    if chunk.warning:
        print(f"vhost: warning: {chunk.warning}", file=sys.stderr)
    if not chunk.pcm.size:
        print("vhost: nothing speakable in the text", file=sys.stderr)
        return 1
    pcm = resample(chunk.pcm, chunk.sample_rate, rate)
    write_wav(Path(args.out), pcm, rate)
    lufs, tp = integrated_lufs(pcm, rate), true_peak_dbtp(pcm)
    report = {
        "engine": chunk.engine,
        "voice": chunk.voice,
        "lang": lang,
        "sample_rate": rate,
        "voice_sample_rate": chunk.sample_rate,
        "duration_s": round(len(pcm) / rate, 3),
        "synth_s": round(synth_s, 3),
        "rtf": round(synth_s / chunk.duration, 3) if chunk.duration else None,
        "lufs": round(lufs, 2) if math.isfinite(lufs) else None,
        "true_peak_dbtp": round(tp, 2) if math.isfinite(tp) else None,
        "clipped_samples": int(np.count_nonzero(np.abs(pcm) >= 1.0)),
        "phonemes": len(chunk.phonemes),
        "visemes": len(chunk.visemes),
        "warning": chunk.warning,
        "out": str(args.out),
    }
    print(json.dumps(report, ensure_ascii=False))
    return 0


def write_wav(path: Path, pcm: np.ndarray, rate: int) -> None:
    """16-bit mono WAV; float samples are clipped to [-1, 1] (the limiter keeps them inside)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm16 = np.round(np.clip(pcm, -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm16.tobytes())


def cmd_voices(args: argparse.Namespace) -> int:
    from vhost.voice.factory import voices_report

    if args.fetch:
        from vhost.voice.kokoro_fetch import main as fetch_main

        if fetch_main([]) != 0:
            return 1
    from vhost.app.compose import host_voice

    cfg = host_voice(load_config(args.config))
    rows = voices_report(cfg)
    routes = cfg.routes() or {"*": "espeak"}
    if args.json:
        for row in rows:
            row["routes"] = sorted(lang for lang, e in routes.items() if e == row["engine"])
            print(json.dumps(row, ensure_ascii=False))
        return 0
    for row in rows:
        state = "available" if row["available"] else f"unavailable: {row['reason']}"
        used = sorted(lang for lang, e in routes.items() if e == row["engine"])
        print(f"{row['engine']:<7} {state}")
        print(f"        languages: {', '.join(row['languages']) or '-'}"
              + (f"   (speaks {', '.join(used)} in this config)" if used else ""))
        if row.get("styles"):
            _print_styles(row)
        elif row["voices"]:
            print(f"        voices: {', '.join(row['voices'])}")
    return 0


def _print_styles(row: dict) -> None:
    """Kokoro's styles by language (f/m = gender), the one chosen per language marked with *."""
    chosen = set(row["chosen"].values())
    by_lang: dict[str, list[str]] = {}
    for st in row["styles"]:
        mark = "*" if st["name"] in chosen else ""
        by_lang.setdefault(st["language"], []).append(f"{st['name']}{mark}")
    print(f"        styles ({row['native_styles']}; * = the style its language gets, host {row['gender']}):")
    for lang, names in sorted(by_lang.items()):
        print(f"          {lang}: {', '.join(names)}")
    print("        chosen: " + ", ".join(f"{k}={v}" for k, v in sorted(row["chosen"].items())))
