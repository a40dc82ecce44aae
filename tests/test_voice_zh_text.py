"""Mandarin text as a host says it: one test per rule of vhost.voice.zh_text, and the G2P after it."""

from __future__ import annotations

import pytest

from vhost.voice.zh_text import normalize_zh, register_phrases


def test_currency_signs_become_the_currency_word() -> None:
    assert normalize_zh("今天只要¥129！") == "今天只要129元！"
    assert normalize_zh("只要￥ 59") == "只要59元"
    assert normalize_zh("美国站$24.99") == "美国站24.99美元"
    assert normalize_zh("€15和£9") == "15欧元和9英镑"
    assert normalize_zh("RMB 99，或者99 USD") == "99元，或者99美元"
    assert normalize_zh("24.99美元") == "24.99美元"  # already words: unchanged


def test_thousands_separators_are_dropped() -> None:
    assert normalize_zh("原价¥1,299") == "原价1299元"
    assert normalize_zh("12,345,678元") == "12345678元"  # a price, not read digit by digit
    assert normalize_zh("1,2,3") == "1,2,3"  # not a thousands group


def test_dimensions_read_with_cheng() -> None:
    assert normalize_zh("尺寸40×30×10 cm") == "尺寸40乘30乘10厘米"
    assert normalize_zh("1.5x2米") == "1.5乘2米"


def test_units_after_a_number_are_spoken_in_chinese() -> None:
    assert normalize_zh("重量1.2kg，容量500ml") == "重量1.2千克，容量500毫升"
    assert normalize_zh("5000mAh大电池，续航20h") == "5000毫安时大电池，续航20小时"
    assert normalize_zh("水温60°C") == "水温60摄氏度"
    assert normalize_zh("长3 m") == "长3米"


def test_latin_words_that_are_not_units_are_kept() -> None:
    # Brands and grades stay Latin: the voice reads them as English.
    assert normalize_zh("硬度60 HRC") == "硬度60 HRC"
    assert normalize_zh("Dyson吹风机和iPhone 15 Pro") == "Dyson吹风机和iPhone 15 Pro"
    assert normalize_zh("67层大马士革钢") == "67层大马士革钢"
    assert normalize_zh("3 mins") == "3 mins"  # "m" only when the word ends there


def test_long_digit_strings_are_read_digit_by_digit() -> None:
    assert normalize_zh("客服电话13800138000") == "客服电话幺三八零零幺三八零零零"
    assert normalize_zh("2024年") == "2024年"  # a year: the G2P reads it 二零二四


def test_a_lone_two_before_a_measure_word_is_liang() -> None:
    assert normalize_zh("拍2件打8折") == "拍两件打8折"
    assert normalize_zh("保温2小时") == "保温两小时"
    assert normalize_zh("第2件半价") == "第2件半价"  # an ordinal stays 二
    assert normalize_zh("12件") == "12件"


def test_trailing_zeros_of_a_price_are_not_read() -> None:
    assert normalize_zh("只要12.50元") == "只要12.5元"
    assert normalize_zh("10.0元") == "10元"
    assert normalize_zh("3.05米") == "3.05米"


def test_the_g2p_reads_the_normalized_text_and_the_polyphones_right() -> None:
    zh = pytest.importorskip("misaki.zh")
    register_phrases()
    g2p = zh.ZHG2P()
    price = g2p(normalize_zh("今天只要¥129"))[0]
    assert "¥" not in price and price.endswith("ɥɛ↗n")  # ... 一百二十九元 (yuán)
    assert "ꭧʰa↗ŋ" in g2p("续航长达二十小时")[0]  # 长达: cháng, not zhǎng
    assert "xa↗ŋ" in g2p("银行卡")[0] and "ɕi↗ŋ" in g2p("这个不行")[0]  # 行: háng / xíng
    assert "ꭧʊ↘ŋ" in g2p("重量两公斤")[0] and "ꭧʰʊ↗ŋ" in g2p("重新发货")[0]  # 重: zhòng / chóng
    assert "ʨʰə" not in g2p(normalize_zh("40×30"))[0] and "ꭧʰə↗ŋ" in g2p(normalize_zh("40×30"))[0]


@pytest.mark.parametrize("text, said", [("适合5-12岁", "适合5到12岁"), ("1-2个工作日发货", "1到两个工作日发货"),
                                        ("腕围12–17厘米", "腕围12到17厘米"), ("3~5天", "3到5天"),
                                        ("GB/T 9473-2017", "GB/T 9473-2017"), ("400-123-4567", "400-123-4567"),
                                        ("-20°C至70°C", "-20摄氏度至70摄氏度")])
def test_a_range_is_read_with_dao_not_a_minus(text: str, said: str) -> None:
    assert normalize_zh(text) == said
