"""The one-time conversion of a GGUF model into a transformers folder, cached in the data dir.

The GGUF a model package carries is dequantized by transformers in pure Python (~100 s for a 0.5B
model), so it is converted once into a float16 safetensors folder under `data_dir()/models/`
(named by model and file hash) that loads in seconds. A folder without its completion marker, or
with a truncated / unreadable safetensors file, is a partial conversion: deleted and rebuilt.
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tqdm import tqdm

from vhost.base.offline import hub_offline
from vhost.brain.model_store import (
    ModelManifest,
    Progress,
    file_sha256,
    find_manifest,
    report_progress,
    resolve_gguf,
    store_dir,
)

logger = logging.getLogger(__name__)

MARKER_NAME = "vhost-converted.json"
MARKER_FORMAT = 1
_FP16_MAX = 65504.0

# One conversion at a time per process: each needs several GB of RAM, and the dequantize progress
# hook swaps a module global in transformers.
_CONVERT_LOCK = threading.Lock()


def converted_dir(name: str, sha256: str) -> Path:
    """Where the conversion of a GGUF (by model name and file hash) lives."""
    return store_dir() / f"{name}-{sha256[:8]}"


def is_conversion_complete(folder: Path) -> bool:
    """True when folder holds a finished conversion: marker present, sizes match, headers readable."""
    try:
        marker = json.loads((folder / MARKER_NAME).read_text())
        files: dict[str, int] = marker["files"]
        if marker.get("format") != MARKER_FORMAT or not files:
            return False
        for name, size in files.items():
            if (folder / name).stat().st_size != size:
                return False
        from safetensors import safe_open

        for name in files:
            if name.endswith(".safetensors"):
                with safe_open(folder / name, framework="pt") as fh:
                    fh.keys()
    except Exception:  # any unreadable or inconsistent state means "rebuild"
        return False
    return True


def discard_conversion(folder: Path) -> None:
    """Delete a (broken) conversion so the next ensure_converted rebuilds it.

    Only folders inside the conversion cache qualify: a user's own model folder is never deleted.
    """
    if not is_cached_conversion(folder):
        raise ValueError(f"refusing to delete {folder}: not in the conversion cache {store_dir()}")
    shutil.rmtree(folder, ignore_errors=True)


def is_cached_conversion(folder: Path) -> bool:
    """True when folder lies in the conversion cache (so it may be discarded and rebuilt)."""
    return folder.resolve().parent == store_dir().resolve()


def ensure_converted(source: ModelManifest | str | Path, progress: Progress | None = None) -> Path:
    """A transformers model folder for source, converting a GGUF once (cached by name + sha256).

    source: a manifest (or its name), a .gguf path, or a Hugging Face folder (returned as it is).
    A cached conversion without its completion marker, or with a truncated / unreadable
    safetensors file, is deleted and rebuilt.
    """
    if not isinstance(source, ModelManifest):
        manifest = find_manifest(source)
        if manifest is None:
            path = Path(source).expanduser()
            if path.is_dir():
                if not (path / "config.json").is_file():
                    raise ValueError(f"{path} is a folder without config.json: not a model folder")
                return path
            if path.suffix.lower() != ".gguf":
                raise ValueError(f"{path} is neither a .gguf file nor a model folder")
            digest = file_sha256(path, progress)
            return _ensure(path, converted_dir(_slug(path.stem), digest), [], progress)
        source = manifest
    gguf = resolve_gguf(source, progress)
    return _ensure(gguf, converted_dir(source.name, source.file.sha256), source.eos_token_ids,
                   progress)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-.") or "model"


def _ensure(gguf: Path, out: Path, eos_ids: list[int], progress: Progress | None) -> Path:
    if is_conversion_complete(out):
        return out
    with _CONVERT_LOCK:
        if is_conversion_complete(out):  # another thread finished it while we waited
            return out
        if out.exists():
            logger.warning("discarding incomplete or damaged model cache %s", out)
            shutil.rmtree(out, ignore_errors=True)
        _convert(gguf, out, eos_ids, progress)
    return out


def _convert(gguf: Path, out: Path, eos_ids: list[int], progress: Progress | None) -> None:
    hub_offline()
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        # Parsing GGUF metadata (vocab, merges) in Python is a large share of the time: it gets its
        # own "reading" stage so the dequantizing fraction tracks the tensors alone.
        report_progress(progress, "reading", 0.0)
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name,
                                                  local_files_only=True)
        report_progress(progress, "reading", 0.5)
        with _forward_dequantize_progress(progress):
            model = AutoModelForCausalLM.from_pretrained(
                gguf.parent, gguf_file=gguf.name, dtype=torch.float32, local_files_only=True)
        report_progress(progress, "reading", 1.0)
        report_progress(progress, "dequantizing", 1.0)
        # The GGUF loader leaves quantizer state behind that makes save_pretrained raise.
        model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        if eos_ids:
            model.generation_config.eos_token_id = list(eos_ids)
        # float16 keeps more mantissa than bfloat16 (11 vs 8 bits) for dequantized 4-bit weights
        # and halves the disk of float32; bfloat16 only if some weight would overflow float16.
        peak = max(float(p.detach().abs().max()) for p in model.parameters())
        model.to(torch.float16 if peak < _FP16_MAX else torch.bfloat16)
        with tqdm(total=2, desc=f"saving {out.name}", leave=False) as bar:
            report_progress(progress, "saving", 0.0)
            model.save_pretrained(tmp, safe_serialization=True)
            bar.update()
            report_progress(progress, "saving", 0.5)
            tokenizer.save_pretrained(tmp)
            bar.update()
        del model
        gc.collect()
        files = {p.name: p.stat().st_size for p in sorted(tmp.iterdir()) if p.is_file()}
        marker = {"format": MARKER_FORMAT, "source": str(gguf), "files": files,
                  "eos_token_ids": list(eos_ids)}
        # The marker goes in last: a folder without it is a partial conversion.
        (tmp / MARKER_NAME).write_text(json.dumps(marker, indent=1))
        if out.exists():  # another process won the race; keep its copy if it is good
            if is_conversion_complete(out):
                return
            shutil.rmtree(out, ignore_errors=True)
        os.replace(tmp, out)
        report_progress(progress, "saving", 1.0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def _forward_dequantize_progress(progress: Progress | None) -> Iterator[None]:
    """Relay transformers' per-tensor GGUF progress bar to the callback.

    transformers only reports dequantization through a tqdm bar over the GGUF tensors; a GUI needs
    the same fraction during the ~100 s it takes, so the bar class is swapped for one that also
    calls back. Degrades to stage-level progress if transformers moves that bar.
    """
    try:
        import transformers.modeling_gguf_pytorch_utils as gguf_utils
    except ImportError:
        gguf_utils = None
    original = getattr(gguf_utils, "tqdm", None)
    if progress is None or gguf_utils is None or not isinstance(original, type):
        yield
        return

    class _Relay(original):  # type: ignore[misc, valid-type]
        # Per item, not via update(): tqdm's adaptive miniters skips updates when the first tensor
        # (the embedding) is slow, which left Qwen's progress at 0 until the end.
        def __iter__(self) -> Iterator[Any]:
            total = self.total or 0
            report_progress(progress, "reading", 1.0)
            report_progress(progress, "dequantizing", 0.0)
            for done, item in enumerate(super().__iter__(), start=1):
                yield item  # resumes once the caller has converted this tensor
                if total:
                    report_progress(progress, "dequantizing", done / total)

    gguf_utils.tqdm = _Relay
    try:
        yield
    finally:
        gguf_utils.tqdm = original
