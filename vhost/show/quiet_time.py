"""Quiet time: what the host says when no viewer is waiting for an answer.

First any thank-you that is due (gifts, super chats and memberships, batched by the sales
brain), then, after a few seconds of silence, the script loop for the product on screen (hook,
features, offer, call to action). A reply pre-empts a script segment at once: the segment is
cut, and said again (same segment) at the next quiet moment; only a segment heard to the end
moves the loop on. Both lines are built from catalog facts by the brain and pass its guard.

Manual/assisted mode: nothing the operator did not allow is spoken, so quiet-time lines become
drafts (source "thanks" / "script"); the script loop is off there unless `in_manual` is set,
since a card every few seconds would bury the viewers' questions on the desk.
"""

from __future__ import annotations

import itertools
import logging

from vhost.base.events import OperatorWarning
from vhost.show.context import ReplyContext
from vhost.show.drafting import DraftDesk
from vhost.show.on_air import OnAir
from vhost.show.ports import EventSink
from vhost.show.reply_queue import ReplyQueue
from vhost.speech.handle import PRIORITY_SCRIPT, PRIORITY_THANKS, SpeechHandle
from vhost.speech.replier import ReplyTrace
from vhost.speech.speaker import Speaker

log = logging.getLogger(__name__)


class QuietTime:
    def __init__(self, ctx: ReplyContext, speaker: Speaker, desk: DraftDesk, on_air: OnAir, queue: ReplyQueue,
                 emit: EventSink, *, after_s: float = 6.0, gap_s: float = 1.0, in_manual: bool = False) -> None:
        self.ctx = ctx
        self.speaker = speaker
        self.desk = desk
        self.on_air = on_air
        self.queue = queue
        self.emit = emit
        self.after_s = after_s  # silence after chat activity before the script starts
        self.gap_s = gap_s  # pause between two script segments heard to the end
        self.in_manual = in_manual
        self.handle: SpeechHandle | None = None  # the quiet-time line queued or playing
        self.next_at = ctx.clock() + after_s  # show time of the next script segment, if quiet
        self._draft_id: str | None = None  # a quiet-time draft still waiting for the operator
        self._ids = itertools.count(1)
        self._failed = False  # told the operator once that quiet time is broken

    @property
    def lang(self) -> str:
        return self.ctx.persona.languages[0]

    def _busy(self) -> bool:
        if self.queue.busy:
            return True
        cur = self.speaker.current
        if cur is not None and cur is not self.handle:
            return True
        return any(h is not self.handle for h in self.speaker.waiting)

    def tick(self) -> None:
        """Called by the show's reply loop on every turn; a bug here never stops the replies."""
        try:
            self._tick()
        except Exception as exc:  # noqa: BLE001 - a thanks/script bug must not stop the replies
            if not self._failed:
                log.exception("quiet time failed")
                self.emit(OperatorWarning(text=f"thanks/script lines failed ({exc}); replies go on"))
            self._failed = True

    def _tick(self) -> None:
        now = self.ctx.clock()
        h = self.handle
        if h is not None and h.source == "script" and not h.done:
            # Chat pre-empts the script: a waiting reply (or anything above it) cuts it now.
            if any(w.priority > PRIORITY_SCRIPT for w in self.speaker.waiting if w is not h):
                h.interrupt()
        if not self.on_air.auto_reply or self._busy():
            self.next_at = max(self.next_at, now + self.after_s)
            return
        if h is not None and not h.done:
            return
        if self._draft_id is not None:
            if any(d.id == self._draft_id for d in self.desk.pending()):
                return
            self._draft_id = None
        line = self.ctx.brain.thanks_line(now, self.lang)
        if line is not None:
            # viewer names are in it: compliance and the operator's filter see it (flagged: a draft)
            self._say("thanks", line, PRIORITY_THANKS, {}, self.ctx.line_reasons(line, self.lang, self.on_air.product))
            return
        if now < self.next_at or (self.desk.mode != "auto" and not self.in_manual):
            return
        seg = self.ctx.brain.script_segment(self.on_air.product, self.lang)
        reasons = self.ctx.line_reasons(seg.text, seg.lang, self.on_air.product)
        if reasons:  # the operator's filter objects to a catalog line: say it never, tell once
            self.emit(OperatorWarning(text=f"script line held ({'; '.join(reasons)}): {seg.text}"))
            self.ctx.brain.script_heard(seg)  # move on rather than retry the same line forever
            return
        self._say("script", seg.text, PRIORITY_SCRIPT, {"segment": seg})

    def _say(self, source: str, text: str, priority: int, meta: dict, reasons: list[str] | None = None) -> None:
        if self.desk.mode != "auto" or reasons:
            trace = ReplyTrace(f"{source}-{next(self._ids)}", "", "", self.lang, self.ctx.clock(), path=source)
            d = self.desk.add(trace, None, text, source=source, reasons=reasons or None,
                              meta={"priority": priority, **meta})
            if self.desk.mode != "auto":  # one quiet-time card at a time on the operator's desk
                self._draft_id = d.id
            return
        self.handle = self.speaker.say(text, source=source, priority=priority, lang=self.lang, meta=meta)

    def finished(self, handle: SpeechHandle) -> None:
        """A handle ended: a script segment heard to the end moves the loop on."""
        seg = handle.meta.get("segment")
        now = self.ctx.clock()
        if handle.interrupted:
            # Cut (the operator's interrupt, a reply): the loop waits for a fresh silence, never
            # starts again on the next tick over the operator's "stop".
            self.next_at = max(self.next_at, now + self.after_s)
        elif seg is not None and handle.heard_text:
            self.ctx.brain.script_heard(seg)
            self.next_at = now + self.gap_s
        elif handle.source in ("script", "thanks"):
            self.next_at = now + self.gap_s
        if handle is self.handle:
            self.handle = None
