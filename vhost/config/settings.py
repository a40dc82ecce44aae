"""Validated configuration. Every field has an embedded default, so `vhost demo` runs with no file;
a TOML file overrides any part of it. A broken file is reported with the field that is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from vhost.base.paths import repo_root
from vhost.base.schema import Strict
from vhost.base.tomlfile import key_line, read_toml
from vhost.chat.config import ChatConfig
from vhost.config.background import resolve_background
from vhost.config.control import ControlConfig
from vhost.config.ui import UIConfig
from vhost.voice.config import VoiceConfig

ASSETS = repo_root() / "assets" / "demo"


class ConfigError(ValueError):
    pass



class LLMConfig(Strict):
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



class AudioConfig(Strict):
    device: str | None = Field(None, description="output device by (part of) its name; none = system default")
    sample_rate: int = 48000


class StageConfig(Strict):
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
    virtual_camera: bool = Field(False, description="send the stage to a virtual webcam (pyvirtualcam; Linux: v4l2loopback)")
    virtual_camera_device: str | None = Field(None, description="e.g. /dev/video10; none = the first free virtual camera")

    @model_validator(mode="after")
    def _background(self) -> StageConfig:
        self.background = resolve_background(self.background, self.background_color)
        return self


class ShowConfig(Strict):
    catalog: Path = ASSETS / "catalog.toml"
    persona: Path = ASSETS / "persona.toml"
    chat: Path | None = ASSETS / "chat.jsonl"
    chat_speed: float = Field(1.0, gt=0)
    product: str | None = None
    auto_reply: bool = True


class VhostConfig(Strict):
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
            msg = "unknown field (typo?)" if err["type"] == "extra_forbidden" else err["msg"]
            line = key_line(path, err["loc"])
            lines.append(f"  {where}: {msg}" + (f" (line {line})" if line else ""))
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
