"""Chat triage: which viewer message the host answers next, and why every other one was not.

Pure and synchronous (the caller passes the show clock), so every rule is unit-testable.
Every decision is appended to `decisions` (and passed to `on_decision`) with its reason: a message
must never vanish silently, or a viewer's question is lost with nothing to say why.

- `offer(msg)`: normalize, screen (empty, spam, prompt injection, per-user rate, duplicates),
  then queue it, or merge it into a queued item asking the same thing ("5 viewers asked the
  price": the item keeps every asker). Withdraw events remove queued messages. Gifts, memberships
  and raids are accepted with reason "event" and never queued (the host thanks them); a paid
  message is queued for an answer, and one without words is accepted as an event.
- `next(now)` / `next_item(now)`: ages out stale items (reason "stale"), honours the pacing
  (answers per minute), and hands out the best item: safety > paid > purchase > product question >
  other question / complaint > greeting > other; more askers first within a rank, then oldest.
- `snapshot(now)`: the queue as the console shows it.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import lru_cache

from vhost.chat.events import ChatMessage
from vhost.chat.intent import (
    INTENTS,
    MAX_TEXT_CHARS,
    analyze,
    classify,
    normalize_text,
)

__all__ = ["INTENTS", "MAX_TEXT_CHARS", "RANK", "Decision", "QueueItem", "Triage", "TriageDecision",
           "classify", "normalize_text"]  # fmt: skip

DUPLICATE_WINDOW_S = 30.0
# A viewer welcomed in the last ten minutes is not welcomed again ("hi" then "主播好"): the voice's
# time goes to questions.
GREETED_WINDOW_S = 600.0
AGE_STEP_S = 15.0  # waiting this long is worth one rank in the dispatch order
_NEAR_DUP_MIN_LEN = 8  # shorter keys ("hi", "666") only match exactly
_NEAR_DUP_RATIO = 0.9
RANK: dict[str, int] = {"safety": 6, "paid": 5, "purchase": 4, "product question": 3, "question": 2,
                        "complaint": 2, "greeting": 1, "other": 0}  # fmt: skip
_EVENT_KINDS = {"gift", "membership", "raid"}
_MAX_DECISIONS = 50_000  # then the oldest half goes (on_decision has seen every one)


@dataclass(frozen=True)
class TriageDecision:
    accepted: bool
    intent: str
    reason: str  # queued merged dispatched event withdrawn | empty spam injection rate limit duplicate stale queue full
    msg_id: str = ""
    user: str = ""
    text: str = ""
    rank: int | None = None
    merged_into: str | None = None  # the queue item's id this message joined
    merged_count: int = 1  # askers in that item after this decision
    detail: str = ""  # human words: "3 viewers asked", "52 s old", the matched injection phrase

    def to_event(self) -> dict:
        """The console's "triage" event (vhost.ui.chat_model.apply_decision reads these keys)."""
        return {"id": self.msg_id, "accepted": self.accepted, "intent": self.intent, "rank": self.rank,
                "reason": self.reason, "merged_into": self.merged_into, "merged_count": self.merged_count,
                "target_count": self.merged_count if self.merged_into else None, "detail": self.detail}  # fmt: skip


Decision = TriageDecision


@dataclass
class QueueItem:
    """One thing to answer: the first message, plus everyone who asked the same since."""

    msg: ChatMessage
    intent: str  # classify()'s intent, or "paid"
    rank: int
    seq: int
    key: str
    tokens: frozenset[str]
    topic: str
    askers: list[ChatMessage] = field(default_factory=list)
    user_keys: set[str] = field(default_factory=set)  # who asked: O(1) "already asked" in a burst

    @property
    def id(self) -> str:
        return self.msg.id

    @property
    def count(self) -> int:
        return len(self.askers)

    @property
    def first_at(self) -> float:
        return self.askers[0].received_at

    @property
    def last_at(self) -> float:
        return self.askers[-1].received_at

    @property
    def users(self) -> list[str]:
        return [m.user for m in self.askers]


def _similar(key: str, tokens: frozenset[str], top: str, other: QueueItem) -> bool:
    return _similar_cached(key, tokens, top, other.key, other.tokens, other.topic)


@lru_cache(maxsize=65_536)
def _similar_cached(key: str, tokens: frozenset[str], top: str, okey: str, otokens: frozenset[str],
                    otop: str) -> bool:  # fmt: skip
    # Cached: in a burst the same pairs (a new line vs the ~20 queued items) come up again and again.
    if key == okey:
        return True
    if top and top == otop:
        union = tokens | otokens
        # Same topic about the same thing ("how much is the mug?" / "mug price?"), or both vague.
        if not union or len(tokens & otokens) / len(union) >= 0.5:
            return True
    return _near_duplicate(key, okey)


