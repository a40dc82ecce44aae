"""A question asking how far is answered by the fact that gives a distance, whatever its spec is
called ("transmission", "beam"), in either language; and "washes" is a care question."""

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
    return Catalog.model_validate({"products": [walkie, towel]})


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
