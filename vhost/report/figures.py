"""The report's plots over time: chat volume with the product segments, intent mix, sentiment.

Each function takes the analysis dict (vhost.show.insights.analyze) and returns a matplotlib
Figure, or None when there is nothing to draw. Call inside `style.styled()`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import FigureBase
from matplotlib.ticker import MaxNLocator

from vhost.report.style import COLORS, PRODUCT_SHADES, minutes_axis, new_figure

SENTIMENT_ORDER = ("complaint", "negative", "neutral", "positive")


def _x(per_bin: dict[str, Any]) -> tuple[np.ndarray, float]:
    width = per_bin["bin_s"] / 60.0
    return np.asarray(per_bin["start_s"], dtype=float) / 60.0 + width / 2, width


def shade_products(ax, data: dict[str, Any], label: bool = True) -> None:  # noqa: ANN001 - Axes
    """Product segments shaded behind the plot, switches as dashed lines, names on top."""
    colors: dict[str, str] = {}
    for i, seg in enumerate(data["products"]["segments"]):
        color = colors.setdefault(seg["product"], PRODUCT_SHADES[len(colors) % len(PRODUCT_SHADES)])
        x0, x1 = seg["start_s"] / 60.0, seg["end_s"] / 60.0
        ax.axvspan(x0, x1, color=color, zorder=0, lw=0)
        if i > 0:
            ax.axvline(x0, color="#555555", ls="--", lw=1, zorder=1)
        if label:
            ax.text((x0 + x1) / 2, 1.01, seg["name"], transform=ax.get_xaxis_transform(), ha="center",
                    va="bottom", fontsize=8, color="#333333", clip_on=False)


def timeline(data: dict[str, Any], parent: FigureBase | None = None) -> FigureBase | None:
    vol = data["volume"]
    if not any(vol["messages"]) and not data["products"]["segments"]:
        return None
    fig = new_figure(10, 3.8, parent=parent)
    ax = fig.add_subplot()
    shade_products(ax, data)
    x, w = _x(vol)
    ax.bar(x, vol["messages"], width=w * 0.85, color=COLORS["messages"], label="chat messages", zorder=2)
    ax.bar(x, vol["purchase_signals"], width=w * 0.45, color=COLORS["purchase"], label="purchase signals", zorder=3)
    unanswered = [q["first_at"] / 60.0 for q in data["unanswered"]]
    if unanswered:
        ax.plot(unanswered, [0] * len(unanswered), marker="v", ls="none", color="#C44E52", ms=7, zorder=4,
                label="unanswered question", clip_on=False)
    gifts = [t / 60.0 for t in data["gifts"]["timeline_s"]]
    if gifts:
        ax.plot(gifts, [0] * len(gifts), marker="*", ls="none", color="#8172B3", ms=9, zorder=4, label="gift",
                clip_on=False)
    minutes_axis(ax, data["session"]["duration_s"])
    b = vol["bin_s"]
    per = "minute" if b == 60 else f"{b / 60:g} minutes" if b > 60 else f"{b:g} s"
    ax.set_ylabel(f"messages per {per}")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Chat volume, product segments and switches", pad=18)
    ax.legend(loc="upper left", ncols=4)
    ax.set_ylim(0, max([*vol["messages"], 1]) * 1.25)
    return fig


def _stacked(ax, per_bin: dict[str, Any], order: tuple[str, ...], share: bool) -> None:  # noqa: ANN001
    x, w = _x(per_bin)
    series = per_bin["series"]
    keys = [k for k in order if any(series.get(k, []))] + [k for k in series if k not in order and any(series[k])]
    totals = np.sum([series[k] for k in series], axis=0) if series else np.zeros(len(x))
    bottom = np.zeros(len(x))
    for k in keys:
        values = np.asarray(series[k], dtype=float)
        if share:
            values = np.divide(values, totals, out=np.zeros_like(values), where=totals > 0) * 100
        ax.bar(x, values, width=w * 0.9, bottom=bottom, label=k, color=COLORS.get(k, "#999999"), zorder=2)
        bottom += values


def intents(data: dict[str, Any], parent: FigureBase | None = None) -> FigureBase | None:
    per_bin = data["intents"]["per_bin"]
    if not any(any(v) for v in per_bin["series"].values()):
        return None
    fig = new_figure(10, 3.4, parent=parent)
    ax = fig.add_subplot()
    shade_products(ax, data, label=False)
    _stacked(ax, per_bin, ("question", "safety", "purchase", "complaint", "greeting", "spam", "other"), share=False)
    minutes_axis(ax, data["session"]["duration_s"])
    ax.set_ylabel(f"messages per {per_bin['bin_s']:g} s")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title("Intent mix over time")
    ax.legend(loc="upper left", ncols=7)
    ax.set_ylim(0, max(1.0, ax.get_ylim()[1] * 1.2))
    return fig


def sentiment(data: dict[str, Any], parent: FigureBase | None = None) -> FigureBase | None:
    per_bin = data["sentiment"]["per_bin"]
    if not any(any(v) for v in per_bin["series"].values()):
        return None
    fig = new_figure(10, 3.2, parent=parent)
    ax = fig.add_subplot()
    _stacked(ax, per_bin, SENTIMENT_ORDER, share=True)
    minutes_axis(ax, data["session"]["duration_s"])
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of messages")
    total = data["sentiment"]["total"]
    ax.set_title("Sentiment over time — whole show: " + ", ".join(
        f"{k} {total[k]['share'] * 100:.0f}%" for k in ("positive", "neutral", "negative", "complaint") if k in total))
    handles, labels = ax.get_legend_handles_labels()
    ax.legend(handles[::-1], labels[::-1], loc="center left", bbox_to_anchor=(1.0, 0.5))
    return fig
