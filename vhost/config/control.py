"""The `[control]` table: who decides what is spoken, and the outside surfaces (control API,
global hotkeys, OBS). Qt-free and light: vhost/config/settings.py imports it."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, SecretStr, field_validator

from vhost.base.schema import Strict

SIMPLE = ("interrupt", "approve_top", "skip_top", "pin_top", "toggle_pause", "pause", "resume",
          "toggle_mute", "mute", "unmute", "mode_manual", "mode_assisted", "mode_auto")
PREFIXED = ("emotion:", "product:", "say:")
_KEY = re.compile(r"^(<[a-z0-9_]+>|.)$")


def check_action(action: str) -> str:
    if action in SIMPLE or (action.startswith(PREFIXED) and action.split(":", 1)[1].strip()):
        return action
    raise ValueError(f"unknown action {action!r}; use one of {', '.join(SIMPLE)} or emotion:NAME, "
                     "product:ID, say:TEXT")


def check_hotkey(combo: str) -> str:
    """pynput's syntax: '<ctrl>+<alt>+i' (names in angle brackets, single characters bare)."""
    parts = combo.split("+")
    if not combo or any(not _KEY.match(p) for p in parts):
        raise ValueError(f"bad hotkey {combo!r}: write it like '<ctrl>+<alt>+i'")
    return combo


# Global hotkeys work while OBS (or anything else) has focus, so they use modifier chords that no
# streaming tool binds by default.
DEFAULT_HOTKEYS: dict[str, str] = {
    "<ctrl>+<alt>+i": "interrupt",
    "<ctrl>+<alt>+a": "approve_top",
    "<ctrl>+<alt>+s": "skip_top",
    "<ctrl>+<alt>+p": "toggle_pause",
    "<ctrl>+<alt>+m": "toggle_mute",
}


class ObsConfig(Strict):
    url: str | None = Field(None, description="obs-websocket v5 URL, e.g. ws://127.0.0.1:4455; none = off")
    password: SecretStr | None = None
    # product id -> scene to switch to when that product goes live
    scenes: dict[str, str] = Field(default_factory=dict)
    # product id -> sources (in `sources_scene`) shown while that product is live; the sources of
    # every other product in the mapping are hidden
    sources: dict[str, list[str]] = Field(default_factory=dict)
    sources_scene: str | None = Field(None, description="scene holding the per-product sources")

    @field_validator("url")
    @classmethod
    def _ws_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("ws://", "wss://")):
            raise ValueError("must start with ws:// or wss://")
        return value


class ControlConfig(Strict):
    mode: Literal["manual", "assisted", "auto"] = "auto"
    assisted_delay_s: float = Field(8.0, ge=0.5, le=600, description="assisted: spoken after this unless touched")
    draft_ttl_s: float = Field(180.0, ge=10, le=3600, description="an unpinned pending draft expires after this")
    script_after_s: float = Field(6.0, ge=1, le=600, description="quiet chat for this long: the product script speaks")
    script_in_manual: bool = Field(False, description="manual/assisted: offer script segments as drafts")
    control_port: int | None = Field(None, ge=0, le=65535, description="control API on 127.0.0.1:PORT; 0 = off; none = 8765 in the desktop app, off headless")
    token: SecretStr | None = Field(None, description="API bearer token; none = generated and kept in the data dir")
    global_hotkeys: bool = Field(False, description="listen for the hotkeys below while other apps have focus")
    hotkeys: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_HOTKEYS))
    obs: ObsConfig = ObsConfig()

    @field_validator("hotkeys")
    @classmethod
    def _hotkeys(cls, value: dict[str, str]) -> dict[str, str]:
        for combo, action in value.items():
            check_hotkey(combo)
            check_action(action)
        return value
