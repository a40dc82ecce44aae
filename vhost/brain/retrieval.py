"""Finding the fact a message asks for, across languages.

Three signals, combined per fact:
- attributes (vhost.brain.attributes): the caller narrows the candidates to facts answering the
  attribute the message asks about; this is what bridges "多大容量" and "volume: 30 ml";
- words: English words and Chinese words (jieba) shared with the fact's match texts, IDF-weighted,
  counting how much of the fact's question the message holds ("is it fragrance-free?"); a word
  also counts (at 70 %) through its translation in the other language (vhost.brain.dictionary:
  "牵引绳" ~ leash, "filter" ~ 滤网), so a Chinese question finds an English-only FAQ by its words;
- meaning: the cosine similarity of multilingual sentence embeddings (vhost.brain.embedding),
  which finds an English FAQ for a Chinese question no word table covers.

`score` is the larger of the word score and the rescaled similarity; the caller's threshold
decides between an answer and an honest "I don't know".
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import numpy as np

from vhost.brain.dictionary import Dictionary
from vhost.brain.embedding import Embedder
from vhost.brain.knowledge import Fact

_STOP_EN = frozenset(
    "is it the a an does do did can could will would you your i my me this that these those of for "
    "to in on with and or are be there any please tell about hey hi how what which ok so its it's "
    "have has get got much many one ones they them we us was were if at as by from just really "
    "also still right yeah lol again gotta gonna wanna thing things itself".split())
_STOP_ZH = frozenset("吗 呢 吧 啊 呀 的 了 么 嘛 这个 那个 它 你 我 请问 一下 是 有 没有 这 那 个 主播 "
                     "宝宝 们 多少 怎么 什么 咋 啥 咋样 怎么样 如何 可以 能 不 还 和 就 都 也 要 还是 或者 需要 时候 的话 会 吗？".split())
# Letters and digits apart: "SPF50+" holds "spf" and "50", "IPX5" holds "ipx" and "5".
_LATIN = re.compile(r"[a-z]+|[0-9]+(?:\.[0-9]+)?")
_HYPHENED = re.compile(r"\b([a-z]{2,})-([a-z]{2,})\b")
_CJK = re.compile(r"[\u3400-\u9fff]+")
# Cosine similarities of this embedding on short shop questions: unrelated pairs sit near 0.1,
# paraphrases across languages at 0.3-0.5. Rescaled so 0.55 counts as a full match (meaning alone must be a close paraphrase).
_SIM_FLOOR, _SIM_FULL = 0.12, 0.55
_ALT = 0.7  # a word matched through its translation counts this much


def _alt(tok: str) -> float:
    # A single Chinese character bridged by its first sense ("大" ~ big) is a weak hint.
    return _ALT / 2 if len(tok) == 1 and not tok.isascii() else _ALT

log = logging.getLogger(__name__)
_jieba = None


def _cut(text: str) -> list[str]:
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba
    # Without HMM: jieba's new-word guessing glues a question into one unknown word ("能换码").
    return [w for w in _jieba.lcut_for_search(text, HMM=False) if w.strip()]


# British spellings a catalog or a viewer may use ("fibre", "colour"): one token for both.
_US = {"fibre": "fiber", "litre": "liter", "litres": "liters", "metre": "meter", "metres": "meters",
       "centre": "center", "colour": "color", "colours": "colors", "flavour": "flavor", "grey": "gray",
       "aluminium": "aluminum", "favourite": "favorite", "mould": "mold", "jewellery": "jewelry",
       # irregular plurals, one token with the singular ("teeth" asks the tooth_length)
       "teeth": "tooth", "feet": "foot", "knives": "knife", "leaves": "leaf", "shelves": "shelf",
       "batteries": "battery", "wives": "wife", "children": "child", "mice": "mouse",
       # chat shorthand for a spec's word ("what temp?", "batt life", "how many mins")
       "temp": "temperature", "temps": "temperature", "batt": "battery", "pkg": "package",
       "dims": "dimensions", "mins": "minutes", "hrs": "hours", "secs": "seconds", "pics": "pictures"}


# The verbs of a question's frame ("能用吗", "can I use it"): not what it asks about.
_FRAME_WORDS = frozenset("用 能 会 可 行 要 做 放 装 带 use using work fit put".split())
# A verb its particle gives another sense: "do they light up?" asks about lights, not about
# "Light: about 180 g per shoe".
_PHRASAL = re.compile(r"\b(?:light|lights|lit)[\s-]+up\b")


def _stem(w: str) -> str:
    # Truncation stemming: "brightness"/"bright", "charging"/"charger", "batteries"/"battery"
    # share their first five letters. Crude, language-free, and enough for a spec sheet's words.
    w = _US.get(w, w)
    # An inflected verb keeps its stem: "filled"/"filling" ~ "Filling:", "folded" ~ "fold".
    if w.isalpha() and len(w) >= 6 and w.endswith(("ed", "ing")):
        stem = w[:-2] if w.endswith("ed") else w[:-3]
        if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
            stem = stem[:-1]  # "stopped" ~ "stop"
            if len(stem) == 3 and stem[-1] != "d":
                w = stem  # "cutting" ~ "cut", "setting" ~ "set"; not "bedding", "padding" (nouns)
        if len(stem) >= 4 and not stem.endswith(("e", "y")) and re.search(r"[aeiou]", stem):
            w = stem
    if w.isalpha() and 4 <= len(w) <= 5 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-2] if w.endswith(("xes", "ches", "shes")) else w[:-1]  # "nuts" = "nut", "boxes" = "box"
    return w[:5] if w.isalpha() and len(w) > 5 else w


def tokens(text: str) -> list[str]:
    """Content words: lowercase English (stemmed) and jieba's Chinese words."""
    return [tok for tok, _word in _words(text)]


