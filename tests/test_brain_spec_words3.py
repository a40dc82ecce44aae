"""Spec words a viewer uses for a spec key written otherwise ("吸力咋样" -> suction, "the top" ->
desktop, "车里那个镜头" -> cabin_camera, "front cam" -> front_camera), how wide a camera sees
("拍的有多宽" is its field of view, no size), and the whole size asked ("how big is the
tabletop?" is desktop_size, not desktop_thickness). A catalog built here; the real embedding."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder

DESK = {**item("desk", "RiseUp D3 Standing Desk", 1599, "home"),
        "aliases": ["d3", "升降桌"],
        "specs": {"desktop_size": "120 x 60 cm", "desktop_thickness": "1.8 cm",
                  "desktop_colours": "oak, black walnut or grey", "frame_colours": "black or silver frame",
                  "height_range": "65-130 cm"},
        "i18n": {"zh": {"specs": {"desktop_size": "120 x 60厘米", "desktop_thickness": "1.8厘米"}}}}
VAC = {**item("vac", "DustAway V7 Robot Vacuum", 1999, "home"),
       "aliases": ["v7", "扫地机"],
       "selling_points": ["Pet hair friendly rubber brush"],
       "specs": {"suction": "up to 6,000 Pa", "battery": "5,000 mAh, about 160 minutes",
                 "dust_bag": "2.8 L, about 50 days", "charging": "about 5 hours to full"},
       "i18n": {"zh": {"specs": {"suction": "最高6000帕", "battery": "5000毫安时，约160分钟",
                                 "charging": "约5小时充满"}}}}
DASH = {**item("dash", "ViewPro C3 Dash Cam", 899, "electronics"),
        "aliases": ["c3", "三录"],
        "specs": {"front_camera": "2560 x 1440 at 30 fps, 140° field of view",
                  "cabin_camera": "1920 x 1080, 150° field of view, infrared night view",
                  "rear_camera": "1920 x 1080, 120° field of view", "mount": "adhesive windscreen mount"},
        "i18n": {"zh": {"specs": {"cabin_camera": "1920 x 1080，150°视角，红外夜视",
                                  "front_camera": "2560 x 1440，30帧，140°视角"}}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [DESK, VAC, DASH]}), UseEmbedder())


@pytest.mark.parametrize("text, lang, pid, fact", [
    ("how big is the tabletop? measuring my alcove", "en", "desk", "desk/spec/desktop_size"),
    ("这个桌面多大 我房间角落挺小", "zh", "desk", "desk/spec/desktop_size"),
    ("桌面多厚", "zh", "desk", "desk/spec/desktop_thickness"),
    ("what colours does the top come in? want smth dark", "en", "desk", "desk/spec/desktop_colours"),
    ("吸力咋样啊 家里两只猫掉毛掉疯了", "zh", "vac", "vac/spec/suction"),
    ("how often do i change the bag", "en", "vac", "vac/spec/dust_bag"),
    ("一次充满能扫多久 我家120平", "zh", "vac", "vac/spec/battery"),  # how long it runs, not charges
    ("多久能充满", "zh", "vac", "vac/spec/charging"),
    ("前摄拍的有多宽啊 旁边两条道能拍进去不", "zh", "dash", "dash/spec/front_camera"),
    ("车里那个镜头视角多大 后排能拍全吗", "zh", "dash", "dash/spec/cabin_camera"),
    ("rear cam is 1080p right?", "en", "dash", "dash/spec/rear_camera"),
])
def test_the_spec_a_viewer_names(answerer: Answerer, text: str, lang: str, pid: str, fact: str) -> None:
    d = decide(answerer, text, pid, lang=lang)
    assert d.facts[:1] == [fact], (d.kind, d.facts, d.text)
