"""A chat event coming in: what the sales brain notes, and how the show reports it (the message
and what triage decided)."""

from __future__ import annotations

import logging

from vhost.base.events import ChatReceived
from vhost.brain.host import ShowBrain
from vhost.chat.events import ChatMessage
from vhost.chat.triage import TriageDecision

log = logging.getLogger(__name__)


def chat_event(msg: ChatMessage, decision: TriageDecision) -> ChatReceived:
    return ChatReceived(user=msg.user, text=msg.text, platform=msg.platform, received_at=msg.received_at,
                        kind_=msg.kind, amount=msg.amount, currency=msg.currency, **decision.to_event())


def note_chat(brain: ShowBrain, msg: ChatMessage, now: float, product_id: str) -> dict | None:
    """The sales brain notes a chat event (memory, product interest, gifts queued for one thanks
    line) and may recommend a product. A brain bug is logged and never loses the message: it still
    reaches triage."""
    if msg.kind == "withdraw":
        return None
    try:
        return brain.on_chat(msg, now, product_id)
    except Exception:  # noqa: BLE001
        log.exception("sales brain failed on a chat event")
        return None
