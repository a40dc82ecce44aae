"""The draft desk: writes replies without speaking them, and speaks them when the operator (or the
assisted timer) says so. Also the guard for auto mode: a fragment the guard flags is never voiced.

The non-speaking draft runs the replier's own drafting loop (vhost.brain.replier.checked_fragments):
the same sentence cap, unfinished-tail rule, echo stripping, per-fragment guard (numbers against the
catalog, language, compliance) and fallback line.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from vhost.brain.clients import LLMClient, TTSClient
from vhost.brain.replier import ReplyTrace, checked_fragments, speak_text
from vhost.core.drafts import Draft, DraftBook
from vhost.core.speech import PRIORITY_REPLY, SpeechHandle, SpeechScheduler
from vhost.core.workers import WorkerCrashed, WorkerError
from vhost.voice.splitter import SentenceSplitter
from vhost.voice.types import AudioChunk

log = logging.getLogger(__name__)

Guard = Callable[[str, str], list[str]]
Emit = Callable[[str, dict], None]


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


class DraftDesk:
    """Owns the draft book and speaks approved drafts through the scheduler."""

    def __init__(self, book: DraftBook, tts: TTSClient, scheduler: SpeechScheduler, emit: Emit,
                 clock: Callable[[], float], guard: Guard | None = None) -> None:
        self.book = book
        self.tts = tts
        self.scheduler = scheduler
        self.emit = emit
        self.clock = clock
        self.guard = guard
        # draft id -> (trace, chat message, extra handle meta: e.g. a script segment)
        self._ctx: dict[str, tuple[ReplyTrace, object, dict]] = {}
        self._tasks: set[asyncio.Task] = set()

    def publish(self, change: str, d: Draft, **extra) -> None:
        # `now` (show clock) lets a console draw the assisted countdown against `deadline`
        self.emit("draft", {"change": change, "draft": d.to_dict(), "now": self.clock(), **extra})

    def add(self, trace: ReplyTrace, msg, text: str, *, reasons: list[str] | None = None,
            source: str = "reply", meta: dict | None = None) -> Draft:
        """source: "reply", "guard" (held by a filter), "thanks" or "script" (quiet time; these
        speak under their own source and `meta["priority"]`, not as a reply)."""
        if reasons is None:
            reasons = run_guard(self.guard, text, trace.lang)
        d = self.book.add(chat_id=trace.chat_id, user=trace.user, chat_text=trace.chat_text, lang=trace.lang,
                          text=text, now=self.clock(), reasons=reasons, held_back=trace.dropped_fragments,
                          source=source)
        self._ctx[d.id] = (trace, msg, {"source": source, **(meta or {})})
        self.publish("created", d)
        return d

    # --- operator actions (raise DraftError on a bad id / state) ----------------------
    def approve(self, draft_id: str | None) -> Draft:
        d = self.book.approve(draft_id)
        self.publish("approved", d)
        self.speak(d)
        return d

    def edit(self, draft_id: str, text: str, approve: bool = False) -> Draft:
        d, before = self.book.edit(draft_id, text, self.clock())
        self.publish("edited", d, before=before, after=d.text)
        return self.approve(d.id) if approve else d

    def skip(self, draft_id: str | None) -> Draft:
        d = self.book.skip(draft_id)
        self._ctx.pop(d.id, None)
        self.publish("skipped", d)
        return d

    def pin(self, draft_id: str, pinned: bool) -> Draft:
        d = self.book.pin(draft_id, pinned)
        self.publish("pinned" if pinned else "unpinned", d)
        return d

    def hold(self, draft_id: str) -> Draft:
        d = self.book.hold(draft_id)
        self.publish("held", d)
        return d

    def tick(self, paused: bool) -> None:
        """Called often by the show's reply loop: expire stale drafts, speak assisted ones."""
        now = self.clock()
        for d in self.book.expire(now):
            self._ctx.pop(d.id, None)
            self.publish("expired", d)
        if not paused:
            for d in self.book.due(now):
                self.publish("approved", d, auto=True)
                self.speak(d)

    # --- speaking ---------------------------------------------------------------------
    def speak(self, d: Draft) -> SpeechHandle:
        trace, msg, extra = self._ctx.pop(d.id, (None, None, {}))
        if trace is None:
            trace = ReplyTrace(d.chat_id or d.id, d.chat_text, d.user, d.lang, d.created_at)
        splitter = SentenceSplitter(first_fragment_words=4)
        frags = splitter.push(d.text) + splitter.flush()
        trace.spoken_fragments = list(frags)
        trace.fallback = None
        extra = dict(extra)
        source = extra.pop("source", "reply")
        priority = extra.pop("priority", PRIORITY_REPLY)
        source = "reply" if source == "guard" else source
        handle = SpeechHandle(source, priority,
                              meta={"trace": trace, "chat": msg, "draft_id": d.id, "text": d.text, **extra})
        self.scheduler.submit(handle)
        task = asyncio.create_task(self._voice(frags, trace, handle), name=f"draft-{d.id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        handle.on_interrupt(lambda _h: task.cancel())
        return handle

    async def _voice(self, frags: list[str], trace: ReplyTrace, handle: SpeechHandle) -> None:
        try:
            if frags:
                trace.first_fragment_at = trace.first_fragment_at or self.clock()
            await speak_text(frags, self.tts, handle, trace.lang, sink=self.scheduler.sink)
            trace.first_audio_ready_at = trace.first_audio_ready_at or self.clock()
        except (WorkerCrashed, WorkerError) as exc:
            trace.error = str(exc)
            self.emit("warning", {"text": f"could not speak the approved draft ({exc})"})
            handle.interrupt()
        except asyncio.CancelledError:
            pass
        finally:
            await handle.end_input(trace.error)

    def finished(self, handle: SpeechHandle) -> None:
        draft_id = handle.meta.get("draft_id")
        if draft_id is None:
            return
        trace = handle.meta.get("trace")
        failed = bool(trace is not None and trace.error and not handle.heard_text)
        d = self.book.finished(draft_id, handle.heard_text, handle.interrupted, failed=failed)
        self.publish("failed" if failed else "spoken", d)
