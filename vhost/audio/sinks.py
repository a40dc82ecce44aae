"""Audio sinks: where speech is heard, and whose clock the avatar's mouth follows.

Contract (after LiveKit's audio sink): `play(chunk) -> Playback` queues audio; `clear()` cuts it
within one block; `clock()` is the sink's own time in seconds ("what is audible now"); every block
the device plays can be recorded to a WAV with the same timeline.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from vhost.audio.playback import Playback, PlaybackQueue
from vhost.audio.recorder import WavRecorder
from vhost.base.audio_types import AudioChunk

log = logging.getLogger(__name__)

DEFAULT_RATE = 48000


class AudioSink:
    name = "sink"

    def __init__(self, sample_rate: int = DEFAULT_RATE) -> None:
        self.sample_rate = sample_rate
        self.queue = PlaybackQueue(sample_rate)
        self.recorder: WavRecorder | None = None
        self.warning = ""  # shown to the operator when the sink runs degraded
        # Called (from the sink's own thread) when it degrades mid-show, e.g. the device vanished.
        self.on_warning: Callable[[str], None] | None = None

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


class LoopSink(VirtualSink):
    """The virtual device driven by the running asyncio loop instead of a thread: its blocks are
    pulled on the loop's clock. On a virtual-time loop (vhost.base.vclock) a minute of show passes
    in milliseconds with sample-exact timing, which is how the show's tests run; on an ordinary
    loop it plays in real time. `start()` and `stop()` are called on the loop."""

    name = "loop"

    def __init__(self, sample_rate: int = DEFAULT_RATE, block_s: float = 0.01, speed: float = 1.0) -> None:
        super().__init__(sample_rate, block_s, speed)
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._drive(), name="loop-audio")

    async def _drive(self) -> None:
        loop = asyncio.get_running_loop()
        t0 = loop.time() - self.queue.samples_pulled / self.sample_rate / self.speed
        while True:
            due = t0 + (self.queue.samples_pulled + self.block) / self.sample_rate / self.speed
            await asyncio.sleep(max(0.0, due - loop.time()))
            self._pull(self.block, self.clock())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        AudioSink.stop(self)


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
    """A real output device through PortAudio (sounddevice), chosen by (part of) its name.

    A device that stops calling back (unplugged, a Bluetooth headset gone) is replaced within
    `STALL_S` by a paced stand-in clock, silently; the stand-in polls the device list every
    `POLL_S` and, once the device is listed again and opens, hands the clock back to it. Both
    switches keep the clock the mouth follows monotonic and continuous: each new source is offset
    to start where the last one was. `sd` is the PortAudio seam (the sounddevice module by default;
    tests pass a fake with `OutputStream` and `query_devices`)."""

    name = "device"
    STALL_S = 2.0  # far above any callback gap (a 512-sample block is ~11 ms)
    POLL_S = 1.0  # how often a lost device is looked for

    def __init__(self, device: str | None = None, sample_rate: int = DEFAULT_RATE, blocksize: int = 512,
                 sd: Any = None) -> None:  # fmt: skip
        super().__init__(sample_rate)
        if sd is None:
            import sounddevice as sd  # imported here: needs libportaudio2, absent on some machines

        self._sd = sd
        self.device = device
        self.device_index = find_output_device(device, sd) if device else None
        self.blocksize = blocksize
        self.switches: list[tuple[str, float]] = []  # ("lost" | "back", clock), for tests and reports
        self._anchor = (0, 0.0)  # (sample counter, stream time it is heard at), from the callback
        self._offset = 0.0  # sink clock = offset + sample time: what keeps it continuous across switches
        self._last_clock = 0.0
        self._last_callback = time.monotonic()
        self._lost = False  # the device stopped calling back; a paced thread stands in
        self._failure = ""
        self._gen = 0  # the current stream's generation: callbacks of an abandoned stream are ignored
        self._handoff = threading.Lock()  # the stand-in and a returning device never both pull
        self._stopping = threading.Event()
        self._watchdog: threading.Thread | None = None
        self._stream = self._open_stream()

    def _open_stream(self) -> Any:
        """The device-opening seam: a PortAudio output stream calling back into this sink."""
        return self._sd.OutputStream(samplerate=self.sample_rate, channels=1, dtype="float32",
                                     device=self.device_index, blocksize=self.blocksize, latency="low",
                                     callback=functools.partial(self._callback, self._gen))  # fmt: skip

    def _callback(self, gen: int, outdata, frames, time_info, status) -> None:  # noqa: ANN001 (PortAudio)
        if gen != self._gen:  # a stream we gave up on came back to life: it stays silent
            outdata[:, 0] = 0.0
            return
        self._last_callback = time.monotonic()
        n0 = self.queue.samples_pulled
        dac = time_info.outputBufferDacTime or (time_info.currentTime + self._stream.latency)
        if self._lost:  # the device is back: start its clock where the stand-in's is now
            with self._handoff:
                now = self.clock()
                self._offset = now - n0 / self.sample_rate - (time_info.currentTime - dac)
                self._lost = False
            self._back()
        self._anchor = (n0, dac)
        outdata[:, 0] = self._pull(frames, self._offset + n0 / self.sample_rate)

    def clock(self) -> float:
        if self._lost:  # the stand-in counts samples
            raw = self._offset + self.queue.samples_pulled / self.sample_rate
        else:  # the sample being heard now: the callback's anchor advanced by the stream's own clock
            n0, dac = self._anchor
            if dac == 0.0:
                return self._last_clock
            try:
                raw = self._offset + n0 / self.sample_rate + (self._stream.time - dac)
            except Exception:  # noqa: BLE001 - a vanished device's stream may not tell time
                raw = self._offset + n0 / self.sample_rate
        self._last_clock = max(self._last_clock, raw)  # never backwards (a device's output latency)
        return self._last_clock

    def start(self) -> None:
        self._last_callback = time.monotonic()
        try:
            self._stream.start()
        except Exception as err:  # noqa: BLE001 - e.g. taken exclusively by another app
            self._failure = f"audio device failed to start ({err})"
            self._last_callback = float("-inf")  # the watchdog takes over at once
        self._watchdog = threading.Thread(target=self._watch, name="audio-watchdog", daemon=True)
        self._watchdog.start()

    def _watch(self) -> None:
        """A device unplugged mid-show stops the callbacks without an error: the clock would freeze,
        queued speech never finish, and the pacer wait forever. After `STALL_S` without a callback
        the show goes on over a paced stand-in, silently, and the operator is told; when the device
        returns the stand-in hands over (see `_stand_in`), and watching starts again."""
        while not self._stopping.wait(0.1):
            if time.monotonic() - self._last_callback > self.STALL_S:
                self._lose()
                self._stand_in()

    def _lose(self) -> None:
        with self._handoff:
            now = self.clock()  # the last time the show saw: the stand-in starts there
            self._offset = now - self.queue.samples_pulled / self.sample_rate
            self._lost = True
            self._gen += 1
        self.switches.append(("lost", now))
        reason = self._failure or f"audio device stopped responding (no audio for {self.STALL_S:g} s)"
        self._failure = ""
        self._tell(f"{reason}; the show goes on silently and switches back when the device returns")

    def _back(self) -> None:
        self.switches.append(("back", self._last_clock))
        self.warning = ""
        log.info("audio device is back")
        self._tell(f"audio device {self.device or '(default)'} is back: sound restored", warning=False)

    def _tell(self, text: str, warning: bool = True) -> None:
        if warning:
            self.warning = text
            log.warning(text)
        if self.on_warning is not None:
            try:
                self.on_warning(text)
            except Exception:  # noqa: BLE001 - a console error must not stop the clock
                log.exception("audio warning callback failed")

    def _stand_in(self) -> None:
        """Pull blocks in real time while the device is gone; look for it every POLL_S."""
        block = self.blocksize
        t0 = time.monotonic() - self.queue.samples_pulled / self.sample_rate
        next_poll = time.monotonic() + self.POLL_S
        while not self._stopping.is_set():
            due = t0 + (self.queue.samples_pulled + block) / self.sample_rate
            delay = due - time.monotonic()
            if delay > 0 and self._stopping.wait(delay):
                return
            with self._handoff:
                if not self._lost:
                    self._last_callback = time.monotonic()
                    return  # the device took over in its callback
                self._pull(block, self.clock())
            if time.monotonic() >= next_poll:
                next_poll = time.monotonic() + self.POLL_S
                self._try_reopen()

    def _try_reopen(self) -> None:
        """If the device is listed again, open a fresh stream on it (its first callback takes over)."""
        try:
            if hasattr(self._sd, "_terminate") and hasattr(self._sd, "_initialize"):
                self._sd._terminate()  # PortAudio lists devices as of its initialization: rescan
                self._sd._initialize()
            index = find_output_device(self.device, self._sd) if self.device else None
            if index is None and not any(d["max_output_channels"] > 0 for d in self._sd.query_devices()):
                return
            self._close_stream(self._stream)
            self.device_index = index
            self._stream = self._open_stream()
            self._stream.start()
        except Exception as err:  # noqa: BLE001 - not back yet (or busy): try again next poll
            log.debug("audio device not back yet: %s", err)

    @staticmethod
    def _close_stream(stream: Any) -> None:
        try:
            stream.stop()
            stream.close()
        except Exception as err:  # noqa: BLE001 - a vanished device may refuse to stop
            log.warning("audio device did not close cleanly (%s)", err)

    def stop(self) -> None:
        self._stopping.set()
        try:
            self._close_stream(self._stream)
        finally:
            if self._watchdog is not None:
                self._watchdog.join(timeout=2)
            super().stop()


def find_output_device(name: str, sd: Any = None) -> int:
    if sd is None:
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
