"""The console's own settings (the `[ui]` table of the config file).

Qt-free on purpose: vhost/config/settings.py imports this, and the headless show must not load Qt.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from vhost.base.schema import Strict

# In-app shortcuts (active while the console has focus). Global hotkeys that work while OBS has
# focus are configured separately, in the control section.
DEFAULT_SHORTCUTS: dict[str, str] = {
    "interrupt": "Esc",
    "approve_top": "Ctrl+Return",
    "edit_top": "F2",
    "skip_top": "Ctrl+Backspace",
    "pin_top": "Ctrl+P",
    "focus_say": "Ctrl+L",
    "toggle_pause": "F9",
    "toggle_mute": "Ctrl+M",
    "mode_manual": "Ctrl+1",
    "mode_assisted": "Ctrl+2",
    "mode_auto": "Ctrl+3",
}


class UIConfig(Strict):
    language: Literal["en", "zh"] | None = Field(None, description="console language; none = system locale")
    shortcuts: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_SHORTCUTS))
    chat_rows: int = Field(500, ge=50, le=5000, description="chat lines kept in the console")
    latency_window: int = Field(20, ge=1, le=500, description="recent replies in the latency p50")

    @field_validator("shortcuts")
    @classmethod
    def _known_and_distinct(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(DEFAULT_SHORTCUTS))
        if unknown:
            raise ValueError(f"unknown shortcut action(s) {unknown}; known: {sorted(DEFAULT_SHORTCUTS)}")
        merged = {**DEFAULT_SHORTCUTS, **{k: v.strip() for k, v in value.items()}}
        seen: dict[str, str] = {}
        for action, keys in merged.items():
            if not keys:
                continue  # an empty sequence switches that shortcut off
            norm = keys.casefold().replace(" ", "")
            if norm in seen:
                raise ValueError(f"{keys!r} is used by both {seen[norm]!r} and {action!r}")
            seen[norm] = action
        return merged
