"""The show as it happens: the live dashboard's figures, folded in one show event at a time — no
SQLite, no Qt. The definitions are the post-stream report's (intent and sentiment from
`messages`, the product a message is about as in `products.attribute`, question statuses and
coverage as in `answers`), kept incrementally, so a snapshot costs the same at any chat rate.

    live = LiveInsights(Products.from_catalog(catalog))
    live.observe(kind, data, at)      # every show event; `at` on the show clock (see event_time)
    live.snapshot(now)                # JSON-ready figures for the console's dashboard

A switch is suggested when another product than the one on screen drew at least
`SWITCH_MIN_QUESTIONS` questions in the last `recent_s` seconds and `SWITCH_RATIO` times as many as
the product on screen.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from vhost.show.insights.answers import COVERED, STATUSES, percentile
from vhost.show.insights.messages import QUESTION_INTENTS, SENTIMENTS, SUPPORT_KINDS, sentiment
from vhost.show.insights.products import Products

#: intents as the dashboard plots them ("safety" is a question, as in the report's coverage)
INTENTS = ("question", "purchase", "complaint", "greeting", "spam", "other")
BIN_S = 60.0
HISTORY_BINS = 15  # minutes plotted
RECENT_S = 180.0  # "recently", for the questions per product and the switch suggestion
SENTIMENT_S = 300.0  # the sentiment share's window
SUPPORT_S = 300.0  # gifts "lately"
LOST_AFTER_S = 300.0  # an open question older than this is no longer waited on (something was missed)
LATENCY_WINDOW = 50  # the answer latency's most recent replies
SWITCH_MIN_QUESTIONS = 3
SWITCH_RATIO = 2.0
_CLOSED_BY_TRIAGE = ("stale", "withdrawn", "queue full")
_DRAFT_ENDS = ("skipped", "expired", "failed")
_TIME_KEYS = {"chat": "received_at", "unanswered": "at", "state": "clock", "draft": "now"}


def event_time(kind: str, data: dict[str, Any]) -> float | None:
    """The show-clock time an event carries (a chat message's arrival, the state's clock...), or None."""
    key = _TIME_KEYS.get(kind)
    value = data.get(key) if key else None
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def chart_intent(intent: str | None) -> str:
    if intent in QUESTION_INTENTS:
        return "question"
    return intent if intent in INTENTS else "other"


@dataclass
class _Bin:
    messages: int = 0
    intents: Counter = field(default_factory=Counter)
    sentiment: Counter = field(default_factory=Counter)


class _Window:
    """Labels seen in the last `span` seconds, their counts kept as they come and go (a snapshot
    costs the same at any chat rate)."""

    def __init__(self, span: float) -> None:
        self.span = span
        self.counts: Counter = Counter()
        self._items: deque[tuple[float, str]] = deque()

    def add(self, at: float, label: str) -> None:
        self._items.append((at, label))
        self.counts[label] += 1

    def prune(self, now: float) -> None:
        while self._items and self._items[0][0] <= now - self.span:
            _, label = self._items.popleft()
            self.counts[label] -= 1
            if not self.counts[label]:
                del self.counts[label]

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class _Question:
    at: float
    status: str = "not_answered"  # one of answers.STATUSES
    open: bool = True
    members: list[str] = field(default_factory=list)  # questions triage merged into this one


class LiveInsights:
    def __init__(self, products: Products | None = None, *, bin_s: float = BIN_S, history_bins: int = HISTORY_BINS,
                 recent_s: float = RECENT_S, sentiment_s: float = SENTIMENT_S) -> None:
        self.products = products or Products()
        self.bin_s, self.history_bins, self.recent_s, self.sentiment_s = bin_s, history_bins, recent_s, sentiment_s
        self.on_screen: str | None = self.products.first
        self.messages = 0
        self._seen: set[str] = set()
        self._bins: dict[int, _Bin] = {}
        self._last_min = _Window(60.0)
        self._feelings = _Window(sentiment_s)  # sentiment labels
        self._funnel: dict[str, Counter] = {}
        self._recent_q = _Window(recent_s)  # the product each recent question was about
        self._questions: dict[str, _Question] = {}
        self._open: dict[str, float] = {}  # questions still waiting -> when asked (arrival order)
        self._status: Counter = Counter()
        self._latency: deque[float] = deque(maxlen=LATENCY_WINDOW)
        self._last_answer_at: float | None = None
        self._unanswered: dict[str, float] = {}  # honest unknowns the operator has not answered yet
        self._support = {"events": 0, "totals": Counter(), "people": Counter(), "recent": _Window(SUPPORT_S)}

    # --- events -------------------------------------------------------------------------------
    def observe(self, kind: str, data: dict[str, Any], at: float) -> None:
        """Fold one show event in (kind and payload as the console and the record get them)."""
        if kind == "chat":
            self._chat(data, at)
        elif kind == "triage":
            if data.get("reason") in _CLOSED_BY_TRIAGE:
                self._close(str(data.get("id")), "dropped_by_triage")
        elif kind == "reply":
            self._reply(data, at)
        elif kind == "unanswered" and data.get("id"):
            self._unanswered.setdefault(str(data["id"]), at)
            self._close(str(data["id"]), "honest_unknown")
        elif kind == "answered":
            self._unanswered.pop(str(data.get("id")), None)
            self._close(str(data.get("id")), "answered_by_operator", reopen=True)
        elif kind == "draft":
            d = data.get("draft") or {}
            if d.get("chat_id") and d.get("state") in _DRAFT_ENDS:
                self._close(str(d["chat_id"]), "not_answered")
        elif kind == "product" and data.get("id"):
            self.on_screen = str(data["id"])
        elif kind == "state" and isinstance(data.get("product"), dict) and data["product"].get("id"):
            self.on_screen = str(data["product"]["id"])

    def _chat(self, data: dict[str, Any], at: float) -> None:
        cid = str(data.get("id") or "")
        if not cid or cid in self._seen:
            return  # nothing to key it by, or the same message delivered again
        self._seen.add(cid)
        kind = str(data.get("kind") or "message")
        if kind in SUPPORT_KINDS:
            self._supported(data, at)
        if kind != "message":
            return
        text, intent = str(data.get("text") or ""), str(data.get("intent") or "other")
        feeling = sentiment(text, intent)
        self.messages += 1
        b = self._bins.setdefault(int(at // self.bin_s), _Bin())
        b.messages += 1
        b.intents[chart_intent(intent)] += 1
        b.sentiment[feeling] += 1
        self._last_min.add(at, "")
        self._feelings.add(at, feeling)
        question, purchase = intent in QUESTION_INTENTS, intent == "purchase"
        pid = self.products.find(text) if text else None
        if pid is None and (question or purchase):
            pid = self.on_screen  # "how much?" is about what is on screen
        if pid is not None:
            f = self._funnel.setdefault(pid, Counter())
            f.update(mentions=1, questions=int(question), purchase_signals=int(purchase))
            if question:
                self._recent_q.add(at, pid)
        if question:
            self._asked(cid, data, at)
        self._prune(at)

    def _asked(self, cid: str, data: dict[str, Any], at: float) -> None:
        self._questions[cid] = _Question(at)
        self._open[cid] = at
        self._status["not_answered"] += 1
        target = data.get("merged_into")
        if target and str(target) in self._questions and str(target) != cid:
            t = self._questions[str(target)]
            t.members.append(cid)
            if not t.open:
                self._set(cid, t.status, still_open=False)
        elif not data.get("accepted", True):
            reason, detail = data.get("reason"), str(data.get("detail") or "")
            self._set(cid, "already_answered" if reason == "duplicate" and "answered" in detail
                      else "dropped_by_triage", still_open=False)

    def _reply(self, data: dict[str, Any], at: float) -> None:
        lat = data.get("latency_s")
        if isinstance(lat, int | float) and math.isfinite(lat) and lat >= 0:
            self._latency.append(float(lat))
        cid = str(data.get("chat_id") or "")
        heard = str(data.get("heard_text") or "").strip()
        if data.get("path") == "unknown":
            self._close(cid, "honest_unknown")
        elif heard:
            self._last_answer_at = at
            self._close(cid, "answered", reopen=True)
        else:
            self._close(cid, "not_answered")  # cut off before a word was heard

    def _supported(self, data: dict[str, Any], at: float) -> None:
        s = self._support
        s["events"] += 1
        s["people"][str(data.get("user") or "")] += 1
        s["recent"].add(at, "")
        amount = data.get("amount")
        if isinstance(amount, int | float) and math.isfinite(amount):
            s["totals"][str(data.get("currency") or "?")] += float(amount)

    # --- question statuses ----------------------------------------------------------------------
    def _set(self, cid: str, status: str, still_open: bool) -> None:
        q = self._questions[cid]
        self._status[q.status] -= 1
        self._status[status] += 1
        q.status, q.open = status, still_open
        if not still_open:
            self._open.pop(cid, None)

    def _close(self, cid: str, status: str, reopen: bool = False) -> None:
        """A question (and those merged into it) settled. `reopen`: an answer overrides an earlier
        ending (an honest "I'll check", later answered by the operator)."""
        q = self._questions.get(cid)
        if q is None or (not q.open and not reopen) or q.status in COVERED:
            return
        for member in [cid, *q.members]:
            m = self._questions.get(member)
            if m is not None and (m.open or reopen) and m.status not in COVERED:
                self._set(member, status, still_open=False)

    def _prune(self, now: float) -> None:
        for window in (self._last_min, self._feelings, self._recent_q, self._support["recent"]):
            window.prune(now)
        oldest = int(now // self.bin_s) - self.history_bins + 1
        for key in [k for k in self._bins if k < oldest]:
            del self._bins[key]

    # --- figures --------------------------------------------------------------------------------
    def snapshot(self, now: float) -> dict[str, Any]:
        """Everything the dashboard shows, as of `now` (show clock)."""
        self._prune(now)
        return {"now": now, "messages": self.messages, "per_minute": self._per_minute(now),
                "messages_last_min": len(self._last_min),
                "sentiment": self._sentiment(now), "products": self.interest(now),
                "on_screen": self.on_screen, "suggestion": self.suggestion(now), "answers": self._answers(now),
                "unanswered": len(self._unanswered), "gifts": self._gifts()}

    def _per_minute(self, now: float) -> dict[str, Any]:
        last = int(now // self.bin_s)
        keys = range(last - self.history_bins + 1, last + 1)
        bins = [self._bins.get(k) or _Bin() for k in keys]
        return {"bin_s": self.bin_s, "start_s": [k * self.bin_s for k in keys],
                "messages": [b.messages for b in bins],
                "intents": {i: [b.intents.get(i, 0) for b in bins] for i in INTENTS},
                "sentiment": {s: [b.sentiment.get(s, 0) for b in bins] for s in SENTIMENTS}}

    def _sentiment(self, now: float) -> dict[str, Any]:
        counts = self._feelings.counts
        n = sum(counts.values())
        return {"window_s": self.sentiment_s, "n": n,
                "shares": {s: (counts.get(s, 0) / n if n else 0.0) for s in SENTIMENTS}}

    def interest(self, now: float) -> list[dict[str, Any]]:
        """Per product (every catalog product, then any other named): mentions, questions and
        purchase signals over the show, questions in the last `recent_s`. In catalog order, so a
        table of them does not reorder under the operator's eyes."""
        self._prune(now)
        recent = self._recent_q.counts
        pids = list(dict.fromkeys([*self.products.names, *self._funnel]))
        rows = []
        for pid in pids:
            f = self._funnel.get(pid, Counter())
            rows.append({"product": pid, "name": self.products.name(pid), "mentions": f["mentions"],
                         "questions": f["questions"], "purchase_signals": f["purchase_signals"],
                         "recent_questions": recent.get(pid, 0), "on_screen": pid == self.on_screen})
        return rows

    def suggestion(self, now: float) -> dict[str, Any] | None:
        """{product, name, recent_questions, on_screen_questions, window_s} when viewers are clearly
        asking about another product than the one on screen; else None."""
        self._prune(now)
        recent = self._recent_q.counts
        current = recent.get(self.on_screen, 0) if self.on_screen else 0
        others = [(n, pid) for pid, n in recent.items() if pid != self.on_screen]
        if not others:
            return None
        n, pid = max(others, key=lambda x: (x[0], x[1]))
        if n < SWITCH_MIN_QUESTIONS or n < SWITCH_RATIO * current:
            return None
        return {"product": pid, "name": self.products.name(pid), "recent_questions": n,
                "on_screen_questions": current, "window_s": self.recent_s}

    def _answers(self, now: float) -> dict[str, Any]:
        total = sum(self._status.values())
        covered = sum(self._status[s] for s in COVERED)
        while self._open and now - next(iter(self._open.values())) > LOST_AFTER_S:
            del self._open[next(iter(self._open))]  # nobody waits that long: something was missed
        waiting = [max(0.0, now - at) for at in self._open.values()]
        lat = list(self._latency)
        return {"questions": total, "covered": covered, "coverage": covered / total if total else None,
                **{s: self._status.get(s, 0) for s in STATUSES},
                "open": len(waiting), "oldest_open_s": max(waiting, default=None),
                "latency_n": len(lat), "latency_p50_s": percentile(lat, 50), "latency_p95_s": percentile(lat, 95),
                "last_answer_ago_s": max(0.0, now - self._last_answer_at) if self._last_answer_at is not None else None}

    def _gifts(self) -> dict[str, Any]:
        s = self._support
        top = sorted(s["people"].items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        return {"events": s["events"], "recent": len(s["recent"]), "window_s": SUPPORT_S,
                "totals": dict(s["totals"]), "supporters": len(s["people"]),
                "top": [{"user": u, "events": n} for u, n in top]}
