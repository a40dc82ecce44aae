"""Validated configuration. Every field has an embedded default, so `vhost demo` runs with no file;
a TOML file overrides any part of it. A broken file is reported with the field that is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from vhost.chat.config import ChatConfig
from vhost.control.config import ControlConfig
from vhost.core.paths import repo_root
from vhost.core.tomlfile import read_toml
from vhost.ui.config import UIConfig

ASSETS = repo_root() / "assets" / "demo"


class ConfigError(ValueError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LLMConfig(_Strict):
    model: str = Field("qwen2.5-coder-0.5b-instruct", description="manifest name, GGUF path or HF model dir")
    device: Literal["auto", "cpu", "cuda"] = "auto"
    threads: int | None = None
    max_new_tokens: int = Field(48, ge=8, le=512)
    # Low: measured on the demo questions, sampling at 0.6 sometimes answered Chinese in English;
    # greedy-ish decoding kept the viewer's language and the catalog's facts.
    temperature: float = Field(0.3, ge=0.0, le=2.0)
    # "openai": a bigger model on an OpenAI-compatible server (vLLM, llama.cpp-server, Ollama);
    # no local LLM process is started then. Same prompts, same guards.
    backend: Literal["local", "openai"] = "local"
    base_url: str = Field("http://127.0.0.1:8000/v1", description="the server's OpenAI API root (ends in /v1)")
    remote_model: str = Field("", description="model name the server knows (required for backend = openai)")
    api_key_env: str = Field("OPENAI_API_KEY", description="environment variable holding the API key (never the key itself)")

    @model_validator(mode="after")
    def _remote_needs_a_model(self) -> LLMConfig:
        if self.backend == "openai" and not self.remote_model.strip():
            raise ValueError("backend = \"openai\" needs remote_model (the name the server serves)")
        if self.backend == "openai" and not self.base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, not {self.base_url!r}")
        return self


class VoiceConfig(_Strict):
    # The English engine; "espeak" makes espeak-ng speak everything (no neural voice loaded).
    engine: Literal["piper", "kokoro", "coqui", "espeak"] = "piper"
    threads: int = Field(1, ge=1, le=64, description="CPU threads for the voice (the LLM gets the rest)")
    # Engine per language; wins over `engine` for the languages it names. Mandarin goes to Kokoro
    # so a Chinese reply is spoken by a neural voice, not espeak-ng.
    languages: dict[str, Literal["piper", "kokoro", "coqui", "espeak"]] = Field(
        default_factory=lambda: {"zh": "kokoro"})
    device: Literal["auto", "cpu", "cuda"] = "auto"
    piper_model: Path | None = Field(None, description="a Piper .onnx (with .onnx.json beside it); none = joe")
    kokoro_voice: str = "jf_alpha"
    kokoro_speed: float = Field(1.0, ge=0.5, le=2.0)
    coqui_model_path: Path | None = Field(None, description="Coqui checkpoint file or model folder")
    coqui_config_path: Path | None = None
    coqui_speaker: str | None = None
    coqui_languages: list[str] = Field(default_factory=lambda: ["en"])
    espeak_voices: dict[str, str] = Field(default_factory=dict, description='e.g. {de = "de"}')
    loudness_lufs: float = Field(-16.0, ge=-40.0, le=-6.0, description="target integrated loudness")
    true_peak_dbtp: float = Field(-1.0, ge=-12.0, le=0.0, description="true-peak ceiling")

    def routes(self) -> dict[str, str]:
        """Language -> engine name, as the voice router takes it."""
        if self.engine == "espeak":
            return {}
        return {"en": self.engine, **self.languages}


class AudioConfig(_Strict):
    device: str | None = Field(None, description="output device by (part of) its name; none = system default")
    sample_rate: int = 48000


class StageConfig(_Strict):
    layout: Literal["landscape", "portrait"] = "landscape"
    # "chroma" (flat `background_color`, keyed out in OBS), "gradient" (themed by
    # `background_color` when set), "transparent" (alpha, for the browser source), or a colour.
    background: str = "chroma"
    background_color: str | None = Field(None, description="chroma key colour / gradient theme")
    seed: int = 7
    fps: int = Field(30, ge=5, le=60)
    character: Path | None = Field(None, description="character TOML (vhost avatar new) instead of the seed")
    sprites: Path | None = Field(None, description="PNGTuber sprite pack folder (with manifest.toml)")
    browser_port: int | None = Field(None, ge=0, le=65535, description="serve the stage at http://127.0.0.1:PORT/stage; 0 = off; none = 8766 in the desktop app, off headless")

    @model_validator(mode="after")
    def _background(self) -> StageConfig:
        from vhost.stage.background import resolve_background

        self.background = resolve_background(self.background, self.background_color)
        return self


class ShowConfig(_Strict):
    catalog: Path = ASSETS / "catalog.toml"
    persona: Path = ASSETS / "persona.toml"
    chat: Path | None = ASSETS / "chat.jsonl"
    chat_speed: float = Field(1.0, gt=0)
    product: str | None = None
    auto_reply: bool = True


class VhostConfig(_Strict):
    show: ShowConfig = ShowConfig()
    llm: LLMConfig = LLMConfig()
    voice: VoiceConfig = VoiceConfig()
    audio: AudioConfig = AudioConfig()
    stage: StageConfig = StageConfig()
    ui: UIConfig = UIConfig()
    control: ControlConfig = ControlConfig()
    chat: ChatConfig = ChatConfig()


def user_config_path() -> Path:
    """Where the console's settings dialog saves when no --config was given."""
    import platformdirs

    return Path(platformdirs.user_config_dir("vhost")) / "config.toml"


def load_config(path: str | Path | None = None) -> VhostConfig:
    if path is None:
        return VhostConfig()
    path = Path(path)
    data = read_toml(path, "config", ConfigError)
    try:
        cfg = VhostConfig.model_validate(data)
    except ValidationError as exc:
        lines = [f"{path}: invalid configuration:"]
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"])
            lines.append(f"  {where}: {err['msg']}")
        raise ConfigError("\n".join(lines)) from exc
    # Relative paths in a config file are relative to that file.
    for name in ("catalog", "persona", "chat"):
        value = getattr(cfg.show, name)
        if value is not None and not Path(value).is_absolute():
            setattr(cfg.show, name, (path.parent / value).resolve())
    for name in ("character", "sprites"):
        value = getattr(cfg.stage, name)
        if value is not None and not Path(value).is_absolute():
            setattr(cfg.stage, name, (path.parent / value).resolve())
    for name in ("piper_model", "coqui_model_path", "coqui_config_path"):
        value = getattr(cfg.voice, name)
        if value is not None and not Path(value).is_absolute():
            setattr(cfg.voice, name, (path.parent / value).resolve())
    return cfg
