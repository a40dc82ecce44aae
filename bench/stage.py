"""Stage frame pacing at 1080p30 with the LLM and TTS worker processes busy, per-layer cost, and
the browser source's encoding cost.

    python -m bench.stage [--seconds 20] [--model NAME] [--no-workers] [--browser]
    python -m bench.stage --dashboard --no-workers [--chat-rate 20] [--seconds 20]

Phase 1 (reference, same run): the stage window alone for --idle-seconds.
Phase 2: the same window while the real workers (vhost.app.compose.start_workers) generate and
synthesize back to back, the whole time. With --browser, the browser source is also shown in a
real headless Chromium (bench/chromium.py) in both phases (one renderer feeds the window and the
source): "browser" reports per phase the fps the page actually drew (goal 30, counted by the
page and read over DevTools) beside the stage window's frame interval p99 while it is connected.
Compare transports side by side with --browser-format png|webp and --browser-tile (4096: a
whole frame each time), e.g. `python -m bench.stage --browser --no-workers --seconds 10`.
With --dashboard, three more phases of --seconds each, the operator console open in the same
process and fed --chat-rate messages a second from another thread (bench/console_feed.py):
"console" on its chat tab, "dashboard" on the live dashboard tab (its one-second updates drawn),
then "console_after" on the chat tab again. `dashboard_vs_console_p99`: the frame interval p99
with the dashboard shown over the mean of the two console phases.

The window is a real StageWindow at 1920x1080 driven by its own QTimer (offscreen QPA, or a
real X server when DISPLAY is set, e.g. under xvfb-run). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import threading
import time

from bench._stats import pct


class BusyWorkers:
    """Keeps the real LLM and TTS processes working until stopped; counts what they did."""

    def __init__(self, model: str | None, nice: int = 0) -> None:
        self.nice = nice
        from vhost.config.settings import VhostConfig

        self.cfg = VhostConfig()
        if model:
            self.cfg.llm.model = model
        self.tokens = 0
        self.synth_s = 0.0
        self.audio_s = 0.0
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._busy = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)
        self.error: str | None = None

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(900):
            raise RuntimeError("workers did not start in 15 min")
        if self.error:
            raise RuntimeError(self.error)

    def go(self) -> None:
        self._busy.set()

    def stop(self) -> None:
        self._stop.set()
        self._busy.set()
        self._thread.join(60)

    async def _main(self) -> None:
        from vhost.app import compose as app
        from vhost.brain.clients import WorkerLLM, WorkerTTS

        workers = await app.start_workers(self.cfg, lambda *_: None)
        errors = await app.wait_workers(workers)
        if errors:
            self.error = "; ".join(errors)
            self._ready.set()
            return
        if self.nice:
            # What the stage needs from the OS: the models yield the CPU to the painter when
            # both want it (CFS weight of nice 10 is ~1/10 of nice 0). Applied from outside,
            # like `renice`, so the workers themselves are unchanged.
            for w in (workers.llm, workers.tts):
                os.setpriority(os.PRIO_PROCESS, w._proc.pid, self.nice)  # noqa: SLF001
        self._ready.set()
        while not self._busy.is_set():
            await asyncio.sleep(0.05)
        llm, tts = WorkerLLM(workers.llm, 0.7), WorkerTTS(workers.tts)

        async def gen_loop():
            while not self._stop.is_set():
                async for _ in llm.stream("Tell me about a travel mug, in detail, please.",
                                          max_new_tokens=96):
                    self.tokens += 1

        async def tts_loop():
            lines = ["This travel mug keeps your coffee hot for six hours.",
                     "The lid locks, so nothing leaks into your bag.",
                     "Today it is twenty four ninety nine, down from thirty four ninety nine."]
            i = 0
            while not self._stop.is_set():
                t0 = time.perf_counter()
                chunk = await tts.synthesize(lines[i % len(lines)])
                self.synth_s += time.perf_counter() - t0
                self.audio_s += chunk.duration
                i += 1

        try:
            await asyncio.gather(gen_loop(), tts_loop())
        finally:
            await workers.close()


def run_phase(qapp, window, seconds: float) -> dict:
    from PySide6.QtCore import QElapsedTimer

    window.stats.reset()
    window.renderer.layer_ms.clear()
    timer = QElapsedTimer()
    timer.start()
    while timer.elapsed() < seconds * 1000:
        qapp.processEvents()
        time.sleep(0.001)
    s = window.stats
    layers = {k: pct(v, (50, 95, 99)) for k, v in window.renderer.layer_ms.items()}
    return {"interval_ms": pct(list(s._intervals)), "render_ms": pct(list(s._render)),
            "fps": round(s.fps, 2), "layer_ms": layers}


def dashboard_phases(qapp, window, seconds: float, rate: float) -> dict:
    """The stage with the console open and fed: on the chat tab, then on the dashboard tab."""
    from bench.console_feed import ChatFeed, open_console

    console, bridge = open_console(dashboard=False)
    feed = ChatFeed(bridge, rate)
    feed.prefill()
    feed.start()
    run_phase(qapp, window, 2.0)  # the console's first layout is not part of any phase
    out = {"chat_rate": rate, "console": run_phase(qapp, window, seconds)}
    if not hasattr(console, "dashboard_panel"):  # a console from before the dashboard (to compare)
        feed.stop()
        console.close()
        return {**out, "chat_sent": feed.sent}
    console.left_tabs.setCurrentWidget(console.dashboard_panel)
    updates = console.dashboard_model.updates
    out["dashboard"] = run_phase(qapp, window, seconds)
    out["dashboard"]["dashboard_updates"] = console.dashboard_model.updates - updates
    console.left_tabs.setCurrentWidget(console.chat_panel)  # and back: drift in the load shows here
    out["console_after"] = run_phase(qapp, window, seconds)
    feed.stop()
    grabs = []
    for _ in range(20):  # what one update's drawing costs at most: the whole dashboard painted
        t0 = time.perf_counter()
        console.dashboard_panel.grab()
        grabs.append((time.perf_counter() - t0) * 1000)
    out["dashboard"]["full_repaint_ms"] = pct(grabs)
    out["chat_sent"] = feed.sent
    out["messages_seen"] = console.dashboard_model.snapshot["messages"]
    before, after = out["console"]["interval_ms"].get("p99"), out["console_after"]["interval_ms"].get("p99")
    p99d = out["dashboard"]["interval_ms"].get("p99")
    out["dashboard_vs_console_p99"] = round(2 * p99d / (before + after), 2) if before and after and p99d else None
    console.close()
    return out


class BrowserViewer:
    """The browser source shown in a real headless Chromium (bench/chromium.py) while the stage
    runs: per phase, the frames the page drew per second (its own counter, read over DevTools),
    next to the GUI stage's frame interval p99 in that phase."""

    def __init__(self, source) -> None:
        from bench.chromium import ChromiumThread, available

        if not available():
            raise SystemExit("--browser needs a Chromium (/usr/bin/chromium or $VHOST_CHROMIUM)")
        self.source = source
        self.chromium = ChromiumThread(1920, 1080)
        self.phases: dict = {}
        self.first_paint: dict = {}

    def start(self, qapp, window) -> None:
        def _while_rendering(call) -> None:  # the stage keeps rendering (and publishing)
            done = threading.Event()
            threading.Thread(target=lambda: (call(), done.set()), daemon=True).start()
            while not done.is_set():
                qapp.processEvents()
                time.sleep(0.001)

        _while_rendering(self.chromium.start)
        t0 = time.perf_counter()
        _while_rendering(lambda: (self.chromium.navigate(self.source.url),
                                  self.chromium.wait_for("vhostStage.inline", 10)))
        # From the request to the stage drawn from the frame inlined in the page (before any
        # WebSocket message).
        self.first_paint = {"inline": True, "ms": round((time.perf_counter() - t0) * 1000)}
        run_phase(qapp, window, 1.0)  # its first deltas are not part of a phase

    def phase(self, name: str, run, *args) -> dict:
        f0, t0 = self.chromium.evaluate("vhostStage.frames"), time.perf_counter()
        sent0, cpu0 = self.source.frames_sent, self.chromium.cpu_seconds()
        out = run(*args)
        f1, t1 = self.chromium.evaluate("vhostStage.frames"), time.perf_counter()
        fps = (f1 - f0) / (t1 - t0)
        self.phases[name] = {
            "delivered_fps": round(fps, 2), "stage_fps": out["fps"],
            "delivered_of_stage": round(fps / out["fps"], 2) if out["fps"] else None,
            "sent_fps": round((self.source.frames_sent - sent0) / (t1 - t0), 2),
            "stage_interval_p99_ms": out["interval_ms"].get("p99"),
            # what drawing a frame costs Chromium, whatever else the machine is doing
            "chromium_cpu_ms_per_frame": round((self.chromium.cpu_seconds() - cpu0) * 1000
                                               / max(1, f1 - f0), 1)}
        return out

    def report(self) -> dict:
        src = self.source
        page = self.chromium.evaluate("({frames: vhostStage.frames, keyframes: vhostStage.keyframes,"
                                      " errors: vhostStage.errors, bytes: vhostStage.bytes})")
        return {"transport": f"{src._stream.fmt} tiles of {src._stream.tile} px",  # noqa: SLF001
                "goal_fps": 30, **self.phases, "first_paint": self.first_paint, "page": page,
                "encode_ms": pct(src.encode_ms), "publish_ms": pct(src.publish_ms),
                "frames_sent": src.frames_sent,
                "kb_per_frame": round(src.bytes_sent / max(1, src.frames_sent) / 1024, 1)}

    def stop(self) -> None:
        self.chromium.stop()
        self.source.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--idle-seconds", type=float, default=8.0)
    ap.add_argument("--model", help="LLM (default: the configured default model)")
    ap.add_argument("--no-workers", action="store_true")
    ap.add_argument("--browser", action="store_true",
                    help="also show the browser source in a headless Chromium; report its delivered fps")
    ap.add_argument("--browser-format", default="png", choices=["png", "webp"],
                    help="the browser source's tile encoding (to compare transports)")
    ap.add_argument("--browser-tile", type=int, default=64,
                    help="its tile size; 4096 sends the whole frame each time (the old way)")
    ap.add_argument("--layout", default="landscape")
    ap.add_argument("--nice-workers", type=int, default=0,
                    help="renice the worker processes (e.g. 10) to compare")
    ap.add_argument("--dashboard", action="store_true",
                    help="also measure with the console open: on its chat tab, then on the live dashboard")
    ap.add_argument("--chat-rate", type=float, default=20.0, help="chat messages a second fed to the console")
    args = ap.parse_args()

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from vhost.avatar.character import generate_character
    from vhost.stage.browser import BrowserSource
    from vhost.stage.demo_scene import DemoShow
    from vhost.stage.renderer import StageRenderer
    from vhost.stage.visuals import product_visual
    from vhost.stage.visuals_worker import default_cache_dir
    from vhost.stage.window import StageWindow

    qapp = QApplication.instance() or QApplication([])
    show = DemoShow(seed=7)
    for p in show.products:
        v = product_visual(p.id, p.name, str(p.images[0]) if p.images else None,
                           default_cache_dir())
        show.visuals[p.id] = (v.image, v.accent)
    renderer = StageRenderer(generate_character(7), args.layout, "#00B140")
    renderer.enable_profiling()
    source = None
    if args.browser:
        source = BrowserSource(0, image_format=args.browser_format, tile=args.browser_tile)
        source.start()
    t0 = time.perf_counter()
    # The demo's clock runs in real time, so captions, cards and visemes change as in a show.
    window = StageWindow(renderer, lambda: show.scene_at(time.perf_counter() - t0), fps=30,
                         frame_sink=source.publish if source else None)
    window.resize(renderer.size)
    window.show()
    viewer = BrowserViewer(source) if source is not None else None

    busy = None if args.no_workers else BusyWorkers(args.model, args.nice_workers)
    if busy:
        busy.start()  # loading the models is not part of either phase
    run_phase(qapp, window, 1.0)  # warm caches
    if viewer is not None:
        viewer.start(qapp, window)
    idle = viewer.phase("idle", run_phase, qapp, window, args.idle_seconds) if viewer else \
        run_phase(qapp, window, args.idle_seconds)
    result: dict = {"size": f"{renderer.size.width()}x{renderer.size.height()}", "target_fps": 30,
                    "qpa": qapp.platformName(), "cpus": os.cpu_count(),
                    "load_avg_1m": round(os.getloadavg()[0], 2),
                    "workers_nice": args.nice_workers, "idle": idle}
    if busy:
        busy.go()
        time.sleep(1.0)
        busy_phase = viewer.phase("busy", run_phase, qapp, window, args.seconds) if viewer else \
            run_phase(qapp, window, args.seconds)
        busy.stop()
        busy_phase["llm_tokens"] = busy.tokens
        busy_phase["llm_tok_s"] = round(busy.tokens / args.seconds, 1)
        busy_phase["tts_audio_s"] = round(busy.audio_s, 1)
        busy_phase["tts_rtf"] = round(busy.synth_s / busy.audio_s, 3) if busy.audio_s else None
        result["busy"] = busy_phase
        p99 = busy_phase["interval_ms"].get("p99")
        result["goal_p99_le_40ms"] = bool(p99 is not None and p99 <= 40.0)
        result["busy_vs_idle_p99"] = round(p99 / idle["interval_ms"]["p99"], 2) if p99 else None
    if args.dashboard:
        result.update(dashboard_phases(qapp, window, args.seconds, args.chat_rate))
    if viewer is not None:
        result["browser"] = viewer.report()
        viewer.stop()
    window.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
