"""The script loop: what the host says when chat is quiet, for the product on screen.

A cycle is four segments: hook, features, offer, call to action. Every cycle is worded anew
(a different template per segment, a different pair of selling points) so a viewer who stays
for three cycles does not hear the same lines; `ngram_overlap` measures it. Chat pre-empts the
loop: the caller asks for `current()`, speaks it, and calls `advance()` only when it was heard to
the end, so an interrupted segment is said again (freshly worded) and the loop resumes where it
left off. Lines are built only from catalog facts and pass the same guard as LLM replies.

An LLM paraphrase is optional (`paraphrase_segment`): its draft is kept only if it passes the
guard and keeps the template's numbers; otherwise the template line is said.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from vhost.brain.catalog import Product
from vhost.brain.grounding import extract_claims

SEGMENTS = ("hook", "features", "offer", "cta")

_EN: dict[str, list[str]] = {
    "hook": [
        "Look at this: the {name}. {tagline}.",
        "Say hi to the {name}, a real favourite here. {tagline}.",
        "If you just joined, this is the {name}. {tagline}.",
        "Right now on screen: the {name}. {tagline}.",
        "Here's one I use every day, the {name}. {tagline}.",
    ],
    "features": [
        "Two things I love: {p1}, and {p2}.",
        "What makes it stand out? {p1}. Plus, {p2}.",
        "Quick rundown: {p1}; {p2}.",
        "First, {p1}. And second, {p2}.",
        "You get {p1}, and on top of that {p2}.",
    ],
    "offer": [
        "Today it's {price}{was}.",
        "The price right now is {price}{was}.",
        "You can grab it for {price} today{was}.",
        "Live deal: {price}{was}.",
        "On this stream it's just {price}{was}.",
    ],
    "cta": [
        "Tap the cart button to grab yours, {stock}.",
        "Hit the cart on screen, {stock}.",
        "Want one? The cart button is right there, {stock}.",
        "Add it to your cart now, {stock}.",
        "Go ahead and tap the cart, {stock}.",
    ],
}
_ZH: dict[str, list[str]] = {
    "hook": [
        "大家看这款{name}！{tagline}。",
        "刚进来的朋友看过来，这是{name}，{tagline}。",
        "给大家介绍{name}，{tagline}。",
        "现在屏幕上的是{name}，{tagline}。",
        "这款{name}我自己每天都在用，{tagline}。",
    ],
    "features": [
        "我最喜欢两点：{p1}，还有{p2}。",
        "它的亮点是什么？{p1}；{p2}。",
        "简单说：{p1}，{p2}。",
        "首先，{p1}；再来，{p2}。",
        "你能得到{p1}，而且{p2}。",
    ],
    "offer": [
        "今天只要{price}{was}。",
        "现在的价格是{price}{was}。",
        "直播间今天{price}就能带走{was}。",
        "福利价{price}{was}。",
        "这场直播只要{price}{was}。",
    ],
    "cta": [
        "点屏幕上的购物车就能下单，{stock}。",
        "喜欢的朋友点购物车，{stock}。",
        "想要的点一下购物车，{stock}。",
        "现在就加入购物车吧，{stock}。",
        "赶紧点购物车，{stock}。",
    ],
}
# Steps through the template lists: coprime with 5, different per segment, so consecutive
# cycles never reuse a template and the segments do not move in lockstep.
_STEP = {"hook": 1, "features": 2, "offer": 3, "cta": 4}


def templates(kind: str, lang: str) -> list[str]:
    """The templates of one segment kind in one language, in the order `ScriptLoop.variant`
    numbers them (1-based)."""
    return list((_ZH if lang == "zh" else _EN)[kind])


@dataclass(frozen=True)
class Segment:
    product_id: str
    kind: str  # one of SEGMENTS
    cycle: int
    text: str
    lang: str
    variant: int = 0  # which template of its kind (1-based), for "which pitch sells"
    template: str = ""


def _grams(text: str, n: int = 3) -> set[tuple[str, ...]]:
    if any("\u3400" <= ch <= "\u9fff" for ch in text):
        chars = [c for c in text if not c.isspace() and c not in "，。！？；：、"]
        return {tuple(chars[i:i + n]) for i in range(len(chars) - n + 1)}
    words = re.findall(r"[\w$.%'-]+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def ngram_overlap(a: str, b: str, n: int = 3) -> float:
    """Jaccard overlap of word (English) or character (Chinese) n-grams; 0 = nothing repeated."""
    ga, gb = _grams(a, n), _grams(b, n)
    if not ga or not gb:
        return 0.0
    return len(ga & gb) / len(ga | gb)


def _pick(cycle: int, options: list[str]) -> str:
    return options[cycle % len(options)]


class ScriptLoop:
    def __init__(self, product: Product, lang: str = "en", start_cycle: int = 0) -> None:
        self.lang = "zh" if lang == "zh" else "en"
        self.set_product(product, start_cycle)

    def set_product(self, product: Product, start_cycle: int = 0) -> None:
        """A new product on screen starts its script from the hook."""
        self.product = product
        self.cycle = start_cycle
        self.index = 0

    def _facts(self) -> dict[str, str]:
        p = self.product.localized(self.lang)
        zh = self.lang == "zh"
        points = [s.rstrip("。.") for s in p.selling_points] or [p.tagline or p.name]
        k = (2 * self.cycle) % len(points)
        p1, p2 = points[k], points[(k + 1) % len(points)]
        if not zh:
            p1 = p1[:1].lower() + p1[1:] if not p1[:2].isupper() else p1
            p2 = p2[:1].lower() + p2[1:] if not p2[:2].isupper() else p2
        was, c = "", self.cycle
        if p.original_price is not None and p.discount_percent is not None:
            orig, pct = p.format_price(p.original_price), p.discount_percent
            was = _pick(c, [f"，原价{orig}，优惠{pct}%", f"，比原价{orig}省了{pct}%",
                            f"，平时卖{orig}", f"，直接优惠{pct}%"] if zh else
                        [f", down from {orig}, that's {pct}% off", f", {pct}% off the usual {orig}",
                         f", normally {orig}", f", a {pct}% discount"])
        if p.stock > 0:
            stock = _pick(c, [f"还剩{p.stock}件", f"库存只有{p.stock}件", f"现在还有{p.stock}件"]
                          if zh else [f"{p.stock} left", f"only {p.stock} in stock",
                                      f"we have {p.stock} right now"])
        else:
            stock = "现在卖完了，可以先收藏" if zh else "it's sold out for now, save it for later"
        tagline = (p.tagline or (p.selling_points[0] if p.selling_points else "")).rstrip("。.")
        return {"name": p.name, "tagline": tagline, "p1": p1, "p2": p2,
                "price": p.format_price(p.price), "was": was, "stock": stock}

    def variant(self, kind: str, cycle: int | None = None) -> tuple[int, str]:
        """(1-based template number, template) that `render` uses for this kind and cycle."""
        cycle = self.cycle if cycle is None else cycle
        templates = (_ZH if self.lang == "zh" else _EN)[kind]
        i = (cycle * _STEP[kind] + SEGMENTS.index(kind)) % len(templates)
        return i + 1, templates[i]

    def render(self, kind: str, cycle: int | None = None) -> str:
        cycle = self.cycle if cycle is None else cycle
        template = self.variant(kind, cycle)[1]
        saved, self.cycle = self.cycle, cycle
        try:
            text = template.format(**self._facts())
        finally:
            self.cycle = saved
        return text.replace(". .", ".").replace("..", ".")

    def current(self) -> Segment:
        """The segment to say next (the same one again until `advance()`)."""
        kind = SEGMENTS[self.index]
        number, template = self.variant(kind)
        return Segment(self.product.id, kind, self.cycle, self.render(kind), self.lang, number, template)

    def advance(self) -> None:
        """The current segment was heard to the end: move on (a new cycle after the CTA)."""
        self.index += 1
        if self.index == len(SEGMENTS):
            self.index = 0
            self.cycle += 1

    def cycle_text(self, cycle: int) -> str:
        return " ".join(self.render(kind, cycle) for kind in SEGMENTS)


async def paraphrase_segment(
    segment: Segment,
    stream: Callable[[str], AsyncIterator[str]],
    accept: Callable[[str], bool],
) -> tuple[str, bool]:
    """(text, paraphrased): the LLM's rewording of `segment.text` if `accept`s it (the guard)
    and it keeps exactly the template's numbers; else the template text itself."""
    ask = (f"用一句不同的话说：{segment.text}" if segment.lang == "zh"
           else f"Say this in other words, one sentence: {segment.text}")
    draft = ""
    async for delta in stream(ask):
        draft += delta
    draft = draft.strip().strip('"“”')
    want = sorted((c.kind, c.value) for c in extract_claims(segment.text))
    got = sorted((c.kind, c.value) for c in extract_claims(draft))
    if draft and want == got and accept(draft):
        return draft, True
    return segment.text, False
