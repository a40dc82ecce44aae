"""A voice serves the most important line first: between two fragments of the operator's typed
line (paced by what is still unheard) a viewer's reply does not take the voice; replies among
themselves still overlap; a line that stalls holds the rest back for at most HOLD_S."""

from __future__ import annotations

import asyncio

import numpy as np

from vhost.base.synth_priority import PriorityGate
from vhost.brain.clients import WorkerTTS
from vhost.speech.handle import PRIORITY_OPERATOR, PRIORITY_REPLY, SpeechHandle


class _Voice:
    """A worker's `call`: one request at a time, `synth_s` each, in the order they come."""

    def __init__(self, synth_s: float) -> None:
        self.synth_s, self.order = synth_s, []
        self._lock = asyncio.Lock()

    async def call(self, op: str, text: str, lang: str | None = None) -> dict:
        async with self._lock:
            await asyncio.sleep(self.synth_s)
            self.order.append(text)
        pcm = np.zeros(160, dtype=np.float32).tobytes()
        return {"pcm": pcm, "sr": 16000, "text": text, "phonemes": [], "visemes": [], "synth_s": self.synth_s}


async def _line(tts: WorkerTTS, priority: int, frags: list[str], start_s: float, pause_s: float) -> None:
    async def produce() -> None:
        for i, frag in enumerate(frags):
            if i:
                await asyncio.sleep(pause_s)  # the pacer: the first fragment is still playing
            await tts.synthesize(frag, "en")

    await asyncio.sleep(start_s)
    await SpeechHandle("operator" if priority == PRIORITY_OPERATOR else "reply", priority).attach(produce())


def _run(gate: bool) -> list[str]:
    async def go() -> list[str]:
        voice = _Voice(0.05)
        tts = WorkerTTS(voice)  # type: ignore[arg-type]
        if not gate:
            tts.gate = PriorityGate(hold_s=0.0)  # holds nothing back: arrival order
        await asyncio.gather(_line(tts, PRIORITY_OPERATOR, ["op-1", "op-2", "op-3"], 0.0, 0.08),
                             _line(tts, PRIORITY_REPLY, ["reply-1", "reply-2"], 0.01, 0.0))
        return voice.order

    return asyncio.run(go())


def test_a_reply_does_not_take_the_voice_between_the_operators_fragments() -> None:
    assert _run(gate=True) == ["op-1", "op-2", "op-3", "reply-1", "reply-2"]
    assert _run(gate=False)[:2] == ["op-1", "reply-1"]  # what happened before: the reply went between


def test_replies_of_one_priority_still_take_turns() -> None:
    async def go() -> list[str]:
        voice = _Voice(0.05)
        tts = WorkerTTS(voice)  # type: ignore[arg-type]
        await asyncio.gather(_line(tts, PRIORITY_REPLY, ["a-1", "a-2"], 0.0, 0.08),
                             _line(tts, PRIORITY_REPLY, ["b-1", "b-2"], 0.01, 0.0))
        return voice.order

    order = asyncio.run(go())
    assert order.index("b-1") < order.index("a-2")  # b is synthesized while a's first fragment plays


def test_a_stalled_line_holds_the_rest_back_only_for_a_while() -> None:
    async def go() -> tuple[list[str], float]:
        voice = _Voice(0.01)
        tts = WorkerTTS(voice)  # type: ignore[arg-type]
        tts.gate = PriorityGate(hold_s=0.3)
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        stalled = asyncio.create_task(_line(tts, PRIORITY_OPERATOR, ["op-1", "op-2"], 0.0, 30.0))
        await _line(tts, PRIORITY_REPLY, ["reply-1"], 0.02, 0.0)
        waited = loop.time() - t0
        stalled.cancel()
        return voice.order, waited

    order, waited = asyncio.run(go())
    assert order == ["op-1", "reply-1"] and 0.25 <= waited < 2.0, (order, waited)
