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


@pytest.fixture(autouse=True)
def _qt_garbage_on_the_gui_thread(request: pytest.FixtureRequest):
    """After a Qt test, collect its garbage here, on the GUI thread. Left to Python's collector,
    a test's widgets and bridges were freed whenever any thread next allocated: in a later test
    that is a show's core thread, and a QObject deleted off its own thread crashed the process
    (test_console's chat bursts, then test_console_live: a segfault in the GUI event loop)."""
    yield
    if "qtbot" in request.fixturenames:
        import gc

        gc.collect()
