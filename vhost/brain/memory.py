"""Per-viewer memory and a short conversation summary, fed to the LLM as earlier chat turns.

A returning viewer is greeted by name and their earlier question is remembered ("you asked about
the lamp earlier"). The summary is extractive (the last few question/answer pairs, clipped), not
written by the model: a 0.5B model summarising would cost a second generation and invent things.

Both go into the prompt as `history` turns (role, text) rather than into the system prompt: the
system prompt's KV cache is reused for every reply and must not change per message. Measured on
the default model, labelled lines inside the user turn were echoed back; real earlier turns are
what chat templates are trained on.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from dataclasses import dataclass, field

from vhost.base.language import detect_language
from vhost.brain.prompt import estimate_tokens

MAX_VIEWERS = 2000  # bounded: a big stream sees many one-time viewers
_CLIP = 90


def _clip(text: str, limit: int = _CLIP) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass
class ViewerRecord:
    user_id: str
    name: str
    first_seen: float
    last_seen: float
    messages: int = 0
    # (question, answer, product id), newest last
    questions: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def returning(self) -> bool:
        return bool(self.questions)


class ConversationMemory:
    """Remembers viewers (by platform id, else name) and the recent answered questions."""

    def __init__(self, summary_pairs: int = 1, history_token_budget: int = 120) -> None:
        self._viewers: OrderedDict[str, ViewerRecord] = OrderedDict()
        # (name, question, answer, product id)
        self._recent: deque[tuple[str, str, str, str]] = deque(maxlen=summary_pairs)
        self.history_token_budget = history_token_budget

    @staticmethod
    def key(user: str, user_id: str = "") -> str:
        return user_id or user.casefold()

    def seen(self, user: str, now: float, user_id: str = "") -> ViewerRecord:
        """Note a message from this viewer; returns their record (created on first sight)."""
        k = self.key(user, user_id)
        rec = self._viewers.pop(k, None) or ViewerRecord(k, user, now, now)
        rec.name, rec.last_seen = user, now
        rec.messages += 1
        self._viewers[k] = rec  # most recent last, for eviction
        while len(self._viewers) > MAX_VIEWERS:
            self._viewers.popitem(last=False)
        return rec

    def recall(self, user: str, user_id: str = "") -> ViewerRecord | None:
        return self._viewers.get(self.key(user, user_id))

    def answered(self, user: str, question: str, answer: str, user_id: str = "",
                 now: float = 0.0, product_id: str = "") -> None:
        """Record a spoken answer (call with what was heard, not the draft) about a product."""
        if not answer.strip():
            return
        rec = self._viewers.get(self.key(user, user_id)) or self.seen(user, now, user_id)
        rec.questions.append((_clip(question), _clip(answer), product_id))
        del rec.questions[:-3]
        self._recent.append((user, _clip(question), _clip(answer), product_id))

    def summary(self, lang: str = "en") -> str:
        """One line: the last answered questions, e.g. "Ben asked 'price?'; answered '$24.99'"."""
        if not self._recent:
            return ""
        if lang == "zh":
            return "；".join(f"{u}问「{q}」，答「{a}」" for u, q, a, _ in self._recent)
        return "; ".join(f"{u} asked '{q}', answered '{a}'" for u, q, a, _ in self._recent)

    def history(self, user: str, user_id: str = "", lang: str = "en",
                product_id: str | None = None) -> list[tuple[str, str]]:
        """Earlier turns for the prompt: other viewers' recent Q&A, then this viewer's own last one.

        Only exchanges about `product_id` (when given) and in the language `lang`: measured with
        the 0.5B model on the evaluation set, turns about another product made it answer about
        that product ("the earbuds fit in your car" for a mug question), and Chinese turns made
        it answer English questions in Chinese. Bounded by `history_token_budget` (prefill
        costs time on the viewer's clock); the viewer's own exchange is kept when something must go.
        """
        rec = self.recall(user, user_id)
        def same_lang(q: str) -> bool:
            return (detect_language(q) == "zh") == (lang == "zh")

        mine = [x for x in (rec.questions if rec else [])
                if (product_id is None or x[2] == product_id) and same_lang(x[0])]
        own = mine[-1] if mine else None
        turns: list[tuple[str, str]] = []
        for u, q, a, pid in self._recent:
            if product_id is not None and pid != product_id or not same_lang(q):
                continue
            if own is not None and rec is not None and u == rec.name and (q, a) == own[:2]:
                continue
            turns += [("user", f"{u}: {q}"), ("assistant", a)]
        if own is not None and rec is not None:
            turns += [("user", f"{rec.name}: {own[0]}"), ("assistant", own[1])]
        while turns and sum(estimate_tokens(t) for _, t in turns) > self.history_token_budget:
            turns = turns[2:]
        return turns

    def greeting_hint(self, user: str, user_id: str = "", lang: str = "en") -> str:
        """A short line the host may say to a returning viewer (empty for a newcomer)."""
        rec = self.recall(user, user_id)
        if rec is None or not rec.questions:
            return ""
        q = _clip(rec.questions[-1][0], 40)
        if lang == "zh":
            return f"{rec.name}又来啦！上次你问了「{q}」。"
        return f"Welcome back {rec.name}! Last time you asked '{q}'."
