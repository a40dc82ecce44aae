"""Two products set side by side: "X9和M2吸力到底差多少", "which is lighter, this one or the 4k
duo?", "F2 vs the L one, which holds more?" get each product's own fact for what is asked, named
as the viewer named them ("X9：最高8000帕；M2：最高3000帕"), never a sum or a verdict the catalog
does not state. "Is it worth it?" of one product gets its first selling point. Mixed into
`Answerer` (vhost.brain.answerer) beside `FactChooser` and `GroupChooser`."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import TYPE_CHECKING

from vhost.brain.catalog import Product, product_names
from vhost.brain.choosing import FactChooser
from vhost.brain.clauses import ZH_SPACE
from vhost.brain.compose import Composer, sentence
from vhost.brain.reading import is_question
from vhost.brain.retrieval import tokens

if TYPE_CHECKING:
    from vhost.brain.answerer import Decision
    from vhost.brain.knowledge import Fact
    from vhost.brain.retrieval import Scored

# "which one is better?", "选哪个", "A还是B": a comparison, not the one product's case
_WORTH = re.compile(r"(?i)\bworth\b|值得|值不值|划算|值吗")
_COMPARE = re.compile(r"(?i)\bwhich\b|\bvs\.?\b|versus|compare|better than|difference|哪个|哪款|选哪|还是|比较|区别|差别|对比")
# Set side by side on one measure or feature: "差多少", "which is lighter", "vs", "diff between".
_SIDE_BY_SIDE = re.compile(
    r"(?i)\bvs\.?\b|versus|\bcompared?\b|\bdiff(?:erence)?\b|\bwhich (?:one )?(?:is|has|holds|does|gets|goes|lasts|weighs)\b|"
    r"\b(?:more|less|\w+er) than\b|差多少|差几|差别|区别|不同|相比|对比|比[^较]{0,12}(?:[大小多少重轻高低长短快慢]|强|好)|"
    r"哪个(?:更|比较)?[大小多少重轻高低长短快慢强]")
# The attribute a comparative asks ("which is lighter": the weight, not a cigarette lighter).
_COMPARATIVES = [(a, re.compile(p, re.I)) for a, p in (
    ("weight", r"\b(?:lighter|heavier)\b|哪个(?:更)?[轻重]|比.{0,12}[轻重]"),
    ("size", r"\b(?:bigger|smaller|larger|wider|taller)\b|哪个(?:更)?[大小]|比.{0,12}[大小](?!多少)"),
    ("noise", r"\b(?:quieter|louder|noisier)\b|哪个(?:更)?(?:安静|吵)|比.{0,12}(?:安静|吵)"),
    ("load", r"\b(?:holds?|carr(?:y|ies)|takes?|supports?) more\b|承重"),
    ("price", r"\b(?:cheaper|pricier|more expensive)\b|哪个(?:更)?(?:便宜|贵)|贵多少|便宜多少"))]
_FRAMING = re.compile(r"(?i)\b(?:actual(?:ly)?|real(?:ly)?|between|the two|both)\b|到底|究竟|两个|两款")
_PIECES = re.compile(r"[?？!！。;；]+")
# The product on screen, named by "this one" ("this one or the 4k duo?", "这个和M2比").
_THIS = re.compile(r"(?i)\bthis (?:one|model|cam|thing)\b|\bthis\b(?= or\b)|这个|这款|这台")
# Asking which to buy, or a verdict: the model's to phrase, verified, not two facts.
_VERDICT = re.compile(r"(?i)\bwhich (?:one )?(?:should|would|do you|to)\b|\bbetter\b|\brecommend|选哪|买哪|推荐|哪个好|哪款好")


class Comparer(FactChooser):
    """Side by side, on top of `FactChooser`'s ranking (its `_best`, `_sayable`, ...)."""

    composer: Composer

    def _answer(self, d: Decision, best: Scored, text: str, users: list[str]) -> Decision:
        raise NotImplementedError

    def _compared(self, d: Decision, text: str, users: list[str], on_screen: Product) -> Decision | None:
        """`d` (a fact or an honest unknown for one product) made a side-by-side answer when the
        message sets two products against each other and each has a fact for what is asked, in
        the viewer's language; None otherwise (a refusal or a verdict on who it suits stands)."""
        if d.kind not in ("fact", "unknown") or not _SIDE_BY_SIDE.search(text) or _VERDICT.search(text):
            return None
        pair = self._pair(text, on_screen)
        if pair is None:
            return None
        pieces = [p for p in re.split(rf"[?？!！。;；，,]+|{ZH_SPACE.pattern}", text) if p.strip()]
        if any(is_question(p) and not _SIDE_BY_SIDE.search(p) and not _WORTH.search(p)
               and tokens(_THIS.sub(" ", self._without_names(p))) for p in pieces):
            return None  # "air多少钱 比pro轻多少啊": another question too, answered part by part
        asked = next((p for p in _PIECES.split(text) if _SIDE_BY_SIDE.search(p)), text)  # "diff for mopping? worth it?"
        rest = _FRAMING.sub(" ", _SIDE_BY_SIDE.sub(" ", self._without_names(asked)))  # "diff between ... for mopping"
        lines, facts = [], []
        for product in pair:
            attrs = next(([a] for a, pattern in _COMPARATIVES if pattern.search(asked)), None) or \
                self.attributes_of(rest, product)
            best = self._best(rest, product, attrs, d.lang)
            if best is None or best.fact.product_id != product.id:
                return None  # a side without its own fact: one answer
            best, uncovered = self._covered(best, rest, product, attrs, d.lang)
            if uncovered or best.fact.product_id != product.id:
                return None  # "which has HomeKit": what no fact of a side says is unknown, not compared
            facts.append(best.fact)
        facts = self._same_spec(pair, facts)
        for product, fact in zip(pair, facts, strict=True):
            line = fact.text(d.lang)
            if line is None or not self._sayable(fact, product, d.lang):
                return None  # only in another language, or not to be said as written
            lines.append(f"{self._spoken(product, text, d.lang)}{'：' if d.lang == 'zh' else ': '}"
                         f"{sentence(line, d.lang).rstrip('。.')}")
        if facts[0].key != facts[1].key and not set(facts[0].attrs) & set(facts[1].attrs):
            return None  # not the same thing of each ("suction" of one, "price" of the other)
        joined = ("；" if d.lang == "zh" else "; ").join(lines) + ("。" if d.lang == "zh" else ".")
        return dataclasses.replace(d, kind="fact", product=pair[0], facts=[f.id for f in facts], reasons=[],
                                   text=self.composer.fact(joined, users, d.lang))

    def _same_spec(self, pair: tuple[Product, Product], facts: list[Fact]) -> list[Fact]:
        """Each side's spec of the same key where one side's fact is a spec the other also has
        ("suction" of both, not one's selling point that mentions suction)."""
        specs = [{f.key: f for f in self.kb.facts(p.id) if f.kind == "spec"} for p in pair]
        for fact in facts:
            if fact.kind == "spec" and all(fact.key in s for s in specs):
                return [s[fact.key] for s in specs]
        return facts

    def _pair(self, text: str, on_screen: Product) -> tuple[Product, Product] | None:
        """The two products a message compares, in the order it names them: two named, or one
        named and the one on screen called "this one"."""
        t = unicodedata.normalize("NFKC", text).casefold()
        # where each is first named by a name of two or more characters ("刀" alone names nothing here)
        found = [(min((i for n in product_names(p) if len(n) > 1 and (i := t.find(n.casefold())) >= 0), default=-1), p)
                 for p in self.catalog.mentioned(text)]
        named = sorted(((i, p) for i, p in found if i >= 0), key=lambda x: x[0])
        products = [p for _, p in named]
        if len(products) == 1 and products[0] is not on_screen and (m := _THIS.search(t)) is not None:
            products = [on_screen, *products] if m.start() < named[0][0] else [*products, on_screen]
        return (products[0], products[1]) if len(products) == 2 else None

    def _spoken(self, product: Product, text: str, lang: str) -> str:
        """The name the viewer gave the product (the longest found in the message), else its
        name in the reply's language."""
        t = unicodedata.normalize("NFKC", text)
        said = [n for n in product_names(product) if len(n) > 1 and n.casefold() in t.casefold()]
        if said:  # as the viewer wrote it ("X9" for the alias "x9")
            name = max(said, key=len)
            at = t.casefold().find(name.casefold())
            return t[at:at + len(name)]
        own = product.i18n.get(lang)
        name = own.name if own is not None and own.name else product.name
        # "this one": its model as its name writes it ("V3" of "RoadEye V3 Mini Dash Cam")
        short = [a for a in product.aliases if 1 < len(a) < len(name) and a.casefold() in name.casefold()]
        if short:
            at = name.casefold().find(min(short, key=len).casefold())
            return name[at:at + len(min(short, key=len))]
        return name

    def _worth(self, d: Decision, text: str, product: Product, users: list[str]) -> Decision:
        """"Is it worth it?" / "值得买吗": its first selling point, from the catalog, never an
        opinion a small model makes up ("not as durable as it should be"). A
        comparison ("which one...", two products) is left to the model, verified."""
        lang = d.lang
        faq = self._best(text, product, d.attrs[1:], lang)  # "which flex should i get": its FAQ
        if faq is not None and faq.fact.kind == "faq" and (self._same_question(text, faq.fact) or faq.words >= 0.6 <= faq.meaning):
            return self._answer(d, faq, text, users)  # "地毯选哪个尺寸" and "Which size suits my sofa?"
        if not _WORTH.search(text) or _COMPARE.search(text) or len(self.catalog.mentioned(text)) > 1:
            return d  # "what do you think?", "which one?": the model, verified
        facts = [f for f in self.kb.facts(product.id) if self._sayable(f, product, lang)]
        why = next((f for f in facts if f.kind == "point" and f.text(lang)), None)
        if why is None:  # a selling point in another language only: the model translates it
            other = next((f for f in facts if f.kind == "point"), None)
            if other is not None:
                d.kind, d.facts, d.reasons = "fact", [other.id], [f"translate:{other.id}"]
            return d
        # the selling point alone: at 15 questions a minute every spoken second is queue time
        d.kind, d.facts = "fact", [why.id]
        d.text = self.composer.fact(why.text(lang), users, lang)
        return d
