"""What the settings dialog edits, validated and saved — Qt-free, so it is tested on its own.

Saving rewrites only the keys the dialog edits, on top of what the file already holds: the
operator's other settings (catalog paths, OBS scenes, stage options) are kept as written, and a
secret is never re-serialized from its masked form: the OBS password is written only when the
operator typed a new one, removed only when asked to, and otherwise left as the file holds it.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, get_args

from pydantic import ValidationError

from vhost.base.files import atomic_write_text
from vhost.base.paths import models_dir
from vhost.base.tomlfile import read_toml
from vhost.config.settings import ConfigError, VhostConfig, load_config
from vhost.ui.toml_out import dumps

# Key paths (table, …, key) the dialog owns; a value None means "remove the key" (= the default),
# KEEP means "leave it as the file has it".
EDITED = (("audio", "device"), ("voice", "engine"), ("voice", "languages"), ("voice", "kokoro_voice"),
          ("llm", "model"), ("control", "mode"), ("control", "hotkeys"), ("control", "global_hotkeys"),
          ("ui", "language"), ("ui", "shortcuts"), ("control", "obs", "url"), ("control", "obs", "password"))


class _Keep(Enum):
    KEEP = "keep"


KEEP = _Keep.KEEP


@dataclass
class ObsSettings:
    """The obs-websocket link. The stored password is never read back into the dialog: `password`
    is a newly typed one (empty: keep the stored one), `clear_password` removes the stored one."""

    url: str | None = None  # ws://host:port; empty or None: no OBS link
    password: str | None = None
    clear_password: bool = False

    def values(self) -> dict[tuple[str, ...], Any]:
        password = None if self.clear_password else (self.password or KEEP)
        return {("control", "obs", "url"): (self.url or "").strip() or None,
                ("control", "obs", "password"): password}


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
    obs: ObsSettings | None = None  # None: the OBS keys are left as they are

    @classmethod
    def from_config(cls, cfg: VhostConfig) -> Settings:
        control = getattr(cfg, "control", None)
        languages = getattr(cfg.voice, "languages", None)
        obs = getattr(control, "obs", None)
        return cls(cfg.audio.device, cfg.voice.engine, cfg.llm.model,
                   getattr(control, "mode", "auto"), cfg.ui.language, dict(cfg.ui.shortcuts),
                   dict(getattr(control, "hotkeys", {}) or {}), bool(getattr(control, "global_hotkeys", False)),
                   dict(languages) if languages is not None else None, getattr(cfg.voice, "kokoro_voice", None),
                   ObsSettings(obs.url) if obs is not None else None)

    def values(self) -> dict[tuple[str, ...], Any]:
        obs = self.obs.values() if self.obs is not None else {}
        return {**obs, ("audio", "device"): self.audio_device or None, ("voice", "engine"): self.voice_engine,
                ("llm", "model"): self.llm_model.strip(), ("control", "mode"): self.mode,
                ("control", "hotkeys"): self.hotkeys, ("control", "global_hotkeys"): self.global_hotkeys,
                ("ui", "language"): self.language, ("ui", "shortcuts"): self.shortcuts,
                ("voice", "languages"): self.voice_languages, ("voice", "kokoro_voice"): self.kokoro_voice}


def has_obs_password(cfg: VhostConfig) -> bool:
    """Whether the config holds an OBS password (the dialog says so; it never shows it)."""
    obs = getattr(getattr(cfg, "control", None), "obs", None)
    return bool(obs is not None and obs.password is not None and obs.password.get_secret_value())


def _schema_default(path: tuple[str, ...]) -> tuple[bool, Any]:
    """(whether this build's schema has the key at `path`, its default)."""
    model: Any = VhostConfig
    default: Any = VhostConfig()
    for part in path:
        fields = getattr(model, "model_fields", None)
        if not isinstance(fields, dict) or part not in fields:
            return False, None
        model, default = fields[part].annotation, getattr(default, part)
    return True, default


def _table(root: dict, path: tuple[str, ...]) -> dict:
    """The table at `path` in `root`, created where missing."""
    table = root
    for n, part in enumerate(path):
        table = table.setdefault(part, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{'.'.join(path[:n + 1])} in the settings file is not a table; fix it by hand")
    return table


def _prune(root: dict, path: tuple[str, ...]) -> None:
    """Drop the tables along `path` that the edit left empty (innermost first)."""
    for depth in range(len(path), 0, -1):
        parent = _table(root, path[:depth - 1]) if depth > 1 else root
        if parent.get(path[depth - 1]) == {}:
            del parent[path[depth - 1]]


def merged(base: dict, settings: Settings) -> dict:
    """`base` (the file as read) with the dialog's keys replaced; `base` itself is not changed."""
    out = copy.deepcopy(base)
    for path, value in settings.values().items():
        known, default = _schema_default(path)
        if value is KEEP or not known:
            continue  # left as written, or a field this build does not have: nothing to write
        *parents, key = path
        if not _has_table(out, tuple(parents)) and value is None:
            continue  # nothing to remove
        table = _table(out, tuple(parents))
        if value is None:
            table.pop(key, None)
        elif key in table or value != default:  # a default the file does not pin stays unpinned
            table[key] = value
        _prune(out, tuple(parents))
    return {k: v for k, v in out.items() if v != {}}


def _has_table(root: dict, path: tuple[str, ...]) -> bool:
    for part in path:
        root = root.get(part) if isinstance(root, dict) else None
        if root is None:
            return False
    return isinstance(root, dict)


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
