"""SOURCE specs → connectors, and many connectors → one event stream.

    twitch:#channel     bilibili:ROOMID     youtube:VIDEO_ID     ingest:PORT
    bilibili-open:IDENTITY_CODE (app_id, api_key = access key id, token = access key secret)
    streamerbot:URL     (streamerbot: alone = ws://127.0.0.1:8080/)     replay:FILE[@SPEED]

`server` points a connector at another endpoint (a local test server): the IRC/danmaku WebSocket
URL, the YouTube API base URL, the Streamer.bot URL; for ingest, the host to bind.

Plugins (Douyin, TikTok, anything else) register a factory under the entry-point group
`vhost.chat_sources`, named by the scheme they handle:

    [project.entry-points."vhost.chat_sources"]
    douyin = "vhost_douyin:make_source"

    def make_source(target: str, *, server: str | None, options: dict, on_health, clock):
        return MyConnector(...)   # anything with `name` and `async def events()` yielding
                                  # vhost.chat.events.ChatMessage; subclassing
                                  # vhost.chat.connector.Connector gives health + backoff free

`options` holds the connector's config entry (secrets as pydantic SecretStr). vhost ships no
scraper for those platforms (no official read API; scrapers break and carry ToS risk).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol

from vhost.chat.config import ConnectorConfig
from vhost.chat.connector import HealthCallback
from vhost.chat.events import ChatMessage

PLUGIN_GROUP = "vhost.chat_sources"
BUILTIN = ("twitch", "bilibili", "bilibili-open", "youtube", "ingest", "streamerbot", "replay")


class ChatSource(Protocol):
    name: str

    def events(self) -> AsyncIterator[ChatMessage]: ...


class ReplayConnector:
    """The replay file as a source, so `chat-tap replay:FILE` and the config treat it alike."""

    platform = "replay"

    def __init__(self, path: str, speed: float = 1.0, *, on_health: HealthCallback | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        from vhost.chat.replay import ReplaySource

        self.source = ReplaySource(path, speed=speed)
        self.name = f"replay:{Path(path).name}"
        self.clock = clock
        self._on_health = on_health or (lambda _n, _s, _d: None)

    async def events(self) -> AsyncIterator[ChatMessage]:
        self._on_health(self.name, "live", f"{len(self.source.script.lines)} lines")
        try:
            async for msg in self.source.events(self.clock):
                yield msg
        finally:
            self._on_health(self.name, "stopped", "")


class SourceError(ValueError):
    pass


def _plugins() -> dict[str, Any]:
    return {ep.name: ep for ep in entry_points(group=PLUGIN_GROUP)}


def make_source(spec: str | ConnectorConfig, *, server: str | None = None,
                on_health: HealthCallback | None = None,
                clock: Callable[[], float] = time.monotonic, **secrets: Any) -> ChatSource:  # fmt: skip
    """Build the connector for one SOURCE spec (or config entry). SourceError says what's wrong."""
    cfg = spec if isinstance(spec, ConnectorConfig) else ConnectorConfig(source=spec, server=server, **secrets)
    scheme, _, target = cfg.source.partition(":")
    scheme, target = scheme.strip().lower(), target.strip()
    server = cfg.server
    kw: dict[str, Any] = {"on_health": on_health, "clock": clock}
    try:
        if scheme == "twitch":
            from vhost.chat.twitch import DEFAULT_URL, TwitchConnector

            return TwitchConnector(target, url=server or DEFAULT_URL, token=cfg.token, nick=cfg.nick, **kw)
        if scheme == "bilibili":
            from vhost.chat.bilibili import BilibiliConnector

            if not target.isdigit():
                raise SourceError(f"bilibili room must be a number, got {target!r}")
            return BilibiliConnector(int(target), url=server, key=cfg.token, cookie=cfg.cookie, **kw)
        if scheme == "bilibili-open":
            from vhost.chat.bilibili_open import OPEN_API, BilibiliOpenConnector

            if not (target and cfg.app_id and cfg.api_key and cfg.token):
                raise SourceError("bilibili-open needs the identity code, app_id, api_key (access key id) "
                                  "and token (access key secret)")  # fmt: skip
            return BilibiliOpenConnector(target, app_id=cfg.app_id, access_key_id=cfg.api_key,
                                         access_key_secret=cfg.token, api=server or OPEN_API, **kw)  # fmt: skip
        if scheme == "youtube":
            from vhost.chat.youtube import DEFAULT_BASE, YouTubeConnector

            return YouTubeConnector(target, api_key=cfg.api_key, oauth_token=cfg.token,
                                    base_url=server or DEFAULT_BASE, **kw)  # fmt: skip
        if scheme == "ingest":
            from vhost.chat.ingest import IngestServer

            if not target.isdigit() or not 0 <= int(target) <= 65535:
                raise SourceError(f"ingest needs a port number, got {target!r}")
            return IngestServer(int(target), host=server or "127.0.0.1", token=cfg.token, **kw)
        if scheme == "streamerbot":
            from vhost.chat.streamerbot import DEFAULT_URL as SB_URL
            from vhost.chat.streamerbot import StreamerBotConnector

            return StreamerBotConnector(server or target or SB_URL, password=cfg.password, **kw)
        if scheme == "replay":
            path, _, speed = target.rpartition("@") if "@" in target else (target, "", "1")
            if not Path(path).is_file():
                raise SourceError(f"replay file not found: {path}")
            return ReplayConnector(path, float(speed), **kw)
    except SourceError:
        raise
    except ValueError as exc:
        raise SourceError(f"{cfg.source}: {exc}") from None
    plugin = _plugins().get(scheme)
    if plugin is None:
        known = ", ".join(sorted({*BUILTIN, *_plugins()}))
        raise SourceError(f"unknown chat source {scheme!r} (known: {known})")
    factory = plugin.load()
    return factory(target, server=server, options=cfg.model_dump(), **kw)


async def merge(sources: list[ChatSource]) -> AsyncIterator[ChatMessage]:
    """All sources' events as one stream, in arrival order. One source ending (auth failed,
    quota spent) leaves the others running: the show goes on with the chat it still has."""
    queue: asyncio.Queue[ChatMessage | None] = asyncio.Queue(maxsize=10_000)

    async def pump(src: ChatSource) -> None:
        try:
            async for ev in src.events():
                await queue.put(ev)
        finally:
            await queue.put(None)

    tasks = [asyncio.create_task(pump(s), name=f"merge-{s.name}") for s in sources]
    running = len(tasks)
    try:
        while running:
            ev = await queue.get()
            if ev is None:
                running -= 1
            else:
                yield ev
    finally:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
