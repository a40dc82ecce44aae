"""Chat → first audio, with the default models, and a naive baseline in the same run.

    python -m bench.latency [--model NAME] [--limit N]

Streaming path: the show itself (triage → cached-prefix LLM stream → early first fragment → TTS →
sink). Naive path: the whole reply, then the whole reply's TTS, then play — same workers, same
questions. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time

from vhost.app import compose as app
from vhost.audio.sinks import VirtualSink
from vhost.base.language import detect_language
from vhost.brain.clients import WorkerLLM, WorkerTTS
from vhost.brain.prompt import build_user_turn
from vhost.chat.events import ChatMessage
from vhost.chat.replay import load_replay
from vhost.chat.triage import classify
from vhost.config.settings import VhostConfig
from vhost.stage.live import LiveStage


def pct(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 3)


def summary(values: list[float]) -> dict:
    return {"p50": pct(values, 50), "p95": pct(values, 95), "n": len(values)}


async def wait_until(pred, timeout: float) -> None:
    t0 = time.monotonic()
    while not pred():
        if time.monotonic() - t0 > timeout:
            raise TimeoutError
        await asyncio.sleep(0.01)


async def run(cfg: VhostConfig, limit: int) -> dict:
    statuses: list = []
    t_boot = time.monotonic()
    workers = await app.start_workers(cfg, lambda n, m: statuses.append((n, m)))
    errors = await app.wait_workers(workers)
    if errors:
        raise SystemExit("; ".join(errors))
    boot_s = time.monotonic() - t_boot
    lines, _errors = load_replay(cfg.show.chat)
    questions = [ln for ln in lines if classify(ln.text) in ("question", "purchase")][:limit]

    sink = VirtualSink(cfg.audio.sample_rate)
    sink.start()
    show = app.build_show(cfg, workers, sink, LiveStage(cfg.stage.seed), lambda _event: None)
    runner = asyncio.create_task(show.run())
    await wait_until(lambda: show.ready.is_set(), 300)

    # --- streaming path: one question at a time, each on a quiet stage -------------------
    def settled(mid: str) -> bool:
        # answered, or refused by triage (the demo chat holds a duplicate on purpose)
        return any(r["chat_id"] == mid for r in show.replies) or any(
            d.msg_id == mid and not d.accepted for d in show.queue.triage.decisions)

    for i, q in enumerate(questions):
        await show.offer_chat(ChatMessage(f"b{i}", "bench", q.user, q.text, sink.clock()))
        await wait_until(lambda mid=f"b{i}": settled(mid), 120)
        await wait_until(lambda: not show.speaker.busy, 60)  # each question on a quiet stage
    streamed = [r for r in show.replies if r["chat_id"].startswith("b")]
    questions = [q for i, q in enumerate(questions) if any(r["chat_id"] == f"b{i}" for r in streamed)]

    # --- naive path: whole reply → whole TTS → play --------------------------------------
    llm, tts = WorkerLLM(workers.llm, cfg.llm.temperature), WorkerTTS(workers.tts)
    naive = []
    for i, q in enumerate(questions):
        msg = ChatMessage(f"n{i}", "bench", q.user, q.text, sink.clock())
        lang = detect_language(q.text)
        t0 = sink.clock()
        text = "".join([d async for d in llm.stream(build_user_turn(msg, lang),
                                                     max_new_tokens=cfg.llm.max_new_tokens)])
        t_llm = sink.clock()
        chunk = await tts.synthesize(text.strip() or "Okay.", lang)
        t_tts = sink.clock()
        pb = sink.play(chunk)
        await wait_until(lambda pb=pb: pb.start is not None, 30)
        naive.append({"latency_s": pb.start - t0, "llm_s": t_llm - t0, "tts_s": t_tts - t_llm})
        await asyncio.get_running_loop().run_in_executor(None, pb.done.wait, 60)

    runner.cancel()
    sink.stop()
    await workers.close()

    lat = [r["latency_s"] for r in streamed if r["latency_s"] is not None]
    naive_lat = [n["latency_s"] for n in naive]

    def part(key_a: str, key_b: str) -> list[float]:
        return [r[key_b] - r[key_a] for r in streamed if r.get(key_a) is not None and r.get(key_b) is not None]

    p50, n50 = pct(lat, 50), pct(naive_lat, 50)
    return {
        "model": cfg.llm.model,
        "voice": cfg.voice.engine,
        "questions": len(questions),
        "boot_s": round(boot_s, 2),
        "streaming": {
            "chat_to_first_audio_s": summary(lat),
            "breakdown_p50_s": {
                "triage_wait": pct(part("received_at", "picked_at"), 50),
                "prompt_prefill": pct([r["llm"].get("prefill_s", 0) for r in streamed if r.get("llm")], 50),
                "first_token": pct(part("picked_at", "first_token_at"), 50),
                "first_fragment": pct(part("picked_at", "first_fragment_at"), 50),
                "tts_first_chunk": pct([r["tts_first_s"] for r in streamed if r.get("tts_first_s")], 50),
                "device": pct(part("first_audio_ready_at", "first_audio_at"), 50),
            },
            "decode_tok_s_p50": pct([r["llm"].get("decode_tok_s", 0) for r in streamed if r.get("llm")], 50),
            "grounded": sum(1 for r in streamed if r["grounded"]),
        },
        "naive": {
            "chat_to_first_audio_s": summary(naive_lat),
            "llm_whole_reply_s_p50": pct([n["llm_s"] for n in naive], 50),
            "tts_whole_reply_s_p50": pct([n["tts_s"] for n in naive], 50),
        },
        "speedup_p50": round(n50 / p50, 2) if p50 and n50 else None,
        "replies": [{"q": r["chat_text"], "a": r["reply_text"], "latency_s": r["latency_s"]} for r in streamed],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--limit", type=int, default=12)
    args = ap.parse_args()
    cfg = VhostConfig()
    if args.model:
        cfg.llm.model = args.model
    print(json.dumps(asyncio.run(run(cfg, args.limit)), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
