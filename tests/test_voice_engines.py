"""Real voices: Piper (packaged joe model), espeak-ng, and the router between them."""

from __future__ import annotations

import logging
import shutil

import numpy as np
import pytest

from vhost.avatar.pose import VISEMES
from vhost.base.audio_types import AudioChunk
from vhost.voice import piper_engine as piper_module
from vhost.voice.espeak_engine import EspeakEngine, wav_to_float32
from vhost.voice.piper_engine import PiperEngine, ensure_aligned_model
from vhost.voice.router import VoiceRouter

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng not installed"
)

SENTENCE = "Hello! This mug keeps coffee hot for six hours."


@pytest.fixture(scope="module")
def piper() -> PiperEngine:
    return PiperEngine()


@pytest.fixture(scope="module")
def espeak() -> EspeakEngine:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng not installed")
    return EspeakEngine()


def assert_sane_audio(chunk: AudioChunk) -> None:
    assert chunk.pcm.dtype == np.float32 and chunk.pcm.ndim == 1
    peak = float(np.max(np.abs(chunk.pcm)))
    assert 0.1 < peak <= 1.0
    assert float(np.sqrt(np.mean(chunk.pcm**2))) > 0.01  # not silent


def assert_visemes_cover(chunk: AudioChunk) -> None:
    spans = chunk.visemes
    assert spans and spans[0].start == pytest.approx(0.0, abs=1e-6)
    assert spans[-1].end == pytest.approx(chunk.duration, abs=0.02)
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end == pytest.approx(b.start, abs=1e-6)
    assert all(s.viseme in VISEMES and s.end > s.start for s in spans)
    assert {s.viseme for s in spans} - {"rest"}, "the mouth never moves"


@pytest.mark.realmodel
@pytest.mark.slow
def test_piper_sentence_with_alignments(piper: PiperEngine) -> None:
    assert piper.has_alignments, "the alignment patch should work for the packaged joe voice"
    chunk = piper.synthesize(SENTENCE)
    assert chunk.sample_rate == piper.sample_rate == 22050
    assert 1.0 < chunk.duration < 6.0
    assert chunk.text == SENTENCE
    assert_sane_audio(chunk)

    ph = chunk.phonemes
    assert len(ph) > 20
    starts = [p.start for p in ph]
    assert starts == sorted(starts)
    assert all(p.duration >= 0 for p in ph)
    for a, b in zip(ph, ph[1:], strict=False):  # back to back, no gaps
        assert a.start + a.duration == pytest.approx(b.start, abs=1e-6)
    total = sum(p.duration for p in ph)
    assert total == pytest.approx(chunk.duration, rel=0.10)
    # Stress marks are folded into their vowels, never left as phonemes of their own.
    assert not any(p.phoneme in ("ˈ", "ˌ", "ː") for p in ph)
    # "mug" gives a closed-lips shape; "coffee" an FV.
    shapes = {s.viseme for s in chunk.visemes}
    assert {"MBP", "FV", "rest"} <= shapes
    assert_visemes_cover(chunk)


@pytest.mark.realmodel
@pytest.mark.slow
def test_piper_two_sentences_are_offset(piper: PiperEngine) -> None:
    one = piper.synthesize("Grab it now.")
    two = piper.synthesize("Grab it now. It ships today.")
    assert two.duration > one.duration * 1.5
    # Piper speaks each sentence separately; the second's timings must start after the first.
    ends = [p for p in two.phonemes if p.phoneme == "$"]
    begins = [p for p in two.phonemes if p.phoneme == "^"]
    assert len(ends) == 2 and len(begins) == 2
    assert begins[1].start == pytest.approx(ends[0].start + ends[0].duration, abs=1e-6)
    assert sum(p.duration for p in two.phonemes) == pytest.approx(two.duration, abs=1e-3)


@pytest.mark.realmodel
@pytest.mark.slow
def test_piper_empty_text(piper: PiperEngine) -> None:
    chunk = piper.synthesize("")
    assert chunk.duration == 0.0 and chunk.visemes == [] and chunk.phonemes == []


