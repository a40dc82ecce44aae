"""The control API's bearer token: generated once and kept in the data dir with 0600 permissions
(only this user can read it), so a Stream Deck setup survives a restart.

A token given for one run (`--control-token`, or `[control] token` in a config file) is used for
that run only: the stored token stays as it was, so the next plain start still matches the Stream
Deck. `--save-control-token` (save_token) makes a given token the stored one.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from vhost.base.files import atomic_write_text
from vhost.base.paths import data_dir

TOKEN_FILE = "control-token"
MIN_LENGTH = 8


def token_path() -> Path:
    return data_dir() / TOKEN_FILE


def check_token(token: str) -> str:
    if len(token) < MIN_LENGTH:
        raise ValueError(f"the control token must be at least {MIN_LENGTH} characters")
    return token


def save_token(token: str, path: Path | None = None) -> Path:
    """Store `token` as the one later runs use (0600). Returns the file."""
    path = path or token_path()
    atomic_write_text(path, check_token(token), mode=0o600)
    return path


def load_or_create_token(explicit: str | None = None, path: Path | None = None) -> str:
    """`explicit` when given (for this run only: nothing is written), else the stored token,
    else a new one, stored."""
    path = path or token_path()
    if explicit:
        return check_token(explicit)
    if path.exists():
        token = path.read_text().strip()
        if token:
            os.chmod(path, 0o600)
            return token
    token = secrets.token_urlsafe(32)
    atomic_write_text(path, token, mode=0o600)
    return token


def describe_source(from_command_line: bool, from_config: bool, saved: bool = False, path: Path | None = None) -> str:
    """Which token the control API uses, in words for the operator."""
    path = path or token_path()
    if from_command_line and saved:
        return f"control API token: from --control-token, saved to {path} for later runs"
    if from_command_line:
        return (f"control API token: from --control-token, for this run only (the stored token in {path} "
                "is unchanged; add --save-control-token to keep it)")
    if from_config:
        return "control API token: from the config file ([control] token)"
    return f"control API token: the stored one ({path}; generated on first use)"
