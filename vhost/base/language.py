"""Which language a fragment is in, cheaply, from its script (no model needed).

The host mostly speaks English and Chinese; the router uses this to pick a voice that can read the
fragment. Japanese is told apart from Chinese by kana: Japanese text almost always carries some,
while Chinese has none.
"""

from __future__ import annotations

import re

_HAN_RANGES = (
    (0x3400, 0x4DBF),  # CJK Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0x20000, 0x2EBEF),  # Extensions B..F
)
_KANA_RANGES = (
    (0x3040, 0x309F),  # Hiragana
    (0x30A0, 0x30FF),  # Katakana
    (0x31F0, 0x31FF),  # Katakana Phonetic Extensions
    (0xFF66, 0xFF9F),  # Halfwidth Katakana
)
_HANGUL_RANGES = ((0xAC00, 0xD7AF), (0x1100, 0x11FF), (0x3130, 0x318F))

# Runs of letters/digits outside the CJK blocks count as one (Latin-script) word each.
_WORD = re.compile(r"[^\W_]+")


def _in(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in ranges)


def is_han(ch: str) -> bool:
    return _in(ch, _HAN_RANGES)


def is_kana(ch: str) -> bool:
    return _in(ch, _KANA_RANGES)


def is_cjk(ch: str) -> bool:
    """Han, kana or Hangul: scripts written without spaces between words."""
    return is_han(ch) or is_kana(ch) or _in(ch, _HANGUL_RANGES)


def count_words(text: str) -> float:
    """Rough spoken-word count: whitespace words, plus CJK characters at two per word."""
    cjk = sum(1 for ch in text if is_cjk(ch))
    rest = "".join(" " if is_cjk(ch) else ch for ch in text)
    return len(_WORD.findall(rest)) + cjk / 2.0


def detect_language(text: str) -> str:
    """Return "ja" when kana is present, "zh" when Han characters dominate, otherwise "en".

    A Han character carries about as much as an English word, so Han characters are weighed
    against Latin words (not letters): "这个 iPhone 壳很好用" is Chinese with a product name in it.
    """
    han = sum(1 for ch in text if is_han(ch))
    kana = sum(1 for ch in text if is_kana(ch))
    if han + kana == 0:
        return "en"
    rest = "".join(" " if (is_han(ch) or is_kana(ch)) else ch for ch in text)
    latin_words = len(_WORD.findall(rest))
    # A lone stylistic "の" in Chinese marketing copy ("台湾の美食推荐") is not Japanese.
    if kana and (kana >= 2 or kana * 8 >= han) and han + kana >= latin_words:
        return "ja"
    if han + kana >= latin_words:
        return "zh"
    return "en"
