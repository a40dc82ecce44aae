"""A short headless show with the real small model (SmolLM2) and the real voice (Piper):
a playable MP4 whose audio and mouth agree, and a report."""

import json
import subprocess
import sys

import numpy as np
import pytest

DURATION = 28.0
FPS = 15


def ffprobe(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def audio_envelope(path, rate=8000, frame_s=1 / FPS):
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"],
                         check=True, capture_output=True).stdout
    pcm = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768
    hop = int(rate * frame_s)
    n = len(pcm) // hop
    return np.sqrt((pcm[: n * hop].reshape(n, hop) ** 2).mean(axis=1))


@pytest.mark.realmodel
@pytest.mark.slow
def test_headless_demo_records_a_playable_show_with_a_report(tmp_path):
    mp4, report_path = tmp_path / "show.mp4", tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, "-m", "vhost", "demo", "--headless", "--duration", str(DURATION), "--fps", str(FPS),
         "--model", "smollm2-135m-instruct", "--record", str(mp4), "--report", str(report_path),
         "--record-size", "640x360"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(report_path.read_text())

    info = ffprobe(mp4)
    codecs = {s["codec_type"]: s["codec_name"] for s in info["streams"]}
    assert codecs == {"video": "h264", "audio": "aac"}
    assert abs(float(info["format"]["duration"]) - DURATION) < 1.0

    # the demo chat asks its first question at ~3 s: at least two replies are heard in 28 s
    spoken = [r for r in report["replies"] if r["first_audio_at"] is not None]
    assert len(spoken) >= 2, report["replies"]
    for r in spoken:
        assert r["reply_text"] and r["chat_text"] and r["latency_s"] > 0
        assert r["received_at"] < r["first_audio_at"] < DURATION

    # the Chinese question at 18 s is answered by Kokoro, not a fallback voice
    zh = [r for r in spoken if r["lang"] == "zh"]
    assert zh and all(r["voice_engines"] == ["kokoro"] for r in zh), [(r["lang"], r["voice_engines"]) for r in spoken]

    assert report["frames_rendered"] == len(report["rig_trace"])
    assert abs(report["frames_rendered"] - DURATION * FPS) <= 2

    # The mouth moves when the voice is loud, on the MP4's own clock.
    env = audio_envelope(mp4)
    mouth = np.array([f["mouth_open"] for f in report["rig_trace"]])
    n = min(len(env), len(mouth))
    env, mouth = env[:n], mouth[:n]
    loud = env > 0.02
    assert loud.sum() > FPS  # over a second of speech
    assert mouth[loud].mean() > 0.15 and mouth[~loud].mean() < mouth[loud].mean()
    assert np.corrcoef(env, mouth)[0, 1] > 0.3
