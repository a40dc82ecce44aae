"""A quality asked about that a fact answers by its opposite: "are the edges sharp?" and "Edges:
rounded"; "does my kid have to tie them?" and "Velcro straps"; "is it loud?" and "quiet, 48 dB".
The word asked is not in the fact, yet the fact answers it (no); without this, coverage calls the
question unanswered. Only pairs where the opposite fully answers the yes/no question."""

from __future__ import annotations

from functools import lru_cache

from vhost.brain.retrieval import tokens

_PAIRS: dict[str, str] = {
    "sharp": "blunt rounded round 钝 圆角 圆头 圆润", "pointy": "blunt rounded round 圆角 圆头",
    "tie": "velcro hook-and-loop slip-on elastic 魔术贴 免系带", "laces": "velcro hook-and-loop slip-on 魔术贴 免系带",
    "loud": "quiet silent db decibels 静音 分贝", "noisy": "quiet silent db decibels 静音 分贝",
    "boil": "boiling sterilize sterilise 沸水 煮沸 蒸煮", "扎手": "圆角 圆头 钝 圆润 rounded blunt",
    "吵": "静音 分贝 db quiet", "系鞋带": "魔术贴 免系带 velcro", "烫手": "隔热 防烫 insulated",
}


@lru_cache(maxsize=1)
def _table() -> dict[str, frozenset[str]]:
    out: dict[str, frozenset[str]] = {}
    for word, opposite in _PAIRS.items():
        for t in tokens(word) or [word]:
            out[t] = frozenset(x for w in opposite.split() for x in (tokens(w) or [w]))
    return out


def opposite_named(token: str, fact_tokens: frozenset[str]) -> bool:
    """The fact names the opposite of the quality `token` asks about."""
    return bool(_table().get(token, frozenset()) & fact_tokens)
