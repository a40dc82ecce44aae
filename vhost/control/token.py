"""The control API's bearer token: given on the command line, or generated once and kept in the
data dir with 0600 permissions (only this user can read it), so a Stream Deck setup survives a
restart."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from vhost.core.paths import data_dir

TOKEN_FILE = "control-token"


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing file keeps its old mode through O_CREAT: fix it
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def load_or_create_token(explicit: str | None = None, path: Path | None = None) -> str:
    path = path or data_dir() / TOKEN_FILE
    if explicit:
        if len(explicit) < 8:
            raise ValueError("the control token must be at least 8 characters")
        _write_private(path, explicit)
        return explicit
    if path.exists():
        token = path.read_text().strip()
        if token:
            os.chmod(path, 0o600)
            return token
    token = secrets.token_urlsafe(32)
    _write_private(path, token)
    return token
