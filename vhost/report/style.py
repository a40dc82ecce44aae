"""Matplotlib for the report: no GUI backend (figures are drawn with Agg, PDF or SVG canvases
directly, pyplot is never imported), and fonts that render Chinese (per-glyph fallback from
DejaVu Sans to a CJK font that is installed)."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from functools import cache

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, FigureBase

CJK_FONTS = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
             "Microsoft YaHei", "PingFang SC", "SimHei", "Arial Unicode MS")
COLORS = {
    "messages": "#4C72B0", "purchase": "#DD8452", "question": "#4C72B0", "safety": "#8172B3",
    "complaint": "#C44E52", "greeting": "#55A868", "spam": "#937860", "other": "#BBBBBB",
    "positive": "#55A868", "neutral": "#CCCCCC", "negative": "#DD8452",
}
PRODUCT_SHADES = ("#E8F0FA", "#FDF0E6", "#EAF5EC", "#F3EEF8", "#FBEAEA", "#F5F2E8")


@cache
def cjk_font() -> str | None:
    """The first CJK font matplotlib can find, or None (Chinese then shows as boxes; said once)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def rc() -> dict:
    # Fallback goes glyph by glyph through the families named in font.family (a generic name
    # such as "sans-serif" stands for its first installed member only).
    fonts = ["DejaVu Sans", *([cjk_font()] if cjk_font() else [])]
    return {
        "font.family": fonts, "axes.unicode_minus": False,
        "pdf.fonttype": 42, "svg.fonttype": "path", "axes.spines.top": False, "axes.spines.right": False,
        "axes.titlesize": 12, "axes.titleweight": "bold", "axes.labelsize": 10, "legend.fontsize": 8,
        "legend.frameon": False, "xtick.labelsize": 9, "ytick.labelsize": 9, "figure.dpi": 100,
    }


# matplotlib says every bold CJK title has no bold face; fontTools logs each PDF font subset
_QUIET = ("matplotlib.font_manager", "fontTools")


@contextlib.contextmanager
def styled() -> Iterator[None]:
    """Report style for the figures drawn inside (rcParams and log levels restored afterwards)."""
    loggers = [logging.getLogger(name) for name in _QUIET]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        with rc_context(rc()):
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def new_figure(width: float = 10.0, height: float = 3.6, parent: FigureBase | None = None) -> FigureBase:
    """A figure of this size to draw on — or `parent` (a PDF page's subfigure) when given."""
    if parent is not None:
        return parent
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig: Figure, dpi: int = 110) -> bytes:
    buf = io.BytesIO()
    with styled():
        fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


def minutes_axis(ax, duration_s: float) -> None:  # noqa: ANN001 - matplotlib Axes
    ax.set_xlim(0, max(duration_s, 1.0) / 60.0)
    ax.set_xlabel("show time (minutes)")
