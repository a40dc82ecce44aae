"""The report as a PDF (matplotlib's PdfPages, fonts embedded, no system tools), A4 landscape: a
title page with the headline figures, then one page per section — its plot above, its table
below (continued on further pages when long)."""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.backends.backend_pdf import FigureCanvasPdf, PdfPages
from matplotlib.figure import Figure, FigureBase

from vhost.report import figures_answers as af
from vhost.report import tables as tb
from vhost.report.sections import SECTIONS
from vhost.report.style import styled

PAGE = (11.69, 8.27)  # A4 landscape, inches
LINE_CHARS = 165  # columns of 7.5 pt text across the page (cells have padding)
LINE_IN = 0.15  # height of one line of table text, inches
LINES_UNDER_PLOT = 18  # lines of table text that fit under a plot (else the table gets pages of its own)
LINES_PER_PAGE = 44


def _page(title: str, note: str = "") -> Figure:
    fig = Figure(figsize=PAGE, layout="constrained")
    FigureCanvasPdf(fig)
    fig.suptitle(title, x=0.02, ha="left", fontsize=15, weight="bold")
    if note:
        fig.supxlabel(note, x=0.02, ha="left", fontsize=8, color="#666666")
    return fig


def _columns(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _wrap(text: str, width: int) -> str:
    """Lines of at most `width` columns (a Chinese character takes two), broken between words or
    between Chinese characters; the text's own line breaks kept."""
    out: list[str] = []
    for para in text.split("\n"):
        line, used = "", 0
        for token in re.findall(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+", para):
            size = sum(_columns(c) for c in token)
            if used + size > width and line.strip():
                out.append(line.rstrip())
                line, used = "", 0
                if token.isspace():
                    continue
            line, used = line + token, used + size
        out.append(line.rstrip())
    return "\n".join(out)


@dataclass(frozen=True)
class _Wrapped:
    """A table with its cells wrapped to their columns, ready to draw."""

    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # fractions of the table's width

    def lines(self, row: list[str]) -> int:
        return max(c.count("\n") + 1 for c in row)

    def chunks(self, budget: int) -> list[list[list[str]]]:
        """Rows in runs of at most `budget` text lines (a taller row goes alone)."""
        out: list[list[list[str]]] = [[]]
        used = self.lines(self.headers)
        for row in self.rows:
            n = self.lines(row) + 1  # + the cell's padding
            if out[-1] and used + n > budget:
                out.append([])
                used = self.lines(self.headers)
            out[-1].append(row)
            used += n
        return out


def _wrap_table(table: tb.Table) -> _Wrapped:
    headers, rows = table
    want = [max(6, min(60, max(len(h), *(len(r[i]) for r in rows)))) for i, h in enumerate(headers)]
    chars = [max(6, int(LINE_CHARS * w / sum(want))) for w in want]  # columns of text per cell line
    cells = [[_wrap(c, w) for c, w in zip(r, chars, strict=True)] for r in rows]
    return _Wrapped(headers, cells, [w / sum(chars) for w in chars])


def _draw_table(where: FigureBase, table: _Wrapped, rows: list[list[str]], height_in: float) -> None:
    """`rows` of `table` in `where` (a page or part of one, `height_in` inches tall), each row as
    tall as its longest cell."""
    ax = where.add_subplot()
    ax.axis("off")
    t = ax.table(cellText=rows, colLabels=table.headers, loc="upper left", cellLoc="left", colWidths=table.widths)
    t.set_in_layout(False)  # sized here, by lines of text; the layout must not shrink the axes for it
    t.auto_set_font_size(False)
    t.set_fontsize(7.5)
    grid = t.get_celld()
    line = LINE_IN / max(height_in, 0.5)  # one text line, in axes fraction
    for r, row in enumerate([table.headers, *rows]):
        for c in range(len(table.headers)):
            grid[r, c].set_height(line * (table.lines(row) + 0.6))
            grid[r, c].PAD = 0.02  # of the cell's width (default 0.1: wide columns look indented)
            if r == 0:
                grid[r, c].set_facecolor("#f3f5f9")


def _table_pages(title: str, table: tb.Table) -> list[Figure]:
    """A table on pages of its own, as many as it needs."""
    if not table[1]:
        return []
    wrapped = _wrap_table(table)
    pages = []
    for k, rows in enumerate(wrapped.chunks(LINES_PER_PAGE)):
        fig = _page(title + (" (continued)" if k else ""))
        _draw_table(fig, wrapped, rows, PAGE[1] * 0.85)
        pages.append(fig)
    return pages


def _title_page(data: dict[str, Any]) -> Figure:
    s = data["session"]
    fig = _page(f"Stream report — session {s['id']}",
                f"vhost report · generated {time.strftime('%Y-%m-%d %H:%M:%S')}")
    fig.text(0.02, 0.9, f"started {s['started']} · {tb.fmt_clock(s['duration_s'])} of show time · "
             f"{s['events']} events recorded", fontsize=10, color="#555555")
    for i, (label, value) in enumerate(tb.headline(data)[1]):
        col, row = divmod(i, 8)
        x, y = 0.06 + col * 0.45, 0.78 - row * 0.09
        fig.text(x, y, value, fontsize=18, weight="bold")
        fig.text(x, y - 0.03, label, fontsize=9, color="#666666")
    return fig


def _section_pages(data: dict[str, Any], sec) -> list[Figure]:  # noqa: ANN001 - Section
    """The section's plot on a page, with its first table under it when that fits; then the
    (other) tables on pages of their own."""
    title = sec.title or sec.key.capitalize()
    tables = [(" — ".join(t for t in (title, sub) if t), make(data)) for sub, make in sec.tables]
    tables = [(t, table) for t, table in tables if table[1]]
    pages: list[Figure] = []
    if sec.figure is not None:
        page = _page(title, " ".join(t for t in (sec.note, sec.extra(data)) if t))
        under = _wrap_table(tables[0][1]) if tables else None
        if under is not None and len(under.chunks(LINES_UNDER_PLOT)) > 1:
            under = None
        top, bottom = page.subfigures(2, 1, height_ratios=(3, 2)) if under else (page, None)
        if sec.figure(data, parent=top) is not None:
            pages.append(page)
            if under is not None and bottom is not None:
                _draw_table(bottom, under, under.rows, PAGE[1] * 0.36)
                tables = tables[1:]
    for t, table in tables:
        pages += _table_pages(t, table)
    return pages


def render_pdf(data: dict[str, Any], out: Path, cmp: dict[str, Any] | None = None) -> int:
    """Write the report to `out`; returns the number of pages."""
    with styled():
        pages = [_title_page(data)]
        for sec in SECTIONS:
            if sec.has_data(data):
                pages += _section_pages(data, sec)
        if cmp is not None:
            pages += _table_pages(f"Compared with session {cmp['b']}", tb.compare_headline(cmp))
            page = _page("Which pitch sells, two sessions")
            if af.compare(cmp, parent=page) is not None:
                pages.append(page)
            pages += _table_pages("Variants, two sessions", tb.compare_variants(cmp))
        with PdfPages(out, metadata={"Title": f"Stream report {data['session']['id']}", "Creator": "vhost"}) as pdf:
            for fig in pages:
                pdf.savefig(fig)
    return len(pages)
