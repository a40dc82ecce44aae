"""The report's plots about products, answers and the pitch: the funnel per product, answer
latency and coverage, the top questions, script variants, supporters; and two sessions compared.

Each returns a matplotlib Figure, or None when there is nothing to draw. Call inside
`style.styled()`.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import numpy as np
from matplotlib.figure import FigureBase
from matplotlib.ticker import MaxNLocator

from vhost.report.style import COLORS, new_figure

FUNNEL = (("mentions", "mentions", "#A1C4E8"), ("questions", "questions", COLORS["question"]),
          ("purchase_signals", "purchase signals", COLORS["purchase"]))
COVERAGE_COLORS = {"answered": "#55A868", "already_answered": "#8FCB9B", "answered_by_operator": "#4C72B0",
                   "honest_unknown": "#E3B23C", "dropped_by_triage": "#BBBBBB", "not_answered": "#C44E52"}


def _short(text: str, width: int = 42) -> str:
    """At most `width` columns (a Chinese character takes two), cut with an ellipsis."""
    out, used = "", 0
    for ch in " ".join(text.split()):
        used += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used > width - 1:
            return out.rstrip() + "…"
        out += ch
    return out


def funnel(data: dict[str, Any], parent: FigureBase | None = None) -> FigureBase | None:
    rows = [r for r in data["products"]["funnel"] if r["mentions"] or r["on_screen_s"]]
    if not rows:
        return None
    fig = new_figure(10, 1.2 + 0.7 * len(rows), parent=parent)
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    h = 0.26
    for i, (key, label, color) in enumerate(FUNNEL):
        values = [r[key] for r in rows]
        bars = ax.barh(y + (1 - i) * h, values, height=h, color=color, label=label)
        ax.bar_label(bars, padding=3, fontsize=8)
    ax.set_yticks(y, [_short(r["name"], 34) for r in rows])
    ax.set_xlabel("messages")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Interest per product: mentions → questions → purchase signals")
    ax.legend(loc="lower right")
    return fig


def latency(data: dict[str, Any], parent: FigureBase | None = None) -> FigureBase | None:
    lat, cov = data["latency"], data["coverage"]
    if not lat["n"] and not cov["questions"]:
        return None
    fig = new_figure(10, 3.2, parent=parent)
    left, right = fig.subplots(1, 2, width_ratios=(3, 2))
    if lat["n"]:
        values = lat["values_s"]
        left.hist(values, bins=min(30, max(5, len(values) // 2)), color=COLORS["messages"], zorder=2)
        for q, style in (("p50_s", "-"), ("p95_s", "--")):
            left.axvline(lat[q], color="#C44E52", ls=style, lw=1.5,
                         label=f"{q[:3]} {lat[q]:.2f} s")
        left.legend(loc="upper right")
    left.set_xlabel("seconds from message to first audio of the reply")
    left.set_ylabel("replies")
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    left.set_title(f"Answer latency ({lat['n']} replies)")
    counts = [(k, cov[k]) for k in COVERAGE_COLORS if cov.get(k)]
    left_edge = 0
    for k, n in counts:
        right.barh([0], [n], left=left_edge, color=COVERAGE_COLORS[k], label=f"{k.replace('_', ' ')} ({n})")
        left_edge += n
    right.set_yticks([])
    right.set_xlabel("questions")
    right.xaxis.set_major_locator(MaxNLocator(integer=True))
    pct = f"{cov['coverage'] * 100:.0f}%" if cov["coverage"] is not None else "—"
    right.set_title(f"Coverage {pct} of {cov['questions']} questions")
    right.legend(loc="upper center", ncols=2)
    right.set_ylim(-0.5, 0.5 + 0.25 * ((len(counts) + 1) // 2))  # room above the bar for the legend
    return fig


def questions(data: dict[str, Any], parent: FigureBase | None = None, key: str = "top_questions",
              title: str = "Top questions") -> FigureBase | None:
    groups = data[key][:10]
    if not groups:
        return None
    fig = new_figure(10, 1.0 + 0.42 * len(groups), parent=parent)
    ax = fig.add_subplot()
    y = np.arange(len(groups))[::-1]
    langs = sorted({lang for g in groups for lang in g["langs"]})
    palette = ["#4C72B0", "#DD8452", "#55A868", "#8172B3"]
    left = np.zeros(len(groups))
    for i, lang in enumerate(langs):
        values = np.asarray([g["langs"].get(lang, 0) for g in groups], dtype=float)
        ax.barh(y, values, left=left, color=palette[i % len(palette)], label=lang, height=0.6)
        left += values
    for yi, g in zip(y, groups, strict=True):
        ax.text(g["count"], yi, f"  {g['count']}", va="center", fontsize=8)
    ax.set_yticks(y, [" / ".join(_short(e, 60 // min(2, len(g["examples"]))) for e in g["examples"][:2])
                      for g in groups])
    ax.set_xlabel("times asked (grouped across languages)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.legend(loc="lower right", title="language")
    return fig


def variants(data: dict[str, Any], parent: FigureBase | None = None) -> FigureBase | None:
    rows = data["script"]["variants"]
    if not rows:
        return None
    fig = new_figure(10, 1.2 + 0.36 * len(rows), parent=parent)
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    rates = [r["per_min"] or 0.0 for r in rows]
    kinds = sorted({r["kind"] for r in rows})
    palette = dict(zip(kinds, ["#4C72B0", "#55A868", "#DD8452", "#8172B3", "#937860"], strict=False))
    ax.barh(y, rates, color=[palette[r["kind"]] for r in rows], height=0.6)
    for yi, r, rate in zip(y, rows, rates, strict=True):
        ax.text(rate, yi, f"  said {r['said']}×, {r['purchase_signals']} signals in {r['window_s'] / 60:.1f} min",
                va="center", fontsize=8)
    ax.set_yticks(y, [r["variant"] for r in rows])
    ax.set_xlim(0, max([*rates, 0.1]) * 1.8)
    ax.set_xlabel(f"purchase signals per minute after the segment (until the next of its kind, at most "
                  f"{data['script']['window_s'] / 60:g} min)")
    ax.set_title("Which pitch sells: script segment variants")
    return fig


def supporters(data: dict[str, Any], parent: FigureBase | None = None) -> FigureBase | None:
    top = data["gifts"]["top"]
    if not top:
        return None
    fig = new_figure(10, 1.0 + 0.35 * len(top), parent=parent)
    ax = fig.add_subplot()
    y = np.arange(len(top))[::-1]
    ax.barh(y, [p["events"] for p in top], color="#8172B3", height=0.6)
    for yi, p in zip(y, top, strict=True):
        amounts = ", ".join(f"{v:g} {c}" for c, v in p["amounts"].items())
        ax.text(p["events"], yi, f"  {amounts}", va="center", fontsize=8)
    ax.set_yticks(y, [_short(p["user"], 24) for p in top])
    ax.set_xlabel("gifts, paid messages and memberships")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Supporters")
    return fig


def compare(cmp: dict[str, Any], parent: FigureBase | None = None) -> FigureBase | None:
    """Purchase signals per minute after each variant, session A next to session B."""
    rows = [r for r in cmp["variants"] if "a" in r or "b" in r]
    if not rows:
        return None
    fig = new_figure(10, 1.2 + 0.4 * len(rows), parent=parent)
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    for side, dy, color in (("a", 0.2, "#4C72B0"), ("b", -0.2, "#DD8452")):
        rates = [(r.get(side) or {}).get("per_min") or 0.0 for r in rows]
        ax.barh(y + dy, rates, height=0.38, color=color, label=f"{side.upper()}: {cmp[side]}")
        for yi, r, rate in zip(y, rows, rates, strict=True):
            n = (r.get(side) or {}).get("said", 0)
            ax.text(rate, yi + dy, f" n={n}", va="center", fontsize=7)
    ax.set_yticks(y, [r["variant"] for r in rows])
    ax.set_xlabel("purchase signals per minute after the segment")
    ax.set_title("Which pitch sells, two sessions")
    ax.legend(loc="lower right")
    return fig
