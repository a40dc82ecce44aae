"""The normalized chat event every connector produces."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChatMessage:
    id: str
    platform: str  # "replay", "twitch", ...
    user: str  # display name
    text: str
    received_at: float  # show clock (seconds) when it reached vhost
    user_id: str = ""
