"""Which line a synthesis is for, so a voice serves the most important line first.

A voice worker synthesizes one request at a time, in the order they arrive. A line is synthesized
fragment by fragment, paced by what is still unheard, so between two fragments of the operator's
"say now" line a viewer's reply may start a synthesis of its own; on CI a cold Mandarin reply took
the voice for 9 s while the typed line had played only "Thanks for staying with us," (the fault
bench's CI failure). So:

- each speech handle's producer task carries a `SpeechTicket` (its priority) in `CURRENT`, a
  context variable: every request that task makes, through the phrase cache and the guard, is
  known to be for that line, without a parameter on every `synthesize` on the way;
- `PriorityGate`, in front of one voice worker, lets one request through at a time, the highest
  priority first, and none of a lower priority while a line of a higher one that used this voice
  is still being synthesized (its ticket not finished), for at most `HOLD_S` after its last
  request (a producer that never finishes cannot starve the rest).

Requests without a ticket (a CLI preview, the phrase cache warming while the speaker is idle)
count as the lowest priority.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field

HOLD_S = 5.0  # a line that made no request for this long no longer holds lower priorities back
LOWEST = -(10**9)


@dataclass(eq=False)
class SpeechTicket:
    """One line being synthesized: its priority, and whether its producer has ended."""

    priority: int
    done: bool = False
    last_request: float = field(default_factory=time.monotonic)
    _watchers: list[Callable[[], None]] = field(default_factory=list)

    def finish(self) -> None:
        self.done = True
        for wake in self._watchers:
            wake()
        self._watchers.clear()


CURRENT: ContextVar[SpeechTicket | None] = ContextVar("speech_ticket", default=None)


class PriorityGate:
    """One request at a time to a voice, the highest priority first (see module doc)."""

    def __init__(self, hold_s: float = HOLD_S) -> None:
        self.hold_s = hold_s
        self._busy = False
        self._lines: set[SpeechTicket] = set()
        self._waiting: list[int] = []
        self._cond: asyncio.Condition | None = None

    def _holding(self, ticket: SpeechTicket) -> bool:
        return not ticket.done and time.monotonic() - ticket.last_request < self.hold_s

    def _may(self, priority: int, ticket: SpeechTicket | None) -> bool:
        self._lines = {t for t in self._lines if self._holding(t)}
        return (not self._busy and all(w <= priority for w in self._waiting)
                and all(t.priority <= priority for t in self._lines if t is not ticket))

    def _wake(self) -> None:
        cond = self._cond
        if cond is None:
            return

        async def notify() -> None:
            async with cond:
                cond.notify_all()

        with contextlib.suppress(RuntimeError):  # no running loop: nobody is waiting
            asyncio.get_running_loop().create_task(notify())

    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """Hold the voice for one request of the current line (`CURRENT`)."""
        ticket = CURRENT.get()
        priority = ticket.priority if ticket is not None else LOWEST
        if ticket is not None:
            ticket.last_request = time.monotonic()
            if ticket not in self._lines and not ticket.done:
                self._lines.add(ticket)
                ticket._watchers.append(self._wake)
        if self._cond is None:
            self._cond = asyncio.Condition()
        cond = self._cond
        async with cond:
            self._waiting.append(priority)
            try:
                while not self._may(priority, ticket):
                    with contextlib.suppress(TimeoutError):  # a held line's HOLD_S may have run out
                        await asyncio.wait_for(cond.wait(), 0.5)
            finally:
                self._waiting.remove(priority)
            self._busy = True
        try:
            yield
        finally:
            async with cond:
                self._busy = False
                if ticket is not None:
                    ticket.last_request = time.monotonic()
                cond.notify_all()
