"""Lip-sync drift over a long show, without waiting 30 minutes (see bench/lipsync.py --long).

Real speech: sentences synthesized by the TTS worker process (Piper, with its phoneme timeline),
played back to back with short pauses — the chunks are reused in a cycle, which is what a long
show does to the sink and the stage (a new Playback, a new start time on the sink clock, every few
seconds). The clock under test is the VirtualSink's sample counter; it runs `speed` times faster
than real time between the recording windows and in real time inside them.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from pathlib import Path

import numpy as np

from bench.lipsync import measure
from vhost.audio.recorder import WavRecorder
from vhost.audio.sinks import VirtualSink
from vhost.base.audio_types import AudioChunk

LINES = [
    "Welcome back, everyone, and thanks for joining the stream tonight!",
    "This travel mug keeps your coffee hot for six hours, and cold drinks for twelve.",
    "The lid locks shut, so nothing leaks into your bag on the way to work.",
    "Today it is twenty four ninety nine, down from thirty four ninety nine.",
    "Does it fit a car cup holder? Yes, the base is seven centimetres wide.",
    "The earbuds give you thirty hours with the case, and the noise cancelling is great.",
    "Let me show you the desk lamp: three colour temperatures and a USB port.",
    "Only a few left at this price, so grab one before the timer runs out!",
]


class ShiftingSink(VirtualSink):
    """A VirtualSink whose speed can change mid-run without a jump in its clock, and which can
    capture exactly the audio it plays inside a window."""

    def __init__(self, sample_rate: int, speed: float) -> None:
        super().__init__(sample_rate, speed=speed)
        self._ref = (time.monotonic(), 0)
        self._cap_lock = threading.Lock()
        self._capture: tuple[float, WavRecorder] | None = None

    def set_speed(self, speed: float) -> None:
        self._ref = (time.monotonic(), self.queue.samples_pulled)
        self.speed = speed

    def capture_from(self, t0: float, path: Path) -> None:
        """Record from show time t0 (must still be ahead) until stop_capture()."""
        with self._cap_lock:
            self._capture = (t0, WavRecorder(path, self.sample_rate))

    def stop_capture(self) -> None:
        with self._cap_lock:
            cap, self._capture = self._capture, None
        if cap:
            cap[1].close()

    def _run(self) -> None:
        while not self._stop.is_set():
            t_ref, n_ref = self._ref
            due = t_ref + (self.queue.samples_pulled + self.block - n_ref) / self.sample_rate / self.speed
            delay = due - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)
            self._pull(self.block, self.clock())

    def _pull(self, frames: int, first_sample_time: float) -> np.ndarray:
        block = super()._pull(frames, first_sample_time)
        with self._cap_lock:
            if self._capture is not None:
                t0, rec = self._capture
                skip = int(round((t0 - first_sample_time) * self.sample_rate))
                if skip < frames:
                    rec.write(block[max(0, skip):])
        return block


async def _synthesize() -> list[AudioChunk]:
    from vhost.base.workers import WorkerClient
    from vhost.voice.tts_worker import decode_chunk

    tts = WorkerClient("tts", "vhost.voice.tts_worker:TTSWorker", {"use_piper": True, "threads": 1})
    tts.start()
    try:
        chunks = []
        for line in LINES:
            msg = await tts.call("synth", text=line, lang="en")
            chunks.append(decode_chunk(msg))
        return chunks
    finally:
        await tts.close()


def run_long(show_s: float, window_s: float, speed: float, out: str | Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QGuiApplication

    from vhost.avatar.character import generate_character
    from vhost.stage.live import LiveStage
    from vhost.stage.renderer import StageRenderer
    from vhost.stage.video import VideoRecorder, mux

    qapp = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    chunks = asyncio.run(_synthesize())
    pause = AudioChunk(np.zeros(int(0.35 * 22050), np.float32), 22050, "")
    fps = 30
    sink = ShiftingSink(48000, speed=1.0)
    stage = LiveStage(7)
    renderer = StageRenderer(generate_character(7), "landscape", "#00B140")
    stop = threading.Event()
    played = [0]

    def feed() -> None:
        """Keep ~1.5 s of audio queued, like the show's pacer does."""
        i = 0
        while not stop.is_set():
            queued = sum(len(pb.samples) - pb.played for pb in list(sink.queue._queue))  # noqa: SLF001
            if queued < 1.5 * sink.sample_rate:
                stage.add_playback(sink.play(chunks[i % len(chunks)]))
                sink.play(pause)
                played[0] += 1
                i += 1
            else:
                time.sleep(0.002 / max(1.0, sink.speed / 10))

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    sink.start()
    results = {}
    t_wall = time.monotonic()
    for name, start in (("start", 1.0), ("after", show_s)):
        while sink.clock() < start - 3.0:  # fast-forward, then slow down just before
            time.sleep(0.01)
        sink.set_speed(1.0)
        folder = out / name
        folder.mkdir(exist_ok=True)
        sink.capture_from(start, folder / "audio.wav")
        rec = VideoRecorder(folder / "video.mp4", renderer, QSize(1280, 720), fps, stage.scene_at,
                            t0=start)
        while sink.clock() < start + window_s:
            if rec.render_due(sink.clock) == 0:
                time.sleep(0.004)
        rec.close()
        sink.stop_capture()
        sink.set_speed(speed)
        mux(folder / "video.mp4", folder / "audio.wav", folder / "show.mp4")
        report = {"fps": fps, "rig_trace": rec.rig_trace}
        m = measure(str(folder / "show.mp4"), report)
        m.update({"window_start_s": start, "frames_late": rec.frames_late})
        results[name] = m
    stop.set()
    sink.stop()
    return {
        "show_time_s": round(sink.clock(), 1),
        "wall_s": round(time.monotonic() - t_wall, 1),
        "utterances": played[0],
        "speed_between_windows": speed,
        "start": results["start"],
        "after": results["after"],
        "drift_ms": round(results["after"]["lag_ms_fine"] - results["start"]["lag_ms_fine"], 1),
        "within_40ms": all(abs(r["lag_ms_fine"]) <= 40 for r in results.values()),
    }
