"""Operator commands: what a human can tell the show to do, from any surface (console, hotkey,
control API). They travel on the control lane, so they are handled before any queued data.

Every surface builds these same objects; `Show.control(command)` is the only way in (from another
thread: `core.call_soon(show.control, command)`). What the show does in reply is published as
events (see the shapes at the top of vhost/show/drafts.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Mode = Literal["manual", "assisted", "auto"]
MODES: tuple[str, ...] = ("manual", "assisted", "auto")


@dataclass(frozen=True)
class SayNow:
    """Interrupt → flush → say: the typed line is the next thing heard."""

    text: str


@dataclass(frozen=True)
class Interrupt:
    """Silence now; only the heard part of the cut speech goes into history."""


@dataclass(frozen=True)
class SwitchProduct:
    product_id: str


@dataclass(frozen=True)
class SetAutoReply:
    """Pause (False) / resume (True) replies: no new drafts, no assisted auto-approvals."""

    enabled: bool


@dataclass(frozen=True)
class SetMuted:
    muted: bool


@dataclass(frozen=True)
class SetEmotion:
    emotion: str


@dataclass(frozen=True)
class SetMode:
    """manual: nothing spoken unapproved; assisted: a draft is spoken after N s unless touched;
    auto: replies stream straight to the voice (unless the guard holds one)."""

    mode: str


@dataclass(frozen=True)
class ApproveDraft:
    """Speak a pending draft. `draft_id=None`: the oldest pending one (hotkeys, Stream Deck)."""

    draft_id: str | None = None


@dataclass(frozen=True)
class EditDraft:
    """Replace a draft's text (the original is kept for the record). `approve=True` also speaks it."""

    draft_id: str
    text: str
    approve: bool = False


@dataclass(frozen=True)
class SkipDraft:
    """Drop a pending draft unspoken. `draft_id=None`: the oldest pending one."""

    draft_id: str | None = None


@dataclass(frozen=True)
class PinDraft:
    """A pinned draft never expires and is never auto-spoken (assisted timer stopped)."""

    draft_id: str
    pinned: bool = True


@dataclass(frozen=True)
class HoldDraft:
    """The operator touched the card (opened it to edit, hovered): stop its assisted timer."""

    draft_id: str


@dataclass(frozen=True)
class AnswerQuestion:
    """The operator's answer to a question the catalog could not answer (an `unanswered` event):
    spoken to the viewer now, learnt for the rest of the show and, with `save`, written to the
    catalog's FAQ (a backup kept) so later shows answer it too."""

    question_id: str
    text: str
    save: bool = True


Command = (SayNow | Interrupt | SwitchProduct | SetAutoReply | SetMuted | SetEmotion | SetMode
           | ApproveDraft | EditDraft | SkipDraft | PinDraft | HoldDraft | AnswerQuestion)
