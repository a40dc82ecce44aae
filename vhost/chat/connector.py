"""What every live connector shares: health states, backoff with jitter, reconnects, de-duplication.

A connector subclass implements one `_session()` — connect, authenticate, read until the link
drops — and calls `self._live()` once it is through and `self._emit(msg)` per event. The base
class runs sessions in a loop: a dropped link means "reconnecting" and a retry after an
exponential, jittered delay; `AuthFailed` means "auth failed" and stops (a bad token does not
get better by hammering the server); a bad frame is the subclass's to log and skip.

Ids already emitted are remembered (bounded), so a platform that re-sends its backlog after a
reconnect does not make the host answer a question twice.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from pydantic import SecretStr

from vhost.chat.events import ChatMessage

log = logging.getLogger(__name__)

# websockets logs every frame at DEBUG, and frames carry `PASS oauth:…`: its logger is pinned
# to INFO so a `-v` run never writes a token to the log.
WIRE_LOG = logging.getLogger("vhost.chat.wire")
WIRE_LOG.setLevel(logging.INFO)

HEALTH_STATES = ("connecting", "live", "reconnecting", "auth failed", "stopped")
HealthCallback = Callable[[str, str, str], None]  # (connector name, state, detail)
# Not a state: a notice on the health channel ("3 bad event(s) skipped; last: ...") that leaves
# the connector's state as it is (the console shows it as the detail, keeps the light).
NOTICE = "warning"
SKIP_NOTICE_S = 5.0  # the least time between two "bad event skipped" health notices


class ParseError(ValueError):
    """A frame or item we cannot read. Logged and skipped by the connector, never fatal."""


class AuthFailed(Exception):
    """The platform refused our credentials: stop, tell the operator, do not retry in a loop."""


class Reconnect(Exception):
    """The server asked us to reconnect (Twitch RECONNECT) or the link went quiet."""


class StopConnector(Exception):
    """A permanent, non-auth stop (YouTube quota spent, the live chat ended)."""


def secret(value: str | SecretStr | None) -> SecretStr | None:
    if value is None or isinstance(value, SecretStr):
        return value
    return SecretStr(value)


@dataclass
class Backoff:
    """Exponential backoff with jitter: base·factor^n capped at `cap`, minus up to `jitter` of it.

    Jitter spreads the reconnects of many viewers' tools after a platform outage. `rng` and a
    small `base` make it testable.
    """

    base: float = 1.0
    factor: float = 2.0
    cap: float = 60.0
    jitter: float = 0.5
    rng: Callable[[], float] = random.random
    attempt: int = 0

    def next_delay(self) -> float:
        raw = min(self.cap, self.base * self.factor**self.attempt)
        self.attempt += 1
        return raw * (1.0 - self.jitter * self.rng())

    def reset(self) -> None:
        self.attempt = 0


class Connector:
    """Base for a reconnecting chat source. Iterate `events()`; watch `on_health`."""

    platform = "chat"

    def __init__(
        self,
        name: str,
        *,
        on_health: HealthCallback | None = None,
        clock: Callable[[], float] = time.monotonic,
        backoff: Backoff | None = None,
        max_queue: int = 10_000,
        seen_ids: int = 5_000,
    ) -> None:
        self.name = name
        self.clock = clock
        self.backoff = backoff or Backoff()
        self.health = "stopped"
        self.health_detail = ""
        self.history: list[tuple[str, str]] = []  # every (state, detail), for tests and reports
        self.sessions = 0
        self.skipped = 0  # bad frames/items logged and skipped
        self._on_health = on_health
        self._queue: asyncio.Queue[ChatMessage | None] = asyncio.Queue(maxsize=max_queue)
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._seen_max = seen_ids
        self._skip_noticed = -SKIP_NOTICE_S
        # Set by the chat worker process: each new event is handed over at once (synchronously, in
        # `_emit`) instead of through the queue, so an event a platform counts as delivered (an
        # ingest POST answered 200) reaches the pipe in the same loop turn (see vhost.chat.worker).
        self.deliver: Callable[[ChatMessage], None] | None = None

    def __repr__(self) -> str:  # never a secret: subclasses keep them as SecretStr
        return f"<{type(self).__name__} {self.name} {self.health}>"

    # --- for subclasses -------------------------------------------------------------
    async def _session(self) -> None:
        raise NotImplementedError

    def _live(self, detail: str = "") -> None:
        self.backoff.reset()
        self._set_health("live", detail)

    def _emit(self, msg: ChatMessage) -> bool:
        """Queue one event unless its id was already emitted (a re-sent backlog). True if new."""
        if msg.id in self._seen:
            return False
        self._seen[msg.id] = None
        if len(self._seen) > self._seen_max:
            self._seen.popitem(last=False)
        if self.deliver is not None:
            self.deliver(msg)
            return True
        try:
            self._queue.put_nowait(msg)
        except asyncio.QueueFull:
            # The consumer is stuck; dropping the newest keeps memory bounded. Counted, reported.
            self._skip(f"event {msg.id}", "event queue full")
            return False
        return True

    def _skip(self, what: str, exc: Exception | str) -> None:
        """Count and log a bad frame, and tell the operator through the health detail — at most
        every SKIP_NOTICE_S, so a burst of garbage is one line in the console, not thousands."""
        self.skipped += 1
        now = time.monotonic()
        if now - self._skip_noticed >= SKIP_NOTICE_S:  # the log too: one line per burst, with the count
            self._skip_noticed = now
            log.warning("%s: skipped %s: %s (%d skipped so far)", self.name, what, exc, self.skipped)
            self._tell(NOTICE, f"{self.skipped} bad event(s) skipped; last: {what}: {exc}")
        else:
            log.debug("%s: skipped %s: %s", self.name, what, exc)

    # --- running --------------------------------------------------------------------
    def _set_health(self, state: str, detail: str = "") -> None:
        self.health, self.health_detail = state, detail
        self.history.append((state, detail))
        self._tell(state, detail)

    def _tell(self, state: str, detail: str) -> None:
        log.info("%s: %s%s", self.name, state, f" ({detail})" if detail else "")
        if self._on_health is not None:
            try:
                self._on_health(self.name, state, detail)
            except Exception:  # a broken UI callback must not take the connector down
                log.exception("%s: health callback failed", self.name)

    async def run(self) -> None:
        """Sessions until cancelled, auth failure or a permanent stop. Puts None at the end."""
        self._set_health("connecting")
        final = ("stopped", "")
        try:
            while True:
                self.sessions += 1
                try:
                    await self._session()
                    detail = "server closed the connection"
                except AuthFailed as exc:
                    final = ("auth failed", str(exc))
                    return
                except StopConnector as exc:
                    final = ("stopped", str(exc))
                    return
                except Reconnect as exc:
                    detail = str(exc) or "reconnect requested"
                except Exception as exc:  # OSError, timeouts, ParseError, the libraries' closed errors
                    detail = f"{type(exc).__name__}: {exc}"
                delay = self.backoff.next_delay()
                self._set_health("reconnecting", f"{detail}; retry in {delay:.1f} s")
                await asyncio.sleep(delay)
        finally:
            self._set_health(*final)
            try:
                self._queue.put_nowait(None)
            except asyncio.QueueFull:
                pass

    async def events(self) -> AsyncIterator[ChatMessage]:
        """Run the connector and yield its events; ends when it stops (auth failed, quota...)."""
        task = asyncio.create_task(self.run(), name=f"chat-{self.name}")
        try:
            while True:
                msg = await self._queue.get()
                if msg is None:
                    return
                yield msg
        finally:
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):
                pass
