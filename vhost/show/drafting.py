"""The draft desk: replies that wait for the operator's word, and the operator's draft commands
(approve, edit, skip, pin, hold, mode). An approved draft is spoken through the speaker."""

from __future__ import annotations

import logging
from collections.abc import Callable

from vhost.base import commands as cmd
from vhost.base.events import DraftChanged, ModeChanged, OperatorWarning
from vhost.show.drafts import Draft, DraftBook
from vhost.show.guarding import Guard, run_guard
from vhost.show.ports import EventSink
from vhost.speech.handle import PRIORITY_REPLY, SpeechHandle
from vhost.speech.replier import ReplyTrace
from vhost.speech.speaker import Speaker, split_line

log = logging.getLogger(__name__)


class DraftDesk:
    def __init__(self, book: DraftBook, speaker: Speaker, emit: EventSink, clock: Callable[[], float],
                 guard: Guard | None = None) -> None:
        self.book = book
        self.speaker = speaker
        self.emit = emit
        self.clock = clock
        self.guard = guard
        # draft id -> (trace, chat message, extra handle meta: e.g. a script segment)
        self._ctx: dict[str, tuple[ReplyTrace, object, dict]] = {}

    # --- reads ------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self.book.mode

    def pending(self) -> list[Draft]:
        return self.book.pending

    def all(self) -> list[Draft]:
        return self.book.all()

    def check_pending(self, draft_id: str | None) -> Draft:
        """The pending draft, or DraftError with its kind ("not_found" / "conflict")."""
        return self.book.resolve(draft_id)

    def next_deadline(self) -> float | None:
        return self.book.next_deadline()

    def publish(self, change: str, d: Draft, **extra) -> None:
        # `now` (show clock) lets a console draw the assisted countdown against `deadline`
        self.emit(DraftChanged(change=change, draft=d.to_dict(), now=self.clock(), **extra))

    # --- drafts in ----------------------------------------------------------------------
    def add(self, trace: ReplyTrace, msg, text: str, *, reasons: list[str] | None = None,  # noqa: ANN001
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

    # --- the operator's commands (DraftError on a bad id, state or value) ------------------
    def apply(self, c: cmd.Command) -> bool:
        """Handle a draft or mode command; False: not one of those."""
        if isinstance(c, cmd.ApproveDraft):
            self.approve(c.draft_id)
        elif isinstance(c, cmd.EditDraft):
            d, before = self.book.edit(c.draft_id, c.text, self.clock())
            self.publish("edited", d, before=before, after=d.text)
            if c.approve:
                self.approve(d.id)
        elif isinstance(c, cmd.SkipDraft):
            d = self.book.skip(c.draft_id)
            self._ctx.pop(d.id, None)
            self.publish("skipped", d)
        elif isinstance(c, cmd.PinDraft):
            self.publish("pinned" if c.pinned else "unpinned", self.book.pin(c.draft_id, c.pinned))
        elif isinstance(c, cmd.HoldDraft):
            self.publish("held", self.book.hold(c.draft_id))
        elif isinstance(c, cmd.SetMode):
            self.book.set_mode(c.mode, self.clock())
            self.emit(ModeChanged(mode=c.mode))
        else:
            return False
        return True

    def approve(self, draft_id: str | None) -> Draft:
        d = self.book.approve(draft_id)
        self.publish("approved", d)
        self.speak(d)
        return d

    def rearm(self) -> None:
        """After a pause: every waiting assisted draft gets its full delay again (no burst)."""
        self.book.rearm(self.clock())

    def tick(self, paused: bool) -> None:
        """Expire stale drafts, speak assisted ones that are due."""
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
        extra = dict(extra)
        source = extra.pop("source", "reply")
        priority = extra.pop("priority", PRIORITY_REPLY)
        # the catalog's words in another language at the end (unless the operator edited them
        # away) are read by that language's voice, as on the live path (Speaker.parts)
        quoted = extra.pop("quoted", "")
        frags, langs = self.speaker.parts(d.text, trace.lang, quoted) if quoted else (split_line(d.text), None)
        trace.spoken_fragments = list(frags)
        trace.fallback = None
        if frags:
            trace.first_fragment_at = trace.first_fragment_at or self.clock()
        return self.speaker.say(
            d.text, source="reply" if source == "guard" else source, priority=priority, lang=trace.lang,
            fragments=frags, meta={"trace": trace, "chat": msg, "draft_id": d.id, **extra},
            on_error=self._not_spoken, on_synthesized=self._synthesized, langs=langs)

    def _synthesized(self, handle: SpeechHandle) -> None:
        trace = handle.meta["trace"]
        trace.first_audio_ready_at = trace.first_audio_ready_at or self.clock()

    def _not_spoken(self, handle: SpeechHandle, exc: Exception) -> None:
        handle.meta["trace"].error = str(exc)
        self.emit(OperatorWarning(text=f"could not speak the approved draft ({exc})"))
        handle.interrupt()

    def finished(self, handle: SpeechHandle) -> None:
        draft_id = handle.meta.get("draft_id")
        if draft_id is None:
            return
        trace = handle.meta.get("trace")
        failed = bool(trace is not None and trace.error and not handle.heard_text)
        d = self.book.finished(draft_id, handle.heard_text, handle.interrupted, failed=failed)
        self.publish("failed" if failed else "spoken", d)
