"""Which onnxruntime providers a voice runs on, for every device setting and machine."""

from __future__ import annotations

import pytest

from vhost.voice import providers
from vhost.voice.providers import choose_providers, cuda_available, uses_cuda

GPU = ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"]
CPU = ["AzureExecutionProvider", "CPUExecutionProvider"]


def test_auto_takes_cuda_when_present_and_keeps_cpu_behind_it() -> None:
    providers, warning = choose_providers("auto", GPU)
    assert providers[0][0] == "CUDAExecutionProvider"
    assert providers[0][1]["cudnn_conv_algo_search"] == "HEURISTIC"
    assert providers[-1] == "CPUExecutionProvider" and warning == ""
    assert uses_cuda(providers)


def test_auto_without_a_gpu_is_cpu_silently() -> None:
    assert choose_providers("auto", CPU) == (["CPUExecutionProvider"], "")
    assert choose_providers(None, CPU) == (["CPUExecutionProvider"], "")
    assert not uses_cuda(["CPUExecutionProvider"])


def test_cpu_wins_even_with_a_gpu() -> None:
    assert choose_providers("cpu", GPU) == (["CPUExecutionProvider"], "")
    assert choose_providers(False, GPU) == (["CPUExecutionProvider"], "")


def test_cuda_requested_without_one_says_why() -> None:
    providers, warning = choose_providers("cuda", CPU)
    assert providers == ["CPUExecutionProvider"]
    assert "onnxruntime-gpu" in warning and "AzureExecutionProvider" in warning
    assert choose_providers(True, GPU)[0][0][0] == "CUDAExecutionProvider"


def test_bad_device_is_an_error() -> None:
    with pytest.raises(ValueError, match="auto, cpu or cuda"):
        choose_providers("tpu", CPU)  # type: ignore[arg-type]


def test_this_machine() -> None:
    import onnxruntime

    assert cuda_available() == ("CUDAExecutionProvider" in onnxruntime.get_available_providers())
    assert cuda_available(GPU) and not cuda_available(CPU)


@pytest.mark.slow  # four real Piper runs of a long line: ~4.5 s
def test_a_cpu_voice_session_gives_its_arena_back_after_every_run() -> None:
    """A voice that once spoke a long fragment must not keep that run's buffers for the rest of
    the show (the voice process grew 264 MB in an hour's soak before this)."""
    import numpy as np
    import psutil

    from vhost.voice.piper_engine import PiperEngine

    engine = PiperEngine(threads=1)
    sess = engine.voice.session
    assert isinstance(sess, providers.ArenaReturning)
    assert sess.run_options.get_run_config_entry("memory.enable_memory_arena_shrinkage") == "cpu:0"
    assert sess.get_inputs() and sess.get_providers() == ["CPUExecutionProvider"]  # the session's own
    short = "Hi."
    long = " ".join(["This ceramic mug keeps your coffee hot for six hours and it ships today."] * 4)
    engine.synthesize(short, "en")
    rss = psutil.Process().memory_info().rss
    for _ in range(3):
        chunk = engine.synthesize(long, "en")
    assert np.any(chunk.pcm)
    engine.synthesize(short, "en")
    grown_mb = (psutil.Process().memory_info().rss - rss) / 1e6
    assert grown_mb < 60, f"{grown_mb:.0f} MB kept after long runs"