@lru_cache(maxsize=65_536)
def _near_duplicate(a: str, b: str) -> bool:
    la, lb = len(a), len(b)
    if min(la, lb) < _NEAR_DUP_MIN_LEN or 2 * min(la, lb) / (la + lb) < _NEAR_DUP_RATIO:
        return False  # too short to compare fuzzily, or lengths too far apart to reach the ratio
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return sm.real_quick_ratio() >= _NEAR_DUP_RATIO and sm.quick_ratio() >= _NEAR_DUP_RATIO \
        and sm.ratio() >= _NEAR_DUP_RATIO  # fmt: skip


class Triage:
    def __init__(
        self,
        max_queue: int = 20,
        stale_after_s: float = 45.0,
        *,
        answers_per_minute: float | None = None,
        per_user_per_minute: int | None = None,
        welcome_stale_after_s: float | None = None,
        product_words: Iterable[str] = (),
        on_decision: Callable[[TriageDecision], None] | None = None,
    ) -> None:
        if max_queue < 1:
            raise ValueError("max_queue must be at least 1")
        if answers_per_minute is not None and answers_per_minute <= 0:
            raise ValueError("answers_per_minute must be positive (or None for no pacing)")
        self.max_queue = max_queue
        self.stale_after_s = stale_after_s
        # a hello goes sooner than a question: a late welcome costs every question behind it
        self.welcome_stale_after_s = stale_after_s if welcome_stale_after_s is None else welcome_stale_after_s
        self.answers_per_minute = answers_per_minute
        self.per_user_per_minute = per_user_per_minute
        self.product_words = {w.casefold() for w in product_words if w}
        self.on_decision = on_decision
        self.decisions: list[TriageDecision] = []
        self.offered = 0
        self._queue: list[QueueItem] = []
        # answered: (t, key, tokens, topic, the askers' keys)
        self._recent: deque[tuple[float, str, frozenset[str], str, frozenset[str]]] = deque()
        self._seen: OrderedDict[str, None] = OrderedDict()  # ids offered, bounded
        self._withdrawn: OrderedDict[str, None] = OrderedDict()
        self._by_user: dict[str, deque[float]] = {}
        self._greeted: dict[str, float] = {}  # user key -> when their welcome was dispatched
        self._now = 0.0  # the show clock as last seen (an offer or a dispatch): for the order
        self._last_dispatch: float | None = None
        self._seq = 0

    classify = staticmethod(classify)

    @classmethod
    def from_config(cls, cfg, **kw) -> Triage:
        """From a `vhost.chat.config.TriageConfig`."""
        return cls(max_queue=cfg.max_queue, stale_after_s=cfg.max_age_s, answers_per_minute=cfg.answers_per_minute,
                   per_user_per_minute=cfg.per_user_per_minute, welcome_stale_after_s=cfg.welcome_max_age_s,
                   **kw)  # fmt: skip

    # --- intake ---------------------------------------------------------------------
    @property
    def pending(self) -> list[ChatMessage]:
        """Queued messages (the first asker of each item) in the order `next` hands them out."""
        return [e.msg for e in sorted(self._queue, key=self._dispatch_order)]

    def offer(self, msg: ChatMessage) -> TriageDecision:
        """Consider one incoming event; queue, merge, list or drop it, and record why."""
        self.offered += 1
        self._now = max(self._now, msg.received_at)
        if msg.kind == "withdraw":
            n = self.withdraw(msg.withdraws, user=msg.withdraw_user, platform=msg.platform)
            return self._log(msg, "withdraw", True, "withdrawn", detail=f"{n} queued message(s) removed")
        if msg.id in self._seen:
            return self._log(msg, msg.kind, False, "duplicate", detail="same id delivered again")
        self._remember(self._seen, msg.id)
        if msg.id in self._withdrawn:
            return self._log(msg, msg.kind, False, "withdrawn", detail="withdrawn before it arrived")
        if msg.kind in _EVENT_KINDS:
            return self._log(msg, msg.kind, True, "event", detail="for the thanks batcher")
        text = normalize_text(msg.text)
        if text != msg.text:
            msg = replace(msg, text=text)
        paid = msg.kind == "paid"
        if not text:
            # A paid message without words is thanked (events), not answered.
            return self._log(msg, "paid" if paid else "other", paid, "event" if paid else "empty")
        a = analyze(text)
        intent, key, tokens, top = a.intent, a.key, a.tokens, a.topic
        if a.injection:
            return self._log(msg, intent, False, "injection", detail=a.injection)
        if intent == "spam" and not paid:
            return self._log(msg, intent, False, "spam")
        if not paid and self._rate_limited(msg):
            return self._log(msg, intent, False, "rate limit",
                             detail=f"over {self.per_user_per_minute} messages a minute")  # fmt: skip
        if not paid and (repeat := self._repeat(msg, intent, key, tokens, top)) is not None:
            return repeat
        rank_intent = "paid" if paid else intent
        if intent == "question" and (top or self._mentions_product(text)):
            rank_intent = "product question"
        item = QueueItem(msg, "paid" if paid else intent, RANK[rank_intent], self._seq, key, tokens, top, [msg],
                         {self._user_key(msg)})  # fmt: skip
        self._seq += 1
        if len(self._queue) >= self.max_queue:
            # Evict the least useful: lowest rank, fewest askers, then oldest; maybe the newcomer.
            victim = min([*self._queue, item], key=lambda e: (e.rank, e.count, e.last_at, e.seq))
            if victim is item:
                return self._log(msg, item.intent, False, "queue full", rank=item.rank)
            self._queue.remove(victim)
            for m in victim.askers:
                self._log(m, victim.intent, False, "queue full", rank=victim.rank)
        self._queue.append(item)
        self._count_user(msg)
        return self._log(msg, item.intent, True, "queued", rank=item.rank)

    def _repeat(self, msg: ChatMessage, intent: str, key: str, tokens: frozenset[str],
                top: str) -> TriageDecision | None:  # fmt: skip
        """Merged into a queued item asking the same, or a duplicate; None: a new item."""
        for item in self._queue:
            if item.intent == intent and _similar(key, tokens, top, item):
                return self._merge(item, msg)
        greeted = self._greeted.get(self._user_key(msg))
        if intent == "greeting" and greeted is not None and msg.received_at - greeted < GREETED_WINDOW_S:
            return self._log(msg, intent, False, "duplicate", detail=f"welcomed {msg.received_at - greeted:.0f} s ago")
        # The same question answered moments ago: its askers heard their answer; a viewer who
        # was not among them is answered too (a repeat says the fact again, by name), since
        # a question is never dropped only because someone else asked it first.
        answered = self._answered_recently(msg.received_at, key, tokens, top)
        if answered is not None and self._user_key(msg) in answered:
            return self._log(msg, intent, False, "duplicate", detail="just answered")
        return None

    def _merge(self, item: QueueItem, msg: ChatMessage) -> TriageDecision:
        if self._user_key(msg) in item.user_keys:
            return self._log(msg, item.intent, False, "duplicate", rank=item.rank,
                             detail=f"{msg.user} already asked this")  # fmt: skip
        item.askers.append(msg)
        item.user_keys.add(self._user_key(msg))
        self._count_user(msg)
        return self._log(msg, item.intent, True, "merged", rank=item.rank, merged_into=item.id,
                         merged_count=item.count, detail=f"{item.count} viewers asked")  # fmt: skip

    # --- output ---------------------------------------------------------------------
    def next(self, now: float) -> ChatMessage | None:
        item = self.next_item(now)
        return item.msg if item else None

    def next_item(self, now: float) -> QueueItem | None:
        """The item to answer now (with all its askers), or None (empty queue, or pacing)."""
        self._now = max(self._now, now)
        self.expire(now)
        if not self._queue:
            return None
        if self.answers_per_minute and self._last_dispatch is not None \
                and now - self._last_dispatch < 60.0 / self.answers_per_minute:  # fmt: skip
            return None
        best = min(self._queue, key=self._dispatch_order)
        self._queue.remove(best)
        self._last_dispatch = now
        self._recent.append((now, best.key, best.tokens, best.topic, frozenset(best.user_keys)))
        if best.intent == "greeting":
            if len(self._greeted) > 50_000:  # a long show: forget welcomes older than the window
                self._greeted = {k: t for k, t in self._greeted.items() if now - t < GREETED_WINDOW_S}
            self._greeted.update(dict.fromkeys(best.user_keys, now))
        self._log(best.msg, best.intent, True, "dispatched", rank=best.rank, merged_count=best.count,
                  detail=f"{best.count} viewers asked" if best.count > 1 else "")  # fmt: skip
        return best

    def expire(self, now: float) -> None:
        """Drop items whose newest asker waited longer than `stale_after_s` (a welcome:
        `welcome_stale_after_s`) (reason "stale")."""
        def limit(e: QueueItem) -> float:
            return self.welcome_stale_after_s if e.intent == "greeting" else self.stale_after_s

        for e in [e for e in self._queue if now - e.last_at > limit(e)]:
            self._queue.remove(e)
            for m in e.askers:
                self._log(m, e.intent, False, "stale", rank=e.rank, detail=f"{now - m.received_at:.0f} s old")

    def withdraw(self, ids: str | Iterable[str] = (), *, user: str | None = None,
                 platform: str | None = None) -> int:  # fmt: skip
        """Remove queued messages by id, or every message of `user` (id or name; "*" = all on
        `platform`). Returns how many messages left the queue."""
        ids = {ids} if isinstance(ids, str) else set(ids)
        for i in ids:
            self._remember(self._withdrawn, i)
        removed = 0
        for item in list(self._queue):
            keep = []
            for m in item.askers:
                gone = m.id in ids or (user is not None and (platform is None or m.platform == platform)
                                       and (user == "*" or user in (m.user_id, m.user)))  # fmt: skip
                if gone:
                    removed += 1
                    self._log(m, item.intent, False, "withdrawn", rank=item.rank)
                else:
                    keep.append(m)
            if not keep:
                self._queue.remove(item)
            elif len(keep) != len(item.askers):
                item.askers = keep
                item.user_keys = {self._user_key(m) for m in keep}
                item.msg = keep[0]  # the item is now represented by someone still asking
        return removed

    def snapshot(self, now: float) -> list[dict]:
        """The queue for the console, in dispatch order."""
        return [{"id": e.id, "users": e.users, "user_ids": [m.user_id for m in e.askers],
                 "ids": [m.id for m in e.askers], "platform": e.msg.platform, "text": e.msg.text,
                 "intent": e.intent, "rank": e.rank, "merged_count": e.count,
                 "age_s": round(now - e.first_at, 1), "status": "queued",
                 "reason": f"merged: {e.count} viewers asked" if e.count > 1 else "queued",
                 "amount": e.msg.amount, "currency": e.msg.currency}
                for e in sorted(self._queue, key=self._dispatch_order)]  # fmt: skip

    # --- helpers --------------------------------------------------------------------
    def _dispatch_order(self, e: QueueItem) -> tuple[int, int, float, int]:
        # A question that has waited AGE_STEP_S moves up one rank (once), so a stream of
        # higher-ranked ones ("how do I buy?") cannot keep it waiting until it goes stale. A
        # welcome does not: it goes when old (welcome_stale_after_s), never ahead of a question.
        aged = int(self._now - e.first_at >= AGE_STEP_S and e.intent != "greeting")
        return (-(e.rank + aged), -e.count, e.first_at, e.seq)

    @staticmethod
    def _user_key(m: ChatMessage) -> str:
        return f"{m.platform}\x00{m.user_id or m.user}"

    def _rate_limited(self, msg: ChatMessage) -> bool:
        if not self.per_user_per_minute:
            return False
        times = self._by_user.get(self._user_key(msg))
        if times is None:
            return False
        while times and msg.received_at - times[0] > 60.0:
            times.popleft()
        return len(times) >= self.per_user_per_minute

    def _count_user(self, msg: ChatMessage) -> None:
        if self.per_user_per_minute:
            if len(self._by_user) > 50_000:  # a long show: forget users idle for a minute
                self._by_user = {k: v for k, v in self._by_user.items() if v and msg.received_at - v[-1] <= 60}
            self._by_user.setdefault(self._user_key(msg), deque()).append(msg.received_at)

    def _answered_recently(self, t: float, key: str, tokens: frozenset[str], top: str) -> frozenset[str] | None:
        """The askers of a similar question answered in the last DUPLICATE_WINDOW_S, else None."""
        while self._recent and t - self._recent[0][0] > DUPLICATE_WINDOW_S:
            self._recent.popleft()
        askers = [users for _, k, tk, tp, users in self._recent
                  if _similar(key, tokens, top, QueueItem(None, "", 0, 0, k, tk, tp))]  # type: ignore[arg-type]
        return frozenset().union(*askers) if askers else None

    def _mentions_product(self, text: str) -> bool:
        low = text.casefold()
        return any(w in low for w in self.product_words)

    @staticmethod
    def _remember(d: OrderedDict[str, None], key: str, limit: int = 20_000) -> None:
        d[key] = None
        if len(d) > limit:
            d.popitem(last=False)

    def _log(self, msg: ChatMessage, intent: str, accepted: bool, reason: str, *, rank: int | None = None,
             merged_into: str | None = None, merged_count: int = 1, detail: str = "") -> TriageDecision:  # fmt: skip
        d = TriageDecision(accepted, intent, reason, msg.id, msg.user, msg.text, rank, merged_into,
                           merged_count, detail)  # fmt: skip
        self.decisions.append(d)
        if len(self.decisions) > _MAX_DECISIONS:
            del self.decisions[: _MAX_DECISIONS // 2]
        if self.on_decision is not None:
            self.on_decision(d)
        return d
