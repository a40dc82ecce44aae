"""What waits for an answer: triage's ranked queue, the questions to retry first, the one reply in
production, and the reply loop's wake-up (set by every change; the loop awaits it, never polls)."""

from __future__ import annotations

import asyncio
from collections import deque

from vhost.chat.events import ChatMessage
from vhost.chat.triage import Triage, TriageDecision


class ReplyQueue:
    def __init__(self, triage: Triage) -> None:
        self.triage = triage
        self._retry: deque[ChatMessage] = deque()  # questions whose reply failed: answered first
        self.in_flight: asyncio.Task | None = None  # the reply (or draft) being produced
        self._wake = asyncio.Event()
        self._askers: dict[str, list[str]] = {}

    # --- what comes in ------------------------------------------------------------------
    def offer(self, msg: ChatMessage) -> TriageDecision:
        decision = self.triage.offer(msg)
        self.wake()
        return decision

    def retry(self, msg: ChatMessage) -> None:
        """Back to the front: a failed or cancelled reply never drops its question."""
        self._retry.append(msg)
        self.wake()

    def next(self, now: float) -> ChatMessage | None:
        if self._retry:
            return self._retry.popleft()
        item = self.triage.next_item(now)
        if item is None:
            return None
        if len(item.users) > 1:  # a merged question: one line names every asker
            self._askers[item.msg.id] = item.users
        return item.msg

    def askers(self, msg: ChatMessage) -> list[str]:
        """Everyone who asked what `msg` asks (merged by triage), the first asker first."""
        return self._askers.pop(msg.id, None) or [msg.user]

    # --- what is being produced -------------------------------------------------------------
    def track(self, task: asyncio.Task) -> None:
        """`task` produces the current reply; the slot frees itself when the task ends."""
        self.in_flight = task
        task.add_done_callback(self._released)

    def _released(self, task: asyncio.Task) -> None:
        if self.in_flight is task:
            self.in_flight = None
        self.wake()

    @property
    def producing(self) -> bool:
        return self.in_flight is not None

    @property
    def waiting(self) -> int:
        """Questions queued for an answer (not the one being produced)."""
        return len(self.triage.pending) + len(self._retry)

    @property
    def busy(self) -> bool:
        """Someone waits for an answer, or one is being produced."""
        return self.producing or bool(self._retry) or bool(self.triage.pending)

    # --- the loop's wake-up ------------------------------------------------------------------
    def wake(self) -> None:
        self._wake.set()

    async def wait(self, timeout: float | None) -> None:
        """Until something changed, or `timeout` seconds (a timed duty: a draft due, quiet time)."""
        try:
            await asyncio.wait_for(self._wake.wait(), timeout)
        except TimeoutError:
            pass
        self._wake.clear()

    def close(self) -> None:
        if self.in_flight is not None:
            self.in_flight.cancel()
