"""Shared pieces of the chat connector tests: a scripted local WebSocket server, a local HTTP
server for an aiohttp app, and an event collector. Each test file keeps its own protocol (the peer class and the session scripts)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Generic, TypeVar

from aiohttp import web
from websockets.asyncio.server import ServerConnection, serve

from vhost.chat.connector import Connector
from vhost.chat.events import ChatMessage

P = TypeVar("P")


async def collect(conn: Connector, n: int, timeout: float = 8.0) -> list[ChatMessage]:
    """The connector's first `n` events; TimeoutError if they do not all come within `timeout`."""
    out: list[ChatMessage] = []

    async def go() -> None:
        async for ev in conn.events():
            out.append(ev)
            if len(out) >= n:
                return

    await asyncio.wait_for(go(), timeout)
    return out


class ScriptedWsServer(Generic[P]):
    """A WebSocket server on 127.0.0.1 that plays `sessions[i]` on the i-th connection (the last
    script repeats for any later one), then holds the link open until the client goes."""

    path = ""

    def __init__(self, sessions: list[Callable[[P], Awaitable[None]]],
                 peer: Callable[[ServerConnection], P]) -> None:  # fmt: skip
        self.sessions = sessions
        self._peer = peer
        self.conns: list[P] = []

    async def handler(self, ws: ServerConnection) -> None:
        c = self._peer(ws)
        self.conns.append(c)
        await self.sessions[min(len(self.conns), len(self.sessions)) - 1](c)
        await asyncio.sleep(30)

    async def __aenter__(self) -> str:
        self._server = await serve(self.handler, "127.0.0.1", 0, max_size=None).__aenter__()
        return f"ws://127.0.0.1:{self._server.sockets[0].getsockname()[1]}{self.path}"

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()


@asynccontextmanager
async def http_server(app: web.Application) -> AsyncIterator[str]:
    """Serve `app` on 127.0.0.1 (a free port) for the block; yields its base URL, no trailing /."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    finally:
        await runner.cleanup()