def _words(text: str) -> list[tuple[str, str]]:
    """(token, word as written) per content word."""
    t = _PHRASAL.sub("illuminate", unicodedata.normalize("NFKC", text).casefold())
    out = [(_stem(w), w) for w in _LATIN.findall(t) if w not in _STOP_EN]
    out += [(_stem(w), w) for w in (a + b for a, b in _HYPHENED.findall(t))]  # "hot-swap" is also "hotswap"
    for run in _CJK.findall(t):
        out += [(w, w) for w in _cut(run) if w not in _STOP_ZH]
    return out


# Chat words a catalog writes otherwise, matched as a translation is ("能单买吗" ~ "可单独购买").
_ZH_SAME = {"单买": "单独", "单卖": "单独", "单独卖": "单独", "另购": "单独", "另买": "单独", "玻尿酸": "透明质酸"}


def terms(text: str, dictionary: Dictionary | None) -> list[tuple[str, frozenset[str]]]:
    """Content words with their translations as tokens ("滤网" -> {filte, sieve})."""
    out = []
    for tok, word in _words(text):
        alts: set[str] = set()
        if dictionary is not None:
            if word.isascii():
                alts = set(sorted(dictionary.chinese(word), key=lambda w: (len(w), w))[:12]) if word.isalpha() else set()
            else:  # a single character ("换") by its first sense only (vhost.brain.dictionary)
                # a hyphenated sense by its words too ("左撇子" ~ left-hander ~ "left-handed")
                parts = [p for w in dictionary.senses(word) for p in (w, *w.split("-")) if p and p not in _STOP_EN]
                # "hander" ~ "handed": a hyphenated sense's agent noun finds the adjective
                alts = {_stem(p) for p in parts} | {_stem(p[:-2] + "ed") for p in parts if p.endswith("er") and "-" not in p} | {
                    p[:5] for p in parts if p.isalpha() and len(p) > 5}  # "轴承": "bearing" ~ "Bearings:" (beari)
        if word in _ZH_SAME:  # "单买" is said "单独购买" in a catalog
            alts.add(_ZH_SAME[word])
        out.append((tok, frozenset(alts - {tok})))
    return out


@dataclass(frozen=True)
class Scored:
    fact: Fact
    score: float
    words: float
    meaning: float


