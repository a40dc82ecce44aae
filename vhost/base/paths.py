"""Where vhost keeps things: per-user data (caches, converted models) and the repo's manifests."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "VHOST_DATA_DIR"


def data_dir() -> Path:
    """Per-user data folder (`$VHOST_DATA_DIR`, else the platform's user data dir), created on demand.

    The environment variable is read on every call, not once at import, so tests and tools can point
    a running process at a scratch folder.
    """
    configured = os.environ.get(DATA_DIR_ENV)
    path = Path(configured).expanduser() if configured else Path(platformdirs.user_data_dir("vhost"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def repo_root() -> Path:
    """The source checkout's root (the folder holding `vhost/`, `models/`, `tests/`)."""
    return Path(__file__).resolve().parents[2]


def models_dir() -> Path:
    """The repo's `models/` folder of model manifests (`*.toml`)."""
    return repo_root() / "models"
