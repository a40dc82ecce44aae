"""The report's sections in order — title, a line on how to read it, its figure and its tables —
shared by the HTML and the PDF renderers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from matplotlib.figure import FigureBase

from vhost.report import figures as tf
from vhost.report import figures_answers as af
from vhost.report import tables as tb


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    note: str
    figure: Callable[..., FigureBase | None] | None = None  # (data, parent=None)
    tables: tuple[tuple[str, Callable[[dict[str, Any]], tb.Table]], ...] = field(default_factory=tuple)
    empty: str = ""  # said when the section has no data at all
    has_data: Callable[[dict[str, Any]], bool] = lambda d: True
    extra: Callable[[dict[str, Any]], str] = lambda d: ""  # one more line under the note, from the data


def _not_questions(d: dict[str, Any]) -> str:
    other = d.get("unanswered_not_questions") or {}
    if not other:
        return ""
    kinds = ", ".join(f"{intent} {n}" for intent, n in sorted(other.items()))
    return f"Not listed: {sum(other.values())} messages that were not questions also got an honest \"I'll check\" ({kinds})."


SECTIONS: tuple[Section, ...] = (
    Section("timeline", "Timeline",
            "Chat messages over time; the product on screen shaded, switches dashed; purchase signals in orange; "
            "unanswered questions and gifts marked on the time axis.",
            tf.timeline, empty="No chat was recorded.", has_data=lambda d: bool(d["headline"]["messages"])),
    Section("intents", "Intent mix and sentiment",
            "What viewers wrote (triage's intent) and how they felt (complaint > negative > positive words).",
            tf.intents, has_data=lambda d: bool(d["headline"]["messages"]), empty="No chat was recorded."),
    Section("sentiment", "", "", tf.sentiment, has_data=lambda d: bool(d["headline"]["messages"])),  # under intents
    Section("products", "Products",
            "A message is about a product it names, or — a question or purchase signal naming none — the one on "
            "screen.", af.funnel, (("", tb.funnel),), empty="No product was talked about.",
            has_data=lambda d: bool(d["products"]["funnel"])),
    Section("answers", "Answers",
            "Latency: from the message's arrival to the first audio of its reply. A question is covered when its "
            "answer was heard (or had just been, or the operator answered it later).",
            af.latency, (("", tb.latency),), empty="No replies were recorded.",
            has_data=lambda d: bool(d["latency"]["n"] or d["coverage"]["questions"])),
    Section("questions", "Top questions",
            "Questions that ask the same thing are grouped across languages (sentence embeddings).",
            af.questions, (("", tb.questions),), empty="No questions were asked.",
            has_data=lambda d: bool(d["top_questions"])),
    Section("unanswered", "Unanswered questions",
            "Questions the catalog could not answer (the host said it would check), with a FAQ entry to add.",
            lambda d, parent=None: af.questions(d, parent, "unanswered", "Unanswered questions"),
            (("", tb.unanswered),),
            empty="Every question had an answer in the catalog.", has_data=lambda d: bool(d["unanswered"]),
            extra=_not_questions),
    Section("script", "Which pitch sells",
            "Each script segment heard, by variant, with the purchase signals that followed it (until the next "
            "segment of the same kind: hooks compete with hooks, offers with offers). Rates from a few segments are "
            "noise: read the counts.",
            af.variants, (("", tb.variants),), empty="No script segments were spoken in this session.",
            has_data=lambda d: bool(d["script"]["variants"])),
    Section("operator", "Compliance holds and operator edits",
            "Lines a guard or the operator held back, and every edit to a draft.",
            None, (("Holds", tb.holds), ("Edits", tb.edits)), empty="No holds, no edits.",
            has_data=lambda d: bool(d["holds"] or d["edits"])),
    Section("gifts", "Gifts and supporters", "Gifts, paid messages and memberships.",
            af.supporters, (("", tb.supporters),), empty="No gifts in this session.",
            has_data=lambda d: bool(d["gifts"]["events"])),
)