class Retriever:
    def __init__(self, facts: list[Fact], embedder: Embedder | None = None,
                 dictionary: Dictionary | None = None) -> None:
        self.embedder = embedder
        self.dictionary = dictionary
        self._tokens = {f.id: [Counter(tokens(m)) for m in f.match] for f in facts}
        df: Counter[str] = Counter()
        for rows in self._tokens.values():
            for c in rows:
                df.update(set(c))
        n = max(1, sum(len(r) for r in self._tokens.values()))
        self._idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self._idf_default = math.log(1 + n)
        self._vecs: dict[str, np.ndarray] = {}
        if embedder is not None:
            texts = [m for f in facts for m in f.match]
            vecs = embedder.encode(texts) if texts else np.zeros((0, 1))
            i = 0
            for f in facts:
                self._vecs[f.id] = vecs[i:i + len(f.match)]
                i += len(f.match)

    def add(self, fact: Fact) -> None:
        """One more fact (taught live); the word weights stay as built."""
        self._tokens[fact.id] = [Counter(tokens(m)) for m in fact.match]
        if self.embedder is not None and fact.match:
            self._vecs[fact.id] = self.embedder.encode(list(fact.match))

    def _w(self, t: str) -> float:
        return self._idf.get(t, self._idf_default)

    def _qw(self, tok: str, alts: frozenset[str]) -> float:
        # One Chinese character no dictionary word bridges ("送", "买") says little on its own.
        return self._w(tok) * (0.5 if len(tok) == 1 and not tok.isascii() and not alts else 1.0)

    def _word_score(self, query: list[tuple[str, frozenset[str]]], fact: Fact) -> float:
        rows = [c for c in self._tokens.get(fact.id, []) if c]
        if not query or not rows:
            return 0.0
        q_weight = sum(self._qw(t, alts) for t, alts in query)
        # How much of the question the fact holds, in any of its texts (an FAQ's question and
        # answer, a statement in each language).
        union = set().union(*rows)
        got = sum(self._qw(t, alts) * (1.0 if t in union else _alt(t) if alts & union else 0.0) for t, alts in query)
        if not got:
            return 0.0
        precision = got / q_weight
        if fact.kind != "faq":
            # A statement ("Key ingredients: 5% niacinamide, ...") holds many words a question
            # never repeats: only how much of the question it covers counts.
            return precision
        reach = {t for t, _ in query}
        reach_alt = set().union(*(alts for _, alts in query))
        recall = max(sum(self._w(t) * (1.0 if t in reach else _ALT if t in reach_alt else 0.0) for t in c)
                     / sum(self._w(t) for t in c) for c in rows)
        return 0.6 * recall + 0.4 * precision

    def question_match(self, text: str, fact: Fact) -> tuple[float | None, float]:
        """How close a message is to the questions an FAQ answers (`fact.questions`, the first
        texts of its `match`): the best cosine of its clauses against them (None without an
        embedding), and the share of their words the message repeats (or translates)."""
        if not fact.questions:
            return 0.0, 0.0
        said_terms = [(t, alts) for t, alts in terms(text, self.dictionary) if t not in _FRAME_WORDS]
        said = {t for t, _ in said_terms}
        said_all = said.union(*(alts for _, alts in said_terms))
        asked = [[(t, alts) for t, alts in terms(q, self.dictionary) if t not in _FRAME_WORDS]
                 for q in fact.questions]
        share = max((sum(t in said_all or bool(alts & said) for t, alts in q) / len(q) for q in asked if q),
                    default=0.0)
        vecs = self._vecs.get(fact.id)
        if self.embedder is None or vecs is None:
            return None, share
        parts = [p for p in re.split(r"[?？!！。;；]+", text) if p.strip()] or [text]
        qv = self.embedder.encode(parts)
        return float(np.max(qv @ vecs[:len(fact.questions)].T)), share

    def rank(self, text: str, facts: list[Fact]) -> list[Scored]:
        """Facts by how well they answer `text`; a message of several questions ("what's in it?
        does it dry out?") is scored per question, the best part counting."""
        parts = [p for p in re.split(r"[?？!！。;；]+", text) if tokens(p)]
        if len(parts) > 1:
            ranked = {}
            for part in parts:
                for s in self._rank(part, facts):
                    if s.fact.id not in ranked or s.score > ranked[s.fact.id].score:
                        ranked[s.fact.id] = s
            return sorted(ranked.values(), key=lambda s: -s.score)
        return self._rank(text, facts)

    def _rank(self, text: str, facts: list[Fact]) -> list[Scored]:
        query = terms(text, self.dictionary)
        qv = self.embedder.encode([text])[0] if self.embedder is not None and facts else None
        out = []
        for f in facts:
            words = self._word_score(query, f)
            meaning = 0.0
            vecs = self._vecs.get(f.id)
            if qv is not None and vecs is not None and len(vecs):
                meaning = float(np.max(vecs @ qv))
            rescaled = min(1.0, max(0.0, (meaning - _SIM_FLOOR) / (_SIM_FULL - _SIM_FLOOR)))
            # Both count, words first: a shared rare word ("shades") beats a close paraphrase
            # of a different question ("which shade is the most popular?").
            out.append(Scored(f, words + 0.5 * rescaled, round(words, 3), round(meaning, 3)))
        out.sort(key=lambda s: -s.score)
        return out
