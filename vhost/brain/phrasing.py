"""The small jobs around a fact answer: which product a viewer was just asking about, a friendly
line when there is nothing to look up, and a fact the catalog only has in another language.

Translation is the one place a fact answer touches the model: the model rewrites a catalog sentence
into the viewer's language, and the result is spoken only if every number of the source survives,
it means what the source means (`faithful`: the multilingual sentence embedding of the two), and
the line passes the same guard as any model line (vhost.brain.guard); otherwise the catalog's own
words are spoken with a short lead in the viewer's language.
"""

from __future__ import annotations

import re

from vhost.brain.catalog import Catalog, Product
from vhost.brain.clients import LLMClient
from vhost.brain.colours import unbacked_colours
from vhost.brain.compose import names
from vhost.brain.embedding import Embedder
from vhost.brain.grounding import _to_digits, unit_of
from vhost.brain.guard import check_fragment
from vhost.brain.materials import unbacked_materials

RECENT_S = 120.0  # "what about the blue one?" refers to what this viewer asked within 2 minutes
_SYSTEM = {"zh": "你是翻译。把用户给的商品信息翻译成一句简短自然的中文口语，只输出译文，不要添加任何内容。",
           "en": "You are a translator. Translate the shop fact into one short natural English "
                 "sentence. Output only the translation and add nothing."}
_ASK = {"zh": "翻译成中文：{src}", "en": "Translate into English: {src}"}
_SOURCE = {"zh": "资料上是这样写的：{src}", "en": "Here's what the listing says: {src}"}
# A first line that only announces the translation ("将商品信息翻译成中文：", "Translation:"): the
# sentence is on the next line.
_PREAMBLE = re.compile(r"^[^\n]{0,30}(?:翻译|译文|translation|translated)[^\n]{0,20}[:：]\s*\n", re.IGNORECASE)
# Lower-case Latin words a Chinese line keeps as they are ("手机app", "连wifi")
_KEPT_LATIN = frozenset({"app", "apps", "wifi", "pro", "max", "mini", "plus", "ios", "led", "usb", "type"})
_CHAT = {
    "en": ["Thanks for being here{c}{name}! Ask me anything about the {product}.",
           "Love the energy{c}{name}! Any questions about the {product}?"],
    "zh": ["谢谢{name}捧场！关于{product}有问题尽管问哦。", "{name}感谢支持！{product}有什么想了解的随时问。"],
}


class RecentTopics:
    """The product each viewer last asked about, for follow-ups that do not name it."""

    def __init__(self, window_s: float = RECENT_S) -> None:
        self.window_s = window_s
        self._last: dict[str, tuple[Product, float, str]] = {}

    def note(self, user: str, product: Product, now: float, on_screen: str = "") -> None:
        if user:
            self._last[user] = (product, now, on_screen)

    def get(self, user: str, now: float, on_screen: str = "") -> Product | None:
        """The viewer's last product, unless it is old or the screen changed since (a new product
        on screen is what an unnamed question is about)."""
        hit = self._last.get(user)
        if hit is None or now - hit[1] > self.window_s or (on_screen and hit[2] != on_screen):
            return None
        return hit[0]


def chat_line(users: list[str], lang: str, product: Product, turn: int = 0) -> str:
    """Small talk without a model: thanks, and an invitation to ask about the product."""
    key = "zh" if lang == "zh" else "en"
    n = names(users, lang)
    options = _CHAT[key]
    name = product.localized(key).name
    return options[turn % len(options)].format(name=n, c=", " if n and key == "en" else "",
                                               product=name)


def source_line(src: str, lang: str) -> str:
    return _SOURCE["zh" if lang == "zh" else "en"].format(src=src)


async def translate(llm: LLMClient | None, src: str, lang: str, product: Product,
                    catalog: Catalog, max_new_tokens: int = 60, embedder: Embedder | None = None) -> str | None:
    """`src` in `lang` by the model, or None when there is no model or the result fails a check."""
    if llm is None:
        return None
    key = "zh" if lang == "zh" else "en"
    out = ""
    stream = llm.stream(_ASK[key].format(src=src), max_new_tokens=max_new_tokens, system=_SYSTEM[key])
    try:
        async for delta in stream:
            out += delta
            if "\n" in _PREAMBLE.sub("", out.strip()).strip():
                break
    finally:
        await stream.aclose()
    out = _PREAMBLE.sub("", out.strip()).strip().split("\n")[0].strip().strip('"“”')
    if not out:
        return None
    if key == "en" and re.search(r"[\u3400-\u9fff]", out) or key == "zh" and any(
            w.casefold() not in _KEPT_LATIN for w in re.findall(r"\b[a-z]{3,}\b", out)):
        return None  # "a middle性 wash cloth", "再次按 folds": the model left the source half untranslated
    if not same_numbers(src, out) or not same_units(src, out) or degenerate(out) \
            or unbacked_materials(out, src) or unbacked_colours(out, src) or not faithful(src, out, embedder):
        return None  # a number dropped, changed, added or given another unit; a material or colour added; a loop; another meaning
    v = check_fragment(out, lang, product, catalog, correct=False)
    return v.text if not v.held and v.text else None


