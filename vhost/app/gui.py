"""`vhost demo`: the stage window (for OBS) and the operator console, on the embedded defaults."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer

from vhost.app import compose as app
from vhost.audio.sinks import open_sink
from vhost.base import events as ev
from vhost.base.runtime import CoreThread
from vhost.config.settings import VhostConfig
from vhost.stage.live import LiveStage

log = logging.getLogger(__name__)

DESKTOP_CONTROL_PORT = 8765
DESKTOP_BROWSER_PORT = 8766


def run_gui(cfg: VhostConfig, config_path: Path | None = None, warnings: list[str] | None = None,
            notes: list[str] | None = None) -> int:
    """`config_path`: the file the settings dialog saves to (`--config`, else the user's config).
    `warnings`: problems found before the windows existed (e.g. broken saved settings); `notes`:
    facts for the console's log (e.g. which control API token is in use)."""
    from PySide6.QtWidgets import QApplication

    from vhost.brain.catalog import load_catalog
    from vhost.control.surface import ControlSurface
    from vhost.ui.bridge import CoreBridge
    from vhost.ui.collector import GuiThreadCollector

    qapp = QApplication.instance() or QApplication(sys.argv)
    cfg = _desktop_config(cfg)
    catalog = load_catalog(cfg.show.catalog)  # fail fast, before any window, on a broken catalog
    collector = GuiThreadCollector(parent=qapp).start()  # Qt objects in garbage die on their own thread
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
    for text in [*(notes or []), *screens.notes]:
        bridge.publish(ev.Status(text=text))
    bridge.publish(ev.Status(text=loading_note(cfg)))

    def device_lost(text: str) -> None:  # from the audio thread; the signal queues it to the GUI
        bridge.publish(ev.OperatorWarning(text=text))  # the console's, never the stage's: it is on air

    sink.on_warning = device_lost
    sink.start()

    # Saved settings reach the control surface at once: a corrected OBS password, new scene mappings.
    screens.console.config_applied.connect(lambda new: core.call_soon(surface.reconfigure, new.control))
    workers = core.submit(app.start_workers(cfg, _status_to(bridge))).result(60)
    future = core.submit(_boot_and_run(cfg, workers, sink, screens.stage, bridge, surface))
    future.add_done_callback(lambda f: f.cancelled() or f.exception() is None
                             or log.error("show stopped: %s", f.exception()))
    try:
        return qapp.exec()
    finally:
        collector.stop()
        future.cancel()
        sink.stop()
        if screens.browser is not None:
            screens.browser.stop()
        if screens.camera is not None:
            screens.camera.stop()
        _close(core, surface.close())
        _close(core, workers.close())
        core.stop()


def _status_to(bridge: Any) -> Callable[[str, dict], None]:  # noqa: ANN401 - a CoreBridge
    """A worker's progress ("llm: loading 40%") as a status line in the console."""
    def on_status(name: str, msg: dict) -> None:
        text = msg.get("text") or msg.get("error") or msg.get("type")
        if msg.get("progress") is not None:
            text = f"{text} {msg['progress'] * 100:.0f}%"
        bridge.publish(ev.Status(text=f"{name}: {text}"))
    return on_status


def _desktop_config(cfg: VhostConfig) -> VhostConfig:
    """On the desktop the control API (Stream Deck, Companion) and the OBS browser source are on
    unless the config turns them off (port 0); headless runs leave them off by default."""
    cfg = cfg.model_copy(deep=True)
    if cfg.control.control_port is None:
        cfg.control.control_port = DESKTOP_CONTROL_PORT
    if cfg.stage.browser_port is None:
        cfg.stage.browser_port = DESKTOP_BROWSER_PORT
    return cfg


def loading_note(cfg: VhostConfig) -> str:
    """What is on air while the models load, and what is still loading (the console's log)."""
    parts = ["the voice"] + ([] if cfg.llm.backend == "openai" else [f"the language model ({cfg.llm.model})"])
    return ("On air: the stage shows the product card. Still loading: " + ", ".join(parts)
            + " — replies start when they are ready.")


@dataclass
class _Screens:
    """What the windows show, and the windows themselves (held here so they stay alive)."""

    stage: LiveStage
    browser: Any  # the OBS browser source, or None
    stage_window: Any
    console: Any
    shell: Any = None  # vhost.ui.shell.ShowShell: close/tray/stage menu
    camera: Any = None  # vhost.stage.virtual_camera.VirtualCamera, or None
    notes: list[str] = field(default_factory=list)  # for the console's log


def _open_screens(qapp, cfg: VhostConfig, config_path: Path | None, catalog, bridge, sink,  # noqa: ANN001
                  startup_warnings: list[str]) -> _Screens:
    """The stage window (for OBS capture, at the exact output size) and the operator console."""
    from vhost.show.insights import Products
    from vhost.stage.setup import build_renderer, start_browser_source
    from vhost.stage.virtual_camera import start_virtual_camera
    from vhost.stage.window import StageWindow
    from vhost.ui.console import ConsoleWindow
    from vhost.ui.shell import ShowShell

    renderer = build_renderer(cfg.stage, startup_warnings)  # a broken character/sprite pack falls back
    stage = LiveStage(renderer.character.seed)
    # On air from the first frame: the card needs only the catalog, not the models still loading.
    stage.open_on(catalog, cfg.show.product, sink.clock())
    browser = start_browser_source(cfg.stage, startup_warnings)  # a busy port: the window still works
    camera = start_virtual_camera(cfg.stage, renderer.size, startup_warnings.append)
    if camera is not None:  # trouble later (the device gone) goes to the console at once, from its thread
        camera.warn = lambda text: bridge.publish(ev.OperatorWarning(text=text))
    sinks = [s for s in (browser.publish if browser else None, camera.publish if camera else None) if s]
    stage_window = StageWindow(renderer, lambda: stage.scene_at(sink.clock()), fps=cfg.stage.fps,
                               frame_sink=_fan_out_frames(sinks), exact_size=True)
    stage_window.setWindowTitle("vhost — stage (capture this window in OBS)")
    products = [(p.id, p.name, {lang: t.name for lang, t in p.i18n.items() if t.name}) for p in catalog.products]
    console = ConsoleWindow(bridge, products, cfg, config_path, catalog_products=Products.from_catalog(catalog))
    shell = ShowShell(console, stage_window, console.tr_, quit=qapp.quit)
    console.add_show_menu([shell.show_console_action, shell.stop_action])
    stage_window.show()  # first: its device pixel ratio (hence its size) is known once shown
    _place_windows(qapp, stage_window, console)
    console.show()
    QTimer.singleShot(300, console, lambda: _keep_console_on_screen(qapp, console))  # its real frame is known now
    size = renderer.size
    notes = [f"stage window: {size.width()}x{size.height()} device pixels (capture it in OBS: Window Capture)"]
    if browser is not None:
        notes.append(f"OBS browser source: {browser.url}")
    if camera is not None:
        notes.append(f"virtual camera: {camera.device_name} ({size.width()}x{size.height()}, {cfg.stage.fps} fps)")
    if shell.tray is None:
        notes.append("no system tray here: if you hide the console, right-click the stage window to bring it back")
    return _Screens(stage, browser, stage_window, console, shell, camera, notes)


def _fan_out_frames(sinks: list) -> Any:  # noqa: ANN401 - a frame sink or None
    """One frame sink for the window: None (the window paints directly), the one, or all."""
    if not sinks:
        return None
    if len(sinks) == 1:
        return sinks[0]
    return lambda img: [s(img) for s in sinks]


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


def _place_windows(qapp, stage_window, console) -> None:  # noqa: ANN001
    """Stage at the screen's top-left at its exact output size (never shrunk: OBS captures it
    1:1, even the part past the screen's edge); the console within the screen (vhost.ui.placement)."""
    from vhost.ui.placement import place_windows

    screen = (stage_window.screen() or qapp.primaryScreen()).availableGeometry()
    stage_window.move(screen.topLeft())
    where = place_windows(screen, stage_window.size(), console.size(), console.minimumSizeHint())
    console.resize(where.console_size)
    console.move(where.console_pos)


def _keep_console_on_screen(qapp, console) -> None:  # noqa: ANN001
    """Once shown, the console's real frame is known: move it back within the screen if it spills."""
    from PySide6.QtCore import QMargins

    from vhost.ui.placement import keep_within

    screen = (console.screen() or qapp.primaryScreen()).availableGeometry()
    outer, inner = console.frameGeometry(), console.geometry()
    if screen.contains(outer):
        return
    frame = QMargins(inner.left() - outer.left(), inner.top() - outer.top(),
                     outer.right() - inner.right(), outer.bottom() - inner.bottom())
    pos, size = keep_within(screen, outer, frame)
    console.resize(size)
    console.move(pos)
