"""`vhost demo`: the stage window (for OBS) and the operator console, on the embedded defaults."""

from __future__ import annotations

import asyncio
import logging
import sys

from PySide6.QtCore import QMargins, Qt

from vhost import app
from vhost.audio.sinks import open_sink
from vhost.config import VhostConfig
from vhost.core.runtime import CoreThread
from vhost.stage.live import LiveStage

log = logging.getLogger(__name__)


def run_gui(cfg: VhostConfig) -> int:
    from PySide6.QtWidgets import QApplication

    from vhost.avatar.character import generate_character
    from vhost.brain.catalog import load_catalog
    from vhost.stage.renderer import StageRenderer
    from vhost.stage.window import StageWindow
    from vhost.ui.bridge import CoreBridge
    from vhost.ui.console import ConsoleWindow

    qapp = QApplication.instance() or QApplication(sys.argv)
    catalog = load_catalog(cfg.show.catalog)  # fail fast, before any window, on a broken catalog
    core = CoreThread()
    core.start()
    bridge = CoreBridge(core)

    sink = open_sink(cfg.audio.device, cfg.audio.sample_rate)
    stage = LiveStage(cfg.stage.seed)
    if sink.warning:
        stage.status = "audio: silent (no device)"
    renderer = StageRenderer(generate_character(cfg.stage.seed), cfg.stage.layout, cfg.stage.background)
    stage_window = StageWindow(renderer, lambda: stage.scene_at(sink.clock()), fps=cfg.stage.fps)
    stage_window.setWindowTitle("vhost — stage (capture this window in OBS)")
    console = ConsoleWindow(bridge, [(p.id, p.name) for p in catalog.products], cfg.show.auto_reply)
    _place_windows(qapp, stage_window, console, renderer.size)
    stage_window.show()
    console.show()
    if sink.warning:
        bridge.publish("warning", {"text": sink.warning})
    sink.start()

    def on_status(name: str, msg: dict) -> None:
        text = msg.get("text") or msg.get("error") or msg.get("type")
        if msg.get("progress") is not None:
            text = f"{text} {msg['progress'] * 100:.0f}%"
        bridge.publish("status", {"text": f"{name}: {text}"})

    workers = core.submit(app.start_workers(cfg, on_status)).result(60)

    async def boot_and_run() -> None:
        errors = await app.wait_workers(workers)
        for e in errors:
            bridge.publish("warning", {"text": f"{e} — the show runs without it"})
        show = app.build_show(cfg, workers, sink, stage, bridge.publish)
        bridge.attach(show)
        ready = "Live." if not errors else "Live, degraded: " + "; ".join(errors)
        bridge.publish("ready", {"text": ready + (f"  ({sink.warning})" if sink.warning else "")})
        await show.run(app.chat_source(cfg, sink.clock))

    future = core.submit(boot_and_run())
    future.add_done_callback(lambda f: f.cancelled() or f.exception() is None
                             or log.error("show stopped: %s", f.exception()))
    try:
        return qapp.exec()
    finally:
        future.cancel()
        sink.stop()
        try:
            core.submit(workers.close()).result(20)
        except (asyncio.CancelledError, Exception):  # noqa: BLE001 - closing anyway
            pass
        core.stop()


def _place_windows(qapp, stage_window, console, stage_size) -> None:
    """Stage at its native size where the screen allows (OBS captures it 1:1), console beside it."""
    screen = qapp.primaryScreen().availableGeometry()
    console_w = console.width()
    room = screen.size().shrunkBy(QMargins(0, 0, console_w, 0))
    fits = stage_size.width() <= room.width() and stage_size.height() <= room.height()
    size = stage_size if fits else stage_size.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
    stage_window.resize(size)
    stage_window.move(screen.topLeft())
    console.move(screen.left() + size.width(), screen.top())
