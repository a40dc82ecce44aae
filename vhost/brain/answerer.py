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
6. "is it worth it?" -> its first selling point (never a made-up opinion);
7. anything else (small talk, a comparison, "what do you think?") -> `kind="chat"`: the LLM may
   phrase it, and its words are verified before they are spoken (vhost.brain.verify).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from vhost.brain import attributes, polarity
from vhost.brain.ages import age_range, min_months_fact, stated_min_age
from vhost.brain.catalog import Catalog, Product
from vhost.brain.comparing import Comparer
from vhost.brain.compliance import as_notice, check_compliance
from vhost.brain.compose import Composer, sentence
from vhost.brain.coverage import Coverage, model_numbers
from vhost.brain.dictionary import Dictionary, default_dictionary
from vhost.brain.embedding import Embedder
from vhost.brain.grades import fit_verdict
from vhost.brain.groups import GroupChooser
from vhost.brain.knowledge import Fact, KnowledgeBase, unit_attrs
from vhost.brain.lasting import lasting
from vhost.brain.links import asked_link, asks_content_link
from vhost.brain.naming import named_by_head, named_product, only_as_target, too_young_for
from vhost.brain.own import asked_back, without_own_measured, without_own_things
from vhost.brain.parts import AUDIENCE_NAME, FRAME, asks_part_price, names_variant
from vhost.brain.ranges import RangeVerdict, outside_line
from vhost.brain.reading import (
    alternatives,
    child_age,
    child_months,
    child_weeks,
    is_question,
    reply_lang,
    zh_names,
)
from vhost.brain.retrieval import Retriever, Scored, tokens
from vhost.brain.rivals import MONEY
from vhost.brain.stated import bare_prices, contradicts, held_elsewhere, measures, wrong_stated
from vhost.brain.traps import nearest_measure, price_trap
from vhost.brain.variant_price import misstated

__all__ = ["Answerer", "Decision", "child_age", "child_months", "is_question", "reply_lang", "stated_min_age"]

# Claims checked in a viewer's question: the rules a reply may not affirm.
_BAIT_CATEGORIES = ("absolute", "health", "note", "category", "disparagement", "price_promise")


_VARIANT_WORDS = 0.2  # a variant's own price: a priced fact holding this share of the message's words
# A fact that denies what a bait asks ("保温吗?" -> "No, it is not insulated") is said after the
# refusal when it is this close in meaning; the bait names no attribute to find a fact by.
_REFUSE_FACT_MIN = 0.55
_DENIES = re.compile(r"\b(?:no|not|never|isn't|doesn't|won't|cannot|can't)\b|不|没|无法", re.IGNORECASE)


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


# "wait the temp gun from before, does it take AAA?": "wait" opens the message, it asks nothing
# (the thermometer's notice "wait 10 minutes before measuring" is no answer).
_INTERJECTION = re.compile(r"^\s*(?:wait|oh|ooh|hmm+|um+|uh+|btw|ah|hey)\b[\s,!.…-]*", re.IGNORECASE)


