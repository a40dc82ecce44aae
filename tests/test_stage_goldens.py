"""Golden images for the demo show in both layouts (with product visuals), every viseme and every
emotion. The set is small in bytes: downscaled frames and one contact sheet per category, each
cell compared on its own with SSIM so a failure names the viseme or emotion.

Regenerate after an intended visual change with
    VHOST_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_stage_goldens.py
and LOOK at the PNGs in tests/golden/ before committing them.
"""

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFontDatabase, QImage, QPainter

from tests.test_stage_renderer import UPDATE, ssim, to_array
from vhost.avatar.character import generate_character
from vhost.avatar.pose import EMOTIONS, VISEME_OPENNESS, VISEMES, RigPose
from vhost.stage.avatar.face import MOUTH_Y
from vhost.stage.avatar.painter import BUST_BOX, paint_character
from vhost.stage.demo_scene import DemoShow
from vhost.stage.renderer import StageRenderer
from vhost.stage.visuals import product_visual

GOLDEN = Path(__file__).resolve().parent / "golden"
THRESHOLD = 0.97
CELL = 128  # px per viseme cell (mouth crop) and per emotion cell (face crop)


@pytest.fixture(scope="module")
def fonts(qapp):
    """pytest-qt's QApplication, and the font the goldens were drawn with."""
    if "WenQuanYi Micro Hei" not in QFontDatabase.families():
        pytest.skip("goldens were drawn with WenQuanYi Micro Hei (Debian fonts-wqy-microhei)")
    return qapp


@pytest.fixture(scope="module")
def demo(fonts, tmp_path_factory):
    """One demo show for the module: the product cut-outs take ~1.3 s to make."""
    show = DemoShow(seed=7)
    cache = tmp_path_factory.mktemp("visuals")
    for p in show.products[:2]:  # the products on screen at the golden instants
        v = product_visual(p.id, p.name, str(p.images[0]), cache)
        show.visuals[p.id] = (v.image, v.accent)
    return show


def compare(name: str, img: QImage, cells: list[str] | None = None, cell_w: int = 0) -> dict:
    """SSIM of the whole image, or per cell (named) for contact sheets."""
    path = GOLDEN / name
    if UPDATE:
        img.convertToFormat(QImage.Format.Format_RGB888).save(str(path))
    golden = QImage(str(path))
    assert not golden.isNull(), f"golden {path} missing; run with VHOST_UPDATE_GOLDEN=1"
    assert golden.size() == img.size()
    a, b = to_array(img), to_array(golden)
    if not cells:
        return {name: ssim(a, b)}
    return {c: ssim(a[:, i * cell_w : (i + 1) * cell_w], b[:, i * cell_w : (i + 1) * cell_w])
            for i, c in enumerate(cells)}


def sheet(poses: list[RigPose], face: bool) -> QImage:
    """One cell per pose: the mouth (visemes) or the whole face (emotions), seed 7."""
    c = generate_character(7)
    img = QImage(CELL * len(poses), CELL, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.white)
    p = QPainter(img)
    # Source squares in head-local units (origin between the eyes; BUST_BOX maps 1:1).
    src = QRectF(-260, -290, 520, 520) if face else QRectF(-100, MOUTH_Y - 100, 200, 200)
    k = CELL / src.width()
    for i, pose in enumerate(poses):
        p.save()
        p.setClipRect(QRectF(i * CELL, 0, CELL, CELL))
        p.translate(i * CELL - src.left() * k, -src.top() * k)
        p.scale(k, k)
        paint_character(p, BUST_BOX, c, pose)
        p.restore()
    p.end()
    return img


@pytest.mark.parametrize(("layout", "t", "size"), [("landscape", 5.0, QSize(640, 360)),
                                                   ("portrait", 47.0, QSize(360, 640))])
def test_demo_layout_golden(demo, layout, t, size):
    r = StageRenderer(generate_character(7), layout, "#00B140")
    score = compare(f"demo_{layout}.png", r.render_image(demo.scene_at(t), size))
    assert min(score.values()) >= THRESHOLD, score


def test_viseme_goldens(fonts):
    poses = [RigPose(viseme=v, mouth_open=VISEME_OPENNESS[v]) for v in VISEMES]
    scores = compare("visemes.png", sheet(poses, face=False), list(VISEMES), CELL)
    bad = {k: round(v, 4) for k, v in scores.items() if v < THRESHOLD}
    assert not bad, f"visemes off their golden: {bad}"


def test_emotion_goldens(fonts):
    poses = [RigPose(emotion=e, mouth_open=0.2, viseme="E") for e in EMOTIONS]
    img = sheet(poses, face=True)
    scores = compare("emotions.png", img, list(EMOTIONS), CELL)
    bad = {k: round(v, 4) for k, v in scores.items() if v < THRESHOLD}
    assert not bad, f"emotions off their golden: {bad}"
    # ...and they are visibly distinct from each other (not six copies of one face).
    arr = to_array(img).astype(float)
    cells = [arr[:, i * CELL : (i + 1) * CELL] for i in range(len(EMOTIONS))]
    for i in range(len(cells)):
        for j in range(i + 1, len(cells)):
            assert np.abs(cells[i] - cells[j]).mean() > 1.0, (EMOTIONS[i], EMOTIONS[j])


def test_same_seed_same_frame_different_seed_differs(demo):
    a = StageRenderer(generate_character(7), "landscape").render_image(demo.scene_at(12.3))
    b = StageRenderer(generate_character(7), "landscape").render_image(demo.scene_at(12.3))
    c = StageRenderer(generate_character(8), "landscape").render_image(demo.scene_at(12.3))
    assert to_array(a).tobytes() == to_array(b).tobytes()
    assert np.abs(to_array(a).astype(int) - to_array(c).astype(int)).mean() > 2.0


def test_card_slides_in_and_stock_bar_drains(demo):
    from dataclasses import replace

    r = StageRenderer(generate_character(7), "landscape", "#00B140")
    settled = demo.scene_at(5.0)
    card = r.layout.card
    x0, x1 = int(card.left() / 2), int(card.right() / 2)
    y0, y1 = int(card.top() / 2), int(card.bottom() / 2)

    def card_pixels(scene):
        a = to_array(r.render_image(scene, QSize(960, 540))).astype(int)
        return a[y0:y1, x0:x1]

    full = card_pixels(settled)
    entering = card_pixels(replace(settled, product_since=settled.t - 0.1))
    gone = card_pixels(replace(settled, product_since=settled.t))
    green = np.array([0x00, 0xB1, 0x40])
    # At the switch the card is off to the right (its area shows the chroma key), mid-way it
    # is partly in, and after CARD_IN_S it sits where the settled card is.
    assert (np.abs(gone - green).sum(axis=2) < 30).mean() > 0.9
    assert 0.05 < (np.abs(entering - green).sum(axis=2) < 30).mean() < 0.9
    assert np.array_equal(card_pixels(replace(settled, product_since=settled.t - 1.0)), full)
    low = card_pixels(replace(settled, product=replace(settled.product, stock=5)))
    orange = (np.abs(low - np.array([0xF0, 0x6A, 0x2A])).sum(axis=2) < 40).sum()
    assert orange > 20 and np.abs(low - full).mean() > 0.05  # "Only 5 left", bar turns orange
