"""A kind of device a question names, covered by a fact naming its members: "works with my
phone?" / "安卓和苹果手机都能用吗" is answered by "Android 8.0+ and iOS 13+", which never says
"phone". Only device kinds whose members are proper names a catalog writes (platforms, brands):
a member names the kind unmistakably, so nothing else is assumed.

The other way round for drinks only: "能装热牛奶吗" is answered by "cups hold drinks up to 70 °C"
(milk, coffee, tea, juice, soup are drinks whatever the catalog; a fact about drinks covers each)."""

from __future__ import annotations

from functools import cache

from vhost.brain.retrieval import tokens

_PHONES = frozenset("android ios iphone 安卓 苹果 华为 huawei samsung 三星 小米 xiaomi pixel oppo vivo 荣耀 honor 鸿蒙 harmonyos".split())
_COMPUTERS = frozenset("windows macos mac macbook linux chromebook win10 win11 笔记本".split())
_TABLETS = frozenset("ipad ipados android 安卓 华为 huawei 小米 xiaomi".split())
_KINDS: dict[str, frozenset[str]] = {
    "phone": _PHONES, "phones": _PHONES, "smartphone": _PHONES, "手机": _PHONES,
    "computer": _COMPUTERS, "laptop": _COMPUTERS, "pc": _COMPUTERS, "电脑": _COMPUTERS, "笔记本": _COMPUTERS,
    "tablet": _TABLETS, "平板": _TABLETS,
}

# A member asked about, the kind words a fact may name it by.
_DRINK_KIND = frozenset("drinks drink beverages beverage liquids 饮料 饮品 热饮 冷饮 液体".split())
_IN_KIND: dict[str, frozenset[str]] = {m: _DRINK_KIND for m in (
    "milk 牛奶 热牛奶 coffee 咖啡 tea 茶 茶水 juice 果汁 soup 汤 cocoa 可可 豆浆 soymilk 奶茶 water 热水 开水 温水".split())}


@cache
def _as_tokens() -> dict[str, tuple[frozenset[str], ...]]:
    """The table in retrieval's tokens ("windows" -> "windo", "安卓" -> 安 + 卓), as facts and
    questions are read: a member is named when all its tokens are in the fact."""
    return {(tokens(kind) or [kind])[0]: tuple(frozenset(tokens(m)) for m in members)
            for kind, members in _KINDS.items()}


def member_named(word: str, fact_tokens: set[str] | frozenset[str]) -> bool:
    """True when `word` (a question's word or token) is a kind of device and the fact's tokens
    name one of its members."""
    members = _as_tokens().get((tokens(word) or [word.casefold()])[0], ())
    return any(m and m <= fact_tokens for m in members) or kind_named(word, fact_tokens)


def kind_named(word: str, fact_tokens: set[str] | frozenset[str]) -> bool:
    """True when `word` is a drink and the fact's tokens name drinks ("milk" and "hold drinks
    up to 70 °C")."""
    kinds = _IN_KIND.get(word.casefold(), frozenset())
    return any((ts := frozenset(tokens(k))) and ts <= fact_tokens for k in kinds)
