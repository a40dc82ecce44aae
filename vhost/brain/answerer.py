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

from vhost.base.language import detect_language
from vhost.brain import attributes
from vhost.brain.catalog import Catalog, Product
from vhost.brain.compliance import check_compliance
from vhost.brain.compose import Composer
from vhost.brain.embedding import Embedder
from vhost.brain.grounding import _to_digits, extract_claims
from vhost.brain.knowledge import Fact, KnowledgeBase
from vhost.brain.retrieval import Retriever, Scored, tokens

# Calibrated on the tuned evaluation sets (bench/data/brain_eval, splits.toml), never on held-out.
# Without a fact of the asked attribute, the retrieval score (shared words + half the rescaled
# meaning, vhost.brain.retrieval) must reach this: half the question's words, or a close
# paraphrase plus a shared word, or most of its words (0.6: the tuned sets, 0.5-0.7 swept).
MIN_SCORE = 0.5
# "I heard it's only 99?", "是不是199": a bare number with one of these is a stated price.
_PRICE_CUE = re.compile(r"\b(?:only|heard|price|costs?|bucks|yuan|rmb|today)\b|只要|才|听说|块|元|价|今天",
                        re.IGNORECASE)
_UNIT_AFTER = re.compile(r"^\s*(?:%|mah|ml|g|kg|cm|mm|m|w|v|h|岁|小时|天|片|件|个|层|克|毫|厘|寸|码|"
                         r"hours?|days?|pieces?|pcs|years?|layers?|inch)", re.IGNORECASE)
_QUESTION = re.compile(
    r"[?？]|吗|么|呢|多少|几|什么|怎么|哪|能不能|可不可以|是不是|有没有|会不会|要不要|咋|"
    r"(?:^|\b)(?:is|are|does|do|did|can|could|will|would|how|what|which|where|when|why|who|any|"
    r"should|has|have)\b", re.IGNORECASE)
_AGE = re.compile(r"(\d{1,2})\s*(?:岁|周岁|-?\s*years?[- ]?olds?|\s*yo\b|\s*y/o|\s*yrs?\b)", re.IGNORECASE)
_SENSITIVE = re.compile(r"pregnan\w*|breast-?feeding|nursing|孕妇|孕期|怀孕|哺乳|备孕|diabet\w*|糖尿病|"
                        r"high blood pressure|高血压|heart condition|心脏病|eczema|湿疹|pacemaker|心脏起搏器",
                        re.IGNORECASE)
_CHILD = re.compile(r"\b(?:son|daughter|kid|child|boy|girl|toddler|baby|grandson|granddaughter|"
                    r"little one|younger one|older one)s?\b|孩子|宝宝|儿子|女儿|小孩|娃", re.IGNORECASE)
_AGE_IS = re.compile(r"\b(?:is|turned|turns|turning|aged?)\s+(\d{1,2})\b(?!\s*(?:%|cm|kg|yuan|元|块))",
                     re.IGNORECASE)
_MIN_AGE = re.compile(r"(?:ages?|aged)\s*(\d{1,2})\s*(?:\+|and up|and over|or older|and older)"
                      r"|(\d{1,2})\s*\+\s*(?:years?|yrs?)?|(\d{1,2})\s*(?:岁|周岁)(?:及)?以上", re.IGNORECASE)
# A link to something to watch or read (swatches, a tutorial, a study): the catalog has none.
_CONTENT_LINK = re.compile(r"(?:试色|教程|视频|评测|测评|说明书|报告|研究|study|studies|tutorial|video|review|"
                           r"manual|swatch\w*|report)[^。!！]{0,30}?(?:链接|link|url)|链接[^。!！]{0,6}?(?:试色|教程|视频)",
                           re.IGNORECASE)
_MONTHS = re.compile(r"\d{1,2}\s*(?:个月|-?\s*months?[- ]?olds?)", re.IGNORECASE)
# Claims checked in a viewer's question: the rules a reply may not affirm.
_BAIT_CATEGORIES = ("absolute", "health", "note", "category", "disparagement", "price_promise")
# Chat words that name no fact ("家人们", "guys"): not evidence that a question went unanswered.
_FILLER = frozenset("guys sis bro babe host dear friend everyone today now really thing stuff product "
                    "item one good nice want need know like 家人们 姐妹 宝子 主播 老师 东西 产品 "
                    "这款 那款 今天 现在 真的 一下 请问 知道 想 想问 问问 问 觉得 感觉".split())
# Common English words that frame a question rather than name a thing ("how *long* does it *last*",
# "can I *put* it..."): only other words can be what the catalog does not cover.
_COMMON_EN = frozenset("""
able about after again against all almost already always another anyone anything around back
because been before being best better between big both bring but buy call came come comes coming
could day days does doing done down each easy enough even ever every fast feel few find fine first
for full give given go goes going gone great hand happen hard has hear help here high hold home
hour hours idea into keep kind last late least less let life like little long look looking lot love
made make many maybe mean more most much must need never new next nice night normal often okay
old once only open other our out over own part people pick plan put quick quite rather ready real
same say see seem seen send set should show since size small some someone something soon sound
start still such sure take tell than thank thanks that their them then there these thing things
think those though through time too top try turn under until upon use used using very wait want
way well went were what when where whether which while who whole why wish with without work works
worth would year yes yet you your yours
""".split())


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


