"""Reply production: one viewer message to speech (auto) or to a draft card (manual/assisted).

Paths, cheapest first: a greeting gets an instant welcome line; the sales brain's fast path (an
FAQ answer from the catalog, or an injection deflected) needs no LLM; everything else streams
from the LLM through the replier's guard. Whatever a guard held goes to the operator's desk as a
draft with its reasons; nothing held is spoken. In manual/assisted mode every path ends as a draft.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from typing import TYPE_CHECKING

from vhost.brain.prompt import build_system_prompt, build_user_turn
from vhost.brain.replier import Replier, ReplyTrace, speak_text, welcome_line
from vhost.chat.events import ChatMessage
from vhost.chat.triage import classify
from vhost.core.drafting import GuardedTTS, GuardHold, compose, run_guard
from vhost.core.speech import PRIORITY_REPLY, SpeechHandle
from vhost.core.workers import WorkerCrashed, WorkerError
from vhost.voice.language import detect_language
from vhost.voice.splitter import SentenceSplitter

if TYPE_CHECKING:
    from vhost.brain.host import FastReply
    from vhost.core.show import Show

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # a crashed worker restarts and the question is tried again, up to this often


def split_line(text: str) -> list[str]:
    """A ready line in speakable fragments (a short first one, so audio starts early)."""
    splitter = SentenceSplitter(first_fragment_words=4)
    return splitter.push(text) + splitter.flush()


def reply_record(trace: ReplyTrace, handle: SpeechHandle) -> dict:
    """The finished reply as the report, the console and the session record see it."""
    first = handle.first_audio_at
    return {
        "chat_id": trace.chat_id, "user": trace.user, "chat_text": trace.chat_text, "lang": trace.lang,
        "reply_text": trace.said, "fallback": trace.fallback is not None,
        "draft_text": trace.reply_text.strip(), "heard_text": handle.heard_text,
        "received_at": trace.received_at, "picked_at": trace.picked_at,
        "first_token_at": trace.first_token_at, "first_fragment_at": trace.first_fragment_at,
        "first_audio_ready_at": trace.first_audio_ready_at, "first_audio_at": first,
        "latency_s": (first - trace.received_at) if first is not None else None,
        "grounded": trace.grounded, "held_back": trace.dropped_fragments, "mismatches": trace.mismatches,
        "interrupted": handle.interrupted, "error": trace.error, "llm": trace.llm_stats,
        "tts_first_s": trace.tts_first_s,
        "draft_id": handle.meta.get("draft_id") or handle.meta.get("held_draft"),
        "corrections": trace.corrections, "compliance": trace.compliance_reasons,
        "emotion": trace.emotion, "path": trace.path,
        # which voice really spoke it (a Mandarin reply should say "kokoro", not a fallback)
        "voice_engines": sorted({getattr(pb.chunk, "engine", "") or "?" for pb in handle.playbacks}),
    }


class ReplyFlow:
    """Starts and runs replies for a show; the show keeps the single `_producing` task."""

    def __init__(self, show: Show) -> None:
        self.show = show
        self._failures: dict[str, int] = {}  # chat id -> failed attempts (a retry is bounded)

    def _failed(self, msg: ChatMessage, exc: Exception, what: str = "reply") -> None:
        """A worker failed this question: back to the front of the queue, the operator told. A
        question that keeps failing (the worker rejects this very request) is given up after
        MAX_ATTEMPTS and shown to the operator, so it cannot block every other viewer."""
        show = self.show
        n = self._failures[msg.id] = self._failures.get(msg.id, 0) + 1
        if n < MAX_ATTEMPTS:
            show._retry.append(msg)
            show.emit("warning", {"text": f"{what} for {msg.user} failed ({exc}); question kept, will retry"})
        else:
            del self._failures[msg.id]
            show.emit("warning", {"text": f"{what} for {msg.user} failed {n} times ({exc}); not answered, "
                                          f"their question: {msg.text!r}"})

    def _fast(self, msg: ChatMessage, about, lang: str) -> FastReply | None:
        show = self.show
        try:
            fast = show.brain.fast_reply(msg.text, msg.user, about, lang)
        except Exception:  # noqa: BLE001 - a broken FAQ/injection rule must not end the show
            log.exception("sales brain fast path failed; asking the LLM")
            return None
        if fast is None:
            return None
        if fast.reasons:
            show.emit("warning", {"text": f"message from {msg.user}: {'; '.join(fast.reasons)}"})
        if run_guard(show.guard, fast.text, lang):
            return None  # the operator's own filter objects to the catalog answer: ask the LLM
        return fast

    def start(self, msg: ChatMessage) -> asyncio.Task:
        show = self.show
        lang = detect_language(msg.text)
        trace = ReplyTrace(msg.id, msg.text, msg.user, lang, msg.received_at, picked_at=show.clock())
        about = show.catalog.find_mentioned(msg.text) or show.product
        trace.about_id = about.id
        greeting = classify(msg.text) == "greeting"
        fast = None if greeting else self._fast(msg, about, lang)
        if greeting:
            trace.path = "greeting"
        elif fast is not None:
            trace.path = fast.path
        # The viewer's name is in a welcome line: flagged (compliance, the operator's filter), it
        # waits on the desk as a draft, unsaid, whatever the mode.
        held_welcome = greeting and bool(show.line_reasons(welcome_line(msg.user, lang), lang))
        if show.mode != "auto" or held_welcome:
            show.emit("reply_started", {"chat_id": msg.id, "user": msg.user, "draft": True})
            return asyncio.create_task(self._draft(msg, trace, about, fast), name=f"draft-{msg.id}")
        handle = SpeechHandle("reply", PRIORITY_REPLY, meta={"trace": trace, "chat": msg, "about_id": about.id})
        show.scheduler.submit(handle)
        show.emit("reply_started", {"chat_id": msg.id, "user": msg.user})
        if greeting:
            # A hello needs no model: an instant, personal welcome (the small LLM rambles here).
            coro = self._speak_line(welcome_line(msg.user, lang), trace, handle, msg)
        elif fast is not None:
            coro = self._speak_line(fast.text, trace, handle, msg)
        else:
            # A question about another product than the one on screen is answered (and checked)
            # with that product's system prompt; the LLM keeps one cached prefix per product.
            coro = self._produce(msg, trace, handle, about)
        task = asyncio.create_task(coro, name=f"reply-{msg.id}")
        handle.on_interrupt(lambda _h: task.cancel())
        return task

    def _llm_turn(self, msg: ChatMessage, lang: str) -> str:
        # an injection in front of a real question is cut off before the model sees it
        return build_user_turn(dataclasses.replace(msg, text=self.show.brain.llm_question(msg.text)), lang)

    async def _draft(self, msg: ChatMessage, trace: ReplyTrace, about, fast: FastReply | None) -> None:
        """Manual/assisted: the whole reply as a draft card; nothing is synthesized yet."""
        show = self.show
        try:
            reasons = None  # None: the desk runs the show's guard on the text
            if trace.path == "greeting":
                text = trace.reply_text = welcome_line(msg.user, trace.lang)
                reasons = show.line_reasons(text, trace.lang)
            elif fast is not None:
                text = trace.reply_text = fast.text
                reasons = []  # `_fast` already ran the operator's filter on it (and it passed)
            else:
                system = build_system_prompt(show.persona, about, show.catalog)
                history = show.brain.history(msg.user, about, trace.lang, msg.user_id)
                text = await compose(show.llm, self._llm_turn(msg, trace.lang), trace, about, show.catalog,
                                     system=system, max_new_tokens=show.max_new_tokens, clock=show.clock,
                                     history=history, drop_unfinished_tail=show.replier.drop_unfinished_tail)
                if trace.compliance_reasons:
                    # the text is only what passed; the card still says why the rest was held
                    reasons = run_guard(show.guard, text, trace.lang) + trace.compliance_reasons
            show.desk.add(trace, msg, text, reasons=reasons)
        except asyncio.CancelledError:
            show._retry.append(msg)  # shutdown or restart: never drop a question unanswered
        except (WorkerCrashed, WorkerError) as exc:
            trace.error = str(exc)
            self._failed(msg, exc, "draft")
        finally:
            show._reply_done()

    async def _speak_line(self, line: str, trace: ReplyTrace, handle: SpeechHandle, msg: ChatMessage) -> None:
        """A ready line (welcome, FAQ answer, deflection): no LLM, straight to the voice."""
        show = self.show
        trace.reply_text = line
        frags = split_line(line)
        trace.spoken_fragments.extend(frags)
        trace.first_fragment_at = show.clock()
        try:
            await speak_text(frags, show.tts, handle, trace.lang, sink=show.sink)
            trace.first_audio_ready_at = show.clock()
        except (WorkerCrashed, WorkerError) as exc:
            # As on the LLM path: a crashed voice never drops the question silently. A hello is
            # not worth a second try (it is stale by then); a question goes back to the front.
            trace.error = str(exc)
            if trace.path == "greeting":
                show.emit("warning", {"text": f"welcome for {msg.user} not spoken ({exc})"})
            else:
                self._failed(msg, exc)
        except asyncio.CancelledError:
            pass
        finally:
            await handle.end_input(trace.error)
            show._reply_done()

    def _replier(self) -> Replier:
        show = self.show
        if show.guard is None:
            return show.replier
        # A fresh guarded voice per reply: it records which fragments passed the guard.
        replier = Replier(show.llm, GuardedTTS(show.tts, show.guard), show.clock,
                          max_new_tokens=show.max_new_tokens, sink=show.sink)
        replier.drop_unfinished_tail = show.replier.drop_unfinished_tail
        return replier

    async def _produce(self, msg: ChatMessage, trace: ReplyTrace, handle: SpeechHandle, about) -> None:
        show = self.show
        replier = self._replier()
        try:
            system = build_system_prompt(show.persona, about, show.catalog)
            history = show.brain.history(msg.user, about, trace.lang, msg.user_id)
            await replier.reply(self._llm_turn(msg, trace.lang), trace, handle, about, show.catalog,
                                system=system, history=history)
            if trace.compliance_reasons:
                # The replier said only what passed (or a refusal line); the held words wait for
                # the operator, with the reasons, on the desk.
                d = show.desk.add(trace, msg, " ".join(trace.dropped_fragments),
                                  reasons=trace.compliance_reasons + trace.mismatches, source="guard")
                handle.meta["held_draft"] = d.id
        except asyncio.CancelledError:
            pass
        except GuardHold as hold:
            # What passed the guard may already be heard; the rest waits for the operator. One
            # draft carries both the operator's filter's reasons and the replier's own.
            passed = replier.tts.passed
            rest = trace.spoken_fragments[len(passed):] or [hold.text]
            trace.spoken_fragments = list(passed)
            trace.fallback = None
            text = " ".join(trace.dropped_fragments + rest)
            d = show.desk.add(trace, msg, text, reasons=hold.reasons + trace.compliance_reasons, source="guard")
            handle.meta["held_draft"] = d.id
        except (WorkerCrashed, WorkerError) as exc:
            # The worker restarts on its own; the question goes back to the front of the queue.
            trace.error = str(exc)
            handle.interrupt()
            self._failed(msg, exc)
        finally:
            show._reply_done()
