"""Reply production: one viewer message to speech (auto) or to a draft card (manual/assisted).

Paths, cheapest first: a greeting gets an instant welcome line; the sales brain's fast path (an
FAQ answer from the catalog, or an injection deflected) needs no LLM; everything else streams
from the LLM through the replier's guard. Whatever a guard held goes to the operator's desk as a
draft with its reasons; nothing held is spoken. In manual/assisted mode every path ends as a draft.

`start(msg)` returns the task that produces the reply; the reply queue holds it as what is in
flight. A spoken reply's task belongs to its speech handle, so an interrupt cancels it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging

from vhost.base.events import OperatorWarning, ReplyStarted, UnansweredQuestion
from vhost.base.language import detect_language
from vhost.base.workers import WorkerCrashed, WorkerError
from vhost.brain.host import FastReply
from vhost.brain.phrasing import translate
from vhost.brain.prompt import build_user_turn
from vhost.chat.events import ChatMessage
from vhost.chat.triage import classify
from vhost.show.context import ReplyContext
from vhost.show.drafting import DraftDesk
from vhost.show.guarding import GuardedTTS, GuardHold, compose, run_guard
from vhost.show.on_air import OnAir
from vhost.show.ports import EventSink
from vhost.show.reply_queue import ReplyQueue
from vhost.speech.handle import PRIORITY_REPLY, SpeechHandle
from vhost.speech.replier import MAX_SENTENCES, Replier, ReplyTrace, speak_text, welcome_line
from vhost.speech.speaker import Speaker

log = logging.getLogger(__name__)

TRANSLATE_S = 6.0  # longer than this and the catalog's own words are said instead
MAX_ATTEMPTS = 3  # a crashed worker restarts and the question is tried again, up to this often


class ReplyFlow:
    def __init__(self, ctx: ReplyContext, queue: ReplyQueue, speaker: Speaker, desk: DraftDesk, on_air: OnAir,
                 emit: EventSink) -> None:
        self.ctx = ctx
        self.queue = queue
        self.speaker = speaker
        self.desk = desk
        self.on_air = on_air
        self.emit = emit
        self._failures: dict[str, int] = {}  # chat id -> failed attempts (a retry is bounded)

    def _warn(self, text: str) -> None:
        self.emit(OperatorWarning(text=text))

    def _failed(self, msg: ChatMessage, exc: Exception, what: str = "reply") -> None:
        """A worker failed this question: back to the front of the queue, the operator told. A
        question that keeps failing (the worker rejects this very request) is given up after
        MAX_ATTEMPTS and shown to the operator, so it cannot block every other viewer."""
        n = self._failures[msg.id] = self._failures.get(msg.id, 0) + 1
        if n < MAX_ATTEMPTS:
            self.queue.retry(msg)
            self._warn(f"{what} for {msg.user} failed ({exc}); question kept, will retry")
        else:
            del self._failures[msg.id]
            self._warn(f"{what} for {msg.user} failed {n} times ({exc}); not answered, their question: {msg.text!r}")

    def _fast(self, msg: ChatMessage, about, lang: str) -> FastReply | None:  # noqa: ANN001 - Product
        try:
            fast = self.ctx.brain.fast_reply(msg.text, msg.user, about, lang,
                                             users=self.queue.askers(msg), now=self.ctx.clock(),
                                             brief=bool(self.queue.waiting))
        except Exception:  # noqa: BLE001 - a broken FAQ/injection rule must not end the show
            log.exception("sales brain fast path failed; asking the LLM")
            return None
        if fast is None:
            return None
        if fast.reasons:
            self._warn(f"message from {msg.user}: {'; '.join(fast.reasons)}")
        if fast.unanswered:  # the catalog does not say: the operator can answer once, for good
            product = fast.decision.product if fast.decision and fast.decision.product else about
            self.emit(UnansweredQuestion(id=msg.id, user=msg.user, text=msg.text, product_id=product.id,
                                         lang=lang, at=self.ctx.clock(), said=fast.text))
        if run_guard(self.ctx.guard, fast.text, lang):
            return None  # the operator's own filter objects to the catalog answer: ask the LLM
        return fast

    def start(self, msg: ChatMessage) -> asyncio.Task:
        ctx = self.ctx
        lang = detect_language(msg.text)
        trace = ReplyTrace(msg.id, msg.text, msg.user, lang, msg.received_at, picked_at=ctx.clock())
        about = ctx.catalog.find_mentioned(msg.text) or self.on_air.product
        trace.about_id = about.id
        greeting = classify(msg.text) == "greeting"
        fast = None if greeting else self._fast(msg, about, lang)
        if greeting:
            trace.path = "greeting"
        elif fast is not None:
            trace.path = fast.path
            if fast.decision is not None and fast.decision.product is not None:
                trace.about_id = fast.decision.product.id
        # The viewer's name is in a welcome line: flagged (compliance, the operator's filter), it
        # waits on the desk as a draft, unsaid, whatever the mode.
        held_welcome = greeting and bool(ctx.line_reasons(welcome_line(msg.user, lang), lang, self.on_air.product))
        if self.desk.mode != "auto" or held_welcome:
            self.emit(ReplyStarted(chat_id=msg.id, user=msg.user, draft=True))
            return asyncio.create_task(self._draft(msg, trace, about, fast), name=f"draft-{msg.id}")
        self.emit(ReplyStarted(chat_id=msg.id, user=msg.user))
        meta = {"trace": trace, "chat": msg, "about_id": about.id}
        if fast is not None and fast.translate and ctx.llm is not None:
            # A fact in another language than the viewer's: the model translates it (checked),
            # else the catalog's own words are said.
            handle = self.speaker.open("reply", PRIORITY_REPLY, meta)
            product = fast.decision.product if fast.decision and fast.decision.product else about
            return handle.attach(self._translated(msg, trace, handle, fast, product), name=f"reply-{msg.id}")
        if greeting or fast is not None:
            # A hello needs no model (the small LLM rambles there); a catalog answer neither.
            line = welcome_line(msg.user, lang) if greeting else self._quick_start(fast, lang)
            return self._say_line(line, trace, msg, meta, quoted=fast.translate if fast else None).task
        # A question about another product than the one on screen is answered (and checked) with
        # that product's system prompt; the LLM keeps one cached prefix per product.
        handle = self.speaker.open("reply", PRIORITY_REPLY, meta)
        return handle.attach(self._produce(msg, trace, handle, about), name=f"reply-{msg.id}")

    async def _translated(self, msg: ChatMessage, trace: ReplyTrace, handle: SpeechHandle, fast: FastReply,
                          product) -> None:  # noqa: ANN001 - Product
        ctx = self.ctx
        line = fast.text
        try:
            out = await asyncio.wait_for(translate(ctx.llm, fast.translate or "", trace.lang, product, ctx.catalog,
                                                   embedder=ctx.brain.embedder),
                                         TRANSLATE_S)
            if out:
                line = ctx.brain.fact_line(out, fast.users, trace.lang)
        except (TimeoutError, WorkerCrashed, WorkerError) as exc:
            log.info("translation for %s not used (%s); the catalog's words instead", msg.id, exc)
        trace.reply_text = line
        frags, langs = self.speaker.parts(line, trace.lang, quoted=fast.translate or "")
        trace.spoken_fragments.extend(frags)
        trace.first_fragment_at = ctx.clock()
        try:
            await speak_text(frags, self.speaker.tts, handle, trace.lang, sink=self.speaker.sink, langs=langs,
                             hurry=self.speaker.hurry)
            trace.first_audio_ready_at = ctx.clock()
        except (WorkerCrashed, WorkerError) as exc:
            trace.error = str(exc)
            self._failed(msg, exc)
            handle.interrupt()
        finally:
            await handle.end_input(trace.error)

    def _quick_start(self, fast: FastReply, lang: str) -> str:
        """The answer prepared ahead but the asker's name not (a viewer's first question): where the
        voice would take longer for the name than it should (Speaker.slow_start), the name goes
        last, so the answer plays at once and the name is synthesized while it does
        ("30毫升。小鹿问的。")."""
        if not self.speaker.slow_start(fast.text, lang):
            return fast.text
        return self.ctx.brain.name_last(fast.text, fast.users, lang) or fast.text

    def _say_line(self, line: str, trace: ReplyTrace, msg: ChatMessage, meta: dict,
                  quoted: str | None = None) -> SpeechHandle:
        """A ready line (welcome, FAQ answer, deflection): no LLM, straight to the voice.
        `quoted`: the catalog's words in another language the line ends with, read in theirs."""
        trace.reply_text = line
        frags, langs = self.speaker.parts(line, trace.lang, quoted=quoted or "")
        trace.spoken_fragments.extend(frags)
        trace.first_fragment_at = self.ctx.clock()

        def failed(_h: SpeechHandle, exc: Exception) -> None:
            # As on the LLM path: a crashed voice never drops the question silently. A hello is
            # not worth a second try (it is stale by then); a question goes back to the front.
            trace.error = str(exc)
            if trace.path == "greeting":
                self._warn(f"welcome for {msg.user} not spoken ({exc})")
            else:
                self._failed(msg, exc)

        def synthesized(_h: SpeechHandle) -> None:
            trace.first_audio_ready_at = self.ctx.clock()

        return self.speaker.say(line, source="reply", priority=PRIORITY_REPLY, lang=trace.lang, meta=meta,
                                fragments=frags, on_error=failed, on_synthesized=synthesized, langs=langs)

    def _llm_turn(self, msg: ChatMessage, lang: str) -> str:
        # an injection in front of a real question is cut off before the model sees it
        return build_user_turn(dataclasses.replace(msg, text=self.ctx.brain.llm_question(msg.text)), lang)

    async def _draft(self, msg: ChatMessage, trace: ReplyTrace, about, fast: FastReply | None) -> None:  # noqa: ANN001
        """Manual/assisted: the whole reply as a draft card; nothing is synthesized yet."""
        ctx = self.ctx
        try:
            reasons, meta = None, None  # None: the desk runs the operator's guard on the text
            if trace.path == "greeting":
                text = trace.reply_text = welcome_line(msg.user, trace.lang)
                reasons = ctx.line_reasons(text, trace.lang, self.on_air.product)
            elif fast is not None:
                text = trace.reply_text = fast.text
                reasons = []  # `_fast` already ran the operator's filter on it (and it passed)
                meta = {"quoted": fast.translate} if fast.translate else None
            else:
                history = ctx.brain.history(msg.user, about, trace.lang, msg.user_id)
                text = await compose(ctx.llm, self._llm_turn(msg, trace.lang), trace, about, ctx.catalog,
                                     system=ctx.system(about), max_new_tokens=ctx.max_new_tokens,
                                     clock=ctx.clock, history=history, drop_unfinished_tail=True)
                if trace.compliance_reasons:
                    # the text is only what passed; the card still says why the rest was held
                    reasons = run_guard(ctx.guard, text, trace.lang) + trace.compliance_reasons
            self.desk.add(trace, msg, text, reasons=reasons, meta=meta)
        except asyncio.CancelledError:
            self.queue.retry(msg)  # shutdown or restart: never drop a question unanswered
            raise
        except (WorkerCrashed, WorkerError) as exc:
            trace.error = str(exc)
            self._failed(msg, exc, "draft")

    def _replier(self) -> Replier:
        ctx = self.ctx
        # With an operator's filter, a fresh guarded voice per reply records which fragments passed.
        tts = GuardedTTS(self.speaker.tts, ctx.guard) if ctx.guard is not None else self.speaker.tts
        replier = Replier(ctx.llm, tts, ctx.clock, max_new_tokens=ctx.max_new_tokens, sink=self.speaker.sink)
        replier.drop_unfinished_tail = True  # "... and it" cut by the token limit: unsaid
        # Other viewers waiting: one sentence, so the voice does not become the queue.
        replier.max_sentences = 1 if self.queue.waiting else MAX_SENTENCES
        replier.hurry = self.speaker.hurry
        return replier

    async def _produce(self, msg: ChatMessage, trace: ReplyTrace, handle: SpeechHandle, about) -> None:  # noqa: ANN001
        ctx = self.ctx
        replier = self._replier()
        try:
            history = ctx.brain.history(msg.user, about, trace.lang, msg.user_id)
            await replier.reply(self._llm_turn(msg, trace.lang), trace, handle, about, ctx.catalog,
                                system=ctx.system(about), history=history)
            if trace.compliance_reasons:
                # The replier said only what passed (or a refusal line); the held words wait for
                # the operator, with the reasons, on the desk.
                d = self.desk.add(trace, msg, " ".join(trace.dropped_fragments),
                                  reasons=trace.compliance_reasons + trace.mismatches, source="guard")
                handle.meta["held_draft"] = d.id
        except GuardHold as hold:
            # What passed the guard may already be heard; the rest waits for the operator. One
            # draft carries both the operator's filter's reasons and the replier's own.
            passed = replier.tts.passed
            rest = trace.spoken_fragments[len(passed):] or [hold.text]
            trace.spoken_fragments = list(passed)
            trace.fallback = None
            text = " ".join(trace.dropped_fragments + rest)
            d = self.desk.add(trace, msg, text, reasons=hold.reasons + trace.compliance_reasons, source="guard")
            handle.meta["held_draft"] = d.id
        except (WorkerCrashed, WorkerError) as exc:
            # The worker restarts on its own; the question goes back to the front of the queue.
            trace.error = str(exc)
            self._failed(msg, exc)
            handle.interrupt()
