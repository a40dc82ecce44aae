"""A shop policy's "we remake them for free within 30 days" is sayable (a term of service, not
the product given away), so the returns policy answers; "FOV" finds the field of view; "别家的充电桩
能装上去吗" asks what it fits. A catalog built here, never the evaluation sets; the real embedding."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.compliance import check_compliance
from vhost.brain.embedding import UseEmbedder

RETURNS = ("7-day no-reason returns from delivery if the headset has not been activated and is complete "
           "(all accessories and the original box). Once a headset has been activated, it can only be "
           "returned or exchanged for a quality problem. Quality problems: free replacement within 15 days "
           "of delivery, then free repair under the warranty. Lens inserts are custom-made and have no "
           "no-reason returns; if they do not match your prescription, we remake them once for free within "
           "30 days of delivery.")
RETURNS_ZH = ("签收后7天无理由退货：商品需未激活、配件齐全。头显一旦激活，非质量问题不支持退换。质量问题：签收后15天内免费换新，"
              "之后按保修免费维修。近视镜片为定制商品，不支持无理由退货。")
SHOP = {"how_to_buy": "Tap the yellow cart below the video.", "returns": RETURNS,
        "i18n": {"zh": {"how_to_buy": "点视频下方小黄车下单。", "returns": RETURNS_ZH}}}
HEADSET = {**item("x1", "Nova X1 Pro VR Headset", 3999, "electronics"),
           "aliases": ["pro", "头显"],
           "specs": {"refresh_rate": "72 / 90 / 120 Hz", "field_of_view": "105° horizontal, 98° vertical",
                     "pc_vr": "Streams SteamVR games from a Windows PC over Wi-Fi 6E or a USB-C cable",
                     "weight": "535 g"}}
STAND = {**item("stand", "Qingchong Floor Stand", 399, "electronics"),
         "aliases": ["立柱", "stand"],
         "specs": {"fits": "Qingchong P7 and P11 wall boxes only", "height": "1.4 m"},
         "i18n": {"zh": {"specs": {"fits": "仅适配轻充P7和P11壁挂桩"}}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"shop": SHOP, "products": [HEADSET, STAND]}), UseEmbedder())


def test_an_activated_headset_gets_the_policy(answerer: Answerer) -> None:
    d = decide(answerer, "if i activate the headset and hate it can i still return in 7 days?", "x1", "en")
    assert d.kind == "fact" and "quality problem" in d.text, d.text


def test_free_within_days_is_a_term_of_service(answerer: Answerer) -> None:
    product = answerer.catalog.get("x1")
    assert check_compliance("we remake them once for free within 30 days", "en", product, answerer.catalog).ok
    assert not check_compliance("you get the headset for free", "en", product, answerer.catalog).ok


def test_fov_and_what_it_fits(answerer: Answerer) -> None:
    d = decide(answerer, "wats the max refresh rate and FOV on it", "x1", "en")
    assert "120" in d.text and "105" in d.text, d.text
    d = decide(answerer, "立柱多少钱 别家的充电桩能装上去吗", "stand")
    assert "399" in d.text and "P7" in d.text, d.text


def test_a_model_typed_lower_case_is_a_name() -> None:
    from vhost.brain.en_names import names_in

    def known(w: str) -> bool:
        return w.lower() in {"x1", "usb", "pc"}
    assert names_in("what about my ps5 tho", known, set(), frozenset()) == ["ps5"]
    assert names_in("does it work with an rtx4090", known, set(), frozenset()) == ["rtx4090"]
    assert names_in("is the x1 ok with usb", known, set(), frozenset()) == []  # ours, or a word the catalog uses
    assert names_in("does it do 4k at 120hz", known, set(), frozenset()) == []  # measures, not models


def test_a_console_the_catalog_never_names_is_unknown(answerer: Answerer) -> None:
    d = decide(answerer, "ok so pc for steam... what about my ps5 tho? wanna play gt7 in vr", "x1", "en")
    assert d.kind == "unknown", (d.kind, d.text)