class Answerer(Comparer, GroupChooser):
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
        product_words: dict[str, set[str]] = {}
        for p in catalog.products:
            for n in (p.id, p.name, *p.aliases, *(o.name or "" for o in p.i18n.values())):
                vocab.update(tokens(n))
                product_words.setdefault(p.id, set()).update(tokens(n))
                names.append(unicodedata.normalize("NFKC", n).casefold())
        texts = [t for f in self.kb.all() for t in f.texts.values()] + [p.name for p in catalog.products]
        self.coverage = Coverage(vocab, self.dictionary, product_words, model_numbers(texts))
        self._text_attrs = {f.id: set(attributes.detect(" ".join(f.texts.values()))) for f in self.kb.all()}
        self._sayable_cache: dict[tuple[str, str, str], bool] = {}
        self._known = {p.id: measures(self.kb.facts(p.id)) for p in catalog.products}
        self._ranked = {}  # the last rankings (vhost.brain.choosing._candidates)
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
        named = named_product(self.catalog, without_own_things(without_own_measured(text)))  # theirs: "a 250L tank", "my old switches"
        if named is not None and (named is on_screen or not only_as_target(named, text)):
            named = too_young_for(self.catalog, text, named, child_age(text), lambda p: self._min_age(p)[0])
            return named, True  # not "够装满K75不" asked of the switches on screen
        if recent is not None and named_by_head(self.catalog, text) is on_screen:
            return on_screen, False  # "the dates" of the on-screen "stuffed dates", not the last product
        return (recent or on_screen), False

    def learn(self, product_id: str, question: str, answer: str, lang: str) -> Fact:
        """Add an FAQ taught during the show (the operator's answer); it answers the next viewer."""
        facts = self.kb.by_product.setdefault(product_id, [])
        n = sum(f.id.startswith(f"{product_id}/taught/") for f in facts)
        fact = Fact(f"{product_id}/taught/{n}", product_id, "faq", tuple(attributes.detect(question, self._names)),
                    {lang: answer}, (question,), question, tuple(re.findall(r"\d+(?:\.\d+)?", answer)), (question,))
        facts.append(fact)
        self._known[product_id] = measures(facts)
        self.retriever.add(fact)
        self.coverage.vocab.update(tokens(question) + tokens(answer))
        self._text_attrs[fact.id] = set(attributes.detect(answer))
        return fact

    def _without_names(self, text: str) -> str:
        """The message without product names (they say which product, not what is asked) and
        without a frame that only changes the subject ("going back to the purifier -")."""
        # Case is kept: "ship to Singapore?", "made by Zeiss?" name what the catalog may not.
        t = FRAME.sub(" ", _INTERJECTION.sub(" ", unicodedata.normalize("NFKC", text)))
        for name in sorted(self._names, key=len, reverse=True):
            if len(name) < 2:
                continue  # "刀" is in 磨刀 and 刀护: a one-character alias names nothing here
            pattern = rf"(?<![a-z0-9]){re.escape(name)}(?:s|es)?(?![a-z0-9])" if name.isascii() else re.escape(name)
            t = re.sub(pattern, " ", t, flags=re.IGNORECASE)
        # A name that is all the question names ("what SPF is it?" with the alias "spf"): keep it.
        return t if tokens(t) else text

    def attributes_of(self, text: str, product: Product | None = None) -> list[str]:
        # "the ones on my old cheap uke kept slipping": the viewer's uke, not our price
        ours = AUDIENCE_NAME.sub(" ", without_own_things(text))  # "儿童这套多少钱": the kids' set's price
        attrs = attributes.detect(ours, self._names)
        if asks_content_link(text):  # a link to a video or a study is not the shop's cart
            attrs = [a for a in attrs if a != "how_to_buy"]
        # "不是一盒159吗", "red is 128 rite? saw 128 in the cart": still a price stated
        named = [a for a in attributes.named(ours, self._names) if a not in ("count", "how_to_buy")]
        if product is not None and bare_prices(text, product.price, self._known.get(product.id, frozenset())) and not named:
            attrs = [*(["bundle"] if "bundle" in attrs else []), "price"]  # "枪加颈肩的套装是399吧": the bundle's
        elif not attrs and asked_back(text):  # "抹布是40x40的吧", "holds like 40g right?": by the unit
            attrs = unit_attrs(ours)[:1]
        return attrs or (lasting(ours, self.kb.facts(product.id)) if product is not None else [])  # "how long do they last?"

    def decide(self, text: str, users: list[str], on_screen: Product, recent: Product | None = None,
               lang: str | None = None) -> Decision:
        """What to say to a viewer's message: a fact, an honest unknown, a refusal, a verdict on
        who it suits, or chat for the model; two products compared get each one's fact."""
        d = self._decide(text, users, on_screen, recent, lang)
        return self._compared(d, text, users, on_screen) or d

    def _decide(self, text: str, users: list[str], on_screen: Product, recent: Product | None,
                lang: str | None) -> Decision:
        lang = lang or reply_lang(text)
        product, named = self.product_for(text, on_screen, recent)
        attrs = self.attributes_of(text, product)
        if not named and product is not on_screen and self._best(text, product, attrs, lang) is None:
            product = on_screen  # the viewer's last product has no answer: the one on screen
            attrs = self.attributes_of(text, product)
        d = Decision("chat", "", lang, product, attrs)
        bait = [r for r in check_compliance(text, lang, product, self.catalog).reasons
                if r.split(":")[0] in _BAIT_CATEGORIES]
        if bait:
            return self._refuse(d, text, users, bait)
        verdict = fit_verdict(text, [s.fact for s in self._candidates(text, product, lang)],
                              self.kb.facts(product.id)) if is_question(text) else None
        if self._suitability(d, text, users, verdict):
            return d
        if (link := asked_link(text, attrs, self.kb.get("shop/how_to_buy"), lang)) is not None:
            d.kind, d.text, d.reasons = "unknown", self.composer.no_link(users, lang, link), ["a link the catalog has not"]
            return d
        warning = self._warning(text, product, lang, attrs)
        if warning is not None:  # "怀孕了能喝吗": the notice that names pregnant women, as it is written
            d.kind, d.facts = "fact", [warning.fact.id]
            line = warning.fact.text(lang)
            if line is None:
                d.reasons = [f"translate:{warning.fact.id}"]
            else:
                d.text = self.composer.fact(line, users, lang)
            return d
        if attrs[:1] == ["recommend"] and self._fit(text, product, lang) is None:  # "头围57 选哪个码": the row
            return self._worth(d, text, product, users)  # a comparison: the model phrases it, verified
        best = self._best(text, product, attrs, lang)
        first = self._first_part(text, product, lang)
        if first is not None and (best is None or first.fact.id != best.fact.id) and not (
                best and len(attrs) > 1 and set(attrs[:2]) <= set(best.fact.attrs)):  # one fact answers both
            best = first  # "电池多大？能用多久？": each part its own fact, in the order asked
        if verdict is not None:  # "ok for a 100L tank?" and "Tank size: 60-120 L": that fact
            best = Scored(verdict.fact, 1.0, 1.0, 0.0)
        trap = price_trap(text, self.kb, product.id, product.price, self._known.get(product.id, frozenset()),
                          product.discount_percent)
        wrong = wrong_stated(text, self.kb.facts(product.id), priced=trap is not None)
        if wrong is not None:  # "2000流明才159？": the lumens are wrong, the price is not
            best, trap = Scored(wrong, 1.0, 1.0, 0.0), None
        # A stated price is about the price unless the message asks something else ("free
        # shipping over 88 yuan?" asks about shipping).
        asked_else = set(attrs) - {"price", "discount"} - ({"age"} if child_age(text) is None else set())  # "the kids one is 79 today?"
        if trap is not None and (best is None or not asked_else) and not (
                best is not None and best.fact.kind not in ("price", "discount")  # "精米步合45%"
                and "%" in "".join(best.fact.texts.values()) and not bare_prices(text, product.price)):
            best = trap
        if best is not None and (best.fact.kind in ("price", "discount") or "price" in attrs and not MONEY.search(
                " ".join(best.fact.texts.values()))) and asks_part_price(text, self._names):
            best = self._part_price(text, product, lang)  # a spare cover's price, not the pillow's
        elif best is not None and best.fact.kind in ("price", "discount") and names_variant(self._without_names(text)):
            best = self._part_price(text, product, lang, _VARIANT_WORDS) or best  # "近视款69是吧": its own 99
        if best is None:  # a question gets the honest unknown; "I'll take two!" / "love the colour" is chat
            if is_question(text):
                d.kind, d.text = "unknown", self.composer.unknown(users, lang)
            return d
        return self._answer(d, best, text, users)

    def _refuse(self, d: Decision, text: str, users: list[str], bait: list[str]) -> Decision:
        """A bait for a banned claim: no promise, then the fact asked about when it is safe
        ("swim with them?" -> the IP rating), else a safe selling point."""
        product, lang = d.product, d.lang
        assert product is not None
        d.kind, d.reasons = "refuse", [f"viewer asked for a claim: {'; '.join(bait)}"]
        # the fact asked about, by its attribute or as one side of "单板还是合板?" (laminated)
        warned = self._warning(text, product, lang, d.attrs)  # "my dad's diabetic, would the heat be ok?": its notice
        best = warned or self._best(text, product, d.attrs, lang)
        if best is not None and not warned and not d.attrs and not alternatives(text) and not (
                best.meaning >= _REFUSE_FACT_MIN and _DENIES.search(" ".join(best.fact.texts.values()))):
            best = None  # "保温吗?" is answered by "No, it is not insulated"; another fact is not
        line = polarity.without_lead(best.fact.text(lang) or "") if best is not None else None
        safe = (line, best.fact.id) if line and best is not None and (self._sayable(best.fact, product, lang) if best.fact.kind == "notice"
                                                                       else check_compliance(line, lang, product, self.catalog).ok) else self._safe_point(product, lang)
        d.text = self.composer.refuse(users, lang, safe[0] if safe else None)
        d.facts = [safe[1]] if safe else []
        return d

    def _answer(self, d: Decision, best: Scored, text: str, users: list[str]) -> Decision:
        product, lang = d.product, d.lang
        assert product is not None
        d.facts, d.score = [best.fact.id], round(best.score, 3)
        fit = self._fit(text, product, lang)
        prices = frozenset(float(p) for p in (product.price, product.original_price) if p is not None)
        if fit is None and contradicts(text, best.fact, self._known.get(product.id, frozenset()), prices):
            best = nearest_measure(text, best, self._candidates(text, product, lang))  # "comb is 25cm?": its length
            d.facts = [best.fact.id]
        correcting = fit is None and contradicts(text, best.fact, self._known.get(product.id, frozenset()), prices) \
            and not self.coverage.unknown_models(text) and not held_elsewhere(text, self.kb.facts(product.id))
        if fit is not None:
            d.kind, d.facts = "fact", [fit[0].id]
            d.text = self.composer.fact(fit[1], users, lang, misstated(text, fit[1]))  # "jjj is only 189?"
            return d
        uncovered, first_ok = [], False
        if not correcting:  # the product's true price said back is no quality asked ("119? any deal")
            said = text if best.fact.kind in ("price", "discount") else re.sub(
                r"\d+(?:\.\d+)?", lambda m: " " if float(m.group(0)) in prices else m.group(0), text)
            best, uncovered, first_ok = self._covered_parts(best, said, product, d.attrs, lang)
            d.facts, d.score = [best.fact.id], round(best.score, 3)
        line = best.fact.text(lang)
        drop = not self._keeps_lead(text, best.fact)
        if drop and not polarity.without_lead(next(iter(best.fact.texts.values()), "")):
            uncovered = uncovered or ["a yes/no to another question"]  # "Yes, but ..." says nothing else
        if line is None and not uncovered:  # the fact exists only in another language: to translate
            d.kind, d.reasons = "fact", [f"translate:{best.fact.id}", *([polarity.DROPPED] if drop else [])]
            return d
        if uncovered:
            # Honest first, then what the catalog says of it ("no Apple Pay; what I know: Alipay"), never a yes.
            d.kind, d.reasons = "unknown", [f"not in the catalog: {', '.join(uncovered)}"]
            related = polarity.without_lead(line) if line and (first_ok or set(best.fact.attrs) & set(d.attrs) and best.fact.kind != "point" and (
                best.fact.product_id is not None or set(best.fact.attrs) & set(d.attrs[:1]))) else None  # a policy only when it is asked
            d.text = self.composer.unknown(users, lang, related)
            return d
        d.kind = "fact"
        line = polarity.without_lead(line) if drop else line
        also = None if correcting else self._also(text, product, d.attrs, lang, best.fact)
        if also is not None and line.casefold().strip(" .。") in also[1].casefold():
            also = None  # "30% off: it's 119 yuan today" after "It's 119 yuan today": said once
        if also is not None:
            line = sentence(line, lang) + ("" if lang == "zh" else " ") + sentence(polarity.without_lead(also[1]), lang)
            d.facts.append(also[0].id)
        notices = [n for n in (self._notices(product, lang, d.attrs) if best.fact.kind not in ("notice", "policy") else [])
                   if n.strip() not in line]  # a notice the second fact already is: said once
        d.text = self.composer.fact(line, users, lang, correcting, notices)
        if correcting:
            d.reasons = ["the viewer stated a number the catalog contradicts"]
        return d

    # -- the parts ---------------------------------------------------------------------------

    def _keeps_lead(self, text: str, fact: Fact) -> bool:
        """Whether the yes or no an FAQ answer opens with answers this message (vhost.brain.polarity)."""
        if fact.kind != "faq" or not polarity.lead(next(iter(fact.texts.values()), "")):
            return True
        return polarity.keeps_lead(text, *self.retriever.question_match(text, fact))

    def _sayable(self, fact: Fact, product: Product, lang: str) -> bool:
        """A catalog line that breaks a rule (a FAQ answer calling a shade "the best seller") is
        never a candidate: the next best fact answers instead."""
        key = (fact.id, lang, product.id)  # a shop policy is checked against each product's own notes
        if key not in self._sayable_cache:
            text = fact.text(lang) or next(iter(fact.texts.values()), "")
            reasons = check_compliance(text, lang, product, self.catalog).reasons
            self._sayable_cache[key] = not (as_notice(reasons, text) if fact.kind == "notice" else reasons)
        return self._sayable_cache[key]

    def _suitability(self, d: Decision, text: str, users: list[str], verdict: RangeVerdict | None = None) -> bool:
        """An age the viewer gives against the product's ages, or their measure outside a range the
        catalog gives ("250L tank" and "60-120 L"): fills `d`, True when it did."""
        product, lang = d.product, d.lang
        assert product is not None
        if verdict is not None and not verdict.inside:
            d.kind, d.facts = "suitability", [verdict.fact.id]
            d.text = self.composer.fact(outside_line(verdict, lang), users, lang)
            return True
        age = child_age(text)
        min_age, source = self._min_age(product)
        months = child_months(text)
        if age is not None and months is not None and not min_age:
            floor = min_months_fact(self.kb.facts(product.id))  # "3 months+" where the catalog's min_age is 0 or unset
            if floor is not None:
                d.kind, d.facts = "suitability", [floor[1]]
                d.text = self.composer.suitability_months(users, lang, months, floor[0],
                                                          self._notices(product, lang, ["age"]),
                                                          weeks=child_weeks(text))
                return True
        span = age_range(self.kb.facts(product.id))
        if age is not None and span is not None and age > span[1]:  # "my 15 yo" and a watch for 5-12
            d.kind, d.facts = "suitability", [span[2]]
            d.text = self.composer.too_old(users, lang, age, span[0], span[1])
            return True
        if age is not None and min_age is not None and not self._age_aside(age, product, d.attrs) and (
                age < min_age or self._fit(text, product, lang) is None):  # "7 and 122 cm, which size?": the size
            d.kind, d.facts = "suitability", [source]
            stated = {float(n) for f in self.kb.facts(product.id) if "age" in f.attrs for n in f.numbers}  # "12个月", not 36 made up
            d.text = self.composer.suitability(users, lang, age, min_age, self._notices(product, lang, ["age"]),
                                               months=child_months(text), floor_months=12 * min_age if 12.0 * min_age in stated else None)
            return True
        return False

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
                return sentence(text, lang), f.id
        return None

