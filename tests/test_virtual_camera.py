"""`[stage] virtual_camera`: the stage's frames to a virtual webcam through pyvirtualcam.

The real pyvirtualcam.Camera runs in every test (shape checks, frame flattening, fps); only the
device is stubbed, as a pyvirtualcam backend registered under its own name. A real v4l2loopback
device is used where one exists (it cannot be loaded in a container without kernel modules)."""

import glob
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from vhost.config.settings import VhostConfig, load_config
from vhost.stage.virtual_camera import VirtualCamera, open_pyvirtualcam, start_virtual_camera

pyvirtualcam = pytest.importorskip("pyvirtualcam")
from pyvirtualcam.util import encode_fourcc  # noqa: E402


class FakeDevice:
    """A pyvirtualcam backend standing in for the device (v4l2loopback / OBS's camera)."""

    instances: list["FakeDevice"] = []
    block: threading.Event | None = None  # when set, send() waits on it (a slow device)
    fail_after: int | None = None  # send() raises after this many frames (device unplugged)

    def __init__(self, *, width, height, fps, fourcc, device, **kw) -> None:
        self.width, self.height, self.fps, self.fourcc, self.name = width, height, fps, fourcc, device or "/dev/fake0"
        self.frames: list[np.ndarray] = []
        self.closed = False
        FakeDevice.instances.append(self)

    def send(self, frame: np.ndarray) -> None:
        if FakeDevice.block is not None:
            FakeDevice.block.wait(5)
        if FakeDevice.fail_after is not None and len(self.frames) >= FakeDevice.fail_after:
            raise RuntimeError("device went away")
        self.frames.append(frame.copy())

    def close(self) -> None:
        self.closed = True

    def device(self) -> str:
        return self.name

    def native_fourcc(self):
        return None


@pytest.fixture(autouse=True)
def fresh_fake():
    """Registered per test and removed after: pyvirtualcam tries every registered backend when
    none is named, and the no-device test must meet only the real ones."""
    from pyvirtualcam import camera

    FakeDevice.instances.clear()
    FakeDevice.block = None
    FakeDevice.fail_after = None
    pyvirtualcam.register_backend("vhost-test-fake", FakeDevice)
    yield
    camera.BACKENDS.pop("vhost-test-fake", None)
    if FakeDevice.block is not None:
        FakeDevice.block.set()


@pytest.fixture
def no_fake():
    from pyvirtualcam import camera

    camera.BACKENDS.pop("vhost-test-fake", None)


def fake_opener(w, h, fps, device, backend):
    return open_pyvirtualcam(w, h, fps, device, "vhost-test-fake")


