"""The normalized chat event every connector produces.

One frozen record for every platform and every kind of event, so triage, the console and the
sales brain never look at a platform's own shapes (those stay in `raw`, for debugging only).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# message: plain chat; paid: bits / Super Chat / 醒目留言 (amount + currency); gift: a platform gift
# (gift name, count); membership: sub / resub / member / 舰长; raid: another channel's viewers
# arrive (count = viewers); withdraw: moderation removed messages (ids) or a user's messages.
KINDS = ("message", "paid", "gift", "membership", "raid", "withdraw")


@dataclass(frozen=True)
class ChatMessage:
    id: str
    platform: str  # "replay", "twitch", "bilibili", "youtube", "ingest", "streamerbot", ...
    user: str  # display name
    text: str
    received_at: float  # show clock (seconds) when it reached vhost
    user_id: str = ""
    kind: str = "message"
    amount: float | None = None  # paid/gift value in `currency` (bits count as currency "bits")
    currency: str | None = None
    gift: str | None = None
    count: int = 1
    badges: tuple[str, ...] = ()
    withdraws: tuple[str, ...] = ()  # message ids withdrawn (Twitch CLEARMSG, YouTube deletion)
    withdraw_user: str | None = None  # all of this user's messages withdrawn (id or login)
    sent_at: float | None = None  # platform timestamp, epoch seconds
    raw: object = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict:
        """The JSON line `vhost chat-tap` prints (and the console can show): no `raw`."""
        return {
            "type": self.kind, "platform": self.platform, "id": self.id, "user": self.user,
            "user_id": self.user_id, "text": self.text, "amount": self.amount,
            "currency": self.currency, "gift": self.gift, "count": self.count,
            "badges": list(self.badges), "withdraws": list(self.withdraws),
            "withdraw_user": self.withdraw_user, "sent_at": self.sent_at,
            "received_at": self.received_at,
        }  # fmt: skip
