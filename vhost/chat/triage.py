"""Minimal chat triage: which viewer message the host answers next.

Pure and synchronous (the caller passes the show clock), so every rule is unit-testable.
Every decision, including drops, is appended to `decisions` with its reason: a message must
never vanish silently, or a viewer's question is lost with nothing in the logs to say why.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from vhost.chat.events import ChatMessage

MAX_TEXT_CHARS = 300
DUPLICATE_WINDOW_S = 30.0
# Keys at least this long are compared fuzzily; short ones ("hi", "666") only exactly, since a
# one-letter difference there is a different message.
_NEAR_DUP_MIN_LEN = 8
_NEAR_DUP_RATIO = 0.9

INTENTS = ("purchase", "question", "greeting", "other", "spam")
RANK: dict[str, int] = {"purchase": 3, "question": 2, "greeting": 1, "other": 0}

_SPAM = re.compile(
    r"https?://|www\.|\b[\w-]+\.(?:com|net|org|io|gg|xyz|ly|me|tv|co|top|site|shop)\b"
    r"|\bfollow\s*(?:me|back|4|for)\b|free\s+(?:followers|subs|views|likes)|\bsub\s*4\s*sub\b"
    r"|check\s+(?:out\s+)?my\s+(?:profile|channel|page)|\bdm\s+me\b"
    r"|关注我|加我|加微信|加v|免费粉|刷粉|互粉",
    re.IGNORECASE,
)
# The same character 7+ times ("!!!!!!!", "aaaaaaaa"): flooding, not a message.
_REPEAT = re.compile(r"(\S)\1{6,}")
_PURCHASE = re.compile(
    r"\b(?:buy|buying|purchase|order(?:ing|ed)?|checkout|check\s+out|add(?:ed)?\s+to\s+cart"
    r"|i'?ll\s+take|i\s+want\s+(?:one|two|it|this|that|the)|take\s+my\s+money|in\s+my\s+cart)\b"
    r"|买|下单|购买|付款|拍了|拍一|拍下|要一个|要两个|上链接|链接在哪",
    re.IGNORECASE,
)
_QUESTION = re.compile(
    r"[?？]"
    r"|^\s*(?:how|what|what's|whats|when|where|which|who|why|is|are|does|do|did|can|could"
    r"|will|would|should|any)\b"
    r"|\b(?:how\s+much|how\s+long|how\s+many|price|cost|ship(?:ping)?|discount|deal)\b"
    r"|多少|怎么|吗|什么|几|哪|呢|能不能|是不是|有没有|价格|价钱|包邮|发货",
    re.IGNORECASE,
)
_GREETING = re.compile(
    r"^\s*(?:hi|hii+|hello|hey|heya|hiya|yo|howdy|hola|sup|greetings"
    r"|good\s+(?:morning|afternoon|evening)|what'?s\s+up)\b"
    r"|你好|您好|大家好|哈喽|嗨|早上好|晚上好|下午好|来了",
    re.IGNORECASE,
)


def normalize_text(text: str) -> str:
    """NFKC (full-width → ASCII), control/format chars dropped, spaces collapsed, capped."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in ("Cc", "Cf")
    )
    return " ".join(text.split())[:MAX_TEXT_CHARS]


def classify(text: str) -> str:
    """Intent of one chat line: "purchase", "question", "greeting", "spam" or "other"."""
    t = normalize_text(text)
    if _SPAM.search(t) or _REPEAT.search(t):
        return "spam"
    if _PURCHASE.search(t):
        return "purchase"
    if _QUESTION.search(t):
        return "question"
    if _GREETING.search(t):
        return "greeting"
    return "other"


