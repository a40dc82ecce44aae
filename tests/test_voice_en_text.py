"""English text as a host says it: one test per rule of vhost.voice.en_text, then espeak-ng's
phonemes after it (what Piper, Kokoro's English and espeak-ng itself all read)."""

from __future__ import annotations

import re

import numpy as np
import pytest

from vhost.base.audio_types import AudioChunk
from vhost.voice.en_text import normalize_en


def test_currency_signs_become_the_currency_word() -> None:
    assert normalize_en("It's ¥129 today!") == "It's 129 yuan today!"
    assert normalize_en("only ￥ 59") == "only 59 yuan"
    assert normalize_en("US store $24.99") == "US store 24.99 dollars"
    assert normalize_en("€15 and £9") == "15 euros and 9 pounds"
    assert normalize_en("RMB 99, or 99 USD") == "99 yuan, or 99 dollars"
    assert normalize_en("119 yuan") == "119 yuan"  # already words: unchanged


def test_a_rising_range_is_read_with_to() -> None:
    assert normalize_en("Tank size: 60-120 L.") == "Tank size: 60 to 120 liters."
    assert normalize_en("for ages 4–6") == "for ages 4 to 6"
    assert normalize_en("20~30% off") == "20 to 30% off"
    assert normalize_en("1.5 - 2.5 kg") == "1.5 to 2.5 kilograms"


def test_codes_dates_and_phone_numbers_are_no_range() -> None:
    assert normalize_en("tested to GB/T 9473-2017") == "tested to GB/T 9473-2017"
    assert normalize_en("call 400-123-4567") == "call 400-123-4567"
    assert normalize_en("since 2024-12-05") == "since 2024-12-05"
    assert normalize_en("model X-200") == "model X-200"


def test_dimensions_are_read_with_by() -> None:
    assert normalize_en("Size 40×30×10 cm.") == "Size 40 by 30 by 10 centimeters."
    assert normalize_en("a 1080x1920 screen") == "a 1080 by 1920 screen"


def test_units_after_a_number_are_words_and_one_is_singular() -> None:
    assert normalize_en("It holds 30 ml, 1 L or 1.5L.") == (
        "It holds 30 milliliters, 1 liter or 1.5 liters.")
    assert normalize_en("5 kg, 250 g, 500mg") == "5 kilograms, 250 grams, 500 milligrams"
    assert normalize_en("65W, 5000mAh, 220V, 120Hz, 8GB") == (
        "65 watts, 5000 milliamp hours, 220 volts, 120 hertz, 8 gigabytes")
    assert normalize_en("2.5 m, 12 mm, 170cm, 3 km") == (
        "2.5 meters, 12 millimeters, 170 centimeters, 3 kilometers")
    assert normalize_en("from -20°C to 60℃, 350°F, 90°") == (
        "from -20 degrees Celsius to 60 degrees Celsius, 350 degrees Fahrenheit, 90 degrees")
    assert normalize_en("30 mins, 8h, 12 oz, 2 lbs, 6 ft") == (
        "30 minutes, 8 hours, 12 ounces, 2 pounds, 6 feet")


def test_square_cubic_and_per_units() -> None:
    assert normalize_en("covers 1.2 m² or 20 m2") == "covers 1.2 square meters or 20 square meters"
    assert normalize_en("Density: 50 kg/m³") == "Density: 50 kilograms per cubic meter"
    assert normalize_en("top speed 25 km/h") == "top speed 25 kilometers per hour"
    assert normalize_en("1 cm3") == "1 cubic centimeter"


def test_letters_that_are_no_unit_stay() -> None:
    for text in ("A4 paper", "a 5G phone", "a 4K screen", "size 3XL", "iPhone 15 Pro",
                 "USB-C", "size M", "2 pcs", "version 5.3", "H2O", "3 in 1"):
        assert normalize_en(text) == text


