"""A chat event coming in: what the sales brain notes, and how the show reports it (the message
and what triage decided)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from vhost.base.events import ChatReceived, Recommendation
from vhost.brain.host import ShowBrain
from vhost.chat.events import ChatMessage
from vhost.chat.triage import TriageDecision
from vhost.show.on_air import OnAir
from vhost.show.ports import EventSink
from vhost.show.reply_queue import ReplyQueue

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


class ChatIntake:
    """Every chat event: the brain notes it, triage decides, the console hears of both."""

    def __init__(self, brain: ShowBrain, queue: ReplyQueue, on_air: OnAir, emit: EventSink,
                 clock: Callable[[], float]) -> None:
        self.brain, self.queue, self.on_air, self.emit, self.clock = brain, queue, on_air, emit, clock

    def take(self, msg: ChatMessage) -> None:
        rec = note_chat(self.brain, msg, self.clock(), self.on_air.product.id)
        if rec:
            self.emit(Recommendation(**rec))
        self.emit(chat_event(msg, self.queue.offer(msg)))
