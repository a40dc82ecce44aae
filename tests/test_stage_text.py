import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtGui import QFontMetricsF  # noqa: E402

from vhost.stage.overlays import caption_lines  # noqa: E402
from vhost.stage.text import (  # noqa: E402
    discount_percent,
    elide_lines,
    format_countdown,
    format_price,
    stage_font,
    wrap_lines,
)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (24.99, "USD", "$24.99"),
        (199, "CNY", "¥199.00"),
        (1500, "JPY", "¥1,500"),
        (12.5, "EUR", "€12.50"),
        (9.99, "gbp", "£9.99"),
        (12.5, "CHF", "CHF 12.50"),
        (5, "$", "$5.00"),
    ],
)
def test_format_price(amount, currency, expected):
    assert format_price(amount, currency) == expected


def test_discount_percent():
    assert discount_percent(75.0, 100.0) == 25
    assert discount_percent(24.99, 33.99) == 26
    assert discount_percent(100.0, 100.0) is None
    assert discount_percent(120.0, 100.0) is None
    assert discount_percent(10.0, None) is None
    assert discount_percent(99.9, 100.0) is None  # under 1%: not worth a badge


def test_format_countdown():
    assert format_countdown(299.2) == "05:00"
    assert format_countdown(61.0) == "01:01"
    assert format_countdown(0.4) == "00:01"
    assert format_countdown(0.0) == "00:00"
    assert format_countdown(-5) == "00:00"
    assert format_countdown(3725) == "62:05"


def test_wrapping_english_and_chinese(qapp):
    font = stage_font(40)
    width = 500.0
    metrics = QFontMetricsF(font)
    en = wrap_lines(
        "The cork sleeve never gets too warm to hold, even with fresh coffee.", font, width
    )
    assert len(en) >= 2
    assert all(metrics.horizontalAdvance(line) <= width + 1 for line in en)
    assert (
        " ".join(en).split()
        == "The cork sleeve never gets too warm to hold, even with fresh coffee.".split()
    )
    zh_text = "这款旅行杯保温六小时，软木套拿在手里一点也不烫。现在下单立减九块钱！"
    zh = wrap_lines(zh_text, font, width)
    assert len(zh) >= 2 and "".join(zh) == zh_text  # breaks between characters, loses none
    assert all(metrics.horizontalAdvance(line) <= width + 1 for line in zh)


def test_cjk_glyphs_come_from_a_cjk_font(qapp):
    font = stage_font(40)
    metrics = QFontMetricsF(font)
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "旅行杯保温")


def test_caption_keeps_the_newest_lines(qapp):
    text = " ".join(f"word{i}" for i in range(80))
    lines = caption_lines(text, 44.0, 600.0, 2)
    assert len(lines) == 2
    assert lines[-1].endswith("word79")


def test_elide_lines(qapp):
    font = stage_font(30)
    lines = ["one two three", "four five six", "seven eight"]
    kept = elide_lines(lines, font, 400.0, 2)
    assert len(kept) == 2 and kept[-1].endswith("…")
    assert elide_lines(lines, font, 400.0, 3) == lines
