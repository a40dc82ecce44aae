"""A link asked for that no catalog holds: to be sent, dropped or shared ("can u send me the link?",
"drop the link pls, im on desktop", "求个链接 直接发我吧"). The host cannot post one (a link said or
shown would be invented), so it says so and tells how to buy (Composer.no_link), and the operator
sees the question.

"where's the link?", "link?? where do i click", "桨的链接发一下 拍哪个？" ask how to buy: the shop's
how-to-buy policy answers them and this module leaves them alone."""

from __future__ import annotations

import re

from vhost.brain.knowledge import Fact

# A link to something to watch or read (swatches, a tutorial, a study): the catalog has none.
_CONTENT_LINK = re.compile(r"(?:试色|教程|视频|评测|测评|说明书|报告|研究|证书|study|studies|tutorial|video|review|"
                           r"manual|swatch\w*|report|certificate|test results?)[^。!！]{0,30}?(?:链接|link|url)|"
                           r"(?:链接|link|url)[^。!！?？]{0,40}?(?:试色|教程|视频|报告|证书|study|studies|tutorial|"
                           r"video|review|manual|swatch\w*|report|certificate|test)", re.IGNORECASE)

# "send me the link", "drop a link", "dm me the link", "link pls", "gimme the link"
_SEND_EN = re.compile(
    r"\b(?:send|drop|dm|pm|share|post|paste|gimme|give\s+(?:me|us))\b\s+(?:it\s+)?(?:me\s+|us\s+)?"
    r"(?:the\s+|a\s+|ur\s+|your\s+|that\s+)?(?:product\s+|shop\s+|buy\s+)?links?\b"
    r"|\blinks?\s+(?:pls|plz|please|pl[sz]{1,2})\b", re.IGNORECASE)
# "发个链接", "求个链接", "链接发我", "私我链接", "甩个链接"
_SEND_ZH = re.compile(r"(?:发|求|私|甩|丢|给)[我个一下来]{0,3}链接|链接[^，。！？,.!?\s]{0,2}(?:发|私|给)[我一下]")
# how to buy, which to pick, where to click: the cart answers
_WHERE = re.compile(r"(?i)\b(?:where|how|which|click)\b|哪|怎么|如何")


def asks_content_link(text: str) -> bool:
    """A link to something to watch or read (swatches, a tutorial, a study): not the shop's cart."""
    return bool(_CONTENT_LINK.search(text))


def asks_link_sent(text: str) -> bool:
    """A link to be sent to the viewer, not "where is the link" (how to buy)."""
    return bool(_SEND_EN.search(text) or _SEND_ZH.search(text)) and not _WHERE.search(text)


def asked_link(text: str, attrs: list[str], how_to_buy: Fact | None, lang: str) -> str | None:
    """None when no link is asked; else what to say beside "no link": the how-to-buy policy in
    `lang` for a link to be sent that is all the message asks ("" for a link to a video or a study,
    or without that policy)."""
    if asks_content_link(text):
        return ""
    if asks_link_sent(text) and set(attrs) <= {"how_to_buy"}:
        return (how_to_buy.text(lang) if how_to_buy is not None else None) or ""
    return None
