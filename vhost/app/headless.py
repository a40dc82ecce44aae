"""`vhost demo --headless`: the whole show with no screen and no sound card.

The core runs on its own thread; this (main) thread renders the stage offscreen whenever the audio
clock passes a frame's time, and at the end muxes the sink's recording and the frames into an MP4
and writes the JSON report.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from vhost.app import compose as app
from vhost.audio.sinks import VirtualSink
from vhost.base.commands import Command
from vhost.base.events import Event, OperatorWarning
from vhost.base.runtime import CoreThread
from vhost.brain.catalog import load_catalog
from vhost.config.settings import VhostConfig
from vhost.control.surface import ControlSurface
from vhost.stage.live import LiveStage

log = logging.getLogger(__name__)


def _qt_app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A QApplication (not just QGuiApplication): whoever runs in this process next may need widgets,
    # and Qt aborts on a QWidget built under a plain QGuiApplication.
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def run_headless(cfg: VhostConfig, duration: float, record: Path | None, report: Path | None,
                 record_size: tuple[int, int] = (1280, 720), script: list[tuple[float, Command]] | None = None,
                 model_timeout: float = 900.0, record_session: bool = True) -> dict:
    """Run the show for `duration` seconds of show time. `script` schedules operator commands
    (show time, command) — used by tests and benchmarks. `cfg.control` sets the reply mode and the
    control API (port, token); every event goes to the session record. Returns the report dict."""
    qapp = _qt_app()  # noqa: F841 - QPainter and fonts need a GUI application object
    from vhost.stage.setup import build_renderer
    from vhost.stage.video import mux

    heard = _EventLog()
    surface = ControlSurface(cfg.control, record=record_session, meta=_session_meta(cfg))
    on_event = app.fan_out(heard.on_event, surface.publish)
    core = CoreThread()
    core.start()
    workers, boot_s = _start_workers(core, cfg, heard.status_to(on_event), model_timeout)

    tmp = Path(tempfile.mkdtemp(prefix="vhost-headless-"))
    sink = VirtualSink(cfg.audio.sample_rate)
    wav_path = tmp / "audio.wav"
    sink.record_to(wav_path)
    startup_warnings: list[str] = []
    with _shut_down_on_error(core, workers, surface):  # an error or Ctrl-C here: workers closed, not "restarting"
        renderer = build_renderer(cfg.stage, startup_warnings)  # a broken character/sprite pack falls back
        stage = LiveStage(renderer.character.seed)
        stage.open_on(load_catalog(cfg.show.catalog), cfg.show.product, sink.clock())  # the first recorded frame has the card
        show = app.build_show(cfg, workers, sink, stage, on_event)
        core.submit(surface.start(show)).result(30)
        browser, camera, recorder = _stage_outputs(cfg, renderer, stage, tmp / "video.mp4" if record else None,
                                                   record_size, startup_warnings)
    for text in startup_warnings:
        on_event(OperatorWarning(text=text))

    sink.start()
    run_future = core.submit(app.run_show(show, workers, app.chat_source(cfg, sink.clock, on_health=app.health_events(on_event))))
    try:
        _play(core, sink, show, run_future, recorder, script or [], duration)
    finally:
        run_future.cancel()
        sink.stop()
        core.submit(surface.close()).result(30)
        core.submit(workers.close()).result(30)
        core.stop()
        if recorder is not None:
            recorder.close()
        if browser is not None:
            browser.stop()
        if camera is not None:
            camera.stop()
    if record and recorder is not None:
        mux(recorder.path, wav_path, Path(record))
    result = _report(cfg, show, recorder, heard.events, heard.statuses, boot_s, duration, workers)
    result["session_id"] = surface.record.id if surface.record else None
    audio_error = sink.recorder.error if sink.recorder is not None else None
    if audio_error is not None:  # e.g. a full disk: the show ran, the recording is cut short
        result["audio_recording_error"] = str(audio_error)
        log.warning("the audio recording stopped early: %s", audio_error)
    if report:
        Path(report).write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return result


def _stage_outputs(cfg: VhostConfig, renderer, stage: LiveStage, video: Path | None,  # noqa: ANN001
                   record_size: tuple[int, int], warnings: list[str]):  # noqa: ANN202
    """The frame recorder (when recording) and what its frames also feed: the browser source (off
    unless [stage] browser_port is set) and the virtual camera ([stage] virtual_camera)."""
    from PySide6.QtCore import QSize

    from vhost.stage.setup import start_browser_source
    from vhost.stage.video import VideoRecorder
    from vhost.stage.virtual_camera import start_virtual_camera

    w, h = record_size if cfg.stage.layout == "landscape" else (record_size[1], record_size[0])
    browser = start_browser_source(cfg.stage, warnings)
    camera = start_virtual_camera(cfg.stage, renderer.size, warnings.append) if video else None
    sinks = [s for s in (browser.publish if browser else None, camera.publish if camera else None) if s]
    recorder = (VideoRecorder(video, renderer, QSize(w, h), cfg.stage.fps, stage.scene_at,
                              frame_sink=(lambda img: [f(img) for f in sinks]) if sinks else None)
                if video else None)
    if recorder is not None:
        recorder.warm_up()  # fonts and layer caches before the clock runs: no late opening frames
    return browser, camera, recorder


def _session_meta(cfg: VhostConfig) -> dict:
    """What the session record keeps about this show: the catalog and the first product on screen
    (None: the catalog's first), which `vhost report` reads the chat against."""
    return {"headless": True, "mode": cfg.control.mode, "catalog": str(cfg.show.catalog), "product": cfg.show.product}


class _EventLog:
    """What the report keeps: every show event (less the LLM's raw fields) and worker status."""

    def __init__(self) -> None:
        self.events: list[dict] = []
        self.statuses: list[dict] = []

    def on_event(self, event: Event) -> None:
        kind, data = event.kind, event.data()
        self.events.append({"kind": kind, **{k: v for k, v in data.items() if k not in ("llm", "token")}})
        if kind in ("warning", "reply"):
            log.info("%s: %s", kind, data.get("text") or data.get("reply_text"))
        elif kind == "draft" and data["change"] == "created":
            log.info("draft %s waits for approval: %s", data["draft"]["id"], data["draft"]["text"])

    def on_status(self, name: str, msg: dict) -> None:
        self.statuses.append({"worker": name, **msg})
        if msg.get("type") in ("fatal", "restarting"):
            log.warning("%s worker: %s", name, msg)

    def status_to(self, emit: Callable[[Event], None]) -> Callable[[str, dict], None]:
        """`on_status` that also tells the operator (console, control API, session record) when a
        worker restarts or is given up: once per fault, with the reason."""

        def on_status(name: str, msg: dict) -> None:
            self.on_status(name, msg)
            if msg.get("type") in ("restarting", "fatal"):
                emit(OperatorWarning(text=f"{name} worker: {msg.get('text') or msg.get('error')}"))

        return on_status


def _start_workers(core: CoreThread, cfg: VhostConfig, on_status, model_timeout: float):  # noqa: ANN001, ANN202
    """The LLM and voice workers, loaded (or SystemExit naming those that could not start); and
    the seconds that took."""
    t_boot = time.monotonic()
    workers = core.submit(app.start_workers(cfg, on_status)).result(60)
    with _shut_down_on_error(core, workers):  # Ctrl-C or a timeout while the models load
        errors = core.submit(app.wait_workers(workers)).result(model_timeout)
    if errors:
        _shut_down(core, workers)
        raise SystemExit("vhost: cannot start the show:\n  " + "\n  ".join(errors))
    return workers, time.monotonic() - t_boot


@contextlib.contextmanager
def _shut_down_on_error(core: CoreThread, workers, surface: ControlSurface | None = None) -> Iterator[None]:  # noqa: ANN001
    """Shut down what started when the block raises (anything, Ctrl-C included), then re-raise."""
    try:
        yield
    except BaseException:
        _shut_down(core, workers, surface)
        raise


def _shut_down(core: CoreThread, workers, surface: ControlSurface | None = None) -> None:  # noqa: ANN001
    """Close what started (control surface, workers) and the core loop, when the show stops before
    it ran: a worker closed on purpose is not reported as died-and-restarting."""
    try:
        if surface is not None:
            core.submit(surface.close()).result(30)
        core.submit(workers.close()).result(30)
    finally:
        core.stop()


def _play(core: CoreThread, sink: VirtualSink, show, run_future, recorder,  # noqa: ANN001
          script: list[tuple[float, Command]], duration: float) -> None:
    """Until `duration` on the show clock: send the scripted commands when due, render the frames
    the clock has passed, and surface a crash of the show loop."""
    pending_script = sorted(script, key=lambda x: x[0])
    while sink.clock() < duration:
        if run_future.done():
            run_future.result()  # surfaces a crash of the show loop
        while pending_script and pending_script[0][0] <= sink.clock():
            core.call_soon(show.control, pending_script.pop(0)[1])
        if recorder is None or recorder.render_due(sink.clock) == 0:
            time.sleep(0.004)


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
        "triage": [d.__dict__ if hasattr(d, "__dict__") else d for d in getattr(show.queue.triage, "decisions", [])],
        "frames_rendered": recorder.frames_rendered if recorder else 0,
        "frames_late": recorder.frames_late if recorder else 0,
        "frames_repeated": recorder.frames_repeated if recorder else 0,
        "render_ms_p50": _percentile(recorder.render_ms, 50) if recorder else None,
        "render_ms_p95": _percentile(recorder.render_ms, 95) if recorder else None,
        "fps": cfg.stage.fps,
        "rig_trace": recorder.rig_trace if recorder else [],
        "worker_restarts": {"llm": workers.llm.restarts, "tts": workers.tts.restarts},
        "mode": show.mode,
        "drafts": [d.to_dict() for d in show.desk.all()],
        "events": events,
        "worker_status": statuses,
    }
