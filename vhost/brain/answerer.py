"""Facts first: read a message, find the catalog fact it asks for, and say it - or say "I don't
know". No LLM: a fact answer is ready in milliseconds and cannot invent anything.

The decision, in order:
1. which product (named or aliased in the message, else what this viewer just asked about, else
   the one on screen) and which attributes (vhost.brain.attributes), in which language;
2. a bait for a claim the rules forbid ("能美白吗?", "is it the best?") -> a refusal plus a safe fact;
3. a child's age and a product with a minimum age -> suitable / not suitable, with its notices;
4. the best fact (attribute first, then words and meaning, vhost.brain.retrieval); a number the
   viewer states that the fact contradicts ("only 99?") -> "not quite", then the fact;
5. a question the facts do not answer -> the honest "I don't have that detail" (`kind="unknown"`,
   shown to the operator as an unanswered question);
6. anything else (small talk, a recommendation) -> `kind="chat"`: the LLM may phrase it, and its
   words are verified before they are spoken (vhost.brain.verify).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from vhost.brain import attributes
from vhost.brain.catalog import Catalog, Product
from vhost.brain.compliance import check_compliance
from vhost.brain.compose import Composer
from vhost.brain.coverage import Coverage
from vhost.brain.dictionary import Dictionary, default_dictionary
from vhost.brain.embedding import Embedder
from vhost.brain.grounding import extract_claims
from vhost.brain.knowledge import Fact, KnowledgeBase
from vhost.brain.reading import (
    _RANGE,
    _digits,
    answer_type_bonus,
    asked_measure,
    asks_content_link,
    child_age,
    child_months,
    fitting_segment,
    is_question,
    reply_lang,
    stated_min_age,
    stated_prices,
    wanted_value,
    zh_names,
)
from vhost.brain.retrieval import Retriever, Scored, tokens

__all__ = ["Answerer", "Decision", "child_age", "child_months", "is_question", "reply_lang", "stated_min_age"]

# Calibrated on the tuned evaluation sets (bench/data/brain_eval, splits.toml), never on held-out.
# Without a fact of the asked attribute, the retrieval score (shared words + half the rescaled
# meaning, vhost.brain.retrieval) must reach this: half the question's words, or a close
# paraphrase plus a shared word, or most of its words (0.6: the tuned sets, 0.5-0.7 swept).
MIN_SCORE = 0.5
# A fact that states a detail (a spec, an FAQ answer, a policy) beats a selling point that only
# advertises it ("battery life: 8 h" over "all-day battery") by this much.
_DETAIL = 0.1
_STATING = ("spec", "faq", "policy", "price", "discount", "stock", "age", "notice")
# Attributes a fact may answer by what it says, not only by its key ("payment: ... 花呗分期" answers
# installments), and those no other attribute's fact may answer ("a coupon code?" != the discount).
_BY_TEXT = frozenset({"coupon", "installment", "warranty", "origin", "waterproof", "allergen", "shelf_life",
                      "storage", "care"})
_STRICT = frozenset({"coupon", "installment", "warranty"})
# A message asking two things ("how much, and how big?"); the second fact needs this score.
_SEVERAL = re.compile(r"[?？].+\S|\band\b|和|还有|以及|、|，.*(?:吗|多少|几|么)", re.IGNORECASE)
_ALSO_MIN = 0.25
_PARTS = re.compile(r"[?？;；]+|\band\b|还有|以及", re.IGNORECASE)
# "going back to the purifier - ...", "back to the earbuds: ...", "回到刚才那个净化器，...".
_FRAME = re.compile(r"^\s*(?:ok(?:ay)?,?\s*|so,?\s*)?(?:going back|back|coming back|returning)\s+to\s+[^-:,?]{1,40}[-:,]|"
                    r"^\s*(?:回到|说回|再问一下|还是问)[^，,：:？?]{1,15}[，,：:]")
_NOTICE = 0.15  # a warning answers a question only when it holds the question's words clearly
_MONEY = re.compile(r"\d+(?:\.\d+)?\s*(?:cny|rmb|yuan|元|块|usd|美元)|[¥$￥]\s*\d", re.IGNORECASE)
# A fact that names what a yes/no question asks may answer it instead of the attribute's best.
_COVER_MIN = 0.35
# Claims checked in a viewer's question: the rules a reply may not affirm.
_BAIT_CATEGORIES = ("absolute", "health", "note", "category", "disparagement", "price_promise")


@dataclass
class Decision:
    kind: str  # fact, unknown, refuse, suitability, chat
    text: str  # the line to say ("" for chat: the LLM writes it)
    lang: str
    product: Product | None
    attrs: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)  # fact ids the line states
    reasons: list[str] = field(default_factory=list)  # for the operator (bait, correction)
    score: float = 0.0


class Answerer:
    def __init__(self, catalog: Catalog, embedder: Embedder | None = None,
                 dictionary: Dictionary | None | str = "default") -> None:
        self.catalog = catalog
        self.kb = KnowledgeBase.build(catalog)
        self.dictionary = default_dictionary() if dictionary == "default" else dictionary
        assert not isinstance(self.dictionary, str)
        self.retriever = Retriever(self.kb.all(), embedder, self.dictionary)
        self.composer = Composer()
        vocab: set[str] = set()
        for f in self.kb.all():
            for text in (*f.match, *f.texts.values()):
                vocab.update(tokens(text))
        names: list[str] = []
        for p in catalog.products:
            for n in (p.id, p.name, *p.aliases, *(o.name or "" for o in p.i18n.values())):
                vocab.update(tokens(n))
                names.append(unicodedata.normalize("NFKC", n).casefold())
        self.coverage = Coverage(vocab, self.dictionary)
        self._text_attrs = {f.id: set(attributes.detect(" ".join(f.texts.values()))) for f in self.kb.all()}
        self._sayable_cache: dict[tuple[str, str], bool] = {}
        self._names = tuple(n for n in names if n)
        self._warm()

    def _warm(self) -> None:
        """Everything a first question would load or compute, now, before the show starts: a
        lazy load on the show's thread (jieba's tagger, ~0.2 s) makes the stage drop frames."""
        zh_names("预热一下")
        for p in self.catalog.products:
            for lang in ("en", "zh"):
                for f in self.kb.facts(p.id):
                    self._sayable(f, p, lang)

    def product_for(self, text: str, on_screen: Product, recent: Product | None = None) -> tuple[Product, bool]:
        named = self.catalog.find_mentioned(text)
        if named is not None:
            return named, True
        return (recent or on_screen), False

    def learn(self, product_id: str, question: str, answer: str, lang: str) -> Fact:
        """Add an FAQ entry taught during the show (the operator's answer to an unanswered
        question); it answers the next viewer who asks. Returns the new fact."""
        facts = self.kb.by_product.setdefault(product_id, [])
        n = sum(f.id.startswith(f"{product_id}/taught/") for f in facts)
        fact = Fact(f"{product_id}/taught/{n}", product_id, "faq", tuple(attributes.detect(question, self._names)),
                    {lang: answer}, (question,), question, tuple(re.findall(r"\d+(?:\.\d+)?", answer)))
        facts.append(fact)
        self.retriever.add(fact)
        self.coverage.vocab.update(tokens(question) + tokens(answer))
        self._text_attrs[fact.id] = set(attributes.detect(answer))
        return fact

    def _without_names(self, text: str) -> str:
        """The message without product names (they say which product, not what is asked) and
        without a frame that only changes the subject ("going back to the purifier -")."""
        t = _FRAME.sub(" ", unicodedata.normalize("NFKC", text).casefold())
        for name in sorted(self._names, key=len, reverse=True):
            if name.isascii():
                t = re.sub(rf"(?<![a-z0-9]){re.escape(name)}(?:s|es)?(?![a-z0-9])", " ", t)
            else:
                t = t.replace(name, " ")
        # A name that is all the question names ("what SPF is it?" with the alias "spf"): keep it.
        return t if tokens(t) else text

    def attributes_of(self, text: str, price: float | None = None) -> list[str]:
        attrs = attributes.detect(text, self._names)
        if asks_content_link(text):  # a link to a video or a study is not the shop's cart
            attrs = [a for a in attrs if a != "how_to_buy"]
        if not attrs and stated_prices(text, price):
            attrs = ["price"]
        return attrs

    def decide(self, text: str, users: list[str], on_screen: Product, recent: Product | None = None,
               lang: str | None = None) -> Decision:
        lang = lang or reply_lang(text)
        product, named = self.product_for(text, on_screen, recent)
        attrs = self.attributes_of(text, product.price)
        if not named and product is not on_screen and self._best(text, product, attrs, lang) is None:
            product = on_screen  # the viewer's last product has no answer: the one on screen
            attrs = self.attributes_of(text, product.price)
        d = Decision("chat", "", lang, product, attrs)
        bait = [r for r in check_compliance(text, lang, product, self.catalog).reasons
                if r.split(":")[0] in _BAIT_CATEGORIES]
        if bait:
            return self._refuse(d, text, users, bait)
        age = child_age(text)
        min_age, source = self._min_age(product)
        if age is not None and min_age is not None:
            d.kind, d.facts = "suitability", [source]
            d.text = self.composer.suitability(users, lang, age, min_age, self._notices(product, lang, ["age"]),
                                               months=child_months(text))
            return d
        if asks_content_link(text):
            d.kind, d.text, d.reasons = "unknown", self.composer.unknown(users, lang), ["a link the catalog has not"]
            return d
        if attrs[:1] == ["recommend"]:
            return d  # an opinion or a comparison: the model phrases it, verified
        best = self._best(text, product, attrs, lang)
        first = self._first_part(text, product, lang)
        if first is not None and best is not None and first.fact.id != best.fact.id:
            best = first  # "电池多大？能用多久？": each part its own fact, in the order asked
        trap = self._trap(text, product)
        # A stated price is about the price unless the message asks something else ("free
        # shipping over 88 yuan?" asks about shipping).
        if trap is not None and (best is None or not set(attrs) - {"price", "discount"}):
            best = trap
        if best is None:
            if is_question(text) or attrs:
                d.kind, d.text = "unknown", self.composer.unknown(users, lang)
            return d
        return self._answer(d, best, text, users)

    def _refuse(self, d: Decision, text: str, users: list[str], bait: list[str]) -> Decision:
        """A bait for a banned claim: no promise, then the fact asked about when it is safe
        ("swim with them?" -> the IP rating), else a safe selling point."""
        product, lang = d.product, d.lang
        assert product is not None
        d.kind, d.reasons = "refuse", [f"viewer asked for a claim: {'; '.join(bait)}"]
        best = self._best(text, product, d.attrs, lang) if d.attrs else None
        line = best.fact.text(lang) if best is not None else None
        safe = (line, best.fact.id) if line and best is not None and check_compliance(
            line, lang, product, self.catalog).ok else self._safe_point(product, lang)
        d.text = self.composer.refuse(users, lang, safe[0] if safe else None)
        d.facts = [safe[1]] if safe else []
        return d

    def _answer(self, d: Decision, best: Scored, text: str, users: list[str]) -> Decision:
        product, lang = d.product, d.lang
        assert product is not None
        d.facts, d.score = [best.fact.id], round(best.score, 3)
        fit = self._fit(text, product, lang)
        correcting = fit is None and self._contradicts(text, best.fact)
        if fit is not None:
            d.kind, d.facts = "fact", [fit[0].id]
            d.text = self.composer.fact(fit[1], users, lang)
            return d
        uncovered: list[str] = []
        if not correcting:
            parts = self._parts(text)  # the first part is what the first fact answers
            best, uncovered = self._covered(best, parts[0] if parts else text, product, d.attrs, lang)
            d.facts, d.score = [best.fact.id], round(best.score, 3)
        line = best.fact.text(lang)
        if line is None and not uncovered:  # the fact exists only in another language: to translate
            d.kind, d.reasons = "fact", [f"translate:{best.fact.id}"]
            return d
        if uncovered:
            # Honest first, then what the catalog does say about it ("no Apple Pay in my notes;
            # what I know: Alipay, WeChat Pay and UnionPay"): never a yes the facts do not hold.
            d.kind, d.reasons = "unknown", [f"not in the catalog: {', '.join(uncovered)}"]
            related = line if set(best.fact.attrs) & set(d.attrs) and best.fact.kind != "point" else None
            d.text = self.composer.unknown(users, lang, related)
            return d
        d.kind = "fact"
        also = None if correcting else self._also(text, product, d.attrs, lang, best.fact)
        if also is not None:
            line = line.rstrip() + ("" if lang == "zh" else " ") + also[1]
            d.facts.append(also[0].id)
        notices = self._notices(product, lang, d.attrs) if best.fact.kind not in ("notice", "policy") else []
        d.text = self.composer.fact(line, users, lang, correcting, notices)
        if correcting:
            d.reasons = ["the viewer stated a number the catalog contradicts"]
        return d

    # -- the parts ---------------------------------------------------------------------------

    def _answers(self, fact: Fact, wanted: set[str]) -> bool:
        return bool(wanted & set(fact.attrs)) or bool(wanted & _BY_TEXT & self._text_attrs.get(fact.id, set()))

    @staticmethod
    def _fitness(fact: Fact, text: str, wanted: set[str]) -> float:
        """How well a fact's kind suits the question beyond its words: a spec or FAQ states a
        detail a selling point only advertises; the spec named after the attribute ("weight")
        answers the plain question ("多重?") before a narrower one ("fill weight"); a question for
        a duration or a temperature wants a fact that gives one."""
        bonus = _DETAIL if fact.kind in _STATING else 0.0
        if fact.key and fact.key.casefold().rstrip("s") in {w.rstrip("s") for w in wanted}:
            bonus += _DETAIL
        return bonus + answer_type_bonus(text, " ".join(fact.texts.values()))

    def _candidates(self, text: str, product: Product, lang: str) -> list[Scored]:
        facts = [f for f in self.kb.facts(product.id) if self._sayable(f, product, lang)]
        return self.retriever.rank(self._without_names(text), facts)

    def _best(self, text: str, product: Product, attrs: list[str], lang: str) -> Scored | None:
        ranked = self._candidates(text, product, lang)
        if attrs:
            wanted = set(attrs[:1])
            if attrs[0] == "discount" and not any(s.fact.kind == "discount" for s in ranked):
                wanted = {"price"}
            hits = [s for s in ranked if self._answers(s.fact, wanted)]
            if hits:  # by words and meaning; a spec or an FAQ states a detail a selling point only advertises
                hit = max(hits, key=lambda s: s.score + self._fitness(s.fact, text, wanted))
                return self._instead(hit, ranked, wanted)
            if wanted & _STRICT:
                return None  # "a coupon code?" is not answered by the discount
        # Nothing answers the asked attribute (or none was recognised): only a good match on
        # other facts counts ("how big is the box?" must not get the serum's volume).
        top = max(ranked, key=lambda s: s.score + self._fitness(s.fact, text, set())
                  - (_NOTICE if s.fact.kind == "notice" else 0.0), default=None)
        if top is not None and top.score >= MIN_SCORE:
            return top
        return None

    def _instead(self, hit: Scored, ranked: list[Scored], wanted: set[str]) -> Scored:
        """The attribute's best fact, unless another fact holds the question's words far better:
        "备用绳多少钱?" asks the spare rope's price (an FAQ), not the product's; "买回去怎么磨刀?"
        asks about sharpening, not how to buy."""
        if not wanted & attributes.GENERIC or hit.fact.key in wanted:
            return hit
        money = wanted & {"price", "discount"}
        for s in ranked[:5]:
            if s.fact.id == hit.fact.id or s.fact.kind == "notice":
                continue
            if money and _MONEY.search(" ".join(s.fact.texts.values())) and s.words >= max(0.3, hit.words + 0.2):
                return s
            if not money and s.fact.kind in _STATING and s.words >= 0.6 and hit.words <= 0.3:
                return s
        return hit

    def _misses(self, fact: Fact, text: str, attrs: list[str]) -> list[str]:
        """What the question asks that this fact does not say: a quality a yes/no question names
        ("缩水吗?"), or the kind of value it wants ("how long to charge?" and no duration)."""
        missing = self.coverage.unnamed_quality(text, fact, attrs)
        want = wanted_value(text)
        if want is not None and not want.search(" ".join(fact.texts.values())):
            missing = [*missing, "a value of the kind asked"]
        return missing

    def _covered(self, best: Scored, text: str, product: Product, attrs: list[str],
                 lang: str) -> tuple[Scored, list[str]]:
        """The fact to say and what the question asks that no fact covers. Names the catalog
        never mentions ("ship to Iceland?") are unknown; when the best fact misses what a question
        asks ("洗了会缩水吗?" found the care notice), a fact that does say it answers instead (the
        shrinkage spec), else the answer is an honest unknown."""
        asked = self._without_names(text)
        uncovered = self.coverage.uncovered(asked, best.fact)
        if uncovered or not self._misses(best.fact, asked, attrs):
            return best, uncovered
        wanted = set(attrs[:1])
        for s in self._candidates(text, product, lang)[:6]:
            if s.fact.id == best.fact.id or self._misses(s.fact, asked, attrs):
                continue
            if (wanted and self._answers(s.fact, wanted)) or s.score >= _COVER_MIN:
                return s, []
        return best, self._misses(best.fact, asked, attrs)

    def _parts(self, text: str) -> list[str]:
        parts = [p for p in _PARTS.split(text) if p and (tokens(p) or attributes.detect(p))]
        return parts if len(parts) > 1 and _SEVERAL.search(text) else []

    def _first_part(self, text: str, product: Product, lang: str) -> Scored | None:
        parts = self._parts(text)
        if not parts:
            return None
        p_attrs = self.attributes_of(parts[0], product.price)
        s = self._best(parts[0], product, p_attrs, lang)
        return s if s is not None and p_attrs and self._answers(s.fact, set(p_attrs[:1])) else None

    def _also(self, text: str, product: Product, attrs: list[str], lang: str, first: Fact) -> tuple[Fact, str] | None:
        """A second question in the message ("how much, and how big is the jar?", "电池多大？能用多
        久？"): its fact too, so one short line answers both (never more than two facts)."""
        if not _SEVERAL.search(text):
            return None
        for part in self._parts(text)[1:]:
            p_attrs = self.attributes_of(part, product.price)
            s = self._best(part, product, p_attrs, lang)
            if s is None or s.fact.id == first.id or s.fact.kind == "price" and first.kind == "discount":
                continue
            line = s.fact.text(lang)
            if line and (s.score >= MIN_SCORE or p_attrs and self._answers(s.fact, set(p_attrs[:1]))) \
                    and line not in (first.text(lang) or ""):
                return s.fact, line
        ranked = self._candidates(text, product, lang)
        for attr in attrs[1:3]:
            if attr in first.attrs or attr in ("recommend",):
                continue
            hits = [s for s in ranked if self._answers(s.fact, {attr}) and s.fact.id != first.id]
            if not hits:
                continue
            s = max(hits, key=lambda s: s.score + self._fitness(s.fact, text, {attr}))
            line = s.fact.text(lang)
            if line and s.score >= _ALSO_MIN and line not in (first.text(lang) or ""):
                return s.fact, line
        return None

    def _fit(self, text: str, product: Product, lang: str) -> tuple[Fact, str] | None:
        """A measurement to fit ("我身高165穿什么码?", "his chest is 72 cm"): the row of the size
        table that holds it ("M 160-170 cm"), phrased as the size to pick."""
        n = asked_measure(text)
        if n is None or "size" not in attributes.detect(text, self._names):
            return None
        fits = []  # (lower bound, fact, row): at a boundary ("50 cm": S 40-50, M 50-65) size up
        for f in self.kb.facts(product.id):
            if "size" not in f.attrs:
                continue
            for source in dict.fromkeys((lang, *f.texts)):
                seg = fitting_segment(f.text(source) or "", n)
                if seg:
                    lo = max(float(m.group(1)) for m in _RANGE.finditer(seg) if float(m.group(1)) <= n)
                    fits.append((lo, f, seg))
                    break
        if not fits:
            return None
        _lo, f, seg = max(fits, key=lambda x: x[0])
        return f, _size_line(seg, lang)

    def _trap(self, text: str, product: Product) -> Scored | None:
        """A price or discount the viewer states ("only $15?", "is it 24.99?", "五折吗", "the rope
        is 109, right?"): answered with the catalog's price line, corrected when it contradicts."""
        kinds = {c.kind for c in extract_claims(text)} & {"money", "percent"}
        if not kinds:
            if not stated_prices(text, product.price):
                return None
            kinds = {"money"}
        want = "discount" if "percent" in kinds and product.discount_percent is not None else "price"
        fact = self.kb.get(f"{product.id}/{want}")
        return Scored(fact, 1.0, 1.0, 0.0) if fact is not None else None

    def _contradicts(self, text: str, fact: Fact) -> bool:
        """The viewer states a number ("only 99?", "5 layers right?") that the fact does not hold
        (a number inside a range the fact gives, "230V" in "100-240 V", agrees with it). A price
        is read as a price (`stated_prices`); "一套"/"买两件" state no number to correct."""
        if fact.kind == "age":
            return False
        if fact.kind in ("price", "discount"):
            price = float(fact.numbers[0]) if fact.numbers else None
            asked = set(stated_prices(text, price)) | {
                n for c in extract_claims(text) if c.kind in ("money", "percent")
                for n in re.findall(r"\d+(?:\.\d+)?", _digits(c.text))}
        else:
            asked = set(re.findall(r"\d+(?:\.\d+)?", unicodedata.normalize("NFKC", text)))
        asked -= {str(a) for a in [child_age(text)] if a is not None}
        if not asked or not fact.numbers or any(float(a) == float(n) for a in asked for n in fact.numbers):
            return False
        ranges = [(float(m.group(1)), float(m.group(2))) for t in fact.texts.values() for m in _RANGE.finditer(t)]
        return not any(lo <= float(a) <= hi for a in asked for lo, hi in ranges)

    def _sayable(self, fact: Fact, product: Product, lang: str) -> bool:
        """A catalog line that breaks a rule (a FAQ answer calling a shade "the best seller") is
        never a candidate: the next best fact answers instead."""
        key = (fact.id, lang)
        if key not in self._sayable_cache:
            text = fact.text(lang) or next(iter(fact.texts.values()), "")
            self._sayable_cache[key] = check_compliance(text, lang, product, self.catalog).ok
        return self._sayable_cache[key]

    def _min_age(self, product: Product) -> tuple[int | None, str]:
        """The catalog's `min_age`, else an age floor its own age facts state ("aged 3 and up")."""
        if product.min_age is not None:
            return product.min_age, f"{product.id}/age"
        for f in self.kb.facts(product.id):
            if "age" in f.attrs and f.product_id is not None:
                n = stated_min_age(list(f.texts.values()))
                if n is not None:
                    return n, f.id
        return None, ""

    def _notices(self, product: Product, lang: str, attrs: list[str] | None = None) -> list[str]:
        """The product's mandatory notices in `lang`; with `attrs`, only the one notice about what
        was asked (an allergen answer carries the allergen notice), so answers stay short."""
        notices = self.kb.notices(product.id)
        if attrs is not None:
            notices = [f for f in notices if set(f.attrs) & set(attrs)][:1]
        return [t for f in notices if (t := f.text(lang))]

    def _safe_point(self, product: Product, lang: str) -> tuple[str, str] | None:
        for f in self.kb.facts(product.id):
            if f.kind != "point":
                continue
            text = f.text(lang)
            if text and check_compliance(text, lang, product, self.catalog).ok:
                end = "" if text.rstrip()[-1:] in "。.!！" else ("。" if lang == "zh" else ".")
                return text + end, f.id
        return None


def _size_line(seg: str, lang: str) -> str:
    """"M 160-170 cm" -> "Size M: 160-170 cm." / "建议选M码：160-170厘米。"."""
    m = re.match(r"^\s*(?i:size\s+)?([A-Z]{1,4}|\d{2})(?:码|号)?\s*[:：]?\s*(.+)$", seg)
    if m is None or re.search(r"(?i)size|码|号", m.group(2)):
        return seg + ("。" if lang == "zh" else ".")
    if lang == "zh":
        return f"建议选{m.group(1)}码：{m.group(2)}。"
    return f"I'd go with size {m.group(1)}: {m.group(2)}."
