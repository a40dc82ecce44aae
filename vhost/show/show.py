"""The show: a small dispatcher over its services.

Chat arrives on the data lane, operator commands on the control lane (handled first, each within
one loop turn: no command awaits slow work). The services do the work: the reply queue (triage,
retries, the reply in flight), the reply flow (one message to speech or a draft), the speaker (every
line, each owning its synthesis task), the draft desk, quiet time (thanks and the script loop), the
transcript (what was heard), the stage cues and the prompt cache. Events: vhost.base.events.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from vhost.base import commands as cmd
from vhost.base import events as ev
from vhost.base.lanes import CONTROL, TwoLaneQueue
from vhost.base.language import detect_language
from vhost.brain.host import ShowBrain
from vhost.chat.events import ChatMessage
from vhost.chat.triage import Triage
from vhost.show.context import ReplyContext
from vhost.show.cues import StageCues
from vhost.show.drafting import DraftDesk
from vhost.show.drafts import DraftBook
from vhost.show.intake import ChatIntake
from vhost.show.on_air import OnAir
from vhost.show.operator import Operator
from vhost.show.parts import ShowParts, ShowSettings
from vhost.show.ports import Broadcast, EventSink
from vhost.show.prompts import PromptCache
from vhost.show.quiet_time import QuietTime
from vhost.show.reply_flow import ReplyFlow
from vhost.show.reply_loop import ReplyLoop
from vhost.show.reply_queue import ReplyQueue
from vhost.show.teaching import Teacher
from vhost.show.transcript import Transcript
from vhost.speech.handle import SpeechHandle
from vhost.speech.phrase_cache import PhraseCache
from vhost.speech.speaker import Speaker

log = logging.getLogger(__name__)



class Show:
    def __init__(self, parts: ShowParts, settings: ShowSettings | None = None, on_event: EventSink | None = None):
        s = settings or ShowSettings()
        self.parts = parts  # what the show was built from (read only)
        self.catalog, self.sink, self.stage = parts.catalog, parts.sink, parts.stage
        self.emit = Broadcast(on_event)  # every event the show's services publish
        brain = parts.brain or ShowBrain(parts.catalog, parts.persona)
        triage = parts.triage or Triage()
        if getattr(triage, "on_decision", "absent") is None:  # every decision reaches the console
            triage.on_decision = lambda d: self.emit(ev.TriageDecision(**d.to_event()))
        product = parts.catalog.get(s.product_id) if s.product_id else parts.catalog.products[0]
        self.on_air = OnAir(product, auto_reply=s.auto_reply)
        self.queue = ReplyQueue(triage)
        self.transcript = Transcript(brain, self.emit, self.clock)
        self.brain = brain
        self.phrases = PhraseCache(parts.tts, warm_tts=parts.tts_ahead, store=parts.phrase_store) if parts.prepare_phrases else None
        self.speaker = Speaker(self.phrases or parts.tts, parts.sink, on_finished=self._finished,
                               hurry=lambda: self.queue.waiting > 0)
        if self.phrases is not None:
            self.phrases.is_busy = lambda: self.speaker.busy
            self.emit.add(self._prepare_on_event)
        self.cues = StageCues(parts.stage, self.on_air, self.emit, lambda: self.speaker.current)
        self.speaker.scheduler.on_playback = self.cues.playback
        book = DraftBook(s.mode, s.assisted_delay_s, s.draft_ttl_s)
        self.desk = DraftDesk(book, self.speaker, self.emit, self.clock, parts.guard)
        ctx = ReplyContext(parts.catalog, parts.persona, brain, parts.llm, self.clock, parts.guard, s.max_new_tokens)
        self.flow = ReplyFlow(ctx, self.queue, self.speaker, self.desk, self.on_air, self.emit)
        self.quiet = QuietTime(ctx, self.speaker, self.desk, self.on_air, self.queue, self.emit,
                               after_s=s.script_after_s, in_manual=s.script_in_manual)
        self.prompts = PromptCache(parts.llm, parts.persona, parts.catalog, lambda r: self.operator.llm_unavailable(r))
        self.teacher = Teacher(brain, self.speaker, self.emit, s.catalog_path)
        self.emit.add(self.teacher.on_event)
        self.operator = Operator(self.on_air, self.speaker, self.desk, self.prompts, parts.catalog, parts.stage,
                                 parts.sink, self.emit, self.clock, self.teacher)
        self.intake = ChatIntake(brain, self.queue, self.on_air, self.emit, self.clock)
        self.replies_loop = ReplyLoop(self.queue, self.flow, self.desk, self.quiet, self.speaker, self.on_air,
                                      self.clock)
        self.lanes: TwoLaneQueue = TwoLaneQueue(data_maxsize=256)
        self.ready = asyncio.Event()  # the first prompt is cached: replies may start

    def listen(self, sink: EventSink) -> None:
        """Also send every event to `sink` (the control API's hub, a test's log)."""
        self.emit.add(sink)

    # --- reads ---------------------------------------------------------------------------
    def clock(self) -> float:
        return self.sink.clock()

    @property
    def product(self):  # noqa: ANN201 - vhost.brain.catalog.Product
        return self.on_air.product

    @property
    def mode(self) -> str:
        return self.desk.mode

    @property
    def auto_reply(self) -> bool:
        return self.on_air.auto_reply

    @property
    def replies(self) -> list[dict]:
        return self.transcript.replies

    @property
    def spoken(self) -> list[dict]:
        return self.transcript.spoken

    def state(self) -> dict:
        return self.operator.snapshot()

    # --- entry points --------------------------------------------------------------------
    def control(self, command: cmd.Command) -> None:
        """Thread-unsafe: call on the show's loop (the UI bridge uses call_soon_threadsafe)."""
        self.lanes.put_control(command)

    async def offer_chat(self, msg: ChatMessage) -> None:
        await self.lanes.put_data(msg)

    async def run(self, chat: AsyncIterator[ChatMessage] | None = None) -> None:
        loops = [self.speaker.run(), self._dispatch(), self.replies_loop.run(self.ready)] + ([self._intake(chat)] if chat else [])
        tasks = [asyncio.create_task(c, name=f"show-{i}") for i, c in enumerate(loops)]
        self.stage.set_product(self.product, self.clock(), self.catalog.offer_seconds(self.product.id))
        self._prepare(self.product)
        try:
            await self.prompts.activate(self.product)
            self.ready.set()
            self.prompts.warm_others(lambda: self.on_air.product)
            await asyncio.gather(*tasks)
        finally:
            for t in tasks:
                t.cancel()
            for service in (self.queue, self.speaker, self.prompts, self.phrases):
                if service is not None:
                    service.close()

    async def _intake(self, chat: AsyncIterator[ChatMessage]) -> None:
        async for msg in chat:
            await self.lanes.put_data(msg)

    async def _dispatch(self) -> None:
        while True:
            lane, event = await self.lanes.get()
            try:
                if lane == CONTROL:
                    self.operator.handle(event)
                else:
                    self.intake.take(event)
            except Exception as exc:  # noqa: BLE001 - one bad event never ends the show
                log.exception("show failed on %r", event)
                self.emit(ev.OperatorWarning(text=f"could not handle {type(event).__name__}: {exc}"))
            self.queue.wake()

    def _prepare(self, product) -> None:  # noqa: ANN001 - vhost.brain.catalog.Product
        """The product's likely answers, synthesized ahead in every language the host speaks; then,
        while there is room, the other products' (a switch or a question about another finds them)."""
        if self.phrases is not None:
            others = [p for p in self.catalog.products if p.id != product.id]
            self.phrases.warm(self._likely(product), spare=[x for p in others for x in self._likely(p)])

    def _likely(self, product) -> list[tuple[str, str]]:  # noqa: ANN001 - vhost.brain.catalog.Product
        return self.brain.likely_in(product, self.parts.persona.languages)

    def _prepare_on_event(self, event: ev.Event) -> None:
        """A new product on screen: its lines. A viewer who writes: their name, in their language."""
        if self.phrases is None:
            return
        if isinstance(event, ev.ProductChanged):
            self._prepare(self.catalog.get(event.id))
        elif isinstance(event, ev.ChatReceived) and event.kind_ == "message" and event.user:
            langs = self.parts.persona.languages
            lang = detect_language(event.text)
            lang = lang if lang in langs else langs[0]
            self.phrases.warm_first([(lang, lead) for lead in self.brain.leads(event.user, lang)])

    def _finished(self, handle: SpeechHandle) -> None:
        for service in (self.desk, self.quiet, self.cues, self.transcript, self.operator):
            service.finished(handle)
        chat = handle.meta.get("chat")
        if handle.meta.get("cut_by") == "say_now" and chat is not None and not handle.heard_text.strip():
            # The operator's line went first; the question it pushed aside was never heard: it is
            # answered next (an Interrupt, by contrast, means "not this": its reply is not retried).
            self.queue.retry(chat)
        self.queue.wake()
