"""Thank gifts, paid messages and memberships in batches: "Thanks Anna, Ben and 3 others!".

One thank-you per event would drown the show in a gift storm. Events are collected; a batch is
due `window_s` after its first event (or at once when `max_batch` events are waiting). The line
names the biggest supporters first (by amount), then counts the rest, one sentence per kind.
A viewer who sent several gifts is named once.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("gift", "paid", "membership")
_WHAT = {
    "en": {"gift": "for the gifts", "paid": "for the super chats", "membership": "for joining"},
    "zh": {"gift": "送的礼物", "paid": "的打赏", "membership": "的加入会员"},
}


@dataclass
class Support:
    user: str
    kind: str  # "gift", "paid" or "membership"
    amount: float = 0.0  # in any currency: only used to order names
    count: int = 1
    at: float = 0.0


def _names_en(names: list[str], others: int) -> str:
    if others:
        return ", ".join(names) + f" and {others} other{'s' if others > 1 else ''}"
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _names_zh(names: list[str], others: int) -> str:
    text = "、".join(names)
    return text + f"等{len(names) + others}位朋友" if others else text


class ThanksBatcher:
    def __init__(self, window_s: float = 8.0, max_names: int = 2, max_batch: int = 50) -> None:
        self.window_s = window_s
        self.max_names = max_names
        self.max_batch = max_batch
        self._pending: list[Support] = []

    def add(self, user: str, kind: str, amount: float = 0.0, count: int = 1,
            at: float = 0.0) -> None:
        """Queue one supporter event; unknown kinds raise ValueError (caller's bug, say so)."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        self._pending.append(Support(user, kind, float(amount or 0.0), max(1, int(count)), at))

    def add_message(self, msg: object, at: float | None = None) -> bool:
        """Queue a chat event if it is a gift/paid/membership one (duck-typed on `msg.kind`)."""
        kind = getattr(msg, "kind", "message")
        if kind not in KINDS:
            return False
        amount = getattr(msg, "amount", 0.0) or 0.0
        self.add(getattr(msg, "user", "?"), kind, amount, getattr(msg, "count", 1) or 1,
                 at if at is not None else getattr(msg, "received_at", 0.0))
        return True

    @property
    def pending(self) -> int:
        return len(self._pending)

    def due(self, now: float) -> bool:
        if not self._pending:
            return False
        return len(self._pending) >= self.max_batch or now - self._pending[0].at >= self.window_s

    def take(self, lang: str = "en") -> str | None:
        """The thank-you line for everything pending (and clear it); None if nothing is."""
        if not self._pending:
            return None
        batch, self._pending = self._pending, []
        parts = []
        for kind in KINDS:
            # Per viewer: total amount, first-seen order for ties.
            totals: dict[str, float] = {}
            for s in batch:
                if s.kind == kind:
                    totals[s.user] = totals.get(s.user, 0.0) + s.amount * s.count
            if not totals:
                continue
            order = sorted(totals, key=lambda u: -totals[u])
            names, others = order[: self.max_names], len(order) - self.max_names
            others = max(0, others)
            if lang == "zh":
                parts.append(f"感谢{_names_zh(names, others)}{_WHAT['zh'][kind]}")
            else:
                parts.append(f"{_names_en(names, others)} {_WHAT['en'][kind]}")
        if lang == "zh":
            return "，".join(parts) + "！"
        return "Thanks " + ", and ".join(parts) + "!"

    def take_if_due(self, now: float, lang: str = "en") -> str | None:
        return self.take(lang) if self.due(now) else None
