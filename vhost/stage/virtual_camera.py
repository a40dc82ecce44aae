"""`[stage] virtual_camera = true`: the stage's frames as a virtual webcam (pyvirtualcam: the
v4l2loopback device on Linux, OBS's virtual camera on Windows and macOS), for apps that take a
camera rather than a window capture.

The stage never waits for the camera: `publish` only swaps in the latest frame; a sender thread
converts it and hands it to the device. A frame replaced before it was sent is dropped (counted),
never queued. If the camera cannot open or stops accepting frames, `warn` says why (the console's
OperatorWarning) and the show goes on without it.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)

LINUX_HINT = ("on Linux load the v4l2loopback module first: sudo modprobe v4l2loopback devices=1 "
              "exclusive_caps=1 card_label=vhost")
RESEND_S = 1.0  # with no new frame (the stage stalled), send the last one again this often


def open_pyvirtualcam(width: int, height: int, fps: float, device: str | None, backend: str | None) -> Any:
    """A pyvirtualcam.Camera taking BGR frames (the stage image's own byte order, no colour
    conversion on our side)."""
    import pyvirtualcam

    return pyvirtualcam.Camera(width, height, fps, fmt=pyvirtualcam.PixelFormat.BGR, device=device,
                               backend=backend)


def bgr_view(img: QImage, size: QSize) -> np.ndarray:
    """The image as an (h, w, 3) BGR array at `size` (scaled if it differs). A premultiplied
    transparent stage comes out composited on black: a camera has no alpha."""
    if img.size() != size:
        img = img.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation)
    if img.format() not in (QImage.Format.Format_ARGB32_Premultiplied, QImage.Format.Format_RGB32):
        img = img.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)  # straight alpha onto black
    rows = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
    # 32-bit pixels are B, G, R, A in memory on little-endian machines. Copied while `img` (maybe a
    # scaled temporary) is alive; pyvirtualcam would make the same contiguous copy anyway.
    return np.ascontiguousarray(rows[:, : img.width() * 4].reshape(img.height(), img.width(), 4)[:, :, :3])


class VirtualCamera:
    def __init__(self, size: QSize, fps: float, warn: Callable[[str], None], device: str | None = None,
                 backend: str | None = None, opener: Callable[..., Any] = open_pyvirtualcam) -> None:
        """`size`, `fps`: the stage's output size and frame rate. `device`: e.g. /dev/video10
        (None: the first free one). `backend`: a pyvirtualcam backend name (None: any)."""
        self.size = QSize(size)
        self.fps = float(fps)
        self.warn = warn
        self.device = device
        self.backend = backend
        self._opener = opener
        self._camera: Any = None
        self._cond = threading.Condition()
        self._latest: QImage | None = None
        self._fresh = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.frames_sent = 0
        self.frames_dropped = 0
        self.error: str | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def device_name(self) -> str | None:
        return getattr(self._camera, "device", None) if self._camera is not None else None

    def start(self) -> bool:
        """Open the camera and start the sender; False (and a warning) when it cannot open."""
        try:
            self._camera = self._opener(self.size.width(), self.size.height(), self.fps, self.device, self.backend)
        except ImportError as exc:
            return self._fail(f"virtual camera off: pyvirtualcam is not installed ({exc}); "
                              "pip install pyvirtualcam")
        except Exception as exc:  # noqa: BLE001 - no device, busy, unsupported size: all say why
            hint = f" ({LINUX_HINT})" if sys.platform.startswith("linux") else ""
            return self._fail(f"virtual camera off: {str(exc).rstrip('. ')}{hint}; the show goes on without it")
        self._thread = threading.Thread(target=self._run, name="virtual-camera", daemon=True)
        self._thread.start()
        log.info("virtual camera: %s at %dx%d, %g fps", self.device_name, self.size.width(), self.size.height(),
                 self.fps)
        return True

    def publish(self, frame: QImage) -> None:
        """The stage's newest frame (GUI thread). Never blocks on the device."""
        with self._cond:
            if self._fresh:
                self.frames_dropped += 1
            self._latest, self._fresh = frame, True
            self._cond.notify()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._camera is not None:
            try:
                self._camera.close()
            except Exception:  # noqa: BLE001 - closing anyway
                log.exception("virtual camera close failed")
            self._camera = None

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._fresh or self._stopping, timeout=RESEND_S)
                if self._stopping:
                    return
                frame, self._fresh = self._latest, False
            if frame is None:
                continue
            try:
                self._camera.send(bgr_view(frame, self.size))
            except Exception as exc:  # noqa: BLE001 - the device went away: say so, stop sending
                self._fail(f"virtual camera stopped: {exc}; the show goes on without it")
                return
            self.frames_sent += 1

    def _fail(self, text: str) -> bool:
        self.error = text
        log.warning("%s", text)
        try:
            self.warn(text)
        except Exception:  # noqa: BLE001 - a console error must not stop the stage
            log.exception("virtual camera warning callback failed")
        return False


def start_virtual_camera(stage_cfg: Any, size: QSize, warn: Callable[[str], None],
                         opener: Callable[..., Any] = open_pyvirtualcam) -> VirtualCamera | None:
    """The virtual camera when `[stage] virtual_camera` is on and it opens; else None (with the
    reason given to `warn` when it was asked for and could not open)."""
    if not getattr(stage_cfg, "virtual_camera", False):
        return None
    cam = VirtualCamera(size, stage_cfg.fps, warn, device=stage_cfg.virtual_camera_device, opener=opener)
    return cam if cam.start() else None
