"""The live dashboard's figures (vhost.show.insights.live), folded in event by event, without Qt:
per-minute volume and intents, sentiment share, interest per product and the switch suggestion,
question statuses and coverage, answer latency and age, gifts. At the end of the synthetic show of
tests/report_helpers.py they equal the post-stream report's figures for the same record."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from tests.report_helpers import CATALOG, DURATION, PLAN, write_show
from vhost.brain.catalog import load_catalog
from vhost.show import insights
from vhost.show.insights.live import LOST_AFTER_S, SWITCH_MIN_QUESTIONS, LiveInsights, event_time

PRODUCTS = insights.Products.from_catalog(load_catalog(CATALOG))


def chat(i, text, intent="question", t=None, **extra):
    return {"id": f"c{i}", "user": f"u{i}", "text": text, "intent": intent, "accepted": True, "reason": "queued",
            "received_at": float(i if t is None else t), **extra}


def feed(live: LiveInsights, events) -> LiveInsights:
    for kind, data in events:
        live.observe(kind, data, event_time(kind, data) or 0.0)
    return live


# --- against the report ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """The synthetic show's record, replayed in time order into LiveInsights, and the report's
    analysis of the same record."""
    path = tmp_path_factory.mktemp("live") / "sessions.sqlite3"
    session = insights.load_session(write_show(path), path)
    live = LiveInsights(PRODUCTS, sentiment_s=1e9, recent_s=1e9)
    for e in sorted(session.events, key=lambda e: (e.at, e.seq)):
        live.observe(e.kind, e.data, event_time(e.kind, e.data) or e.at)
    return live, insights.analyze(session, PRODUCTS, None)


def test_the_live_view_at_the_end_of_the_show_equals_the_report(replayed) -> None:
    live, report = replayed
    snap = live.snapshot(DURATION - 1)
    funnel = {r["product"]: r for r in report["products"]["funnel"]}
    for row in snap["products"]:
        want = funnel[row["product"]]
        assert (row["mentions"], row["questions"], row["purchase_signals"]) == (
            want["mentions"], want["questions"], want["purchase_signals"]), row["product"]
    cov = report["coverage"]
    for key in cov:
        assert snap["answers"][key] == cov[key], key
    bins = len(report["volume"]["messages"])
    assert snap["per_minute"]["messages"][-bins:] == report["volume"]["messages"]
    for intent, series in report["intents"]["per_bin"]["series"].items():
        if intent != "safety" and any(series):
            assert snap["per_minute"]["intents"][intent][-bins:] == series, intent
    for s, v in report["sentiment"]["total"].items():
        assert snap["sentiment"]["shares"][s] == pytest.approx(v["share"]), s
    assert snap["messages"] == report["headline"]["messages"]
    assert snap["gifts"]["events"] == report["gifts"]["events"]
    assert snap["gifts"]["totals"] == report["gifts"]["totals"]
    lat = [line.latency for line in PLAN if line.latency is not None]
    assert snap["answers"]["latency_p50_s"] == pytest.approx(float(np.percentile(lat, 50)))
    assert snap["answers"]["latency_p95_s"] == pytest.approx(float(np.percentile(lat, 95)))
    assert snap["on_screen"] == "lamp"  # the last switch


# --- one figure at a time -----------------------------------------------------------------------
def test_per_minute_bins_keep_the_last_fifteen_minutes_with_intents() -> None:
    live = feed(LiveInsights(PRODUCTS), [
        ("chat", chat(1, "how much is the mug?", t=5)),
        ("chat", chat(2, "I'll take it", "purchase", t=61)),
        ("chat", chat(3, "hi", "greeting", t=62)),
    ])
    early = live.snapshot(70.0)
    assert early["per_minute"]["messages"][-3:] == [0, 1, 2] and early["per_minute"]["start_s"][-1] == 60.0
    assert early["per_minute"]["intents"]["purchase"][-1] == 1
    assert early["per_minute"]["intents"]["greeting"][-1] == 1
    assert early["messages_last_min"] == 2  # the one at 5 s is more than a minute old
    feed(live, [("chat", chat(4, "is it safe for my baby?", "safety", t=1000))])
    per = live.snapshot(1010.0)["per_minute"]
    assert len(per["messages"]) == 15 and per["start_s"][-1] == 960.0
    assert per["messages"][-1] == 1 and sum(per["messages"]) == 1  # minutes 0 and 1 are long gone
    assert per["intents"]["question"][-1] == 1  # safety is plotted as a question
    assert live.messages == 4


def test_a_message_delivered_twice_counts_once_and_events_are_not_chat_lines() -> None:
    live = feed(LiveInsights(PRODUCTS), [
        ("chat", chat(1, "how much is the mug?")), ("chat", chat(1, "how much is the mug?")),
        ("chat", {**chat(2, ""), "kind": "gift", "amount": 5.0, "currency": "USD"}),
        ("chat", {**chat(3, "thanks!"), "kind": "paid", "amount": 2.5, "currency": "USD"}),
        ("chat", {**chat(4, "", t=400), "kind": "membership"}),
    ])
    snap = live.snapshot(400.0)
    assert snap["messages"] == 1 and snap["answers"]["questions"] == 1
    g = snap["gifts"]
    assert (g["events"], g["recent"], g["totals"], g["supporters"]) == (3, 1, {"USD": 7.5}, 3)


def test_sentiment_share_covers_the_last_minutes_only() -> None:
    live = feed(LiveInsights(PRODUCTS), [
        ("chat", chat(1, "this is a scam, my order never arrived", "complaint", t=10)),
        ("chat", chat(2, "love it, so cute", "other", t=400)),
        ("chat", chat(3, "too expensive", "other", t=410)),
        ("chat", chat(4, "ok", "other", t=420)),
        ("chat", chat(5, "太贵了", "other", t=430)),
    ])
    s = live.snapshot(430.0)["sentiment"]
    assert s["n"] == 4  # the complaint at 10 s is older than five minutes
    assert s["shares"] == {"positive": 0.25, "neutral": 0.25, "negative": 0.5, "complaint": 0.0}
    assert live.snapshot(10.0 + 1)["sentiment"]["n"] == 4  # a snapshot never un-prunes; windows only move on


def test_interest_per_product_and_the_switch_suggestion() -> None:
    live = LiveInsights(PRODUCTS)
    assert live.on_screen == "mug"  # the catalog's first product until the show says otherwise
    feed(live, [("state", {"product": {"id": "mug", "name": "Mug"}, "clock": 0.0}),
                ("chat", chat(1, "how much?", t=10)),  # names nothing: the product on screen
                ("chat", chat(2, "love the lamp", "other", t=11)),
                ("chat", chat(3, "how bright is the lamp?", t=20)),
                ("chat", chat(4, "台灯多少钱？", t=30))])
    assert live.suggestion(30.0) is None  # two questions: not yet clearly
    feed(live, [("chat", chat(5, "does the lamp have a timer?", t=40))])
    sug = live.suggestion(40.0)
    assert sug == {"product": "lamp", "name": "Lumen Arc LED Desk Lamp", "recent_questions": SWITCH_MIN_QUESTIONS,
                   "on_screen_questions": 1, "window_s": 180.0}
    rows = {r["product"]: r for r in live.snapshot(40.0)["products"]}
    assert [r["product"] for r in live.interest(40.0)] == ["mug", "earbuds", "lamp"]  # catalog order
    assert (rows["lamp"]["mentions"], rows["lamp"]["questions"], rows["lamp"]["recent_questions"]) == (4, 3, 3)
    assert rows["mug"]["on_screen"] and rows["mug"]["questions"] == 1
    feed(live, [("chat", chat(6, "what about the mug's lid?", t=41)),
                ("chat", chat(7, "mug price?", t=42))])
    assert live.suggestion(42.0) is None  # 3 vs 3: not clearly more
    feed(live, [("chat", chat(8, "灯能定时吗？", t=43)), ("chat", chat(9, "lamp colours?", t=44)),
                ("chat", chat(10, "how tall is the lamp?", t=45))])
    assert live.suggestion(45.0)["recent_questions"] == 6  # 6 vs 3: clearly
    assert live.suggestion(45.0 + 180.0) is None  # three minutes later nobody is asking anything
    assert live.interest(45.0 + 180.0)[2]["questions"] == 6  # the show's totals stay
    feed(live, [("product", {"id": "lamp", "name": "Lamp"}), ("chat", chat(11, "lamp price?", t=300)),
                ("chat", chat(12, "lamp size?", t=301)), ("chat", chat(13, "lamp weight?", t=302))])
    assert live.suggestion(302.0) is None  # the lamp is on screen now


def test_question_statuses_follow_replies_merges_triage_drafts_and_the_operator() -> None:
    live = feed(LiveInsights(PRODUCTS), [
        ("chat", chat(1, "how much is the mug?", t=0)),
        ("chat", chat(2, "mug price?", t=1, reason="merged", merged_into="c1")),
        ("reply", {"chat_id": "c1", "heard_text": "$24.99", "path": "facts", "latency_s": 1.0}),
        ("chat", chat(3, "how much is it", t=2, accepted=False, reason="duplicate", detail="just answered")),
        ("chat", chat(4, "is the lid BPA-free?", t=3)),
        ("unanswered", {"id": "c4", "user": "u4", "text": "is the lid BPA-free?", "product_id": "mug",
                        "lang": "en", "at": 4.0, "said": "I'll check."}),
        ("chat", chat(5, "does it fit a cup holder?", t=5)),
        ("triage", {"id": "c5", "accepted": False, "intent": "question", "reason": "stale"}),
        ("chat", chat(6, "what colours?", t=6)),
        ("draft", {"change": "skipped", "draft": {"id": "d1", "chat_id": "c6", "state": "skipped"}, "now": 7.0}),
        ("chat", chat(7, "does it leak?", t=8)),
        ("reply", {"chat_id": "c7", "heard_text": "", "interrupted": True, "path": "facts", "latency_s": 2.0}),
        ("chat", chat(8, "is it heavy?", t=9)),
    ])
    a = live.snapshot(10.0)["answers"]
    assert (a["answered"], a["already_answered"], a["honest_unknown"], a["dropped_by_triage"]) == (2, 1, 1, 1)
    assert a["not_answered"] == 3 and a["open"] == 1 and a["oldest_open_s"] == pytest.approx(1.0)
    assert live.snapshot(10.0)["unanswered"] == 1
    feed(live, [("answered", {"id": "c4", "text": "Yes, BPA-free.", "saved": True})])
    a = live.snapshot(10.0)["answers"]
    assert (a["answered_by_operator"], a["honest_unknown"], a["covered"], a["questions"]) == (1, 0, 4, 8)
    assert a["coverage"] == pytest.approx(0.5)
    assert live.snapshot(10.0)["unanswered"] == 0
    assert live.snapshot(9.0 + LOST_AFTER_S + 1)["answers"]["open"] == 0  # nobody waits that long any more


def test_answer_latency_and_age() -> None:
    live = LiveInsights(PRODUCTS)
    assert live.snapshot(0.0)["answers"]["latency_p50_s"] is None
    for i, lat in enumerate([1.0, 2.0, 3.0, 4.0, 10.0]):
        live.observe("chat", chat(i, "how much is the mug?", t=i * 10), i * 10.0)
        live.observe("reply", {"chat_id": f"c{i}", "heard_text": "ok", "path": "facts", "latency_s": lat},
                     i * 10.0 + lat + 1)
    a = live.snapshot(60.0)["answers"]
    assert a["latency_n"] == 5 and a["latency_p50_s"] == 3.0
    assert a["latency_p95_s"] == pytest.approx(float(np.percentile([1, 2, 3, 4, 10], 95)))
    assert a["last_answer_ago_s"] == pytest.approx(60.0 - 51.0)
    assert (a["coverage"], a["open"], a["oldest_open_s"]) == (1.0, 0, None)


def test_event_time_reads_the_show_clock_each_event_carries() -> None:
    assert event_time("chat", {"received_at": 12.5}) == 12.5
    assert event_time("state", {"clock": 3}) == 3.0
    assert event_time("unanswered", {"at": 7.0}) == 7.0
    assert event_time("draft", {"now": 8.0}) == 8.0
    assert event_time("reply", {"latency_s": 1.0}) is None
    assert event_time("chat", {"received_at": float("nan")}) is None
    assert event_time("chat", {"received_at": True}) is None


def test_an_empty_show_snapshots_to_zeros() -> None:
    snap = LiveInsights().snapshot(0.0)
    assert snap["messages"] == 0 and snap["products"] == [] and snap["suggestion"] is None
    assert snap["answers"]["coverage"] is None and snap["sentiment"]["n"] == 0
    assert Counter(snap["per_minute"]["messages"]) == Counter({0: 15})
