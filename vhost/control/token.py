"""The control API's bearer token: given on the command line, or generated once and kept in the
data dir with 0600 permissions (only this user can read it), so a Stream Deck setup survives a
restart."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from vhost.base.files import atomic_write_text
from vhost.base.paths import data_dir

TOKEN_FILE = "control-token"


def load_or_create_token(explicit: str | None = None, path: Path | None = None) -> str:
    path = path or data_dir() / TOKEN_FILE
    if explicit:
        if len(explicit) < 8:
            raise ValueError("the control token must be at least 8 characters")
        atomic_write_text(path, explicit, mode=0o600)
        return explicit
    if path.exists():
        token = path.read_text().strip()
        if token:
            os.chmod(path, 0o600)
            return token
    token = secrets.token_urlsafe(32)
    atomic_write_text(path, token, mode=0o600)
    return token
