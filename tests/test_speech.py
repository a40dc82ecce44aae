"""Scheduler semantics: priority, gapless chunks, interruption keeps only what was heard."""

import asyncio

import numpy as np

from tests.fakes import tone
from vhost.audio.playback import PlaybackQueue
from vhost.audio.sinks import LoopSink
from vhost.base.vclock import run_virtual
from vhost.speech.handle import DONE, INTERRUPTED, PRIORITY_OPERATOR, PRIORITY_REPLY, SpeechHandle
from vhost.speech.scheduler import SpeechScheduler


async def _produce(handle: SpeechHandle, chunks):
    for c in chunks:
        await handle.push(c)
    await handle.end_input()


def test_plays_chunks_back_to_back_and_records_heard_text():
    async def go():
        sink = LoopSink(16000, block_s=0.005, speed=4.0)
        sink.start()
        sched = SpeechScheduler(sink)
        runner = asyncio.create_task(sched.run())
        h = sched.submit(SpeechHandle("reply", PRIORITY_REPLY))
        await _produce(h, [tone(0.2, text="Hello there,"), tone(0.3, text="how are you?")])
        await asyncio.wait_for(h.wait(), 5)
        runner.cancel()
        sink.stop()
        return h

    h = run_virtual(go())
    assert h.state == DONE
    assert h.heard_text == "Hello there, how are you?"
    a, b = h.playbacks
    # gapless: the second chunk starts where the first ended, on the device clock
    assert abs(b.start - a.end) < 1e-6
    assert abs((a.end - a.start) - 0.2) < 0.01


def test_interrupt_cuts_within_a_block_and_keeps_only_the_heard_part():
    async def go():
        sink = LoopSink(16000, block_s=0.01, speed=1.0)
        sink.start()
        sched = SpeechScheduler(sink)
        runner = asyncio.create_task(sched.run())
        h = sched.submit(SpeechHandle("reply", PRIORITY_REPLY))
        await _produce(h, [tone(2.0, text="one two three four five six seven eight nine ten")])
        while h.first_audio_at is None:
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.5)
        t_cut = sink.clock()
        h.interrupt()
        await asyncio.wait_for(h.wait(), 2)
        runner.cancel()
        sink.stop()
        return h, t_cut

    h, t_cut = run_virtual(go())
    assert h.state == INTERRUPTED
    pb = h.playbacks[0]
    assert pb.interrupted
    # silence follows the cut within a couple of blocks plus the fade
    assert pb.end - t_cut < 0.05
    assert 0.15 < pb.heard_fraction < 0.45
    words = h.heard_text.split()
    assert 1 <= len(words) <= 5 and words[0] == "one"


def test_higher_priority_waits_for_current_then_goes_first():
    async def go():
        sink = LoopSink(16000, block_s=0.005, speed=4.0)
        sink.start()
        order = []
        sched = SpeechScheduler(sink, on_finished=lambda h: order.append(h.source))
        runner = asyncio.create_task(sched.run())
        first = sched.submit(SpeechHandle("first", PRIORITY_REPLY))
        await _produce(first, [tone(0.2)])
        await asyncio.sleep(0.02)  # first is playing now
        low = sched.submit(SpeechHandle("low", PRIORITY_REPLY))
        high = sched.submit(SpeechHandle("high", PRIORITY_OPERATOR))
        await _produce(low, [tone(0.1)])
        await _produce(high, [tone(0.1)])
        await asyncio.wait_for(low.wait(), 5)
        runner.cancel()
        sink.stop()
        return order

    assert run_virtual(go()) == ["first", "high", "low"]


def test_flush_interrupts_current_and_everything_waiting():
    async def go():
        sink = LoopSink(16000, block_s=0.005)
        sink.start()
        sched = SpeechScheduler(sink)
        runner = asyncio.create_task(sched.run())
        a = sched.submit(SpeechHandle("a", PRIORITY_REPLY))
        b = sched.submit(SpeechHandle("b", PRIORITY_REPLY))
        await _produce(a, [tone(1.0)])
        while a.first_audio_at is None:
            await asyncio.sleep(0.005)
        cut = sched.flush()
        await asyncio.wait_for(asyncio.gather(a.wait(), b.wait()), 2)
        runner.cancel()
        sink.stop()
        return a, b, cut

    a, b, cut = run_virtual(go())
    assert [h.source for h in cut] == ["a", "b"]
    assert a.state == INTERRUPTED and b.state == INTERRUPTED
    assert b.heard_text == "" and b.first_audio_at is None


def test_playback_queue_stamps_start_from_the_device_clock_not_the_call_time():
    q = PlaybackQueue(1000)
    silence = q.pull(250, first_sample_time=0.0)  # device ran 0.25 s before anything was queued
    assert not silence.any()
    pb = q.enqueue(tone(0.1, sample_rate=1000))
    assert pb.start is None  # not heard yet
    q.pull(50, first_sample_time=0.25)
    assert pb.start == 0.25
    q.pull(100, first_sample_time=0.30)
    assert pb.done.is_set() and abs(pb.end - 0.35) < 1e-9


def test_clear_fades_out_instead_of_clicking():
    q = PlaybackQueue(8000)
    q.enqueue(tone(1.0, sample_rate=8000))
    q.pull(400, 0.0)
    q.clear()
    out = q.pull(400, 0.05)
    fade = int(0.008 * 8000)
    assert np.all(out[fade:] == 0)
    assert np.max(np.abs(out[:fade])) <= 0.3 + 1e-6
    assert abs(out[fade - 1]) < 0.3 * 2 / fade + 1e-3  # ramps to ~0
