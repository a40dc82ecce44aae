"""FAQ fast path: a question the catalog already answers is answered at once, without the LLM.

Matching is by character n-grams (2- and 3-grams, IDF-weighted), which works the same for English
and Chinese, needs no model, and tolerates typos and word order ("is it dishwasher safe?" vs
"Dishwasher safe?", "耳机防水吗" vs "防水吗？"). The score leans on how much of the FAQ question
the viewer's message contains (recall) more than the reverse, since viewers wrap a short FAQ in
longer sentences.

Besides the catalog's own FAQ, each product gets a few entries built from its facts (price, stock,
colours): the commonest questions on a shopping stream, answered from the catalog by construction.
Only the FAQ of the product the question is about is searched: another product's answer would be
wrong. The answer is in the viewer's language when the catalog has it (i18n FAQ lists are parallel
to the base list); a light paraphrase (rotating lead-ins with the viewer's name) keeps repeated
answers from sounding canned.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from vhost.brain.catalog import Catalog, Product
from vhost.brain.grounding import check_grounding, extract_claims

DEFAULT_THRESHOLD = 0.55
ANSWER_WEIGHT = 0.8
Entry = tuple[str, str, Counter[str], Counter[str], dict[str, str]]
_STOP_EN = frozenset(
    "is it the a an does do can could will would you your i my me this that these those of for to "
    "in on with and or are be there any please tell about hey hi max how what which ok so".split()
)
_STOP_ZH = "吗呢吧啊呀的了么嘛这个那个它你我请问一下是"
_WORD = re.compile(r"[a-z0-9]+|[\u3400-\u9fff]+")

# Short on purpose: a spoken FAQ answer holds up every question behind it (measured in the 60 s
# demo: long lead-ins and full product names made FAQ lines 4-10 s and queued the chat).
_LEADS = {
    "en": ["", "Sure{name}! ", "Good one{name}! ", "Okay{name}: "],
    "zh": ["", "{name}，", "好问题！", "好的{name}，"],
}
_NOT_QUITE = {"en": "Not quite{name}! ", "zh": "{name}不是哦，"}


@dataclass(frozen=True)
class FaqMatch:
    product_id: str
    key: str  # "faq0".. for catalog entries, "price", "stock", "colors" for built-in ones
    question: str  # the FAQ question that matched
    answer: str  # the catalog answer, in the reply language
    lang: str
    score: float
    correcting: bool = False  # the viewer stated a wrong price or discount ("is it $15?")


def _normalize(text: str, names: frozenset[str] = frozenset()) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    for name in names:  # "耳机防水吗" is about water, not about 耳机
        if not name.isascii():
            text = text.replace(name, " ")
    kept = []
    for w in _WORD.findall(text):
        if w.isascii():
            if w not in _STOP_EN and w not in names and w.rstrip("s") not in names:
                kept.append(w)
        else:
            w = "".join(ch for ch in w if ch not in _STOP_ZH)
            if w:
                kept.append(w)
    return " ".join(kept)


def char_ngrams(text: str, names: frozenset[str] = frozenset()) -> Counter[str]:
    """Character n-grams of the normalized text: 2-3-grams of padded Latin words (so word edges
    count), 1-3-grams of Chinese runs (single characters carry meaning: 电, 池)."""
    grams: Counter[str] = Counter()
    for word in _normalize(text, names).split():
        latin = word.isascii()
        w = f" {word} " if latin else word
        for n in (2, 3) if latin else (1, 2, 3):
            for i in range(len(w) - n + 1):
                grams[w[i:i + n]] += 1
    return grams


def _names(p: Product) -> frozenset[str]:
    """Words that name the product: they say which product, not what is asked."""
    names = {p.id, *(a.casefold() for a in p.aliases)}
    for n in [p.name, *(o.name for o in p.i18n.values() if o.name)]:
        names.update(w for w in _WORD.findall(n.casefold()) if w.isascii())
        names.update(w for w in _WORD.findall(n.casefold()) if not w.isascii())
    return frozenset(names)


def _builtin(p: Product) -> list[tuple[str, list[str], dict[str, str]]]:
    """(key, questions, answers by language) built from the product's facts."""
    zh = p.localized("zh")
    price = p.format_price(p.price)
    en_price = f"Just {price} today"
    zh_price = f"今天只要{price}"
    if p.original_price is not None and p.discount_percent is not None:
        was = p.format_price(p.original_price)
        en_price += f", down from {was}"
        zh_price += f"，原价{was}"
    out = [("price", ["How much is it?", "What's the price?", "How much does it cost?",
                      "多少钱？", "价格是多少？", "什么价格？"],
            {"en": en_price + ".", "zh": zh_price + "。"})]
    if p.discount_percent is not None:
        # A 0.5B model answered "any discount?" with "no discount today" while the facts said
        # 33% off: the catalog answers this one.
        out.append(("discount", ["Any discount?", "Is it on sale?", "Any deals today?",
                                 "有优惠吗？", "打折吗？", "有折扣吗？"],
                    {"en": f"Yes, {p.discount_percent}% off: " + en_price[0].lower() + en_price[1:] + ".",
                     "zh": f"有，优惠{p.discount_percent}%，" + zh_price + "。"}))
    if p.stock > 0:
        out.append(("stock", ["Is it in stock?", "How many are left?", "Still available?",
                              "还有货吗？", "还剩多少？", "有库存吗？"],
                    {"en": f"Yes, {p.stock} left right now.", "zh": f"有货，现在还剩{p.stock}件。"}))
    else:
        out.append(("stock", ["Is it in stock?", "Still available?", "还有货吗？", "有库存吗？"],
                    {"en": "Sorry, it's sold out right now.", "zh": "不好意思，现在已经卖完了。"}))
    colors = next((v for k, v in p.specs.items() if k.lower() in ("color", "colors", "colour",
                                                                   "colours")), None)
    if colors:
        zh_colors = (zh.specs or {}).get("colors", colors)
        out.append(("colors", ["What colors does it come in?", "Which colors?", "Other colors?",
                               "有什么颜色？", "有几种颜色？", "颜色有哪些？"],
                    {"en": f"It comes in {colors}.", "zh": f"有这些颜色：{zh_colors}。"}))
    return out


