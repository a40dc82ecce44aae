"""LLM latency on this machine: float32 vs int8, cached system prefix vs full prefill.

    python -m bench.llm [--model NAME] [--runs N] [--threads N]

Loads the model twice in one process (float32 and int8), then alternates runs between them so a
noisy neighbour on shared cores hurts both alike. Prints one JSON object with medians: load time,
system-prefix prefill, switching to a prefix kept among the spares (a product shown before),
time to first token with the cached prefix and with a full prefill, decode tokens/s. The first
run for a model also builds its conversion cache (reported as conversion_s).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from typing import Any

import torch
import transformers

from vhost.brain.llm_engine import DEFAULT_MODEL, LLMEngine
from vhost.brain.model_convert import ensure_converted

# ~170 tokens of persona + product facts, the shape of the show's real system prompt.
SYSTEM = """You are Mia, the host of a live-stream shopping show: warm, upbeat and honest.
Answer viewers in one or two short spoken sentences, in the viewer's language. Never invent facts:
if something is not listed below, say you will check.

Product on stage: GlowUp Vitamin C Brightening Serum.
- Size: 30 ml glass bottle with dropper.
- Price: $24.99 today (regular $32.00); two for $44.
- Ingredients: 15% vitamin C, hyaluronic acid, vitamin E.
- Skin types: all, including sensitive; fragrance-free.
- Use: 3 to 4 drops every morning before sunscreen.
- Shipping: free over $35, otherwise $4.95.
- Returns: 30 days, even if opened."""
QUESTION = "hi Mia! how much is the serum and does it ship free?"
OTHER = SYSTEM.replace("GlowUp Vitamin C Brightening Serum", "AeroBuds Wireless Earbuds")


def _median(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return round(statistics.median(kept), 4) if kept else None


def _prefix_times(engine: LLMEngine) -> tuple[float, float]:
    """Seconds for a fresh prefill of SYSTEM, and for switching back to a product seen before
    (taken from the spare caches); SYSTEM is the current prefix again afterwards."""
    engine.set_prefix(OTHER)
    engine._spare.pop(SYSTEM, None)  # forgotten, so the next call prefills it
    prefill_s = engine.set_prefix(SYSTEM)
    from_spare_s = engine.set_prefix(OTHER)  # OTHER is among the spares now
    engine.set_prefix(SYSTEM)
    return prefill_s, from_spare_s


def _reply(engine: LLMEngine, reuse_prefix: bool, max_new_tokens: int) -> tuple[str, dict]:
    text = engine.generate(QUESTION, temperature=0, max_new_tokens=max_new_tokens,
                           reuse_prefix=reuse_prefix)
    return text, dict(engine.last_stats)


def run(model: str, runs: int, threads: int | None, max_new_tokens: int) -> dict[str, Any]:
    started = time.perf_counter()
    ensure_converted(model)  # a no-op check once converted
    conversion_s = time.perf_counter() - started

    engines: dict[str, LLMEngine] = {}
    for name, quantize in (("fp32", "none"), ("int8", "int8")):
        engines[name] = LLMEngine(model, device="cpu", threads=threads, quantize=quantize)
        gc.collect()

    samples: dict[str, dict[str, list]] = {name: {} for name in engines}
    for engine in engines.values():  # warm-up: first calls pay one-time allocation costs
        engine.set_prefix(SYSTEM)
        _reply(engine, True, 4)
    for _ in range(runs):
        for name, engine in engines.items():
            s = samples[name]
            prefill_s, from_spare_s = _prefix_times(engine)
            s.setdefault("prefix_prefill_s", []).append(prefill_s)
            s.setdefault("prefix_from_spare_us", []).append(round(from_spare_s * 1e6, 1))
            text, cached = _reply(engine, True, max_new_tokens)
            _, full = _reply(engine, False, max_new_tokens)
            s.setdefault("ttft_cached_prefix_s", []).append(cached["first_token_s"])
            s.setdefault("ttft_full_prefill_s", []).append(full["first_token_s"])
            # decode speed does not depend on how the prompt was prefilled: pool both runs
            s.setdefault("decode_tok_s", []).extend([cached["decode_tok_s"], full["decode_tok_s"]])
            s.setdefault("reply", [text])
            tokens = {"system_prompt_tokens": cached["prefix_tokens"],
                      "question_turn_tokens": cached["suffix_tokens"],
                      "prompt_tokens": full["suffix_tokens"]}

    first = next(iter(engines.values()))
    variants: dict[str, Any] = {}
    for name, engine in engines.items():
        s = samples[name]
        variants[name] = {
            "load_s": round(engine.load_s, 3),
            **{k: _median(v) for k, v in s.items() if k != "reply"},
            "reply": s["reply"][0],
        }
        if engine.quantized:
            q = engine.quantization
            variants[name]["quantization"] = {
                "kl_vs_fp32": round(q["kl"], 4), "linears_int8": q["quantized_linears"],
                "linears_kept_fp32": len(q["kept_fp32"]), "smoothed": q["smoothed"],
                "seconds": round(q["seconds"], 2)}
    return {
        "model": model,
        "model_dir": str(first.model_dir),
        "conversion_s": round(conversion_s, 2),
        "threads": torch.get_num_threads(),
        "cpu_count": os.cpu_count(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        **tokens,
        "question": QUESTION,
        "max_new_tokens": max_new_tokens,
        "runs": runs,
        "variants": variants,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.llm", description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=DEFAULT_MODEL,
                        help="manifest name, GGUF file or Hugging Face model folder")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--max-new-tokens", type=int, default=32)
    args = parser.parse_args(argv)
    result = run(args.model, args.runs, args.threads, args.max_new_tokens)
    json.dump(result, sys.stdout, indent=1, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
