"""Chat connectors in their own process, so a chat burst cannot steal the stage's frames.

The GUI process draws the stage from Python; every message parsed on its threads holds the GIL
the renderer needs (bench/chat.py measured a 2,000 msgs/s burst in-process pushing frame-time
p99 past the 33 ms budget). Here the connectors — sockets, reconnects, frame decoding, JSON —
run in a spawned child; the parent receives parsed events in batches (one pipe read per batch,
every `batch_s` or `batch_max` events) and restamps them on the show clock.

    source = ChatProcess([ConnectorConfig(source="twitch:#shop")], clock=sink.clock, on_health=cb)
    async for msg in source.events(): ...
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
import os
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from multiprocessing.connection import Connection

from vhost.chat.config import ConnectorConfig
from vhost.chat.connector import HealthCallback
from vhost.chat.events import ChatMessage

log = logging.getLogger(__name__)


def _child(configs: list[ConnectorConfig], conn: Connection, batch_s: float, batch_max: int, nice: int) -> None:
    from vhost.chat.sources import make_source, merge

    if nice and hasattr(os, "nice"):
        os.nice(nice)  # when CPU is short the stage's frames come first, chat a few ms later

    logging.basicConfig(level=logging.INFO, format="%(asctime)s chat-worker %(name)s %(levelname)s %(message)s")

    async def main() -> None:
        def health(name: str, state: str, detail: str) -> None:
            conn.send(("health", name, state, detail))

        sources = []
        for cfg in configs:
            try:
                sources.append(make_source(cfg, on_health=health))
            except Exception as exc:  # noqa: BLE001 - a bad entry or a broken plugin is reported;
                health(cfg.source, "stopped", str(exc))  # the others still run
        batch: list[ChatMessage] = []
        flushed = time.monotonic()
        stream = merge(sources)
        nxt = asyncio.ensure_future(anext(stream))
        while True:
            done, _ = await asyncio.wait({nxt}, timeout=batch_s)
            if done:
                try:
                    msg = nxt.result()
                except StopAsyncIteration:
                    break
                batch.append(replace(msg, raw=None))  # raw stays here: smaller pickles
                nxt = asyncio.ensure_future(anext(stream))
            if batch and (len(batch) >= batch_max or time.monotonic() - flushed >= batch_s):
                conn.send(("events", batch))
                batch, flushed = [], time.monotonic()
        if batch:
            conn.send(("events", batch))
        conn.send(("end", None))

    try:
        asyncio.run(main())
    except (KeyboardInterrupt, BrokenPipeError, EOFError):
        pass


class ChatProcess:
    """A chat source whose connectors live in a child process. Iterate `events()`."""

    def __init__(self, configs: list[ConnectorConfig], *, clock: Callable[[], float] = time.monotonic,
                 on_health: HealthCallback | None = None, batch_s: float = 0.02, batch_max: int = 200,
                 nice: int = 5) -> None:  # fmt: skip
        self.configs = configs
        self.clock = clock
        self.on_health = on_health
        self.batch_s, self.batch_max, self.nice = batch_s, batch_max, nice
        self.name = "chat-worker"
        self.received = 0
        self._proc: mp.process.BaseProcess | None = None

    def _health(self, name: str, state: str, detail: str) -> None:
        log.info("%s: %s (%s)", name, state, detail)
        if self.on_health is not None:
            try:
                self.on_health(name, state, detail)
            except Exception:  # a broken UI callback must not end the chat stream
                log.exception("%s: health callback failed", name)

    async def events(self) -> AsyncIterator[ChatMessage]:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_child, args=(self.configs, child, self.batch_s, self.batch_max, self.nice),
                                 name="vhost-chat", daemon=True)  # fmt: skip
        self._proc.start()
        child.close()
        loop = asyncio.get_running_loop()
        ready = asyncio.Event()
        loop.add_reader(parent.fileno(), ready.set)
        try:
            while True:
                await ready.wait()
                ready.clear()
                while parent.poll():
                    try:
                        kind, *payload = parent.recv()
                    except (EOFError, OSError):
                        # Killed (OOM, a crash in a native library): chat is gone, so the
                        # operator must see it in the health table, not only in a log.
                        self._proc.join(timeout=1)
                        self._health(self.name, "stopped",
                                     f"chat worker process exited (code {self._proc.exitcode}); no chat until restart")
                        return
                    if kind == "health":
                        self._health(*payload)
                    elif kind == "events":
                        now = self.clock()
                        for msg in payload[0]:
                            self.received += 1
                            yield replace(msg, received_at=now)
                    elif kind == "end":
                        return
        finally:
            loop.remove_reader(parent.fileno())
            parent.close()
            if self._proc.is_alive():
                self._proc.terminate()
            self._proc.join(timeout=5)