def reply_lang(text: str) -> str:
    return "zh" if detect_language(text) == "zh" else "en"


def _digits(text: str) -> str:
    """Digits as written; Chinese numerals too (五十 -> 50), but not English words ("one charge"
    states no number)."""
    t = unicodedata.normalize("NFKC", text)
    return _to_digits(t) if any("\u3400" <= ch <= "\u9fff" for ch in t) else t


def child_age(text: str) -> int | None:
    """The age of the child a viewer asks for ("my 3-year-old", "三岁宝宝", "my son just turned
    5", "6个月" -> 0), or None."""
    t = _to_digits(unicodedata.normalize("NFKC", text))
    if _MONTHS.search(t):
        return 0
    m = _AGE.search(t) or (_AGE_IS.search(t) if _CHILD.search(unicodedata.normalize("NFKC", text)) else None)
    return int(m.group(1)) if m else None


def child_months(text: str) -> int | None:
    """"my 10-month-old" -> 10 (None when the age was not given in months)."""
    m = _MONTHS.search(_to_digits(unicodedata.normalize("NFKC", text)))
    return int(re.match(r"\d+", m.group(0)).group(0)) if m else None


def stated_min_age(texts: list[str]) -> int | None:
    """The youngest age a product's own words allow ("ages 3 and up", "6+", "3岁以上"), when the
    catalog has no `min_age`."""
    for text in texts:
        m = _MIN_AGE.search(_to_digits(unicodedata.normalize("NFKC", text)))
        if m:
            return int(next(g for g in m.groups() if g))
    return None


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text))


def _zh_names(text: str) -> set[str]:
    """Chinese proper names in a message: places, people, organisations, other proper nouns
    (jieba's part-of-speech tags ns, nr, nt, nz; e.g. 香港 ns)."""
    if not any("\u3400" <= ch <= "\u9fff" for ch in text):
        return set()
    tokens("中")  # jieba's dictionary, loaded once and quietly
    import jieba.posseg as pseg

    return {w.word for w in pseg.cut(text) if w.flag in ("ns", "nr", "nt", "nz") and len(w.word) >= 2}


