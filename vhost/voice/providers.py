"""Where an ONNX voice runs: the CUDA provider when there is one (and it is wanted), else the CPU.

One function decides for every ONNX engine (Piper, Kokoro), so `device = "cuda"` in the config
means the same everywhere and a missing GPU is reported once, in words.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Literal

import onnxruntime

log = logging.getLogger(__name__)

Device = Literal["auto", "cpu", "cuda"]
Provider = str | tuple[str, dict[str, str]]

_CUDA = "CUDAExecutionProvider"
_CPU = "CPUExecutionProvider"


def cuda_available(available: Sequence[str] | None = None) -> bool:
    names = onnxruntime.get_available_providers() if available is None else available
    return _CUDA in names


def choose_providers(
    device: Device | bool | None = "auto", available: Sequence[str] | None = None
) -> tuple[list[Provider], str]:
    """Execution providers for `device`, and a warning ("" when none).

    `device` may also be a bool (the older `use_cuda` flag) or None (= "auto"). CPU always stays
    listed last: the CUDA provider hands it any op it has no kernel for.
    """
    if device is None:
        device = "auto"
    elif device is True:
        device = "cuda"
    elif device is False:
        device = "cpu"
    if device not in ("auto", "cpu", "cuda"):
        raise ValueError(f"device must be auto, cpu or cuda, not {device!r}")
    names = list(onnxruntime.get_available_providers() if available is None else available)
    if device == "cpu":
        return [_CPU], ""
    if _CUDA in names:
        # HEURISTIC: the exhaustive default benchmarks every conv shape on first use, which
        # stalls the first sentences of a show by seconds.
        return [(_CUDA, {"cudnn_conv_algo_search": "HEURISTIC"}), _CPU], ""
    if device == "cuda":
        return [_CPU], (
            "CUDA requested for the voice but onnxruntime has no CUDAExecutionProvider here "
            f"(available: {', '.join(names) or 'none'}); install onnxruntime-gpu. Using the CPU."
        )
    return [_CPU], ""


def uses_cuda(providers: Sequence[Provider]) -> bool:
    return any((p[0] if isinstance(p, tuple) else p) == _CUDA for p in providers)


class ArenaReturning:
    """An ONNX session whose CPU memory arena gives back what a run took, at the end of the run.

    onnxruntime keeps the largest buffers any run has needed: a voice that has once spoken a long
    fragment holds that memory for good, so the voice process grew in steps through a show (+264
    MB in an hour of bench.soak). Shrinking the arena after each run keeps it at its start-up size;
    a run costs no measurable time more (a few mallocs beside a second of convolutions).
    Everything but `run` is the session's own."""

    def __init__(self, sess: onnxruntime.InferenceSession) -> None:
        self.session = sess
        self.run_options = onnxruntime.RunOptions()
        self.run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def run(self, output_names, input_feed, run_options=None):  # noqa: ANN001, ANN201 - the session's own
        return self.session.run(output_names, input_feed, run_options or self.run_options)

    def __getattr__(self, name: str):  # noqa: ANN204 - get_inputs, get_outputs, get_providers, ...
        return getattr(self.session, name)


def session(path: str, providers: Sequence[Provider], threads: int) -> onnxruntime.InferenceSession:
    options = onnxruntime.SessionOptions()
    # Few threads on purpose: the voice runs beside the LLM, and on a small CPU two engines
    # that each grab every core spin against each other (both slow down several-fold).
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    if threads > 1:
        # Idle pool threads sleep instead of spinning: on a small CPU shared with the LLM, spinning
        # threads steal the core the other engine is computing on (measured: 2 spinning threads
        # beside a busy core were slower than 1).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    sess = onnxruntime.InferenceSession(path, sess_options=options, providers=list(providers))
    return sess if uses_cuda(providers) else ArenaReturning(sess)  # type: ignore[return-value]
