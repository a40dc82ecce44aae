"""The router with every CPU engine: Mandarin to Kokoro, English to Piper, espeak-ng behind them,
and every voice leaving at the target loudness without clipping."""

from __future__ import annotations

import logging
import shutil

import numpy as np
import pytest

from tests import voice_models
from vhost.audio.loudness import LoudnessNormalizer, integrated_lufs, true_peak_dbtp
from vhost.audio.resample import resample
from vhost.voice.router import VoiceRouter

pytestmark = [
    pytest.mark.realmodel,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed"),
]

ZH = "大家好，这款杯子今天特价！"
EN = "Welcome in! This mug keeps your coffee hot for six hours, and it ships today."


@pytest.fixture(scope="module")
def router() -> VoiceRouter:
    r = VoiceRouter(voice_models.piper(), voice_models.espeak(), engines=[voice_models.kokoro()],
                    routes={"en": "piper", "zh": "kokoro"},
                    normalizer=LoudnessNormalizer(-16.0, -1.0, cache_path=None))
    took = r.warmup()  # calibrates piper/en, kokoro/zh and espeak-ng en+zh
    assert set(took) == {"piper", "kokoro", "espeak-ng"}
    return r


def test_routes_by_language(router: VoiceRouter) -> None:
    assert router.engine_for("zh") == "kokoro"
    assert router.engine_for("en") == "piper"
    assert router.engine_for("de") == "espeak-ng"
    assert [e.name for e in router.chain("zh")] == ["kokoro", "espeak-ng"]
    assert [e.name for e in router.chain("en")] == ["piper", "kokoro", "espeak-ng"]


def test_real_speech_is_at_the_target_loudness_without_clipping(router: VoiceRouter) -> None:
    for text, engine in ((ZH, "kokoro"), (EN, "piper")):
        chunk = router.synthesize(text)
        assert chunk.engine == engine and chunk.phonemes and chunk.warning == ""
        # Measured where the audience hears it: at the device rate, 16-bit.
        pcm = resample(chunk.pcm, chunk.sample_rate, 48000)
        pcm16 = np.round(np.clip(pcm, -1, 1) * 32767) / 32767
        assert integrated_lufs(pcm16, 48000) == pytest.approx(-16.0, abs=1.5), engine
        assert true_peak_dbtp(pcm16) <= -1.0, engine
        assert np.count_nonzero(np.abs(pcm) >= 1.0) == 0
        assert chunk.pcm[0] == 0.0  # edge fade: a fragment starts on silence


def test_espeak_stands_in_when_kokoro_fails(router: VoiceRouter, monkeypatch, caplog) -> None:
    kokoro = router.engines["kokoro"]

    def broken(*_a, **_k):
        raise RuntimeError("CUDA error: out of memory")

    monkeypatch.setattr(kokoro._kokoro, "create_timed", broken)  # type: ignore[attr-defined]
    with caplog.at_level(logging.ERROR):
        chunk = router.synthesize("大家好！")
    assert chunk.engine == "espeak-ng" and chunk.voice == "cmn-latn-pinyin"
    assert "kokoro failed" in chunk.warning and "out of memory" in chunk.warning
    assert "falling back to espeak-ng" in caplog.text
    assert chunk.duration > 0.3 and chunk.text == "大家好！"


def test_espeak_can_be_chosen_for_a_language(router: VoiceRouter) -> None:
    r = VoiceRouter(router.primary, router.fallback, engines=list(router.engines.values()),
                    routes={"en": "piper", "zh": "espeak"})
    assert [e.name for e in r.chain("zh")] == ["espeak-ng"]
    assert r.synthesize("你好").engine == "espeak-ng"
