"""Kokoro-82M: English and Mandarin with phoneme timelines, and its float (CUDA) conversion."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime
import pytest

from tests import voice_models
from vhost.avatar.pose import VISEMES
from vhost.base.audio_types import AudioChunk
from vhost.voice.kokoro_engine import KokoroEngine, list_voices
from vhost.voice.kokoro_model import (
    DURATION_OUTPUT,
    add_duration_output,
    assemble_source,
    ensure_kokoro_model,
    voices_path,
)

pytestmark = [pytest.mark.realmodel, pytest.mark.slow]


@pytest.fixture(scope="module")
def kokoro() -> KokoroEngine:
    return voice_models.kokoro()


def assert_timeline(chunk: AudioChunk) -> None:
    ph = chunk.phonemes
    assert len(ph) > 10
    assert ph[0].start == pytest.approx(0.0, abs=1e-6)
    for a, b in zip(ph, ph[1:], strict=False):  # back to back, no gaps, no overlaps
        assert a.start + a.duration == pytest.approx(b.start, abs=1e-4)
    assert ph[-1].start + ph[-1].duration == pytest.approx(chunk.duration, abs=1e-3)
    spans = chunk.visemes
    assert spans[0].start == pytest.approx(0.0, abs=1e-6)
    assert spans[-1].end == pytest.approx(chunk.duration, abs=0.02)
    assert all(s.viseme in VISEMES and s.end > s.start for s in spans)


def test_english(kokoro: KokoroEngine) -> None:
    assert kokoro.has_alignments and kokoro.sample_rate == 24000
    chunk = kokoro.synthesize("Grab this mug before it sells out.", "en")
    assert 1.0 < chunk.duration < 5.0
    assert float(np.sqrt(np.mean(chunk.pcm**2))) > 0.01
    assert_timeline(chunk)
    shapes = {s.viseme for s in chunk.visemes}
    assert {"MBP", "rest"} <= shapes  # "mug", "before": closed lips


def test_mandarin_has_a_tone_aware_timeline(kokoro: KokoroEngine) -> None:
    text = "欢迎来到直播间！"
    phonemes = kokoro.phonemize(text, "zh")
    assert any(arrow in phonemes for arrow in "→↗↓↘")  # misaki's tone arrows
    chunk = kokoro.synthesize(text, "zh")
    assert 0.8 < chunk.duration < 4.0
    assert_timeline(chunk)
    # Tone arrows ride on their vowels: never a phoneme (a mouth shape) of their own.
    assert not any(p.phoneme in "→↗↓↘" for p in chunk.phonemes)
    assert any(p.phoneme[-1] in "→↗↓↘" for p in chunk.phonemes)
    assert {"AI", "rest"} <= {s.viseme for s in chunk.visemes}  # "huan", "lai", the pause


def test_latin_words_inside_mandarin_are_read_as_english(kokoro: KokoroEngine) -> None:
    phonemes = kokoro.phonemize("这个 iPhone 壳很好用", "zh")
    assert "fˈoʊn" in phonemes or "foʊn" in phonemes
    assert "P" not in phonemes  # no raw letters reach the model


def test_empty_and_unknown_voice(kokoro: KokoroEngine) -> None:
    assert kokoro.synthesize("   ", "en").duration == 0.0
    with pytest.raises(ValueError, match="jf_alpha"):  # the message lists the styles there are
        KokoroEngine(voice="xx_nobody")
    assert "jm_kumo" in list_voices()


def test_duration_output_is_exposed_once(tmp_path) -> None:
    model = onnx.load_from_string(assemble_source())
    add_duration_output(model)
    add_duration_output(model)  # idempotent
    assert [o.name for o in model.graph.output].count(DURATION_OUTPUT) == 1
    stale = tmp_path / "kokoro-v1.0.int8.timed-000000000000-v0.onnx"
    stale.write_bytes(b"a build for an older model or converter")
    path = ensure_kokoro_model("int8", cache_dir=tmp_path)
    assert not stale.exists() and not list(tmp_path.glob("*.tmp"))
    mtime = path.stat().st_mtime_ns
    assert ensure_kokoro_model("int8", cache_dir=tmp_path) == path  # cached: not rebuilt
    assert path.stat().st_mtime_ns == mtime and path.stat().st_size > 50_000_000
    outputs = [o.name for o in onnxruntime.InferenceSession(
        str(path), providers=["CPUExecutionProvider"]).get_outputs()]
    assert outputs == ["audio", DURATION_OUTPUT]


def test_float_conversion_matches_the_int8_model(tmp_path) -> None:
    """The CUDA graph: no integer op left, same durations, the same speech (spectrally)."""
    float_path = ensure_kokoro_model("float", cache_dir=tmp_path)
    int8_path = ensure_kokoro_model("int8")  # the shared test cache
    graph = onnx.load(str(float_path))
    ops = {n.op_type for n in graph.graph.node}
    assert not ops & {"ConvInteger", "MatMulInteger", "DynamicQuantizeLSTM", "DynamicQuantizeLinear"}
    assert {"Conv", "MatMul", "LSTM"} <= ops
    assert all(i.data_type in (1, 6, 7, 9) for i in graph.graph.initializer)  # float/int32/int64/bool
    mtime = float_path.stat().st_mtime_ns
    assert ensure_kokoro_model("float", cache_dir=tmp_path).stat().st_mtime_ns == mtime  # cached

    from kokoro_onnx.tokenizer import Tokenizer

    tok = Tokenizer()
    ids = tok.tokenize(tok.phonemize("Hello, this mug keeps coffee hot.", "en-us"))
    style = np.load(voices_path())["jf_alpha"][len(ids) - 1].reshape(1, 256)
    feeds = {"tokens": np.array([[0, *ids, 0]], np.int64), "style": style,
             "speed": np.array([1.0], np.float32)}
    outs = {}
    for name, path in (("int8", int8_path), ("float", float_path)):
        opts = onnxruntime.SessionOptions()
        opts.intra_op_num_threads = 1
        sess = onnxruntime.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        audio, duration = sess.run(None, feeds)
        outs[name] = (audio.ravel(), duration.ravel())
    (a8, d8), (af, df) = outs["int8"], outs["float"]
    assert d8.size == len(ids) + 2
    # Durations may differ by a frame where int8 rounding tips a phoneme over.
    assert np.abs(d8.astype(int) - df.astype(int)).max() <= 1
    n = min(a8.size, af.size)

    def logspec(x: np.ndarray) -> np.ndarray:
        frames = np.lib.stride_tricks.sliding_window_view(x[:n], 1024)[::256]
        return np.log(np.abs(np.fft.rfft(frames * np.hanning(1024))) + 1e-4)

    def similarity(x: np.ndarray, y: np.ndarray) -> float:
        return float(np.corrcoef(logspec(x).ravel(), logspec(y).ravel())[0, 1])

    # Measured: 0.90 float vs int8; the same speech shifted by 0.5 s scores below 0, noise ~0.
    assert similarity(a8, af) > 0.8
    assert similarity(a8, np.roll(a8, 12000)) < 0.3


def test_cuda_requested_on_a_cpu_machine_runs_on_the_cpu_and_says_so() -> None:
    if "CUDAExecutionProvider" in onnxruntime.get_available_providers():
        pytest.skip("this machine has CUDA")
    engine = KokoroEngine(device="cuda")
    assert "onnxruntime-gpu" in engine.warning
    if engine.backend == "openvino":  # the CPU's fastest way (vhost.voice.kokoro_split)
        assert "OpenVINO CPU" in engine.providers[0] and ".split-" in engine.model_path.name
    else:
        assert engine.precision == "int8" and engine.providers == ["CPUExecutionProvider"]
        assert ".int8." in engine.model_path.name
    int8 = KokoroEngine(device="cuda", backend="onnxruntime")
    assert int8.precision == "int8" and int8.providers == ["CPUExecutionProvider"]