class Answerer:
    def __init__(self, catalog: Catalog, embedder: Embedder | None = None) -> None:
        self.catalog = catalog
        self.kb = KnowledgeBase.build(catalog)
        self.retriever = Retriever(self.kb.all(), embedder)
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
        self._vocab = vocab
        self._sayable_cache: dict[tuple[str, str], bool] = {}
        self._names = tuple(n for n in names if n)
        self._warm()

    def _warm(self) -> None:
        """Everything a first question would load or compute, now, before the show starts: a
        lazy load on the show's thread (jieba's tagger, ~0.2 s) makes the stage drop frames."""
        _zh_names("预热一下")
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
        self._vocab.update(tokens(question) + tokens(answer))
        return fact

    def _without_names(self, text: str) -> str:
        """The message without product names: they say which product, not what is asked."""
        t = unicodedata.normalize("NFKC", text).casefold()
        for name in sorted(self._names, key=len, reverse=True):
            if name.isascii():
                t = re.sub(rf"(?<![a-z0-9]){re.escape(name)}(?:s|es)?(?![a-z0-9])", " ", t)
            else:
                t = t.replace(name, " ")
        # A name that is all the question names ("what SPF is it?" with the alias "spf"): keep it.
        return t if tokens(t) else text

    def attributes_of(self, text: str) -> list[str]:
        attrs = attributes.detect(text, self._names)
        if _CONTENT_LINK.search(text):  # a link to a video or a study is not the shop's cart
            attrs = [a for a in attrs if a != "how_to_buy"]
        if not attrs and self._stated_price(text):
            attrs = ["price"]
        return attrs

    @staticmethod
    def _stated_price(text: str) -> list[str]:
        """Bare numbers stated as a price ("only 99 today?"), not as a size or an age."""
        t = _digits(text)
        if not _PRICE_CUE.search(t) or child_age(text) is not None:
            return []
        return [m.group(0) for m in re.finditer(r"\d+(?:\.\d+)?", t)
                if not _UNIT_AFTER.match(t[m.end():]) and float(m.group(0)) >= 5]

    def decide(self, text: str, users: list[str], on_screen: Product, recent: Product | None = None,
               lang: str | None = None) -> Decision:
        lang = lang or reply_lang(text)
        product, named = self.product_for(text, on_screen, recent)
        attrs = self.attributes_of(text)
        if not named and product is not on_screen and self._best(text, product, attrs, lang) is None:
            product = on_screen  # the viewer's last product has no answer: the one on screen
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
        if attrs[:1] == ["recommend"]:
            return d  # an opinion or a comparison: the model phrases it, verified
        question = is_question(text)
        best = self._best(text, product, attrs, lang)
        trap = self._trap(text, product)
        # A stated price is about the price unless the message asks something else ("free
        # shipping over 88 yuan?" asks about shipping).
        if trap is not None and (best is None or not set(attrs) - {"price", "discount"}):
            best = trap
        if best is None:
            if question or attrs:
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
        line = best.fact.text(lang)
        if line is None:  # the fact exists only in another language: to translate
            d.kind, d.reasons = "fact", [f"translate:{best.fact.id}"]
            return d
        correcting = self._contradicts(text, best.fact)
        uncovered = self._uncovered(text, best.fact, product)
        if uncovered and not correcting:
            # Short and honest: the related fact would answer a question nobody asked.
            d.kind, d.text = "unknown", self.composer.unknown(users, lang)
            d.reasons = [f"not in the catalog: {', '.join(uncovered)}"]
            return d
        d.kind = "fact"
        notices = self._notices(product, lang, d.attrs) if best.fact.kind not in ("notice", "policy") else []
        d.text = self.composer.fact(line, users, lang, correcting, notices)
        if correcting:
            d.reasons = ["the viewer stated a number the catalog contradicts"]
        return d

    # -- the parts ---------------------------------------------------------------------------

    def _best(self, text: str, product: Product, attrs: list[str], lang: str) -> Scored | None:
        facts = [f for f in self.kb.facts(product.id) if (f.kind != "notice" or "allergen" in attrs)
                 and self._sayable(f, product, lang)]
        ranked = self.retriever.rank(self._without_names(text), facts)
        if attrs:
            wanted = set(attrs[:1])
            if attrs[0] == "discount" and not any(f.kind == "discount" for f in facts):
                wanted = {"price"}
            for s in ranked:  # ranked by words and meaning among the facts of that attribute
                if wanted & set(s.fact.attrs):
                    return s
        # Nothing answers the asked attribute (or none was recognised): only a good match on
        # other facts counts ("how big is the box?" must not get the serum's volume).
        top = ranked[0] if ranked else None
        if top is not None and top.score >= MIN_SCORE:
            return top
        return None

    def _trap(self, text: str, product: Product) -> Scored | None:
        """A price or discount the viewer states ("only $15?", "is it 24.99?", "五折吗"): answered
        with the catalog's price line, corrected when it contradicts (see `_contradicts`)."""
        kinds = {c.kind for c in extract_claims(text)} & {"money", "percent"}
        if not kinds:
            if not self._stated_price(text):
                return None
            kinds = {"money"}
        want = "discount" if "percent" in kinds and product.discount_percent is not None else "price"
        fact = self.kb.get(f"{product.id}/{want}")
        return Scored(fact, 1.0, 1.0, 0.0) if fact is not None else None

    def _contradicts(self, text: str, fact: Fact) -> bool:
        stated = set(re.findall(r"\d+(?:\.\d+)?", _digits(text)))
        if fact.id.endswith(("/age",)):
            return False
        asked = stated - {str(a) for a in [child_age(text)] if a is not None}
        return bool(asked) and bool(fact.numbers) and not asked & set(fact.numbers) \
            and not any(float(a) == float(n) for a in asked for n in fact.numbers)

    def _uncovered(self, text: str, fact: Fact, product: Product) -> list[str]:
        """Names in the message that no catalog fact mentions ("ship to *Hong Kong*?", "has
        *NFC*?", "寄到*香港*吗"): the fact found is related, not the answer. Only names count
        (capitalised or upper-case words, Chinese place/person/brand words), because ordinary
        words ("how *long* does it *last*") frame a question rather than add to it."""
        out = []
        words = re.findall(r"[A-Za-z][A-Za-z0-9-]*", unicodedata.normalize("NFKC", text))
        for i, w in enumerate(words):
            named = w.isupper() and len(w) >= 2 or (i > 0 and w[:1].isupper() and w[1:].islower())
            if named and not set(tokens(w)) <= self._vocab | {""} and w.lower() not in _COMMON_EN \
                    and w.lower() not in ("i", "ok"):
                out.append(w)
        # Who it is for, when that is a safety matter: only a fact that says so answers it.
        fact_text = " ".join(fact.texts.values()).casefold()
        out += [m.group(0) for m in _SENSITIVE.finditer(text)
                if not any(w in fact_text for w in _SENSITIVE.findall(fact_text))]
        # Lower-case names typed after "to/in/with/for/from" ("ship to iceland", "works with a
        # garmin"): a word the catalog never uses there is what the question is about.
        for m in re.finditer(r"\b(?:to|in|into|with|for|from|on)\s+(?:an?\s+|the\s+|my\s+)?([a-z][a-z-]{3,})\b",
                             unicodedata.normalize("NFKC", text)):
            w = m.group(1)
            if w not in _COMMON_EN and not set(tokens(w)) & self._vocab and not attributes.detect(w) \
                    and w not in out and w.capitalize() not in out:
                out.append(w)
        out += [t for t in _zh_names(text) if t not in self._vocab and t not in _FILLER
                and not any(t in v for v in self._vocab if not v.isascii())]
        return out

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