def _dedupe_key(text: str) -> str:
    # Case, spacing and punctuation don't make a message new ("How much??" == "how much").
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _near_duplicate(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < _NEAR_DUP_MIN_LEN:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= _NEAR_DUP_RATIO


@dataclass(frozen=True)
class TriageDecision:
    accepted: bool
    intent: str
    reason: str  # "queued", "dispatched", "spam", "duplicate", "empty", "stale", "queue full", "withdrawn"
    msg_id: str = ""
    user: str = ""
    text: str = ""


@dataclass(frozen=True)
class _Entry:
    msg: ChatMessage
    intent: str
    seq: int  # arrival order, the last tie-break

    @property
    def rank(self) -> int:
        return RANK[self.intent]


class Triage:
    def __init__(self, max_queue: int = 20, stale_after_s: float = 45.0) -> None:
        if max_queue < 1:
            raise ValueError("max_queue must be at least 1")
        self.max_queue = max_queue
        self.stale_after_s = stale_after_s
        self.decisions: list[TriageDecision] = []
        self._queue: list[_Entry] = []
        self._recent: deque[tuple[float, str, str]] = deque()  # (received_at, key, msg id)
        self._seq = 0

    classify = staticmethod(classify)

    @property
    def pending(self) -> list[ChatMessage]:
        """Queued messages in the order `next` would hand them out (stale ones included)."""
        return [e.msg for e in sorted(self._queue, key=self._dispatch_order)]

    def offer(self, msg: ChatMessage) -> TriageDecision:
        """Consider one incoming message; queue it or record why not."""
        text = normalize_text(msg.text)
        msg = replace(msg, text=text)
        if not text:
            return self._log(msg, "other", accepted=False, reason="empty")
        intent = classify(text)
        if intent == "spam":
            return self._log(msg, intent, accepted=False, reason="spam")
        key = _dedupe_key(text) or text
        if self._is_duplicate(msg, key):
            return self._log(msg, intent, accepted=False, reason="duplicate")

        entry = _Entry(msg, intent, self._seq)
        self._seq += 1
        if len(self._queue) >= self.max_queue:
            # Evict the least useful: lowest rank, then oldest. That may be the newcomer itself.
            victim = min([*self._queue, entry], key=lambda e: (e.rank, e.msg.received_at, e.seq))
            if victim is entry:
                return self._log(msg, intent, accepted=False, reason="queue full")
            self._queue.remove(victim)
            self._log(victim.msg, victim.intent, accepted=False, reason="queue full")
        self._queue.append(entry)
        self._recent.append((msg.received_at, key, msg.id))
        return self._log(msg, intent, accepted=True, reason="queued")

    def next(self, now: float) -> ChatMessage | None:
        """The message to answer now (highest rank, then oldest), after dropping stale ones."""
        for e in [e for e in self._queue if now - e.msg.received_at > self.stale_after_s]:
            self._queue.remove(e)
            self._log(e.msg, e.intent, accepted=False, reason="stale")
        if not self._queue:
            return None
        best = min(self._queue, key=self._dispatch_order)
        self._queue.remove(best)
        self._log(best.msg, best.intent, accepted=True, reason="dispatched")
        return best.msg

    def withdraw(self, msg_id: str) -> bool:
        """Remove a queued message (deleted by a moderator, or the viewer left); True if found."""
        for e in self._queue:
            if e.msg.id == msg_id:
                self._queue.remove(e)
                self._log(e.msg, e.intent, accepted=False, reason="withdrawn")
                return True
        return False

    @staticmethod
    def _dispatch_order(e: _Entry) -> tuple[int, float, int]:
        return (-e.rank, e.msg.received_at, e.seq)

    def _is_duplicate(self, msg: ChatMessage, key: str) -> bool:
        t = msg.received_at
        while self._recent and t - self._recent[0][0] > DUPLICATE_WINDOW_S:
            self._recent.popleft()
        return any(
            mid == msg.id or (abs(t - at) <= DUPLICATE_WINDOW_S and _near_duplicate(key, k))
            for at, k, mid in self._recent
        )

    def _log(self, msg: ChatMessage, intent: str, *, accepted: bool, reason: str) -> TriageDecision:
        d = TriageDecision(accepted, intent, reason, msg.id, msg.user, msg.text)
        self.decisions.append(d)
        return d