@pytest.mark.realmodel
@pytest.mark.slow
def test_corrupt_cached_model_is_rebuilt(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("VHOST_DATA_DIR", str(tmp_path))
    source = PiperEngine().model_path
    cached = ensure_aligned_model(source)
    assert cached.parent == tmp_path / "models" / "piper"
    cached.write_bytes(b"not an onnx model")  # e.g. a crash mid-copy by an older version
    stale = cached.with_name(f"{source.stem}.aligned-000000000000.onnx")
    stale.write_bytes(b"patched copy of a previous release of the voice")

    engine = PiperEngine()
    assert engine.has_alignments
    assert cached.stat().st_size > 1_000_000
    assert not list(cached.parent.glob("*.tmp"))  # the atomic write cleaned up
    assert not stale.exists()


@pytest.mark.realmodel
@pytest.mark.slow
def test_failed_alignment_patch_is_told_to_the_operator(monkeypatch) -> None:
    from vhost.voice.config import VoiceConfig
    from vhost.voice.factory import build_router

    def broken(*_args, **_kwargs):
        raise ValueError("No ceil tensors detected")

    monkeypatch.setattr(piper_module, "ensure_aligned_model", broken)
    built = build_router(VoiceConfig(engine="piper"), warmup=False, langs=["en"])
    assert any("lip sync" in w and "No ceil tensors" in w for w in built.warnings)


@pytest.mark.realmodel
@pytest.mark.slow
def test_failed_alignment_patch_falls_back_to_envelope(monkeypatch, caplog) -> None:
    def broken(*_args, **_kwargs):
        raise ValueError("No ceil tensors detected")

    monkeypatch.setattr(piper_module, "ensure_aligned_model", broken)
    with caplog.at_level(logging.WARNING):
        engine = PiperEngine()
    assert not engine.has_alignments
    assert "alignment patch failed" in caplog.text
    chunk = engine.synthesize("Still speaking without timings.")
    assert chunk.phonemes == []
    assert_sane_audio(chunk)
    assert_visemes_cover(chunk)


@pytest.mark.realmodel
def test_espeak_chinese(espeak: EspeakEngine) -> None:
    text = "大家好，欢迎来到直播间！这款杯子可以保温六个小时。"
    chunk = espeak.synthesize(text, "zh")
    assert espeak.voice("zh") == "cmn-latn-pinyin"
    assert chunk.sample_rate == 22050
    assert 2.0 < chunk.duration < 12.0
    assert chunk.text == text
    assert_sane_audio(chunk)
    assert_visemes_cover(chunk)


@pytest.mark.realmodel
def test_espeak_text_starting_with_dash_is_spoken(espeak: EspeakEngine) -> None:
    chunk = espeak.synthesize("-5 degrees outside", "en")
    assert chunk.duration > 0.5


@pytest.mark.realmodel
def test_espeak_unknown_voice_raises(espeak: EspeakEngine) -> None:
    with pytest.raises(RuntimeError, match="espeak-ng failed"):
        espeak.synthesize("hello", "xx-nonexistent")


def test_espeak_missing_binary() -> None:
    with pytest.raises(RuntimeError, match="apt-get install espeak-ng"):
        EspeakEngine(binary="espeak-ng-definitely-not-installed")


def test_wav_decoding_with_streamed_header() -> None:
    # What espeak-ng writes to a pipe: RIFF/data sizes it could not seek back to fix.
    samples = np.array([0, 16384, -32768, 32767], dtype="<i2")
    header = (
        b"RIFF"
        + (0x7FFFF024).to_bytes(4, "little")
        + b"WAVE"
        + b"fmt "
        + (16).to_bytes(4, "little")
        + (1).to_bytes(2, "little")
        + (1).to_bytes(2, "little")
        + (22050).to_bytes(4, "little")
        + (44100).to_bytes(4, "little")
        + (2).to_bytes(2, "little")
        + (16).to_bytes(2, "little")
        + b"data"
        + (0x7FFFF000).to_bytes(4, "little")
    )
    pcm, sr = wav_to_float32(header + samples.tobytes())
    assert sr == 22050
    assert pcm.dtype == np.float32
    assert pcm.tolist() == pytest.approx([0.0, 0.5, -1.0, 32767 / 32768])


@pytest.mark.realmodel
@pytest.mark.slow
def test_router_picks_engine_by_language(piper: PiperEngine, espeak: EspeakEngine) -> None:
    router = VoiceRouter(piper, espeak)
    zh = router.synthesize("大家好，欢迎来到直播间！")
    assert zh.engine == "espeak-ng"  # type: ignore[attr-defined]
    assert zh.duration > 0.5
    en = router.synthesize("Welcome to the stream!")
    assert en.engine == "piper"  # type: ignore[attr-defined]
    assert en.phonemes
    forced = router.synthesize("Welcome to the stream!", lang="zh")
    assert forced.engine == "espeak-ng"  # type: ignore[attr-defined]
    assert router.engine_for("ja") == "espeak-ng"
    assert router.engine_for("en") == "piper"


@pytest.mark.realmodel
def test_router_without_primary(espeak: EspeakEngine) -> None:
    router = VoiceRouter(None, espeak)
    chunk = router.synthesize("Hello there!")
    assert chunk.engine == "espeak-ng"  # type: ignore[attr-defined]
    assert chunk.duration > 0.3


@pytest.mark.realmodel
@pytest.mark.slow
def test_router_falls_back_when_primary_raises(
    piper: PiperEngine, espeak: EspeakEngine, monkeypatch, caplog
) -> None:
    def broken_run(*_args, **_kwargs):
        raise RuntimeError("onnxruntime: CUDA out of memory")

    monkeypatch.setattr(piper.voice.session, "run", broken_run)
    router = VoiceRouter(piper, espeak)
    with caplog.at_level(logging.ERROR):
        chunk = router.synthesize("This still gets said.")
    assert chunk.engine == "espeak-ng"  # type: ignore[attr-defined]
    assert chunk.duration > 0.5
    assert "falling back" in caplog.text


@pytest.mark.realmodel
@pytest.mark.slow
def test_router_skips_unspeakable_text_and_warms_up(
    piper: PiperEngine, espeak: EspeakEngine
) -> None:
    router = VoiceRouter(piper, espeak)
    chunk = router.synthesize("*smiles* 🔥")
    assert chunk.duration == 0.0 and chunk.text == "*smiles* 🔥"
    took = router.warmup()
    assert set(took) == {"piper", "espeak-ng"}
    assert all(t > 0 for t in took.values())


@pytest.mark.realmodel
def test_espeak_phoneme_events_drive_the_mouth(espeak: EspeakEngine) -> None:
    assert espeak.library is not None, "libespeak-ng should load where espeak-ng is installed"
    chunk = espeak.synthesize("Hello, my mug.", "en")
    ph = chunk.phonemes
    assert len(ph) > 6 and ph[0].start == pytest.approx(0.0, abs=1e-6)
    for a, b in zip(ph, ph[1:], strict=False):
        assert a.start + a.duration == pytest.approx(b.start, abs=1e-6)
    assert ph[-1].start + ph[-1].duration == pytest.approx(chunk.duration, abs=1e-6)
    assert "m" in [p.phoneme for p in ph] and "MBP" in {s.viseme for s in chunk.visemes}
    assert_visemes_cover(chunk)
    # The comma's pause has no phoneme event: the silence itself closes the mouth there.
    comma = next(p for p in ph if p.phoneme.startswith("m")).start
    assert any(s.viseme == "rest" and 0.2 < s.end <= comma + 0.01 for s in chunk.visemes)


@pytest.mark.realmodel
def test_espeak_without_the_library_uses_the_binary_and_loudness() -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng not installed")
    engine = EspeakEngine(use_library=False)
    chunk = engine.synthesize("Hello there.", "en")
    assert engine.library is None and chunk.phonemes == [] and chunk.duration > 0.5
    assert_visemes_cover(chunk)


@pytest.mark.realmodel
@pytest.mark.slow
def test_espeak_library_is_its_own_copy_beside_kokoros_phonemizer() -> None:
    """Kokoro's English phonemizer loads another libespeak-ng with the same soname first; loading
    ours by bare name would get that copy (other data, shared state) and fail to initialize."""
    import subprocess
    import sys

    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng not installed")
    code = (
        "from vhost.voice.kokoro_engine import KokoroEngine\n"
        "k = KokoroEngine(); assert k.phonemize('hello', 'en')\n"
        "from vhost.voice.espeak_engine import EspeakEngine\n"
        "e = EspeakEngine(); assert e.library is not None\n"
        "c = e.synthesize('Hello, my mug.', 'en'); assert len(c.phonemes) > 5\n"
        "assert k.phonemize('hello there', 'en') == 'həlˈoʊ ðˈɛɹ'\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-2000:]
