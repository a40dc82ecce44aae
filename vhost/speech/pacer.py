"""Look-ahead pacing: synthesize the next fragment only while little audio is buffered.

`SpeechHandle` bounds its queue by a number of chunks (3), which says nothing about time: three
one-word fragments are half a second, three sentences fifteen. The pacer measures what matters,
the seconds of speech not yet heard (what the sink still holds plus chunks waiting to be queued),
and lets the producer synthesize when that falls below a low-water mark. The mark follows the
voice's measured speed: a voice at real-time factor 0.9 (Kokoro on a small CPU) needs its next
fragment started well before the buffer runs dry; one at 0.05 can wait almost to the end.
Synthesizing far ahead would waste work on an interruption and hold the CPU the LLM needs.

Unless someone waits: `hurry()` true (viewers queued for an answer) lets the producer synthesize
its whole line at once, so it ends while the line still plays and the next reply is picked and
synthesized under it. Paced to the end, a line's producer ended as its audio did, and the next
reply's first fragment (2-3 s for an unprepared Mandarin line on a small CPU) was dead air
between every two answers of a busy chat.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable

from vhost.base.audio_types import AudioChunk


def buffered_audio_s(sink, waiting: Iterable[AudioChunk] = ()) -> float:  # noqa: ANN001 (AudioSink)
    """Seconds of speech not yet heard: queued at `sink` plus chunks not handed to it yet."""
    return sink.queue.pending() / float(sink.sample_rate) + sum(c.duration for c in waiting)


class LookaheadPacer:
    """Gate for a TTS producer. `buffered_s()` reports the unheard audio in seconds.

    `low_water_s` = `margin_s` + (measured RTF) x (typical fragment seconds), at least `min_s` and
    at most `max_s`: the next fragment is started when the buffer would otherwise run out during
    its synthesis.
    """

    def __init__(
        self,
        buffered_s: Callable[[], float],
        *,
        min_s: float = 0.5,
        max_s: float = 6.0,
        margin_s: float = 0.4,
        fragment_s: float = 3.0,
        min_step_s: float = 0.01,
        max_step_s: float = 0.02,
        hurry: Callable[[], bool] | None = None,
    ) -> None:
        self.buffered_s = buffered_s
        self.hurry = hurry
        self.min_s, self.max_s, self.margin_s = min_s, max_s, margin_s
        self.fragment_s = fragment_s
        self.min_step_s = min_step_s
        self.max_step_s = max_step_s
        self.rtf = 0.5  # until measured: a middling guess
        self._alpha = 0.3

    @property
    def low_water_s(self) -> float:
        want = self.margin_s + self.rtf * self.fragment_s
        return min(self.max_s, max(self.min_s, want))

    def note(self, synth_s: float, audio_s: float) -> None:
        """Feed one synthesis' cost, so the mark follows the voice's real speed."""
        if audio_s <= 0.05 or synth_s < 0:
            return
        rtf = synth_s / audio_s
        self.rtf += self._alpha * (rtf - self.rtf)
        self.fragment_s += self._alpha * (audio_s - self.fragment_s)

    def has_room(self) -> bool:
        return self.buffered_s() < self.low_water_s or (self.hurry is not None and self.hurry())

    async def wait_for_room(self, timeout: float | None = None) -> float:
        """Wait until the buffer is below the low-water mark; returns seconds waited.

        Cancel the awaiting task to abandon it (an interruption); on `timeout` it simply returns.
        """
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        while not self.has_room():
            waited = loop.time() - t0
            if timeout is not None and waited >= timeout:
                break
            # Sleep until the buffer would reach the mark at real-time playback, but re-check at
            # least every `max_step_s`: a sink may play faster than real time (a headless render)
            # and new chunks may have been queued meanwhile.
            step = min(self.max_step_s, max(self.min_step_s, self.buffered_s() - self.low_water_s))
            if timeout is not None:
                step = min(step, timeout - waited)
            await asyncio.sleep(step)
        return loop.time() - t0
