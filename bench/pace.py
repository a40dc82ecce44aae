"""Chat pacing: a generated chat at N messages a minute, against the real show and default models.

    python -m bench.pace [--rates 15,30,60] [--minutes 2] [--catalog PATH] [--no-stage] [--pace-to-end]

As bench/latency.py: the default workers (compose.start_workers), compose.build_show on a real-time
VirtualSink, chat fed by `show.offer_chat` stamped on the sink clock (the show clock). The chat is
generated from the catalog (per product, en and zh: price, stock, specs, its FAQ questions, an
unknown, an opinion ("worth it?", the kind meant for the LLM); plus small talk), ~20 viewers, a
fixed seed, evenly spaced with a little jitter. Each rate gets a fresh show (same workers, sink,
stage), fed for --minutes, then drained until every message settled (at most max_age_s + 60 s).

From the show's events (vhost.base.events): `answered` = a "reply" event (ReplyHeard) for its
`chat_id` with a `first_audio_at`, or a "triage" event with reason "merged" whose `merged_into` was
answered so (those are also `merged`); `stale` = triage reason "stale"; `unanswered` = neither
(`unanswered_reasons`: its last triage reason: "rate limit", "duplicate" (incl. a repeat of a line
answered in the last 30 s), "queued"...). `answer_age_s`: received_at -> first audio of its reply
(or the one it joined). `facts_fraction`: replies with `path` facts/unknown/refuse/suitability over
those plus "llm" (greetings, deflections left out; `paths` has all). `silent_wait_s`: seconds the
voice said nothing while at least one viewer waited for a reply (received, not yet heard): the time
the voice, not the queue, cost; each reply's own share is `silent_s` in `reply_log`.

Stage frames: as in the desktop app (vhost.app.gui), a 1080p StageWindow on this (main) thread
paints `LiveStage.scene_at(sink.clock())` at [stage] fps (offscreen QPA unless QT_QPA_PLATFORM is
set) while the show runs on its core thread; over each rate's feeding window a frame is late when it
comes over 1.5 frame periods after the previous one. `--no-stage`: null. One JSON object on stdout.

Prepared lines (vhost.speech.phrase_store): each rate starts from an empty store, as the first show
of a new catalog does; `--phrase-store DIR` keeps them in DIR across rates and runs (a second run
with the same DIR measures a restarted show, or the next show of the catalog).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

from bench._stats import pct
from vhost.app import compose as app
from vhost.audio.sinks import VirtualSink
from vhost.base.events import Event
from vhost.base.runtime import CoreThread
from vhost.brain.catalog import Catalog, load_catalog
from vhost.chat.events import ChatMessage
from vhost.config.settings import VhostConfig
from vhost.stage.live import LiveStage
from vhost.stage.timing import FrameStats

FACTS_PATHS = ("facts", "unknown", "refuse", "suitability")
LATE_PERIODS = 1.5  # a frame interval above this many frame periods is a late frame
VIEWERS = ["Mia", "Jake", "Sofia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Chloe", "Ethan", "小鹿", "阿珍",
           "大橙子", "Kiki酱", "王小明", "爱吃鱼", "夜猫子", "Lily_W", "阿杰", "Tommy"]
SMALL_TALK = ["hi everyone", "hello from Texas!", "love this stream", "good evening", "主播好", "大家晚上好",
              "来了来了", "主播今天好漂亮", "first time here", "what music is this?"]
SPEC_ZH = {"capacity": "容量", "volume": "容量", "weight": "重量", "material": "材质", "colors": "颜色",
           "color": "颜色", "size": "尺寸", "battery": "续航", "texture": "质地", "charging": "充电"}


class Line(NamedTuple):
    at: float  # seconds after the rate's start, on the show clock
    user: str
    text: str
    kind: str  # price stock spec faq unknown opinion smalltalk


def questions(catalog: Catalog) -> list[tuple[str, str]]:
    """(kind, text) per product, en and zh: price, stock, specs, FAQ, an unknown, an opinion."""
    out: list[tuple[str, str]] = []
    for p in catalog.products:  # named as viewers would: an alias, else the (Chinese) name
        zh_i18n = p.i18n.get("zh")
        en = next((a for a in p.aliases if a.isascii()), p.name)
        zh = next((a for a in p.aliases if not a.isascii()), None) or (zh_i18n.name if zh_i18n else None) or en
        out += [("price", f"how much is the {en}?"), ("price", f"{zh}多少钱？"),
                ("stock", f"is the {en} still in stock?"), ("stock", f"{zh}还有货吗？"),
                ("unknown", f"does the {en} ship to Iceland?"), ("unknown", f"{zh}有没有赠品？"),
                ("opinion", f"is the {en} worth it?"), ("opinion", f"{zh}值得买吗？")]
        for key in list(p.specs)[:2]:
            words = key.replace("_", " ")
            out += [("spec", f"what's the {words} of the {en}?"), ("spec", f"{zh}的{SPEC_ZH.get(key, words)}是多少？")]
        out += [("faq", f"{en}: {f.q}") for f in p.faq]
        out += [("faq", f"{zh}：{f.q}") for f in ((zh_i18n.faq or []) if zh_i18n else [])]
    return out


def schedule(pool: list[tuple[str, str]], rate: float, minutes: float, seed: int) -> list[Line]:
    """`rate` lines a minute for `minutes`, evenly spaced with +-15 % jitter; ~1 in 5 small talk."""
    rng = random.Random(f"{seed}-{rate}")
    gap = 60.0 / rate
    lines = []
    for i in range(max(1, round(rate * minutes))):
        kind, text = ("smalltalk", rng.choice(SMALL_TALK)) if rng.random() < 0.2 else rng.choice(pool)
        lines.append(Line(max(0.0, (i + 0.5 + rng.uniform(-0.15, 0.15)) * gap), rng.choice(VIEWERS), text, kind))
    return lines


class FrameLog(FrameStats):
    """FrameStats that also keeps every frame's time (perf_counter seconds)."""

    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    def frame(self, now_s: float) -> None:
        self.times.append(now_s)
        super().frame(now_s)


