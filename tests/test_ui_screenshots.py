"""The screenshot script renders a populated console in both languages (offscreen here; under
Xvfb for the docs)."""

import importlib.util
from pathlib import Path

from PySide6.QtGui import QImage

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "console_screenshots.py"


def test_console_renders_populated_in_both_languages(qtbot, tmp_path):
    spec = importlib.util.spec_from_file_location("console_screenshots", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for lang in ("en", "zh"):
        img = QImage(str(mod.render(lang, tmp_path, (1200, 800))))
        assert (img.width(), img.height()) == (1200, 800)
        # a populated window: many distinct colours (text, lights, cards), not a blank frame
        colors = {img.pixel(x, y) for x in range(0, 1200, 7) for y in range(0, 800, 7)}
        assert len(colors) > 40


def test_dashboard_renders_populated_in_both_languages(qtbot, tmp_path):
    spec = importlib.util.spec_from_file_location("console_screenshots", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for lang in ("en", "zh"):
        path = mod.render(lang, tmp_path, (1200, 800), dashboard=True)
        assert path.name == f"console-dashboard-{lang}.png"
        img = QImage(str(path))
        assert (img.width(), img.height()) == (1200, 800)
        colors = {img.pixel(x, y) for x in range(0, 1200, 7) for y in range(0, 800, 7)}
        assert len(colors) > 40
