"""Interrupt → silence: how long the voice keeps sounding after the operator hits Interrupt.

    python -m bench.interrupt [--n 50] [--block 512]

The real command path: `Show.control(Interrupt())` → control lane → dispatcher → scheduler flush →
`sink.clear()` (8 ms fade) on a VirtualSink pulling device-sized blocks in real time. Speech is a
typed line (say-now) synthesized by a tone voice, cut at a random point. Measured on the sink's
clock: from the command to the last non-silent sample handed to the device. Reference, same
trials: a naive stop that lets the current fragment finish (what a chunk-granular player does).
Also: the same right after a product switch whose prompt takes 2 s to cache (the control lane must
not wait for it), and how many fragments of an interrupted 12-fragment typed line are still
synthesized after the cut (its handle cancels its synthesis task).
A real sound card adds its own output buffer (typically 10-20 ms) on top of both. Prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time

import numpy as np

from vhost.audio.sinks import VirtualSink
from vhost.base import commands as cmd
from vhost.base.audio_types import AudioChunk
from vhost.brain.catalog import load_catalog
from vhost.brain.persona import load_persona
from vhost.config.settings import ASSETS
from vhost.show.parts import ShowParts, ShowSettings
from vhost.show.show import Show
from vhost.stage.live import LiveStage

RATE = 48000
LINE = ("Welcome back everyone, this is the travel mug we talked about. It keeps coffee hot for six hours "
        "and cold drinks cold all day. The lid locks, so nothing spills in your bag.")


class ToneTTS:
    """A voice with no model: 60 ms of tone per character, at once (the cut, not TTS, is measured)."""

    async def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        n = int(len(text) * 0.06 * 16000)
        t = np.arange(n) / 16000
        return AudioChunk(pcm=(0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), sample_rate=16000, text=text)


class NoLLM:
    last_stats: dict = {}

    async def set_prefix(self, system: str) -> None:
        pass

    async def stream(self, *a, **k):  # noqa: ANN002, ANN003
        return
        yield


class ProbeSink(VirtualSink):
    """Notes the sink-clock time of the last non-silent sample it hands to the device."""

    last_loud = 0.0

    def _pull(self, frames: int, first_sample_time: float) -> np.ndarray:
        block = super()._pull(frames, first_sample_time)
        loud = np.flatnonzero(np.abs(block) > 1e-4)
        if loud.size:
            self.last_loud = first_sample_time + (loud[-1] + 1) / self.sample_rate
        return block


def pct(values: list[float], q: int) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000, 1)


class SlowPrefixLLM(NoLLM):
    """Caching a product's prompt takes `delay` s once the show is live (a busy real worker)."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.live = False

    async def set_prefix(self, system: str) -> None:
        if self.live:
            await asyncio.sleep(self.delay)


class CountingTTS(ToneTTS):
    """The tone voice, `delay` s per fragment, counting what it was asked to synthesize."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.texts: list[str] = []

    async def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        self.texts.append(text)
        await asyncio.sleep(self.delay)
        return await super().synthesize(text, lang)


def make(llm, tts, block: int) -> tuple[Show, ProbeSink]:  # noqa: ANN001
    sink = ProbeSink(RATE, block_s=block / RATE)
    parts = ShowParts(catalog=load_catalog(ASSETS / "catalog.toml"), persona=load_persona(ASSETS / "persona.toml"),
                      llm=llm, tts=tts, sink=sink, stage=LiveStage(7))
    return Show(parts, ShowSettings(auto_reply=False)), sink


async def playing(show: Show) -> None:
    while not (show.speaker.current and show.speaker.current.first_audio_at is not None):
        await asyncio.sleep(0.002)


async def cut_trials(n: int, block: int, rng: random.Random, switch_first: bool) -> dict:
    """Say a line, interrupt it at a random point (after a product switch whose prompt takes 2 s to
    cache, with `switch_first`); times on the sink clock."""
    llm = SlowPrefixLLM(2.0)
    show, sink = make(llm, ToneTTS(), block)
    sink.start()
    runner = asyncio.create_task(show.run())
    cut_ms, naive_ms, ack_ms = [], [], []
    products = [p.id for p in show.catalog.products]
    try:
        await show.ready.wait()
        llm.live = True
        for i in range(n):
            show.control(cmd.SayNow(LINE))
            await playing(show)
            handle = show.speaker.current
            await asyncio.sleep(rng.uniform(0.1, 0.5))
            t_cmd, w_cmd = sink.clock(), time.perf_counter()
            now_playing = next((pb for pb in handle.playbacks if pb.start is not None and pb.end is None), None)
            if switch_first:
                show.control(cmd.SwitchProduct(products[(i + 1) % len(products)]))
            show.control(cmd.Interrupt())
            await handle.wait()
            ack_ms.append((time.perf_counter() - w_cmd) * 1000)
            await asyncio.sleep(0.05)  # let any fade tail reach the device
            cut_ms.append((sink.last_loud - t_cmd) * 1000)
            if now_playing is not None:
                naive_ms.append((now_playing.start + len(now_playing.samples) / RATE - t_cmd) * 1000)
            assert not show.speaker.busy
    finally:
        runner.cancel()
        sink.stop()
    return {"interrupt_to_silence": stats(cut_ms), "within_100ms": sum(v <= 100 for v in cut_ms) / len(cut_ms),
            "scheduler_ack": stats(ack_ms), "reference_finish_current_fragment": stats(naive_ms),
            "speedup_p50_vs_reference": round(statistics.median(naive_ms) / max(1e-3, statistics.median(cut_ms)), 1)}


async def synthesis_after_cut(n: int, block: int) -> dict:
    """A 12-fragment typed line (150 ms of synthesis each), interrupted as soon as it is heard: how
    many fragments are still synthesized after the interrupt (the voice is shared with replies)."""
    line = " ".join(f"Sentence number {i} of the operator's long announcement is here." for i in range(1, 13))
    after, total = [], []
    for _ in range(n):
        tts = CountingTTS(delay=0.15)
        show, sink = make(NoLLM(), tts, block)
        sink.start()
        runner = asyncio.create_task(show.run())
        try:
            show.control(cmd.SayNow(line))
            await playing(show)
            show.control(cmd.Interrupt())
            at_cut = len(tts.texts)
            await asyncio.sleep(1.0)
            after.append(len(tts.texts) - at_cut)
            total.append(len(tts.texts))
        finally:
            runner.cancel()
            sink.stop()
    return {"fragments_in_line": 12, "synthesized_after_interrupt_p50": statistics.median(after),
            "synthesized_after_interrupt_max": max(after), "synthesized_total_p50": statistics.median(total),
            "trials": n}


def stats(v: list[float]) -> dict:
    return {"p50_ms": pct([x / 1000 for x in v], 50), "p95_ms": pct([x / 1000 for x in v], 95),
            "max_ms": round(max(v), 1), "n": len(v)}


async def run(n: int, block: int, seed: int) -> dict:
    rng = random.Random(seed)
    return {
        "bench": "interrupt", "interrupts": n, "block_frames": block, "sample_rate": RATE,
        "say_now_then_interrupt": await cut_trials(n, block, rng, switch_first=False),
        "product_switch_2s_prefix_then_interrupt": await cut_trials(n, block, rng, switch_first=True),
        "say_now_12_fragments_interrupted": await synthesis_after_cut(max(3, n // 10), block),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--block", type=int, default=512, help="device block in frames at 48 kHz")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print(json.dumps(asyncio.run(run(args.n, args.block, args.seed))))


if __name__ == "__main__":
    main()
