"""Guards on what is about to be said: the operator's own filter (`Guard`), the guarded voice for
auto mode (a fragment the guard flags is never voiced), and `compose`, the whole reply as text for
a draft card.

The non-speaking draft runs the replier's own drafting loop (vhost.speech.replier.checked_fragments):
the same sentence cap, unfinished-tail rule, echo stripping, per-fragment guard (numbers against the
catalog, language, compliance) and fallback line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from vhost.base.audio_types import AudioChunk
from vhost.brain.clients import LLMClient, TTSClient
from vhost.speech.replier import ReplyTrace, checked_fragments

log = logging.getLogger(__name__)

Guard = Callable[[str, str], list[str]]


def run_guard(guard: Guard | None, text: str, lang: str) -> list[str]:
    """The guard's reasons; a guard that crashes holds the text (fail closed, never fail loud)."""
    if guard is None or not text.strip():
        return []
    try:
        return [str(r) for r in (guard(text, lang) or [])]
    except Exception as exc:  # noqa: BLE001 - any bug in a filter must hold, not speak
        log.exception("guard failed")
        return [f"guard failed: {exc}"]


class GuardHold(Exception):
    """Raised by GuardedTTS instead of synthesizing a flagged fragment; stops the reply."""

    def __init__(self, text: str, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.text = text
        self.reasons = reasons


class GuardedTTS:
    """Wraps the voice for one auto reply: each fragment passes the guard before synthesis."""

    def __init__(self, tts: TTSClient, guard: Guard) -> None:
        self.tts = tts
        self.guard = guard
        self.passed: list[str] = []

    async def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        reasons = run_guard(self.guard, text, lang or "en")
        if reasons:
            raise GuardHold(text, reasons)
        self.passed.append(text)
        return await self.tts.synthesize(text, lang)


async def compose(llm: LLMClient, user_turn: str, trace: ReplyTrace, product, catalog, *, system: str,
                  max_new_tokens: int, clock: Callable[[], float], first_fragment_words: int = 4,
                  history: list[tuple[str, str]] | None = None, drop_unfinished_tail: bool = False) -> str:
    """The whole reply as text, through the live replier's own drafting loop (same cap, tail
    rule, guard, fallback), nothing synthesized. Held fragments stay in `trace.dropped_fragments`
    with their reasons."""
    async for _said in checked_fragments(llm, user_turn, trace, product, catalog, system=system,
                                         max_new_tokens=max_new_tokens, clock=clock,
                                         first_fragment_words=first_fragment_words, history=history,
                                         drop_unfinished_tail=drop_unfinished_tail):
        pass
    return trace.said
