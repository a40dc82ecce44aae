"""The post-stream report: the aggregates of vhost.show.insights drawn with matplotlib, written as
one self-contained HTML file, a PDF, or JSON (the numbers alone).

    write_report(analysis, Path("report.html"), "html", compare=None)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FORMATS = ("html", "pdf", "json")


def render_json(data: dict[str, Any], cmp: dict[str, Any] | None = None) -> str:
    return json.dumps({**data, **({"compare": cmp} if cmp is not None else {})}, ensure_ascii=False, indent=2,
                      default=str)


def write_report(data: dict[str, Any], out: Path, fmt: str, cmp: dict[str, Any] | None = None) -> None:
    """Write the report for one analysis (and a comparison, if given) to `out` as html, pdf or json."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
    out = Path(out)
    if fmt == "json":
        out.write_text(render_json(data, cmp), encoding="utf-8")
    elif fmt == "html":
        from vhost.report.html import render_html

        out.write_text(render_html(data, cmp), encoding="utf-8")
    else:
        from vhost.report.pdf import render_pdf

        render_pdf(data, out, cmp)


__all__ = ["FORMATS", "render_json", "write_report"]
