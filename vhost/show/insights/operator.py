"""What the operator and the guards did, and who paid: compliance holds, operator edits, the fate
of the drafts, gifts and supporters."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from vhost.show.insights.messages import SUPPORT_KINDS, Message
from vhost.show.insights.record import SessionData

FINAL = ("spoken", "approved", "skipped", "expired", "failed")


def _draft_fates(session: SessionData) -> dict[str, str]:
    """Draft id → its last change (spoken, skipped, expired, ...; "pending" if none came)."""
    fate: dict[str, str] = {}
    for e in session.of("draft"):
        d = e.data.get("draft") or {}
        change = str(e.data.get("change") or "")
        if d.get("id") and change in (*FINAL, "created"):
            if change != "created" or d["id"] not in fate:
                fate[d["id"]] = "pending" if change == "created" else change
    return fate


def holds(session: SessionData) -> list[dict[str, Any]]:
    """Every line a guard or the operator held back: drafts held by a filter (with the reasons),
    fragments dropped from a spoken reply, script lines never said, drafts the operator held."""
    fates = _draft_fates(session)
    out: list[dict[str, Any]] = []
    for e in session.of("draft", "reply", "warning"):
        d = e.data
        if e.kind == "draft":
            draft = d.get("draft") or {}
            change = d.get("change")
            flagged = change == "created" and (draft.get("source") == "guard" or draft.get("reasons"))
            if flagged or change == "held":
                out.append({"at": e.at, "kind": "operator hold" if change == "held" else "draft held by a guard",
                            "user": draft.get("user", ""), "question": draft.get("chat_text", ""),
                            "text": draft.get("text", ""), "reasons": list(draft.get("reasons") or []),
                            "outcome": fates.get(draft.get("id", ""), "pending")})
        elif e.kind == "reply" and (d.get("compliance") or d.get("held_back")):
            out.append({"at": e.at, "kind": "reply cut short", "user": d.get("user", ""),
                        "question": d.get("chat_text", ""), "text": " ".join(d.get("held_back") or []),
                        "reasons": list(d.get("compliance") or []), "outcome": "rest not said"})
        elif e.kind == "warning" and str(d.get("text", "")).startswith("script line held"):
            out.append({"at": e.at, "kind": "script line held", "user": "", "question": "",
                        "text": str(d["text"]), "reasons": [], "outcome": "not said"})
    return out


def edits(session: SessionData) -> list[dict[str, Any]]:
    """The operator's edits to drafts: before and after, in order."""
    return [{"at": e.at, "draft": (e.data.get("draft") or {}).get("id"),
             "user": (e.data.get("draft") or {}).get("user", ""),
             "before": e.data.get("before", ""), "after": e.data.get("after", "")}
            for e in session.of("draft") if e.data.get("change") == "edited"]


def drafts(session: SessionData) -> dict[str, Any]:
    """How many drafts there were (by source) and how each ended."""
    sources: Counter = Counter()
    for e in session.of("draft"):
        if e.data.get("change") == "created":
            sources[(e.data.get("draft") or {}).get("source", "reply")] += 1
    fates = Counter(_draft_fates(session).values())
    return {"created": sum(sources.values()), "by_source": dict(sources), "outcomes": dict(fates),
            "edited": len(edits(session))}


def gifts(msgs: list[Message], top: int = 10) -> dict[str, Any]:
    """Gifts, paid messages and memberships: totals per currency, and the top supporters."""
    support = [m for m in msgs if m.kind in SUPPORT_KINDS]
    totals: dict[str, float] = defaultdict(float)
    people: dict[str, dict[str, Any]] = {}
    for m in support:
        p = people.setdefault(m.user, {"user": m.user, "events": 0, "amounts": defaultdict(float)})
        p["events"] += 1
        if m.amount is not None:
            cur = m.currency or "?"
            totals[cur] += m.amount
            p["amounts"][cur] += m.amount
    ranked = sorted(people.values(), key=lambda p: (-p["events"], -sum(p["amounts"].values()), p["user"]))
    return {"events": len(support), "by_kind": dict(Counter(m.kind for m in support)),
            "totals": dict(totals), "supporters": len(people),
            "raids": sum(1 for m in msgs if m.kind == "raid"),
            "top": [{**p, "amounts": dict(p["amounts"])} for p in ranked[:top]],
            "timeline_s": [m.at for m in support]}
