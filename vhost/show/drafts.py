"""The draft book: replies waiting for the operator's word.

Modes (`vhost.base.commands.SetMode`):
  manual    every reply is drafted in full (LLM → catalog check, nothing synthesized) and only spoken
            when the operator approves (or edits and approves) it.
  assisted  drafted the same way, then spoken `assisted_delay_s` after it was drafted unless touched
            (edited, pinned or held); a draft the guard flagged is never auto-spoken.
  auto      replies stream to the voice as they are written; a fragment the guard flags stops the
            reply and the rest is held here as a draft with the guard's reasons.
Pinned drafts never expire and are never auto-spoken; other pending drafts expire after `ttl_s`
(their question has gone stale). Edits keep the original text and every before/after pair.

What the show publishes about drafts: `vhost.base.events.DraftChanged`.
"""

from __future__ import annotations

import itertools

from vhost.base.commands import MODES
from vhost.base.events import Draft

PENDING, APPROVED, SKIPPED, EXPIRED, SPOKEN, FAILED = "pending", "approved", "skipped", "expired", "spoken", "failed"


class DraftError(ValueError):
    """An operator action on a draft that does not exist (`kind` "not_found") or is no longer
    pending, or an invalid value (`kind` "conflict" / "invalid"). Surfaces map the kind (the control
    API: 404 / 409 / 400), never the message text."""

    def __init__(self, message: str, kind: str = "conflict") -> None:
        super().__init__(message)
        self.kind = kind



MAX_RESOLVED = 2000


class DraftBook:
    """Pure bookkeeping (no I/O, no loop): the show calls it and publishes what changed."""

    def __init__(self, mode: str = "auto", assisted_delay_s: float = 8.0, ttl_s: float = 180.0) -> None:
        self.mode = self._valid(mode)
        self.assisted_delay_s = assisted_delay_s
        self.ttl_s = ttl_s
        self._drafts: dict[str, Draft] = {}
        self._ids = itertools.count(1)

    @staticmethod
    def _valid(mode: str) -> str:
        if mode not in MODES:
            raise DraftError(f"unknown mode {mode!r}; choose from {', '.join(MODES)}", "invalid")
        return mode

    # --- queries ------------------------------------------------------------------
    def get(self, draft_id: str) -> Draft:
        try:
            return self._drafts[draft_id]
        except KeyError:
            raise DraftError(f"no draft {draft_id!r}", "not_found") from None

    @property
    def pending(self) -> list[Draft]:
        return [d for d in self._drafts.values() if d.state == PENDING]

    def all(self) -> list[Draft]:
        return list(self._drafts.values())

    def resolve(self, draft_id: str | None) -> Draft:
        """The named pending draft, or the oldest pending one for `None`."""
        if draft_id is None:
            if not self.pending:
                raise DraftError("no pending draft", "not_found")
            return self.pending[0]
        d = self.get(draft_id)
        if d.state != PENDING:
            raise DraftError(f"draft {draft_id} is {d.state}, not pending")
        return d

    # --- changes --------------------------------------------------------------------
    def add(self, *, chat_id: str | None, user: str, chat_text: str, lang: str, text: str, now: float,
            reasons: list[str] | None = None, held_back: list[str] | None = None,
            source: str = "reply") -> Draft:
        d = Draft(f"d{next(self._ids)}", chat_id, user, chat_text, lang, text, now,
                  reasons=list(reasons or []), held_back=list(held_back or []), source=source)
        self._arm(d, now)
        self._drafts[d.id] = d
        self._forget_old()
        return d

    def _forget_old(self) -> None:
        """Resolved drafts beyond the newest MAX_RESOLVED go (the session record keeps them):
        a show that runs for days stays flat. Pending drafts are never dropped."""
        resolved = [k for k, d in self._drafts.items() if d.state != PENDING]
        if len(resolved) > MAX_RESOLVED + MAX_RESOLVED // 10:
            for k in resolved[:-MAX_RESOLVED]:
                del self._drafts[k]

    def _arm(self, d: Draft, now: float) -> None:
        # Only a clean, untouched, unpinned draft in assisted mode may speak on its own.
        auto = self.mode == "assisted" and not d.reasons and not d.touched and not d.pinned
        d.deadline = now + self.assisted_delay_s if auto and d.state == PENDING else None

    def approve(self, draft_id: str | None) -> Draft:
        d = self.resolve(draft_id)
        d.state, d.deadline = APPROVED, None
        return d

    def skip(self, draft_id: str | None) -> Draft:
        d = self.resolve(draft_id)
        d.state, d.deadline = SKIPPED, None
        return d

    def edit(self, draft_id: str, text: str, now: float) -> tuple[Draft, str]:
        text = text.strip()
        if not text:
            raise DraftError("an edited draft cannot be empty (skip it instead)", "invalid")
        d = self.resolve(draft_id)
        before = d.text
        d.edits.append({"before": before, "after": text, "at": now})
        d.text, d.touched, d.deadline = text, True, None
        return d, before

    def pin(self, draft_id: str, pinned: bool) -> Draft:
        d = self.resolve(draft_id)
        d.pinned, d.touched, d.deadline = pinned, True, None
        return d

    def hold(self, draft_id: str) -> Draft:
        d = self.resolve(draft_id)
        d.touched, d.deadline = True, None
        return d

    def set_mode(self, mode: str, now: float) -> None:
        self.mode = self._valid(mode)
        for d in self.pending:
            self._arm(d, now)

    def rearm(self, now: float) -> None:
        """After a pause: every waiting assisted draft gets its full delay again (no burst)."""
        for d in self.pending:
            self._arm(d, now)

    def due(self, now: float) -> list[Draft]:
        """Assisted drafts whose delay ran out untouched: approved here, to be spoken."""
        out = [d for d in self.pending if d.deadline is not None and d.deadline <= now]
        for d in out:
            d.state, d.deadline = APPROVED, None
        return out

    def next_deadline(self) -> float | None:
        """The soonest show time at which a draft is due (assisted) or expires; None: none."""
        times = [d.deadline for d in self.pending if d.deadline is not None]
        times += [d.created_at + self.ttl_s for d in self.pending if not d.pinned]
        return min(times, default=None)

    def expire(self, now: float) -> list[Draft]:
        out = [d for d in self.pending if not d.pinned and now - d.created_at > self.ttl_s]
        for d in out:
            d.state, d.deadline = EXPIRED, None
        return out

    def finished(self, draft_id: str, heard_text: str, interrupted: bool, failed: bool = False) -> Draft:
        d = self.get(draft_id)
        d.state = FAILED if failed else SPOKEN
        d.heard_text, d.interrupted = heard_text, interrupted
        return d
