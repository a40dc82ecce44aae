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

import asyncio
import itertools
import logging
from typing import TYPE_CHECKING

from vhost.brain.replier import ReplyTrace, speak_text
from vhost.core.reply_flow import split_line
from vhost.core.speech import PRIORITY_SCRIPT, SpeechHandle
from vhost.core.workers import WorkerCrashed, WorkerError

if TYPE_CHECKING:
    from vhost.core.show import Show

log = logging.getLogger(__name__)

PRIORITY_THANKS = PRIORITY_SCRIPT + 10  # above the script, below replies; never cut by a reply


class QuietTime:
    def __init__(self, show: Show, *, after_s: float = 6.0, gap_s: float = 1.0,
                 in_manual: bool = False) -> None:
        self.show = show
        self.after_s = after_s  # silence after chat activity before the script starts
        self.gap_s = gap_s  # pause between two script segments heard to the end
        self.in_manual = in_manual
        self.handle: SpeechHandle | None = None  # the quiet-time line queued or playing
        self._next_at = show.clock() + after_s
        self._draft_id: str | None = None  # a quiet-time draft still waiting for the operator
        self._ids = itertools.count(1)
        self._tasks: set[asyncio.Task] = set()

    @property
    def lang(self) -> str:
        return self.show.persona.languages[0]

    def _busy(self) -> bool:
        show = self.show
        if show._producing is not None or show._retry or show.triage.pending:
            return True
        cur = show.scheduler.current
        if cur is not None and cur is not self.handle:
            return True
        return any(h is not self.handle for h in show.scheduler.waiting)

    def tick(self) -> None:
        """Called by the show's reply loop on every turn."""
        show = self.show
        now = show.clock()
        h = self.handle
        if h is not None and h.source == "script" and not h.done:
            # Chat pre-empts the script: a waiting reply (or anything above it) cuts it now.
            if any(w.priority > PRIORITY_SCRIPT for w in show.scheduler.waiting if w is not h):
                h.interrupt()
        if not show.auto_reply or self._busy():
            self._next_at = max(self._next_at, now + self.after_s)
            return
        if h is not None and not h.done:
            return
        if self._draft_id is not None:
            if self._pending(self._draft_id):
                return
            self._draft_id = None
        line = show.brain.thanks_line(now, self.lang)
        if line is not None:
            # viewer names are in it: compliance and the operator's filter see it (flagged: a draft)
            self._say("thanks", line, PRIORITY_THANKS, {}, show.line_reasons(line, self.lang))
            return
        if now < self._next_at:
            return
        if show.mode != "auto" and not self.in_manual:
            return
        seg = show.brain.script_segment(show.product, self.lang)
        reasons = show.line_reasons(seg.text, seg.lang)
        if reasons:  # the operator's filter objects to a catalog line: say it never, tell once
            show.emit("warning", {"text": f"script line held ({'; '.join(reasons)}): {seg.text}"})
            show.brain.script_heard(seg)  # move on rather than retry the same line forever
            return
        self._say("script", seg.text, PRIORITY_SCRIPT, {"segment": seg})

    def _pending(self, draft_id: str) -> bool:
        try:
            return self.show.desk.book.get(draft_id).state == "pending"
        except ValueError:
            return False

    def _say(self, source: str, text: str, priority: int, meta: dict, reasons: list[str] | None = None) -> None:
        show = self.show
        if show.mode != "auto" or reasons:
            trace = ReplyTrace(f"{source}-{next(self._ids)}", "", "", self.lang, show.clock(), path=source)
            d = show.desk.add(trace, None, text, source=source, reasons=reasons or None,
                              meta={"priority": priority, **meta})
            if show.mode != "auto":  # one quiet-time card at a time on the operator's desk
                self._draft_id = d.id
            return
        handle = SpeechHandle(source, priority, meta={"text": text, **meta})
        self.handle = handle
        show.scheduler.submit(handle)
        task = asyncio.create_task(self._voice(text, handle), name=f"{source}-{handle.id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        handle.on_interrupt(lambda _h: task.cancel())

    async def _voice(self, text: str, handle: SpeechHandle) -> None:
        error = None
        try:
            await speak_text(split_line(text), self.show.tts, handle, self.lang, sink=self.show.sink)
        except (WorkerCrashed, WorkerError) as exc:
            error = str(exc)
            log.warning("quiet-time line failed: %s", exc)
        except asyncio.CancelledError:
            pass
        finally:
            await handle.end_input(error)

    def finished(self, handle: SpeechHandle) -> None:
        """A handle ended: a script segment heard to the end moves the loop on."""
        seg = handle.meta.get("segment")
        if handle.interrupted:
            # Cut (the operator's interrupt, a reply): the loop waits for a fresh silence, never
            # starts again on the next tick over the operator's "stop".
            self._next_at = max(self._next_at, self.show.clock() + self.after_s)
        elif seg is not None and handle.heard_text:
            self.show.brain.script_heard(seg)
            self._next_at = self.show.clock() + self.gap_s
        elif handle.source in ("script", "thanks"):
            self._next_at = self.show.clock() + self.gap_s
        if handle is self.handle:
            self.handle = None

    def close(self) -> None:
        for t in list(self._tasks):
            t.cancel()
