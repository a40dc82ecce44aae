"""Stage renderer: golden snapshots, determinism, and that every mouth shape and emotion shows.

Regenerate the goldens after an intended visual change with
    VHOST_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_stage_renderer.py
and look at the PNGs in tests/golden/ before committing them.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import itertools  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PySide6.QtCore import QRectF, QSize  # noqa: E402
from PySide6.QtGui import QFontDatabase, QImage, QPainter  # noqa: E402
from skimage.metrics import structural_similarity  # noqa: E402

from vhost.avatar.character import generate_character  # noqa: E402
from vhost.avatar.pose import EMOTIONS, VISEME_OPENNESS, VISEMES, RigPose  # noqa: E402
from vhost.stage.layout import SAFE_MARGIN  # noqa: E402
from vhost.stage.renderer import StageRenderer  # noqa: E402
from vhost.stage.scene import ProductView, StageScene  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).resolve().parent / "golden"
MUG = str(ROOT / "assets" / "demo" / "products" / "mug.png")
SMALL = QSize(960, 540)
UPDATE = os.environ.get("VHOST_UPDATE_GOLDEN") == "1"

CAPTION_EN = "This travel mug keeps coffee hot for six hours, and the cork sleeve stays cool."
CAPTION_ZH = "这款旅行杯保温六小时，软木套拿在手里一点也不烫。现在下单立减九块钱！"


def to_array(img: QImage, channels: int = 3) -> np.ndarray:
    """HxWxC uint8 copy of a QImage (RGB, or RGBA with channels=4)."""
    img = img.convertToFormat(QImage.Format.Format_RGBA8888)
    rows = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    return rows[:, : img.width() * 4].reshape(img.height(), img.width(), 4)[:, :, :channels].copy()


def ssim(a: np.ndarray, b: np.ndarray) -> float:
    return float(structural_similarity(a, b, channel_axis=2, data_range=255))


def product() -> ProductView:
    return ProductView(
        id="mug",
        name="Ceramic Travel Mug 350 ml",
        price=24.99,
        currency="USD",
        original_price=33.99,
        image_path=MUG,
        tagline="Keeps drinks hot for 6 h · dishwasher safe · leak-proof lid",
        offer_ends_in_s=299.2,
    )


def scene(caption: str = CAPTION_EN, pose: RigPose | None = None, **kw) -> StageScene:
    pose = pose or RigPose(viseme="AI", mouth_open=0.7, emotion="happy", talking=True)
    return StageScene(
        t=12.0,
        pose=pose,
        product=kw.pop("product", product()),
        caption=caption,
        question_user=kw.pop("question_user", "mika_23"),
        question_text=kw.pop("question_text", "Does it fit in a car cup holder?"),
    )


def check_golden(name: str, img: QImage) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail(f"golden {path} missing; run with VHOST_UPDATE_GOLDEN=1 to create it")
        GOLDEN.mkdir(parents=True, exist_ok=True)
        img.convertToFormat(QImage.Format.Format_RGB888).save(str(path))
    golden = QImage(str(path))
    assert not golden.isNull(), path
    assert golden.size() == img.size()
    score = ssim(to_array(img), to_array(golden))
    assert score >= 0.98, f"{name}: SSIM {score:.4f} < 0.98 (see {path})"


@pytest.fixture(scope="module")
def cjk_font(qapp):
    if "WenQuanYi Micro Hei" not in QFontDatabase.families():
        pytest.skip("goldens were drawn with WenQuanYi Micro Hei (Debian fonts-wqy-microhei)")


@pytest.fixture(scope="module")
def landscape(qapp) -> StageRenderer:
    return StageRenderer(generate_character(7), "landscape", "#00B140")


def test_golden_landscape_english(cjk_font, landscape):
    check_golden("stage_landscape_en.png", landscape.render_image(scene(), SMALL))


def test_golden_landscape_chinese(cjk_font, landscape):
    check_golden("stage_landscape_zh.png", landscape.render_image(scene(CAPTION_ZH), SMALL))


def test_golden_portrait(cjk_font, qapp):
    r = StageRenderer(generate_character(7), "portrait", "gradient")
    img = r.render_image(scene(), QSize(540, 960))
    check_golden("stage_portrait_en.png", img)


def test_same_seed_renders_identically(qapp):
    a = StageRenderer(generate_character(7)).render_image(scene(), SMALL)
    b = StageRenderer(generate_character(7)).render_image(scene(), SMALL)
    assert np.array_equal(to_array(a), to_array(b))
    # The same renderer again (now from its caches) gives the same frame too.
    r = StageRenderer(generate_character(7))
    first = to_array(r.render_image(scene(), SMALL))
    assert np.array_equal(first, to_array(r.render_image(scene(), SMALL)))


def test_different_seeds_look_different(qapp, landscape):
    base = to_array(landscape.render_image(scene(), SMALL))
    avatar = landscape.avatar_rect
    x0, y0, x1, y1 = (int(v / 2) for v in (avatar.left(), avatar.top(), avatar.right(), 800))
    for seed in (8, 9, 100):
        other = to_array(StageRenderer(generate_character(seed)).render_image(scene(), SMALL))
        whole = ssim(base, other)
        bust = ssim(base[y0:y1, x0:x1], other[y0:y1, x0:x1])
        assert whole < 0.97 and bust < 0.9, (seed, whole, bust)


def _mouth_crop(r: StageRenderer, pose: RigPose) -> np.ndarray:
    m = r.mouth_rect()
    x0, y0, x1, y1 = (int(v / 2) for v in (m.left(), m.top(), m.right(), m.bottom()))
    img = r.render_image(StageScene(t=0.0, pose=pose), SMALL)
    return to_array(img)[y0:y1, x0:x1].astype(np.float64)


def _changed(a: np.ndarray, b: np.ndarray) -> float:
    """Fraction of pixels that visibly differ (summed RGB difference > 40)."""
    return float((np.abs(a - b).sum(axis=2) > 40).mean())


@pytest.mark.parametrize("seed", [7, 2, 11])
def test_each_viseme_draws_a_distinct_mouth(qapp, seed):
    r = StageRenderer(generate_character(seed))
    crops = {v: _mouth_crop(r, RigPose(viseme=v, mouth_open=VISEME_OPENNESS[v])) for v in VISEMES}
    # Every pair, rest included, differs in at least ~2% of the mouth box (the closest pair,
    # FV vs rest, is ~4%; open shapes differ by 15-40%).
    for a, b in itertools.combinations(VISEMES, 2):
        assert _changed(crops[a], crops[b]) > 0.02, (a, b)


def test_mouth_open_opens_the_mouth(qapp, landscape):
    shut = _mouth_crop(landscape, RigPose(viseme="AI", mouth_open=0.1))
    half = _mouth_crop(landscape, RigPose(viseme="AI", mouth_open=0.45))
    wide = _mouth_crop(landscape, RigPose(viseme="AI", mouth_open=0.9))
    # The dark mouth interior grows with mouth_open.
    dark = [int((c.mean(axis=2) < 90).sum()) for c in (shut, half, wide)]
    assert dark[0] < dark[1] < dark[2], dark


def test_each_emotion_differs(qapp, landscape):
    frames = {
        e: to_array(
            landscape.render_image(StageScene(t=0.0, pose=RigPose(emotion=e)), SMALL)
        ).astype(float)
        for e in EMOTIONS
    }
    for a, b in itertools.combinations(EMOTIONS, 2):
        assert np.abs(frames[a] - frames[b]).mean() > 0.5, (a, b)


def test_blink_closes_the_eyes(qapp, landscape):
    a = to_array(landscape.render_image(StageScene(t=0.0, pose=RigPose(blink=0.0)), SMALL))
    b = to_array(landscape.render_image(StageScene(t=0.0, pose=RigPose(blink=1.0)), SMALL))
    diff = np.abs(a.astype(int) - b.astype(int)).sum(axis=2) > 30
    ys, _ = np.nonzero(diff)
    mouth_top = landscape.mouth_rect().top() / 2
    assert diff.sum() > 200 and ys.max() < mouth_top  # only the eye region changed


def test_painting_into_a_scaled_painter_matches_render_image(qapp, landscape):
    img = QImage(SMALL, QImage.Format.Format_ARGB32_Premultiplied)
    p = QPainter(img)
    p.scale(0.5, 0.5)
    landscape.paint(p, scene())
    p.end()
    assert np.array_equal(to_array(img), to_array(landscape.render_image(scene(), SMALL)))


def test_backgrounds(qapp):
    c = generate_character(7)
    bare = StageScene(t=0.0, pose=RigPose())
    clear = to_array(StageRenderer(c, background="transparent").render_image(bare, SMALL), 4)
    assert clear[0, 0, 3] == 0 and clear[-1, -1, 3] == 0  # corners see through
    assert clear[300, 280, 3] == 255  # the avatar is solid
    grad = to_array(StageRenderer(c, background="gradient").render_image(bare, SMALL), 4)
    assert grad[:, :, 3].min() == 255
    green = to_array(StageRenderer(c).render_image(bare, SMALL), 4)
    assert tuple(green[5, 5]) == (0x00, 0xFF, 0x00, 255)  # OBS 29's default key colour
    with pytest.raises(ValueError, match="background"):
        StageRenderer(c, background="plaid")
    with pytest.raises(ValueError, match="layout"):
        StageRenderer(c, layout="square")


def test_portrait_keeps_overlays_out_of_platform_ui_zones(qapp):
    r = StageRenderer(generate_character(7), "portrait", "transparent")
    assert (r.size.width(), r.size.height()) == (1080, 1920)
    long_caption = " ".join([CAPTION_EN] * 4)
    img = to_array(r.render_image(scene(long_caption), QSize(540, 960)), 4)
    band = round(960 * SAFE_MARGIN)
    assert img[:band, :, 3].max() == 0, "something drawn in the top safe zone"
    assert img[-band:, :, 3].max() == 0, "something drawn in the bottom safe zone"
    assert img[band:-band, :, 3].max() == 255


def test_card_and_overlays_appear_only_when_set(qapp, landscape):
    full = to_array(landscape.render_image(scene(), SMALL))
    bare = to_array(
        landscape.render_image(
            scene("", product=None, question_user="", question_text=""), SMALL
        )
    )
    card = landscape.layout.card
    cx0, cy0, cx1, cy1 = (
        int(v / 2) for v in (card.left(), card.top(), card.right(), card.bottom())
    )
    assert np.abs(full[cy0:cy1, cx0:cx1].astype(int) - bare[cy0:cy1, cx0:cx1]).mean() > 50
    # Without a product the card area is plain background.
    assert (bare[cy0:cy1, cx0:cx1] == bare[cy0, cx0]).all()


def test_countdown_and_discount_change_the_card(qapp, landscape):
    base = to_array(landscape.render_image(scene(), SMALL))
    later = scene(product=ProductView(**{**product().__dict__, "offer_ends_in_s": 61.0}))
    no_deal = scene(product=ProductView(**{**product().__dict__, "original_price": None}))
    card = landscape.layout.card
    cx0, cy0, cx1, cy1 = (
        int(v / 2) for v in (card.left(), card.top(), card.right(), card.bottom())
    )
    for other in (later, no_deal):
        img = to_array(landscape.render_image(other, SMALL))
        assert not np.array_equal(img[cy0:cy1, cx0:cx1], base[cy0:cy1, cx0:cx1])
        # ...and nothing outside the card moved.
        outside = np.ones(base.shape[:2], bool)
        outside[cy0 - 12 : cy1 + 12, cx0 - 12 : cx1 + 12] = False
        assert np.array_equal(img[outside], base[outside])


def test_missing_product_image_draws_a_placeholder(qapp, landscape):
    broken = scene(product=ProductView(**{**product().__dict__, "image_path": "/nope/none.png"}))
    img = landscape.render_image(broken, SMALL)
    assert not img.isNull()


def test_render_image_other_aspect_is_letterboxed(qapp, landscape):
    img = to_array(landscape.render_image(scene(), QSize(400, 400)), 4)
    assert img.shape == (400, 400, 4)
    assert tuple(img[5, 200, :3]) == (0, 0, 0)  # bar above the 16:9 stage
    assert tuple(img[200, 5, :3]) == (0x00, 0xB1, 0x40)  # stage background


def test_mouth_rect_is_inside_the_avatar(qapp, landscape):
    m, a = landscape.mouth_rect(), landscape.avatar_rect
    assert a.contains(m) and isinstance(m, QRectF)
