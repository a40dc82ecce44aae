import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import importlib.util  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PRODUCTS = ROOT / "assets" / "demo" / "products"
NAMES = ("mug.png", "earbuds.png", "lamp.png")


def _script():
    spec = importlib.util.spec_from_file_location(
        "make_demo_assets", ROOT / "scripts" / "make_demo_assets.py"
    )
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", NAMES)
def test_committed_product_images(name):
    path = PRODUCTS / name
    assert path.is_file()
    assert path.stat().st_size < 150 * 1024
    img = QImage(str(path))
    assert not img.isNull() and (img.width(), img.height()) == (600, 600)


def test_script_is_deterministic_and_matches_the_committed_files(qapp, tmp_path):
    module = _script()
    assert module.main(["--out", str(tmp_path)]) == 0
    for name in NAMES:
        fresh, kept = QImage(str(tmp_path / name)), QImage(str(PRODUCTS / name))
        assert fresh == kept, name
        # Not a blank canvas: the product covers a good part of the frame.
        corner = fresh.pixelColor(2, 2)
        centre = fresh.pixelColor(300, 300)
        assert corner != centre
