"""Atomic writes: all or nothing, exact modes, no temporary files left behind."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from vhost.base.files import atomic_write_bytes, atomic_write_text, atomic_writer


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_writes_replace_the_file_and_leave_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "settings.toml"  # the folder is created
    atomic_write_text(path, "a = 1\n")
    atomic_write_text(path, "a = 2 # 二\n")
    assert path.read_text(encoding="utf-8") == "a = 2 # 二\n"
    atomic_write_bytes(path, b"\x00\xff")
    assert path.read_bytes() == b"\x00\xff"
    assert [p.name for p in path.parent.iterdir()] == ["settings.toml"]


def test_an_error_mid_write_leaves_the_old_content(tmp_path: Path) -> None:
    path = tmp_path / "model.bin"
    path.write_bytes(b"old")
    with pytest.raises(ValueError), atomic_writer(path) as fh:
        fh.write(b"half a ")
        raise ValueError("checksum mismatch")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.bin"]


def test_mode_is_exact_and_replaces_a_laxer_one(tmp_path: Path) -> None:
    path = tmp_path / "control-token"
    path.write_text("old")
    path.chmod(0o644)
    atomic_write_text(path, "secret", mode=0o600)
    assert _mode(path) == 0o600 and path.read_text() == "secret"
    atomic_write_bytes(path, b"model", mode=0o644)
    assert _mode(path) == 0o644