def _numbers(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"\d+(?:\.\d+)?", re.sub(r"(?<=\d),(?=\d{3}\b)", "", text))}


def same_numbers(src: str, out: str) -> bool:
    """Every number of the source is in the translation, in digits or in words ("2枚书签" -> "two
    bookmarks"), and the translation adds none (a number word counts: "a dozen" is no "12")."""
    given, said = _numbers(src), _numbers(_to_digits(out))
    return given <= said and said <= given | _numbers(_to_digits(src))


# Units the translation check knows beyond the claim check's (vhost.brain.grounding): there
# "one second" is filler, here "78分贝" read as "78 seconds" is a wrong fact.
_MORE_UNITS = {"second": ("seconds", "second", "secs", "sec", "秒钟", "秒"),
               "db": ("decibels", "decibel", "db", "分贝"), "hz": ("hertz", "hz", "赫兹"),
               "km": ("kilometers", "kilometres", "km", "公里", "千米"),
               "m": ("meters", "metres", "meter", "metre", "m", "米"),
               "degree": ("°c", "℃", "摄氏度"), "rpm": ("rpm", "转"),  # "11000转/分": the 转
               "nit": ("nits", "nit", "尼特"), "piece": ("pieces", "pcs", "件", "片")}
_MORE_OF = {s: u for u, spellings in _MORE_UNITS.items() for s in spellings}
_UNIT_WORD = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z°℃/]+|[\u4e00-\u9fff]{1,3})", re.IGNORECASE)


def _units(text: str) -> dict[float, set[str]]:
    """Each number of `text` with the unit words after it ("78分贝" -> {78: {"db"}})."""
    out: dict[float, set[str]] = {}
    for m in _UNIT_WORD.finditer(_to_digits(text)):
        word = m.group(2).casefold().lstrip("个")  # "2个小时"
        # the longest unit the word starts with: "分贝" of "分贝以下", "小时" of "小时续航"
        for n in range(len(word), 0, -1):
            unit = _MORE_OF.get(word[:n]) or unit_of(word[:n])
            if unit and (n == len(word) or not word.isascii()):
                unit = "level" if unit == "mode" else unit  # "3档" is said "3 settings" as often as "3 levels"
                out.setdefault(float(m.group(1)), set()).add(unit)
                break
    return out


def same_units(src: str, out: str) -> bool:
    """No number of the source is said with another unit ("78分贝" -> "78 seconds", "1.5 hours"
    -> "1.5分钟"); a number said without one is left to the other checks."""
    given, said = _units(src), _units(out)
    return all(not said.get(v) or said[v] & units for v, units in given.items())


# The least cosine similarity (multilingual USE) between a catalog sentence and its translation.
# Measured on 117 translations by the packaged 0.5B model of facts from the evaluation catalogs
# (zh->en and en->zh): the four below 0.5 were all false (江苏常熟 -> "Sushi is common.", 浙江台州 ->
# "The city of Zhengzhou.", 江苏丹阳 -> "Sudan.", "Formula: alkaline." -> "alkal化"); the next one up
# was 0.556. The catalogs' own en/zh pairs: 93 % at or above 0.5 (the rest mostly a label in one
# language only, "Roast: medium." / "中火。"). Below it the catalog's own words are spoken instead.
FAITHFUL_MIN = 0.5


def faithful(src: str, out: str, embedder: Embedder | None) -> bool:
    """`out` means what `src` means, as far as the sentence embedding can tell (no embedder: the
    numbers and the guard are all there is to check)."""
    if embedder is None:
        return True
    vecs = embedder.encode([src, out])
    return float(vecs[0] @ vecs[1]) >= FAITHFUL_MIN


def degenerate(out: str) -> bool:
    """A small model's loop: four Chinese characters ("1部分水至1部分水，1部分水…") or three
    words said three times or more."""
    han = "".join(re.findall(r"[\u4e00-\u9fff\d]", out))
    if any(han.count(han[i:i + 4]) >= 3 for i in range(len(han) - 3)):
        return True
    words = re.findall(r"[a-z0-9]+", out.casefold())
    grams = [" ".join(words[i:i + 3]) for i in range(len(words) - 2)]
    return any(grams.count(g) >= 3 for g in set(grams))
