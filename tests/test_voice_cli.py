"""`vhost say` writes measured speech; `vhost voices` says what can speak here and why not."""

from __future__ import annotations

import json
import shutil
import wave

import numpy as np
import pytest

from vhost.app.cli import main
from vhost.audio.loudness import integrated_lufs, true_peak_dbtp

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")


def read_wav(path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), "<i2") / 32768.0, w.getframerate()


def say(capsys, *args: str) -> dict:
    assert main(["say", *args]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_say_with_espeak(tmp_path, capsys) -> None:
    out = tmp_path / "hello.wav"
    report = say(capsys, "Guten Tag, willkommen im Stream!", "--voice", "espeak", "--lang", "de",
                 "--out", str(out))
    pcm, rate = read_wav(out)
    assert report["engine"] == "espeak-ng" and report["voice"] == "de" and report["lang"] == "de"
    assert report["sample_rate"] == rate == 48000
    assert report["duration_s"] == pytest.approx(len(pcm) / rate, abs=1e-3)
    assert report["lufs"] == pytest.approx(integrated_lufs(pcm, rate), abs=0.05)
    assert report["true_peak_dbtp"] == pytest.approx(true_peak_dbtp(pcm), abs=0.05)
    assert report["true_peak_dbtp"] <= -1.0 and report["clipped_samples"] == 0
    assert report["phonemes"] > 10 and report["visemes"] > 3  # libespeak-ng's phoneme events
    assert report["synth_s"] > 0 and report["rtf"] > 0  # how fast: `python -m bench.voice`


@pytest.mark.realmodel
@pytest.mark.slow
def test_say_english_defaults_to_piper_at_the_target_loudness(tmp_path, capsys) -> None:
    out = tmp_path / "en.wav"
    report = say(capsys, "Welcome in, everyone! This mug keeps your coffee hot for six hours.",
                 "--out", str(out))
    assert report["engine"] == "piper" and report["voice"] == "en_US-joe-medium"
    assert report["phonemes"] > 20 and report["voice_sample_rate"] == 22050
    assert report["lufs"] == pytest.approx(-16.0, abs=1.5)
    assert report["true_peak_dbtp"] <= -1.0 and report["clipped_samples"] == 0


def test_say_rejects_an_unknown_engine(tmp_path, capsys) -> None:
    assert main(["say", "hi", "--voice", "festival", "--out", str(tmp_path / "x.wav")]) == 2
    assert "unknown voice engine 'festival'" in capsys.readouterr().err
    assert not (tmp_path / "x.wav").exists()


def test_voices_lists_every_engine_with_a_reason_when_missing(capsys) -> None:
    assert main(["voices", "--json"]) == 0
    rows = {r["engine"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert set(rows) == {"piper", "kokoro", "coqui", "espeak"}
    assert rows["kokoro"]["available"] and "jf_alpha" in rows["kokoro"]["voices"]
    assert {"en", "zh"} <= set(rows["kokoro"]["languages"]) and rows["kokoro"]["routes"] == ["zh"]
    assert {"name": "jf_alpha", "language": "ja", "gender": "female"} in rows["kokoro"]["styles"]
    assert rows["piper"]["routes"] == ["en"] and rows["espeak"]["available"]
    coqui = rows["coqui"]
    assert coqui["available"] or coqui["reason"]  # never "unavailable" without saying why
    if not coqui["available"]:
        assert "pip install" in coqui["reason"] or "coqui_model_path" in coqui["reason"]
    assert main(["voices"]) == 0
    assert "kokoro  available" in capsys.readouterr().out


@pytest.mark.realmodel
@pytest.mark.slow
def test_say_mandarin_with_a_named_native_style(tmp_path, capsys) -> None:
    from vhost.voice.kokoro_styles import installed_styles

    if "zf_xiaoxiao" not in installed_styles():
        pytest.skip("Kokoro's kokoro-js styles are not installed (scripts/setup.sh fetches them with npm)")
    report = say(capsys, "这款精华今天只要一百二十九元，三十毫升。", "--lang", "zh", "--out", str(tmp_path / "a.wav"))
    assert report["engine"] == "kokoro" and report["voice"].startswith(("zf_", "zm_"))
    report = say(capsys, "这款精华今天只要¥129。", "--voice", "zf_xiaoxiao", "--out", str(tmp_path / "b.wav"))
    assert report["engine"] == "kokoro" and report["voice"] == "zf_xiaoxiao" and report["lang"] == "zh"
    assert report["true_peak_dbtp"] <= -1.0 and report["clipped_samples"] == 0
