"""Which pitch sells: every script segment heard, which variant (template) of it, and the purchase
signals that followed it.

The variant is the record's own `variant` field when the script loop wrote one; otherwise it is
found by matching the heard words against the script loop's templates (vhost.brain.script_loop:
five per segment and language); an LLM paraphrase matches none and counts as "paraphrased".
Attribution is last-touch within each segment kind: a purchase signal counts for the latest hook,
the latest features line, the latest offer and the latest call to action started before it (at
most `window_s` after each), so the variants of one segment are compared with each other; the rate
is signals per minute of those windows. Counts come with every rate, so nobody over-reads a
variant said twice.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import Any

from vhost.brain.script_loop import SEGMENTS, templates
from vhost.show.insights.messages import Message, chat_lines
from vhost.show.insights.record import SessionData

WINDOW_S = 120.0
_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _patterns() -> list[tuple[str, str, int, re.Pattern[str], str]]:
    """(lang, segment kind, template index, compiled pattern, template text) for every template."""
    out = []
    for lang in ("en", "zh"):
        for kind in SEGMENTS:
            for i, template in enumerate(templates(kind, lang)):
                parts = _FIELD.split(template)  # literal, field, literal, field, ...
                rx = "".join(re.escape(p) if j % 2 == 0 else "(.*?)" for j, p in enumerate(parts))
                out.append((lang, kind, i, re.compile(rx.replace(r"\.", r"\.?"), re.DOTALL), template))
    return out


def variant_of(kind: str, text: str) -> tuple[str, str]:
    """(variant id, template) of a heard script line: ("offer#3", "Today it's {price}{was}.").
    A line cut short matches by the template's opening words; a paraphrase: ("offer#?", "")."""
    text = text.strip()
    candidates = [(i, rx, template) for _, k, i, rx, template in _patterns() if k == kind]
    for i, rx, template in candidates:
        if rx.fullmatch(text):
            return f"{kind}#{i + 1}", template
    best, best_len = None, 0
    for i, _, template in candidates:  # cut short: the words before the first fact, or part of them
        opening = template.split("{", 1)[0].strip()
        n = len(os.path.commonprefix([text, opening]))
        if opening and n >= min(len(opening), 6) and n > best_len and (n == len(opening) or n == len(text)):
            best, best_len = (f"{kind}#{i + 1}", template), n
    return best or (f"{kind}#?", "")


def segments(session: SessionData) -> list[dict[str, Any]]:
    """Every script segment heard (or cut), in order: start, kind, variant, text, interrupted."""
    out = []
    for e in session.of("spoken"):
        d = e.data
        if d.get("source") != "script" and not d.get("segment"):
            continue
        kind = str(d.get("segment") or "script")
        text = str(d.get("heard_text") or "")
        if d.get("variant"):
            variant, template = f"{kind}#{d['variant']}", str(d.get("template") or "")
        else:
            variant, template = variant_of(kind, text)
        start = d.get("first_audio_at")
        out.append({"start_s": float(start) if isinstance(start, int | float) else e.at, "end_s": e.at,
                    "kind": kind, "variant": variant, "template": template, "text": text,
                    "interrupted": bool(d.get("interrupted"))})
    return sorted(out, key=lambda s: s["start_s"])


def attribute(segs: list[dict[str, Any]], msgs: list[Message], duration_s: float,
              window_s: float = WINDOW_S) -> list[dict[str, Any]]:
    """Each segment with its window [start, the next segment of its kind, start + window_s or
    the session's end, whichever comes first) and the purchase signals in it."""
    buys = sorted(m.at for m in chat_lines(msgs) if m.is_purchase)
    out = []
    for i, s in enumerate(segs):
        later = [n["start_s"] for n in segs[i + 1:] if n["kind"] == s["kind"]]
        end = min([s["start_s"] + window_s, *later[:1]])
        end = min(end, max(duration_s, s["start_s"]))
        signals = sum(1 for t in buys if s["start_s"] <= t < end)
        out.append({**s, "window_s": max(0.0, end - s["start_s"]), "purchase_signals": signals})
    return out


def by_variant(attributed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per variant: times said, purchase signals after it, minutes watched, signals per minute."""
    rows: dict[str, dict[str, Any]] = {}
    for s in attributed:
        r = rows.setdefault(s["variant"], {"variant": s["variant"], "kind": s["kind"], "template": s["template"],
                                           "said": 0, "interrupted": 0, "purchase_signals": 0, "window_s": 0.0})
        r["said"] += 1
        r["interrupted"] += s["interrupted"]
        r["purchase_signals"] += s["purchase_signals"]
        r["window_s"] += s["window_s"]
    for r in rows.values():
        r["per_min"] = r["purchase_signals"] / (r["window_s"] / 60.0) if r["window_s"] > 0 else None
    return sorted(rows.values(), key=lambda r: variant_order(r["variant"]))


def variant_order(variant: str) -> tuple[int, str]:
    """Hooks first, then features, offers, calls to action (the order they are said in)."""
    kind = variant.split("#", 1)[0]
    return (SEGMENTS.index(kind) if kind in SEGMENTS else len(SEGMENTS), variant)
