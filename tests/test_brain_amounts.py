"""A question asking how far is answered by the fact that gives a distance, whatever its spec is
called ("transmission", "beam"), in either language; "washes" is a care question; and a question
asking an amount ("耐磨多少转?") is not answered by a fact that states no number."""

from __future__ import annotations

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.reading import wanted_value


def _catalog() -> Catalog:
    walkie = {**item("walkie", "TalkPal Kids Walkie-Talkie Pair", 99, "electronics"),
              "specs": {"link": "up to 3 km in open fields, about 300 m between buildings",
                        "battery": "3 AAA batteries each (not included)", "channels": "22"}}
    towel = {**item("towel", "Bamboo Kitchen Towels 6-pack", 39, "home"),
             "specs": {"towel_life": "about 200 machine washes in normal use", "size": "30 x 30 cm"}}
    sofa = {**item("sofa", "Cloud Tech-Fabric Sofa", 2999, "home"),
            "specs": {"fabric": "科技布，防泼水", "colors": "奶白、燕麦、雾蓝"}}
    return Catalog.model_validate({"products": [walkie, towel, sofa]})


def test_how_far_asks_a_distance() -> None:
    want = wanted_value("how far can these reach?")
    assert want is not None and want.search("up to 3 km") and want.search("最远300米")
    assert not want.search("22 channels") and not want.search("3 AAA batteries")
    assert wanted_value("能传多远") is not None
    assert wanted_value("how far in advance should I order?") is None


def test_the_spec_giving_a_distance_answers_how_far_in_both_languages() -> None:
    a = Answerer(_catalog())
    for text, lang in (("how far apart can the kids be before it cuts out?", "en"), ("两个对讲机最远能隔多远", "zh")):
        d = decide(a, text, "walkie", lang)
        assert d.kind == "fact" and d.facts == ["walkie/spec/link"], (text, d)


def test_how_many_washes_is_a_care_question() -> None:
    from vhost.brain import attributes

    assert "care" in attributes.detect("how many washes do they last?")
    assert "care" in attributes.detect("it washed out after two weeks")
    a = Answerer(_catalog())
    d = decide(a, "how many washes do they last?", "towel", "en")
    assert d.kind == "fact" and d.facts == ["towel/spec/towel_life"], d


def test_an_amount_asked_is_not_answered_by_a_fact_without_a_number() -> None:
    from vhost.brain.reading import amount_unstated

    assert amount_unstated("这科技布耐磨多少转的？", (), "面料是科技布，防泼水。")
    assert amount_unstated("珍珠是几A级的", (), "淡水养殖珍珠。")
    assert not amount_unstated("这球几层的", (), "三层结构。")  # a number in words is a number
    assert not amount_unstated("有几种颜色", (), "奶白、燕麦、雾蓝。")  # a list answers "how many kinds"
    assert not amount_unstated("花纹会不会洗几次就掉了", (), "釉下彩，不掉色。")  # 几次就: "a few"
    assert not amount_unstated("how many colours?", (), "Cream, oat and mist blue.")
    assert not amount_unstated("能看每天走了多少步吗", (), "支持计步。")  # whether it shows one
    a = Answerer(_catalog())
    d = decide(a, "这科技布耐磨多少转的？", "sofa", "zh")
    assert d.kind == "unknown", d
    d = decide(a, "有几种颜色", "sofa", "zh")
    assert d.kind == "fact" and d.facts == ["sofa/spec/colors"], d
