"""More spec words a viewer uses: "夜视能看多远" is the night vision's reach ("up to 8 m" is a
range), "分辨率" a screen's, "有声书/喇叭" the audiobook spec; "儿童的多重" asks the kids' helmet's
weight, not an age; "4个人能连一起不" counts riders, not the 个 of the box's parts; a cloud plan's
price is no price of the camera. A catalog built here, never the evaluation sets; the real
embedding."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder

CAM = {**item("cam", "Mianmian C3 Baby Camera", 299, "electronics"),
       "aliases": ["摄像头", "camera"],
       "specs": {"night_vision": "940 nm infrared, clear up to 8 m in a dark room",
                 "cloud": "Optional cloud plan: 15 CNY/month or 148 CNY/year",
                 "screen": "7-inch E Ink, 1680 x 1264, 300 ppi",
                 "audiobooks": "MP3 audiobooks through Bluetooth headphones; no built-in speaker"},
       "notices": ["Keep the camera cable at least 1 m away from the crib."],
       "i18n": {"zh": {"notices": ["摄像头电源线请放在离婴儿床至少1米的地方。"]}}}
HELMET = {**item("kids", "Mini K1 Kids Bike Helmet", 129, "kids"), "min_age": 3,
          "aliases": ["儿童头盔", "the kids one"],
          "specs": {"weight": "about 280 g (S), about 310 g (M)", "sizes": "S 48-52 cm, M 52-56 cm"},
          "i18n": {"zh": {"specs": {"weight": "约280克（S码），约310克（M码）"}}}}
INTERCOM = {**item("t2", "TalkLink T2 Intercom", 299, "electronics"),
            "aliases": ["对讲", "intercom"],
            "specs": {"intercom_range": "up to 800 m in open country; links up to 4 riders",
                      "in_the_box": "1 unit, 2 speakers, 1 boom mic, 1 USB-C cable"},
            "i18n": {"zh": {"specs": {"intercom_range": "空旷处最远800米；最多4人组队对讲",
                                      "in_the_box": "主机1台、2个喇叭、1个硬麦、1根USB-C线"}}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [CAM, HELMET, INTERCOM]}), UseEmbedder())


@pytest.mark.parametrize(("text", "fact"), [("这个夜视能看多远", "cam/spec/night_vision"),
                                            ("分辨率多少 ppi够不够", "cam/spec/screen"),
                                            ("能听有声书吗 有没有喇叭", "cam/spec/audiobooks"),
                                            ("云存储要另外交钱吗 一个月多少啊", "cam/spec/cloud")])
def test_spec_words(answerer: Answerer, text: str, fact: str) -> None:
    d = decide(answerer, text, "cam")
    assert d.facts[:1] == [fact], (d.facts, d.text)


def test_the_kids_one_weighs(answerer: Answerer) -> None:
    d = decide(answerer, "儿童的多重啊 怕压着脖子", "kids")
    assert d.kind == "fact" and "280" in d.text, (d.kind, d.text)


def test_riders_are_no_count_of_parts(answerer: Answerer) -> None:
    d = decide(answerer, "对讲距离多远 周末车队4个人能连一起不", "t2")
    assert "800" in d.text and "不是" not in d.text, d.text
