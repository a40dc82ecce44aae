"""English text as a host reads it aloud, before espeak-ng's grapheme-to-phoneme.

Every English voice here (Piper, Kokoro's English, espeak-ng itself) phonemizes with espeak-ng,
which reads plain numbers well but spells shopping units as letters and reads signs by name:
`60-120 L` came out "sixty dash one hundred twenty el", `30 ml` "thirty em el", `5000mAh` "five
thousand em ah", `¥129` "yen one hundred twenty-nine". What a host says instead, one rule each
(tests in tests/test_voice_en_text.py):

- currency signs before a number: `¥129` -> 129 yuan, `$24.99` -> 24.99 dollars, `€`/`£`, and
  `RMB`/`CNY`/`USD` before or after it;
- a range of numbers, smaller first: `60-120` -> 60 to 120; not a code whose parts do not rise
  (`GB/T 9473-2017`) nor one with more parts (`400-123-4567`);
- dimensions: `40×30×10 cm` -> 40 by 30 by 10 centimeters;
- units after a number, with a compound's slash as "per": `kg/m³` -> kilograms per cubic meter;
  a unit after 1 is singular. Only spellings that are units after a number are read, case as
  written: `5G`, `4K`, `3XL` and `A4` stay as they are (espeak reads them right);
- IP ratings letter by letter: `IPX7` -> I P X 7 (espeak read "ipks");
- `24/7` -> 24 7, the way it is said;
- Chinese characters (a viewer's name, "Hi 爱吃鱼!") as their pinyin, "Ai Chi Yu": espeak-ng says
  "Chinese letter" for each one (pypinyin, MIT, already installed with misaki[zh]).

Written by hand: the normalizers on PyPI (nemo_text_processing, num2words) either pull in a
grammar toolchain too heavy for this machine or do not read units at all.
"""

from __future__ import annotations

import logging
import re

_NUM = r"\d+(?:\.\d+)?"
# Unit spelling -> (singular, plural). Case as written: "G" and "M" are not units here.
UNITS: dict[str, tuple[str, str]] = {
    "mAh": ("milliamp hour", "milliamp hours"), "kWh": ("kilowatt hour", "kilowatt hours"),
    "Wh": ("watt hour", "watt hours"),
    "GHz": ("gigahertz", "gigahertz"), "MHz": ("megahertz", "megahertz"), "Hz": ("hertz", "hertz"),
    "km": ("kilometer", "kilometers"), "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"), "m": ("meter", "meters"),
    "kg": ("kilogram", "kilograms"), "mg": ("milligram", "milligrams"), "g": ("gram", "grams"),
    "ml": ("milliliter", "milliliters"), "mL": ("milliliter", "milliliters"),
    "L": ("liter", "liters"), "l": ("liter", "liters"),
    "kW": ("kilowatt", "kilowatts"), "W": ("watt", "watts"), "V": ("volt", "volts"),
    "dB": ("decibel", "decibels"), "min": ("minute", "minutes"), "mins": ("minute", "minutes"),
    "h": ("hour", "hours"), "hrs": ("hour", "hours"),
    "TB": ("terabyte", "terabytes"), "GB": ("gigabyte", "gigabytes"), "MB": ("megabyte", "megabytes"),
    "oz": ("ounce", "ounces"), "lb": ("pound", "pounds"), "lbs": ("pound", "pounds"),
    "ft": ("foot", "feet"),
    "°C": ("degree Celsius", "degrees Celsius"), "℃": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"), "°": ("degree", "degrees"),
}
# Square and cubic measures, written with a superscript or a plain 2/3.
_POWERS = {"²": "square", "2": "square", "³": "cubic", "3": "cubic"}
_LENGTHS = ("km", "cm", "mm", "m")
# "per" units: the part after a slash, said in the singular ("kilometers per hour").
_PER = {"h": "hour", "hr": "hour", "s": "second", "min": "minute", "day": "day", "kg": "kilogram",
        "g": "gram", "l": "liter", "L": "liter", "ml": "milliliter", "m": "meter"}

