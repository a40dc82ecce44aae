"""Fan-out of show events to WebSocket clients: each client has a bounded queue; a client too slow
to keep up loses its oldest events (and is told how many), never slows the show."""

from __future__ import annotations

import asyncio
import json
import time

from vhost.base.events import Event


class EventHub:
    def __init__(self, maxsize: int = 1000) -> None:
        self.maxsize = maxsize
        self._subs: set[asyncio.Queue] = set()

    def publish(self, event: Event) -> None:
        """On the core loop. Serialized once, here, so later changes cannot leak out."""
        if not self._subs:
            return
        text = json.dumps({**event.wire(), "t": time.time()}, ensure_ascii=False, default=str)
        for q in self._subs:
            if q.full():
                q.get_nowait()
                q.dropped = getattr(q, "dropped", 0) + 1
            q.put_nowait(text)

    def subscribe(self) -> asyncio.Queue:
        q: asyncio.Queue = asyncio.Queue(self.maxsize)
        self._subs.add(q)
        return q

    def unsubscribe(self, q: asyncio.Queue) -> None:
        self._subs.discard(q)

    @property
    def clients(self) -> int:
        return len(self._subs)
