"""The operator's commands, each handled at once: nothing here awaits slow work (a product switch
warms its prompt in the background), so an Interrupt right behind any command silences within one
loop turn. Draft and mode commands go to the draft desk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from vhost.audio.sinks import AudioSink
from vhost.avatar.pose import EMOTIONS
from vhost.base import commands as cmd
from vhost.base import events as ev
from vhost.brain.catalog import Catalog
from vhost.show.drafting import DraftDesk
from vhost.show.drafts import DraftError
from vhost.show.on_air import OnAir
from vhost.show.ports import EventSink, StagePort
from vhost.show.prompts import PromptCache
from vhost.show.teaching import Teacher
from vhost.speech.handle import PRIORITY_OPERATOR, SpeechHandle
from vhost.speech.speaker import Speaker


class Operator:
    def __init__(self, on_air: OnAir, speaker: Speaker, desk: DraftDesk, prompts: PromptCache, catalog: Catalog,
                 stage: StagePort, sink: AudioSink, emit: EventSink, clock: Callable[[], float],
                 teacher: Teacher | None = None) -> None:
        self.on_air = on_air
        self.speaker = speaker
        self.desk = desk
        self.prompts = prompts
        self.catalog = catalog
        self.stage = stage
        self.sink = sink
        self.emit = emit
        self.clock = clock
        self.teacher = teacher

    def handle(self, c: cmd.Command) -> None:
        self.emit(ev.CommandSeen(command=type(c).__name__, **asdict(c)))
        try:
            if not self.desk.apply(c):
                self._apply(c)
        except (DraftError, KeyError) as exc:  # a stale card or a typo: say so, never crash the show
            self.emit(ev.OperatorWarning(text=f"{type(c).__name__}: {exc}"))
        self.emit(ev.StateChanged(**self.snapshot()))

    def _apply(self, c: cmd.Command) -> None:
        if isinstance(c, cmd.Interrupt):
            self.speaker.flush()
        elif isinstance(c, cmd.SayNow) and c.text.strip():
            # interrupt -> flush -> say: after the flush nothing queued can overtake the new line.
            self.speaker.flush(cut_by="say_now")  # a reply nobody heard yet goes back in line
            self.speaker.say(c.text, source="operator", priority=PRIORITY_OPERATOR, on_error=self._typed_line_lost)
        elif isinstance(c, cmd.SwitchProduct):
            product = self.catalog.get(c.product_id)
            self.on_air.product = product
            self.stage.set_product(product, self.clock(), self.catalog.offer_seconds(product.id))
            self.emit(ev.ProductChanged(id=product.id, name=product.name))
            self.prompts.switch(product)  # in the background: the control lane never waits on the LLM
        elif isinstance(c, cmd.SetAutoReply):
            if c.enabled and not self.on_air.auto_reply:
                self.desk.rearm()  # no burst of assisted drafts on resume
            self.on_air.auto_reply = c.enabled
            self.emit(ev.AutoReplyChanged(enabled=c.enabled))
        elif isinstance(c, cmd.SetMuted):
            self.sink.set_muted(c.muted)
            self.emit(ev.MutedChanged(muted=c.muted))
        elif isinstance(c, cmd.SetEmotion) and c.emotion in EMOTIONS:
            self.stage.set_emotion(c.emotion)
            self.on_air.emotion = c.emotion
        elif isinstance(c, cmd.AnswerQuestion) and self.teacher is not None:
            self.teacher.answer(c)
        elif isinstance(c, cmd.SetEmotion):  # a bad value must never reach the painter
            self.emit(ev.OperatorWarning(text=f"unknown emotion {c.emotion!r}; choose from {', '.join(EMOTIONS)}"))

    def llm_unavailable(self, reason: str) -> None:
        """No LLM (missing model, failed load): the show goes on with typed lines only."""
        self.on_air.auto_reply = False
        self.emit(ev.OperatorWarning(text=f"LLM unavailable ({reason}); auto-replies are off, say-now still works"))

    def _typed_line_lost(self, handle: SpeechHandle, exc: Exception) -> None:
        self.emit(ev.OperatorWarning(text=f"could not speak the typed line ({exc}); it is back in the box",
                                     restore=handle.meta["text"]))
        handle.interrupt()

    def finished(self, handle: SpeechHandle) -> None:
        """A typed line that the operator's next line cut before a word of it was heard goes back
        to the console (named in the warning too, should the box hold new text): never lost."""
        if handle.source == "operator" and handle.meta.get("cut_by") == "say_now" and not handle.heard_text.strip():
            text = handle.meta.get("text", "")
            self.emit(ev.OperatorWarning(text=f"typed line not spoken (your next line came first): {text!r}; "
                                              "it is back in the box", restore=text))

    def snapshot(self) -> dict:
        """The show's state, as the console, the control API and the `state` event see it."""
        cur = self.speaker.current
        speaking = None
        if cur is not None:
            trace = cur.meta.get("trace")
            speaking = {"source": cur.source, "text": trace.said if trace else cur.meta.get("text", "")}
        product = self.on_air.product
        return {"mode": self.desk.mode, "auto_reply": self.on_air.auto_reply, "muted": bool(self.sink.queue.muted),
                "product": {"id": product.id, "name": product.name}, "emotion": self.on_air.emotion,
                "speaking": speaking, "pending_drafts": len(self.desk.pending()), "clock": self.clock()}
