"""Reading a message against the facts (third round): a spec named after the thing asked ("how big
is the bin?"), the attribute a question is about before the thing it names ("电池保修多久"), and
a Chinese clause that only tells context. A catalog built here, never the evaluation sets."""

from __future__ import annotations

from typing import Any

import pytest

from vhost.brain import attributes
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.clauses import asked_clauses, asking_clauses
from vhost.brain.embedding import UseEmbedder

MOP: dict[str, Any] = {
    "id": "mop", "name": "Tidy Spin Mop", "price": 159, "currency": "CNY", "stock": 30, "category": "home",
    "aliases": ["拖把"],
    "selling_points": ["Spins dry in seconds"],
    "specs": {"size": "48 x 27 x 30 cm", "bucket_capacity": "6 L", "handle_length": "120 cm",
              "weight": "2.1 kg", "warranty": "1 year on the bucket, 3 months on the mop head",
              "fiber_source": "recycled PET bottles"},
    "faq": [{"q": "Do I have to mount it on the wall?", "a": "No, it stands on its own; the wall hook is optional."}],
    "i18n": {"zh": {"name": "Tidy 旋转拖把", "specs": {"warranty": "桶保修1年，拖头保修3个月"}}},
}


@pytest.fixture(scope="module")
def answerer() -> Answerer:
    return Answerer(Catalog.model_validate({"products": [MOP]}))


def _say(a: Answerer, text: str, lang: str = "en") -> tuple[str, str]:
    mop = a.catalog.get("mop")
    d = a.decide(text, ["Kim"], mop, lang=lang)
    return d.kind, d.text


@pytest.mark.parametrize("text, value", [
    ("how big is the bucket?", "6"),        # a size question, answered by the bucket's capacity
    ("what's the handle size?", "120"),
    ("how big is it?", "48 x 27 x 30"),     # nothing named: the product's own size
])
def test_a_spec_named_after_the_thing_asked_answers_it(answerer: Answerer, text: str, value: str) -> None:
    kind, line = _say(answerer, text)
    assert kind == "fact" and value in line, line


def test_a_spec_named_after_the_thing_answers_when_no_attribute_is_recognised(answerer: Answerer) -> None:
    kind, line = _say(answerer, "what kind of fiber is it")
    assert kind == "fact" and "PET" in line, line
    d = answerer.decide("拖把的纤维是啥做的呀", ["Kim"], answerer.catalog.get("mop"), lang="zh")
    assert d.kind == "fact" and d.facts == ["mop/spec/fiber_source"]  # English only: translated


def test_the_asked_attribute_comes_before_the_thing_it_is_of() -> None:
    assert attributes.detect("电池保修多久")[0] == "warranty"
    assert attributes.detect("does the battery come with a warranty?")[0] in ("warranty", "included")
    assert attributes.detect("how long does the battery last?")[0] == "battery"


def test_a_warranty_question_about_a_part_gets_the_warranty(answerer: Answerer) -> None:
    kind, line = _say(answerer, "拖头保修多久", "zh")
    assert kind == "fact" and "3个月" in line, line


def test_a_chinese_clause_that_only_tells_is_context() -> None:
    text = "租的房子不能打孔 不挂墙能用吗"
    assert asking_clauses(text) == ["不挂墙能用吗"]
    assert asked_clauses(text) == [text]  # safety words are still read in the whole message
    assert asking_clauses("精油有硅油吗") == ["精油有硅油吗"]
    assert asking_clauses("NFC 有吗") == ["NFC 有吗"]  # a Latin name is never cut off its question


def test_a_yes_no_question_with_a_context_clause_is_answered() -> None:
    a = Answerer(Catalog.model_validate({"products": [MOP]}), UseEmbedder())
    d = a.decide("租的房子不能打孔 不挂墙能用吗", ["Kim"], a.catalog.get("mop"), lang="zh")
    assert d.kind == "fact" and d.facts == ["mop/faq/0"]
    # a quality no fact names stays unknown, context or not
    assert a.decide("租的房子很小 这个防霉吗", ["Kim"], a.catalog.get("mop"), lang="zh").kind == "unknown"


BEANS: dict[str, Any] = {
    "id": "beans", "name": "Hill Roast Beans", "price": 89, "currency": "CNY", "stock": 50, "category": "food",
    "aliases": ["咖啡豆"],
    "specs": {"net_weight": "250 g", "thread": "n/a"},
    "notices": ["Contains caffeine; not recommended for children under 12, pregnant or breastfeeding women."],
    "i18n": {"zh": {"notices": ["含咖啡因；12岁以下儿童、孕妇及哺乳期女性不建议饮用。"]}},
}
MASK: dict[str, Any] = {
    "id": "mask", "name": "Silk Eye Mask", "price": 59, "currency": "CNY", "stock": 9, "category": "home",
    "compliance_notes": ["Never claim it removes dark circles or eye bags (去黑眼圈/去眼袋)."],
    "specs": {"weight": "18 g"},
}
SHOP2: dict[str, Any] = {
    "shipping": "Ships within 48 hours; mainland China only.",
    "invoice": "Electronic invoices on request: message customer service.",
}


@pytest.fixture(scope="module")
def shop() -> Answerer:
    return Answerer(Catalog.model_validate({"shop": SHOP2, "products": [BEANS, MASK]}))


