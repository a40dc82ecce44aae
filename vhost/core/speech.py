"""Speech handles and the scheduler that plays them one at a time (after LiveKit's SpeechHandle).

A handle is one utterance: its producer (the LLM→TTS chain, or a typed line) pushes audio chunks
into it while earlier chunks already play; the scheduler picks the highest-priority waiting handle,
feeds its chunks gaplessly to the sink, and records what was actually heard. Interrupting a handle
cuts the sink within one block and marks only the heard part as said.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from vhost.audio.playback import Playback
from vhost.audio.sinks import AudioSink
from vhost.voice.types import AudioChunk

log = logging.getLogger(__name__)

PRIORITY_OPERATOR = 100
PRIORITY_REPLY = 50
PRIORITY_SCRIPT = 10

QUEUED, SPEAKING, DONE, INTERRUPTED = "queued", "speaking", "done", "interrupted"

_END = object()


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
        # Bounded: the producer waits while `lookahead` chunks are ready, so TTS never runs far
        # ahead of what is heard (and an interruption wastes little synthesis). The real bound is
        # in time (vhost.voice.pacer, counting `queued_chunks()`); this count is only a backstop.
        self._chunks: asyncio.Queue = asyncio.Queue(maxsize=lookahead)
        self._done = asyncio.Event()
        self._interrupt = asyncio.Event()
        self._on_interrupt: list[Callable[[SpeechHandle], None]] = []

    # --- producer side ----------------------------------------------------------------
    async def push(self, chunk: AudioChunk) -> None:
        if self._interrupt.is_set():
            return
        await self._chunks.put(chunk)

    def queued_chunks(self) -> list[AudioChunk]:
        """Chunks pushed but not yet handed to the sink (the end marker excluded): the pacer
        counts their seconds as still to be heard."""
        return [c for c in list(self._chunks._queue) if c is not _END]  # asyncio.Queue's deque

    async def end_input(self, error: str | None = None) -> None:
        self.error = error
        if not self._interrupt.is_set():
            await self._chunks.put(_END)

    # --- anyone ---------------------------------------------------------------------
    def interrupt(self) -> None:
        if self._done.is_set() or self._interrupt.is_set():
            return
        self._interrupt.set()
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
        return self._interrupt.is_set()

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

    def _finish(self, state: str) -> None:
        self.state = state
        self._done.set()


class SpeechScheduler:
    """Plays handles one at a time, highest priority first (FIFO within a priority)."""

    def __init__(
        self,
        sink: AudioSink,
        on_playback: Callable[[SpeechHandle, Playback], None] | None = None,
        on_finished: Callable[[SpeechHandle], None] | None = None,
        poll_s: float = 0.005,
    ) -> None:
        self.sink = sink
        self.on_playback = on_playback
        self.on_finished = on_finished
        self.poll_s = poll_s
        self._heap: list[tuple[int, int, SpeechHandle]] = []
        self._seq = itertools.count()
        self._wake = asyncio.Event()
        self.current: SpeechHandle | None = None

    def submit(self, handle: SpeechHandle) -> SpeechHandle:
        heapq.heappush(self._heap, (-handle.priority, next(self._seq), handle))
        self._wake.set()
        return handle

    @property
    def waiting(self) -> list[SpeechHandle]:
        return [h for _, _, h in sorted(self._heap) if not h.interrupted]

    @property
    def busy(self) -> bool:
        return self.current is not None or bool(self.waiting)

    def interrupt_current(self) -> SpeechHandle | None:
        cur = self.current
        if cur is not None:
            cur.interrupt()
        return cur

    def flush(self) -> list[SpeechHandle]:
        """Interrupt what plays and everything waiting (operator 'say now' and 'interrupt')."""
        cut = [h for _, _, h in self._heap]
        self._heap.clear()
        if self.current is not None:
            cut.insert(0, self.current)
        for h in cut:
            h.interrupt()
            if h is not self.current:
                h._finish(INTERRUPTED)
                if self.on_finished:
                    self.on_finished(h)
        return cut

    async def run(self) -> None:
        while True:
            while not self._heap:
                self._wake.clear()
                await self._wake.wait()
            _, _, handle = heapq.heappop(self._heap)
            if handle.done:
                continue
            if handle.interrupted:
                handle._finish(INTERRUPTED)
                if self.on_finished:
                    self.on_finished(handle)
                continue
            self.current = handle
            try:
                await self._play(handle)
            finally:
                self.current = None
                # Not when the scheduler itself is cancelled (shutdown): an unfinished handle has
                # no final record yet.
                if self.on_finished and handle.done:
                    self.on_finished(handle)

    async def _play(self, handle: SpeechHandle) -> None:
        handle.state = SPEAKING
        input_done = False
        interrupt_wait = asyncio.ensure_future(handle._interrupt.wait())
        try:
            while True:
                if handle.interrupted:
                    self.sink.clear()
                    await self._settle(handle)
                    handle._finish(INTERRUPTED)
                    return
                if not input_done:
                    get = asyncio.ensure_future(handle._chunks.get())
                    await asyncio.wait({get, interrupt_wait}, return_when=asyncio.FIRST_COMPLETED)
                    if not get.done():
                        get.cancel()
                        continue
                    item = get.result()
                    if item is _END:
                        input_done = True
                        continue
                    pb = self.sink.play(item)
                    handle.playbacks.append(pb)
                    if self.on_playback:
                        self.on_playback(handle, pb)
                    continue
                if all(pb.done.is_set() for pb in handle.playbacks):
                    handle._finish(DONE)
                    return
                await asyncio.sleep(self.poll_s)
        finally:
            interrupt_wait.cancel()

    async def _settle(self, handle: SpeechHandle) -> None:
        """Wait for the fade of a cut chunk so `played` counts are final."""
        for _ in range(100):
            if all(pb.done.is_set() for pb in handle.playbacks):
                return
            await asyncio.sleep(self.poll_s)
