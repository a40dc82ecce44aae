"""Questions from shoppers for babies and older parents: a production date only a fact naming one
answers, a baby's age in months counted in whole years, a hearing aid's own words ("听力损失") that
claim nothing, and the top of a charging range that is no "100%" absolute. Catalogs built here,
never the evaluation sets; the real sentence embedding."""

from __future__ import annotations

from typing import Any

import pytest

from tests.brain_helpers import decide, item
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog
from vhost.brain.compliance import check_compliance
from vhost.brain.embedding import UseEmbedder
from vhost.brain.reading import child_age

MILK: dict[str, Any] = {
    **item("milk", "Stage 3 Toddler Milk", 258, "food"), "aliases": ["stage 3", "三段"], "min_age": 1,
    "notices": ["Breast milk is the best food for babies."],
    "specs": {"age": "12-36 months", "shelf_life": "24 months unopened; use within 4 weeks of opening"},
    "i18n": {"zh": {"specs": {"age": "12-36个月", "shelf_life": "未开封24个月；开封后4周内用完"},
                    "notices": ["母乳是宝宝最好的食物。"]}}}
STATION: dict[str, Any] = {
    **item("station", "Trek 1000 Power Station", 3999, "electronics"), "specs": {"capacity": "1024 Wh"},
    "faq": [{"q": "How long will it run a 60 W fridge?", "a": "Roughly 14 hours (an estimate)."}],
    "notices": ["Not intended for medical life-support equipment."]}
AID: dict[str, Any] = {
    **item("aid", "B20 Hearing Aid", 1299, "health"), "aliases": ["hearing aid", "助听器"],
    "compliance_notes": ['Never say it restores hearing: no "恢复听力", "restores hearing".'],
    "notices": ["See an ENT doctor first if you have sudden hearing loss or ear pain."],
    "specs": {"fitting_range": "mild to moderately severe hearing loss (26-70 dB HL)", "charging": "0-100% in about 3 hours"},
    "i18n": {"zh": {"specs": {"fitting_range": "轻度至中重度听力损失（26-70 dB HL）", "charging": "0-100%约3小时"},
                    "notices": ["如有突发性听力下降或耳痛，请先到医院耳鼻喉科就诊。"]}}}


def _answerer(shop: dict[str, Any]) -> Answerer:
    return Answerer(Catalog.model_validate({"shop": shop, "products": [MILK, AID]}), UseEmbedder())


@pytest.mark.parametrize(("text", "lang"), [
    ("whats the production date on the cans ur shipping? dont want old stock", "en"),
    ("when was this batch made?", "en"), ("生产日期是啥时候的 会不会是快过期的库存", "zh"), ("现在发的是几月生产的", "zh")])
def test_a_production_date_no_fact_names_is_unknown(text: str, lang: str) -> None:
    d = decide(_answerer({"returns": "Unopened cans only; send a photo of the batch code."}), text, "milk", lang)
    assert d.kind == "unknown", d.text


def test_a_production_date_is_answered_by_the_fact_naming_it() -> None:
    a = _answerer({"freshness": "Every can shipped in this live was produced within the last 3 months.",
                   "i18n": {"zh": {"freshness": "本场直播发出的奶粉都是最近3个月内生产的批次。"}}})
    for text, lang in (("when was this batch produced?", "en"), ("生产日期是啥时候的", "zh")):
        d = decide(a, text, "milk", lang)
        assert d.kind == "fact" and d.facts == ["shop/freshness"] and "3" in d.text


def test_a_baby_given_in_months_is_counted_in_whole_years() -> None:
    assert child_age("我家宝宝14个月了 能喝三段吗") == 1 and child_age("my son is 8 months") == 0
    a = _answerer({})
    d = decide(a, "我家宝宝14个月了 能喝三段吗", "milk")
    assert d.kind == "suitability" and "不适合" not in d.text and "12个月" in d.text
    d = decide(a, "my daughter is 8 months, can she go straight to stage 3?", "milk", "en")
    assert d.kind == "suitability" and d.text.find("not for") >= 0 and "12 months" in d.text


