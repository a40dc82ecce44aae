import os
from pathlib import Path

import pytest

# Qt without a screen; models never from a hub.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Converted test models are cached here between runs (a fresh clone converts once, ~20 s).
os.environ.setdefault("VHOST_DATA_DIR", str(Path(__file__).resolve().parents[1] / ".cache" / "test-data"))
# The LLM tests share that folder, so SmolLM2 is converted once for the whole suite.
os.environ.setdefault("VHOST_TEST_DATA_DIR", os.environ["VHOST_DATA_DIR"])


@pytest.fixture(scope="session")
def session_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Data dir shared by every test module, so a model is converted once per session."""
    persistent = os.environ.get("VHOST_TEST_DATA_DIR")
    path = Path(persistent) if persistent else tmp_path_factory.getbasetemp() / "vhost-data"
    path.mkdir(parents=True, exist_ok=True)
    return path