def frames_late(times: list[float], t0: float, t1: float, fps: float) -> dict[str, Any]:
    ts = [t for t in times if t0 <= t <= t1]
    iv = [(b - a) * 1000.0 for a, b in zip(ts, ts[1:], strict=False)]
    limit = LATE_PERIODS * 1000.0 / fps
    late = sum(1 for v in iv if v > limit)
    return {"frames": len(ts), "late": late, "late_fraction": round(late / len(iv), 4) if iv else None,
            "late_over_ms": round(limit, 1), "interval_ms": pct(iv),
            "fps": round(len(iv) / (ts[-1] - ts[0]), 2) if len(ts) > 1 else None}


def note(text: str) -> None:
    print(f"[pace] {text}", file=sys.stderr, flush=True)  # progress


async def _feed(show: Any, sink: VirtualSink, lines: list[Line], tag: str, seen: dict[str, Any]) -> dict[str, float]:
    """Offer each line when its time comes on the show clock; returns id -> received_at."""
    received: dict[str, float] = {}
    start, last_note = sink.clock(), time.monotonic()
    for i, ln in enumerate(lines):
        while sink.clock() < start + ln.at:
            await asyncio.sleep(min(0.05, start + ln.at - sink.clock()))
        mid = f"{tag}-{i}"
        received[mid] = sink.clock()
        await show.offer_chat(ChatMessage(mid, "bench", ln.user, ln.text, received[mid]))
        if time.monotonic() - last_note >= 15:
            last_note = time.monotonic()
            note(f"{tag}: t={sink.clock() - start:.0f}s sent {i + 1}/{len(lines)}, replies {len(seen['reply'])}")
    return received


def _settled(received: dict[str, float], seen: dict[str, list[dict]]) -> bool:
    """Every message heard, merged into one heard, or dropped (stale, duplicate...) by triage."""
    heard = {r["chat_id"] for r in seen["reply"] if r.get("first_audio_at") is not None}
    last: dict[str, dict] = {d["id"]: d for d in seen["triage"]}

    def done(mid: str) -> bool:
        d = last.get(mid)
        if mid in heard or d is None or d["reason"] == "merged":
            return mid in heard or (d is not None and d["merged_into"] in heard)
        return d["reason"] not in ("queued", "dispatched")

    return all(done(mid) for mid in received)


async def run_rate(cfg: VhostConfig, workers: app.Workers, sink: VirtualSink, stage: LiveStage,
                   lines: list[Line], tag: str, phrase_root: Path, pace_to_end: bool = False) -> dict[str, Any]:
    """A fresh show, fed `lines`, drained; returns what it heard and the feeding window."""
    seen: dict[str, list[dict]] = {"reply": [], "triage": [], "spoken": []}

    def on_event(event: Event) -> None:
        if event.kind in seen:
            seen[event.kind].append(event.data())

    sink.clear()
    show = app.build_show(cfg, workers, sink, stage, on_event, phrase_root=phrase_root)
    if pace_to_end:  # the reference: every line paced to its end, viewers waiting or not
        show.speaker.hurry = None
    runner = asyncio.create_task(app.run_show(show, workers, None))
    t_ready = time.monotonic()
    while not show.ready.is_set():
        if runner.done() or time.monotonic() - t_ready > 300:
            raise SystemExit(f"show not ready: {runner.exception() if runner.done() else 'timeout'}")
        await asyncio.sleep(0.05)
    note(f"{tag}: show ready, feeding {len(lines)} messages")
    t0 = time.perf_counter()
    received = await _feed(show, sink, lines, tag, seen)
    t1 = time.perf_counter()
    t_drain, limit = time.monotonic(), cfg.chat.triage.max_age_s + 60.0
    while not _settled(received, seen) and time.monotonic() - t_drain < limit:
        await asyncio.sleep(0.2)
    runner.cancel()
    await asyncio.gather(runner, return_exceptions=True)
    note(f"{tag}: done ({len(seen['reply'])} replies, drained in {time.monotonic() - t_drain:.0f}s)")
    return {"received": received, "seen": seen, "window": (t0, t1)}


