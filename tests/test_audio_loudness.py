"""Loudness measures against known signals, the limiter, and per-voice fixed gains."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from vhost.audio.loudness import (
    LoudnessNormalizer,
    edge_fade,
    integrated_lufs,
    limit,
    true_peak,
    true_peak_dbtp,
)

SR = 48000


def sine(freq: float, amp: float, seconds: float, sr: int = SR, phase: float = 0.0) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t + phase)).astype(np.float32)


def speechlike(seconds: float, sr: int = SR, seed: int = 1) -> np.ndarray:
    """Noise shaped by a syllable-rate envelope with sharp transients: peaky like speech."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * sr)) / sr
    env = np.clip(np.sin(2 * np.pi * 4.0 * t), 0, None) ** 2
    x = rng.standard_normal(t.size) * env * 0.2
    x[rng.integers(0, t.size, 20)] = 0.95  # clicks/plosives
    return x.astype(np.float32)


def test_lufs_of_a_sine_matches_bs1770() -> None:
    # BS.1770: a 997 Hz sine at 0 dBFS peak reads -3.01 LUFS; at amplitude 0.1 it is 20 dB lower.
    assert integrated_lufs(sine(997, 0.1, 3.0), SR) == pytest.approx(-23.01, abs=0.1)
    assert integrated_lufs(np.zeros(SR), SR) == -math.inf
    assert integrated_lufs(np.zeros(0), SR) == -math.inf
    # Shorter than one 400 ms block: measured as one block, not -inf.
    assert integrated_lufs(sine(997, 0.1, 0.2), SR) == pytest.approx(-23.0, abs=0.5)


def test_true_peak_sees_between_samples() -> None:
    # fs/4 with a 45 degree phase: every sample is at 0.707 but the waveform peaks at 1.0.
    x = sine(SR / 4, 1.0, 0.1, phase=np.pi / 4)
    assert np.max(np.abs(x)) == pytest.approx(0.7071, abs=1e-3)
    assert true_peak(x) == pytest.approx(1.0, abs=0.02)
    assert true_peak_dbtp(x) == pytest.approx(0.0, abs=0.2)
    assert true_peak_dbtp(np.zeros(10)) == -math.inf


def test_limiter_caps_true_peaks_and_leaves_the_rest() -> None:
    x = speechlike(3.0) * 2.0  # peaks at 1.9: far over
    y = limit(x, SR, ceiling_dbtp=-1.0)
    assert true_peak_dbtp(y) <= -1.0 + 1e-6
    assert y.shape == x.shape and y.dtype == np.float32
    # Away from the clicks the signal passes untouched (a limiter, not a compressor).
    far = np.ones(x.size, dtype=bool)
    for k in np.flatnonzero(np.abs(x) > 0.6):
        far[max(0, k - 2000) : k + 2000] = False
    assert far.sum() > x.size // 4
    np.testing.assert_allclose(y[far], x[far], atol=1e-6)
    quiet = sine(440, 0.3, 0.5)
    np.testing.assert_array_equal(limit(quiet, SR), quiet)


def test_normalizer_uses_one_gain_per_voice(tmp_path) -> None:
    cache = tmp_path / "loudness.json"
    norm = LoudnessNormalizer(-16.0, -1.0, cache_path=cache)
    ref = speechlike(4.0, seed=2) * 0.3
    gain = norm.calibrate("voice:a:en", ref, SR)
    out = norm.process("voice:a:en", ref, SR)
    assert integrated_lufs(out, SR) == pytest.approx(-16.0, abs=0.7)
    assert true_peak_dbtp(out) <= -1.0
    # A quieter fragment of the same voice stays quieter by the same amount: no jump to -16.
    soft = norm.process("voice:a:en", speechlike(2.0, seed=3) * 0.3 * 0.5, SR)
    loud = norm.process("voice:a:en", speechlike(2.0, seed=3) * 0.3, SR)
    assert integrated_lufs(loud, SR) - integrated_lufs(soft, SR) == pytest.approx(6.02, abs=0.6)
    # The gain survives a restart; a cache written for another target is not reused.
    assert json.loads(cache.read_text()) == {"voice:a:en@-16": pytest.approx(gain)}
    assert LoudnessNormalizer(-16.0, cache_path=cache).gain_db("voice:a:en") == pytest.approx(gain)
    assert LoudnessNormalizer(-20.0, cache_path=cache).gain_db("voice:a:en") is None


def test_uncalibrated_voice_calibrates_from_a_long_fragment_only(tmp_path) -> None:
    norm = LoudnessNormalizer(cache_path=None)
    norm.process("v:short", speechlike(0.8) * 0.1, SR)
    assert norm.gain_db("v:short") is None  # too short to set the voice's level
    out = norm.process("v:long", speechlike(3.0) * 0.1, SR)
    assert norm.gain_db("v:long") is not None
    assert integrated_lufs(out, SR) == pytest.approx(-16.0, abs=0.7)
    with pytest.raises(ValueError, match="silent"):
        norm.calibrate("v:silent", np.zeros(SR * 2, dtype=np.float32), SR)


def test_corrupt_cache_is_ignored(tmp_path) -> None:
    cache = tmp_path / "loudness.json"
    cache.write_text("{not json")
    norm = LoudnessNormalizer(cache_path=cache)
    assert norm.gain_db("x") is None
    norm.calibrate("x", speechlike(2.0), SR)
    assert "x@-16" in json.loads(cache.read_text())


def test_damaged_cache_entries_cost_only_their_own_voice(tmp_path) -> None:
    # A hand-edited or half-migrated loudness.json: null, NaN, a string, an absurd gain.
    cache = tmp_path / "loudness.json"
    cache.write_text('{"good@-16": -3.5, "null@-16": null, "nan@-16": NaN, "str@-16": "loud",'
                     ' "huge@-16": 1e9, "list@-16": [1]}')
    norm = LoudnessNormalizer(cache_path=cache)  # must not raise: the voice still loads
    assert norm.gain_db("good") == pytest.approx(-3.5)
    for key in ("null", "nan", "str", "huge", "list"):
        assert norm.gain_db(key) is None  # recalibrated on first use instead
    out = norm.process("nan", speechlike(2.0) * 0.1, SR)
    assert np.all(np.isfinite(out)) and np.any(out)


def test_edge_fade_starts_and_ends_on_zero() -> None:
    x = np.full(1000, 0.5, dtype=np.float32)
    y = edge_fade(x, SR)
    assert y[0] == 0.0 and abs(y[-1]) < 0.01
    assert np.all(np.abs(np.diff(y)) < 0.01)
    assert y[500] == 0.5
