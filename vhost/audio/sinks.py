"""Audio sinks: where speech is heard, and whose clock the avatar's mouth follows.

Contract (after LiveKit's audio sink): `play(chunk) -> Playback` queues audio; `clear()` cuts it
within one block; `clock()` is the sink's own time in seconds ("what is audible now"); every block
the device plays can be recorded to a WAV with the same timeline.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np

from vhost.audio.playback import Playback, PlaybackQueue
from vhost.audio.recorder import WavRecorder
from vhost.voice.types import AudioChunk

log = logging.getLogger(__name__)

DEFAULT_RATE = 48000


class AudioSink:
    name = "sink"

    def __init__(self, sample_rate: int = DEFAULT_RATE) -> None:
        self.sample_rate = sample_rate
        self.queue = PlaybackQueue(sample_rate)
        self.recorder: WavRecorder | None = None
        self.warning = ""  # shown to the operator when the sink runs degraded

    # --- what the show uses -------------------------------------------------------------
    def play(self, chunk: AudioChunk) -> Playback:
        return self.queue.enqueue(chunk)

    def clear(self) -> list[Playback]:
        return self.queue.clear()

    def set_muted(self, muted: bool) -> None:
        self.queue.muted = muted

    def record_to(self, path: str | Path) -> None:
        self.recorder = WavRecorder(path, self.sample_rate)

    def clock(self) -> float:
        raise NotImplementedError

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        if self.recorder:
            self.recorder.close()

    # --- shared by subclasses ---------------------------------------------------------------
    def _pull(self, frames: int, first_sample_time: float) -> np.ndarray:
        block = self.queue.pull(frames, first_sample_time)
        if self.recorder:
            self.recorder.write(block)
        return block


class VirtualSink(AudioSink):
    """A device made of a clock: a thread consumes audio in real time (or `speed` times faster).

    Used for the headless show (its blocks become the MP4's audio), in tests, and as the fallback
    when no sound card is present — the show goes on silently with the same timing.
    """

    name = "virtual"

    def __init__(self, sample_rate: int = DEFAULT_RATE, block_s: float = 0.01, speed: float = 1.0) -> None:
        super().__init__(sample_rate)
        self.block = max(1, int(block_s * sample_rate))
        self.speed = speed
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def clock(self) -> float:
        return self.queue.samples_pulled / self.sample_rate

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="virtual-audio", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        t0 = time.monotonic()
        while not self._stop.is_set():
            due = t0 + (self.queue.samples_pulled + self.block) / self.sample_rate / self.speed
            delay = due - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)
            self._pull(self.block, self.clock())

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)
        super().stop()


class WavSink(VirtualSink):
    """A virtual device whose every block (silence included) goes to a 16-bit WAV at its rate.

    The file's timeline is the sink clock, as with a recorded device; `speed` > 1 renders faster
    than real time (e.g. `speed=50` for an offline render)."""

    name = "wav"

    def __init__(self, path: str | Path, sample_rate: int = DEFAULT_RATE, block_s: float = 0.01,
                 speed: float = 1.0) -> None:
        super().__init__(sample_rate, block_s, speed)
        self.record_to(path)


class DeviceSink(AudioSink):
    """A real output device through PortAudio (sounddevice), chosen by (part of) its name."""

    name = "device"

    def __init__(self, device: str | None = None, sample_rate: int = DEFAULT_RATE, blocksize: int = 512) -> None:
        super().__init__(sample_rate)
        import sounddevice as sd  # imported here: needs libportaudio2, absent on some machines

        self._sd = sd
        self.device_index = find_output_device(device) if device else None
        self.blocksize = blocksize
        self._anchor = (0, 0.0)  # (sample counter, stream time it is heard at), from the callback
        self._stream = sd.OutputStream(
            samplerate=sample_rate, channels=1, dtype="float32", device=self.device_index,
            blocksize=blocksize, latency="low", callback=self._callback,
        )

    def _callback(self, outdata, frames, time_info, status) -> None:  # noqa: ANN001 (PortAudio)
        n0 = self.queue.samples_pulled
        dac = time_info.outputBufferDacTime or (time_info.currentTime + self._stream.latency)
        self._anchor = (n0, dac)
        outdata[:, 0] = self._pull(frames, n0 / self.sample_rate)

    def clock(self) -> float:
        # The sample being heard now: the callback's anchor advanced by the stream's own clock.
        n0, dac = self._anchor
        if dac == 0.0:
            return 0.0
        return max(0.0, n0 / self.sample_rate + (self._stream.time - dac))

    def start(self) -> None:
        self._stream.start()

    def stop(self) -> None:
        try:
            self._stream.stop()
            self._stream.close()
        finally:
            super().stop()


def find_output_device(name: str) -> int:
    import sounddevice as sd

    wanted = name.lower()
    for i, dev in enumerate(sd.query_devices()):
        if dev["max_output_channels"] > 0 and wanted in dev["name"].lower():
            return i
    raise LookupError(f"no audio output device matches {name!r}")


def open_sink(device: str | None, sample_rate: int = DEFAULT_RATE, headless: bool = False) -> AudioSink:
    """The configured device, or a silent virtual device with a clear warning: the show goes on."""
    if headless:
        return VirtualSink(sample_rate)
    try:
        return DeviceSink(device, sample_rate)
    except Exception as exc:  # no PortAudio, no device, device busy: all mean "play silently"
        sink = VirtualSink(sample_rate)
        sink.warning = f"audio device unavailable ({exc}); playing silently, recording still works"
        log.warning(sink.warning)
        return sink
