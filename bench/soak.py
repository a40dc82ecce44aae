"""Soak: the whole show for an hour, sampled — memory, file descriptors, queues, frame times.

    python -m bench.soak [--minutes 60] [--rate 20] [--record-period 10] [--png soak.png]
                         [--model NAME] [--warmup 5] [--sample-s 10]

As the desktop app runs it: the default workers (LLM, voice, visuals) in their processes, the chat
through the real ingest connector in the chat worker process (HTTP POST to 127.0.0.1 with a token,
one message at a time, as Social Stream Ninja or a bot would send them), the session record on,
a 1080p StageWindow on this (main) thread painting `LiveStage.scene_at(sink.clock())` (offscreen
QPA unless QT_QPA_PLATFORM is set), the show on its core thread with the script loop filling the
quiet gaps. The chat is bilingual (en/zh), generated from the catalog as bench/pace.py does, at
--rate messages a minute. The headless video recorder (1280x720 H.264) is switched on and off
every --record-period minutes, so the curves show the show with and without it; it shares the
window's thread, so it renders one frame right after each window frame; and once for
20 s during warm-up (its first start fills its render caches at its own size, once: warm-up, not
growth). --trace-memory also lists where the main process's Python memory grew (tracemalloc;
slow: the stage's figures are then meaningless).

Every --sample-s seconds: RSS and open file descriptors of this process and of every child
(LLM, TTS, visuals, chat, ffmpeg), and the show's queue lengths (triage queue, pending drafts,
replies kept for the report, the sink's buffered audio). Per minute: the stage's frame interval
p99 and late frames (over 1.5 periods). Growth is measured after --warmup minutes: the median of
the first minute after warm-up against the median of the last minute, per process.

One JSON object on stdout; --png also draws the curves (matplotlib).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import secrets
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench._stats import pct
from bench.pace import FrameLog, boot, open_stage, pump, questions, schedule
from vhost.app import compose as app
from vhost.audio.sinks import VirtualSink
from vhost.base.events import Event
from vhost.base.memory import return_large_buffers
from vhost.base.runtime import CoreThread
from vhost.brain.catalog import load_catalog
from vhost.chat.config import ConnectorConfig
from vhost.config.settings import VhostConfig
from vhost.control.surface import ControlSurface

LATE_PERIODS = 1.5


def note(text: str) -> None:
    print(f"[soak] {text}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Feeder(threading.Thread):
    """Posts the generated chat to the ingest endpoint on the show clock; counts what it sent."""

    def __init__(self, port: int, token: str, lines: list, clock, start: float) -> None:  # noqa: ANN001
        super().__init__(name="soak-feeder", daemon=True)
        self.url, self.token, self.lines, self.clock, self.start_at = f"http://127.0.0.1:{port}/events", token, lines, clock, start
        self.sent: dict[str, float] = {}
        self.errors: list[str] = []
        self.stop_flag = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=10.0) as http:
            for i, ln in enumerate(self.lines):
                while self.clock() < self.start_at + ln.at:
                    if self.stop_flag.wait(min(0.2, max(0.0, self.start_at + ln.at - self.clock()))):
                        return
                mid = f"soak-{i}"
                body = {"type": "message", "platform": "soak", "id": mid, "user": ln.user, "text": ln.text}
                for _ in range(5):  # the chat worker may be restarting: the ingest client retries
                    try:
                        r = http.post(self.url, json=body, headers={"Authorization": f"Bearer {self.token}"})
                        if r.status_code == 200:
                            self.sent[mid] = self.clock()
                            break
                        self.errors.append(f"{mid}: HTTP {r.status_code}")
                    except httpx.HTTPError as exc:
                        self.errors.append(f"{mid}: {type(exc).__name__}")
                    time.sleep(1.0)


class Sampler:
    """RSS / fds per process and the show's queue lengths, every `every` seconds."""

    def __init__(self, every: float) -> None:
        self.every = every
        self.rows: list[dict[str, Any]] = []
        self._next = 0.0
        self._me = psutil.Process()

    def _processes(self) -> dict[str, psutil.Process]:
        names = {p.pid: p.name.removeprefix("vhost-") for p in mp.active_children()}
        out = {"main": self._me}
        for child in self._me.children(recursive=True):
            try:
                label = names.get(child.pid) or child.name()
            except psutil.Error:
                continue
            out[label if label not in out else f"{label}-{child.pid}"] = child
        return out

    def maybe(self, t: float, show: Any, sink: VirtualSink, core: CoreThread) -> None:
        if t < self._next:
            return
        self._next = t + self.every
        procs: dict[str, dict[str, float]] = {}
        for label, p in self._processes().items():
            try:
                with p.oneshot():
                    procs[label] = {"rss_mb": round(p.memory_info().rss / 2**20, 1), "fds": p.num_fds()}
            except psutil.Error:
                continue

        async def lengths() -> dict[str, int]:  # read on the core loop, which owns the show's state
            return {"triage": len(show.queue.triage.pending), "drafts": len(show.desk.pending()),
                    "replies_kept": len(show.replies), "spoken_kept": len(show.spoken),
                    "sink_audio_s": round(sink.queue.pending() / sink.sample_rate, 2)}

        queues = core.submit(lengths()).result(5)
        self.rows.append({"t_s": round(t, 1), "procs": procs, "queues": queues})


