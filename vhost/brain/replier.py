"""One reply, from a viewer's message to audio in a speech handle.

LLM tokens stream into the sentence splitter; each fragment is checked against the catalog, then
synthesized while the LLM keeps writing, and pushed into the handle, which starts playing as soon
as the first (short) fragment is ready. Cancelling the task stops the LLM and the voice at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from vhost.brain.clients import LLMClient, TTSClient
from vhost.brain.grounding import check_grounding
from vhost.core.speech import SpeechHandle
from vhost.voice.splitter import SENTENCE_END, SentenceSplitter

log = logging.getLogger(__name__)

FALLBACK_LINE = {"en": "Good question, let me double-check that for you.", "zh": "好问题，我帮你确认一下。"}
MAX_SENTENCES = 2  # the persona speaks one or two sentences; the LLM is stopped after that


def welcome_line(user: str, lang: str) -> str:
    # Short on purpose: a long welcome delays the answer to the next real question.
    if lang == "zh":
        return f"欢迎{user}来到直播间！"
    return f"Hi {user}, welcome in!"


def strip_echo(fragment: str, question: str, user: str) -> str:
    """Small models sometimes start by repeating the viewer's name or question: drop that."""
    text = fragment.strip()
    for lead in ("（请用中文回答）", "(请用中文回答)"):  # our own zh lead-in (vhost.brain.prompt)
        if text.startswith(lead):
            text = text[len(lead):].lstrip()
    for label in (f"{user}:", f"{user}：", f"{user} says:", f"{user}说:", f"{user}说："):
        if user and text.startswith(label):
            text = text[len(label):].lstrip()
    q = question.strip()
    if q and text.startswith(q):
        text = text[len(q):].lstrip()
    return text


@dataclass
class ReplyTrace:
    """Timestamps (show clock) and facts about one reply, for the report and the benchmark."""

    chat_id: str
    chat_text: str
    user: str
    lang: str
    received_at: float
    picked_at: float = 0.0
    first_token_at: float | None = None
    first_fragment_at: float | None = None
    first_audio_ready_at: float | None = None
    reply_text: str = ""
    spoken_fragments: list[str] = field(default_factory=list)
    dropped_fragments: list[str] = field(default_factory=list)
    fallback: str | None = None  # said instead, when nothing the model wrote could be said
    mismatches: list[str] = field(default_factory=list)
    llm_stats: dict = field(default_factory=dict)
    tts_first_s: float | None = None
    error: str | None = None

    @property
    def said(self) -> str:
        """What was sent to the voice (the heard part may be shorter if interrupted)."""
        return " ".join(self.spoken_fragments) or (self.fallback or "")

    @property
    def grounded(self) -> bool:
        return not self.mismatches and bool(self.spoken_fragments)


async def speak_text(
    fragments: list[str], tts: TTSClient, handle: SpeechHandle, lang: str | None,
) -> None:
    """Synthesize fragments in order into a handle (the operator's typed lines take this path)."""
    for frag in fragments:
        await handle.push(await tts.synthesize(frag, lang))


class Replier:
    def __init__(
        self,
        llm: LLMClient,
        tts: TTSClient,
        clock: Callable[[], float],
        *,
        max_new_tokens: int = 60,
        first_fragment_words: int = 4,
    ) -> None:
        self.llm = llm
        self.tts = tts
        self.clock = clock
        self.max_new_tokens = max_new_tokens
        self.first_fragment_words = first_fragment_words

    async def reply(self, user_turn: str, trace: ReplyTrace, handle: SpeechHandle, product, catalog,
                    system: str | None = None) -> ReplyTrace:
        splitter = SentenceSplitter(first_fragment_words=self.first_fragment_words)
        fragments: asyncio.Queue[str | None] = asyncio.Queue()
        voice = asyncio.create_task(self._voice(fragments, trace, handle))
        try:
            sentences = 0
            stream = self.llm.stream(user_turn, max_new_tokens=self.max_new_tokens, system=system)
            try:
                async for delta in stream:
                    if trace.first_token_at is None:
                        trace.first_token_at = self.clock()
                    trace.reply_text += delta
                    for frag in splitter.push(delta):
                        self._offer(frag, trace, fragments, product, catalog)
                        sentences += frag.rstrip()[-1:] in SENTENCE_END
                    if sentences >= MAX_SENTENCES:
                        break
            finally:
                await stream.aclose()  # stops generation in the worker when we stop early
            for frag in splitter.flush():
                self._offer(frag, trace, fragments, product, catalog)
            trace.llm_stats = dict(getattr(self.llm, "last_stats", {}) or {})
            if not trace.spoken_fragments:
                # Nothing safe to say (all fragments failed the catalog check, or the model said
                # nothing): a neutral line beats silence, and the operator sees why.
                trace.fallback = FALLBACK_LINE.get(trace.lang, FALLBACK_LINE["en"])
                fragments.put_nowait(trace.fallback)
            fragments.put_nowait(None)
            await voice
        except BaseException:
            voice.cancel()
            raise
        finally:
            await handle.end_input(trace.error)
        return trace

    def _offer(self, frag: str, trace: ReplyTrace, fragments: asyncio.Queue, product, catalog) -> None:
        if not trace.spoken_fragments and not trace.dropped_fragments:
            frag = strip_echo(frag, trace.chat_text, trace.user)
            if not frag:
                return
        result = check_grounding(frag, product, catalog)
        if not result.grounded:
            trace.dropped_fragments.append(frag)
            trace.mismatches.extend(result.mismatches)
            log.warning("held back an ungrounded fragment %r: %s", frag, result.mismatches)
            return
        if trace.first_fragment_at is None:
            trace.first_fragment_at = self.clock()
        trace.spoken_fragments.append(frag)
        fragments.put_nowait(frag)

    async def _voice(self, fragments: asyncio.Queue, trace: ReplyTrace, handle: SpeechHandle) -> None:
        while (frag := await fragments.get()) is not None:
            t0 = time.perf_counter()
            chunk = await self.tts.synthesize(frag, trace.lang)
            if trace.first_audio_ready_at is None:
                trace.first_audio_ready_at = self.clock()
                trace.tts_first_s = time.perf_counter() - t0
            await handle.push(chunk)
