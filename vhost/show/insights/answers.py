"""How well chat was answered: reply latency (p50/p95), coverage of the questions, the top
questions grouped across languages, and the questions the catalog could not answer, each with a
suggested FAQ entry.

A question is covered when a reply was heard for it — or for the question triage merged it into —
that was not an honest "I'll check" (path "unknown"); when triage let it go because the same
question had just been answered ("already_answered"); or when the operator answered it later.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

from vhost.brain.embedding import Embedder
from vhost.show.insights.clusters import Question, describe, group_questions
from vhost.show.insights.messages import Message
from vhost.show.insights.record import SessionData

Strip = Callable[[str], str] | None
STATUSES = ("answered", "already_answered", "answered_by_operator", "honest_unknown", "dropped_by_triage",
            "not_answered")
COVERED = ("answered", "already_answered", "answered_by_operator")


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _stats(values: list[float]) -> dict[str, Any]:
    return {"n": len(values), "p50_s": percentile(values, 50), "p95_s": percentile(values, 95),
            "mean_s": sum(values) / len(values) if values else None, "max_s": max(values, default=None)}


def latency(session: SessionData) -> dict[str, Any]:
    """Seconds from a message's arrival to the first audio of its reply, overall and per path."""
    by_path: dict[str, list[float]] = {}
    values: list[float] = []
    for e in session.of("reply"):
        lat = e.data.get("latency_s")
        if isinstance(lat, int | float) and math.isfinite(lat):
            values.append(float(lat))
            by_path.setdefault(str(e.data.get("path") or "?"), []).append(float(lat))
    return {**_stats(values), "values_s": values,
            "by_path": {path: _stats(v) for path, v in sorted(by_path.items())}}


def _replied(session: SessionData) -> set[str]:
    """Chat ids a real answer was heard for (not an honest "I'll check")."""
    return {str(e.data.get("chat_id")) for e in session.of("reply")
            if str(e.data.get("heard_text") or "").strip() and e.data.get("path") != "unknown"}


def question_status(session: SessionData, questions: list[Message]) -> dict[str, str]:
    """Question id → one of STATUSES."""
    replied = _replied(session)
    unknown = {str(e.data.get("id")) for e in session.of("unanswered")}
    by_operator = {str(e.data.get("id")) for e in session.of("answered")}
    out = {}
    for m in questions:
        ids = {m.id, m.merged_into} - {None}
        if ids & replied:
            out[m.id] = "answered"
        elif m.reason == "duplicate" and "answered" in m.detail:
            out[m.id] = "already_answered"
        elif ids & by_operator:
            out[m.id] = "answered_by_operator"
        elif ids & unknown:
            out[m.id] = "honest_unknown"
        elif not m.accepted:
            out[m.id] = "dropped_by_triage"
        else:
            out[m.id] = "not_answered"
    return out


def coverage(status: dict[str, str]) -> dict[str, Any]:
    counts = Counter(status.values())
    total = len(status)
    covered = sum(counts[s] for s in COVERED)
    return {"questions": total, "covered": covered, "coverage": covered / total if total else None,
            **{s: counts.get(s, 0) for s in STATUSES}}


def top_questions(questions: list[Message], about: dict[str, str | None], status: dict[str, str],
                  embedder: Embedder | None, strip: Strip = None, limit: int = 10) -> list[dict[str, Any]]:
    """The questions asked most, grouped across languages, with how many were covered."""
    qs = [Question(m.id, m.text, m.lang, m.user, m.at, about.get(m.id)) for m in questions]
    out = []
    for group in group_questions(qs, embedder, strip)[:limit]:
        d = describe(group)
        d["covered"] = sum(status.get(q.id) in COVERED for q in group)
        out.append(d)
    return out


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def faq_entry(product: str | None, question: str, answer: str | None) -> str:
    """A suggested `[[products.faq]]` entry for the catalog (the answer left to write if unknown)."""
    a = _toml_str(answer) if answer else '""  # to write: the catalog does not say'
    return f"# product: {product or '?'}\n[[products.faq]]\nq = {_toml_str(question)}\na = {a}\n"


def unanswered_events(session: SessionData, not_questions: dict[str, str]) -> tuple[list[Any], dict[str, int]]:
    """The honest "I'll check" events for questions, and how many others there were by intent (a
    purchase signal or a complaint the brain could not place is not a question for the FAQ)."""
    events = session.of("unanswered")
    other = Counter(not_questions[str(e.data.get("id"))] for e in events if str(e.data.get("id")) in not_questions)
    return [e for e in events if str(e.data.get("id")) not in not_questions], dict(other)


def unanswered(session: SessionData, embedder: Embedder | None, strip: Strip = None,
               not_questions: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Questions the catalog could not answer, grouped, with counts, the operator's answer if one
    was given, and a suggested FAQ entry. `not_questions`: chat id → intent, left out."""
    answers = {str(e.data.get("id")): e.data for e in session.of("answered")}
    events, _ = unanswered_events(session, not_questions or {})
    qs = [Question(str(e.data.get("id")), str(e.data.get("text") or ""), str(e.data.get("lang") or "en"),
                   str(e.data.get("user") or ""), e.at, e.data.get("product_id")) for e in events]
    out = []
    for group in group_questions(qs, embedder, strip):
        d = describe(group)
        given = next((answers[q.id] for q in group if q.id in answers), None)
        d["answered_by_operator"] = sum(q.id in answers for q in group)
        d["operator_answer"] = given.get("text") if given else None
        d["saved_to_catalog"] = bool(given and given.get("saved"))
        d["suggested_faq"] = faq_entry(d["product"], d["label"], d["operator_answer"])
        out.append(d)
    return out