_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_LENGTH_ALT = "|".join(_LENGTHS)
_PER_ALT = "|".join(re.escape(u) for u in sorted(_PER, key=len, reverse=True))
# A number, then a unit: a length with a power ("m²", "cm3"), or any unit, then an optional
# "/m³" or "/h" part. Not followed by a letter or digit ("5 mins" is matched whole by its own key).
_UNIT = re.compile(
    rf"(?<![\w.])({_NUM})\s*(?:(?P<pow_unit>{_LENGTH_ALT})(?P<pow>[²³23])|(?P<unit>{_UNIT_ALT}))"
    rf"(?:/(?:(?P<per_len>{_LENGTH_ALT})(?P<per_pow>[²³23])|(?P<per>{_PER_ALT})))?(?![A-Za-z\d²³])"
)
_CURRENCY_BEFORE = (
    (re.compile(rf"[¥￥]\s*({_NUM})"), "yuan"),
    (re.compile(rf"(?:US)?\$\s*({_NUM})"), "dollars"),
    (re.compile(rf"€\s*({_NUM})"), "euros"),
    (re.compile(rf"£\s*({_NUM})"), "pounds"),
    (re.compile(rf"\b(?:RMB|CNY)\s*({_NUM})"), "yuan"),
    (re.compile(rf"\bUSD\s*({_NUM})"), "dollars"),
)
# Each number pattern starts only where a number starts ("(?<![\d.])"): a long digit run is then
# scanned once, not once per digit (a 10,000-digit line took 9 s).
_CURRENCY_AFTER = re.compile(rf"(?<![\d.])({_NUM})\s*(USD|RMB|CNY|EUR)(?![A-Za-z])")
_CURRENCY_WORD = {"USD": "dollars", "RMB": "yuan", "CNY": "yuan", "EUR": "euros"}
_TIMES = re.compile(rf"(?<![\d.])({_NUM})\s*[×xX*＊]\s*(?={_NUM})")
_RANGE = re.compile(rf"(?<![\w.\-–/])({_NUM})\s*[-–~～]\s*({_NUM})(?![\d.]|\s*[-–]\s*\d)")
_IP_RATING = re.compile(r"\bIP([X\d])(\d)\b")
_ALL_DAY = re.compile(r"\b24\s*/\s*7\b")


def _unit_words(m: re.Match[str]) -> str:
    number = m.group(1)
    one = number == "1"
    if m.group("pow_unit"):
        sing, plur = UNITS[m.group("pow_unit")]
        words = f"{_POWERS[m.group('pow')]} {sing if one else plur}"
    else:
        sing, plur = UNITS[m.group("unit")]
        words = sing if one else plur
    if m.group("per_len"):
        words += f" per {_POWERS[m.group('per_pow')]} {UNITS[m.group('per_len')][0]}"
    elif m.group("per"):
        words += f" per {_PER[m.group('per')]}"
    return f"{number} {words}"


def _range_words(m: re.Match[str]) -> str:
    low, high = m.group(1), m.group(2)
    return f"{low} to {high}" if float(low) < float(high) else m.group(0)


def normalize_en(text: str) -> str:
    """`text` with prices, ranges, dimensions and units spelled the way a host says them; plain
    numbers are left to espeak-ng, which reads them right."""
    for pattern, word in _CURRENCY_BEFORE:
        text = pattern.sub(lambda m, w=word: f"{m.group(1)} {w}", text)
    text = _CURRENCY_AFTER.sub(lambda m: f"{m.group(1)} {_CURRENCY_WORD[m.group(2)]}", text)
    text = _ALL_DAY.sub("24 7", text)
    text = _IP_RATING.sub(r"I P \1 \2", text)
    text = _TIMES.sub(r"\1 by ", text)
    text = _RANGE.sub(_range_words, text)
    text = _HAN_RUN.sub(_pinyin, text)
    return _UNIT.sub(_unit_words, text)


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _pinyin(m: re.Match[str]) -> str:
    try:
        from pypinyin import (
            lazy_pinyin,  # loads its tables on first use: only voices that meet Han pay
        )
    except ImportError:  # a broken install: the name is left out rather than "Chinese letter" each
        logging.getLogger(__name__).warning("pypinyin is missing (pip install pypinyin): a Chinese name "
                                            "in an English line is left unsaid")
        return " "
    syllables = [s for s in lazy_pinyin(m.group(0)) if s.isascii() and s.isalpha()]
    before, after = m.string[m.start() - 1:m.start()], m.string[m.end():m.end() + 1]
    words = " ".join(s.capitalize() for s in syllables)  # "Hi 小鹿Mia": "Hi Xiao Lu Mia"
    return (" " if before.isalnum() else "") + words + (" " if after.isalnum() else "")