def _uncovered(a: float, b: float, spans: list[tuple[float, float]]) -> float:
    """Seconds of [a, b] outside every span (spans sorted by start)."""
    left, t = 0.0, a
    for s, e in spans:
        if e <= t or s >= b:
            continue
        left += max(0.0, s - t)
        t = max(t, e)
    return left + max(0.0, b - t)


def silence_while_waiting(replies: list[dict], spoken: list[dict]) -> tuple[float, dict[str, float]]:
    """The voice's dead air while someone waits: total seconds, and each reply's share."""
    spans = sorted((u["first_audio_at"], u["last_audio_at"]) for u in replies + spoken
                   if u.get("first_audio_at") is not None and u.get("last_audio_at") is not None)
    waits = sorted((r["received_at"], r["first_audio_at"]) for r in replies if r.get("first_audio_at") is not None)
    total, t = 0.0, float("-inf")
    for a, b in waits:  # the union of waiting windows, minus speech
        a = max(a, t)
        if b > a:
            total += _uncovered(a, b, spans)
            t = b
    each = {r["chat_id"]: _uncovered(r["received_at"], r["first_audio_at"], spans)
            for r in replies if r.get("first_audio_at") is not None}
    return total, each


def tally(lines: list[Line], tag: str, got: dict[str, Any]) -> dict[str, Any]:
    """Sent / answered / merged / stale / unanswered, answer ages, reply paths, per kind."""
    received, seen = got["received"], got["seen"]
    heard: dict[str, dict] = {}
    for r in seen["reply"]:
        if r["chat_id"] in received and r.get("first_audio_at") is not None:
            heard.setdefault(r["chat_id"], r)  # a retried reply: its first heard one
    reasons: dict[str, list[dict]] = {}
    for d in seen["triage"]:
        reasons.setdefault(d["id"], []).append(d)
    counts, why, sent, answered = Counter(), Counter(), Counter(), Counter()
    ages: list[float] = []
    for i, ln in enumerate(lines):
        mid = f"{tag}-{i}"
        ds = reasons.get(mid, [])
        into = next((d["merged_into"] for d in ds if d["reason"] == "merged" and d["merged_into"] in heard), None)
        target = heard.get(mid) or (heard[into] if into else None)
        sent[ln.kind] += 1
        if target is not None:
            counts.update(["answered"] + (["merged"] if mid not in heard else []))
            answered[ln.kind] += 1
            ages.append(target["first_audio_at"] - received[mid])
        elif any(d["reason"] == "stale" for d in ds):
            counts["stale"] += 1
        else:
            counts["unanswered"] += 1
            why[ds[-1]["reason"] if ds else "no decision"] += 1
    paths = Counter(r["path"] for r in heard.values())
    facts = sum(paths[p] for p in FACTS_PATHS)
    age = pct(ages, (50, 95))
    t0 = min(received.values(), default=0.0)
    silent, silent_each = silence_while_waiting(list(heard.values()), seen.get("spoken", []))

    def rel(t: float | None) -> float | None:  # seconds after the first message, on the show clock
        return round(t - t0, 2) if t is not None else None

    return {"sent": len(lines), **{k: counts[k] for k in ("answered", "merged", "stale", "unanswered")},
            "unanswered_reasons": dict(why), "answer_age_s": {k: age.get(k) for k in ("p50", "p95", "n")},
            "silent_wait_s": round(silent, 2),
            "replies": len(heard), "facts_fraction": round(facts / (facts + paths["llm"]), 3) if facts + paths["llm"] else None,
            "paths": dict(paths), "by_kind": {k: {"sent": n, "answered": answered[k]} for k, n in sorted(sent.items())},
            # each reply heard: its age at first audio, how long it waited to be picked, what was said
            "reply_log": [{"age_s": round(r["first_audio_at"] - r["received_at"], 2),
                           "waited_s": round((r.get("picked_at") or r["received_at"]) - r["received_at"], 2),
                           "silent_s": round(silent_each.get(r["chat_id"], 0.0), 2),
                           "path": r["path"], "heard": r.get("heard_text", "")[:120],
                           # the timeline: received, picked, first audio ready and heard (s after the start)
                           "at": [rel(r["received_at"]), rel(r.get("picked_at")),
                                  rel(r.get("first_audio_ready_at")), rel(r["first_audio_at"])]}
                          for r in sorted(heard.values(), key=lambda r: r["received_at"])]}


