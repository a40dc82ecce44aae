"""The reply loop: whenever something changed (a message queued, a reply done, a command) or a
timed duty is due, it expires and speaks drafts, lets quiet time speak, and starts the next reply
when there is room. It awaits the reply queue's wake-up; it never polls."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from vhost.show.drafting import DraftDesk
from vhost.show.on_air import OnAir
from vhost.show.quiet_time import QuietTime
from vhost.show.reply_flow import ReplyFlow
from vhost.show.reply_queue import ReplyQueue
from vhost.speech.speaker import Speaker

MAX_PENDING_DRAFTS = 4  # drafting further ahead answers questions that are stale when approved
MAX_WAIT_S = 0.5  # the longest sleep when nothing wakes the loop (a backstop, not a poll)


class ReplyLoop:
    def __init__(self, queue: ReplyQueue, flow: ReplyFlow, desk: DraftDesk, quiet: QuietTime, speaker: Speaker,
                 on_air: OnAir, clock: Callable[[], float]) -> None:
        self.queue = queue
        self.flow = flow
        self.desk = desk
        self.quiet = quiet
        self.speaker = speaker
        self.on_air = on_air
        self.clock = clock

    async def run(self, ready: asyncio.Event) -> None:
        await ready.wait()
        while True:
            self.desk.tick(paused=not self.on_air.auto_reply)
            self.quiet.tick()
            if self.on_air.auto_reply and not self.queue.producing and self._room():
                msg = self.queue.next(self.clock())
                if msg is not None:
                    self.queue.track(self.flow.start(msg))
                    continue
            await self.queue.wait(self._next_duty_in())

    def _room(self) -> bool:
        # One reply in production, at most one more waiting to be heard (a fresher question gets a
        # fresher answer); drafting (manual/assisted) only waits for room on the operator's desk.
        if self.desk.mode == "auto":
            return not self.speaker.waiting
        return sum(not d.pinned for d in self.desk.pending()) < MAX_PENDING_DRAFTS

    def _next_duty_in(self) -> float:
        """Seconds until a timed duty (a draft due or expiring, quiet time's next line)."""
        due = [t for t in (self.desk.next_deadline(), self.quiet.next_at) if t is not None]
        return min(MAX_WAIT_S, max(0.01, min(due, default=1e9) - self.clock()))
