"""The post-stream aggregates (vhost.show.insights) on a synthetic session written through the
session record's own API: every figure is checked against a value computed here from the plan of
the show (tests/report_helpers.py), not from the record."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from tests.report_helpers import (
    CATALOG,
    DURATION,
    EDITS,
    PLAN,
    SEGMENT_PLAN,
    SWITCHES,
    chat_id,
    expected_variant,
    write_show,
)
from vhost.brain.catalog import load_catalog
from vhost.brain.embedding import default_embedder
from vhost.show import insights
from vhost.show.insights.record import on_show_clock
from vhost.show.insights.script import WINDOW_S

MESSAGES = [(i, line) for i, line in enumerate(PLAN) if line.kind == "message"]
QUESTIONS = [(i, line) for i, line in MESSAGES if line.intent == "question"]


@pytest.fixture(scope="module")
def embedder():
    e = default_embedder()
    if e is None:
        pytest.skip("the packaged sentence embedding is not installed")
    return e


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("report") / "sessions.sqlite3"
    return path, write_show(path)


@pytest.fixture(scope="module")
def data(db, embedder) -> dict:
    path, sid = db
    return insights.analyze(insights.load_session(sid, path), insights.Products.from_catalog(load_catalog(CATALOG)),
                            embedder)


def test_the_record_is_read_on_the_show_clock(db) -> None:
    path, sid = db
    s = insights.load_session(sid, path)
    assert s.duration_s == DURATION
    chats = [e for e in s.events if e.kind == "chat"]
    assert [e.at for e in chats] == [line.t for line in PLAN]
    # rows without a show clock (before it started) are placed by the median wall-to-show offset
    raw = [{"seq": 1, "t": 1000.0, "t_show": None, "kind": "status", "data": {}},
           {"seq": 2, "t": 1010.0, "t_show": 4.0, "kind": "chat", "data": {}},
           {"seq": 3, "t": 1020.0, "t_show": 14.0, "kind": "chat", "data": {}}]
    assert [e.at for e in on_show_clock(raw, 990.0)] == [-6.0, 4.0, 14.0]
    assert [e.at for e in on_show_clock(raw[:1], 990.0)] == [10.0]  # no clock at all: since the start


def test_chat_volume_and_intent_mix_per_minute(data) -> None:
    per_min = Counter(int(line.t // 60) for _, line in MESSAGES)
    buys = Counter(int(line.t // 60) for _, line in MESSAGES if line.intent == "purchase")
    bins = int(DURATION // 60)
    assert data["volume"]["messages"] == [per_min.get(m, 0) for m in range(bins)]
    assert data["volume"]["purchase_signals"] == [buys.get(m, 0) for m in range(bins)]
    series = data["intents"]["per_bin"]["series"]
    for intent in {line.intent for _, line in MESSAGES}:
        want = Counter(int(line.t // 60) for _, line in MESSAGES if line.intent == intent)
        assert series[intent] == [want.get(m, 0) for m in range(bins)], intent
    total = data["intents"]["total"]
    assert total["question"]["count"] == len(QUESTIONS)
    assert total["question"]["share"] == pytest.approx(len(QUESTIONS) / len(MESSAGES))
    h = data["headline"]
    assert (h["messages"], h["questions"], h["viewers"]) == (
        len(MESSAGES), len(QUESTIONS), len({line.user for _, line in MESSAGES}))
    assert h["purchase_signals"] == sum(line.intent == "purchase" for _, line in MESSAGES)


def test_sentiment_shares(data) -> None:
    total = data["sentiment"]["total"]
    assert total["complaint"]["count"] == 1  # "this is a scam, my order never arrived"
    assert total["negative"]["count"] == 1  # "too expensive"
    assert total["positive"]["count"] == 1  # "love it, so cute ❤"
    assert total["neutral"]["count"] == len(MESSAGES) - 3
    assert sum(v["share"] for v in total.values()) == pytest.approx(1.0)


def test_product_segments_and_funnel(data) -> None:
    segs = data["products"]["segments"]
    bounds = [0.0, *(t for t, _ in SWITCHES), DURATION]
    assert [(s["product"], s["start_s"], s["end_s"]) for s in segs] == [
        (pid, bounds[k], bounds[k + 1]) for k, pid in enumerate(["mug", *(p for _, p in SWITCHES)])]
    funnel = {r["product"]: r for r in data["products"]["funnel"]}
    for pid in ("mug", "earbuds", "lamp"):
        about = [line for _, line in MESSAGES if line.about == pid]
        row = funnel[pid]
        assert row["mentions"] == len(about), pid
        assert row["questions"] == sum(line.intent == "question" for line in about), pid
        assert row["purchase_signals"] == sum(line.intent == "purchase" for line in about), pid
        assert row["mentions"] >= row["questions"] >= 0 and row["mentions"] >= row["purchase_signals"]
    assert funnel["mug"]["on_screen_s"] == SWITCHES[0][0]
    assert set(funnel) == {"mug", "earbuds", "lamp"}


def test_answer_latency_percentiles(data) -> None:
    lat = [line.latency for line in PLAN if line.latency is not None]
    got = data["latency"]
    assert got["n"] == len(lat)
    assert got["p50_s"] == pytest.approx(float(np.percentile(lat, 50)))
    assert got["p95_s"] == pytest.approx(float(np.percentile(lat, 95)))
    assert got["max_s"] == max(lat)
    facts = [line.latency for line in PLAN if line.latency is not None and line.path == "facts"]
    assert got["by_path"]["facts"]["p95_s"] == pytest.approx(float(np.percentile(facts, 95)))
    assert data["headline"]["latency_p50_s"] == pytest.approx(float(np.percentile(lat, 50)))


def _expected_status(i: int) -> str:
    line = PLAN[i]
    target = PLAN[int(line.merged_into[1:]) - 1] if line.merged_into else line
    if target.latency is not None and target.path != "unknown":
        return "answered"
    if line.detail == "just answered":
        return "already_answered"
    if chat_id(i) == "c9":  # the operator answered this one (write_show)
        return "answered_by_operator"
    if line.unanswered:
        return "honest_unknown"
    return "not_answered"


def test_answer_coverage(data) -> None:
    want = Counter(_expected_status(i) for i, _ in QUESTIONS)
    cov = data["coverage"]
    assert cov["questions"] == len(QUESTIONS)
    for status, n in want.items():
        assert cov[status] == n, status
    covered = want["answered"] + want["already_answered"] + want["answered_by_operator"]
    assert cov["coverage"] == pytest.approx(covered / len(QUESTIONS))
    assert (covered, len(QUESTIONS)) == (11, 14)


def _ids(groups: list[dict]) -> list[set[str]]:
    return [set(g["ids"]) for g in groups]


def test_top_questions_count_one_question_asked_in_two_languages_once(data) -> None:
    price = {chat_id(i) for i, line in QUESTIONS if line.about == "mug" and (
        "how much" in line.text.lower() or "多少钱" in line.text or "price" in line.text)}
    battery = {chat_id(i) for i, line in QUESTIONS if "battery" in line.text or "电池" in line.text}
    top = data["top_questions"]
    assert set(top[0]["ids"]) == price and top[0]["count"] == len(price) == 6
    assert top[0]["langs"] == {"en": 4, "zh": 2}
    assert battery in _ids(top)
    g = next(g for g in top if set(g["ids"]) == battery)
    assert g["langs"] == {"en": 1, "zh": 1} and g["product"] == "earbuds"
    # the lamp's price is another question than the mug's
    assert {chat_id(i) for i, line in QUESTIONS if line.text == "台灯多少钱？"} in _ids(top)
    assert sum(g["count"] for g in top) == len(QUESTIONS)


def test_unanswered_questions_grouped_with_a_faq_entry(data) -> None:
    groups = data["unanswered"]
    assert [g["count"] for g in groups] == [2, 1]
    mug = groups[0]
    assert set(mug["ids"]) == {chat_id(i) for i, line in enumerate(PLAN) if line.unanswered and line.about == "mug"}
    assert mug["langs"] == {"en": 1, "zh": 1} and mug["product"] == "mug"
    assert mug["operator_answer"] == "Yes, a gift box is included." and mug["saved_to_catalog"]
    assert '[[products.faq]]' in mug["suggested_faq"] and 'a = "Yes, a gift box is included."' in mug["suggested_faq"]
    assert groups[1]["product"] == "earbuds" and 'a = ""' in groups[1]["suggested_faq"]
    # an honest "I'll check" to a purchase signal is no question for the FAQ: counted apart
    assert data["headline"]["unanswered"] == sum(line.unanswered and line.intent == "question" for line in PLAN)
    assert data["unanswered_not_questions"] == {"purchase": 1}


def test_questions_grouped_by_words_without_the_embedding(db) -> None:
    path, sid = db
    d = insights.analyze(insights.load_session(sid, path), insights.Products.from_catalog(load_catalog(CATALOG)), None)
    # price is one precise topic in both languages: still one group
    assert d["top_questions"][0]["count"] == 6
    assert d["top_questions"][0]["langs"] == {"en": 4, "zh": 2}


def _expected_attribution() -> list[tuple[str, int, float]]:
    """(variant, purchase signals, window seconds) per segment, by brute force over the plan."""
    buys = [line.t for _, line in MESSAGES if line.intent == "purchase"]
    out = []
    for start, _, kind, cycle, _ in sorted(SEGMENT_PLAN):
        later = [s[0] for s in SEGMENT_PLAN if s[2] == kind and s[0] > start]  # the next one of its kind
        end = min([start + WINDOW_S, DURATION, *later])
        out.append((expected_variant(kind, cycle), sum(start <= t < end for t in buys), end - start))
    return out


def test_script_variants_and_the_purchase_signals_after_them(data) -> None:
    want = _expected_attribution()
    segs = data["script"]["segments"]
    assert [(s["variant"], s["purchase_signals"], s["window_s"]) for s in segs] == want
    assert [s["interrupted"] for s in segs] == [cut for *_, cut in sorted(SEGMENT_PLAN)]
    by = {r["variant"]: r for r in data["script"]["variants"]}
    for variant in {v for v, _, _ in want}:
        rows = [(n, w) for v, n, w in want if v == variant]
        r = by[variant]
        assert r["said"] == len(rows)
        assert r["purchase_signals"] == sum(n for n, _ in rows)
        assert r["per_min"] == pytest.approx(sum(n for n, _ in rows) / (sum(w for _, w in rows) / 60))
    assert by[expected_variant("offer", 0)]["said"] == 2  # the same template twice: counted together


def test_holds_edits_drafts_and_gifts(data) -> None:
    kinds = Counter(h["kind"] for h in data["holds"])
    assert kinds == {"draft held by a guard": 1, "script line held": 1}
    held = next(h for h in data["holds"] if h["kind"] == "draft held by a guard")
    assert held["reasons"] == ["compliance: 'safe forever'"] and held["outcome"] == "skipped"
    assert [(e["before"], e["after"]) for e in data["edits"]] == [(b, a) for _, b, a in EDITS]
    assert data["drafts"]["outcomes"] == {"skipped": 1, "spoken": 1}
    gifts = [line for line in PLAN if line.kind in ("gift", "paid")]
    g = data["gifts"]
    assert g["events"] == len(gifts) and g["supporters"] == len({line.user for line in gifts})
    for cur in {line.currency for line in gifts}:
        assert g["totals"][cur] == sum(line.amount for line in gifts if line.currency == cur)
    assert g["top"][0]["user"] == "Zoe" and g["top"][0]["events"] == 2


def test_headline_alone_equals_the_full_analysis(db, data) -> None:
    path, sid = db
    assert insights.headline(insights.load_session(sid, path)) == data["headline"]


def test_two_sessions_compared(db, data, tmp_path) -> None:
    path, _ = db
    fewer = [line for line in PLAN if not (line.intent == "purchase" and line.t > 300)]  # no buys after 5 min
    other = tmp_path / "other.sqlite3"
    sid_b = write_show(other, fewer, answer_gift_box=False)
    b = insights.analyze(insights.load_session(sid_b, other), insights.Products.from_catalog(load_catalog(CATALOG)))
    cmp = insights.compare(data, b)
    rows = {r["figure"]: r for r in cmp["headline"]}
    removed = len(PLAN) - len(fewer)
    assert rows["purchase_signals"]["delta"] == -removed
    assert rows["messages"]["delta"] == -removed
    funnel = {r["product"]: r for r in cmp["funnel"]}
    earbuds = sum(line.intent == "purchase" and line.about == "earbuds" for line in PLAN)
    assert funnel["earbuds"]["a"]["purchase_signals"] == earbuds == 3 and funnel["earbuds"]["b"]["purchase_signals"] == 0
    variants = {r["variant"]: r for r in cmp["variants"]}
    assert set(variants) == {v for v, _, _ in _expected_attribution()}
    assert all(r["a"]["said"] == r["b"]["said"] for r in variants.values())


def test_unknown_session_and_missing_database(tmp_path, db) -> None:
    path, _ = db
    with pytest.raises(insights.SessionNotFound, match="no session 'nope'"):
        insights.load_session("nope", path)
    with pytest.raises(insights.SessionNotFound, match="no session database"):
        insights.load_session("x", tmp_path / "missing.sqlite3")
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not a database")
    with pytest.raises(insights.SessionNotFound, match="not a session database"):
        insights.load_session("x", bad)


def test_an_empty_session_analyses_to_zeros(tmp_path) -> None:
    from vhost.show.session_record import SessionRecord

    rec = SessionRecord(tmp_path / "s.sqlite3")
    rec.close()
    d = insights.analyze(insights.load_session(rec.id, tmp_path / "s.sqlite3"))
    assert d["headline"]["messages"] == 0 and d["coverage"]["coverage"] is None
    assert d["latency"]["p50_s"] is None and d["top_questions"] == [] and d["script"]["variants"] == []


def test_the_script_loop_names_the_variant_it_said_and_the_report_reads_it() -> None:
    from vhost.brain.catalog import Product
    from vhost.brain.script_loop import ScriptLoop
    from vhost.show.insights.script import variant_of

    p = Product.model_validate({"id": "mug", "name": "Mug", "price": 20, "original_price": 30, "stock": 5,
                                "selling_points": ["Keeps tea hot", "Leak-proof lid"]})
    loop = ScriptLoop(p)
    for _ in range(8):  # two cycles: the variants change with the cycle
        seg = loop.current()
        assert seg.variant >= 1 and seg.template
        # the report's fallback (matching heard words against the templates) agrees with the loop
        assert variant_of(seg.kind, seg.text) == (f"{seg.kind}#{seg.variant}", seg.template)
        loop.advance()
