"""The stage window OBS captures: repaints at a fixed rate from a scene source.

The timer tick only fetches the current scene (a cheap snapshot) and schedules a repaint;
paintEvent only paints. Anything slow belongs in the producers of the scene, never here,
or the whole stream stutters.

With `exact_size` (the desktop app) the window is fixed at the stage's output size in *device*
pixels (1920x1080 on a 100 % screen is 1920x1080 window pixels; on a 150 % screen it is 1280x720
logical pixels, still 1920x1080 on screen), so OBS's window capture gets the frame 1:1, never
scaled by the window manager. It may reach past the screen's edge: window capture (X11
composite, Windows Graphics Capture) still captures it whole.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QColor, QHideEvent, QImage, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from vhost.stage.renderer import StageRenderer
from vhost.stage.scene import StageScene
from vhost.stage.timing import FrameStats


class StageWindow(QWidget):
    def __init__(
        self,
        renderer: StageRenderer,
        scene_source: Callable[[], StageScene],
        fps: float = 30.0,
        parent: QWidget | None = None,
        frame_sink: Callable[[QImage], None] | None = None,
        exact_size: bool = False,
    ) -> None:
        """`frame_sink` (e.g. BrowserSource.publish): when set, each frame is rendered once
        into an image at the stage's full size, shown here and handed to the sink — one
        renderer for the window and the browser source. `exact_size`: fix the window at the
        output size in device pixels (see the module's note)."""
        super().__init__(parent)
        self.frame_sink = frame_sink
        self.exact_size = exact_size
        # Asked before the window closes (vhost.ui.shell: "Stop the show?"); None: just close.
        self.close_guard: Callable[[], bool] | None = None
        self._watching_screen = False
        if fps <= 0:
            raise ValueError(f"fps must be positive, got {fps}")
        self.renderer = renderer
        self.scene_source = scene_source
        self.stats = FrameStats()
        self._scene: StageScene | None = None
        self.setWindowTitle("vhost stage")
        # We paint every pixel ourselves; skip Qt's background erase on each frame.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, renderer.opaque)
        if not renderer.opaque:
            self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
        size = renderer.size
        self.resize(size.width() // 2, size.height() // 2)
        if exact_size:
            self.fit_output_size()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self.set_fps(fps)

    @property
    def fps(self) -> float:
        return self._fps

    def set_fps(self, fps: float) -> None:
        if fps <= 0:
            raise ValueError(f"fps must be positive, got {fps}")
        self._fps = float(fps)
        self._timer.setInterval(max(1, round(1000.0 / self._fps)))

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def output_window_size(self, device_pixel_ratio: float | None = None) -> QSize:
        """The window size (logical pixels) that covers exactly the output size in device pixels."""
        return window_size_for(self.renderer.size, device_pixel_ratio or self.devicePixelRatioF())

    def fit_output_size(self) -> None:
        """Fix the window at the output size for the screen it is on (again after it moved to
        a screen with another scale factor)."""
        self.setFixedSize(self.output_window_size())

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.close_guard is not None and not self.close_guard():
            event.ignore()
            return
        super().closeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        if self.exact_size:
            self.fit_output_size()
            handle = self.windowHandle()
            if handle is not None and not self._watching_screen:  # moved to a screen with another scale
                handle.screenChanged.connect(lambda _screen: self.fit_output_size())
                self._watching_screen = True
        super().showEvent(event)
        self._tick()
        self.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.stop()
        super().hideEvent(event)

    def stage_rect(self) -> QRectF:
        """Where the logical stage lands in the widget: aspect kept, centred."""
        stage = self.renderer.size
        s = min(self.width() / stage.width(), self.height() / stage.height())
        w, h = stage.width() * s, stage.height() * s
        return QRectF((self.width() - w) / 2.0, (self.height() - h) / 2.0, w, h)

    def _tick(self) -> None:
        self._scene = self.scene_source()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        start = time.perf_counter()
        self.stats.frame(start)
        p = QPainter(self)
        target = self.stage_rect()
        if self.renderer.opaque:
            # Letterbox bars only; the stage paints everything inside `target`.
            full = QRectF(self.rect())
            for bar in (
                QRectF(full.left(), full.top(), full.width(), target.top() - full.top()),
                QRectF(full.left(), target.bottom(), full.width(), full.bottom() - target.bottom()),
                QRectF(full.left(), target.top(), target.left() - full.left(), target.height()),
                QRectF(
                    target.right(), target.top(), full.right() - target.right(), target.height()
                ),
            ):
                if bar.width() > 0.5 and bar.height() > 0.5:
                    p.fillRect(bar, QColor("black"))
        if self._scene is not None and self.frame_sink is not None:
            img = self.renderer.render_image(self._scene)
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            if not self.renderer.opaque:
                p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
            p.drawImage(target, img)
            self.frame_sink(img)
        elif self._scene is not None:
            p.translate(target.topLeft())
            s = target.width() / self.renderer.size.width()
            p.scale(s, s)
            self.renderer.paint(p, self._scene)
        p.end()
        self.stats.render((time.perf_counter() - start) * 1000.0)


def window_size_for(output: QSize, device_pixel_ratio: float) -> QSize:
    """Logical window size whose device-pixel size is `output` (rounded up at fractional scale
    factors, so the stage is never cut; the extra device pixel is letterbox)."""
    dpr = device_pixel_ratio if device_pixel_ratio > 0 else 1.0
    return QSize(math.ceil(output.width() / dpr - 1e-9), math.ceil(output.height() / dpr - 1e-9))
