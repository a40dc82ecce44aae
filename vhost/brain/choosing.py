"""Choosing the fact a message asks for, among a product's facts and the shop's: by attribute,
words and meaning (vhost.brain.retrieval), then checks that it answers what was asked (a duration
for "how long", the quality a yes/no question names), a row of a size table for a measurement, and
a second fact for a second question. Mixed into `Answerer` (vhost.brain.answerer), which provides
`kb`, `retriever`, `coverage`, `_text_attrs`, `_names`, `_sayable`, `_without_names`, `attributes_of`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from vhost.brain import attributes, parts, polarity
from vhost.brain.catalog import Product
from vhost.brain.clauses import asked_clauses, clause_asks
from vhost.brain.counting import counts_asked, counts_things
from vhost.brain.glossary import chinese_for
from vhost.brain.knowledge import Fact
from vhost.brain.parts import SEVERAL, guesses_value, question_parts
from vhost.brain.reading import (
    _RANGE,
    amount_unstated,
    answer_type_bonus,
    is_question,
    qualifier_bonus,
    stated_alternative,
    typed_first,
    wanted_value,
)
from vhost.brain.retrieval import Scored, terms, tokens
from vhost.brain.rivals import MONEY, STATING, instead, of_kind_asked, price_list
from vhost.brain.scope import own_first
from vhost.brain.units_asked import giving_unit

if TYPE_CHECKING:
    from vhost.brain.coverage import Coverage  # noqa: F401
    from vhost.brain.knowledge import KnowledgeBase
    from vhost.brain.retrieval import Retriever

__all__ = ["MIN_SCORE", "FactChooser", "_RANGE"]

# Calibrated on the tuned evaluation sets (bench/data/brain_eval, splits.toml), never on held-out.
# Without a fact of the asked attribute, the retrieval score (shared words + half the rescaled
# meaning, vhost.brain.retrieval) must reach this: half the question's words, or a close
# paraphrase plus a shared word, or most of its words (0.6: the tuned sets, 0.5-0.7 swept).
MIN_SCORE = 0.5
# A fact that states a detail (a spec, an FAQ answer, a policy) beats a selling point that only
# advertises it ("battery life: 8 h" over "all-day battery") by this much.
_DETAIL = 0.1
# Attributes a fact may answer by what it says, not only by its key ("payment: ... 花呗分期" answers
# installments), and those no other attribute's fact may answer ("a coupon code?" != the discount).
_POLICY = frozenset({"returns", "shipping", "payment", "how_to_buy", "invoice", "installment", "coupon", "bundle", "warranty"})
_BY_TEXT = frozenset({"included", "battery", "certification", "invoice", "noise", "bundle", "auto_off", "coupon", "installment", "warranty", "origin", "waterproof", "allergen", "shelf_life",
                      "storage", "care", "nutrition", "shipping", "made_date",
                      "physical_store", "trade_in"})
_STRICT = frozenset({"included", "certification", "authenticity", "coupon", "installment", "warranty", "load", "how_to_buy", "payment",
                     "shipping", "returns"}) | (_BY_TEXT - {"care", "storage"})  # "where is it made?" with
# no origin fact: unknown. Not care or storage: their words are everyday ones ("洗" in 洗面奶).
_STRICT_MIN = 0.15  # a strict attribute by a fact's words only this close ("送腕托不" != Mac keycaps in the box)
_LISTS = frozenset({"included", "bundle", "certification"})  # but across languages, where meaning is weak
_NOTICE = 0.15  # a warning answers a question only when it holds the question's words clearly
_COVER_MIN = 0.35  # a fact naming what a yes/no question asks may answer it instead of the attribute's best
_YES_NO_FAQ = 0.25  # an FAQ answering a yes/no question, for a question that is not one
_MEASURES = frozenset({"size", "volume", "weight"})  # "how big" may be a capacity
_CONTAINER = re.compile(r"(?i)\b(?:bottles?|jars?|cans?|tubes?|tubs?|pouch(?:es)?|canisters?|tins?|flasks?|bowls?|cups?|mugs?|"
                        r"pots?|tanks?|jugs?|kettles?|baskets?)\b|[一这那每][瓶罐桶袋支管壶听]|[碗杯锅壶]|水箱|油箱|水壶")
_UNIT_MIN = 0.05  # a fact giving a number in the unit asked ("几度电" and "1024瓦时") needs little more
_TYPED_MIN, _KEYED_MIN = 0.25, 0.3  # a fact giving the kind of value asked ("how hot?"); a spec named after the thing asked
_OWN_FAQ, _ALSO_MIN, _PIECE_WORDS = 0.7, 0.25, 0.5
_ASKS_NUMBER = re.compile(r"(?i)多少|几[个件片克毫升厘米寸度瓦伏年天小时分钟次本册卷瓶粒颗只条道节双套张支包袋根块]|\bhow (?:many|much)\b")
_LIMIT = re.compile(r"(?i)\bup to\b|\bmax(?:imum)?\b|\blimit\b|最大|最多|以内|不超过|承重")  # what it holds, not weighs
_HOW_HEAVY = re.compile(r"(?i)how heavy|\bweigh(?:s|t)?\b|多重|多沉|重量|重不重|几斤|几公斤")
# A hit this far above a spec named after a word asked still answers; a fact answering the second
_FAR_KEYED, _FAR_BETTER, _FAR_WORDS = 0.5, 0.4, 0.6  # attribute this much closer, holding this share of words, wins


class FactChooser:
    kb: KnowledgeBase
    retriever: Retriever
    coverage: Coverage
    _text_attrs: dict[str, set[str]]
    _names: tuple[str, ...]
    _ranked: dict[tuple[str, str, str, int], list[Scored]]

    def _sayable(self, fact: Fact, product: Product, lang: str) -> bool:
        raise NotImplementedError

    def _without_names(self, text: str) -> str:
        raise NotImplementedError

    def attributes_of(self, text: str, product: Product | None = None) -> list[str]:
        raise NotImplementedError

    def _answers(self, fact: Fact, wanted: set[str]) -> bool:
        if wanted & set(fact.attrs):
            return True
        if "count" in wanted and fact.kind in ("spec", "faq", "point") and counts_things(fact):
            return True  # "几张卡": "up to 10 cards"
        # A shop policy is about the shop: the returns policy's "未开封" gives no shelf life (one
        # policy may answer another by its words: "花呗分期" in the payment policy).
        if set(fact.attrs) & _POLICY and not wanted & _POLICY:
            return False
        return bool(wanted & _BY_TEXT & self._text_attrs.get(fact.id, set()))

    @staticmethod
    def _fitness(fact: Fact, text: str, wanted: set[str]) -> float:
        """How well a fact's kind suits the question beyond its words: a spec or FAQ states a
        detail a selling point only advertises; the spec named after the attribute ("weight")
        answers the plain question ("多重?") before a narrower one ("fill weight"); a question for
        a duration or a temperature wants a fact that gives one."""
        bonus = _DETAIL if fact.kind in STATING else 0.0
        wanted_words = {w.rstrip("s") for w in wanted}
        if fact.key and fact.key.casefold().rstrip("s") in wanted_words:
            bonus += _DETAIL
        elif fact.key and set(attributes.detect(re.sub(r"[_-]+", " ", fact.key))) & wanted:
            bonus += _DETAIL / 2  # "how heavy?": board_weight before max_load; "comes with?": in_box
        elif fact.kind == "spec" and len(fact.attrs) >= 3:  # a list of many things ("Contents: 3 balls…, 8 mm needles (35 cm)…")
            bonus -= _DETAIL / 2
        if fact.numbers and _ASKS_NUMBER.search(text):  # "密度多少?": a fact that gives a number
            bonus += _DETAIL
        stated = " ".join((fact.key.replace("_", " "), *fact.texts.values()))
        return bonus + answer_type_bonus(text, stated) + qualifier_bonus(text, stated)

    def _candidates(self, text: str, product: Product, lang: str) -> list[Scored]:
        """The product's sayable facts ranked for `text`; one decision asks this several times
        (best, first part, coverage, second question), so the last few rankings are kept."""
        facts = [f for f in self.kb.facts(product.id) if self._sayable(f, product, lang)
                 and not (f.product_id is None and f.key in parts.SHOP_NAME_KEYS and not parts.ASKS_SHOP_NAME.search(text))]
        key = (text, product.id, lang, len(facts))  # a fact taught live changes the count
        cache = self._ranked
        if key not in cache:
            if len(cache) >= 32:
                cache.clear()
            ranked = self.retriever.rank(self._without_names(text).casefold(), facts)  # ranked as tuned, in lower case
            if not polarity.asks_yes_no(text):  # "how many colours?" is no FAQ's "Yes: choose 5 colours"
                ranked = sorted((Scored(s.fact, s.score - _YES_NO_FAQ, s.words, s.meaning) if s.fact.kind == "faq"
                                 and polarity.lead(next(iter(s.fact.texts.values()), "")) else s for s in ranked),
                                key=lambda s: -s.score)
            cache[key] = ranked
        return cache[key]

    def _best(self, text: str, product: Product, attrs: list[str], lang: str) -> Scored | None:
        ranked = self._candidates(text, product, lang)
        shop_name = [s for s in ranked if s.fact.product_id is None and s.fact.key in parts.SHOP_NAME_KEYS]
        if shop_name:  # only there when the shop's name is asked ("what's this shop called?")
            return shop_name[0]
        if (listed := price_list(ranked, attrs)) is not None:  # "rug sizes & prices"
            return listed
        if (united := giving_unit(text, ranked, _UNIT_MIN, attrs)) is not None:  # "how many wh": the fact in Wh
            return united
        if attrs:
            wanted = set(attrs[:1])
            if attrs[0] == "discount" and not any(s.fact.kind == "discount" for s in ranked):
                wanted = {"price"}
            hits = own_first([h for h in self._hits(text, ranked, wanted) if h.score >= _STRICT_MIN or not wanted & _STRICT
                              or wanted & set(h.fact.attrs) or lang not in h.fact.texts and not wanted & _LISTS], wanted)
            keyed = [k for k in self._keyed(text, ranked, set(attrs)) if self._same_measure(k.fact, wanted)]
            if keyed and not any(k.fact.id == h.fact.id for k in keyed for h in hits[:1]) and not (
                    hits and hits[0].score >= keyed[0].score + _FAR_KEYED):  # "打印尺寸多大": build_volume, not print_speed
                hits = keyed  # "how big is the dustbin?": the spec named after the dustbin, not the size
            if hits:  # by words and meaning; a spec or an FAQ states a detail a selling point only advertises
                # A warning names what it warns about ("do not shine the beam in eyes"): the fact that
                # gives the value asked ("beam distance: 90 m") comes first.
                hit = max(hits, key=lambda s: s.score + self._fitness(s.fact, text, wanted)
                          - (_NOTICE if s.fact.kind == "notice" else 0.0))
                return self._far_better(hit, ranked, attrs) or instead(hit, ranked, wanted, text)
            if wanted & _STRICT:
                return None  # "a coupon code?" is not answered by the discount
        # Nothing answers the asked attribute (or none was recognised): only a good match on
        # other facts counts ("how big is the box?" must not get the serum's volume).
        top = max(ranked, key=lambda s: s.score + self._fitness(s.fact, text, set())
                  - (_NOTICE if s.fact.kind in ("notice", "policy") else 0.0), default=None)
        if top is None or top.score < MIN_SCORE:
            # "是用什么鱼提炼的?": the spec named after the fish (fish_source), if close enough
            keyed = [s for s in self._keyed(text, ranked, set()) if s.score >= _KEYED_MIN]
            if keyed and not attrs:
                return keyed[0]
            # "浅烘还是深烘?": the fact stating one of the alternatives offered, if close enough
            either = [s for s in ranked if s.score >= _KEYED_MIN and self._either(text, s.fact)]
            if either:
                return either[0]
            # "how hot does it go?": the fact that gives a temperature, if one is close enough
            want = wanted_value(text)
            typed = [s for s in ranked if want is not None and want.search(" ".join(s.fact.texts.values()))]
            found = typed[0] if typed and typed[0].score >= _TYPED_MIN else None
            piece = None if found else parts.asking_piece(text)  # "有法式的吗 白边那种 上班戴不会太夸张"
            alone = self._best(piece, product, self.attributes_of(piece, product), lang) if piece else None
            return found or (alone if alone and alone.words >= _PIECE_WORDS else None)  # by its words, not its gist
        if attrs and not set(attrs[:1]) & attributes.GENERIC and top.words < 0.5 and top.meaning < 0.5 \
                and not set(top.fact.attrs) & set(attrs[1:]):  # "work with my 104 key board?" and "Fits: ..."
            return None  # "哪里生产的?" with no origin fact: not the blade length, however close in meaning
        if attrs and top.fact.attrs and not set(top.fact.attrs) & set(attrs) and (top.words < 0.5 or set(top.fact.attrs) <= _MEASURES):
            return next((s for s in self._keyed(text, ranked, set()) if s.score >= _KEYED_MIN), None)  # "spf多少 PA几个加": the spf spec; "枕套是啥面料的?" is not answered by "the price is for one pillow", "什么蜡?" by "220 g of wax"
        return top

    def _hits(self, text: str, ranked: list[Scored], wanted: set[str]) -> list[Scored]:
        """The ranked facts that answer the attribute asked, in rank order."""
        hits = [s for s in ranked if self._answers(s.fact, wanted)]
        if wanted == {"color"}:
            # "what colours?": a fact naming colours ("yellow 5 kg, green..."), not "5 colour-coded levels"
            named = [s for s in ranked if len(attributes.colour_names(" ".join(s.fact.texts.values()))) >= 2
                     and not (s.fact.kind == "faq" and "color" not in s.fact.attrs)]  # not "no real gold or silver" of a material FAQ
            if hits and hits[0].fact.kind != "faq" and not any(h in named for h in hits) and not attributes.colour_names(
                    " ".join(hits[0].fact.texts.values())):  # an FAQ about colour answers its own question
                hits = named or hits
        if wanted == {"weight"} and _HOW_HEAVY.search(text):  # its own weight, not what it holds
            hits = [s for s in hits if not ("load" in {*s.fact.attrs, *self._text_attrs.get(s.fact.id, ())}
                                            or _LIMIT.search(" ".join(s.fact.texts.values())))] or hits  # "Child weight: up to 22 kg"
        if wanted == {"count"}:  # "一套几本": a fact counting books ("4 volumes"), then one counting things
            hits = [s for s in hits if counts_asked(text, s.fact)] or [s for s in hits if counts_things(s.fact)] or hits
        if wanted <= _MEASURES:
            # A measure is a number ("thick gel" answers no "how big?"); how big a bottle is, is what it
            # holds ("一瓶多大"); a box is no bottle, and a weight no size ("胶囊有多大颗" is not "1000 mg").
            held = [s for s in ranked if "volume" in s.fact.attrs and s.fact.numbers] if "size" in wanted and _CONTAINER.search(text) else []
            hits = [s for s in hits if s.fact.numbers and (not held or attributes.of_key(s.fact.key or "") in _MEASURES)] or held  # "how big is the can?": 150 ml, not "hold 15 cm away"
            hits = typed_first(text, hits)  # "车身有多大?": "28 x 18 x 12 cm", not "up to 15 km/h, big tyres"
        return hits

    def _far_better(self, hit: Scored, ranked: list[Scored], attrs: list[str]) -> Scored | None:
        """A later attribute's fact far closer than the first's: "how many times can it charge my iphone 15"."""
        top = max(ranked, key=lambda s: s.score)
        if top.score >= hit.score + _FAR_BETTER and top.words >= _FAR_WORDS and self._answers(top.fact, set(attrs[1:])):
            return top
        return None

    def _keyed(self, text: str, ranked: list[Scored], wanted: set[str]) -> list[Scored]:
        """The specs named after a thing the question names, giving a value of the kind asked
        ("basket size?" -> basket_capacity 4.2 L, "dustbin how big?" -> dustbin 0.6 L), in rank order."""
        asked = [(t, alts) for t, alts in terms(self._without_names(text), self.retriever.dictionary)
                 if not attributes.detect(t)]
        out = []
        for s in ranked:
            fact = s.fact
            if fact.kind != "spec" or not fact.key:
                continue
            if wanted and not set(fact.attrs) & wanted and not (wanted <= _MEASURES and set(fact.attrs) & _MEASURES) and not (
                    wanted == {"count"} and (counts_things(fact) or not fact.attrs)):  # "机关一共多少个": "Mechanisms: 42 pop-ups"; "PA几个加": pa_rating
                continue
            subject = {t for w in re.split(r"[_\s-]+", fact.key.casefold()) if w and not attributes.detect(w)
                       for t in (*tokens(w), *(z for z in tokens(chinese_for(w)) if len(z) > 1))}  # gauge ~ 密度
            if any(t in subject or alts & subject for t, alts in asked):
                out.append(s)
        return out

    def _same_measure(self, fact: Fact, wanted: set[str]) -> bool:
        """A spec named after the thing asked gives the measure asked, or no measure: "a 500g cake
        yeah?" is no cake diameter; "how big is the dustbin?" may be what it holds."""
        measures = set(fact.attrs) & _MEASURES
        bulk = {"size", "volume"}
        return not wanted <= _MEASURES or not measures or self._answers(fact, wanted) or bool(
            wanted & bulk and measures & bulk)

    def _either(self, text: str, fact: Fact) -> frozenset[str]:
        d = self.retriever.dictionary
        return stated_alternative(text, " ".join(fact.texts.values()), d.english if d is not None else None)

    def _misses(self, fact: Fact, text: str, attrs: list[str]) -> list[str]:
        """What the question asks that this fact does not say: a quality a yes/no question names
        ("缩水吗?"), or the kind of value it wants ("how long to charge?" and no duration)."""
        missing = [] if self._same_question(text, fact) else [  # its own FAQ, asked in other words
            *self.coverage.unnamed_quality(text, fact, attrs), *self.coverage.unnamed_kind(text, fact)]
        missing += self.coverage.unnamed_focus(text, fact)
        want = wanted_value(text)
        said = " ".join(fact.texts.values())
        if (want is not None and not want.search(said)) or amount_unstated(text, fact.numbers, said):
            missing = [*missing, "a value of the kind asked"]
        either = self._either(text, fact)  # "duck or goose?": duck
        return [w for w in missing if not any(w.casefold() in a or a in w.casefold() for a in either)]

    def _same_question(self, text: str, fact: Fact) -> bool:
        """An FAQ asked in other words ("is the hood removable?" for "Is the hood detachable?"):
        stricter than polarity.SAME_QUESTION, as it lifts the check for what the fact leaves out
        (measured on 9 logged cases: the right FAQ at 0.71-0.79, the wrong one at 0.59-0.65)."""
        return (self.retriever.question_match(text, fact)[0] or 0.0) >= _OWN_FAQ

    def _covered(self, best: Scored, text: str, product: Product, attrs: list[str],
                 lang: str) -> tuple[Scored, list[str]]:
        """The fact to say and what the question asks that no fact covers. Names the catalog
        never mentions ("ship to Iceland?") are unknown; when the best fact misses what a question
        asks ("洗了会缩水吗?" found the care notice), a fact that does say it answers instead (the
        shrinkage spec), else the answer is an honest unknown."""
        asked = self._without_names(text)
        uncovered = self.coverage.uncovered(asked, best.fact)
        if uncovered and attrs:  # "新疆能发吗" found the steak's delivery spec: the shipping policy names 新疆
            best = next((s for s in self._candidates(text, product, lang)[:6] if self._answers(s.fact, set(attrs[:1]))
                         and not self.coverage.uncovered(asked, s.fact)), best)
            uncovered = self.coverage.uncovered(asked, best.fact)
        if uncovered or not self._misses(best.fact, asked, attrs):
            return best, uncovered
        wanted, want, ranked = set(attrs[:1]), wanted_value(asked), self._candidates(text, product, lang)
        typed = [s for s in ranked[6:] if want is not None and want.search(" ".join(s.fact.texts.values()))
                 and (s.score >= _TYPED_MIN or wanted and self._answers(s.fact, wanted))]  # "does it show how much battery is left?": the display spec, in Chinese only
        for s in sorted(ranked[:6] + typed[:1], key=lambda s: not (wanted and self._answers(s.fact, wanted))):
            if s.fact.id == best.fact.id or self._misses(s.fact, asked, attrs):
                continue
            if wanted and set(s.fact.attrs) - attributes.GENERIC and not self._answers(s.fact, wanted):
                continue  # "how long to charge?" is not answered by the battery life
            if (wanted and self._answers(s.fact, wanted)) or (s.score >= _COVER_MIN and not wanted & _STRICT):
                return s, []  # a strict attribute (a certificate, the origin) only by a fact that states it
        return best, self._misses(best.fact, asked, attrs)

    def _covered_parts(self, best: Scored, text: str, product: Product, attrs: list[str],
                       lang: str) -> tuple[Scored, list[str], bool]:
        """`_covered` for the first part of a message, which the first fact answers; a later part
        that finds the same fact, or none of its own, must be covered by it too ("发什么快递 顺丰吗":
        the shipping policy answers the first, not the courier of the second). Last, whether the
        first of several questions is answered in full (then the fact is said beside the unknown:
        "how many wh? and is it the LFP kind": 1024 Wh, and "not sure about that part")."""
        parts = question_parts(text)
        best, uncovered = self._covered(best, parts[0] if parts else text, product, attrs, lang)
        first_ok = bool(parts) and not uncovered
        uncovered += [w for w in self.coverage.makers(self._without_names(text)) if w not in uncovered]
        for part in [p for p in parts[1:] if clause_asks(p, text)]:  # "公司报销用", "HK summers are brutal" tell
            if attrs and guesses_value(part, attrs) and self._answers(best.fact, set(attrs[:1])):
                continue  # "哪里产的 海南的吗": "grown in Baise, Guangxi" answers both
            again = self._best(part, product, self.attributes_of(part, product), lang)
            if again is None or again.fact.id == best.fact.id:
                asked = self._without_names(part)
                uncovered += [w for w in self.coverage.uncovered(asked, best.fact) if w not in uncovered]
        return best, uncovered, first_ok

    def _first_part(self, text: str, product: Product, lang: str) -> Scored | None:
        qs = question_parts(text)  # "if i pick a colour n hate it, can i return?" asks about returns
        if not qs or parts.CONDITION.search(qs[0]) and not is_question(qs[0]):
            return None
        part = " ".join(asked_clauses(qs[0]))  # "我爸两百六十斤，坐得住吗": not the 斤
        p_attrs = self.attributes_of(part, product)
        s = self._best(part, product, p_attrs, lang)
        return s if s is not None and p_attrs and self._answers(s.fact, set(p_attrs[:1])) else None

    def _also(self, text: str, product: Product, attrs: list[str], lang: str, first: Fact) -> tuple[Fact, str] | None:
        """Another question in the message ("how much, and how big is the jar?"): its fact too (two at most);
        the first part too when the first fact is of another attribute ("how many keys n how much")."""
        if not (qs := question_parts(text)) and not SEVERAL.search(text):  # (question_parts needs SEVERAL too)
            return None
        asked = set(attributes.detect(qs[0])) if qs else set()
        for part in qs if qs and not asked & set(first.attrs) and (asked or first.kind in ("price", "discount")) else qs[1:]:
            p_attrs = self.attributes_of(part, product)
            s = of_kind_asked(part, self._best(part, product, p_attrs, lang), self._candidates(part, product, lang), lambda f, a=p_attrs: not a or self._answers(f, set(a[:1])), _TYPED_MIN)
            if s is not None and not s.fact.text(lang) and (want := wanted_value(part)) is not None:  # "加热最高几度": not the
                s = next((c for c in self._candidates(part, product, lang) if c.score >= _TYPED_MIN  # English-only FAQ,
                          and want.search(c.fact.text(lang) or "")), s)  # a fact in Chinese giving a temperature
            if s is not None and s.fact.kind in ("price", "discount") and parts.asks_part_price(text, self._names):
                s = self._part_price(text, product, lang)  # "how often n how much is a new one": the refill's price
                if s is not None and s.fact.id != first.id and s.fact.text(lang):
                    return s.fact, s.fact.text(lang) or ""
            if s is None or s.fact.id == first.id or s.fact.kind == "price" and first.kind == "discount" \
                    or s.fact.kind == "price" and "price" in first.attrs and MONEY.search(first.text(lang) or ""):
                continue
            line = s.fact.text(lang)
            typed = (want := wanted_value(part)) is not None and want.search(line or "") and s.score >= _TYPED_MIN
            if line and (s.score >= MIN_SCORE or p_attrs and (self._answers(s.fact, set(p_attrs[:1])) or set(  # "水箱多大": 300 ml
                    p_attrs[:1]) <= _MEASURES and set(s.fact.attrs) & _MEASURES) or typed) \
                    and line not in (first.text(lang) or ""):
                return s.fact, line
        ranked = self._candidates(text, product, lang)
        for attr in attrs[1:3]:
            if attr in first.attrs or attr in ("recommend",):
                continue
            hits = [s for s in ranked if self._answers(s.fact, {attr}) and s.fact.id != first.id
                    and not (s.fact.kind in ("price", "discount") and (parts.asks_part_price(text, self._names)
                                                                       or self._priced_thing(text, first)))]
            if not hits:
                continue
            s = max(hits, key=lambda s: s.score + self._fitness(s.fact, text, {attr}))
            line = s.fact.text(lang)
            if line and s.score >= _ALSO_MIN and line not in (first.text(lang) or ""):
                return s.fact, line
        return None

    def _priced_thing(self, text: str, first: Fact) -> bool:
        """The price asked is of a thing the first fact names ("炸机险多少钱" beside "crash cover sold separately")."""
        asked = [p for p in question_parts(text) or [text] if "price" in attributes.detect(p)]
        words = {t for p in asked for t in tokens(self._without_names(p)) if not attributes.detect(t)}
        return first.kind not in ("price", "discount") and bool(words & self.coverage.fact_words(first))

    def _part_price(self, text: str, product: Product, lang: str, min_words: float = 0.0) -> Scored | None:
        """For the price of a part on its own ("备用枕套单独卖吗？多少钱？") or of a variant ("近视款"):
        the fact that prices it ("Yes, a spare cover costs 39 CNY"), never the product's own price."""
        priced = [s for s in self._candidates(text, product, lang) if s.fact.kind not in ("price", "discount")
                  and MONEY.search(" ".join(s.fact.texts.values())) and s.words >= min_words]
        return priced[0] if priced and priced[0].score >= _ALSO_MIN else None