def test_a_hearing_aid_may_say_hearing_loss_but_not_restore_hearing() -> None:
    catalog = Catalog.model_validate({"products": [AID]})
    aid = catalog.get("aid")
    assert check_compliance("适合轻度到中重度的听力损失", "zh", aid, catalog).ok
    assert check_compliance("for mild hearing loss", "en", aid, catalog).ok
    assert not check_compliance("戴久了能改善听力", "zh", aid, catalog).ok
    assert not check_compliance("it protects your hearing", "en", aid, catalog).ok
    d = decide(_answerer({}), "这个助听器适合啥程度的听力损失啊 我妈测了说是中度", "aid")
    assert d.kind != "refuse" and "70" in d.text, d.text


@pytest.mark.parametrize(("text", "ok"), [("0-100% in about 3 hours", True), ("charges to 100% in 3 h", True),
                                         ("0-100%约3小时", True), ("100% clear sound", False), ("100%听得清", False)])
def test_the_top_of_a_range_is_no_absolute(text: str, ok: bool) -> None:
    catalog = Catalog.model_validate({"products": [MILK]})
    lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en"
    assert check_compliance(text, lang, catalog.get("milk"), catalog).ok is ok


def test_a_notice_the_law_asks_for_is_said_with_the_answer_though_it_ranks() -> None:
    # "母乳是宝宝最好的食物" holds an absolute (最好) about breast milk, not the product: the answer
    # it is attached to had been held and replaced by "I'll check".
    from vhost.brain.host import ShowBrain
    from vhost.brain.persona import Persona

    catalog = Catalog.model_validate({"products": [MILK]})
    brain = ShowBrain(catalog, Persona(name="Mia", style="warm"), embedder=UseEmbedder())
    r = brain.fast_reply("我家宝宝14个月了 能喝三段吗", "豆豆妈", catalog.get("milk"), "zh", now=0.0)
    assert r is not None and r.decision is not None and r.decision.kind == "suitability", r
    assert "母乳是宝宝最好的食物" in r.text and "可以" in r.text
    assert not check_compliance("这是最好的奶粉。", "zh", catalog.get("milk"), catalog).ok  # the host's own words: still held


@pytest.mark.parametrize(("pid", "text", "lang", "said"), [
    ("station", "my mom uses an oxygen concentrator at night. can this keep it running during power cuts?", "en",
     "life-support"),
    ("aid", "我这个是右耳 前天早上起来突然就听不见了 买个这个戴上行不行", "zh", "耳鼻喉科"),
])
def test_a_situation_a_notice_warns_about_gets_the_notice(pid: str, text: str, lang: str, said: str) -> None:
    a = Answerer(Catalog.model_validate({"products": [MILK, AID, STATION]}), UseEmbedder())
    d = decide(a, text, pid, lang)
    assert d.kind == "fact" and said in d.text and "14 hours" not in d.text, d.text  # the notice, as written


def test_a_trial_period_is_the_returns_policy_and_rechargeable_the_battery() -> None:
    from vhost.brain import attributes

    assert attributes.detect("another shop told me hearing aids have a 30 day trial, same here?")[:1] == ["returns"]
    assert attributes.detect("有几天试听期") == ["returns"]
    assert attributes.detect("are they rechargeable?") == ["battery"]
    a = _answerer({"returns": "Hearing aids: 15-day trial from the day of delivery; full refund if it does not suit."})
    d = decide(a, "another shop told me hearing aids have a 30 day trial, same here?", "aid", "en")
    assert "15" in d.text and "30-day" not in d.text, d.text


def test_the_youngest_or_oldest_child_is_a_child() -> None:
    assert child_age("my youngest is 2, almost 2 and a half. can he use the pen too?") == 2
    assert child_age("my oldest is 5") == 5
