"""Timeline-scripted stand-ins for the LLM and the voice, with the same async shape as the real
worker clients (vhost.brain.clients). Delays are explicit so tests can reason about timing."""

from __future__ import annotations

import asyncio

import numpy as np

from vhost.base.audio_types import AudioChunk, VisemeSpan


class ScriptedLLM:
    def __init__(self, reply: str = "Hi there, this mug keeps drinks hot for six hours. Grab one today!",
                 first_token_delay: float = 0.1, token_delay: float = 0.02, fail_times: int = 0) -> None:
        self.reply = reply
        self.first_token_delay = first_token_delay
        self.token_delay = token_delay
        self.prefixes: list[str] = []
        self.requests: list[str] = []
        self.systems: list[str | None] = []
        self.histories: list[list[tuple[str, str]] | None] = []
        self.last_stats: dict = {}
        self.fail_times = fail_times
        self.cancelled = 0

    async def set_prefix(self, system: str) -> None:
        self.prefixes.append(system)

    async def stream(self, user_text: str, *, history=None, max_new_tokens: int = 64, system: str | None = None):
        from vhost.base.workers import WorkerCrashed

        self.requests.append(user_text)
        self.systems.append(system)
        self.histories.append(history)
        await asyncio.sleep(self.first_token_delay)
        if self.fail_times > 0:
            self.fail_times -= 1
            raise WorkerCrashed("llm worker died")
        words = self.reply.split(" ")
        try:
            for i, word in enumerate(words):
                yield word if i == 0 else " " + word
                await asyncio.sleep(self.token_delay)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        self.last_stats = {"decode_tokens": len(words)}


class ScriptedTTS:
    """Makes a tone whose length follows the text, with a mouth that opens and closes every 100 ms."""

    def __init__(self, delay: float = 0.05, sample_rate: int = 16000, seconds_per_char: float = 0.04,
                 fail_times: int = 0) -> None:
        self.fail_times = fail_times  # the next N syntheses crash, as a dying worker would
        self.delay = delay
        self.sample_rate = sample_rate
        self.seconds_per_char = seconds_per_char
        self.texts: list[str] = []
        self.langs: list[str | None] = []  # the language each text was asked in

    async def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        self.texts.append(text)
        self.langs.append(lang)
        await asyncio.sleep(self.delay)
        if self.fail_times > 0:
            from vhost.base.workers import WorkerCrashed

            self.fail_times -= 1
            raise WorkerCrashed("tts worker died")
        dur = max(0.1, len(text) * self.seconds_per_char)
        n = int(dur * self.sample_rate)
        t = np.arange(n) / self.sample_rate
        pcm = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
        visemes = [VisemeSpan(s, min(dur, s + 0.1), "AI" if i % 2 == 0 else "MBP")
                   for i, s in enumerate(np.arange(0, dur, 0.1))]
        return AudioChunk(pcm=pcm, sample_rate=self.sample_rate, text=text, visemes=visemes)


def tone(seconds: float, sample_rate: int = 16000, text: str = "tone") -> AudioChunk:
    n = int(seconds * sample_rate)
    pcm = (0.3 * np.sin(2 * np.pi * 220 * np.arange(n) / sample_rate)).astype(np.float32)
    return AudioChunk(pcm=pcm, sample_rate=sample_rate, text=text)
