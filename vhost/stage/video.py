"""Headless recording: render the stage offscreen at show time and encode it with ffmpeg.

Frame k shows the stage at t = k / fps on the audio sink's clock, and the sink records its audio
from clock 0 — so the MP4's audio and video share one timeline by construction. A frame rendered
more than one frame period after its due time counts as late.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage

from vhost.stage.renderer import StageRenderer
from vhost.stage.scene import StageScene


def ffmpeg_path() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        raise RuntimeError("ffmpeg not found: install it (Debian: apt-get install ffmpeg)")
    return path


class VideoRecorder:
    REPEAT_AFTER_S = 0.5
    QUEUED_FRAMES = 8
    def __init__(self, path: str | Path, renderer: StageRenderer, size: QSize, fps: int,
                 scene_at: Callable[[float], StageScene],
                 frame_sink: Callable[[QImage], None] | None = None, t0: float = 0.0) -> None:
        """`frame_sink` (e.g. BrowserSource.publish) also gets every rendered frame. `t0`: show
        time of the first frame (a recording window later in a show); the MP4 and the rig_trace
        start at 0 there."""
        self.frame_sink = frame_sink
        self.t0 = t0
        self.path = Path(path)
        self.renderer = renderer
        self.size = size
        self.fps = fps
        self.scene_at = scene_at
        self.frames_rendered = 0
        self.frames_late = 0
        self.frames_repeated = 0
        self._last: bytes | None = None
        self.render_ms: list[float] = []
        self.rig_trace: list[dict] = []
        # Unbounded, so the caller never blocks on ffmpeg (a slow start, a loaded CPU); at most
        # QUEUED_FRAMES distinct frames wait in it: beyond that a due frame repeats the last one
        # (a reference to the same bytes), so the memory stays bounded and the timeline whole.
        self._q: queue.Queue[tuple[bytes, bool] | None] = queue.Queue()  # (frame, rendered anew)
        self._queued_new = 0  # rendered frames put in the queue ...
        self._written_new = 0  # ... and written to ffmpeg (by the writer thread)
        self._proc = subprocess.Popen(
            [ffmpeg_path(), "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24",
             "-s", f"{size.width()}x{size.height()}", "-r", str(fps), "-i", "-",
             "-c:v", "libx264", "-preset", "ultrafast", "-tune", "animation", "-crf", "24",
             "-pix_fmt", "yuv420p", str(self.path)],
            stdin=subprocess.PIPE,
        )
        self._writer = threading.Thread(target=self._write, name="ffmpeg-writer", daemon=True)
        self._writer.start()

    def _write(self) -> None:
        assert self._proc.stdin is not None
        while (item := self._q.get()) is not None:
            self._proc.stdin.write(item[0])
            self._written_new += item[1]
        self._proc.stdin.close()

    def warm_up(self) -> None:
        """Render the first frame once, uncounted, before the clock starts: the first render
        loads fonts and fills the layer caches (~0.2 s), which would make the opening frames late."""
        self.renderer.render_image(self.scene_at(self.t0), self.size)

    def render_due(self, clock: Callable[[], float], limit: int | None = None) -> int:
        """Render every frame whose time has come (at most `limit` renders); returns how many. A
        frame already more than `REPEAT_AFTER_S` overdue repeats the last one instead (counted in
        `frames_repeated`): a recorder that cannot keep up (a loaded machine) keeps the MP4's
        timeline whole and never holds its caller in a catch-up loop. A caller that shares its
        thread with a window renders one frame right after each paint (`limit=1`)."""
        n = renders = 0
        while (due := self.t0 + self.frames_rendered / self.fps) <= clock() and (limit is None or renders < limit):
            if self._last is not None and (clock() - due > self.REPEAT_AFTER_S or self.encoder_behind() >= self.QUEUED_FRAMES):
                self._q.put((self._last, False))
                self.frames_late += 1
                self.frames_repeated += 1
                self.rig_trace.append({**self.rig_trace[-1], "t": round(due - self.t0, 4)})
                self.frames_rendered += 1
                n += 1
                continue
            t0 = time.perf_counter()
            renders += 1
            scene = self.scene_at(due)
            rendered = self.renderer.render_image(scene, self.size)
            if self.frame_sink is not None:
                self.frame_sink(rendered)
            img = rendered.convertToFormat(QImage.Format.Format_RGB888)
            self._last = _rgb_bytes(img)
            self._q.put((self._last, True))
            self._queued_new += 1
            self.render_ms.append((time.perf_counter() - t0) * 1000)
            if clock() - due > 1.0 / self.fps:
                self.frames_late += 1
            self.rig_trace.append({"t": round(due - self.t0, 4), "mouth_open": round(scene.pose.mouth_open, 4),
                                   "viseme": scene.pose.viseme})
            self.frames_rendered += 1
            n += 1
        return n

    def encoder_behind(self) -> int:
        """Rendered frames ffmpeg has not taken yet."""
        return self._queued_new - self._written_new

    def close(self) -> None:
        self._q.put(None)
        self._writer.join()
        if self._proc.wait() != 0:
            raise RuntimeError(f"ffmpeg failed encoding {self.path}")


def _rgb_bytes(img: QImage) -> bytes:
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    raw = bytes(img.constBits())
    if bpl == w * 3:
        return raw[: h * bpl]
    return b"".join(raw[y * bpl : y * bpl + w * 3] for y in range(h))


def mux(video: Path, audio: Path, out: Path) -> None:
    """Join the silent video and the sink's WAV into one MP4 (H.264 + AAC)."""
    cmd = [ffmpeg_path(), "-loglevel", "error", "-y", "-i", str(video), "-i", str(audio),
           "-c:v", "copy", "-c:a", "aac", "-b:a", "128k", "-shortest", "-movflags", "+faststart", str(out)]
    subprocess.run(cmd, check=True)
