"""Product visuals: cut-out from a plain backdrop, shadow, palette, placeholder, disk cache, and
the worker process that computes them off the stage thread."""

import asyncio
import os

import cv2
import numpy as np
import pytest

from vhost.stage.visuals import cutout, dominant_colors, pick_accent, placeholder, product_visual
from vhost.stage.visuals_worker import ProductVisuals, prefetch_visuals


def photo(tmp_path, name="red.png") -> str:
    """A red bottle with a blue cap on a light, slightly vignetted backdrop with a soft shadow."""
    img = np.full((400, 300, 3), (236, 240, 243), np.uint8)
    yy, xx = np.mgrid[:400, :300]
    img = (img - (((xx - 150) ** 2 + (yy - 200) ** 2) / 250000.0 * 25)[..., None]).astype(np.uint8)
    cv2.ellipse(img, (150, 352), (70, 10), 0, 0, 360, (222, 225, 228), -1)  # soft contact shadow
    cv2.rectangle(img, (110, 110), (190, 350), (40, 40, 210), -1)  # BGR red body
    cv2.rectangle(img, (120, 70), (180, 112), (200, 90, 30), -1)  # blue cap
    path = tmp_path / name
    cv2.imwrite(str(path), img)
    return str(path)


def test_cutout_separates_product_from_backdrop(tmp_path):
    bgr = cv2.imread(photo(tmp_path))
    rgba, ok = cutout(cv2.cvtColor(bgr, cv2.COLOR_BGR2BGRA))
    assert ok
    # Cropped to the object (cap top to body bottom), backdrop and its shadow transparent.
    h, w = rgba.shape[:2]
    assert 270 <= h <= 295 and 75 <= w <= 100, (h, w)
    a = rgba[:, :, 3]
    assert a[h // 2, w // 2] >= 250 and a[8, w // 2] >= 250  # body and cap kept
    assert a[5, 2] < 20  # the backdrop beside the cap is gone


def test_palette_and_accent_follow_the_product(tmp_path):
    bgr = cv2.imread(photo(tmp_path))
    rgba, _ = cutout(cv2.cvtColor(bgr, cv2.COLOR_BGR2BGRA))
    palette = dominant_colors(rgba)
    r, g, b = (int(palette[0][i : i + 2], 16) for i in (1, 3, 5))
    assert r > 150 and g < 90 and b < 90  # red dominates the bottle
    assert pick_accent(palette) == palette[0]
    assert pick_accent(("#EEEEEE", "#202020")) == "#E5484D"  # a neutral product: stage red


def test_placeholder_and_cache(tmp_path):
    ph = placeholder("无图商品")
    assert ph.shape == (480, 480, 4) and ph[240, 240, 3] == 255 and ph[0, 0, 3] == 0
    cache = tmp_path / "cache"
    none = product_visual("box", "Mystery box", None, cache)
    assert not none.cutout and os.path.isfile(none.image)
    src = photo(tmp_path)
    v1 = product_visual("bottle", "Bottle", src, cache)
    assert v1.cutout and v1.image.endswith(".png")
    shadowed = cv2.imread(v1.image, cv2.IMREAD_UNCHANGED)
    assert shadowed.shape[2] == 4
    # The soft shadow: translucent dark pixels below the object.
    col = shadowed[:, shadowed.shape[1] // 2, 3]
    assert ((col > 5) & (col < 200)).sum() > 10
    mtime = os.path.getmtime(v1.image)
    assert product_visual("bottle", "Bottle", src, cache) == v1  # from the cache...
    assert os.path.getmtime(v1.image) == mtime  # ...not recomputed
    # A new photo for the same product is a new cache entry.
    other = photo(tmp_path, "other.png")
    img = cv2.imread(other)
    img[120:340, 120:180] = (30, 160, 30)
    cv2.imwrite(other, img)
    assert product_visual("bottle", "Bottle", other, cache).image != v1.image


def test_unreadable_photo_falls_back_to_a_placeholder(tmp_path):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"garbage")
    v = product_visual("x", "X", str(bad), tmp_path / "c")
    assert not v.cutout and os.path.isfile(v.image)
    v2 = product_visual("y", "Y", str(tmp_path / "missing.png"), tmp_path / "c")
    assert not v2.cutout


def test_default_cache_dir_lives_in_the_data_dir(tmp_path, monkeypatch):
    # One data dir for everything vhost caches, with the same "~" handling as the rest.
    from vhost.base.paths import data_dir
    from vhost.stage.visuals_worker import default_cache_dir

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("VHOST_DATA_DIR", "~/vhost-data")
    assert default_cache_dir() == data_dir() / "visuals" == tmp_path / "vhost-data" / "visuals"


@pytest.mark.timeout(120)
def test_worker_process_computes_once_and_feeds_the_stage(tmp_path):
    from vhost.base.paths import repo_root
    from vhost.brain.catalog import load_catalog
    from vhost.stage.live import LiveStage

    src = photo(tmp_path)
    catalog = load_catalog(repo_root() / "assets/demo/catalog.toml")
    stage = LiveStage(1)
    stage.set_product(catalog.products[0], now=0.0)

    async def run():
        visuals = ProductVisuals(tmp_path / "cache")
        visuals.start()
        try:
            a = await visuals.get("bottle", "Bottle", src)
            b = await visuals.get("bottle", "Bottle", src)
            n = await prefetch_visuals(visuals, catalog.products[:2], stage)
            return a, b, n, visuals.client
        finally:
            await visuals.close()

    a, b, n, client = asyncio.run(run())
    assert a == b and a.cutout and os.path.isfile(a.image)
    assert client.restarts == 0 and n == 2
    card = stage.scene_at(1.0).product
    assert card.visual_path and os.path.isfile(card.visual_path) and card.accent
