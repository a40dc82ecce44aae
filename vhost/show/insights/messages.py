"""Chat as it came in: one `Message` per chat event, and per-minute series of volume, intent and
sentiment.

Intent is what triage recorded for the message (vhost.chat.intent: safety, purchase, question,
complaint, greeting, spam, other). Sentiment is a small bilingual word list, on top of triage's
complaint intent: complaint > negative > positive > neutral.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from vhost.base.language import detect_language
from vhost.show.insights.record import SessionData

QUESTION_INTENTS = ("question", "safety")
INTENT_ORDER = ("question", "safety", "purchase", "complaint", "greeting", "spam", "other")
SENTIMENTS = ("positive", "neutral", "negative", "complaint")
SUPPORT_KINDS = ("gift", "paid", "membership")

_POSITIVE = re.compile(
    r"\b(?:love|loving|lovely|great|awesome|amazing|nice|cool|cute|beautiful|gorgeous|perfect|best|wow"
    r"|excellent|fantastic|good|want\s+it|need\s+(?:this|it|one)|yay|thanks?|thank\s+you|ty)\b"
    r"|[❤♥😍🥰👍🔥💯👏]|喜欢|好看|漂亮|可爱|太棒|真棒|不错|好用|好评|爱了|心动|绝了|赞|牛|谢谢|感谢|666",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(?:bad|ugly|expensive|pricey|hate|boring|meh|cheap(?:ly)?\s+made|flimsy|too\s+(?:much|small|big"
    r"|expensive)|not\s+(?:good|worth|great)|no\s+thanks|sucks?|worse|don'?t\s+like)\b"
    r"|[👎😡😠💩]|太贵|贵了|难看|不好|不喜欢|一般般|无聊|不值|失望|差劲",
    re.IGNORECASE,
)


def sentiment(text: str, intent: str) -> str:
    if intent == "complaint":
        return "complaint"
    if _NEGATIVE.search(text):
        return "negative"
    if _POSITIVE.search(text):
        return "positive"
    return "neutral"


@dataclass(frozen=True)
class Message:
    id: str
    at: float
    user: str
    text: str
    kind: str  # message, gift, paid, membership, raid, ...
    intent: str
    accepted: bool
    reason: str
    detail: str
    merged_into: str | None
    lang: str
    sentiment: str
    amount: float | None = None
    currency: str | None = None

    @property
    def is_question(self) -> bool:
        return self.kind == "message" and self.intent in QUESTION_INTENTS

    @property
    def is_purchase(self) -> bool:
        return self.kind == "message" and self.intent == "purchase"


def _message(at: float, d: dict[str, Any]) -> Message:
    text = str(d.get("text") or "")
    intent = str(d.get("intent") or "other")
    received = d.get("received_at")
    amount = d.get("amount")
    return Message(
        id=str(d.get("id") or ""), at=float(received) if isinstance(received, int | float) else at,
        user=str(d.get("user") or ""), text=text, kind=str(d.get("kind") or "message"), intent=intent,
        accepted=bool(d.get("accepted", True)), reason=str(d.get("reason") or ""),
        detail=str(d.get("detail") or ""), merged_into=d.get("merged_into"), lang=detect_language(text) if text else "en",
        sentiment=sentiment(text, intent),
        amount=float(amount) if isinstance(amount, int | float) else None, currency=d.get("currency"))


def messages(session: SessionData) -> list[Message]:
    """Every chat event in arrival order (a withdrawal is not a message)."""
    out = [_message(e.at, e.data) for e in session.of("chat")]
    return sorted((m for m in out if m.kind != "withdraw"), key=lambda m: m.at)


def chat_lines(msgs: list[Message]) -> list[Message]:
    return [m for m in msgs if m.kind == "message"]


def n_bins(duration_s: float, bin_s: float) -> int:
    return max(1, math.ceil(duration_s / bin_s)) if duration_s > 0 else 1


def _bin(at: float, bins: int, bin_s: float) -> int:
    return min(bins - 1, max(0, int(at // bin_s)))


def volume_per_bin(msgs: list[Message], duration_s: float, bin_s: float = 60.0) -> dict[str, Any]:
    """Chat lines (kind "message") per bin of `bin_s` seconds, and purchase signals per bin."""
    bins = n_bins(duration_s, bin_s)
    counts, purchases = [0] * bins, [0] * bins
    for m in chat_lines(msgs):
        i = _bin(m.at, bins, bin_s)
        counts[i] += 1
        purchases[i] += m.is_purchase
    return {"bin_s": bin_s, "start_s": [i * bin_s for i in range(bins)], "messages": counts,
            "purchase_signals": purchases}


def mix_per_bin(msgs: list[Message], duration_s: float, attr: str, labels: tuple[str, ...],
                bin_s: float = 60.0) -> dict[str, Any]:
    """Counts per label per bin of one Message attribute ("intent" or "sentiment")."""
    bins = n_bins(duration_s, bin_s)
    series = {label: [0] * bins for label in labels}
    for m in chat_lines(msgs):
        value = getattr(m, attr)
        series.setdefault(value, [0] * bins)[_bin(m.at, bins, bin_s)] += 1
    return {"bin_s": bin_s, "start_s": [i * bin_s for i in range(bins)], "series": series}


def shares(msgs: list[Message], attr: str, labels: tuple[str, ...]) -> dict[str, Any]:
    """Count and share of each label over the whole session."""
    lines = chat_lines(msgs)
    counts = Counter(getattr(m, attr) for m in lines)
    total = len(lines)
    keys = list(labels) + sorted(k for k in counts if k not in labels)
    return {k: {"count": counts.get(k, 0), "share": (counts.get(k, 0) / total) if total else 0.0}
            for k in keys}