def pump(qapp: Any, fut: Any) -> Any:
    """Wait for a core-thread future while the stage window keeps painting (when there is one)."""
    while not fut.done():
        if qapp is not None:
            qapp.processEvents()
        time.sleep(0.001 if qapp is not None else 0.05)
    return fut.result()


def open_stage(cfg: VhostConfig, sink: VirtualSink) -> tuple[Any, Any, LiveStage]:
    """(QApplication, StageWindow, LiveStage) as the desktop app opens them, offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from vhost.stage.setup import build_renderer
    from vhost.stage.window import StageWindow

    qapp = QApplication.instance() or QApplication([])
    renderer = build_renderer(cfg.stage)
    stage = LiveStage(renderer.character.seed)
    window = StageWindow(renderer, lambda: stage.scene_at(sink.clock()), fps=cfg.stage.fps)
    window.stats = FrameLog()
    window.resize(renderer.size)
    window.show()
    return qapp, window, stage


async def boot(cfg: VhostConfig) -> app.Workers:
    """The default workers, as bench/latency.py starts them."""
    workers = await app.start_workers(cfg, lambda *_: None)
    errors = await app.wait_workers(workers)
    if errors:
        await workers.close()
        raise SystemExit("; ".join(errors))
    return workers


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rates", default="15,30,60", help="messages per minute, comma-separated")
    ap.add_argument("--minutes", type=float, default=2.0, help="minutes of chat per rate")
    ap.add_argument("--catalog", type=Path, help="catalog TOML (default: the config's)")
    ap.add_argument("--model", help="LLM (default: the configured default model)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-stage", action="store_true", help="no stage window (stage_frames: null)")
    ap.add_argument("--voice-threads", type=int, help="[voice] threads (default: the config's)")
    ap.add_argument("--phrase-store", type=Path, help="prepared lines kept on disk, shared by the rates and "
                    "by runs (default: an empty folder per rate, as the first show of a catalog)")
    ap.add_argument("--pace-to-end", action="store_true", help="the reference: pace every line to its end "
                    "even while viewers wait (before December 7, 2026; vhost.speech.pacer)")
    args = ap.parse_args()
    cfg = VhostConfig()
    cfg.voice.threads = args.voice_threads or cfg.voice.threads
    cfg.show.catalog = args.catalog.resolve() if args.catalog else cfg.show.catalog
    cfg.llm.model = args.model or cfg.llm.model
    rates = [float(r) for r in args.rates.split(",") if r.strip()]
    pool = questions(load_catalog(cfg.show.catalog))
    sink = VirtualSink(cfg.audio.sample_rate)
    sink.start()
    qapp, window, stage = (None, None, LiveStage(cfg.stage.seed)) if args.no_stage else open_stage(cfg, sink)
    core = CoreThread()
    core.start()
    note(f"loading models ({cfg.llm.model}, {cfg.voice.engine}); {len(pool)} questions in the pool")
    t_boot = time.monotonic()
    workers = pump(qapp, core.submit(boot(cfg)))
    result: dict[str, Any] = {
        "model": cfg.llm.model, "voice": cfg.voice.engine, "voice_threads": cfg.voice.threads, "catalog": str(cfg.show.catalog), "cpus": os.cpu_count(),
        "phrase_store": str(args.phrase_store) if args.phrase_store else "empty per rate",
        "pace_to_end": args.pace_to_end,
        "boot_s": round(time.monotonic() - t_boot, 1), "minutes": args.minutes, "seed": args.seed,
        "answers_per_minute": cfg.chat.triage.answers_per_minute, "max_age_s": cfg.chat.triage.max_age_s, "rates": []}
    try:
        for rate in rates:
            lines, tag = schedule(pool, rate, args.minutes, args.seed), f"r{rate:g}"
            root = args.phrase_store or Path(tempfile.mkdtemp(prefix="vhost-pace-phrases-"))
            got = pump(qapp, core.submit(run_rate(cfg, workers, sink, stage, lines, tag, root, args.pace_to_end)))
            if args.phrase_store is None:
                shutil.rmtree(root, ignore_errors=True)
            row = {"rate_per_min": rate, **tally(lines, tag, got), "stage_frames": None}
            if window is not None:
                row["stage_frames"] = frames_late(window.stats.times, *got["window"], cfg.stage.fps)
                window.stats.times.clear()
            result["rates"].append(row)
    finally:
        pump(qapp, core.submit(workers.close()))
        core.stop()
        sink.stop()
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
