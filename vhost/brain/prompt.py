"""Prompts for the small host model (Qwen2.5-0.5B-Instruct).

The system prompt is prefilled once per product and its KV cache reused for every reply, so it
holds only what is fixed while that product is on screen: no clock, no countdown, no chat.
Everything that changes per message goes in the user turn. A 0.5B model follows short,
imperative, labelled lines far better than prose, so both are kept terse and deterministic.
"""

from __future__ import annotations

import re

from vhost.brain.catalog import Catalog, Product
from vhost.brain.persona import Persona
from vhost.chat.events import ChatMessage
from vhost.chat.triage import normalize_text

MAX_REPLY_WORDS = 35
_MAX_QUESTION_CHARS = 200

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "zh": "Chinese"}

# Rough Qwen2.5 token pieces: digits are single tokens, common words one each, CJK ~1 per char.
_TOKEN_PIECES = re.compile(r"[A-Za-z]{1,7}|\d|[\u3400-\u9fff\uf900-\ufaff]|[^\sA-Za-z\d]")


def estimate_tokens(text: str) -> int:
    """A conservative token estimate for budgeting prompts without loading a tokenizer."""
    return len(_TOKEN_PIECES.findall(text))


def _one_line(text: str, limit: int) -> str:
    # Viewer text is untrusted: one line, bounded, so it cannot pose as a new prompt section.
    text = normalize_text(text).replace('"', "'")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _others_line(catalog: Catalog, product: Product, lang: str) -> str:
    others = catalog.others(product.id)
    if not others:
        return ""
    items = ", ".join(f"{o.localized(lang).name} ({o.format_price(o.price)})" for o in others)
    return f"也在卖：{items}。" if lang == "zh" else f"Also in the shop: {items}."


def build_system_prompt(
    persona: Persona, product: Product, catalog: Catalog, lang: str = "en"
) -> str:
    """The fixed (cacheable) system prompt while `product` is on screen.

    Use the default English variant with `build_user_turn(..., lang)` telling the model which
    language to answer in; `lang="zh"` gives an all-Chinese variant for a Chinese-only show.
    """
    if lang == "zh":
        return _system_prompt_zh(persona, product, catalog)
    zh = product.i18n.get("zh")
    zh_name = f" (Chinese name: {zh.name})" if zh and zh.name and persona.speaks("zh") else ""
    # Catchphrases stay out on purpose: a 0.5B model repeats them in every reply once it sees
    # them. The caller may add one now and then.
    lines = [
        f"You are {persona.name}, {persona.role}. Style: {persona.style.rstrip('.')}.",
        f"Speak 1-2 short sentences, under {MAX_REPLY_WORDS} words; no lists, markdown or emojis. "
        "Use ONLY the facts below; if a fact is missing, say you'll check. "
        "Never invent prices or numbers. Reply in the viewer's language.",
    ]
    if persona.avoid_topics:
        lines.append(f"Never discuss: {', '.join(persona.avoid_topics)}.")
    if product.compliance_notes:
        lines.append("Product rules: " + " ".join(product.compliance_notes))
    lines.append(f"Now selling{zh_name}:")
    lines.append(product.facts_text("en"))
    others = _others_line(catalog, product, "en")
    if others:
        lines.append(others)
    return "\n".join(lines)


def _system_prompt_zh(persona: Persona, product: Product, catalog: Catalog) -> str:
    lines = [
        f"你是{persona.name}，直播带货主播。风格：热情、亲切、简短。",
        "规则：用一到两句口语回答，不超过60个字。不用列表、格式或表情。只用下面的信息。"
        "信息里没有的就说会去确认。绝不编造价格或数字。用观众的语言回答。",
    ]
    if persona.avoid_topics:
        lines.append(f"不要谈论：{'、'.join(persona.avoid_topics)}。")
    if product.compliance_notes:
        lines.append("商品规定：" + " ".join(product.compliance_notes))
    lines.append("正在卖：")
    lines.append(product.facts_text("zh"))
    others = _others_line(catalog, product, "zh")
    if others:
        lines.append(others)
    return "\n".join(lines)


def build_user_turn(msg: ChatMessage, lang: str = "en") -> str:
    """The per-message turn: the viewer's words alone, one bounded line.

    Measured with the default 0.5B model on the demo questions: labelled turns ("Viewer Anna asks:
    ...", "Recent chat: ...", "Answer in Chinese.") were echoed back into the spoken reply or
    answered about the wrong line; the bare question was answered best.
    Facts about another product come from that product's own (cached) system prompt, not here.
    """
    line = _one_line(msg.text, _MAX_QUESTION_CHARS)
    if lang == "zh":
        # Measured on six Chinese demo questions (greedy): with this lead-in all six were answered
        # in Chinese and grounded; a trailing "用中文回答。" was echoed and once invented a number.
        return f"（请用中文回答）{line}"
    if lang not in LANGUAGE_NAMES:
        # A language the host has no voice for (say "ja") gets English, not unreadable speech.
        line += " (Answer in English.)"
    return line