def halves(size: QSize, left: str = "#FF0000", right: str = "#0000FF") -> QImage:
    img = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(QColor(left))
    p = QPainter(img)
    p.fillRect(size.width() // 2, 0, size.width() - size.width() // 2, size.height(), QColor(right))
    p.end()
    return img


def wait_for(cond, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.01)
    return False


def test_frames_reach_the_camera_at_the_output_size_in_bgr(qapp):
    warnings: list[str] = []
    cam = VirtualCamera(QSize(320, 180), 30, warnings.append, opener=fake_opener)
    assert cam.start() and warnings == []
    try:
        dev = FakeDevice.instances[0]
        assert (dev.width, dev.height, dev.fps) == (320, 180, 30)
        assert dev.fourcc == encode_fourcc(pyvirtualcam.PixelFormat.BGR.value)
        cam.publish(halves(QSize(320, 180)))
        assert wait_for(lambda: len(dev.frames) >= 1)
        frame = dev.frames[0].reshape(180, 320, 3)
        assert tuple(frame[90, 10]) == (0, 0, 255)  # red, as B, G, R
        assert tuple(frame[90, 310]) == (255, 0, 0)  # blue
        assert cam.device_name == "/dev/fake0"
    finally:
        cam.stop()
    assert dev.closed


def test_a_frame_of_another_size_is_scaled_to_the_output_size(qapp):
    cam = VirtualCamera(QSize(640, 360), 25, lambda t: None, opener=fake_opener)
    assert cam.start()
    try:
        cam.publish(halves(QSize(320, 180), "#00FF00", "#00FF00"))  # e.g. headless --record-size
        dev = FakeDevice.instances[0]
        assert wait_for(lambda: dev.frames)
        frame = dev.frames[0].reshape(360, 640, 3)
        assert tuple(frame[180, 320]) == (0, 255, 0)
    finally:
        cam.stop()


def test_a_transparent_stage_goes_out_on_black(qapp):
    img = QImage(QSize(64, 36), QImage.Format.Format_ARGB32_Premultiplied)
    img.fill(Qt.GlobalColor.transparent)
    cam = VirtualCamera(QSize(64, 36), 30, lambda t: None, opener=fake_opener)
    assert cam.start()
    try:
        cam.publish(img)
        dev = FakeDevice.instances[0]
        assert wait_for(lambda: dev.frames)
        assert dev.frames[0].max() == 0
    finally:
        cam.stop()


def test_the_stage_never_waits_for_a_slow_camera_and_the_newest_frame_wins(qapp):
    FakeDevice.block = threading.Event()  # the device takes each frame only when released
    cam = VirtualCamera(QSize(64, 36), 30, lambda t: None, opener=fake_opener)
    assert cam.start()
    try:
        colours = [QColor(i, 0, 0) for i in range(0, 250, 5)]
        frames = [halves(QSize(64, 36), c.name(), c.name()) for c in colours]
        t0 = time.perf_counter()
        for f in frames:
            cam.publish(f)
        publish_ms = (time.perf_counter() - t0) * 1000 / len(frames)
        assert publish_ms < 5.0  # a swap under a lock; the device is stuck meanwhile
        assert cam.frames_dropped >= len(frames) - 2
        FakeDevice.block.set()
        dev = FakeDevice.instances[0]
        assert wait_for(lambda: cam.frames_sent >= 2 or (dev.frames and dev.frames[-1].reshape(36, 64, 3)[0, 0, 2] == 245))
        # what went out after the device freed up is the latest frame, not a backlog
        assert wait_for(lambda: dev.frames[-1].reshape(36, 64, 3)[0, 0, 2] == 245)
        assert len(dev.frames) <= 3
    finally:
        cam.stop()


def test_a_camera_that_fails_mid_show_warns_once_and_the_stage_goes_on(qapp):
    FakeDevice.fail_after = 1
    warnings: list[str] = []
    cam = VirtualCamera(QSize(64, 36), 30, warnings.append, opener=fake_opener)
    assert cam.start()
    try:
        img = halves(QSize(64, 36))
        cam.publish(img)
        assert wait_for(lambda: cam.frames_sent == 1)
        cam.publish(img)
        assert wait_for(lambda: not cam.running)
        assert len(warnings) == 1 and "virtual camera stopped: device went away" in warnings[0]
        cam.publish(img)  # still harmless
    finally:
        cam.stop()


def test_config_on_without_a_device_warns_why_and_the_show_goes_on(qapp, tmp_path, no_fake):
    """The real pyvirtualcam and its real v4l2loopback backend, with no device here."""
    if glob.glob("/dev/video*"):
        pytest.skip("this machine has video devices; the no-device path is not what would run")
    toml = tmp_path / "vhost.toml"
    toml.write_text("[stage]\nvirtual_camera = true\n")
    cfg = load_config(toml)
    assert cfg.stage.virtual_camera is True
    warnings: list[str] = []
    assert start_virtual_camera(cfg.stage, QSize(1920, 1080), warnings.append) is None
    assert len(warnings) == 1
    assert warnings[0].startswith("virtual camera off:") and "modprobe v4l2loopback" in warnings[0]
    assert "the show goes on" in warnings[0]


def test_off_by_default_and_not_even_opened(qapp):
    cfg = VhostConfig()
    assert cfg.stage.virtual_camera is False

    def opener(*a):
        raise AssertionError("opened while off")

    assert start_virtual_camera(cfg.stage, QSize(1920, 1080), lambda t: None, opener=opener) is None


def test_config_passes_the_device_and_fps(qapp):
    cfg = VhostConfig.model_validate({"stage": {"virtual_camera": True, "virtual_camera_device": "/dev/video7",
                                                "fps": 25}})
    seen = {}

    def opener(w, h, fps, device, backend):
        seen.update(w=w, h=h, fps=fps, device=device)
        return open_pyvirtualcam(w, h, fps, device, "vhost-test-fake")

    cam = start_virtual_camera(cfg.stage, QSize(1080, 1920), lambda t: None, opener=opener)
    assert cam is not None
    cam.stop()
    assert seen == {"w": 1080, "h": 1920, "fps": 25.0, "device": "/dev/video7"}


def test_without_pyvirtualcam_the_warning_says_how_to_install_it(qapp):
    def opener(*a):
        raise ImportError("No module named 'pyvirtualcam'")

    warnings: list[str] = []
    assert not VirtualCamera(QSize(64, 36), 30, warnings.append, opener=opener).start()
    assert "pip install pyvirtualcam" in warnings[0]


def _v4l2loopback_device() -> str | None:
    for dev in sorted(glob.glob("/dev/video*")):
        name = Path(f"/sys/class/video4linux/{os.path.basename(dev)}/name")
        if name.exists() and ("loopback" in name.read_text().lower() or "vhost" in name.read_text().lower()):
            return dev
    return None


def test_real_v4l2loopback_device_receives_the_stage(qapp):
    device = _v4l2loopback_device()
    if device is None:
        pytest.skip("no v4l2loopback device: load it with `sudo modprobe v4l2loopback devices=1 exclusive_caps=1` "
                    "(not possible in a container without kernel modules)")
    warnings: list[str] = []
    cam = VirtualCamera(QSize(640, 360), 30, warnings.append, device=device)
    assert cam.start(), warnings
    try:
        for _ in range(10):
            cam.publish(halves(QSize(640, 360)))
            time.sleep(0.04)
        assert wait_for(lambda: cam.frames_sent >= 3)
    finally:
        cam.stop()
    assert warnings == []
