"""The report as one self-contained HTML file: inline CSS, plots as embedded PNG (base64), no
script, no link to anything outside the file — it opens anywhere and can be sent as it is."""

from __future__ import annotations

import base64
import html
import time
from typing import Any

from vhost.report import figures_answers as af
from vhost.report import tables as tb
from vhost.report.sections import SECTIONS
from vhost.report.style import png_bytes, styled

CSS = """
body{font-family:"DejaVu Sans","WenQuanYi Micro Hei","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:0 auto;max-width:1100px;padding:24px;color:#222;background:#fff}
h1{font-size:24px;margin:0 0 4px} h2{font-size:19px;border-bottom:2px solid #4C72B0;padding-bottom:4px;margin-top:36px}
h3{font-size:15px;margin:18px 0 6px} .sub{color:#666;font-size:13px} .note{color:#555;font-size:13px;margin:4px 0 10px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:120px}
.card b{display:block;font-size:20px} .card span{color:#666;font-size:12px}
figure{margin:8px 0} figure img{max-width:100%;height:auto;border:1px solid #eee}
table{border-collapse:collapse;font-size:12.5px;margin:6px 0 12px;width:100%}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f3f5f9} td pre{margin:0;font-size:11.5px;white-space:pre-wrap}
.empty{color:#777;font-style:italic} footer{color:#888;font-size:12px;margin-top:40px}
"""
CARDS = ("duration_min", "messages", "viewers", "questions", "coverage", "latency_p50_s", "latency_p95_s",
         "purchase_signals", "unanswered", "gifts")


def _e(text: Any) -> str:
    return html.escape(str(text))


def _img(fig, key: str, title: str) -> str:  # noqa: ANN001 - Figure
    data = base64.b64encode(png_bytes(fig)).decode("ascii")
    return (f'<figure data-figure="{_e(key)}"><img alt="{_e(title or key)}" '
            f'src="data:image/png;base64,{data}"></figure>')


def _table(table: tb.Table, pre_last: bool = False) -> str:
    headers, rows = table
    if not rows:
        return '<p class="empty">none</p>'
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = [f"<td>{_e(c)}</td>" for c in row]
        if pre_last:
            cells[-1] = f"<td><pre>{_e(row[-1])}</pre></td>"
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _cards(data: dict[str, Any]) -> str:
    h = data["headline"]
    cards = [f'<div class="card"><b>{_e(tb.fmt_headline(k, h[k]))}</b><span>{_e(tb.HEADLINE_LABELS[k])}</span></div>'
             for k in CARDS if k in h]
    return f'<div class="cards">{"".join(cards)}</div>'


def _section(data: dict[str, Any], sec) -> str:  # noqa: ANN001 - Section
    out = [f'<h2 id="{_e(sec.key)}">{_e(sec.title)}</h2>'] if sec.title else []
    if sec.title and sec.note:
        out.append(f'<p class="note">{_e(sec.note)}</p>')
    if sec.extra(data):
        out.append(f'<p class="note">{_e(sec.extra(data))}</p>')
    if not sec.has_data(data):
        if sec.empty and sec.title:
            out.append(f'<p class="empty">{_e(sec.empty)}</p>')
        return "\n".join(out)
    fig = sec.figure(data) if sec.figure else None
    if fig is not None:
        out.append(_img(fig, sec.key, sec.title))
    for title, table in sec.tables:
        if title:
            out.append(f"<h3>{_e(title)}</h3>")
        out.append(_table(table(data), pre_last=sec.key == "unanswered"))
    return "\n".join(out)


def _compare(cmp: dict[str, Any]) -> str:
    out = [f'<h2 id="compare">Compared with session {_e(cmp["b"])}</h2>',
           '<p class="note">A is this report\'s session, B the other one. Variant rates with their counts.</p>',
           _table(tb.compare_headline(cmp))]
    fig = af.compare(cmp)
    if fig is not None:
        out.append(_img(fig, "compare", "variants compared"))
    out.append(_table(tb.compare_variants(cmp)))
    return "\n".join(out)


def render_html(data: dict[str, Any], cmp: dict[str, Any] | None = None) -> str:
    """The whole report for one analysis (vhost.show.insights.analyze), with a comparison if given."""
    s = data["session"]
    meta = ", ".join(f"{k}: {v}" for k, v in s["meta"].items() if k in ("mode", "headless", "product") and v is not None)
    with styled():
        parts = [_section(data, sec) for sec in SECTIONS]
        if cmp is not None:
            parts.append(_compare(cmp))
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Stream report {_e(s['id'])}</title><style>{CSS}</style></head><body>",
        f"<h1>Stream report — session {_e(s['id'])}</h1>",
        f'<p class="sub">started {_e(s["started"])} · {_e(tb.fmt_clock(s["duration_s"]))} of show time · '
        f'{s["events"]} events recorded{(" · " + _e(meta)) if meta else ""}</p>',
        _cards(data), *parts,
        f"<footer>vhost report · generated {_e(time.strftime('%Y-%m-%d %H:%M:%S'))}</footer>",
        "</body></html>", ""])
