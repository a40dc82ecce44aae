import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import time  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtGui import QImage  # noqa: E402

from vhost.avatar.animator import Animator, LipTrack  # noqa: E402
from vhost.avatar.character import generate_character  # noqa: E402
from vhost.base.audio_types import VisemeSpan  # noqa: E402
from vhost.stage.renderer import StageRenderer  # noqa: E402
from vhost.stage.scene import ProductView, StageScene  # noqa: E402
from vhost.stage.timing import FrameStats  # noqa: E402


def test_frame_stats_percentiles():
    stats = FrameStats(window=1000)
    t = 100.0
    stats.frame(t)
    for i in range(100):
        t += 0.050 if i == 99 else 0.033  # one late frame
        stats.frame(t)
        stats.render(5.0 + (i % 10))
    iv = stats.interval_ms
    assert iv.count == 100 and stats.frames == 101
    assert iv.p50 == pytest.approx(33.0)
    assert iv.max == pytest.approx(50.0)
    assert iv.p99 > iv.p50
    assert stats.render_ms.p50 == pytest.approx(9.5)
    assert stats.fps == pytest.approx(1000 / (iv.max / 100 + 33 * 0.99), rel=1e-3)
    summary = stats.summary()
    assert summary["interval_p95_ms"] == pytest.approx(33.0)
    assert "p50=" in str(iv)
    stats.reset()
    assert stats.interval_ms.count == 0 and stats.fps == 0.0


def test_frame_stats_window_slides():
    stats = FrameStats(window=10)
    for i in range(50):
        stats.render(float(i))
    assert stats.render_ms.count == 10 and stats.render_ms.p50 == pytest.approx(44.5)
    with pytest.raises(ValueError):
        FrameStats(window=0)


def test_render_1080p_frame_time(qapp):
    """1920x1080 frames with everything on screen; prints the cost (no assertion: CI boxes vary)."""
    renderer = StageRenderer(generate_character(7), "landscape", "#00B140")
    anim = Animator(7)
    track = LipTrack(
        0.0,
        [
            VisemeSpan(i * 0.08, (i + 1) * 0.08, v)
            for i, v in enumerate(["AI", "O", "E", "MBP"] * 30)
        ],
    )
    product = ProductView(
        id="mug",
        name="Ceramic Travel Mug",
        price=24.99,
        currency="USD",
        original_price=33.99,
        image_path="assets/demo/products/mug.png",
        tagline="Keeps drinks hot for 6 h",
        offer_ends_in_s=300.0,
    )
    stats = FrameStats()
    img = None
    for i in range(60):
        t = i / 30.0
        scene = StageScene(
            t=t,
            pose=anim.pose_at(t, [track], "happy"),
            product=ProductView(**{**product.__dict__, "offer_ends_in_s": 300.0 - t}),
            caption="This travel mug keeps coffee hot for six hours.",
            question_user="mika_23",
            question_text="Does it fit in a cup holder?",
        )
        start = time.perf_counter()
        img = renderer.render_image(scene)
        stats.render((time.perf_counter() - start) * 1000.0)
    assert img is not None and img.width() == 1920 and img.height() == 1080
    assert img.format() == QImage.Format.Format_ARGB32_Premultiplied
    print(f"\n1080p render_image: {stats.render_ms}")
