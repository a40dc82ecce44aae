"""Questions that ask the same thing, grouped across languages: "how much is the mug?" and
"这个杯子多少钱？" count once.

Greedy, in arrival order: a question joins the most similar group about the same product when the
multilingual sentence embedding (vhost.brain.embedding) puts it within `threshold` of the group's
centroid, or when both ask about exactly one and the same precise topic (price, shipping, ...:
vhost.chat.intent.TOPICS, bilingual by construction) and are not far apart in meaning. Without
the embedding model, word overlap (Chinese by character pairs) stands in for meaning. Two
questions about different precise topics never join (a shared product name makes "how much is
the mug?" and "what colours does the mug come in?" look alike to the embedding).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vhost.brain.embedding import Embedder
from vhost.chat.intent import TOPICS, normalize_text

THRESHOLD = 0.6  # cosine to the group's centroid (USE multilingual: same question in EN/ZH ~0.7-0.8)
TOPIC_FLOOR = 0.35  # same precise topic: joins above this similarity
LEXICAL_THRESHOLD = 0.5  # Jaccard of content words, without embeddings
PRECISE_TOPICS = frozenset({"price", "discount", "shipping", "size", "color", "stock", "material"})
_STOP = frozenset(
    "a an the is it its this that these those of to for in on at do does did can could will would you"
    " your i me my we our and or be are was how what which when where who why any there please pls"
    " hi hey hello max ok so just".split())
_STOP_ZH = frozenset("这个那的了吗呢啊吧是有么嘛请问一下你们我")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    lang: str
    user: str
    at: float
    product: str | None = None


def topic_of(text: str) -> str | None:
    """The one precise topic a question is about, if exactly one topic matches."""
    found = [name for name, pattern in TOPICS.items() if pattern.search(text)]
    return found[0] if len(found) == 1 and found[0] in PRECISE_TOPICS else None


def tokens(text: str) -> frozenset[str]:
    low = normalize_text(text).casefold()
    words = {w for w in re.findall(r"[a-z0-9]+", low) if w not in _STOP and len(w) > 1}
    han = [ch for ch in low if "\u3400" <= ch <= "\u9fff" and ch not in _STOP_ZH]
    words |= {a + b for a, b in zip(han, han[1:], strict=False)} or set(han)
    return frozenset(words)


@dataclass
class _Group:
    product: str | None
    topic: str | None
    members: list[int] = field(default_factory=list)
    vec: np.ndarray | None = None  # sum of member embeddings
    words: Counter = field(default_factory=Counter)


def _similarity(g: _Group, vec: np.ndarray | None, words: frozenset[str]) -> float:
    if vec is not None and g.vec is not None:
        c = g.vec / max(float(np.linalg.norm(g.vec)), 1e-9)
        return float(c @ vec)
    group_words = set(g.words)
    union = group_words | words
    return len(group_words & words) / len(union) if union else 0.0


def group_questions(questions: list[Question], embedder: Embedder | None,
                    strip: Callable[[str], str] | None = None) -> list[list[Question]]:
    """Groups of questions that ask the same thing, largest first (ties: earliest first).
    `strip` takes the product's name out of a question (the product is compared on its own)."""
    if not questions:
        return []
    texts = [" ".join(normalize_text(strip(q.text) if strip else q.text).split()) or q.text for q in questions]
    vecs = embedder.encode(texts) if embedder is not None else None
    threshold = THRESHOLD if vecs is not None else LEXICAL_THRESHOLD
    groups: list[_Group] = []
    for i, q in enumerate(questions):
        vec = vecs[i] if vecs is not None else None
        words, topic = tokens(texts[i]), topic_of(q.text)
        best, best_score = None, -1.0
        for g in groups:
            if g.product != q.product or (topic and g.topic and topic != g.topic):
                continue  # "how much is the mug?" is not "what colours does the mug come in?"
            score = _similarity(g, vec, words)
            same_topic = topic is not None and g.topic == topic and (vec is None or score >= TOPIC_FLOOR)
            if (score >= threshold or same_topic) and score > best_score:
                best, best_score = g, score
        if best is None:
            best = _Group(q.product, topic)
            groups.append(best)
        best.members.append(i)
        if vec is not None:
            best.vec = vec.copy() if best.vec is None else best.vec + vec
        best.words.update(words)
    out = [[questions[i] for i in g.members] for g in groups]
    return sorted(out, key=lambda qs: (-len(qs), qs[0].at))


def _label(qs: list[Question]) -> str:
    """The wording asked most often (ignoring case and punctuation); the earliest on a tie."""
    keys = Counter("".join(ch for ch in q.text.casefold() if ch.isalnum()) for q in qs)
    top = max(keys.values())
    return next(q.text for q in qs if keys["".join(ch for ch in q.text.casefold() if ch.isalnum())] == top)


def describe(qs: list[Question]) -> dict[str, Any]:
    """One group as the report shows it: label, counts by language, a few examples."""
    langs = Counter(q.lang for q in qs)
    examples: list[str] = []
    for lang in sorted(langs, key=lambda k: -langs[k]):  # one example per language first
        examples.append(next(q.text for q in qs if q.lang == lang))
    for q in qs:
        if len(examples) >= 4:
            break
        if q.text not in examples:
            examples.append(q.text)
    return {"label": _label(qs), "count": len(qs), "askers": len({q.user for q in qs}),
            "langs": dict(sorted(langs.items())), "product": qs[0].product, "topic": topic_of(qs[0].text),
            "examples": examples[:4], "ids": [q.id for q in qs], "first_at": qs[0].at}
