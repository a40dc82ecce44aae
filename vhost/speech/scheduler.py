"""The scheduler that plays speech handles one at a time, highest priority first.

It picks the highest-priority waiting handle, feeds its chunks gaplessly to the sink and waits —
on the playbacks themselves, never by polling — until they were heard or the handle was cut.
Interrupting a handle cuts the sink within one block and marks only the heard part as said.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections.abc import Callable

from vhost.audio.playback import Playback
from vhost.audio.sinks import AudioSink
from vhost.speech.handle import DONE, END, INTERRUPTED, SPEAKING, SpeechHandle

log = logging.getLogger(__name__)

SETTLE_S = 1.0  # at most this long for a cut chunk's fade to be played out


async def playbacks_done(playbacks: list[Playback]) -> None:
    """Wait until every playback is over; the sink's audio thread says so through a callback."""
    loop = asyncio.get_running_loop()
    for pb in playbacks:
        if pb.done.is_set():
            continue
        fut = loop.create_future()

        def wake(fut: asyncio.Future = fut) -> None:
            loop.call_soon_threadsafe(lambda: fut.done() or fut.set_result(None))

        pb.add_done_callback(wake)
        await fut


class SpeechScheduler:
    """Plays handles one at a time, highest priority first (FIFO within a priority)."""

    def __init__(self, sink: AudioSink, on_playback: Callable[[SpeechHandle, Playback], None] | None = None,
                 on_finished: Callable[[SpeechHandle], None] | None = None) -> None:
        self.sink = sink
        self.on_playback = on_playback
        self.on_finished = on_finished
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

    def flush(self, cut_by: str = "") -> list[SpeechHandle]:
        """Interrupt what plays and everything waiting (operator 'say now' and 'interrupt');
        `cut_by` is noted in each cut handle's meta before it ends."""
        cut = [h for _, _, h in self._heap]
        self._heap.clear()
        if self.current is not None:
            cut.insert(0, self.current)
        for h in cut:
            if cut_by:
                h.meta["cut_by"] = cut_by
            h.interrupt()
            if h is not self.current:
                self._end(h, INTERRUPTED)
        return cut

    def _end(self, handle: SpeechHandle, state: str) -> None:
        handle.finish(state)
        if self.on_finished:
            self.on_finished(handle)

    async def run(self) -> None:
        while True:
            while not self._heap:
                self._wake.clear()
                await self._wake.wait()
            _, _, handle = heapq.heappop(self._heap)
            if handle.done:
                continue
            if handle.interrupted:
                self._end(handle, INTERRUPTED)
                continue
            self.current = handle
            try:
                await self._play(handle)
            finally:
                self.current = None
            # Not when the scheduler itself is cancelled (shutdown): an unfinished handle has no
            # final record yet.
            if self.on_finished:
                self.on_finished(handle)

    async def _play(self, handle: SpeechHandle) -> None:
        handle.state = SPEAKING
        interrupted = asyncio.ensure_future(handle.interrupt_event.wait())
        try:
            while True:
                get = asyncio.ensure_future(handle.chunks.get())
                await asyncio.wait({get, interrupted}, return_when=asyncio.FIRST_COMPLETED)
                if not get.done():
                    get.cancel()
                    break  # interrupted while waiting for the producer
                item = get.result()
                if item is END:
                    break
                pb = self.sink.play(item)
                handle.playbacks.append(pb)
                if self.on_playback:
                    self.on_playback(handle, pb)
            if not handle.interrupted:
                heard = asyncio.ensure_future(playbacks_done(handle.playbacks))
                await asyncio.wait({heard, interrupted}, return_when=asyncio.FIRST_COMPLETED)
                heard.cancel()
            if handle.interrupted:
                self.sink.clear()
                await self._settle(handle)
                handle.finish(INTERRUPTED)
            else:
                handle.finish(DONE)
        finally:
            interrupted.cancel()

    async def _settle(self, handle: SpeechHandle) -> None:
        """Wait for the fade of a cut chunk so `played` counts are final."""
        try:
            await asyncio.wait_for(playbacks_done(handle.playbacks), SETTLE_S)
        except TimeoutError:
            log.warning("a cut chunk's fade did not finish within %.1f s (dead device?)", SETTLE_S)
