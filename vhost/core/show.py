"""The show: chat in, replies out loud, operator commands first.

Wiring only — the parts do the work: triage picks what to answer, the replier turns a message into
audio, the scheduler plays speech, the live stage shows it. Operator commands arrive on the control
lane and are handled before any queued chat.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import asdict

from vhost.audio.playback import Playback
from vhost.audio.sinks import AudioSink
from vhost.avatar.pose import EMOTIONS
from vhost.brain.clients import LLMClient, TTSClient
from vhost.brain.prompt import build_system_prompt, build_user_turn
from vhost.brain.replier import Replier, ReplyTrace, speak_text, welcome_line
from vhost.chat.events import ChatMessage
from vhost.chat.triage import Triage, classify
from vhost.core import commands as cmd
from vhost.core.lanes import CONTROL, TwoLaneQueue
from vhost.core.speech import PRIORITY_OPERATOR, PRIORITY_REPLY, SpeechHandle, SpeechScheduler
from vhost.core.workers import WorkerCrashed, WorkerError
from vhost.stage.live import LiveStage
from vhost.voice.language import detect_language
from vhost.voice.splitter import SentenceSplitter

log = logging.getLogger(__name__)

EventSink = Callable[[str, dict], None]


class Show:
    def __init__(
        self,
        *,
        catalog,
        persona,
        llm: LLMClient,
        tts: TTSClient,
        sink: AudioSink,
        stage: LiveStage,
        triage: Triage | None = None,
        product_id: str | None = None,
        auto_reply: bool = True,
        on_event: EventSink | None = None,
        max_new_tokens: int = 60,
    ) -> None:
        self.catalog = catalog
        self.persona = persona
        self.llm = llm
        self.tts = tts
        self.sink = sink
        self.stage = stage
        self.triage = triage or Triage()
        self.product = catalog.get(product_id) if product_id else catalog.products[0]
        self.auto_reply = auto_reply
        self.emit = on_event or (lambda _kind, _data: None)
        self.lanes: TwoLaneQueue = TwoLaneQueue(data_maxsize=256)
        self.scheduler = SpeechScheduler(sink, on_playback=self._on_playback, on_finished=self._on_finished)
        self.replier = Replier(llm, tts, self.clock, max_new_tokens=max_new_tokens)
        self.recent: deque[ChatMessage] = deque(maxlen=6)
        self.replies: list[dict] = []  # finished replies, for the report
        self.spoken: list[dict] = []  # everything heard, with who asked for it
        self._retry: deque[ChatMessage] = deque()  # questions whose reply failed: answered first
        self._producing: asyncio.Task | None = None
        self._wake = asyncio.Event()
        self._prefix_ready = asyncio.Event()

    def clock(self) -> float:
        return self.sink.clock()

    # --- entry points --------------------------------------------------------------
    def control(self, command: cmd.Command) -> None:
        """Thread-unsafe: call on the show's loop (the UI bridge uses call_soon_threadsafe)."""
        self.lanes.put_control(command)

    async def offer_chat(self, msg: ChatMessage) -> None:
        await self.lanes.put_data(msg)

    async def run(self, chat: AsyncIterator[ChatMessage] | None = None) -> None:
        tasks = [
            asyncio.create_task(self.scheduler.run(), name="speech"),
            asyncio.create_task(self._dispatch(), name="dispatch"),
            asyncio.create_task(self._reply_loop(), name="replies"),
        ]
        if chat is not None:
            tasks.append(asyncio.create_task(self._intake(chat), name="intake"))
        self.stage.set_product(self.product, self.clock(), self.catalog.offer_seconds(self.product.id))
        try:
            await self._set_prefix()
            tasks.append(asyncio.create_task(self._warm_other_products(), name="warm"))
            await asyncio.gather(*tasks)
        finally:
            for t in tasks:
                t.cancel()
            if self._producing:
                self._producing.cancel()

    # --- loops ---------------------------------------------------------------------
    async def _intake(self, chat: AsyncIterator[ChatMessage]) -> None:
        async for msg in chat:
            await self.lanes.put_data(msg)

    async def _dispatch(self) -> None:
        while True:
            lane, event = await self.lanes.get()
            if lane == CONTROL:
                await self._handle_command(event)
            else:
                self._handle_chat(event)

    def _handle_chat(self, msg: ChatMessage) -> None:
        decision = self.triage.offer(msg)
        self.recent.append(msg)
        self.emit("chat", {"id": msg.id, "user": msg.user, "text": msg.text, "platform": msg.platform,
                           "received_at": msg.received_at, "accepted": decision.accepted,
                           "intent": decision.intent, "reason": decision.reason})
        self._wake.set()

    async def _reply_loop(self) -> None:
        await self._prefix_ready.wait()
        while True:
            self._wake.clear()
            # One reply in production at a time, and at most one more waiting to be heard: a
            # fresher question gets a fresher answer than one drafted long before it is spoken.
            if self.auto_reply and self._producing is None and len(self.scheduler.waiting) == 0:
                msg = self._retry.popleft() if self._retry else self.triage.next(self.clock())
                if msg is not None:
                    self._start_reply(msg)
                    continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=0.05)
            except TimeoutError:
                pass

    def _start_reply(self, msg: ChatMessage) -> None:
        lang = detect_language(msg.text)
        trace = ReplyTrace(msg.id, msg.text, msg.user, lang, msg.received_at, picked_at=self.clock())
        handle = SpeechHandle("reply", PRIORITY_REPLY, meta={"trace": trace, "chat": msg})
        self.scheduler.submit(handle)
        self.emit("reply_started", {"chat_id": msg.id, "user": msg.user})
        if classify(msg.text) == "greeting":
            # A hello needs no model: an instant, personal welcome (the small LLM rambles here).
            coro = self._welcome(msg, trace, handle)
        else:
            # A question about another product than the one on screen is answered (and checked)
            # with that product's system prompt; the LLM keeps one cached prefix per product.
            about = self.catalog.find_mentioned(msg.text) or self.product
            coro = self._produce(msg, build_user_turn(msg, lang), trace, handle, about)
        task = asyncio.create_task(coro, name=f"reply-{msg.id}")
        handle.on_interrupt(lambda _h: task.cancel())
        self._producing = task

    async def _welcome(self, msg: ChatMessage, trace: ReplyTrace, handle: SpeechHandle) -> None:
        line = welcome_line(msg.user, trace.lang)
        trace.reply_text = line
        trace.spoken_fragments.append(line)
        trace.first_fragment_at = self.clock()
        try:
            chunk = await self.tts.synthesize(line, trace.lang)
            trace.first_audio_ready_at = self.clock()
            await handle.push(chunk)
        except (WorkerCrashed, WorkerError) as exc:
            trace.error = str(exc)
        except asyncio.CancelledError:
            pass
        finally:
            await handle.end_input()
            self._reply_done()

    async def _produce(self, msg: ChatMessage, user_turn: str, trace: ReplyTrace, handle: SpeechHandle,
                       about) -> None:
        try:
            system = build_system_prompt(self.persona, about, self.catalog)
            await self.replier.reply(user_turn, trace, handle, about, self.catalog, system=system)
        except asyncio.CancelledError:
            pass
        except (WorkerCrashed, WorkerError) as exc:
            # The worker restarts on its own; the question goes back to the front of the queue.
            trace.error = str(exc)
            handle.interrupt()
            self._retry.append(msg)
            self.emit("warning", {"text": f"reply to {msg.user} failed ({exc}); question kept, will retry"})
        finally:
            self._reply_done()

    def _reply_done(self) -> None:
        """The LLM/voice side of a reply is over: the loop may start the next one."""
        self._producing = None
        self._wake.set()

    # --- operator --------------------------------------------------------------------
    async def _handle_command(self, c: cmd.Command) -> None:
        self.emit("command", {"command": type(c).__name__, **asdict(c)})
        if isinstance(c, cmd.Interrupt):
            self._flush()
        elif isinstance(c, cmd.SayNow):
            # interrupt -> flush -> say: after the flush nothing queued can overtake the new line.
            self._flush()
            handle = SpeechHandle("operator", PRIORITY_OPERATOR, meta={"text": c.text})
            self.scheduler.submit(handle)
            asyncio.create_task(self._say(c.text, handle))
        elif isinstance(c, cmd.SwitchProduct):
            self.product = self.catalog.get(c.product_id)
            self.stage.set_product(self.product, self.clock(), self.catalog.offer_seconds(self.product.id))
            self.emit("product", {"id": self.product.id, "name": self.product.name})
            await self._set_prefix()
        elif isinstance(c, cmd.SetAutoReply):
            self.auto_reply = c.enabled
            self.emit("auto_reply", {"enabled": c.enabled})
            self._wake.set()
        elif isinstance(c, cmd.SetMuted):
            self.sink.set_muted(c.muted)
            self.emit("muted", {"muted": c.muted})
        elif isinstance(c, cmd.SetEmotion):
            if c.emotion in EMOTIONS:
                self.stage.set_emotion(c.emotion)
            else:  # a bad value must never reach the painter: every frame would fail
                self.emit("warning", {"text": f"unknown emotion {c.emotion!r}; choose from {', '.join(EMOTIONS)}"})

    def _flush(self) -> None:
        self.scheduler.flush()
        if self._producing is not None:
            self._producing.cancel()

    async def _say(self, text: str, handle: SpeechHandle) -> None:
        splitter = SentenceSplitter(first_fragment_words=4)
        frags = splitter.push(text) + splitter.flush()
        try:
            await speak_text(frags, self.tts, handle, detect_language(text))
        except (WorkerCrashed, WorkerError) as exc:
            self.emit("warning", {"text": f"could not speak the typed line ({exc}); it is back in the box",
                                  "restore": text})
            handle.interrupt()
        finally:
            await handle.end_input()

    async def _set_prefix(self) -> None:
        system = build_system_prompt(self.persona, self.product, self.catalog)
        for attempt in range(3):
            try:
                await self.llm.set_prefix(system)
                break
            except WorkerCrashed:
                log.warning("LLM worker crashed while caching the prompt; retry %d", attempt + 1)
            except WorkerError as exc:
                # No LLM (missing model, failed load): the show goes on with typed lines only.
                self.auto_reply = False
                self.emit("warning", {"text": f"LLM unavailable ({exc}); auto-replies are off, say-now still works"})
                break
        self._prefix_ready.set()

    async def _warm_other_products(self) -> None:
        """Prefill every other product's prompt once, after the current one is live: later switches
        and questions about those products then cost no prefill on a viewer's clock."""
        for product in self.catalog.products:
            if product.id != self.product.id:
                try:
                    await self.llm.set_prefix(build_system_prompt(self.persona, product, self.catalog))
                    # leave the current product's prompt active
                    await self.llm.set_prefix(build_system_prompt(self.persona, self.product, self.catalog))
                except (WorkerCrashed, WorkerError):
                    return  # a cold prefix is only slower, never wrong

    # --- speech callbacks (on the loop) ---------------------------------------------
    def _on_playback(self, handle: SpeechHandle, pb: Playback) -> None:
        trace = handle.meta.get("trace")
        chat = handle.meta.get("chat")
        self.stage.add_playback(pb, question=(chat.user, chat.text) if chat else None)
        if trace is not None and len(handle.playbacks) == 1:
            self.emit("speaking", {"chat_id": trace.chat_id})

    def _on_finished(self, handle: SpeechHandle) -> None:
        trace: ReplyTrace | None = handle.meta.get("trace")
        record = {"source": handle.source, "heard_text": handle.heard_text, "interrupted": handle.interrupted,
                  "first_audio_at": handle.first_audio_at}
        self.spoken.append(record)
        if trace is not None:
            first = handle.first_audio_at
            rep = {
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
            }
            self.replies.append(rep)
            self.emit("reply", rep)
        else:
            self.emit("spoken", record)
