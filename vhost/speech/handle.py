"""One utterance and the task that produces it (after LiveKit's `SpeechHandle`).

A handle owns its producer: `attach(coro)` runs the synthesis (a typed line, an approved draft, an
LLM reply streaming through the voice) as a task that belongs to the handle, and interrupting the
handle cancels that task, so an interrupted line stops using the voice at once. Its producer pushes
audio chunks while earlier chunks already play; the scheduler (vhost.speech.scheduler) plays them
and records what was actually heard.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from vhost.audio.playback import Playback
from vhost.base.audio_types import AudioChunk
from vhost.base.synth_priority import CURRENT, SpeechTicket

PRIORITY_OPERATOR = 100
PRIORITY_REPLY = 50
PRIORITY_THANKS = 20  # above the script, below replies; never cut by a reply
PRIORITY_SCRIPT = 10

QUEUED, SPEAKING, DONE, INTERRUPTED = "queued", "speaking", "done", "interrupted"

END = object()  # the producer's end marker in a handle's chunk queue


@dataclass
class Heard:
    text: str
    fraction: float


class SpeechHandle:
    _ids = itertools.count(1)

    def __init__(self, source: str, priority: int, *, lookahead: int = 8, meta: dict | None = None) -> None:
        self.id = next(self._ids)
        self.source = source
        self.priority = priority
        self.meta = meta or {}
        self.state = QUEUED
        self.playbacks: list[Playback] = []
        self.error: str | None = None
        self.task: asyncio.Task | None = None  # the producer this handle owns (see attach)
        # Bounded: the producer waits while `lookahead` chunks are ready, so TTS never runs far
        # ahead of what is heard (and an interruption wastes little synthesis). The real bound is
        # in time (vhost.speech.pacer, counting `queued_chunks()`); this count is only a backstop.
        self.chunks: asyncio.Queue = asyncio.Queue(maxsize=lookahead)
        self._done = asyncio.Event()
        self.interrupt_event = asyncio.Event()
        self._on_interrupt: list[Callable[[SpeechHandle], None]] = []

    # --- producer side ----------------------------------------------------------------
    async def _producing(self, producer: Coroutine[Any, Any, Any]) -> Any:
        """The producer, with this line's priority known to every voice it asks (its own task's
        context: vhost.base.synth_priority)."""
        ticket = SpeechTicket(self.priority)
        CURRENT.set(ticket)
        try:
            return await producer
        finally:
            ticket.finish()

    def attach(self, producer: Coroutine[Any, Any, Any], name: str | None = None) -> asyncio.Task:
        """Run `producer` as this handle's own task: interrupting the handle cancels it."""
        task = asyncio.create_task(self._producing(producer), name=name or f"{self.source}-{self.id}")
        self.task = task
        if self.interrupted:
            task.cancel()
        return task

    async def push(self, chunk: AudioChunk) -> None:
        if self.interrupt_event.is_set():
            return
        await self.chunks.put(chunk)

    def queued_chunks(self) -> list[AudioChunk]:
        """Chunks pushed but not yet handed to the sink (the end marker excluded): the pacer
        counts their seconds as still to be heard."""
        return [c for c in list(self.chunks._queue) if c is not END]  # asyncio.Queue's deque

    async def end_input(self, error: str | None = None) -> None:
        self.error = error
        if not self.interrupt_event.is_set():
            await self.chunks.put(END)

    # --- anyone ---------------------------------------------------------------------
    def interrupt(self) -> None:
        if self._done.is_set() or self.interrupt_event.is_set():
            return
        self.interrupt_event.set()
        if self.task is not None and not self.task.done():
            self.task.cancel()
        for cb in self._on_interrupt:
            cb(self)

    def on_interrupt(self, cb: Callable[[SpeechHandle], None]) -> None:
        self._on_interrupt.append(cb)

    @property
    def first_audio_at(self) -> float | None:
        """When its first sample was heard, on the sink clock (None until then)."""
        return self.playbacks[0].start if self.playbacks else None

    @property
    def interrupted(self) -> bool:
        return self.interrupt_event.is_set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    async def wait(self) -> SpeechHandle:
        await self._done.wait()
        return self

    @property
    def heard(self) -> list[Heard]:
        return [Heard(pb.chunk.text, pb.heard_fraction) for pb in self.playbacks if pb.played > 0]

    @property
    def heard_text(self) -> str:
        """Only what reached the audience: whole chunks, and the played share of a cut one."""
        parts = []
        for h in self.heard:
            if h.fraction >= 0.999:
                parts.append(h.text)
            else:
                words = h.text.split()
                if len(words) <= 1 and h.text:  # Chinese: no spaces, cut by characters
                    parts.append(h.text[: int(len(h.text) * h.fraction)])
                else:
                    parts.append(" ".join(words[: int(len(words) * h.fraction)]))
        return " ".join(p for p in parts if p).strip()

    def finish(self, state: str) -> None:
        """The scheduler's verdict: DONE (heard to the end) or INTERRUPTED."""
        self.state = state
        self._done.set()
