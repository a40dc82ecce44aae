"""Chat connectors in their own process, so a chat burst cannot steal the stage's frames.

The GUI process draws the stage from Python; every message parsed on its threads holds the GIL
the renderer needs (bench/chat.py measured a 2,000 msgs/s burst in-process pushing frame-time
p99 past the 33 ms budget). Here the connectors — sockets, reconnects, frame decoding, JSON —
run in a spawned child; the parent receives parsed events in batches (one pipe read per batch:
the events of one loop turn of the child, or of `batch_s` if set, at most `batch_max`) and
restamps them on the show clock.

Delivery across a crash of the child (kill -9, OOM): a live connector hands each event over as it
is read, and the batch enters the pipe (where it outlives the child) at the end of that loop turn:
an ingest POST's 200 may go out up to that turn's end (well under a millisecond) before its events
are in the pipe; a kill in that gap is the one way an acknowledged event can be lost (it was 20 ms
with timed batches; bench/faults.py has not hit it). The restarted child's
connectors reconnect; ids seen before are not delivered again (a seen-id set kept here, in the
parent). Events sent while the child is down: an ingest client sees connection refused and
retries; a platform that replays its backlog (YouTube, bilibili-open) re-sends them; Twitch IRC
does not replay, so what was said in the ~1-2 s gap is not seen.

    source = ChatProcess([ConnectorConfig(source="twitch:#shop")], clock=sink.clock, on_health=cb)
    async for msg in source.events(): ...
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
import os
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import replace
from multiprocessing.connection import Connection

from vhost.chat.config import ConnectorConfig
from vhost.chat.connector import HealthCallback
from vhost.chat.events import ChatMessage

log = logging.getLogger(__name__)

STABLE_S = 60.0  # a worker that lived this long starts the restart backoff afresh
SEEN_MAX = 5_000  # message ids remembered across restarts


def _child(configs: list[ConnectorConfig], conn: Connection, batch_s: float, batch_max: int, nice: int) -> None:
    from vhost.chat.connector import Connector
    from vhost.chat.sources import make_source, merge

    if nice and hasattr(os, "nice"):
        os.nice(nice)  # when CPU is short the stage's frames come first, chat a few ms later

    logging.basicConfig(level=logging.INFO, format="%(asctime)s chat-worker %(name)s %(levelname)s %(message)s")

    async def main() -> None:
        loop = asyncio.get_running_loop()
        batch: list[ChatMessage] = []
        flush_due: list[asyncio.Handle] = []

        def health(name: str, state: str, detail: str) -> None:
            conn.send(("health", name, state, detail))

        def flush() -> None:
            flush_due.clear()
            if batch:
                conn.send(("events", batch[:]))
                batch.clear()

        def deliver(msg: ChatMessage) -> None:
            """Batch an event; the batch leaves at the end of this loop turn (or after batch_s)."""
            batch.append(replace(msg, raw=None))  # raw stays here: smaller pickles
            if len(batch) >= batch_max:
                flush()
            elif not flush_due:
                flush_due.append(loop.call_later(batch_s, flush) if batch_s > 0 else loop.call_soon(flush))

        sources = []
        for cfg in configs:
            try:
                src = make_source(cfg, on_health=health)
            except Exception as exc:  # noqa: BLE001 - a bad entry or a broken plugin is reported;
                health(cfg.source, "stopped", str(exc))  # the others still run
                continue
            if isinstance(src, Connector):
                src.deliver = deliver  # straight from the socket's turn to the pipe
            sources.append(src)
        async for msg in merge(sources):  # the rest (replay, plugins), and the end of every source
            deliver(msg)
        flush()
        conn.send(("end", None))

    try:
        asyncio.run(main())
    except (KeyboardInterrupt, BrokenPipeError, EOFError):
        pass


class ChatProcess:
    """A chat source whose connectors live in a child process. Iterate `events()`."""

    def __init__(self, configs: list[ConnectorConfig], *, clock: Callable[[], float] = time.monotonic,
                 on_health: HealthCallback | None = None, batch_s: float = 0.0, batch_max: int = 200,
                 nice: int = 5, max_restarts: int = 5) -> None:  # fmt: skip
        self.configs = configs
        self.clock = clock
        self.on_health = on_health
        self.batch_s, self.batch_max, self.nice = batch_s, batch_max, nice
        self.name = "chat-worker"
        self.received = 0
        self.max_restarts = max_restarts
        self._proc: mp.process.BaseProcess | None = None
        self._seen: OrderedDict[str, None] = OrderedDict()  # ids delivered, across restarts

    def _health(self, name: str, state: str, detail: str) -> None:
        log.info("%s: %s (%s)", name, state, detail)
        if self.on_health is not None:
            try:
                self.on_health(name, state, detail)
            except Exception:  # a broken UI callback must not end the chat stream
                log.exception("%s: health callback failed", name)

    async def events(self) -> AsyncIterator[ChatMessage]:
        """Every event of every connector. A worker that dies (OOM, a crash in a native library) is
        restarted with backoff, its connectors reconnect, and a message seen before the crash is
        not delivered twice; the operator sees each restart in the health table. After
        `max_restarts` restarts in a row without a stable minute, chat is given up ("stopped")."""
        failures = 0
        while True:
            started = time.monotonic()
            exitcode = None
            async with aclosing(self._run_once()) as run:  # closing us stops the child at once
                async for item in run:
                    if isinstance(item, int):
                        exitcode = item
                    else:
                        yield item
            if exitcode is None:
                return  # the connectors ended (a replay's last line) or we were closed
            failures = 1 if time.monotonic() - started > STABLE_S else failures + 1
            if failures > self.max_restarts:
                self._health(self.name, "stopped",
                             f"chat worker process exited (code {exitcode}); no chat until restart")
                return
            delay = min(30.0, 0.5 * 2 ** (failures - 1))
            self._health(self.name, "reconnecting",
                         f"chat worker process exited (code {exitcode}); restarting in {delay:g} s")
            await asyncio.sleep(delay)

    def _fresh(self, msg: ChatMessage) -> bool:
        """False for a message already delivered (a restarted connector may fetch it again)."""
        if msg.id in self._seen:
            return False
        self._seen[msg.id] = None
        if len(self._seen) > SEEN_MAX:
            self._seen.popitem(last=False)
        return True

    async def _run_once(self) -> AsyncIterator[ChatMessage | int]:
        """One child's life: its events, then its exit code if it died (nothing if it ended)."""
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
                        self._proc.join(timeout=1)
                        yield self._proc.exitcode if self._proc.exitcode is not None else -1
                        return
                    if kind == "health":
                        self._health(*payload)
                    elif kind == "events":
                        now = self.clock()
                        for msg in payload[0]:
                            if self._fresh(msg):
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
