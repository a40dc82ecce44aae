"""The pull side of audio output, shared by every sink.

A sink's clock pulls blocks of samples (a PortAudio callback, or a paced thread for the virtual
device). Each enqueued chunk becomes a `Playback` whose `start` is stamped with the device's own
sample clock at the moment its first sample is pulled — the rig animates from that, never from the
wall time at which `play()` was called.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

import numpy as np

from vhost.audio.resample import resample
from vhost.base.audio_types import AudioChunk

FADE_S = 0.008  # fade-out on interrupt: long enough to avoid a click, short enough to feel instant


@dataclass
class Playback:
    """One chunk's life on the device. Times are on the sink's clock (seconds)."""

    id: int
    chunk: AudioChunk
    samples: np.ndarray  # at the sink's rate
    sample_rate: int
    start: float | None = None
    end: float | None = None
    played: int = 0  # samples actually sent to the device
    interrupted: bool = False
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def heard_fraction(self) -> float:
        return min(1.0, self.played / max(1, len(self.samples)))

    _callbacks: list = field(default_factory=list)
    _cb_lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, timeout: float | None = None) -> bool:
        return self.done.wait(timeout)

    def add_done_callback(self, fn) -> None:  # noqa: ANN001 - a no-argument callable
        """Call `fn()` once this playback is over (at once if it already is). It runs on the
        sink's audio thread: hand it to your own loop (call_soon_threadsafe)."""
        with self._cb_lock:
            if not self.done.is_set():
                self._callbacks.append(fn)
                return
        fn()

    def set_done(self) -> None:
        with self._cb_lock:
            self.done.set()
            callbacks, self._callbacks = self._callbacks, []
        for fn in callbacks:
            fn()


class PlaybackQueue:
    """Chunks waiting to play, and the one playing. Thread-safe: `pull` runs on the audio thread."""

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._lock = threading.Lock()
        self._queue: list[Playback] = []
        self._ids = itertools.count(1)
        self._fade_left = 0
        self.muted = False
        self.samples_pulled = 0  # the device's sample counter

    def enqueue(self, chunk: AudioChunk) -> Playback:
        samples = resample(chunk.pcm, chunk.sample_rate, self.sample_rate)
        pb = Playback(next(self._ids), chunk, samples, self.sample_rate)
        with self._lock:
            self._queue.append(pb)
        return pb

    def clear(self) -> list[Playback]:
        """Stop what is playing (with a short fade) and drop everything queued.
        Returns the playbacks that were cut, with how much of each was played."""
        with self._lock:
            cut = list(self._queue)
            if cut and cut[0].played > 0:
                # Keep the current one alive just for the fade; its record says interrupted.
                current, rest = cut[0], cut[1:]
                if not current.interrupted:  # a second clear mid-fade must not restart the fade
                    self._fade_left = int(FADE_S * self.sample_rate)
                current.interrupted = True
                self._queue = [current]
            else:
                rest = cut
                self._queue = []
        for pb in rest:
            pb.interrupted = True
            pb.set_done()
        return cut

    def pending(self) -> int:
        with self._lock:
            return sum(len(p.samples) - p.played for p in self._queue)

    def pull(self, frames: int, first_sample_time: float) -> np.ndarray:
        """Fill one device block. `first_sample_time` is when the block's first sample is heard,
        on the sink's clock."""
        out = np.zeros(frames, dtype=np.float32)
        pos = 0
        with self._lock:
            while pos < frames and self._queue:
                pb = self._queue[0]
                if pb.start is None:
                    pb.start = first_sample_time + pos / self.sample_rate
                take = min(frames - pos, len(pb.samples) - pb.played)
                if pb.interrupted:
                    take = min(take, self._fade_left)
                seg = pb.samples[pb.played : pb.played + take]
                if pb.interrupted and take > 0:
                    # The gain continues where the previous block left it (a fade may span
                    # blocks) and reaches zero one sample after the fade: no step anywhere.
                    total = max(1, int(FADE_S * self.sample_rate))
                    ramp = (self._fade_left - np.arange(take, dtype=np.float32)) / np.float32(total)
                    seg = seg * ramp
                    self._fade_left -= take
                out[pos : pos + take] = seg
                pb.played += take
                pos += take
                if pb.played >= len(pb.samples) or (pb.interrupted and self._fade_left <= 0):
                    pb.end = first_sample_time + pos / self.sample_rate
                    self._queue.pop(0)
                    pb.set_done()
            self.samples_pulled += frames
        if self.muted:
            out[:] = 0.0
        return out
