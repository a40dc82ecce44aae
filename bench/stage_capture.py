"""The stage in a real window vs. the offscreen render, plus screenshots for the docs.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m bench.stage_capture \
        --layout landscape --out docs/screenshots
    xvfb-run -a -s "-screen 0 1080x1920x24" .venv/bin/python -m bench.stage_capture \
        --layout portrait --out docs/screenshots --gallery

A frameless StageWindow shows one frozen instant of the demo show at its native size on the X
server; the X screen is grabbed (QScreen.grabWindow on the root window: what OBS's window/screen
capture sees) and compared with StageRenderer.render_image of the same scene by SSIM. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np


def to_rgb(img) -> np.ndarray:
    from PySide6.QtGui import QImage

    img = img.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    return rows[:, : img.width() * 3].reshape(img.height(), img.width(), 3).copy()


def save_small(img, path: Path, width: int, limit: int = 400_000) -> int:
    from PySide6.QtCore import Qt

    while True:
        small = img.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        small.save(str(path))
        size = path.stat().st_size
        if size < limit or width < 300:
            return size
        width = int(width * 0.85)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--layout", default="landscape")
    ap.add_argument("--at", type=float, default=None)
    ap.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    ap.add_argument("--gallery", action="store_true")
    args = ap.parse_args()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    from skimage.metrics import structural_similarity

    from vhost.avatar.character import generate_character
    from vhost.stage.demo_scene import DemoShow
    from vhost.stage.gallery import render_gallery
    from vhost.stage.renderer import StageRenderer
    from vhost.stage.visuals import product_visual
    from vhost.stage.visuals_worker import default_cache_dir
    from vhost.stage.window import StageWindow

    qapp = QApplication.instance() or QApplication([])
    show = DemoShow(seed=7)
    for p in show.products:
        v = product_visual(p.id, p.name, str(p.images[0]) if p.images else None, default_cache_dir())
        show.visuals[p.id] = (v.image, v.accent)
    at = args.at if args.at is not None else (8.3 if args.layout == "landscape" else 47.0)
    scene = show.scene_at(at)
    renderer = StageRenderer(generate_character(7), args.layout, "#00B140")
    window = StageWindow(renderer, lambda: scene, fps=30)
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    window.move(0, 0)
    window.resize(renderer.size)
    window.show()
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.01)
    screen = qapp.primaryScreen()
    grab = screen.grabWindow(0).toImage()  # the X root window: what a screen capture sees
    offscreen = renderer.render_image(scene)
    g = to_rgb(grab)[: renderer.size.height(), : renderer.size.width()]
    o = to_rgb(offscreen)
    result = {"qpa": qapp.platformName(), "layout": args.layout, "t": at,
              "screen": f"{screen.size().width()}x{screen.size().height()}",
              "window": f"{window.width()}x{window.height()}"}
    if g.shape == o.shape:
        result["ssim_window_vs_offscreen"] = round(
            float(structural_similarity(g, o, channel_axis=2, data_range=255)), 4)
        result["mean_abs_diff"] = round(float(np.abs(g.astype(int) - o.astype(int)).mean()), 3)
    else:
        result["error"] = f"grab {g.shape} vs render {o.shape}"
    args.out.mkdir(parents=True, exist_ok=True)
    name = f"stage-{args.layout}.png"
    result[name] = save_small(grab, args.out / name, 1280 if args.layout == "landscape" else 720)
    if args.gallery:
        result["gallery.png"] = save_small(render_gallery(list(range(1, 13))), args.out / "gallery.png",
                                           1200)
    window.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