def test_a_warning_for_the_group_the_viewer_names_is_the_answer(shop: Answerer) -> None:
    beans = shop.catalog.get("beans")
    d = shop.decide("怀孕5个月了 偶尔喝一杯可以吗", ["Kim"], beans, lang="zh")
    assert d.kind == "fact" and "孕妇" in d.text and "不建议" in d.text, d.text
    d = shop.decide("my son is 10, can he have some?", ["Kim"], beans, lang="en")
    assert d.kind == "suitability" and "12" in d.text, d.text  # the warning's floor is the minimum age


def test_an_eye_mask_may_be_called_an_eye_mask_but_not_remove_eye_bags(shop: Answerer) -> None:
    from vhost.brain.compliance import check_compliance

    mask = shop.catalog.get("mask")
    d = shop.decide("how much does the eye mask weigh?", ["Kim"], mask, lang="en")
    assert d.kind == "fact" and "18" in d.text, d.text
    assert check_compliance("This silk eye mask is light.", "en", mask, shop.catalog).ok
    assert not check_compliance("It removes eye bags overnight.", "en", mask, shop.catalog).ok
    assert not check_compliance("戴一周就能去眼袋。", "zh", mask, shop.catalog).ok


def test_invoices_are_a_shop_policy_and_a_place_by_its_short_name_is_unknown(shop: Answerer) -> None:
    beans = shop.catalog.get("beans")
    assert attributes.detect("能开发票吗？公司报销用")[0] == "invoice"
    d = shop.decide("能开发票吗？公司报销用", ["Kim"], beans, lang="zh")
    assert d.kind == "fact" and d.facts == ["shop/invoice"]
    assert shop.decide("do you ship to the us?", ["Kim"], beans, lang="en").kind == "unknown"
    assert shop.decide("do you ship to the US? I'm in Seattle", ["Kim"], beans, lang="en").kind == "unknown"


def test_a_count_word_frames_the_attribute_asked() -> None:
    assert attributes.detect("一包多少克啊")[0] == "weight"
    assert attributes.detect("有几个尺寸")[0] == "size"
    assert attributes.detect("一盒几颗")[0] == "count"


def test_chinese_ways_of_asking_and_numbers_that_are_not_prices() -> None:
    from vhost.brain.reading import is_question, stated_prices

    for text in ("耐不耐磨啊", "能机洗不", "是浅烘还是深烘", "最大到46码是吧", "有认证木有", "大底啥材质的"):
        assert is_question(text), text
    assert not is_question("我下单了")
    assert stated_prices("四件套是600根的吧？", 399) == []
    assert stated_prices("四件套是600的吧？", 399) == ["600"]


def test_chat_shorthand_is_no_unknown_name() -> None:
    from vhost.brain.coverage import Coverage

    cov = Coverage({"card", "sd", "come"})
    fact_text = "Answer: a 64 GB card is included."
    from vhost.brain.knowledge import Fact

    fact = Fact("p/faq/0", "p", "faq", ("included",), {"en": fact_text}, ("Is an SD card included?",),
                "Is an SD card included?", ("64",))
    assert cov.uncovered("does it come w/ an sd card or do i gotta buy one", fact) == []
    assert attributes.detect("does it come w/ an sd card or do i gotta buy one")[0] == "included"


def test_a_yes_no_question_beside_context_names_the_quality_asked() -> None:
    comb = {"id": "comb", "name": "Sandal Comb", "price": 39, "currency": "CNY", "stock": 9, "category": "other",
            "aliases": ["梳子", "木梳"],
            "faq": [{"q": "Can I use it on wet hair?", "a": "Yes, the wide teeth detangle wet hair."}],
            "specs": {"material": "green sandalwood"}}
    a = Answerer(Catalog.model_validate({"products": [comb]}))
    # "anti-static?" is asked in the first clause; no fact says it: never a "yes" from the wet-hair FAQ
    d = a.decide("梳子防静电吗 冬天一梳就炸毛", ["Kim"], a.catalog.get("comb"), lang="zh")
    assert d.kind == "unknown", d.text
    # the product's own name ("comb") is no evidence that a fact answers the quality asked
    d = a.decide("is the comb lead free?", ["Kim"], a.catalog.get("comb"), lang="en")
    assert d.kind == "unknown", d.text


def test_a_childs_age_said_in_passing_and_a_warning_for_children() -> None:
    from vhost.brain.reading import child_age

    assert child_age("my son's 5, is the bunny okay for him?") == 5
    assert child_age("my nephew is 5, is it ok for him?") == 5
    assert child_age("it's 5 cm right?") is None and child_age("this one's 18 metres long right?") is None
    gel = {"id": "gel", "name": "Blue Toilet Gel", "price": 25, "currency": "CNY", "stock": 9, "category": "home",
           "specs": {"volume": "750 ml"},
           "notices": ["Keep out of reach of children; do not mix with bleach."]}
    a = Answerer(Catalog.model_validate({"products": [gel]}))
    d = a.decide("my 4yo wants to help, can she squeeze the gel in herself?", ["Kim"], a.catalog.get("gel"), lang="en")
    assert d.kind == "fact" and "children" in d.text, d.text
    # a child named without an age is no warning's case
    assert "children" not in a.decide("can I return it if my kid hates the smell?", ["Kim"], a.catalog.get("gel"),
                                      lang="en").text
