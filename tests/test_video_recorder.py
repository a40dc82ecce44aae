"""The headless video recorder behind schedule: it repeats the last frame instead of rendering
every overdue one, so its caller gets control back at once and the MP4 keeps its timeline
(real ffmpeg, a real render, the file's frame count read back with OpenCV)."""

import shutil
import time

import cv2
import pytest
from PySide6.QtCore import QSize

from vhost.avatar.character import generate_character
from vhost.avatar.pose import RigPose
from vhost.stage.renderer import StageRenderer
from vhost.stage.scene import StageScene
from vhost.stage.video import VideoRecorder

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg not installed")


def _recorder(tmp_path, qapp):
    renderer = StageRenderer(generate_character(5), "landscape", "#00FF00")
    return VideoRecorder(tmp_path / "rec.mp4", renderer, QSize(320, 180), 10,
                         lambda t: StageScene(t=t, pose=RigPose(mouth_open=(t * 2) % 1.0)))


def test_a_recorder_far_behind_repeats_frames_and_keeps_the_timeline(tmp_path, qapp):
    rec = _recorder(tmp_path, qapp)
    now = [0.0]
    rec.render_due(lambda: now[0])  # frame 0 rendered
    assert rec.frames_rendered == 1 and rec.frames_repeated == 0
    now[0] = 3.0  # the caller was away for 3 s: 30 frames are due, most long overdue
    t0 = time.perf_counter()
    n = rec.render_due(lambda: now[0])
    assert time.perf_counter() - t0 < 1.0
    assert n == 30 and rec.frames_rendered == 31
    # Frames more than REPEAT_AFTER_S overdue repeat the last one; the last few are rendered anew.
    assert rec.frames_repeated == sum(1 for k in range(1, 31) if 3.0 - k / 10 > VideoRecorder.REPEAT_AFTER_S)
    assert rec.frames_late >= rec.frames_repeated
    assert [r["t"] for r in rec.rig_trace] == [round(k / 10, 4) for k in range(31)]
    rec.close()
    cap = cv2.VideoCapture(str(tmp_path / "rec.mp4"))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 31  # the timeline is whole: 3.1 s at 10 fps


def test_a_recorder_on_time_renders_every_frame(tmp_path, qapp):
    rec = _recorder(tmp_path, qapp)
    for k in range(6):
        rec.render_due(lambda k=k: k / 10)
    assert rec.frames_rendered == 6 and rec.frames_repeated == 0
    rec.close()


def test_a_limited_call_renders_at_most_that_many_new_frames_but_still_repeats_the_long_overdue(tmp_path, qapp):
    rec = _recorder(tmp_path, qapp)
    assert rec.render_due(lambda: 0.25, limit=1) == 1  # three frames due (0, 0.1, 0.2): one rendered
    assert rec.render_due(lambda: 0.25, limit=1) == 1 and rec.frames_rendered == 2
    # 2 s later: the long-overdue frames are repeats (cheap), only one is rendered anew
    n = rec.render_due(lambda: 2.25, limit=1)
    renders = len(rec.render_ms)
    assert renders == 3 and rec.frames_repeated == n - 1 and n > 10
    rec.close()


def test_a_stalled_encoder_never_holds_the_caller_and_the_timeline_stays_whole(tmp_path, qapp):
    import os
    import signal

    rec = _recorder(tmp_path, qapp)
    os.kill(rec._proc.pid, signal.SIGSTOP)  # ffmpeg stops reading, as a starved or starting one does
    try:
        t0 = time.perf_counter()
        for k in range(40):  # 4 s of frames, each on time; one frame (170 KB) outgrows the pipe
            rec.render_due(lambda k=k: k / 10)
        held = time.perf_counter() - t0
        assert rec.encoder_behind() <= VideoRecorder.QUEUED_FRAMES + 1  # memory bounded
        assert rec.frames_repeated > 0
    finally:
        os.kill(rec._proc.pid, signal.SIGCONT)
    assert held < 2.0  # the caller was never made to wait for ffmpeg
    rec.close()
    cap = cv2.VideoCapture(str(tmp_path / "rec.mp4"))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 40
