"""detect_language: script-based language guess for routing fragments to a voice."""

from __future__ import annotations

import pytest

from vhost.base.language import count_words, detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Hello! This mug keeps coffee hot for six hours.", "en"),
        ("大家好，欢迎来到直播间！", "zh"),
        ("這款保溫杯真的很好用。", "zh"),  # traditional characters
        ("这个 iPhone 15 Pro 手机壳真的很好用", "zh"),  # Chinese with a product name
        ("I love this 中国 tea set, it ships today", "en"),  # English with a Han word
        ("こんにちは、元気ですか？", "ja"),
        ("東京駅の新幹線", "ja"),  # mostly kanji, one kana
        ("カタカナのテスト", "ja"),
        ("台湾の美食推荐给大家，真的很好吃", "zh"),  # one stylistic の in Chinese copy
        ("", "en"),
        ("123 !!! 🔥", "en"),
        ("Bonjour à tous", "en"),  # not zh/ja: the English voice's fallback path decides
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_count_words_mixes_scripts() -> None:
    assert count_words("This mug is great") == 4
    assert count_words("这款杯子") == 2  # two CJK characters per word
    assert count_words("这个 iPhone 很好") == 3
    assert count_words("$12.99, really!") == 3  # "12", "99", "really"
