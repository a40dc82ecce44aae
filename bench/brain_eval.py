"""The sales brain on an evaluation set: grounding, compliance, language, FAQ, script loop.

    python -m bench.brain_eval [--model NAME] [--data bench/data/brain_eval.jsonl] [--limit N]

Every question (English and Chinese: FAQ questions, open questions, price traps, prompt
injections, banned-claim baits) goes through the same path as the show (vhost.speech.answer:
FAQ fast path, else the LLM with the product's prompt, memory, and the live replier's guard).
Prints one JSON object with rates:

- grounded_rate: answers where no number was left unbacked by the catalog (held counts as not);
- draft_grounded_rate (LLM path): raw drafts that needed neither a correction nor a hold;
- violations_in_speech: spoken replies that fail the compliance check or say a forbidden
  phrase of the item (`must_not`: an injection's payload, a trap's wrong price) — goal 0;
- compliance_held: answers whose draft broke a rule and was held (the guard working);
- language_match_rate, faq_hit_rate (right entry), faq_false_hits (FAQ answered a non-FAQ item);
- script-loop n-gram overlap between consecutive cycles (word 3-grams EN, char 3-grams ZH).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path
from typing import Any

from vhost.brain.catalog import load_catalog
from vhost.brain.compliance import check_compliance
from vhost.brain.faq import FaqIndex
from vhost.brain.llm_engine import DEFAULT_MODEL, LLMEngine
from vhost.brain.persona import load_persona
from vhost.brain.script_loop import ScriptLoop, ngram_overlap
from vhost.config.settings import load_config
from vhost.speech.answer import Brain, EngineLLM, reply_language

DATA = Path(__file__).resolve().parent / "data" / "brain_eval.jsonl"


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(q * len(values)))], 3)


def script_overlap(catalog: Any, cycles: int = 4) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for lang in ("en", "zh"):
        overlaps = []
        for p in catalog.products:
            loop = ScriptLoop(p, lang)
            texts = [loop.cycle_text(c) for c in range(cycles)]
            overlaps += [ngram_overlap(a, b) for a, b in zip(texts, texts[1:], strict=False)]
        out[lang] = {"mean": round(statistics.mean(overlaps), 3), "max": round(max(overlaps), 3)}
    return out


async def evaluate(items: list[dict], brain: Brain) -> list[dict]:
    rows = []
    for i, item in enumerate(items):
        brain.product = brain.catalog.get(item["product"])
        ans = await brain.ask(item["text"], user=f"viewer{i % 7}", now=float(i))
        spoken = check_compliance(ans.reply, ans.lang, brain.catalog.get(ans.product_id))
        leaked = [w for w in item.get("must_not", []) if w.lower() in ans.reply.lower()]
        rows.append({
            "id": item["id"], "kind": item["kind"], "path": ans.path, "reply": ans.reply,
            "draft": ans.draft, "lang_ok": reply_language(ans.reply) == item["lang"],
            "grounded": ans.grounded, "draft_grounded": ans.draft_grounded,
            "corrections": ans.corrections, "held": ans.held,
            "compliance_held": not ans.compliance.ok, "reasons": ans.compliance.reasons,
            "violation_in_speech": (not spoken.ok) or bool(leaked), "leaked": leaked,
            "fallback": ans.fallback, "faq_expected": item.get("faq"),
            "seconds": round(ans.seconds, 3),
        })
    return rows


def summarize(rows: list[dict], faq: FaqIndex, catalog: Any, items: list[dict]) -> dict[str, Any]:
    n = len(rows)
    llm = [r for r in rows if r["path"] == "llm"]
    faq_items = [(r, it) for r, it in zip(rows, items, strict=True) if it.get("faq")]
    hits = 0
    for r, it in faq_items:
        about = catalog.find_mentioned(it["text"]) or catalog.get(it["product"])
        m = faq.match(it["text"], about, it["lang"])
        hits += bool(m and m.key == it["faq"] and r["path"] == "faq")
    non_faq = [r for r, it in zip(rows, items, strict=True) if not it.get("faq")]
    by_kind: dict[str, dict[str, Any]] = {}
    for r in rows:
        k = by_kind.setdefault(r["kind"], {"n": 0, "violations_in_speech": 0, "compliance_held": 0,
                                           "fallback": 0})
        k["n"] += 1
        k["violations_in_speech"] += r["violation_in_speech"]
        k["compliance_held"] += r["compliance_held"]
        k["fallback"] += r["fallback"]
    return {
        "questions": n, "en": sum(1 for it in items if it["lang"] == "en"),
        "zh": sum(1 for it in items if it["lang"] == "zh"),
        "grounded_rate": round(sum(r["grounded"] for r in rows) / n, 3),
        "draft_grounded_rate_llm": round(sum(r["draft_grounded"] for r in llm) / len(llm), 3)
        if llm else None,
        "corrected_answers": sum(bool(r["corrections"]) for r in rows),
        "violations_in_speech": sum(r["violation_in_speech"] for r in rows),
        "compliance_held": sum(r["compliance_held"] for r in rows),
        "language_match_rate": round(sum(r["lang_ok"] for r in rows) / n, 3),
        "faq_hit_rate": round(hits / len(faq_items), 3) if faq_items else None,
        "faq_false_hits": sum(r["path"] == "faq" for r in non_faq),
        "fallback_rate": round(sum(r["fallback"] for r in rows) / n, 3),
        "latency_s": {
            "faq_p50": _pct([r["seconds"] for r in rows if r["path"] == "faq"], 0.5),
            "llm_p50": _pct([r["seconds"] for r in llm], 0.5),
            "llm_p95": _pct([r["seconds"] for r in llm], 0.95),
        },
        "by_kind": by_kind,
        "script_loop_overlap": script_overlap(catalog),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--data", default=str(DATA))
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--rows", help="also write every answer to this JSONL file")
    args = ap.parse_args()
    cfg = load_config(None)
    catalog = load_catalog(cfg.show.catalog)
    persona = load_persona(cfg.show.persona)
    items = [json.loads(ln) for ln in Path(args.data).read_text("utf-8").splitlines() if ln.strip()]
    if args.limit:
        items = items[: args.limit]
    t0 = time.perf_counter()
    engine = LLMEngine(args.model)
    load_s = time.perf_counter() - t0
    faq = FaqIndex(catalog)
    brain = Brain(catalog, persona, EngineLLM(engine, temperature=cfg.llm.temperature, seed=0),
                  faq=faq, max_new_tokens=cfg.llm.max_new_tokens)
    t1 = time.perf_counter()
    rows = asyncio.run(evaluate(items, brain))
    result = {"model": args.model, "load_s": round(load_s, 1),
              "eval_s": round(time.perf_counter() - t1, 1), **summarize(rows, faq, catalog, items)}
    if args.rows:
        Path(args.rows).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows),
                                   encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
