"""A kind of device a question names, covered by a fact naming its members: "works with my
phone?" / "安卓和苹果手机都能用吗" is answered by "Android 8.0+ and iOS 13+", which never says
"phone". Only device kinds whose members are proper names a catalog writes (platforms, brands):
a member names the kind unmistakably, so nothing else is assumed."""

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
    return any(m and m <= fact_tokens for m in members)
