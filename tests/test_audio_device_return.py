"""A lost audio device comes back: the sink returns to it, and the clock the mouth follows neither
jumps nor runs backwards across either switch. PortAudio is faked at the sink's seam (`sd=`): a
stream object calling back on its own thread, a device list the test plugs and unplugs."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest

from vhost.audio.sinks import DeviceSink
from vhost.base.audio_types import AudioChunk

SR = 48000


class FakePortAudio:
    """What sounddevice offers the sink: `query_devices()` and `OutputStream`. Unplugging stops
    every stream's callbacks without an error (as a pulled USB headset does) and drops the device
    from the list; the streams' own clocks go on (PortAudio's time is the host's)."""

    def __init__(self, name: str = "USB Headset") -> None:
        self.name = name
        self.present = True
        self.streams: list[FakeStream] = []

    def query_devices(self) -> list[dict]:
        return [{"name": "HDMI", "max_output_channels": 0}] + (
            [{"name": self.name, "max_output_channels": 2}] if self.present else [])

    def OutputStream(self, **kw) -> FakeStream:  # noqa: N802 - sounddevice's name
        if not self.present:
            raise RuntimeError("PortAudio: Invalid device [PaErrorCode -9996]")
        s = FakeStream(self, **kw)
        self.streams.append(s)
        return s


class FakeStream:
    def __init__(self, pa: FakePortAudio, samplerate, channels, dtype, device, blocksize, latency, callback) -> None:  # noqa: ANN001
        self.pa, self.sr, self.blocksize, self.callback = pa, samplerate, blocksize, callback
        self.latency = 0.02
        self.base = 5000.0 + 1000 * len(pa.streams)  # each stream's clock has its own origin
        self.t0 = time.monotonic()
        self.out: list[np.ndarray] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def time(self) -> float:
        return self.base + time.monotonic() - self.t0

    def _run(self) -> None:
        period = self.blocksize / self.sr
        due = time.monotonic()
        while not self._stop.is_set() and self.pa.present:
            out = np.zeros((self.blocksize, 1), np.float32)
            now = self.time
            self.callback(out, self.blocksize, SimpleNamespace(outputBufferDacTime=now + self.latency,
                                                               currentTime=now), None)  # fmt: skip
            self.out.append(out[:, 0].copy())
            due += period
            time.sleep(max(0.0, due - time.monotonic()))

    def start(self) -> None:
        if not self.pa.present:
            raise RuntimeError("PortAudio: device unavailable")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if not self.pa.present:
            raise RuntimeError("PortAudio: device unavailable")

    def close(self) -> None:
        pass


@pytest.mark.slow
def test_the_sink_returns_to_its_device_and_the_clock_stays_continuous() -> None:
    pa = FakePortAudio()
    sink = DeviceSink("usb headset", sample_rate=SR, blocksize=480, sd=pa)
    sink.STALL_S, sink.POLL_S = 0.3, 0.1
    told: list[str] = []
    sink.on_warning = told.append
    samples: list[tuple[float, float]] = []  # (wall, sink clock), as the stage's frames read it
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            samples.append((time.monotonic(), sink.clock()))
            time.sleep(0.002)

    sink.start()
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        time.sleep(0.3)
        tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(int(3.0 * SR)) / SR)).astype(np.float32)
        pb = sink.play(AudioChunk(pcm=tone, sample_rate=SR))
        time.sleep(0.4)
        pa.present = False  # unplugged mid-sentence
        time.sleep(1.2)
        assert sink.switches and sink.switches[-1][0] == "lost"
        pa.present = True  # plugged back in
        assert pb.wait(6.0) and not pb.interrupted and pb.played == len(pb.samples)
        time.sleep(0.3)
    finally:
        done.set()
        watcher.join()
        sink.stop()

    assert [kind for kind, _ in sink.switches] == ["lost", "back"]
    assert len(told) == 2 and "stopped responding" in told[0] and "is back" in told[1]
    assert sink.warning == ""  # no longer degraded
    assert len(pa.streams) == 2 and any(np.abs(b).max() > 0.4 for b in pa.streams[1].out)  # heard again
    # The clock: never backwards, no step (beyond a late thread catching up on a shared machine),
    # and its lead over the wall stays in one narrow band across both switches — a jump either
    # way, or a freeze during the stall, would widen it by the jump.
    walls, clocks = np.array([w for w, _ in samples]), np.array([c for _, c in samples])
    assert np.all(np.diff(clocks) >= 0.0)
    steps = np.diff(clocks) - np.diff(walls)
    assert steps.max() < 0.06, f"clock jumped {steps.max():.3f} s"
    live = clocks > 0  # from the first callback on
    lead = clocks[live] - walls[live]
    assert lead.max() - lead.min() < 0.1, f"clock moved {lead.max() - lead.min():.3f} s against the wall"


def test_a_device_that_is_not_back_yet_is_looked_for_again() -> None:
    pa = FakePortAudio()
    sink = DeviceSink("usb headset", sample_rate=SR, blocksize=480, sd=pa)
    sink.STALL_S, sink.POLL_S = 0.2, 0.05
    sink.start()
    try:
        time.sleep(0.1)
        pa.present = False
        time.sleep(0.8)  # a dozen polls find nothing; the stand-in keeps time
        t = sink.clock()
        time.sleep(0.1)
        assert sink.clock() > t and [k for k, _ in sink.switches] == ["lost"] and len(pa.streams) == 1
        pa.present = True
        deadline = time.monotonic() + 3
        while len(sink.switches) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert [k for k, _ in sink.switches] == ["lost", "back"]
    finally:
        sink.stop()
