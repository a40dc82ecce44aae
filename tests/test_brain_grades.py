"""A school grade the viewer gives against the grades a product covers ("老大高二了 能用吗" and a
tablet for grades 1-9: not made for it, with the span); a grade inside the span gets the fact
that covers it; "几年级/which grades" asks the fact that gives grades. A catalog built here, never
the evaluation sets; the real embedding."""

from __future__ import annotations

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder
from vhost.brain.grades import asked_grades

TABLET = {**item("tablet", "StudyPad 10 Learning Tablet", 2999, "electronics"),
          "aliases": ["学习机", "tablet"],
          "selling_points": ["Synced lessons for grades 1-9 with 20 textbook versions"],
          "specs": {"screen": "10.1-inch, 1920 x 1200", "battery": "7000 mAh",
                    "content": "grades 1-9 (primary and junior middle school)"},
          "i18n": {"zh": {"specs": {"content": "1-9年级（小学和初中）"}}}}
PEN = {**item("pen", "StudyPad Reading Pen", 299, "kids"), "min_age": 3,
       "aliases": ["点读笔", "pen"],
       "specs": {"textbooks": "PEP primary English, grades 3-6", "memory": "16 GB"},
       "i18n": {"zh": {"specs": {"textbooks": "人教版PEP小学英语3-6年级"}}}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [TABLET, PEN]}), UseEmbedder())


def test_grades_a_message_gives() -> None:
    assert asked_grades("我家老大高二了 能用吗") == (11, 11, "高二")
    assert asked_grades("上初中了还能用吗")[:2] == (7, 9)
    assert asked_grades("my son starts 10th grade in fall")[:2] == (10, 10)
    assert asked_grades("she's a sixth grader")[:2] == (6, 6)
    assert asked_grades("is my kid in grade 4 ok")[:2] == (4, 4)
    # not a grade: "a bit higher", a date, a metal's grade, a span the viewer states
    for text in ("高一点的那个有吗", "正月初一发货吗", "grade 5 titanium?", "is it for grades 1-9?"):
        assert asked_grades(text) is None, text


@pytest.mark.parametrize(("text", "lang", "said"), [
    ("我家老大高二了 能不能兄弟俩一起用 高中物理化学有没有", "zh", "高二"),
    ("my oldest is in 11th grade, can she use it for chemistry?", "en", "11th grade"),
    ("高中生能用吗", "zh", "高中"),
])
def test_a_grade_past_the_span_is_not_suitable(answerer: Answerer, text: str, lang: str, said: str) -> None:
    d = decide(answerer, text, "tablet", lang)
    assert d.kind == "suitability", (d.kind, d.text)
    assert "1-9" in d.text and said in d.text, d.text


def test_a_grade_inside_the_span_gets_the_fact(answerer: Answerer) -> None:
    d = decide(answerer, "孩子上初一 能用吗", "tablet")
    assert d.kind == "fact" and "1-9" in d.text and "不合适" not in d.text, (d.kind, d.text)
    d = decide(answerer, "点读笔支持几年级的 孙子明年上三年级", "pen")
    assert "3-6" in d.text, d.text
    d = decide(answerer, "does the pen work for a 1st grader?", "pen", "en")
    assert d.kind == "suitability" and "3-6" in d.text, d.text


def test_which_grades_asks_the_grades(answerer: Answerer) -> None:
    d = decide(answerer, "which grades does the pen cover?", "pen", "en")
    assert "3-6" in d.text and "16 GB" not in d.text, d.text
