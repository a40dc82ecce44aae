"""What the settings dialog edits, validated and saved — Qt-free, so it is tested on its own.

Saving rewrites only the keys the dialog edits, on top of what the file already holds: the
operator's other settings (catalog paths, OBS password, stage options) are kept as written, and a
secret is never re-serialized from its masked form.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from vhost.base.files import atomic_write_text
from vhost.base.paths import models_dir
from vhost.base.tomlfile import read_toml
from vhost.config.settings import ConfigError, VhostConfig, load_config
from vhost.ui.toml_out import dumps

# (section, key) pairs the dialog owns; None means "remove the key" (= the default).
EDITED = (("audio", "device"), ("voice", "engine"), ("voice", "languages"), ("voice", "kokoro_voice"),
          ("llm", "model"), ("control", "mode"), ("control", "hotkeys"), ("control", "global_hotkeys"),
          ("ui", "language"), ("ui", "shortcuts"))


@dataclass
class Settings:
    """The dialog's values (plain data)."""

    audio_device: str | None
    voice_engine: str
    llm_model: str
    mode: str
    language: str | None
    shortcuts: dict[str, str]
    hotkeys: dict[str, str] = field(default_factory=dict)  # pynput combo -> action
    global_hotkeys: bool = False
    voice_languages: dict[str, str] | None = None  # language -> engine (None: this build has none)
    kokoro_voice: str | None = None

    @classmethod
    def from_config(cls, cfg: VhostConfig) -> Settings:
        control = getattr(cfg, "control", None)
        languages = getattr(cfg.voice, "languages", None)
        return cls(cfg.audio.device, cfg.voice.engine, cfg.llm.model,
                   getattr(control, "mode", "auto"), cfg.ui.language, dict(cfg.ui.shortcuts),
                   dict(getattr(control, "hotkeys", {}) or {}), bool(getattr(control, "global_hotkeys", False)),
                   dict(languages) if languages is not None else None, getattr(cfg.voice, "kokoro_voice", None))

    def values(self) -> dict[tuple[str, str], Any]:
        return {("audio", "device"): self.audio_device or None, ("voice", "engine"): self.voice_engine,
                ("llm", "model"): self.llm_model.strip(), ("control", "mode"): self.mode,
                ("control", "hotkeys"): self.hotkeys, ("control", "global_hotkeys"): self.global_hotkeys,
                ("ui", "language"): self.language, ("ui", "shortcuts"): self.shortcuts,
                ("voice", "languages"): self.voice_languages, ("voice", "kokoro_voice"): self.kokoro_voice}


def merged(base: dict, settings: Settings) -> dict:
    """`base` (the file as read) with the dialog's keys replaced."""
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in base.items()}
    fields = VhostConfig.model_fields
    defaults = VhostConfig()
    for (section, key), value in settings.values().items():
        if section not in fields or key not in fields[section].annotation.model_fields:
            continue  # a field this build does not have: nothing to write
        table = out.setdefault(section, {})
        if key not in table and value == getattr(getattr(defaults, section), key):
            continue  # a default the file does not pin stays unpinned (a later default applies)
        if value is None:
            table.pop(key, None)
        else:
            table[key] = value
    return {k: v for k, v in out.items() if v != {}}


def validate(raw: dict) -> list[str]:
    """Every problem with `raw` as "section.field: message" lines (empty: valid)."""
    from vhost.ui.shortcuts import bad_shortcuts  # Qt: only when a dialog is open

    try:
        VhostConfig.model_validate(raw)
    except ValidationError as exc:
        return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
    except (ValueError, TypeError) as exc:  # a validator that raised outside pydantic's wrapping
        return [str(exc)]
    shortcuts = raw.get("ui", {}).get("shortcuts", {})
    return [f"ui.shortcuts.{a}: Qt cannot read the keys {shortcuts[a]!r}" for a in bad_shortcuts(shortcuts)]


def read_base(path: Path) -> dict:
    return read_toml(path, "config", ConfigError) if path.exists() else {}


def save(path: Path, settings: Settings) -> tuple[VhostConfig | None, list[str]]:
    """Validate and write; returns (the config as loaded back, []) or (None, errors)."""
    try:
        raw = merged(read_base(path), settings)
    except ConfigError as exc:
        return None, [str(exc)]
    errors = validate(raw)
    if errors:
        return None, errors
    try:
        atomic_write_text(path, dumps(raw), mode=0o600)  # may hold the OBS password, the API token
        return load_config(path), []
    except (OSError, TypeError, ConfigError) as exc:
        return None, [f"{path}: {exc}"]


# --- choices offered by the dialog ----------------------------------------------------------
def literal_choices(section: str, key: str) -> list[str]:
    """The allowed values of a Literal field (voice engines, modes), read from the schema."""
    model = VhostConfig.model_fields[section].annotation
    return [str(a) for a in get_args(model.model_fields[key].annotation) if a is not None]


def has_field(section: str, key: str) -> bool:
    return key in VhostConfig.model_fields[section].annotation.model_fields


def llm_choices() -> list[str]:
    names = []
    for path in sorted(models_dir().glob("*.toml")):
        try:
            manifest = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError):
            continue  # a broken manifest is the model store's to report
        if manifest.get("kind") == "llm":
            names.append(manifest.get("name", path.stem))
    return names


def audio_outputs() -> tuple[list[str], str | None]:
    """Output device names from PortAudio; ([], why) when there is no library or no device."""
    try:
        import sounddevice as sd

        devices = sd.query_devices()
    except Exception as exc:  # noqa: BLE001 - OSError without PortAudio, PortAudioError, …
        return [], str(exc)
    names = [d["name"] for d in devices if d.get("max_output_channels", 0) > 0]
    return list(dict.fromkeys(names)), None if names else "no output devices"
