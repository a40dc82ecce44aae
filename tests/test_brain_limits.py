"""A viewer's measure against a most the catalog gives: a balance board for at most 60 kg and a
child of "130斤" or "150 lbs" is not suitable, said with the catalog's most and the viewer's own
words; under the most, or with no most in the catalog, the answer is the fact as before; an emoji
after "还能骑这个不" keeps it a question. Catalogs built here, never the evaluation sets; the real
sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.embedding import UseEmbedder

BOARD: dict[str, Any] = {
    **item("board", "Wobble Balance Board", 199, "other"), "aliases": ["board", "平衡板"],
    "specs": {"load": "Max load 60 kg", "size": "60 x 30 cm"},
    "i18n": {"zh": {"specs": {"load": "最大承重60公斤", "size": "60 x 30 厘米"}}}}
TRIKE: dict[str, Any] = {
    **item("trike", "Kids Trike with Basket", 299, "kids"), "aliases": ["trike", "三轮车"], "min_age": 2,
    "specs": {"basket": "The rear basket holds up to 3 kg", "rider": "Max rider weight 25 kg"},
    "i18n": {"zh": {"specs": {"basket": "后筐最多放3公斤", "rider": "最大承重25公斤"}}}}
SHELF: dict[str, Any] = {
    **item("shelf", "Oak Wall Shelf", 89, "home"), "aliases": ["shelf", "置物架"],
    "specs": {"size": "80 x 20 cm"}}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [BOARD, TRIKE, SHELF]}), UseEmbedder())


def test_over_the_most_is_not_suitable_in_the_viewers_own_units(answerer: Answerer) -> None:
    d = decide(answerer, "我儿子130斤能站上去吗", "board")
    assert d.kind == "suitability" and "60公斤" in d.text and "130斤" in d.text and "不合适" in d.text, d
    d = decide(answerer, "can my 150 lbs husband stand on it?", "board", "en")
    assert d.kind == "suitability" and "60 kg" in d.text and "150 lbs" in d.text, d
    d = decide(answerer, "i weigh 75kg, will it hold me?", "board", "en")
    assert d.kind == "suitability" and "not 75kg" in d.text, d
    d = decide(answerer, "老大12岁 130斤了 还能站这个不", "board")
    assert d.kind == "suitability" and "60公斤" in d.text and "130斤" in d.text, d


def test_a_most_the_viewer_says_of_the_product_is_corrected_not_said_back(answerer: Answerer) -> None:
    """"it holds 80kg right?" is a claim about the product: the host corrects it with the most and
    does not repeat the wrong number."""
    for text, lang in (("it holds 80kg right? me n my kid wanna stand on it", "en"), ("能承重200斤吧 我能站吗", "zh")):
        d = decide(answerer, text, "board", lang)
        assert "60" in d.text and "80" not in d.text and "200" not in d.text, d


def test_under_the_most_or_without_one_the_fact_answers(answerer: Answerer) -> None:
    d = decide(answerer, "我女儿50斤能站上去吗", "board")
    assert d.kind != "suitability" and "60" in d.text and "不合适" not in d.text, d
    d = decide(answerer, "can it hold 20 kg of books?", "shelf", "en")
    assert d.kind != "suitability" and "not 20" not in d.text, d


def test_an_emoji_after_the_a_not_a_question_keeps_it_a_question(answerer: Answerer) -> None:
    from vhost.brain.reading import is_question

    assert is_question("可以机洗不🤔") and is_question("还能骑这个不😂") and not is_question("今天不买😂")
    d = decide(answerer, "老大12岁 130斤了 还能站这个不😂", "board")
    assert d.kind == "suitability" and "60公斤" in d.text and "130斤" in d.text, d


def test_a_smaller_most_of_a_part_is_no_limit_for_the_rider(answerer: Answerer) -> None:
    """A basket's "up to 3 kg" is no rider's limit: a 40斤 (20 kg) child is under the trike's 25 kg."""
    d = decide(answerer, "我儿子40斤能骑吗", "trike")
    assert "超了" not in d.text and "不合适" not in d.text, d
    d = decide(answerer, "我儿子60斤能骑吗", "trike")
    assert d.kind == "suitability" and "25公斤" in d.text and "60斤" in d.text, d
