"""The show talks to the LLM and the voice through these two small async interfaces. The real
ones forward to worker processes; tests pass scripted ones with the same shape."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from vhost.base.audio_types import AudioChunk
from vhost.base.synth_priority import PriorityGate
from vhost.base.workers import WorkerClient
from vhost.voice.tts_worker import decode_chunk


class LLMClient(Protocol):
    async def set_prefix(self, system: str) -> None: ...

    def stream(self, user_text: str, *, history: list[tuple[str, str]] | None = None,
               max_new_tokens: int = 64, system: str | None = None) -> AsyncIterator[str]: ...

    last_stats: dict


class TTSClient(Protocol):
    async def synthesize(self, text: str, lang: str | None = None) -> AudioChunk: ...


class WorkerLLM:
    def __init__(self, worker: WorkerClient, temperature: float = 0.6) -> None:
        self.worker = worker
        self.temperature = temperature
        self.last_stats: dict = {}

    async def set_prefix(self, system: str) -> None:
        await self.worker.call("prefix", system=system)

    async def stream(self, user_text: str, *, history: list[tuple[str, str]] | None = None,
                     max_new_tokens: int = 64, system: str | None = None) -> AsyncIterator[str]:
        async for msg in self.worker.request(
            "generate", user_text=user_text, history=history, max_new_tokens=max_new_tokens,
            temperature=self.temperature, system=system,
        ):
            if msg["type"] == "token":
                yield msg["text"]
            elif msg["type"] == "done":
                self.last_stats = msg.get("stats", {})


class WorkerTTS:
    def __init__(self, worker: WorkerClient) -> None:
        self.worker = worker
        self.last_synth_s = 0.0
        self.gate = PriorityGate()  # the operator's line first (vhost.base.synth_priority)

    async def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        async with self.gate.turn():
            msg = await self.worker.call("synth", text=text, lang=lang)
        self.last_synth_s = msg.get("synth_s", 0.0)
        return decode_chunk(msg)
