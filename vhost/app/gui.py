"""`vhost demo`: the stage window (for OBS) and the operator console, on the embedded defaults."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMargins, Qt

from vhost.app import compose as app
from vhost.audio.sinks import open_sink
from vhost.base import events as ev
from vhost.base.runtime import CoreThread
from vhost.config.settings import VhostConfig
from vhost.stage.live import LiveStage

log = logging.getLogger(__name__)

DESKTOP_CONTROL_PORT = 8765
DESKTOP_BROWSER_PORT = 8766


def run_gui(cfg: VhostConfig, config_path: Path | None = None, warnings: list[str] | None = None) -> int:
    """`config_path`: the file the settings dialog saves to (`--config`, else the user's config).
    `warnings`: problems found before the windows existed (e.g. broken saved settings)."""
    from PySide6.QtWidgets import QApplication

    from vhost.brain.catalog import load_catalog
    from vhost.control.surface import ControlSurface
    from vhost.ui.bridge import CoreBridge

    qapp = QApplication.instance() or QApplication(sys.argv)
    cfg = _desktop_config(cfg)
    catalog = load_catalog(cfg.show.catalog)  # fail fast, before any window, on a broken catalog
    core = CoreThread()
    core.start()
    bridge = CoreBridge(core)
    # Control API, session record, OBS and global hotkeys: each part that cannot start only warns.
    surface = ControlSurface(cfg.control, meta={"mode": cfg.control.mode, "catalog": str(cfg.show.catalog),
                                                "product": cfg.show.product or catalog.products[0].id})

    sink = open_sink(cfg.audio.device, cfg.audio.sample_rate)
    startup_warnings = list(warnings or [])  # told to the operator once the console is up
    screens = _open_screens(qapp, cfg, config_path, catalog, bridge, sink, startup_warnings)
    for text in [*startup_warnings, *([sink.warning] if sink.warning else [])]:
        bridge.publish(ev.OperatorWarning(text=text))
    if screens.browser is not None:
        bridge.publish(ev.Status(text=f"OBS browser source: {screens.browser.url}"))

    def device_lost(text: str) -> None:  # from the audio thread; the signal queues it to the GUI
        bridge.publish(ev.OperatorWarning(text=text))  # the console's, never the stage's: it is on air

    sink.on_warning = device_lost
    sink.start()

    def on_status(name: str, msg: dict) -> None:
        text = msg.get("text") or msg.get("error") or msg.get("type")
        if msg.get("progress") is not None:
            text = f"{text} {msg['progress'] * 100:.0f}%"
        bridge.publish(ev.Status(text=f"{name}: {text}"))

    workers = core.submit(app.start_workers(cfg, on_status)).result(60)
    future = core.submit(_boot_and_run(cfg, workers, sink, screens.stage, bridge, surface))
    future.add_done_callback(lambda f: f.cancelled() or f.exception() is None
                             or log.error("show stopped: %s", f.exception()))
    try:
        return qapp.exec()
    finally:
        future.cancel()
        sink.stop()
        if screens.browser is not None:
            screens.browser.stop()
        _close(core, surface.close())
        _close(core, workers.close())
        core.stop()


def _desktop_config(cfg: VhostConfig) -> VhostConfig:
    """On the desktop the control API (Stream Deck, Companion) and the OBS browser source are on
    unless the config turns them off (port 0); headless runs leave them off by default."""
    cfg = cfg.model_copy(deep=True)
    if cfg.control.control_port is None:
        cfg.control.control_port = DESKTOP_CONTROL_PORT
    if cfg.stage.browser_port is None:
        cfg.stage.browser_port = DESKTOP_BROWSER_PORT
    return cfg


@dataclass
class _Screens:
    """What the windows show, and the windows themselves (held here so they stay alive)."""

    stage: LiveStage
    browser: Any  # the OBS browser source, or None
    stage_window: Any
    console: Any


def _open_screens(qapp, cfg: VhostConfig, config_path: Path | None, catalog, bridge, sink,  # noqa: ANN001
                  startup_warnings: list[str]) -> _Screens:
    """The stage window (for OBS capture) and the operator console, placed side by side."""
    from vhost.show.insights import Products
    from vhost.stage.setup import build_renderer, start_browser_source
    from vhost.stage.window import StageWindow
    from vhost.ui.console import ConsoleWindow

    renderer = build_renderer(cfg.stage, startup_warnings)  # a broken character/sprite pack falls back
    stage = LiveStage(renderer.character.seed)
    # On air from the first frame: the card needs only the catalog, not the models still loading.
    first = catalog.get(cfg.show.product) if cfg.show.product else catalog.products[0]
    stage.set_product(first, sink.clock(), catalog.offer_seconds(first.id))
    browser = start_browser_source(cfg.stage, startup_warnings)  # a busy port: the window still works
    stage_window = StageWindow(renderer, lambda: stage.scene_at(sink.clock()), fps=cfg.stage.fps,
                               frame_sink=browser.publish if browser else None)
    stage_window.setWindowTitle("vhost — stage (capture this window in OBS)")
    products = [(p.id, p.name, {lang: t.name for lang, t in p.i18n.items() if t.name}) for p in catalog.products]
    console = ConsoleWindow(bridge, products, cfg, config_path, catalog_products=Products.from_catalog(catalog))
    _place_windows(qapp, stage_window, console, renderer.size)
    stage_window.show()
    console.show()
    return _Screens(stage, browser, stage_window, console)


async def _boot_and_run(cfg: VhostConfig, workers, sink, stage: LiveStage, bridge, surface) -> None:  # noqa: ANN001
    """On the core loop: wait for the workers, build the show, tell the console, run the show."""
    errors = await app.wait_workers(workers)
    for e in errors:
        bridge.publish(ev.OperatorWarning(text=f"{e} — the show runs without it"))
    show = app.build_show(cfg, workers, sink, stage, app.fan_out(bridge.publish, surface.publish))
    bridge.attach(show)
    await surface.start(show)
    if hasattr(show, "state"):  # the console's controls start from the show's real state
        bridge.publish(ev.StateChanged(**show.state()))
    ready = "Live." if not errors else "Live, degraded: " + "; ".join(errors)
    bridge.publish(ev.Ready(text=ready + (f"  ({sink.warning})" if sink.warning else "")))
    await app.run_show(show, workers, app.chat_source(cfg, sink.clock, on_health=app.health_events(bridge.publish)))


def _close(core: CoreThread, closing: Coroutine[Any, Any, Any]) -> None:
    try:
        core.submit(closing).result(20)
    except (asyncio.CancelledError, Exception):  # noqa: BLE001 - closing anyway
        pass


def _place_windows(qapp, stage_window, console, stage_size) -> None:
    """Stage at its native size where the screen allows (OBS captures it 1:1), console beside it."""
    screen = qapp.primaryScreen().availableGeometry()
    # The console takes the room the stage leaves (within what it needs and what is useful).
    console_w = max(640, min(1280, screen.width() - stage_size.width()))
    console.resize(console_w, min(console.height(), screen.height()))
    room = screen.size().shrunkBy(QMargins(0, 0, console_w, 0))
    fits = stage_size.width() <= room.width() and stage_size.height() <= room.height()
    size = stage_size if fits else stage_size.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)
    stage_window.resize(size)
    stage_window.move(screen.topLeft())
    console.move(screen.left() + size.width(), screen.top())
