"""The TTS worker process as the show starts it: a Mandarin reply is spoken by Kokoro."""

from __future__ import annotations

import asyncio

import pytest

from vhost.base.workers import WorkerClient
from vhost.brain.clients import WorkerTTS
from vhost.voice.config import VoiceConfig

pytestmark = [pytest.mark.realmodel, pytest.mark.slow]


def test_mandarin_reply_is_spoken_by_kokoro_with_a_phoneme_timeline() -> None:
    statuses: list[dict] = []

    async def go():
        w = WorkerClient("tts", "vhost.voice.tts_worker:TTSWorker",
                         {"voice": VoiceConfig(device="cpu").model_dump(mode="json")},
                         on_status=lambda _n, m: statuses.append(m))
        w.start()
        await w.wait_ready(300)
        tts = WorkerTTS(w)
        zh = await tts.synthesize("这个杯子二十四块九毛九。")  # language detected in the worker
        en = await tts.synthesize("Hi Ben, welcome in!", "en")
        await w.close()
        return zh, en

    zh, en = asyncio.run(go())
    from vhost.voice.kokoro_styles import installed_styles

    # The host is male (Piper joe speaks English): a native male Mandarin style once set-up fetched
    # them, today's packaged Japanese style (with a warning) where npm was missing.
    native = "zm_yunxi" in installed_styles()
    assert zh.engine == "kokoro" and zh.voice == ("zm_yunxi" if native else "jm_kumo")
    assert zh.warning == ""
    assert zh.sample_rate == 24000 and 1.0 < zh.duration < 6.0
    assert len(zh.phonemes) > 10
    assert zh.phonemes[-1].start + zh.phonemes[-1].duration == pytest.approx(zh.duration, abs=1e-3)
    assert zh.visemes[-1].end == pytest.approx(zh.duration, abs=0.02)
    assert {v.viseme for v in zh.visemes} - {"rest"}
    assert en.engine == "piper" and en.phonemes
    assert 0.1 < abs(zh.pcm).max() <= 0.9 and 0.1 < abs(en.pcm).max() <= 0.9  # limited to -1 dBTP
    assert not [s for s in statuses if "unavailable" in str(s)]
