"""Kokoro on a CPU in two graphs: the exact front in onnxruntime, the heavy back in OpenVINO.

The iSTFTNet decoder is ~95 % of a line's synthesis. OpenVINO runs it in bfloat16 where the CPU
has bf16 units (AMX, AVX512-BF16; f32 elsewhere) at about twice the speed of onnxruntime's int8
graph on this 2-core CPU. Run whole in bf16, Kokoro's voice moves 3.6-6 dB (log-mel, against
the float graph); int8 moves it 1.6-3.4 dB. Two parts of the graph must stay float32:

- **The harmonic source.** Its sine phase grows to tens of thousands of radians over a line; in
  bf16 the sine is noise (relative error 1.1 against float32), and so is every feature after it.
- **The durations.** Rounded frame counts decide the length of the line and of every tensor after
  them; a bf16 encoder rounds some differently.

So the *front* (text encoder, durations, F0, the harmonic source and its STFT magnitude/phase)
runs in onnxruntime float32 (40-100 ms a line), and the *back* (all the rest, fed the front's
durations and harmonic features) in OpenVINO. The pair moves the voice 0.4-1.2 dB from the float
graph, less than int8 does (`bench.voice` prints both).

One more rewrite, in both graphs: the export's atan2 takes the +pi branch only for imag > 0.
OpenVINO's STFT gives the DC bin an imaginary part of exactly 0 (onnxruntime a tiny positive one),
which sent a third of the strong bins to -pi. `GreaterOrEqual` gives +pi for +0, as torch.angle does.

Both graphs are cut from the cached float model (`kokoro_model`) and cached beside it under a name
carrying the source's sha256 and this module's version: the front as ONNX, the back as OpenVINO IR.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from vhost.base.files import atomic_write_bytes
from vhost.voice.kokoro_model import ensure_kokoro_model, kokoro_cache_dir, source_sha256

log = logging.getLogger(__name__)

_VERSION = 3  # bump when the cut changes, so cached graphs are rebuilt
# What the decoder reads: the harmonic source's STFT magnitude + phase, the aligned text features,
# F0 and energy. The back starts from them and computes neither the encoders nor the source again.
_FEATURES = ("/decoder/decoder/generator/Concat_3_output_0", "/encoder/MatMul_1_output_0",
             "/encoder/Reshape_output_0", "/encoder/Reshape_1_output_0")
_ATAN2_BRANCH = "/decoder/decoder/generator/Greater"
AUDIO, DURATION = "audio", "duration"


def ensure_split(cache_dir: Path | None = None, rebuild: bool = False) -> tuple[Path, Path]:
    """Paths of the (front, back) graphs; cut from the float graph when missing or `rebuild`."""
    import onnx
    from onnx.utils import Extractor

    cache_dir = cache_dir or kokoro_cache_dir()
    stem = f"kokoro-v1.0.split-{source_sha256()[:12]}-v{_VERSION}"
    front, back = cache_dir / f"{stem}.front.onnx", cache_dir / f"{stem}.back.xml"
    if front.exists() and back.exists() and back.with_suffix(".bin").exists() and not rebuild:
        return front, back
    model = onnx.load(str(ensure_kokoro_model("float")))
    cache_dir.mkdir(parents=True, exist_ok=True)
    branch = [n for n in model.graph.node if n.name == _ATAN2_BRANCH]
    if len(branch) != 1 or not all(_produced(model, t) for t in _FEATURES):
        raise ValueError("not the Kokoro v1.0 export: no atan2 branch or decoder features")
    branch[0].op_type = "GreaterOrEqual"
    cut = [*_FEATURES, *_shapes_beside(model, _FEATURES)]
    front_model = Extractor(model).extract_model(["tokens", "style", "speed"], [DURATION, *cut])
    front_model.metadata_props.extend(model.metadata_props)  # the vocabulary, where embedded
    back_model = Extractor(model).extract_model(["style", *cut], [AUDIO])
    _type_inputs(back_model, front_model)
    fast_snake(back_model)
    atomic_write_bytes(front, front_model.SerializeToString(), mode=0o644)
    _save_back(back_model, back)
    for stale in cache_dir.glob("kokoro-v1.0.split-*"):
        if stale not in (front, back, back.with_suffix(".bin")):
            stale.unlink(missing_ok=True)
    log.info("cut the Kokoro graph for OpenVINO -> %s, %s", front.name, back.name)
    return front, back


def _type_inputs(back, front) -> None:  # noqa: ANN001 (onnx ModelProto)
    """Shape inference leaves the features' ranks unknown, and OpenVINO needs them: the front is run
    on two lengths of text, and each axis that changes with the length becomes a symbolic one."""
    import onnxruntime as ort
    from onnx import helper

    sess = ort.InferenceSession(front.SerializeToString(), providers=["CPUExecutionProvider"])
    style = np.zeros((1, 256), np.float32)
    runs = [dict(zip([o.name for o in sess.get_outputs()], sess.run(None, {
        "tokens": np.array([[0, *[50] * n, 0]], np.int64), "style": style,
        "speed": np.ones(1, np.float32)}), strict=True)) for n in (3, 9)]
    for graph_input in back.graph.input:
        if graph_input.name in runs[0]:
            a, b = runs[0][graph_input.name], runs[1][graph_input.name]
            dims = [x if x == y else f"{graph_input.name}_{k}" for k, (x, y)
                    in enumerate(zip(a.shape, b.shape, strict=True))]
            elem = helper.np_dtype_to_tensor_dtype(a.dtype)
            graph_input.CopyFrom(helper.make_tensor_value_info(graph_input.name, elem, dims))


def _produced(model, name: str) -> bool:  # noqa: ANN001 (onnx ModelProto)
    return any(name in n.output for n in model.graph.node)


def _shapes_beside(model, features: tuple[str, ...]) -> list[str]:  # noqa: ANN001
    """Tensors the back needs that only the front computes besides `features`: the export takes
    some sizes (the iSTFT's length) from the harmonic source's tensors. They are the outputs of
    nodes that read the text (tokens, speed) but none of the features, consumed by nodes that do
    read a feature; the back gets them as inputs rather than computing the source again."""
    nodes = list(model.graph.node)
    producer = {o: k for k, n in enumerate(nodes) for o in n.output}
    need, todo = set(), [AUDIO]  # the nodes `audio` needs, given the features
    while todo:
        k = producer.get(todo.pop())
        if k is None or k in need:
            continue
        need.add(k)
        todo += [i for i in nodes[k].input if i and i not in features]
    text, feat = {"tokens", "speed"}, set(features)  # tensors downstream of each
    for k in sorted(need):  # topological order
        if any(i in feat for i in nodes[k].input):
            feat.update(nodes[k].output)
        elif any(i in text for i in nodes[k].input):
            text.update(nodes[k].output)
    return sorted({i for k in need if any(i in feat for i in nodes[k].input)
                   for i in nodes[k].input if i in text and i not in feat})


def fast_snake(model) -> int:  # noqa: ANN001 (onnx ModelProto)
    """Every `Pow(Sin(y), 2)` (the decoder's 48 Snake activations) as sin^2 by range reduction and
    a polynomial; returns how many. OpenVINO's CPU plugin has no JIT kernel for Sin: its reference
    loop was 28 % of the back's time. sin^2 has period pi, so r = y - pi*round(y/pi) in
    [-pi/2, pi/2] needs no sign, and a degree-5 fit in r^2 is within 9e-7 of sin^2 there."""
    from onnx import helper, numpy_helper

    graph = model.graph
    users: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            users.setdefault(name, []).append(node)
    consts = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    consts.update({n.output[0]: numpy_helper.to_array(n.attribute[0].t) for n in graph.node
                   if n.op_type == "Constant" and n.attribute and n.attribute[0].name == "value"})
    r2 = np.linspace(0.0, (np.pi / 2) ** 2, 20001)
    coef = np.polyfit(r2, np.sin(np.sqrt(r2)) ** 2, 5)  # highest power first
    names = {"inv_pi": 1 / np.pi, "pi": np.pi, **{f"c{i}": c for i, c in enumerate(coef)}}
    graph.initializer.extend(numpy_helper.from_array(np.array(v, dtype=np.float32), f"snake_{k}")
                             for k, v in names.items())
    done = 0
    for sin in [n for n in graph.node if n.op_type == "Sin"]:
        after = users.get(sin.output[0], [])
        if len(after) != 1 or after[0].op_type != "Pow" or consts.get(after[0].input[1]) != 2:
            continue
        y, out, p = sin.input[0], after[0].output[0], f"{sin.name}/snake_"
        nodes = [helper.make_node("Mul", [y, "snake_inv_pi"], [p + "q"]),
                 helper.make_node("Round", [p + "q"], [p + "k"]),
                 helper.make_node("Mul", [p + "k", "snake_pi"], [p + "kpi"]),
                 helper.make_node("Sub", [y, p + "kpi"], [p + "r"]),
                 helper.make_node("Mul", [p + "r", p + "r"], [p + "r2"])]
        term = "snake_c0"
        for i in range(1, len(coef)):  # Horner in r^2
            nodes.append(helper.make_node("Mul", [term, p + "r2"], [p + f"m{i}"]))
            term = out if i == len(coef) - 1 else p + f"t{i}"
            nodes.append(helper.make_node("Add", [p + f"m{i}", f"snake_c{i}"], [term]))
        at = list(graph.node).index(sin)
        graph.node.remove(sin)
        graph.node.remove(after[0])
        for j, node in enumerate(nodes):
            graph.node.insert(at + j, node)
        done += 1
    return done


def _save_back(model, xml: Path) -> None:  # noqa: ANN001 (onnx ModelProto)
    """The back as OpenVINO IR with float16 weights: 160 MB, not 325, and 220 MB of memory once
    compiled instead of 630. It runs in bf16 anyway where the CPU has it; elsewhere f32 on these
    weights moves the voice 0.01-0.02 dB from the float graph. Written under temporary names and
    renamed, weights first: a reader never meets half a graph."""
    import tempfile

    import openvino as ov

    with tempfile.TemporaryDirectory(dir=xml.parent) as tmp:
        onnx_path = Path(tmp) / "back.onnx"
        onnx_path.write_bytes(model.SerializeToString())
        ov.save_model(ov.Core().read_model(str(onnx_path)), str(Path(tmp) / "back.xml"),
                      compress_to_fp16=True)
        (Path(tmp) / "back.bin").replace(xml.with_suffix(".bin"))
        (Path(tmp) / "back.xml").replace(xml)


def cpu_has_bf16() -> bool:
    """Whether OpenVINO's CPU plugin runs bf16 here (AMX or AVX512-BF16): the split pays only then.
    False where OpenVINO will not even load its CPU plugin: Kokoro then keeps onnxruntime."""
    try:
        import openvino as ov

        return "BF16" in ov.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES")
    except Exception as err:  # a broken install: the voice must still load
        log.warning("OpenVINO's CPU plugin did not answer (%s): Kokoro runs on onnxruntime", err)
        return False


@dataclass(frozen=True)
class _Output:
    name: str


class SplitSession:
    """An onnxruntime-like session (`run`, `get_inputs`, `get_outputs`) over the two graphs, so
    `kokoro_onnx.Kokoro.from_session` drives it as it drives one graph."""

    def __init__(self, threads: int = 1, cache_dir: Path | None = None, rebuild: bool = False) -> None:
        import onnxruntime as ort
        import openvino as ov

        front, back = ensure_split(cache_dir, rebuild)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self._front = ort.InferenceSession(str(front), opts, providers=["CPUExecutionProvider"])
        self._cut = [o.name for o in self._front.get_outputs()][1:]
        self._model_path = str(back)
        # No pinning: the GUI, the LLM and this worker share the cores.
        config = {"INFERENCE_NUM_THREADS": threads, "ENABLE_CPU_PINNING": False,
                  "PERFORMANCE_HINT": "LATENCY"}
        compiled = ov.Core().compile_model(str(back), "CPU", config)
        hint = compiled.get_property("INFERENCE_PRECISION_HINT")
        self.precision = hint.to_string() if hasattr(hint, "to_string") else str(hint)
        self._back_inputs = {i.get_any_name() for i in compiled.inputs}
        self._back = compiled.create_infer_request()
        self._audio = compiled.outputs[0]
        self._lock = threading.Lock()

    def get_inputs(self):  # noqa: ANN201 (onnxruntime NodeArg)
        return self._front.get_inputs()

    def get_outputs(self) -> list[_Output]:
        return [_Output(AUDIO), _Output(DURATION)]

    def get_modelmeta(self):  # noqa: ANN201
        return self._front.get_modelmeta()

    def get_providers(self) -> list[str]:
        return [f"OpenVINO CPU ({self.precision}) + onnxruntime CPU (float32)"]

    def run(self, output_names: list[str] | None, feed: dict[str, np.ndarray]) -> list[np.ndarray]:
        duration, *cut = self._front.run(None, feed)
        inputs = {"style": feed["style"], **dict(zip(self._cut, cut, strict=True))}
        with self._lock:  # one infer request
            audio = self._back.infer({k: v for k, v in inputs.items() if k in self._back_inputs})
        return [np.asarray(audio[self._audio]).copy(), duration]