class MemoryTrace:
    """Where the main process's Python memory grew between the end of warm-up and the end."""

    def __init__(self, warmup_s: float) -> None:
        import tracemalloc

        self._tm = tracemalloc
        tracemalloc.start(6)
        self.warmup_s = warmup_s
        self.base: Any = None

    def maybe(self, t: float) -> None:
        if self.base is None and t >= self.warmup_s:
            self.base = self._tm.take_snapshot()

    def growth(self, top: int = 15) -> list[dict[str, Any]]:
        if self.base is None:
            return []
        stats = self._tm.take_snapshot().compare_to(self.base, "traceback")
        return [{"kb": round(s.size_diff / 1024, 1), "blocks": s.count_diff,
                 "where": [f"{f.filename.split('site-packages/')[-1]}:{f.lineno}" for f in s.traceback[-6:]]}
                for s in stats[:top]]


class Recording:
    """The headless video recorder, switched on and off every `period_s` of show time."""

    def __init__(self, cfg: VhostConfig, renderer: Any, stage: Any, folder: Path, period_s: float) -> None:
        self.cfg, self.renderer, self.stage, self.folder, self.period_s = cfg, renderer, stage, folder, period_s
        # One short window during warm-up: the recorder's first start fills its render caches at
        # its own size (~30-40 MB, once), which is warm-up, not growth.
        self.warm = (60.0, 80.0)
        self.rec: Any = None
        self.windows: list[list[float]] = []
        self.frames = 0
        self.late = 0
        self.repeated = 0
        self.stalls: list[dict[str, Any]] = []  # ticks that held the window's thread over 50 ms
        self._last_what = ""

    def tick(self, t: float, clock) -> None:  # noqa: ANN001
        t0 = time.perf_counter()
        self._tick(t, clock)
        ms = (time.perf_counter() - t0) * 1000.0
        if ms > 50.0:  # the window's thread was held longer than a frame and a half
            self.stalls.append({"t_min": round(t / 60.0, 2), "ms": round(ms, 1), "what": self._last_what})

    def _tick(self, t: float, clock) -> None:  # noqa: ANN001
        on = self.period_s > 0 and (int(t // self.period_s) % 2 == 1 or self.warm[0] <= t < self.warm[1])
        self._last_what = "render"
        if on and self.rec is None:
            self._last_what = "start"
            from PySide6.QtCore import QSize

            from vhost.stage.video import VideoRecorder

            path = self.folder / f"rec-{len(self.windows)}.mp4"
            self.rec = VideoRecorder(path, self.renderer, QSize(1280, 720), self.cfg.stage.fps, self.stage.scene_at, t0=clock())
            self.windows.append([t, t])
        elif not on and self.rec is not None:
            self._last_what = "stop"
            self.stop(t)
        if self.rec is not None:
            self.rec.render_due(clock, limit=1)  # one frame per window frame (it shares their thread)

    def stop(self, t: float) -> None:
        if self.rec is None:
            return
        self.rec.close()
        self.frames += self.rec.frames_rendered
        self.late += self.rec.frames_late
        self.repeated += self.rec.frames_repeated
        self.rec.path.unlink(missing_ok=True)
        self.windows[-1][1] = t
        self.rec = None


def gaps(times: list[float], t0: float, over_ms: float) -> list[dict[str, float]]:
    return [{"t_min": round((a - t0) / 60.0, 2), "ms": round((b - a) * 1000.0, 1)}
            for a, b in zip(times, times[1:], strict=False) if (b - a) * 1000.0 > over_ms][:50]


def per_minute(times: list[float], t0: float, minutes: int, fps: float) -> list[dict[str, Any]]:
    """Frame interval p99 and late frames per minute of the feeding window (perf_counter times)."""
    out = []
    limit = LATE_PERIODS * 1000.0 / fps
    for m in range(minutes):
        ts = [t for t in times if t0 + 60 * m <= t < t0 + 60 * (m + 1)]
        iv = [(b - a) * 1000.0 for a, b in zip(ts, ts[1:], strict=False)]
        stats = pct(iv, (50, 99))
        out.append({"minute": m + 1, "frames": len(ts), "p50_ms": stats.get("p50"), "p99_ms": stats.get("p99"),
                    "late": sum(1 for v in iv if v > limit)})
    return out


def wait_listening(port: int, qapp: Any, timeout: float = 60.0) -> None:
    """Until the ingest connector (in the chat worker) accepts connections."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        qapp.processEvents()
        time.sleep(0.05)
    raise SystemExit(f"the ingest connector never listened on port {port}")


def outcomes(sent: dict[str, float], fate: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each posted message's terminal state: answered (heard, or merged into one heard), dropped
    with triage's reason, still queued at the end (shown in the console), or `lost` (no trace)."""
    out: dict[str, Any] = {"posted": len(sent), "answered": 0, "merged": 0, "queued_at_end": 0, "dropped": {}, "lost": []}
    for mid in sent:
        key = next((k for k in fate if k == mid or k.endswith(f":{mid}")), None)
        f = fate.get(key, {}) if key else {}
        d = f.get("decision")
        if f.get("heard"):
            out["answered"] += 1
        elif d is None:
            out["lost"].append(mid)
        elif d["reason"] == "merged" and fate.get(d.get("merged_into") or "", {}).get("heard"):
            out["merged"] += 1
        elif d["reason"] in ("queued", "dispatched", "merged"):
            out["queued_at_end"] += 1
        else:
            out["dropped"][d["reason"]] = out["dropped"].get(d["reason"], 0) + 1
    return out


def growth(rows: list[dict[str, Any]], warmup_s: float) -> dict[str, dict[str, float | None]]:
    """Per process: RSS median over the first minute after warm-up vs over the last minute."""
    after = [r for r in rows if r["t_s"] >= warmup_s]
    if not after:
        return {}
    first = [r for r in after if r["t_s"] < after[0]["t_s"] + 60]
    last = [r for r in after if r["t_s"] > after[-1]["t_s"] - 60]
    out: dict[str, dict[str, float | None]] = {}
    for label in sorted({k for r in after for k in r["procs"]}):
        a = [r["procs"][label]["rss_mb"] for r in first if label in r["procs"]]
        b = [r["procs"][label]["rss_mb"] for r in last if label in r["procs"]]
        fa = [r["procs"][label]["fds"] for r in first if label in r["procs"]]
        fb = [r["procs"][label]["fds"] for r in last if label in r["procs"]]
        out[label] = {"rss_start_mb": statistics.median(a) if a else None, "rss_end_mb": statistics.median(b) if b else None,
                      "rss_growth_mb": round(statistics.median(b) - statistics.median(a), 1) if a and b else None,
                      "fds_start": statistics.median(fa) if fa else None, "fds_end": statistics.median(fb) if fb else None}
    return out


def queue_trend(rows: list[dict[str, Any]], warmup_s: float) -> dict[str, dict[str, float]]:
    """Each queue's max in the first and the second half after warm-up: a queue that grows
    without bound shows a second-half max well above the first."""
    after = [r for r in rows if r["t_s"] >= warmup_s]
    half = len(after) // 2
    out = {}
    for key in (after[0]["queues"] if after else {}):
        a = [r["queues"][key] for r in after[:half]] or [0]
        b = [r["queues"][key] for r in after[half:]] or [0]
        out[key] = {"max_first_half": max(a), "max_second_half": max(b)}
    return out


def draw(result: dict[str, Any], rows: list[dict[str, Any]], png: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2, ax3) = plt.subplots(3, 1, figsize=(11, 11), sharex=False)
    labels = sorted({k for r in rows for k in r["procs"]})
    for label in labels:
        xs = [r["t_s"] / 60 for r in rows if label in r["procs"]]
        ax1.plot(xs, [r["procs"][label]["rss_mb"] for r in rows if label in r["procs"]], label=label)
    ax1.set_ylabel("RSS (MB)")
    ax1.set_title(f"vhost soak: {result['minutes']:g} min at {result['rate_per_min']:g} msg/min — RSS per process")
    ax1.legend(fontsize=8, ncol=3)
    mins = result["frames_per_minute"]
    ax2.plot([m["minute"] - 0.5 for m in mins], [m["p99_ms"] for m in mins], marker="o", label="frame interval p99")
    ax2.axhline(40, color="red", linestyle="--", label="goal 40 ms")
    for a, b in result["recording"]["windows_min"]:
        ax2.axvspan(a, b, color="orange", alpha=0.15)
    ax2.set_ylabel("ms")
    ax2.set_xlabel("minute (orange: video recording on)")
    ax2.legend(fontsize=8)
    for key in ("triage", "drafts", "sink_audio_s"):
        ax3.plot([r["t_s"] / 60 for r in rows], [r["queues"][key] for r in rows], label=key)
    ax3.set_ylabel("queue length")
    ax3.set_xlabel("minute")
    ax3.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(png, dpi=90)


def _config(args: argparse.Namespace, port: int, token: str) -> VhostConfig:
    cfg = VhostConfig()
    cfg.llm.model = args.model or cfg.llm.model
    cfg.chat.connectors = [ConnectorConfig(source=f"ingest:{port}", token=token)]
    return cfg


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--rate", type=float, default=20.0, help="chat messages a minute")
    ap.add_argument("--record-period", type=float, default=10.0, help="minutes the recorder is off, then on, ...")
    ap.add_argument("--warmup", type=float, default=5.0, help="minutes before growth is measured")
    ap.add_argument("--sample-s", type=float, default=10.0)
    ap.add_argument("--model", help="LLM (default: the configured default model)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--png", type=Path, help="draw the curves here")
    ap.add_argument("--trace-memory", action="store_true",
                    help="tracemalloc in the main process: where its memory grew after warm-up (slows it)")
    args = ap.parse_args(argv)
    return_large_buffers()  # as vhost.app.cli does
    port, token = free_port(), secrets.token_urlsafe(24)
    cfg = _config(args, port, token)
    lines = schedule(questions(load_catalog(cfg.show.catalog)), args.rate, args.minutes, args.seed)
    folder = Path(tempfile.mkdtemp(prefix="vhost-soak-"))
    sink = VirtualSink(cfg.audio.sample_rate)
    sink.start()
    qapp, window, stage = open_stage(cfg, sink)
    core = CoreThread()
    core.start()
    note(f"loading models ({cfg.llm.model}, {cfg.voice.engine})")
    t_boot = time.monotonic()
    workers = pump(qapp, core.submit(boot(cfg)))
    boot_s = time.monotonic() - t_boot
    surface = ControlSurface(cfg.control, record_path=folder / "session.db", meta={"soak": True})
    kinds: dict[str, int] = {}
    fate: dict[str, dict[str, Any]] = {}  # chat id -> its last triage decision, and whether heard

    def on_event(event: Event) -> None:
        kinds[event.kind] = kinds.get(event.kind, 0) + 1
        data = event.data()
        if event.kind in ("chat", "triage"):
            fate.setdefault(data["id"], {})["decision"] = data
        elif event.kind == "reply" and data.get("first_audio_at") is not None and data.get("chat_id"):
            fate.setdefault(data["chat_id"], {})["heard"] = True
        surface.publish(event)

    show = app.build_show(cfg, workers, sink, stage, on_event)
    pump(qapp, core.submit(surface.start(show)))
    runner = core.submit(app.run_show(show, workers, app.chat_source(cfg, sink.clock)))
    while not show.ready.is_set() and not runner.done():
        qapp.processEvents()
        time.sleep(0.005)
    note(f"show ready after {boot_s:.0f}s; feeding {len(lines)} messages over {args.minutes:g} min")
    sampler, rec = Sampler(args.sample_s), Recording(cfg, window.renderer, stage, folder, args.record_period * 60)
    window.stats = FrameLog()
    start, p0 = sink.clock(), time.perf_counter()
    wait_listening(port, qapp)
    feeder = Feeder(port, token, lines, sink.clock, start)
    feeder.start()
    last_note = time.monotonic()
    last_paint = 0.0
    tracer = MemoryTrace(args.warmup * 60) if args.trace_memory else None
    try:
        while (t := sink.clock() - start) < args.minutes * 60:
            if tracer is not None:
                tracer.maybe(t)
            if runner.done():
                runner.result()  # a crash of the show loop ends the soak with its traceback
            qapp.processEvents()
            if window.stats.times and window.stats.times[-1] != last_paint:
                # Right after the window painted: the recorder's frame fits in the gap before the
                # next paint, instead of landing just before it and pushing it late.
                last_paint = window.stats.times[-1]
                rec.tick(t, sink.clock)
            sampler.maybe(t, show, sink, core)
            if time.monotonic() - last_note > 60:
                last_note = time.monotonic()
                note(f"t={t / 60:.1f} min, sent {len(feeder.sent)}, replies {len(show.replies)}")
            time.sleep(0.002)
        end = sink.clock() - start
    finally:
        feeder.stop_flag.set()
        rec.stop(sink.clock() - start)
        runner.cancel()
        pump(qapp, core.submit(surface.close()))
        pump(qapp, core.submit(workers.close()))
        core.stop()
        sink.stop()
    minutes = int(args.minutes)
    frames = per_minute(window.stats.times, p0, minutes, cfg.stage.fps)
    p99s = [m["p99_ms"] for m in frames if m["p99_ms"] is not None]
    result: dict[str, Any] = {
        "minutes": args.minutes, "rate_per_min": args.rate, "model": cfg.llm.model, "voice": cfg.voice.engine,
        "cpus": os.cpu_count(), "boot_s": round(boot_s, 1), "ran_s": round(end, 1), "warmup_min": args.warmup,
        "chat": {"generated": len(lines), "posted": len(feeder.sent), "post_errors": feeder.errors[:20],
                 "replies": len(show.replies), "events": kinds},
        "messages": outcomes(feeder.sent, fate),
        "rss": growth(sampler.rows, args.warmup * 60),
        "queues": queue_trend(sampler.rows, args.warmup * 60),
        "frames_per_minute": frames,
        "frame_p99_ms_worst_minute": max(p99s) if p99s else None,
        "frames_late_total": sum(m["late"] for m in frames),
        "frames_total": sum(m["frames"] for m in frames),
        # every pause of the stage over 100 ms, wherever it falls (a minute's figures miss one
        # that spans the minute's edge)
        "frame_gaps": gaps(window.stats.times, p0, 100.0),
        "recording": {"frames": rec.frames, "late": rec.late, "repeated": rec.repeated, "stalls": rec.stalls[:50],
                      "windows_min": [[round(a / 60, 2), round(b / 60, 2)] for a, b in rec.windows]},
        "samples": len(sampler.rows),
    }
    if tracer is not None:
        result["main_growth_sites"] = tracer.growth()
    if args.png:
        draw(result, sampler.rows, args.png)
        result["png"] = str(args.png)
    return result


if __name__ == "__main__":
    print(json.dumps(main(), indent=2, ensure_ascii=False))
