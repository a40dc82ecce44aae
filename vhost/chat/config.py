"""The `[chat]` section: which connectors to run and how triage paces the host.

Secrets (OAuth tokens, API keys, cookies, passwords) are `SecretStr`: they print as `**********`
in reprs, logs and `model_dump()`; only the connector that sends them unwraps them.

    [chat.triage]
    answers_per_minute = 20
    per_user_per_minute = 3
    max_age_s = 45

    [[chat.connectors]]
    source = "twitch:#shopdemo"            # anonymous read-only unless token is set
    [[chat.connectors]]
    source = "youtube:VIDEO_ID"
    api_key = "AIza..."
    [[chat.connectors]]
    source = "ingest:8767"
    token = "a-long-random-string"
"""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator

from vhost.base.schema import Strict


class TriageConfig(Strict):
    answers_per_minute: float = Field(20.0, gt=0, le=120, description="the host's answer pace")
    per_user_per_minute: int = Field(3, ge=1, le=120, description="messages one viewer may queue a minute")
    max_age_s: float = Field(45.0, gt=0, le=3600, description="unanswered questions older than this go")
    # A welcome waits behind every question; one older than this is dropped (the console says so),
    # since saying it would make the questions behind it wait longer still.
    welcome_max_age_s: float = Field(20.0, gt=0, le=3600, description="welcomes older than this go")
    max_queue: int = Field(20, ge=1, le=500)


class ConnectorConfig(Strict):
    source: str = Field(description="twitch:#channel, bilibili:ROOM, youtube:VIDEO, ingest:PORT, "
                                    "streamerbot:URL, replay:FILE, or a plugin's scheme")  # fmt: skip
    server: str | None = Field(None, description="another endpoint (a local test server)")
    token: SecretStr | None = Field(None, description="Twitch OAuth / ingest token / Bilibili key")
    api_key: SecretStr | None = Field(None, description="YouTube Data API key")
    cookie: SecretStr | None = Field(None, description="Bilibili login cookie (unmasked names)")
    password: SecretStr | None = Field(None, description="Streamer.bot WebSocket password")
    nick: str | None = Field(None, description="Twitch login for OAuth (anonymous without)")
    app_id: int | None = Field(None, description="Bilibili open platform: our app's id (api_key = access "
                                                 "key id, token = access key secret)")
    enabled: bool = True

    @field_validator("source")
    @classmethod
    def _has_scheme(cls, v: str) -> str:
        if ":" not in v:
            raise ValueError("must look like 'platform:target', e.g. 'twitch:#channel'")
        return v


class ChatConfig(Strict):
    connectors: list[ConnectorConfig] = Field(default_factory=list, description="none: the show's replay")
    triage: TriageConfig = TriageConfig()
