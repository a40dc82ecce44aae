"""Which product chat wants to see: interest scores from chat, with decay, and a suggestion.

Each message about a product (named, or the one on screen when none is named and the message is
a question or a purchase intent) adds to that product's score: a mention 1, a question 2, a
purchase intent ("I'll take it", "怎么买", "下单") 4. Scores halve every `half_life_s`, so the
suggestion follows what chat wants now, not an hour ago. The operator sees the scores and the
suggested next product; the host never switches on its own.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from vhost.brain.catalog import Catalog

WEIGHTS = {"mention": 1.0, "question": 2.0, "purchase": 4.0}
_PURCHASE = re.compile(
    r"\b(?:i'?ll\s+take|i\s+want|want\s+(?:one|it|two)|buy(?:ing)?|order(?:ed|ing)?|add(?:ed)?\s+to\s+cart"
    r"|in\s+my\s+cart|purchase|take\s+my\s+money|sold|where\s+(?:can|do)\s+i\s+get|need\s+(?:one|this))\b"
    r"|要了|想要|我要|买了|下单|怎么买|拍了|拍一|加购|购物车|上车|冲了|带走",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"\?|？|吗|呢|多少|几|怎么|什么|哪|^(?:how|what|which|does|do|is|are|can|will|when)\b",
                       re.IGNORECASE)


@dataclass(frozen=True)
class Suggestion:
    product_id: str
    score: float
    current_score: float
    reason: str


class InterestTracker:
    def __init__(self, catalog: Catalog, half_life_s: float = 180.0,
                 switch_margin: float = 1.5, min_score: float = 3.0) -> None:
        self.catalog = catalog
        self.half_life_s = half_life_s
        self.switch_margin = switch_margin  # suggest only when clearly ahead of the current one
        self.min_score = min_score
        self._scores = {pid: 0.0 for pid in catalog.ids}
        self._signals = {pid: {"mention": 0, "question": 0, "purchase": 0} for pid in catalog.ids}
        self._at = 0.0

    def _decay_to(self, now: float) -> None:
        if now > self._at:
            factor = math.pow(0.5, (now - self._at) / self.half_life_s)
            for pid in self._scores:
                self._scores[pid] *= factor
            self._at = now

    def observe(self, text: str, now: float, current_id: str | None = None) -> str | None:
        """Score one chat message; returns the product it was counted for (None if none)."""
        self._decay_to(now)
        product = self.catalog.find_mentioned(text)
        purchase = bool(_PURCHASE.search(text))
        question = bool(_QUESTION.search(text.strip()))
        if product is None:
            # "how much?" / "I'll take it" with nothing named are about what is on screen.
            if current_id is None or not (purchase or question):
                return None
            pid = current_id
        else:
            pid = product.id
        kind = "purchase" if purchase else "question" if question else "mention"
        self._scores[pid] += WEIGHTS[kind]
        self._signals[pid][kind] += 1
        return pid

    def scores(self, now: float) -> dict[str, float]:
        self._decay_to(now)
        return {pid: round(s, 3) for pid, s in self._scores.items()}

    def suggest(self, now: float, current_id: str) -> Suggestion | None:
        """The product to show next, when chat clearly wants another one; else None."""
        scores = self.scores(now)
        cur = scores.get(current_id, 0.0)
        best = max((pid for pid in scores if pid != current_id), key=lambda p: scores[p],
                   default=None)
        if best is None or scores[best] < self.min_score or scores[best] < cur * self.switch_margin:
            return None
        sig = self._signals[best]
        reason = (f"{sig['purchase']} purchase intents, {sig['question']} questions, "
                  f"{sig['mention']} mentions (decayed score {scores[best]:.1f} vs "
                  f"{cur:.1f} for {current_id})")
        return Suggestion(best, scores[best], cur, reason)

    def event(self, now: float, current_id: str) -> dict:
        """The operator-facing payload: {"scores": {...}, "suggested": id|None, "reason": str}."""
        s = self.suggest(now, current_id)
        return {"scores": self.scores(now), "suggested": s.product_id if s else None,
                "reason": s.reason if s else ""}