def test_ip_ratings_and_all_day() -> None:
    assert normalize_en("IPX7 and IP68 rated") == "I P X 7 and I P 6 8 rated"
    assert normalize_en("support 24/7") == "support 24 7"


@pytest.fixture(scope="module")
def espeak():  # noqa: ANN201 (piper's phonemizer: the espeak-ng that Piper voices read with)
    phonemizer = pytest.importorskip("piper.phonemize_espeak")
    e = phonemizer.EspeakPhonemizer()
    return lambda text: " ".join("".join(s) for s in e.phonemize("en-us", text))


def test_espeak_says_units_as_words_and_no_dash(espeak) -> None:  # noqa: ANN001
    raw = espeak("Tank size: 60-120 L, 30 ml, 5000 mAh.")
    assert "dˈæʃ" in raw and "ˈɛl" in raw  # what viewers heard before
    said = espeak(normalize_en("Tank size: 60-120 L, 30 ml, 5000 mAh."))
    assert "dˈæʃ" not in said and "ˈɛl" not in said and "ˌɛmˈɛl" not in said
    assert "lˈiːɾɚz" in said and "mˈɪlɪlˌɪɾɚz" in said and "mˈɪlɪʲˌæmp" in said


def test_a_chinese_name_in_an_english_line_is_said_in_pinyin(espeak) -> None:  # noqa: ANN001
    assert normalize_en("Hi 爱吃鱼, welcome in!") == "Hi Ai Chi Yu, welcome in!"
    assert normalize_en("王小明 — it's $24.99 today") == "Wang Xiao Ming — it's 24.99 dollars today"
    assert normalize_en("Hi 小鹿Mia") == "Hi Xiao Lu Mia"
    assert "tʃˈaɪniːz" in espeak("Hi 爱吃鱼!")  # what viewers heard: "Chinese letter" three times
    assert "tʃˈaɪniːz" not in espeak(normalize_en("Hi 爱吃鱼!"))


class _Recorder:
    """An engine that keeps what it was asked to say (the router's input to any voice)."""

    name = "recorder"
    languages = frozenset({"en", "zh"})
    sample_rate = 16000

    def __init__(self) -> None:
        self.said: list[tuple[str, str | None]] = []

    def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        self.said.append((text, lang))
        return AudioChunk(pcm=np.zeros(160, dtype=np.float32), sample_rate=16000, text=text)


def test_the_router_reads_english_units_as_words_and_keeps_the_shown_text() -> None:
    from vhost.voice.espeak_engine import EspeakEngine
    from vhost.voice.router import VoiceRouter

    rec = _Recorder()
    router = VoiceRouter(rec, EspeakEngine(), routes={"en": "recorder", "zh": "recorder"})
    chunk = router.synthesize("It's made for 60-120 L, so not for 250 L.", "en")
    assert rec.said[-1] == ("It's made for 60 to 120 liters, so not for 250 liters.", "en")
    assert chunk.text == "It's made for 60-120 L, so not for 250 L."  # captions show the facts
    router.synthesize("适用60-120 L", "zh")  # Mandarin has its own reading (zh_text, in Kokoro)
    assert rec.said[-1] == ("适用60-120 L", "zh")


def test_a_long_digit_run_is_read_in_linear_time() -> None:
    import time

    text = "1" * 20000 + " - " + "2" * 20000 + " kg/m³ x 3 USD"
    t0 = time.perf_counter()
    normalize_en(text)
    assert time.perf_counter() - t0 < 2.0  # was quadratic: 10,000 digits took 9 s


def test_without_pypinyin_a_chinese_name_is_left_out_not_spelled(monkeypatch, caplog) -> None:  # noqa: ANN001
    import sys

    monkeypatch.setitem(sys.modules, "pypinyin", None)  # an install that lost it: import fails
    said = normalize_en("Hi 爱吃鱼, welcome in!")
    assert not re.search(r"[\u4e00-\u9fff]", said) and "welcome in!" in said and said.startswith("Hi")
    assert "pypinyin is missing" in caplog.text
