"""Mandarin text as a host reads it aloud, before grapheme-to-phoneme.

misaki's Mandarin G2P already turns plain numbers into words with cn2an (`24.99` -> 二十四点九九,
`50%` -> 百分之五十, `3-5天` -> 三到五天, `2024年` -> 二零二四年). What it gets wrong in shopping
talk is fixed here, one rule each (tests in tests/test_voice_zh_text.py):

- currency signs: `¥129` -> 129元, `$24.99` -> 24.99美元, `€`/`£`, `USD`/`RMB` after a number;
- thousands separators: `1,299` -> 1299 (cn2an read "一,二百九十九");
- dimensions: `40×30×10 cm` -> 40乘30乘10厘米;
- units after a number: `cm`, `kg`, `ml`, `mAh`, `°C`, ... -> 厘米, 千克, 毫升, 毫安时, 摄氏度
  (a Latin word that is not a unit after a number — a brand, `HRC`, `iPhone` — is kept: the voice
  reads it as English);
- long digit strings (phone and order numbers) digit by digit, 1 as 幺;
- a lone 2 before a measure word as 两 (两件, 两小时);
- prices with trailing zeros: `12.50元` -> 12.5元;
- a range of numbers, smaller first: `5-12岁` -> 5到12岁 (cn2an read "五负十二岁"); not a code whose
  parts do not rise (`GB/T 9473-2017`, `400-123`), nor a minus sign (`-20°C`).
Polyphones the G2P's word list misses in shopping phrases (长达 cháng) are `PHRASES`, which the
Kokoro engine gives to jieba and pypinyin once.
"""

from __future__ import annotations

import re

_NUM = r"\d+(?:\.\d+)?"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_CURRENCY_BEFORE = (
    (re.compile(rf"[¥￥]\s*({_NUM})"), "元"),
    (re.compile(rf"(?:US)?\$\s*({_NUM})"), "美元"),
    (re.compile(rf"€\s*({_NUM})"), "欧元"),
    (re.compile(rf"£\s*({_NUM})"), "英镑"),
    (re.compile(rf"(?:RMB|CNY)\s*({_NUM})", re.I), "元"),
)
_CURRENCY_AFTER = re.compile(rf"({_NUM})\s*(USD|RMB|CNY|EUR)(?![A-Za-z])", re.I)
_CURRENCY_WORD = {"usd": "美元", "rmb": "元", "cny": "元", "eur": "欧元"}
_TIMES = re.compile(rf"({_NUM})\s*[×xX*＊]\s*(?={_NUM})")
# Unit spellings after a number, longest first where one is a prefix of another.
UNITS = {
    "mAh": "毫安时", "kWh": "千瓦时", "GHz": "吉赫兹", "MHz": "兆赫兹", "Hz": "赫兹",
    "km": "公里", "cm": "厘米", "mm": "毫米", "m": "米",
    "kg": "千克", "mg": "毫克", "g": "克", "ml": "毫升", "mL": "毫升", "L": "升", "l": "升",
    "kW": "千瓦", "W": "瓦", "V": "伏", "dB": "分贝", "min": "分钟", "h": "小时", "s": "秒",
    "TB": "T", "GB": "G", "MB": "兆", "°C": "摄氏度", "℃": "摄氏度", "°F": "华氏度", "°": "度",
    "寸": "寸",
}
_UNIT = re.compile(
    rf"({_NUM})\s*(" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    + r")(?![A-Za-z])"
)
# Not a price: no currency sign before it, no money or magnitude word after it.
_LONG_DIGITS = re.compile(r"(?<![\d.¥￥$€£])\d{7,}(?![\d.]|\s*[元块万亿美欧英])")
_DIGIT_WORD = dict(zip("0123456789", "零幺二三四五六七八九", strict=True))
_MEASURE = ("个|件|瓶|支|盒|套|只|条|双|包|袋|斤|公斤|千克|天|次|年|位|种|款|张|台|份|片|块|小时|"
            "分钟|周|层|米|厘米|毫升|升|克|杯|箱|罐|粒|颗|把|本|人|色|码")
_TWO = re.compile(rf"(?<![\d.第乘])2(?=(?:{_MEASURE}))")
_TRAILING_ZEROS = re.compile(r"(\d+\.\d*?)0+(?=\D|$)")
_RANGE = re.compile(r"(?<![\d.\-–])(\d{1,4}(?:\.\d+)?)\s*[-–~～]\s*(\d{1,4}(?:\.\d+)?)(?![\d.]|\s*[-–])")

# Shopping phrases whose reading jieba + pypinyin get wrong when split (pinyin with tone marks).
PHRASES: dict[str, list[list[str]]] = {
    "长达": [["cháng"], ["dá"]],
    "长效": [["cháng"], ["xiào"]],
    "长款": [["cháng"], ["kuǎn"]],
    "加长": [["jiā"], ["cháng"]],
    "超长": [["chāo"], ["cháng"]],
    "长续航": [["cháng"], ["xù"], ["háng"]],
    "数一数": [["shǔ"], ["yī"], ["shǔ"]],
    "得用": [["děi"], ["yòng"]],
}


def _digits_one_by_one(m: re.Match[str]) -> str:
    return "".join(_DIGIT_WORD[d] for d in m.group(0))


def _strip_zeros(m: re.Match[str]) -> str:
    return m.group(1).rstrip(".")


def normalize_zh(text: str) -> str:
    """`text` with prices, units, dimensions and long numbers spelled the way a host says them;
    the remaining plain numbers are left to the G2P (cn2an reads them right)."""
    text = _THOUSANDS.sub("", text)
    text = _LONG_DIGITS.sub(_digits_one_by_one, text)
    for pattern, word in _CURRENCY_BEFORE:
        text = pattern.sub(lambda m, w=word: f"{m.group(1)}{w}", text)
    text = _CURRENCY_AFTER.sub(lambda m: f"{m.group(1)}{_CURRENCY_WORD[m.group(2).lower()]}", text)
    text = _TIMES.sub(r"\1乘", text)
    text = _RANGE.sub(lambda m: f"{m.group(1)}到{m.group(2)}" if float(m.group(1)) < float(m.group(2))
                      else m.group(0), text)
    text = _UNIT.sub(lambda m: f"{m.group(1)}{UNITS[m.group(2)]}", text)
    text = _TRAILING_ZEROS.sub(_strip_zeros, text)
    return _TWO.sub("两", text)


_registered = False


def register_phrases() -> None:
    """Teach jieba and pypinyin the `PHRASES` (once per process; both keep global tables)."""
    global _registered
    if _registered:
        return
    import jieba
    from pypinyin import load_phrases_dict

    for word in PHRASES:
        jieba.add_word(word, freq=100000)
    load_phrases_dict(PHRASES)
    _registered = True
