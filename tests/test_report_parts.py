"""Parts of the post-stream aggregates on their own: grouping questions across languages, finding
the script variant from the words heard, percentiles, bin sizes, sentiment words."""

from __future__ import annotations

import numpy as np
import pytest

from tests.report_helpers import CATALOG
from vhost.base.language import detect_language
from vhost.brain.catalog import load_catalog
from vhost.brain.embedding import default_embedder
from vhost.brain.script_loop import _STEP, SEGMENTS, ScriptLoop
from vhost.show.insights.answers import percentile
from vhost.show.insights.clusters import Question, group_questions
from vhost.show.insights.messages import sentiment
from vhost.show.insights.script import variant_of
from vhost.show.insights.summary import _bin_s

# (text, product, group): the same group = the same question, whatever the language
ASKED = [
    ("how much is the mug?", "mug", "price"), ("这个杯子多少钱？", "mug", "price"), ("price?", "mug", "price"),
    ("多少钱", "mug", "price"), ("what colors does the mug come in?", "mug", "color"),
    ("有什么颜色？", "mug", "color"), ("is it dishwasher safe?", "mug", "dishwasher"),
    ("能放洗碗机吗？", "mug", "dishwasher"), ("can I put it in the dishwasher", "mug", "dishwasher"),
    ("how long does the battery last?", "earbuds", "battery"), ("电池能用多久？", "earbuds", "battery"),
    ("耳机防水吗？", "earbuds", "water"), ("are they waterproof?", "earbuds", "water"),
    ("does it come with a gift box?", "mug", "gift"), ("有礼盒包装吗？", "mug", "gift"),
    ("台灯多少钱？", "lamp", "lamp price"),
]


def _questions() -> list[Question]:
    return [Question(str(i), t, detect_language(t), f"u{i}", float(i), p) for i, (t, p, _) in enumerate(ASKED)]


def _partition(groups: list[list[Question]]) -> set[frozenset[str]]:
    return {frozenset(ASKED[int(q.id)][2] for q in g) for g in groups} | set()


def test_the_same_question_in_english_and_chinese_is_one_group() -> None:
    embedder = default_embedder()
    if embedder is None:
        pytest.skip("the packaged sentence embedding is not installed")
    groups = group_questions(_questions(), embedder)
    want = {}
    for i, (_, _, g) in enumerate(ASKED):
        want.setdefault(g, set()).add(str(i))
    assert sorted(sorted(q.id for q in g) for g in groups) == sorted(sorted(ids) for ids in want.values())
    assert [len(g) for g in groups] == sorted((len(v) for v in want.values()), reverse=True)


def test_without_the_embedding_precise_topics_still_group_across_languages() -> None:
    groups = group_questions(_questions(), None)
    by_first = {ASKED[int(g[0].id)][0]: {q.text for q in g} for g in groups}
    assert by_first["how much is the mug?"] == {"how much is the mug?", "这个杯子多少钱？", "price?", "多少钱"}
    assert by_first["what colors does the mug come in?"] == {"what colors does the mug come in?", "有什么颜色？"}
    assert all(len({ASKED[int(q.id)][2] for q in g}) == 1 for g in groups)  # never two questions in one


def test_a_question_about_another_topic_never_joins_even_when_it_looks_alike() -> None:
    class SameVector:  # an embedding that finds everything identical
        def encode(self, texts: list[str]) -> np.ndarray:
            return np.ones((len(texts), 4), dtype=np.float32) / 2

    qs = [Question("1", "how much is the mug?", "en", "a", 0.0, "mug"),
          Question("2", "what colors does the mug come in?", "en", "b", 1.0, "mug"),
          Question("3", "is the mug dishwasher safe?", "en", "c", 2.0, "mug"),
          Question("4", "how much is the lamp?", "en", "d", 3.0, "lamp")]
    groups = group_questions(qs, SameVector())
    assert sorted(sorted(q.id for q in g) for g in groups) == [["1", "3"], ["2"], ["4"]]


def test_every_script_template_is_recognised_from_the_words_heard() -> None:
    catalog = load_catalog(CATALOG)
    for lang in ("en", "zh"):
        for product in catalog.products:
            loop = ScriptLoop(product, lang)
            for cycle in range(6):
                for kind in SEGMENTS:
                    text = loop.render(kind, cycle)
                    want = f"{kind}#{(cycle * _STEP[kind] + SEGMENTS.index(kind)) % 5 + 1}"
                    assert variant_of(kind, text)[0] == want, (lang, product.id, kind, cycle, text)
                    assert variant_of(kind, text[: max(8, len(text) // 2)])[0] == want  # cut short
    assert variant_of("offer", "Something the LLM said instead.") == ("offer#?", "")


def test_percentiles_interpolate_like_numpy() -> None:
    rng = np.random.default_rng(7)
    for n in (1, 2, 5, 20, 101):
        xs = list(rng.exponential(2.0, n))
        for q in (0, 50, 95, 100):
            assert percentile(xs, q) == pytest.approx(float(np.percentile(xs, q)))
    assert percentile([], 50) is None


def test_bins_suit_the_length_of_the_show() -> None:
    assert _bin_s(120) == 10 and _bin_s(300) == 30 and _bin_s(240) == 15
    assert _bin_s(600) == 60 and _bin_s(590) == 60 and _bin_s(3 * 3600) == 300


@pytest.mark.parametrize(("text", "intent", "want"), [
    ("love it ❤", "other", "positive"), ("好看！", "other", "positive"), ("too expensive", "other", "negative"),
    ("太贵了", "other", "negative"), ("not good at all", "other", "negative"), ("how much?", "question", "neutral"),
    ("this is a scam", "complaint", "complaint"),
])  # fmt: skip
def test_sentiment_words(text: str, intent: str, want: str) -> None:
    assert sentiment(text, intent) == want
