"""The report files (vhost.report) and the commands (`vhost report`, `vhost session list`) on a
synthetic session: the HTML is one self-contained file with every plot embedded, the JSON holds
the aggregates' own numbers, the PDF embeds a CJK font; bad input is one line and exit code 2."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from tests.report_helpers import CATALOG, PLAN, write_show
from vhost.app.cli import main
from vhost.brain.catalog import load_catalog
from vhost.report import write_report
from vhost.show import insights

FIGURES = ("timeline", "intents", "sentiment", "products", "answers", "questions", "unanswered", "script", "gifts")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    path = tmp_path_factory.mktemp("render") / "sessions.sqlite3"
    a = write_show(path)
    b = write_show(path, [line for line in PLAN if line.intent != "purchase"], answer_gift_box=False)
    return path, a, b


@pytest.fixture(scope="module")
def data(db) -> dict:
    path, sid, _ = db
    return insights.analyze(insights.load_session(sid, path), insights.Products.from_catalog(load_catalog(CATALOG)))


@pytest.fixture(scope="module")
def html(data, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("html") / "report.html"
    write_report(data, out, "html")
    return out.read_text(encoding="utf-8")


def test_the_html_is_self_contained(html) -> None:
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    links = re.findall(r"""\b(?:src|href|srcset|poster|data)\s*=\s*(["']?)([^"'\s>]*)""", html)
    assert links and all(url.startswith("data:image/png;base64,") for _, url in links), "all inside the file"
    assert "<script" not in html and "@import" not in html and "url(" not in html


def test_the_html_has_every_plot_as_a_png(html) -> None:
    figures = re.findall(r'<figure data-figure="(\w+)"><img alt="[^"]*" src="data:image/png;base64,([^"]+)"', html)
    assert [key for key, _ in figures] == list(FIGURES)
    for key, b64 in figures:
        png = base64.b64decode(b64)
        assert png[:8] == b"\x89PNG\r\n\x1a\n", key
        width = int.from_bytes(png[16:20], "big")
        assert width >= 800, key


def test_the_html_shows_the_numbers_and_the_chinese_text(html, data) -> None:
    assert "这个杯子多少钱？" in html and "杯子有礼盒包装吗？" in html
    assert f"{data['coverage']['coverage'] * 100:.0f}%" in html
    assert f"{data['latency']['p95_s']:.2f} s" in html
    assert "[[products.faq]]" in html and "Yes, a gift box is included." in html
    for v in data["script"]["variants"]:
        assert v["variant"] in html


def test_the_json_holds_the_aggregates(data, tmp_path) -> None:
    out = tmp_path / "r.json"
    write_report(data, out, "json")
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got == json.loads(json.dumps(data, default=str))
    assert got["products"]["funnel"] == data["products"]["funnel"]
    assert got["latency"]["p50_s"] == data["latency"]["p50_s"]
    assert got["coverage"] == data["coverage"]


def test_the_pdf_embeds_a_cjk_font(data, tmp_path) -> None:
    from vhost.report.pdf import render_pdf

    out = tmp_path / "r.pdf"
    pages = render_pdf(data, out)
    raw = out.read_bytes()
    assert raw.startswith(b"%PDF") and pages >= 10
    assert len(re.findall(rb"/Type\s*/Page(?!s)", raw)) == pages
    assert b"WenQuanYi" in raw  # the Chinese questions are drawn with a CJK font, not boxes


def test_cli_report_html_json_and_compare(db, tmp_path, capsys) -> None:
    path, a, b = db
    out = tmp_path / "r.json"
    assert main(["report", a, "--db", str(path), "--out", str(out), "--compare", b, "--no-embeddings"]) == 0
    got = json.loads(out.read_text(encoding="utf-8"))
    assert got["session"]["id"] == a and got["compare"]["b"] == b
    row = {r["figure"]: r for r in got["compare"]["headline"]}["purchase_signals"]
    assert row["a"] - row["b"] == sum(line.intent == "purchase" for line in PLAN) == -row["delta"]
    html = tmp_path / "r.html"
    assert main(["report", a, "--db", str(path), "--out", str(html), "--format", "html", "--no-embeddings"]) == 0
    assert 'data-figure="timeline"' in html.read_text(encoding="utf-8")
    assert "written to" in capsys.readouterr().err


def test_cli_report_bad_input_is_exit_code_2(db, tmp_path, capsys) -> None:
    path, a, _ = db
    out = tmp_path / "r.html"
    assert main(["report", "nope", "--db", str(path), "--out", str(out)]) == 2
    assert "no session 'nope'" in capsys.readouterr().err
    assert main(["report", a, "--db", str(tmp_path / "none.sqlite3"), "--out", str(out)]) == 2
    assert "no session database" in capsys.readouterr().err
    assert main(["report", a, "--db", str(path), "--out", str(out), "--compare", "nope"]) == 2
    assert main(["report", a, "--db", str(path), "--out", str(tmp_path / "no" / "dir" / "r.html")]) == 2
    assert "no folder" in capsys.readouterr().err
    assert main(["report", a, "--db", str(path), "--out", str(out), "--catalog", str(tmp_path / "x.toml")]) == 2
    assert not out.exists()


def test_cli_session_list_shows_headline_figures(db, capsys) -> None:
    path, a, b = db
    assert main(["session", "list", "--db", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "events" in lines[0] and "covered" in lines[0]
    row = next(line.split() for line in lines if line.startswith(a))
    h = insights.headline(insights.load_session(a, path))
    assert row[3] == f"{h['duration_min']:.1f}" and int(row[4]) == h["messages"] and int(row[5]) == h["questions"]
    assert row[6] == f"{h['coverage'] * 100:.0f}%" and int(row[8]) == h["purchase_signals"]
    assert any(line.startswith(b) for line in lines)
    assert main(["session", "--db", str(path), "list"]) == 0  # --db before the subcommand, as before
    assert main(["session", "list", "--db", str(path.parent / "none.sqlite3")]) == 2
