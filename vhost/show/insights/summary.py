"""Everything the report shows about one session, as one JSON-ready dict; the headline figures
of a session (cheap: for `vhost session list`); two sessions side by side."""

from __future__ import annotations

import time
from typing import Any

from vhost.brain.embedding import Embedder
from vhost.show.insights import answers, operator, products, script
from vhost.show.insights.messages import (
    INTENT_ORDER,
    SENTIMENTS,
    Message,
    chat_lines,
    messages,
    mix_per_bin,
    shares,
    volume_per_bin,
)
from vhost.show.insights.record import SessionData

BIN_S = 60.0


def _bin_s(duration_s: float) -> float:
    """One-minute bins from an eight-minute show on; five-minute bins past two hours, so a long show's
    plots stay readable; a short show in bins of 30, 15 or 10 s (at least ten of them)."""
    if duration_s > 2 * 3600:
        return 5 * BIN_S
    if duration_s >= 8 * BIN_S:
        return BIN_S
    return next((b for b in (30.0, 15.0) if duration_s / b >= 10), 10.0)


def analyze(session: SessionData, catalog_products: products.Products | None = None,
            embedder: Embedder | None = None) -> dict[str, Any]:
    """The full set of aggregates for the report (see vhost.show.insights for each part)."""
    prods = products.learn_names(session, catalog_products or products.Products())
    msgs = messages(session)
    duration = session.duration_s
    bin_s = _bin_s(duration)
    segs = products.timeline(session, prods)
    about = products.attribute(msgs, segs, prods)
    questions = [m for m in msgs if m.is_question]
    status = answers.question_status(session, questions)
    attributed = script.attribute(script.segments(session), msgs, duration)
    others = _not_questions(msgs)
    return {
        "session": _session_info(session),
        "headline": _headline(session, msgs, status),
        "volume": volume_per_bin(msgs, duration, bin_s),
        "intents": {"total": shares(msgs, "intent", INTENT_ORDER),
                    "per_bin": mix_per_bin(msgs, duration, "intent", INTENT_ORDER, bin_s)},
        "sentiment": {"total": shares(msgs, "sentiment", SENTIMENTS),
                      "per_bin": mix_per_bin(msgs, duration, "sentiment", SENTIMENTS, bin_s)},
        "products": {"segments": segs, "funnel": products.funnel(msgs, about, segs, prods)},
        "latency": answers.latency(session),
        "coverage": answers.coverage(status),
        "top_questions": answers.top_questions(questions, about, status, embedder, prods.strip),
        "unanswered": answers.unanswered(session, embedder, prods.strip, others),
        "unanswered_not_questions": answers.unanswered_events(session, others)[1],
        "holds": operator.holds(session),
        "edits": operator.edits(session),
        "drafts": operator.drafts(session),
        "gifts": operator.gifts(msgs),
        "script": {"window_s": script.WINDOW_S, "segments": attributed, "variants": script.by_variant(attributed)},
    }


def _session_info(session: SessionData) -> dict[str, Any]:
    return {"id": session.id, "started_at": session.started_at, "ended_at": session.ended_at,
            "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(session.started_at)),
            "duration_s": session.duration_s, "meta": session.meta, "events": len(session.events)}


def _not_questions(msgs: list[Message]) -> dict[str, str]:
    return {m.id: m.intent for m in msgs if m.kind == "message" and not m.is_question}


def _headline(session: SessionData, msgs: list[Message], status: dict[str, str]) -> dict[str, Any]:
    lines = chat_lines(msgs)
    cov = answers.coverage(status)
    lat = [float(e.data["latency_s"]) for e in session.of("reply")
           if isinstance(e.data.get("latency_s"), int | float)]
    minutes = session.duration_s / 60.0
    return {
        "duration_min": minutes,
        "messages": len(lines),
        "messages_per_min": len(lines) / minutes if minutes > 0 else None,
        "viewers": len({m.user for m in lines}),
        "questions": cov["questions"],
        "coverage": cov["coverage"],
        "latency_p50_s": answers.percentile(lat, 50),
        "latency_p95_s": answers.percentile(lat, 95),
        "purchase_signals": sum(m.is_purchase for m in lines),
        "unanswered": len(answers.unanswered_events(session, _not_questions(msgs))[0]),
        "gifts": sum(1 for m in msgs if m.kind in ("gift", "paid", "membership")),
        "holds": len(operator.holds(session)),
        "edits": sum(1 for e in session.of("draft") if e.data.get("change") == "edited"),
        "script_segments": len(script.segments(session)),
    }


def headline(session: SessionData) -> dict[str, Any]:
    """The headline figures alone (no grouping, no embeddings): fast enough for a list."""
    msgs = messages(session)
    questions = [m for m in msgs if m.is_question]
    return _headline(session, msgs, answers.question_status(session, questions))


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Two analyses side by side: headline figures with the difference, funnel and variants."""
    ha, hb = a["headline"], b["headline"]
    rows = []
    for key in ha:
        va, vb = ha.get(key), hb.get(key)
        delta = vb - va if isinstance(va, int | float) and isinstance(vb, int | float) else None
        rows.append({"figure": key, "a": va, "b": vb, "delta": delta})
    variants: dict[str, dict[str, Any]] = {}
    for side, an in (("a", a), ("b", b)):
        for v in an["script"]["variants"]:
            variants.setdefault(v["variant"], {"variant": v["variant"], "template": v["template"]})[side] = {
                k: v[k] for k in ("said", "purchase_signals", "window_s", "per_min")}
    funnel: dict[str, dict[str, Any]] = {}
    for side, an in (("a", a), ("b", b)):
        for f in an["products"]["funnel"]:
            funnel.setdefault(f["product"], {"product": f["product"], "name": f["name"]})[side] = {
                k: f[k] for k in ("mentions", "questions", "purchase_signals")}
    return {"a": a["session"]["id"], "b": b["session"]["id"], "headline": rows,
            "variants": sorted(variants.values(), key=lambda r: script.variant_order(r["variant"])),
            "funnel": sorted(funnel.values(), key=lambda r: r["product"])}
