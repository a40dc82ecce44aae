"""`vhost demo --headless`: the whole show with no screen and no sound card.

The core runs on its own thread; this (main) thread renders the stage offscreen whenever the audio
clock passes a frame's time, and at the end muxes the sink's recording and the frames into an MP4
and writes the JSON report.
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import tempfile
import time
from pathlib import Path

from vhost import app
from vhost.audio.sinks import VirtualSink
from vhost.config import VhostConfig
from vhost.core.commands import Command
from vhost.core.runtime import CoreThread
from vhost.stage.live import LiveStage

log = logging.getLogger(__name__)


def _qt_app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication([])


def run_headless(cfg: VhostConfig, duration: float, record: Path | None, report: Path | None,
                 record_size: tuple[int, int] = (1280, 720), script: list[tuple[float, Command]] | None = None,
                 model_timeout: float = 900.0) -> dict:
    """Run the show for `duration` seconds of show time. `script` schedules operator commands
    (show time, command) — used by tests and benchmarks. Returns the report dict."""
    qapp = _qt_app()  # noqa: F841 - QPainter and fonts need a GUI application object
    from PySide6.QtCore import QSize

    from vhost.avatar.character import generate_character
    from vhost.stage.renderer import StageRenderer
    from vhost.stage.video import VideoRecorder, mux

    events: list[dict] = []
    statuses: list[dict] = []

    def on_event(kind: str, data: dict) -> None:
        events.append({"kind": kind, **{k: v for k, v in data.items() if k != "llm"}})
        if kind in ("warning", "reply"):
            log.info("%s: %s", kind, data.get("text") or data.get("reply_text"))

    def on_status(name: str, msg: dict) -> None:
        statuses.append({"worker": name, **msg})
        if msg.get("type") in ("fatal", "restarting"):
            log.warning("%s worker: %s", name, msg)

    core = CoreThread()
    core.start()
    t_boot = time.monotonic()
    workers = core.submit(app.start_workers(cfg, on_status)).result(60)
    errors = core.submit(app.wait_workers(workers)).result(model_timeout)
    if errors:
        core.submit(workers.close()).result(30)
        core.stop()
        raise SystemExit("vhost: cannot start the show:\n  " + "\n  ".join(errors))
    boot_s = time.monotonic() - t_boot

    tmp = Path(tempfile.mkdtemp(prefix="vhost-headless-"))
    sink = VirtualSink(cfg.audio.sample_rate)
    wav_path = tmp / "audio.wav"
    sink.record_to(wav_path)
    stage = LiveStage(cfg.stage.seed)
    show = app.build_show(cfg, workers, sink, stage, on_event)
    renderer = StageRenderer(generate_character(cfg.stage.seed), cfg.stage.layout, cfg.stage.background)
    w, h = record_size if cfg.stage.layout == "landscape" else (record_size[1], record_size[0])
    recorder = VideoRecorder(tmp / "video.mp4", renderer, QSize(w, h), cfg.stage.fps, stage.scene_at) if record else None

    sink.start()
    run_future = core.submit(show.run(app.chat_source(cfg, sink.clock)))
    pending_script = sorted(script or [], key=lambda x: x[0])
    try:
        while sink.clock() < duration:
            if run_future.done():
                run_future.result()  # surfaces a crash of the show loop
            while pending_script and pending_script[0][0] <= sink.clock():
                core.call_soon(show.control, pending_script.pop(0)[1])
            if recorder is None or recorder.render_due(sink.clock) == 0:
                time.sleep(0.004)
    finally:
        run_future.cancel()
        sink.stop()
        core.submit(workers.close()).result(30)
        core.stop()
        if recorder is not None:
            recorder.close()
    if record and recorder is not None:
        mux(recorder.path, wav_path, Path(record))
    result = _report(cfg, show, recorder, events, statuses, boot_s, duration, workers)
    if report:
        Path(report).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return result


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _report(cfg, show, recorder, events, statuses, boot_s, duration, workers) -> dict:
    replies = [r for r in show.replies]
    lat = [r["latency_s"] for r in replies if r["latency_s"] is not None]
    return {
        "duration_s": duration,
        "boot_s": round(boot_s, 2),
        "model": cfg.llm.model,
        "voice": cfg.voice.engine,
        "replies": replies,
        "replies_spoken": sum(1 for r in replies if r["first_audio_at"] is not None),
        "replies_grounded": sum(1 for r in replies if r["grounded"] and r["first_audio_at"] is not None),
        "latency_p50_s": _percentile(lat, 50),
        "latency_p95_s": _percentile(lat, 95),
        "spoken": show.spoken,
        "triage": [d.__dict__ if hasattr(d, "__dict__") else d for d in getattr(show.triage, "decisions", [])],
        "frames_rendered": recorder.frames_rendered if recorder else 0,
        "frames_late": recorder.frames_late if recorder else 0,
        "render_ms_p50": _percentile(recorder.render_ms, 50) if recorder else None,
        "render_ms_p95": _percentile(recorder.render_ms, 95) if recorder else None,
        "fps": cfg.stage.fps,
        "rig_trace": recorder.rig_trace if recorder else [],
        "worker_restarts": {"llm": workers.llm.restarts, "tts": workers.tts.restarts},
        "events": events,
        "worker_status": statuses,
    }
