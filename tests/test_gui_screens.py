"""The desktop app's two windows as `vhost demo` opens them (vhost.app.gui._open_screens), before
any model is loaded: on air from the first frame with the product card, at the exact output size,
and nothing but the show on the stage — operator warnings go to the console."""

import dataclasses

import numpy as np
import pytest
from PySide6.QtGui import QImage

from vhost.app import gui
from vhost.audio.sinks import VirtualSink
from vhost.base import events as ev
from vhost.brain.catalog import load_catalog
from vhost.config.settings import VhostConfig
from vhost.stage.scene import StageScene
from vhost.ui.bridge import CoreBridge
from vhost.ui.shell import STOP

NO_DEVICE = "audio device unavailable (no device); playing silently, recording still works"


def rgb(img: QImage) -> np.ndarray:
    img = img.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    return rows[:, : img.width() * 3].reshape(img.height(), img.width(), 3).copy()


def open_screens(qapp, qtbot, tmp_path, sink_warning=None, warnings=(), **show):
    cfg = VhostConfig.model_validate({"stage": {"browser_port": 0}, "show": show})
    catalog = load_catalog(cfg.show.catalog)
    bridge = CoreBridge(dispatch=lambda c: None)
    sink = VirtualSink(cfg.audio.sample_rate)  # not started: its clock stays at 0, both runs alike
    sink.warning = sink_warning
    startup = list(warnings)
    screens = gui._open_screens(qapp, cfg, tmp_path / "vhost.toml", catalog, bridge, sink, startup)
    let_close(qtbot, screens)
    for text in [*startup, *([sink.warning] if sink.warning else [])]:  # as run_gui tells them
        bridge.publish(ev.OperatorWarning(text=text))
    screens.stage_window.stop()  # frames on demand below, not on the timer
    return screens, catalog


def let_close(qtbot, screens):
    """Closing asks "Stop the show?" (a modal dialog); at teardown the answer is Stop, and the
    app's quit is recorded instead of quitting the test run."""
    screens.shell.ask = lambda can_keep: STOP
    screens.shell._quit = lambda: None
    for w in (screens.stage_window, screens.console):
        qtbot.addWidget(w)


def stage_frame(screens) -> np.ndarray:
    """What OBS's window capture sees: the stage window's pixels."""
    screens.stage_window._tick()
    return rgb(screens.stage_window.grab().toImage())


def test_stage_scene_has_nothing_but_the_show():
    on_air = {"t", "pose", "product", "caption", "question_user", "question_text", "product_since"}
    assert {f.name for f in dataclasses.fields(StageScene)} == on_air


def test_no_device_and_a_warning_never_reach_the_stage(qapp, qtbot, tmp_path):
    quiet, _ = open_screens(qapp, qtbot, tmp_path)
    noisy, _ = open_screens(qapp, qtbot, tmp_path, sink_warning=NO_DEVICE,
                            warnings=["chat connector twitch:#shop offline"])
    a, b = stage_frame(quiet), stage_frame(noisy)
    assert a.shape == b.shape and np.array_equal(a, b)  # pixel for pixel: no status line, no banner
    log = noisy.console.log.toPlainText()
    assert NO_DEVICE in log and "twitch:#shop offline" in log  # the operator is told, in the console


def test_on_air_from_the_first_frame_with_the_product_card(qapp, qtbot, tmp_path):
    screens, catalog = open_screens(qapp, qtbot, tmp_path, product=load_catalog(VhostConfig().show.catalog).products[1].id)
    scene = screens.stage.scene_at(0.0)  # no worker started, no show built
    assert scene.product is not None and scene.product.id == catalog.products[1].id
    bare = screens.stage_window.renderer.render_image(dataclasses.replace(scene, product=None))
    shown = stage_frame(screens)
    card = screens.stage_window.renderer.layout.card.toRect()
    region = (slice(card.top(), card.bottom()), slice(card.left(), card.right()))
    assert np.abs(shown[region].astype(int) - rgb(bare)[region]).mean() > 30  # the card is painted


def test_the_stage_window_is_the_output_size_and_shows_the_frame_one_to_one(qapp, qtbot, tmp_path):
    screens, _ = open_screens(qapp, qtbot, tmp_path)
    w = screens.stage_window
    assert w.screen().geometry().width() < 1920  # the offscreen screen is smaller: never shrunk anyway
    dpr = w.devicePixelRatioF()
    assert w.width() * dpr == 1920 and w.height() * dpr == 1080
    assert w.minimumSize() == w.maximumSize()  # fixed: the window manager cannot rescale it
    shown = stage_frame(screens)
    expected = rgb(w.renderer.render_image(screens.stage.scene_at(0.0)))
    assert np.array_equal(shown, expected)
    console = screens.console.frameGeometry()
    assert w.screen().availableGeometry().contains(console)  # the console never runs past the screen


def test_portrait_stage_window_is_1080_by_1920(qapp, qtbot, tmp_path):
    cfg = VhostConfig.model_validate({"stage": {"browser_port": 0, "layout": "portrait"}})
    screens = gui._open_screens(qapp, cfg, tmp_path / "v.toml", load_catalog(cfg.show.catalog),
                                CoreBridge(dispatch=lambda c: None), VirtualSink(24000), [])
    let_close(qtbot, screens)
    dpr = screens.stage_window.devicePixelRatioF()
    assert (screens.stage_window.width() * dpr, screens.stage_window.height() * dpr) == (1080, 1920)


@pytest.mark.parametrize("backend, loading", [("local", "language model"), ("openai", None)])
def test_the_console_says_what_is_still_loading(backend, loading):
    cfg = VhostConfig.model_validate({"llm": {"backend": backend, "remote_model": "m"}} if backend == "openai" else {})
    note = gui.loading_note(cfg)
    assert note.startswith("On air: the stage shows the product card. Still loading: the voice")
    assert (loading in note) if loading else ("language model" not in note)