class FaqIndex:
    def __init__(self, catalog: Catalog, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.catalog = catalog
        self.threshold = threshold
        # product id -> [(key, question, question grams, answer grams, answers by lang)]
        self._entries: dict[str, list[Entry]] = {}
        self._names = {p.id: _names(p) for p in catalog.products}
        df: Counter[str] = Counter()
        for p in catalog.products:
            rows: list[Entry] = []
            names = self._names[p.id]
            for key, questions, answers in self._sources(p):
                answer_grams: Counter[str] = Counter()
                for a in answers.values():
                    answer_grams.update(char_ngrams(a, names))
                for q in questions:
                    grams = char_ngrams(q, names)
                    if grams:
                        rows.append((key, q, grams, answer_grams, answers))
                        df.update(set(grams))
            self._entries[p.id] = rows
        n = sum(len(r) for r in self._entries.values()) or 1
        self._idf = {g: math.log(1 + n / c) for g, c in df.items()}
        self._default_idf = math.log(1 + n)
        self._turn = 0

    @staticmethod
    def _sources(p: Product) -> list[tuple[str, list[str], dict[str, str]]]:
        out = _builtin(p)
        langs = {lang: over.faq for lang, over in p.i18n.items() if over.faq}
        for i, item in enumerate(p.faq):
            questions, answers = [item.q], {"en": item.a}
            for lang, faq in langs.items():
                # i18n FAQ lists are written parallel to the base list; a shorter one only
                # answers the entries it has.
                if faq is not None and i < len(faq):
                    questions.append(faq[i].q)
                    answers[lang] = faq[i].a
            out.append((f"faq{i}", questions, answers))
        return out

    def _w(self, g: str) -> float:
        return self._idf.get(g, self._default_idf)

    def score(self, query: Counter[str], grams: Counter[str], answer: Counter[str]) -> float:
        """0..1: mostly how much of the FAQ question the message holds; or, a little discounted,
        how much of a short message the answer holds ("包邮吗？" is answered by "...美国包邮。")."""
        if not query or not grams:
            return 0.0
        q_weight = sum(self._w(g) for g in query)
        recall = sum(self._w(g) for g in grams if g in query) / sum(self._w(g) for g in grams)
        precision = sum(self._w(g) for g in query if g in grams) / q_weight
        score = 0.75 * recall + 0.25 * precision
        # Answer-side matching only for Chinese words (2-3 characters): Latin n-grams of an
        # answer match too much by accident ("bright" in "right").
        words = [g for g in query if len(g) >= 2 and not g.isascii()]
        if len(words) >= 1 and sum(len(g) == 1 for g in query) >= 2:
            w = sum(self._w(g) for g in words)
            by_answer = sum(self._w(g) for g in words if g in answer) / w
            score = max(score, ANSWER_WEIGHT * by_answer)
        return score

    def _trap(self, text: str, product: Product, lang: str) -> FaqMatch | None:
        """A wrong price or discount stated by the viewer ("the mug is $15 right?", "五折吗") is
        answered with the catalog's price line, never left to a small model to agree with."""
        wrong = check_grounding(text, product, self.catalog)
        kinds = {c.kind for c in extract_claims(text)}
        if wrong.grounded or not kinds & {"money", "percent"}:
            return None
        key = "discount" if "percent" in kinds and product.discount_percent is not None else "price"
        for k, q, _g, _a, answers in self._entries.get(product.id, []):
            if k == key:
                answer_lang = lang if lang in answers else "en"
                return FaqMatch(product.id, k, q, answers[answer_lang], answer_lang, 1.0, True)
        return None

    def match(self, text: str, product: Product, lang: str = "en") -> FaqMatch | None:
        """The best FAQ entry of `product` for `text`, if it scores at least the threshold."""
        if (trap := self._trap(text, product, lang)) is not None:
            return trap
        query = char_ngrams(text, self._names.get(product.id, frozenset()))
        best: tuple[float, str, str, dict[str, str]] | None = None
        for key, q, grams, answer_grams, answers in self._entries.get(product.id, []):
            s = self.score(query, grams, answer_grams)
            if best is None or s > best[0]:
                best = (s, key, q, answers)
        if best is None or best[0] < self.threshold:
            return None
        s, key, q, answers = best
        answer_lang = lang if lang in answers else "en"
        return FaqMatch(product.id, key, q, answers[answer_lang], answer_lang, round(s, 3))

    def reply(self, match: FaqMatch, user: str = "", paraphrase: bool = True) -> str:
        """The spoken answer: the catalog's words, with a rotating lead-in when paraphrasing."""
        name = (", " + user if match.lang == "en" else user) if user else ""
        if match.correcting:
            return _NOT_QUITE.get(match.lang, _NOT_QUITE["en"]).format(name=name) + match.answer
        if not paraphrase:
            return match.answer
        leads = _LEADS.get(match.lang, _LEADS["en"])
        self._turn += 1
        lead = leads[self._turn % len(leads)]
        if "{name}" in lead and not user and lead.startswith("{name}"):
            lead = ""
        return lead.format(name=name) + match.answer
