"""The look-ahead pacer: synthesis starts only while little unheard audio is buffered."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest

from vhost.audio.sinks import VirtualSink
from vhost.base.audio_types import AudioChunk
from vhost.speech.pacer import LookaheadPacer, buffered_audio_s


def chunk(seconds: float, sr: int = 16000) -> AudioChunk:
    return AudioChunk(pcm=np.full(int(seconds * sr), 0.1, dtype=np.float32), sample_rate=sr)


def test_low_water_follows_the_measured_speed() -> None:
    pacer = LookaheadPacer(lambda: 0.0, min_s=0.5, max_s=6.0, margin_s=0.4, fragment_s=3.0)
    for _ in range(20):
        pacer.note(synth_s=0.15, audio_s=3.0)  # Piper-like: RTF 0.05
    fast = pacer.low_water_s
    for _ in range(20):
        pacer.note(synth_s=3.0, audio_s=3.0)  # Kokoro on a small CPU: RTF 1.0
    slow = pacer.low_water_s
    assert fast == pytest.approx(0.55, abs=0.05)
    assert slow == pytest.approx(3.4, abs=0.1)
    pacer.note(synth_s=1.0, audio_s=0.0)  # an empty fragment teaches nothing
    assert pacer.low_water_s == pytest.approx(slow)


def test_buffered_audio_counts_the_sink_and_waiting_chunks() -> None:
    sink = VirtualSink(sample_rate=16000)
    sink.play(chunk(1.5))
    assert buffered_audio_s(sink) == pytest.approx(1.5)
    assert buffered_audio_s(sink, [chunk(0.5), chunk(0.25)]) == pytest.approx(2.25)


def test_producer_waits_while_the_buffer_is_full_and_never_runs_dry() -> None:
    """A scripted TTS (0.2 s per 1 s fragment) feeding a sink that plays 4x real time."""
    sink = VirtualSink(sample_rate=16000, block_s=0.01, speed=4.0)
    pacer = LookaheadPacer(lambda: buffered_audio_s(sink), min_s=0.8, max_s=0.8, min_step_s=0.005)
    starts: list[float] = []
    played = []

    async def produce() -> None:
        for _ in range(8):
            await pacer.wait_for_room()
            starts.append(buffered_audio_s(sink))
            await asyncio.sleep(0.05)  # synthesis: 0.2 s of "sink time" at 4x
            played.append(sink.play(chunk(1.0)))

    sink.start()
    try:
        t0 = time.monotonic()
        asyncio.run(produce())
        elapsed = time.monotonic() - t0
        still_queued = sink.queue.pending()
        deadline = time.monotonic() + 5
        while sink.queue.pending() and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        sink.stop()
    # Every synthesis began with less than the low-water mark buffered...
    assert all(s < 0.8 for s in starts), starts
    # ...so the producer was held back: 8 s of audio at 4x took about 2 s, not 8 x 0.05 s.
    assert elapsed > 1.2
    assert still_queued > 0  # audio was still queued after the last fragment: look-ahead
    # ...and the speech never ran dry: each fragment starts where the previous one ended.
    assert all(p.start is not None and p.end is not None for p in played)
    for a, b in zip(played, played[1:], strict=False):
        assert b.start == pytest.approx(a.end, abs=1e-6), "gap in the speech"


def test_wait_for_room_gives_up_at_its_timeout() -> None:
    pacer = LookaheadPacer(lambda: 10.0, min_step_s=0.01)
    waited = asyncio.run(pacer.wait_for_room(timeout=0.1))
    assert 0.09 <= waited < 1.0


def test_hurry_lets_the_producer_run_ahead_of_the_buffer() -> None:
    """Viewers waiting (hurry() true): synthesis goes on whatever is buffered."""
    waiting = [False]
    pacer = LookaheadPacer(lambda: 10.0, min_s=0.5, max_s=6.0, hurry=lambda: waiting[0])
    assert not pacer.has_room()
    waiting[0] = True
    assert pacer.has_room()
    assert asyncio.run(pacer.wait_for_room(timeout=1.0)) == pytest.approx(0.0, abs=0.01)
