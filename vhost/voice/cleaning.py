"""Turn LLM output into text a TTS engine should actually say.

LLMs decorate replies with markdown, role-play emotes (`*smiles*`) and emoji. Spoken literally these
come out as "asterisk smiles asterisk" or, with espeak-ng, as emoji names ("grinning face"), so they
are removed before synthesis while the words themselves are kept.
"""

from __future__ import annotations

import re

# [label](https://...) -> label
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
# A single-asterisk span is a role-play action (*smiles*, *waves at chat*): drop it whole. The
# opener must start a word (markdown's rule), so "5 * 3" and a "5*" rating are left alone.
_EMOTE = re.compile(r"(?<![\w*])\*(?=\w)[^*\n]*?(?<=[^\s*])\*(?!\*)")
# Short square-bracket stage directions: [laughs], [pause].
_BRACKET_DIRECTION = re.compile(r"\[[^\]\n]{0,40}\]")
# Line-leading markdown: headings, bullets, numbered list markers, quotes.
_LINE_MARKUP = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+•][ \t]+|\d{1,3}[.)][ \t]+|>[ \t]*)", re.M)
# Inline markup whose content stays: **bold**, __bold__, ~~strike~~, `code`.
_INLINE_MARKUP = re.compile(r"\*{2,}|_{2,}|~~|`+")
# Text emoticons that TTS would spell out.
_EMOTICON = re.compile(r"(?<!\w)(?:[:;=][-']?[)(DPpOo3|/\\\]\[]|<3|\^_\^|xD|XD)(?!\w)")
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.!?;:，。！？；：、])")

# Closing punctuation left dangling at a fragment start by a split just before it.
_LEADING_JUNK = ")]}»」』）】”’,，、;；:：.。!！?？…—–"

# Pictographic code points (emoji, dingbats, flags, skin tones, joiners, variation selectors),
# plus (TM) (R) (C) marks that voices pronounce as words.
_EMOJI_RANGES = (
    (0x1F000, 0x1FAFF),
    (0x2600, 0x27BF),
    (0x2B00, 0x2BFF),
    (0x2300, 0x23FF),
    (0xFE00, 0xFE0F),
    (0xE0000, 0xE007F),
    (0x200D, 0x200D),
    (0x20E3, 0x20E3),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3299),
    (0x2122, 0x2122),
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
)


def is_emoji(ch: str) -> bool:
    """True for pictographic characters (and their joiners) that should never be spoken."""
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _EMOJI_RANGES)


def has_speakable(text: str) -> bool:
    """True when the text holds at least one letter or digit (any script)."""
    return any(ch.isalnum() for ch in text)


def clean_for_speech(text: str) -> str:
    """Strip markdown, emotes, emoji and stray punctuation; collapse whitespace.

    Returns "" when nothing speakable is left (e.g. only "*smiles*" or "..." or "🔥").
    """
    text = _LINK.sub(r"\1", text)
    text = _EMOTE.sub(" ", text)
    text = _BRACKET_DIRECTION.sub(" ", text)
    text = _LINE_MARKUP.sub("", text)
    text = _INLINE_MARKUP.sub("", text)
    # An unmatched asterisk (emote cut off at the end of a reply) is markup, never speech.
    text = text.replace("*", " ")
    text = _EMOTICON.sub(" ", text)
    text = "".join(" " if is_emoji(ch) else ch for ch in text)
    text = _SPACES.sub(" ", text).strip()
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = text.lstrip(_LEADING_JUNK + " ").strip()
    return text if has_speakable(text) else ""
