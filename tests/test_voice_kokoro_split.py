"""Kokoro on OpenVINO (`vhost.voice.kokoro_split`): the same line as the float graph, and a show
that still speaks when OpenVINO is missing or its graphs are broken."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest

from bench.voice import log_mel_db
from vhost.voice.kokoro_engine import KokoroEngine
from vhost.voice.kokoro_split import cpu_has_bf16

pytestmark = [pytest.mark.realmodel, pytest.mark.slow]
pytest.importorskip("openvino")

LINES = [("这款精华今天只要一百二十九元，三十毫升。", "zh"), ("Yes, it ships today.", "en")]


@pytest.fixture(scope="module")
def reference() -> KokoroEngine:
    return KokoroEngine(precision="float", backend="onnxruntime")


def test_openvino_speaks_the_float_graphs_line_with_the_same_timing(reference: KokoroEngine) -> None:
    engine = KokoroEngine(backend="openvino")
    assert engine.backend == "openvino" and "OpenVINO" in engine.providers[0]
    for text, lang in LINES:
        want, got = reference.synthesize(text, lang), engine.synthesize(text, lang)
        assert got.pcm.size == want.pcm.size  # durations come from the float front: same length
        assert [p.phoneme for p in got.phonemes] == [p.phoneme for p in want.phonemes]
        assert [round(p.start, 3) for p in got.phonemes] == [round(p.start, 3) for p in want.phonemes]
        # Closer to the float graph than the int8 graph the CPU ran before (1.6-3.4 dB).
        assert log_mel_db(want.pcm, got.pcm) < 1.5, text
        assert np.sqrt(np.mean(got.pcm**2)) > 0.02


def test_missing_openvino_falls_back_to_onnxruntime_and_says_so(monkeypatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setitem(sys.modules, "openvino", None)
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a, **k: None if name == "openvino" else real(name, *a, **k))
    engine = KokoroEngine()
    assert engine.backend == "onnxruntime"
    assert "OpenVINO is not installed" in engine.warning
    assert engine.synthesize("有货。", "zh").pcm.size > 0


def test_auto_takes_openvino_only_on_a_cpu_with_bf16(monkeypatch) -> None:
    """In float32 OpenVINO ran a short line slower than onnxruntime's int8 graph (3.3 s against
    2.6 s on an AMD EPYC without AVX-512): "auto" keeps onnxruntime there, with no warning."""
    from vhost.voice import kokoro_split

    for bf16, want in ((False, "onnxruntime"), (True, "openvino")):
        monkeypatch.setattr(kokoro_split, "cpu_has_bf16", lambda bf16=bf16: bf16)
        engine = KokoroEngine()
        assert engine.backend == want and "OpenVINO" not in engine.warning, (bf16, engine.warning)
    monkeypatch.setattr(kokoro_split, "cpu_has_bf16", lambda: False)
    assert KokoroEngine(backend="openvino").backend == "openvino"  # forced


def test_a_broken_openvino_plugin_leaves_kokoro_on_onnxruntime(monkeypatch) -> None:
    import openvino

    def broken() -> None:
        raise RuntimeError("no CPU plugin")

    monkeypatch.setattr(openvino, "Core", broken)
    engine = KokoroEngine()
    assert engine.backend == "onnxruntime"
    assert engine.synthesize("有货。", "zh").pcm.size > 0


def test_a_truncated_cached_graph_is_cut_again() -> None:
    """In a child process: cutting the graphs again loads the 325 MB float graph, and the heap it
    leaves would skew the memory tests that share this worker."""
    script = (
        "from vhost.voice import kokoro_split\n"
        "from vhost.voice.kokoro_engine import KokoroEngine\n"
        "front, back = kokoro_split.ensure_split()\n"
        "back.write_bytes(back.read_bytes()[:1000])\n"
        "engine = KokoroEngine(backend='openvino')\n"
        "assert engine.backend == 'openvino', engine.warning\n"
        "assert back.stat().st_size > 1_000_000\n"
        "assert engine.synthesize('有货。', 'zh').pcm.size > 0\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_config_can_keep_kokoro_on_onnxruntime() -> None:
    from vhost.voice.config import VoiceConfig
    from vhost.voice.factory import load_engine

    engine = load_engine("kokoro", VoiceConfig(kokoro_backend="onnxruntime"))
    assert isinstance(engine, KokoroEngine)
    assert engine.backend == "onnxruntime" and engine.providers == ["CPUExecutionProvider"]
    # "auto": OpenVINO only where the CPU runs it in bf16; onnxruntime int8 is faster elsewhere
    assert load_engine("kokoro", VoiceConfig()).backend == ("openvino" if cpu_has_bf16() else "onnxruntime")
    assert load_engine("kokoro", VoiceConfig(kokoro_backend="openvino")).backend == "openvino"


def test_the_snake_rewrite_is_sin_squared_far_from_zero() -> None:
    """`fast_snake` on a graph of one Snake core: sin(y)^2 within float32 rounding of y, for
    arguments well past the few radians the decoder sees."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    from vhost.voice.kokoro_split import fast_snake

    graph = helper.make_graph(
        [helper.make_node("Sin", ["y"], ["s"], name="snake/Sin"), helper.make_node("Pow", ["s", "two"], ["out"])],
        "snake", [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n"])],
        [helper.make_tensor_value_info("out", TensorProto.FLOAT, ["n"])],
        [numpy_helper.from_array(np.array(2.0, dtype=np.float32), "two")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    assert fast_snake(model) == 1
    assert "Sin" not in {n.op_type for n in model.graph.node}
    onnx.checker.check_model(model)
    y = np.linspace(-60.0, 60.0, 200_001, dtype=np.float32)
    got = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"]).run(
        None, {"y": y})[0]
    want = np.sin(y.astype(np.float64)) ** 2
    assert np.abs(got - want).max() < 2e-5
