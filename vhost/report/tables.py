"""The report's tables as plain rows (headers + cells as text), shared by the HTML and the PDF,
and the number formatting they use."""

from __future__ import annotations

from typing import Any

SMALL_SAMPLE = 5  # below this many, a rate is marked as a small sample


def fmt_s(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f} s"


def fmt_pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.0f}%"


def fmt_clock(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    s = max(0, int(round(seconds)))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def fmt_num(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.2f}" if abs(v) < 100 else f"{v:.0f}"
    return str(v)


HEADLINE_LABELS = {
    "duration_min": "minutes", "messages": "chat messages", "messages_per_min": "messages / min",
    "viewers": "viewers who wrote", "questions": "questions", "coverage": "questions covered",
    "latency_p50_s": "answer latency p50", "latency_p95_s": "answer latency p95",
    "purchase_signals": "purchase signals", "unanswered": "unanswered (catalog)", "gifts": "gifts & paid",
    "holds": "compliance holds", "edits": "operator edits", "script_segments": "script segments",
}


def fmt_headline(key: str, v: Any) -> str:
    if key == "coverage":
        return fmt_pct(v)
    if key.endswith("_s"):
        return fmt_s(v)
    return fmt_num(v)


Table = tuple[list[str], list[list[str]]]


def headline(data: dict[str, Any]) -> Table:
    h = data["headline"]
    return ["figure", "value"], [[HEADLINE_LABELS.get(k, k), fmt_headline(k, v)] for k, v in h.items()]


def funnel(data: dict[str, Any]) -> Table:
    rows = [[r["name"], fmt_clock(r["on_screen_s"]), str(r["mentions"]), str(r["questions"]),
             str(r["purchase_signals"]), fmt_num(r["purchase_per_min_on_screen"])]
            for r in data["products"]["funnel"]]
    return ["product", "on screen", "mentions", "questions", "purchase signals", "signals / min on screen"], rows


def latency(data: dict[str, Any]) -> Table:
    lat = data["latency"]
    rows = [["all replies", str(lat["n"]), fmt_s(lat["p50_s"]), fmt_s(lat["p95_s"]), fmt_s(lat["max_s"])]]
    rows += [[path, str(s["n"]), fmt_s(s["p50_s"]), fmt_s(s["p95_s"]), fmt_s(s["max_s"])]
             for path, s in lat["by_path"].items()]
    return ["path", "replies", "p50", "p95", "max"], rows


def _langs(g: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v}" for k, v in g["langs"].items())


def questions(data: dict[str, Any]) -> Table:
    rows = [[str(g["count"]), _langs(g), g["product"] or "—", f"{g['covered']}/{g['count']}",
             " · ".join(g["examples"])] for g in data["top_questions"]]
    return ["asked", "languages", "product", "covered", "as asked"], rows


def unanswered(data: dict[str, Any]) -> Table:
    rows = [[str(g["count"]), _langs(g), g["product"] or "—", " · ".join(g["examples"]),
             g["operator_answer"] or "—", g["suggested_faq"]] for g in data["unanswered"]]
    return ["asked", "languages", "product", "as asked", "operator's answer", "suggested FAQ entry"], rows


def variants(data: dict[str, Any]) -> Table:
    rows = []
    for r in data["script"]["variants"]:
        note = " (small sample)" if r["said"] < SMALL_SAMPLE else ""
        rows.append([r["variant"], r["template"] or "(paraphrased)", str(r["said"]), str(r["interrupted"]),
                     str(r["purchase_signals"]), f"{r['window_s'] / 60:.1f}", fmt_num(r["per_min"]) + note])
    return ["variant", "template", "said", "cut", "purchase signals", "minutes after", "signals / min"], rows


def holds(data: dict[str, Any]) -> Table:
    rows = [[fmt_clock(h["at"]), h["kind"], h["user"], h["question"], h["text"], "; ".join(h["reasons"]),
             h["outcome"]] for h in data["holds"]]
    return ["at", "what", "viewer", "question", "held text", "reasons", "outcome"], rows


def edits(data: dict[str, Any]) -> Table:
    rows = [[fmt_clock(e["at"]), e["user"], e["before"], e["after"]] for e in data["edits"]]
    return ["at", "viewer", "draft", "as edited"], rows


def supporters(data: dict[str, Any]) -> Table:
    rows = [[p["user"], str(p["events"]), ", ".join(f"{v:g} {c}" for c, v in p["amounts"].items()) or "—"]
            for p in data["gifts"]["top"]]
    return ["supporter", "gifts", "amount"], rows


def compare_headline(cmp: dict[str, Any]) -> Table:
    rows = [[HEADLINE_LABELS.get(r["figure"], r["figure"]), fmt_headline(r["figure"], r["a"]),
             fmt_headline(r["figure"], r["b"]),
             "—" if r["delta"] is None else ("+" if r["delta"] > 0 else "") + fmt_headline(r["figure"], r["delta"])]
            for r in cmp["headline"]]
    return ["figure", f"A {cmp['a']}", f"B {cmp['b']}", "B − A"], rows


def compare_variants(cmp: dict[str, Any]) -> Table:
    def side(r: dict[str, Any], k: str) -> str:
        s = r.get(k)
        return "—" if not s else f"{fmt_num(s['per_min'])} /min (n={s['said']}, {s['purchase_signals']} signals)"

    return ["variant", "template", "A", "B"], [[r["variant"], r["template"] or "", side(r, "a"), side(r, "b")]
                                               for r in cmp["variants"]]
