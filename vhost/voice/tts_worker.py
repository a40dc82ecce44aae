"""The voice's worker process: engines load once; each request synthesizes one fragment."""

from __future__ import annotations

import os
import time

import numpy as np

from vhost.base.audio_types import AudioChunk, PhonemeTiming, VisemeSpan
from vhost.base.workers import WorkerContext


class TTSWorker:
    """`voice` is a `VoiceConfig` as a dict (what `start_workers` passes); without it the older
    `use_piper`/`threads` flags pick Piper (English) + Kokoro (Mandarin) or espeak-ng alone."""

    def __init__(
        self, ctx: WorkerContext, voice: dict | None = None, use_piper: bool = True, threads: int = 1,
        nice: int = 0,
    ) -> None:
        from vhost.voice.config import VoiceConfig
        from vhost.voice.factory import build_router

        if nice:  # the background voice that prepares lines ahead: it only uses idle CPU
            os.nice(nice)
        self._ctx = ctx
        cfg = (VoiceConfig.model_validate(voice) if voice is not None
               else VoiceConfig(engine="piper" if use_piper else "espeak", threads=threads))
        ctx.status("loading voices")
        built = build_router(cfg, warmup=True)
        self.router = built.router
        self.warnings = built.warnings
        for warning in built.warnings:  # e.g. "voice kokoro unavailable (...)": the operator sees it
            ctx.status(warning)

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
        "engine": chunk.engine,
        "voice": chunk.voice,
        "warning": chunk.warning,
    }


def decode_chunk(msg: dict) -> AudioChunk:
    return AudioChunk(
        pcm=np.frombuffer(msg["pcm"], dtype=np.float32),
        sample_rate=msg["sr"],
        text=msg["text"],
        phonemes=[PhonemeTiming(*p) for p in msg["phonemes"]],
        visemes=[VisemeSpan(*v) for v in msg["visemes"]],
        engine=msg.get("engine", ""),
        voice=msg.get("voice", ""),
        warning=msg.get("warning", ""),
    )
