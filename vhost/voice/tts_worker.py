"""The voice's worker process: engines load once; each request synthesizes one fragment."""

from __future__ import annotations

import time

import numpy as np

from vhost.core.workers import WorkerContext
from vhost.voice.types import AudioChunk, PhonemeTiming, VisemeSpan


class TTSWorker:
    def __init__(self, ctx: WorkerContext, use_piper: bool = True, threads: int = 1) -> None:
        from vhost.voice.espeak_engine import EspeakEngine
        from vhost.voice.router import VoiceRouter

        self._ctx = ctx
        primary = None
        if use_piper:
            from vhost.voice.piper_engine import PiperEngine

            primary = PiperEngine(threads=threads)
        self.router = VoiceRouter(primary, EspeakEngine())
        self.router.warmup()

    def handle(self, req: dict) -> None:
        if req["op"] != "synth":
            raise ValueError(f"unknown op {req['op']!r}")
        t0 = time.perf_counter()
        chunk = self.router.synthesize(req["text"], req.get("lang"))
        msg = encode_chunk(chunk)
        msg.update(
            {"id": req["id"], "type": "audio", "synth_s": time.perf_counter() - t0, "final": True}
        )
        self.ctx_send(msg)

    def ctx_send(self, msg: dict) -> None:  # split out so tests can drive handle() directly
        self._ctx.send(msg)


def encode_chunk(chunk: AudioChunk) -> dict:
    return {
        "pcm": np.asarray(chunk.pcm, dtype=np.float32).tobytes(),
        "sr": chunk.sample_rate,
        "text": chunk.text,
        "phonemes": [(p.phoneme, p.start, p.duration) for p in chunk.phonemes],
        "visemes": [(v.start, v.end, v.viseme) for v in chunk.visemes],
        "engine": getattr(chunk, "engine", ""),
    }


def decode_chunk(msg: dict) -> AudioChunk:
    return AudioChunk(
        pcm=np.frombuffer(msg["pcm"], dtype=np.float32),
        sample_rate=msg["sr"],
        text=msg["text"],
        phonemes=[PhonemeTiming(*p) for p in msg["phonemes"]],
        visemes=[VisemeSpan(*v) for v in msg["visemes"]],
    )
