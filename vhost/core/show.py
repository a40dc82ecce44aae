"""The show: chat in, replies out loud, operator commands first.

Wiring only — the parts do the work: the sales brain (vhost.brain.host) notes every chat event
(memory, interest, gifts), triage picks what to answer, the reply flow (vhost.core.reply_flow) turns
a message into audio (auto mode) or into a draft the operator approves (manual/assisted), quiet time
(vhost.core.quiet_time) thanks supporters and runs the script loop when no one waits, the
scheduler plays speech, the live stage shows it. Operator commands arrive on the control lane and
are handled before any queued chat. Event shapes: see vhost/core/drafts.py.
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
from vhost.brain.host import ShowBrain
from vhost.brain.prompt import build_system_prompt
from vhost.brain.replier import Replier, ReplyTrace, speak_text
from vhost.chat.events import ChatMessage
from vhost.chat.triage import Triage
from vhost.core import commands as cmd
from vhost.core.drafting import DraftDesk, Guard, run_guard
from vhost.core.drafts import DraftBook, DraftError
from vhost.core.lanes import CONTROL, TwoLaneQueue
from vhost.core.quiet_time import QuietTime
from vhost.core.reply_flow import ReplyFlow, reply_record
from vhost.core.speech import PRIORITY_OPERATOR, SpeechHandle, SpeechScheduler
from vhost.core.workers import WorkerCrashed, WorkerError
from vhost.stage.live import LiveStage
from vhost.voice.language import detect_language
from vhost.voice.splitter import SentenceSplitter

log = logging.getLogger(__name__)

EventSink = Callable[[str, dict], None]
MAX_PENDING_DRAFTS = 4  # drafting further ahead answers questions that are stale when approved


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
        mode: str = "auto",
        assisted_delay_s: float = 8.0,
        draft_ttl_s: float = 180.0,
        guard: Guard | None = None,
        brain: ShowBrain | None = None,
        script_after_s: float = 6.0,
        script_in_manual: bool = False,
    ) -> None:
        """brain: the sales brain (default: one for `catalog`/`persona`). script_after_s: silence
        before the script loop speaks. script_in_manual: in manual/assisted mode, offer script
        segments as drafts (off: only thanks lines are drafted there)."""
        self.catalog = catalog
        self.persona = persona
        self.llm = llm
        self.tts = tts
        self.sink = sink
        self.stage = stage
        self.triage = triage or Triage()
        if getattr(self.triage, "on_decision", "absent") is None:
            # every triage decision (queued, merged, dispatched, stale...) reaches the console/record
            self.triage.on_decision = lambda d: self.emit("triage", d.to_event())
        self.product = catalog.get(product_id) if product_id else catalog.products[0]
        self.auto_reply = auto_reply
        self.emit = on_event or (lambda _kind, _data: None)
        self.lanes: TwoLaneQueue = TwoLaneQueue(data_maxsize=256)
        self.scheduler = SpeechScheduler(sink, on_playback=self._on_playback, on_finished=self._on_finished)
        self.max_new_tokens = max_new_tokens
        self.replier = Replier(llm, tts, self.clock, max_new_tokens=max_new_tokens, sink=sink)
        self.replier.drop_unfinished_tail = True  # "... and it" cut by the token limit: unsaid
        self.guard = guard
        self.brain = brain or ShowBrain(catalog, persona)
        self.desk = DraftDesk(DraftBook(mode, assisted_delay_s, draft_ttl_s), tts, self.scheduler, self.emit,
                              self.clock, guard)
        self.emotion = "neutral"
        self.recent: deque[ChatMessage] = deque(maxlen=6)
        self.replies: list[dict] = []  # finished replies, for the report
        self.spoken: list[dict] = []  # everything heard, with who asked for it
        self._voice_warnings: set[str] = set()  # each voice fallback is told to the operator once
        self._quiet_failed = False  # told the operator once that quiet time is broken
        self._retry: deque[ChatMessage] = deque()  # questions whose reply failed: answered first
        self._producing: asyncio.Task | None = None
        self._wake = asyncio.Event()
        self._prefix_ready = asyncio.Event()
        self.flow = ReplyFlow(self)
        self.quiet = QuietTime(self, after_s=script_after_s, in_manual=script_in_manual)

    def clock(self) -> float:
        return self.sink.clock()

    def line_reasons(self, text: str, lang: str) -> list[str]:
        """Why a ready line (welcome, thanks, script segment) must not be spoken as it is: the
        brain's compliance rules for the product on screen (viewer names are in some of these
        lines), then the operator's own filter. LLM text and FAQ answers get the compliance
        check per fragment in the replier (vhost.brain.guard), so it is not repeated there."""
        try:
            reasons = self.brain.guard(text, lang, self.product)
        except Exception as exc:  # noqa: BLE001 - a rule bug holds the line, never speaks it
            log.exception("compliance check failed")
            reasons = [f"compliance check failed: {exc}"]
        return reasons + run_guard(self.guard, text, lang)

    @property
    def mode(self) -> str:
        return self.desk.book.mode

    def state(self) -> dict:
        cur = self.scheduler.current
        speaking = None
        if cur is not None:
            trace = cur.meta.get("trace")
            speaking = {"source": cur.source, "text": trace.said if trace else cur.meta.get("text", "")}
        return {"mode": self.mode, "auto_reply": self.auto_reply, "muted": bool(self.sink.queue.muted),
                "product": {"id": self.product.id, "name": self.product.name}, "emotion": self.emotion,
                "speaking": speaking, "pending_drafts": len(self.desk.book.pending), "clock": self.clock()}

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
            self.quiet.close()

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
        if msg.kind != "withdraw":
            try:
                # memory, product interest, and gifts/paid/memberships queued for one thanks line
                # (the brain is the only thanker: triage's own event list is not drained for it)
                rec = self.brain.on_chat(msg, self.clock(), self.product.id)
            except Exception:  # noqa: BLE001 - a brain bug must not lose the message below
                log.exception("sales brain failed on a chat event")
                rec = None
            if rec:
                self.emit("recommendation", rec)
        decision = self.triage.offer(msg)
        self.recent.append(msg)
        self.emit("chat", {"id": msg.id, "user": msg.user, "text": msg.text, "platform": msg.platform,
                           "received_at": msg.received_at, "kind": msg.kind, "amount": msg.amount,
                           "currency": msg.currency, **decision.to_event()})
        self._wake.set()

    async def _reply_loop(self) -> None:
        await self._prefix_ready.wait()
        while True:
            self._wake.clear()
            self.desk.tick(paused=not self.auto_reply)
            try:
                self.quiet.tick()
            except Exception as exc:  # noqa: BLE001 - a thanks/script bug must not stop the replies
                if not self._quiet_failed:
                    log.exception("quiet time failed")
                    self.emit("warning", {"text": f"thanks/script lines failed ({exc}); replies go on"})
                self._quiet_failed = True
            # One reply in production at a time, and at most one more waiting to be heard: a
            # fresher question gets a fresher answer than one drafted long before it is spoken.
            # Drafting (manual/assisted) only waits for room on the operator's desk.
            if self.mode == "auto":
                room = len(self.scheduler.waiting) == 0
            else:
                room = sum(not d.pinned for d in self.desk.book.pending) < MAX_PENDING_DRAFTS
            if self.auto_reply and self._producing is None and room:
                msg = self._retry.popleft() if self._retry else self.triage.next(self.clock())
                if msg is not None:
                    self._producing = self.flow.start(msg)
                    continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=0.05)
            except TimeoutError:
                pass

    def _reply_done(self) -> None:
        """The LLM/voice side of a reply is over: the loop may start the next one."""
        self._producing = None
        self._wake.set()

    # --- operator --------------------------------------------------------------------
    async def _handle_command(self, c: cmd.Command) -> None:
        self.emit("command", {"command": type(c).__name__, **asdict(c)})
        try:
            await self._apply(c)
        except (DraftError, KeyError) as exc:  # a stale card or a typo: say so, never crash the show
            self.emit("warning", {"text": f"{type(c).__name__}: {exc}"})
        self.emit("state", self.state())

    async def _apply(self, c: cmd.Command) -> None:
        desk = self.desk
        if isinstance(c, cmd.ApproveDraft):
            desk.approve(c.draft_id)
        elif isinstance(c, cmd.EditDraft):
            desk.edit(c.draft_id, c.text, approve=c.approve)
        elif isinstance(c, cmd.SkipDraft):
            desk.skip(c.draft_id)
        elif isinstance(c, cmd.PinDraft):
            desk.pin(c.draft_id, c.pinned)
        elif isinstance(c, cmd.HoldDraft):
            desk.hold(c.draft_id)
        elif isinstance(c, cmd.SetMode):
            desk.book.set_mode(c.mode, self.clock())
            self.emit("mode", {"mode": c.mode})
            self._wake.set()
        elif isinstance(c, cmd.Interrupt):
            self._flush()
        elif isinstance(c, cmd.SayNow):
            if not c.text.strip():
                return  # nothing typed: nothing to cut for
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
            if c.enabled and not self.auto_reply:
                self.desk.book.rearm(self.clock())  # no burst of assisted drafts on resume
            self.auto_reply = c.enabled
            self.emit("auto_reply", {"enabled": c.enabled})
            self._wake.set()
        elif isinstance(c, cmd.SetMuted):
            self.sink.set_muted(c.muted)
            self.emit("muted", {"muted": c.muted})
        elif isinstance(c, cmd.SetEmotion):
            if c.emotion in EMOTIONS:
                self.stage.set_emotion(c.emotion)
                self.emotion = c.emotion
            else:  # a bad value must never reach the painter: every frame would fail
                self.emit("warning", {"text": f"unknown emotion {c.emotion!r}; choose from {', '.join(EMOTIONS)}"})

    def _flush(self) -> None:
        self.scheduler.flush()
        # A streaming reply dies with its speech; a draft being written is not speech: it stays.
        if self._producing is not None and not self._producing.get_name().startswith("draft-"):
            self._producing.cancel()

    async def _say(self, text: str, handle: SpeechHandle) -> None:
        splitter = SentenceSplitter(first_fragment_words=4)
        frags = splitter.push(text) + splitter.flush()
        try:
            await speak_text(frags, self.tts, handle, detect_language(text), sink=self.sink)
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
        warning = getattr(pb.chunk, "warning", "")
        if warning and warning not in self._voice_warnings:  # e.g. Kokoro failed, espeak stood in
            self._voice_warnings.add(warning)
            self.emit("warning", {"text": warning})
        if len(handle.playbacks) == 1:
            self._stage_for(handle, trace)
        if trace is not None and handle.source == "reply" and len(handle.playbacks) == 1:
            self.emit("speaking", {"chat_id": trace.chat_id})

    def _stage_for(self, handle: SpeechHandle, trace: ReplyTrace | None) -> None:
        """Face and gaze for an utterance that starts being heard."""
        about = handle.meta.get("about_id") or (trace.about_id if trace else "")
        pitching = handle.source == "script" or about == self.product.id
        self.stage.set_pitching(True if pitching else None)
        if handle.source == "script" and getattr(self.product, "stock", None) is not None:
            self.stage.set_stock(self.product.stock)
        if trace is not None and trace.emotion:
            try:
                self.stage.set_emotion(trace.emotion)
            except ValueError:  # a tag the stage does not know: keep the face as it is
                log.warning("unknown emotion %r from a reply", trace.emotion)

    def _on_finished(self, handle: SpeechHandle) -> None:
        self.desk.finished(handle)
        self.quiet.finished(handle)
        if self.scheduler.current in (None, handle):
            self.stage.set_pitching(None)
            if handle.meta.get("trace") is not None and handle.meta["trace"].emotion:
                self.stage.set_emotion(self.emotion)  # back to the operator's choice
        trace: ReplyTrace | None = handle.meta.get("trace")
        chat: ChatMessage | None = handle.meta.get("chat")
        record = {"source": handle.source, "heard_text": handle.heard_text, "interrupted": handle.interrupted,
                  "first_audio_at": handle.first_audio_at}
        if "segment" in handle.meta:
            record["segment"] = handle.meta["segment"].kind
        self.spoken.append(record)
        if trace is not None and chat is not None and trace.path not in ("greeting", "guard"):
            # the memory keeps what the viewer heard, not the draft
            self.brain.heard(trace.user, trace.chat_text, handle.heard_text,
                             handle.meta.get("about_id") or trace.about_id, chat.user_id, self.clock())
        if trace is not None and handle.source == "reply":
            rep = reply_record(trace, handle)
            self.replies.append(rep)
            self.emit("reply", rep)
        else:
            self.emit("spoken", record)
