"""Interrupt fades without clicks, and resampling to the device rate without images."""

from __future__ import annotations

import numpy as np
import pytest

from vhost.audio.playback import FADE_S, PlaybackQueue
from vhost.audio.resample import resample
from vhost.base.audio_types import AudioChunk

SR = 48000


def tone(freq: float = 440.0, amp: float = 0.8, seconds: float = 1.0, sr: int = SR) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def play_and_cut(block: int, cut_after_blocks: int, extra_clear: bool = False) -> np.ndarray:
    q = PlaybackQueue(SR)
    pb = q.enqueue(AudioChunk(pcm=tone(), sample_rate=SR))
    q.enqueue(AudioChunk(pcm=tone(660), sample_rate=SR))  # queued behind: must never be heard
    out = []
    for k in range(cut_after_blocks + 6):
        if k == cut_after_blocks:
            q.clear()
        if extra_clear and k == cut_after_blocks + 1:
            q.clear()  # the operator hits Esc twice
        out.append(q.pull(block, k * block / SR))
    assert pb.interrupted and pb.done.is_set()
    return np.concatenate(out)


@pytest.mark.parametrize("block", [128, 256, 480, 512])
def test_interrupt_fades_without_a_click(block: int) -> None:
    audio = play_and_cut(block, cut_after_blocks=7)
    # A 440 Hz tone at 0.8 moves at most 2*pi*440/48000*0.8 = 0.046 per sample; the cut, the fade
    # across block edges and the silence after it must never step further than that.
    natural = 2 * np.pi * 440 / SR * 0.8
    assert np.max(np.abs(np.diff(audio))) <= natural * 1.05
    cut = 7 * block
    fade = int(FADE_S * SR)
    assert np.all(audio[cut + fade :] == 0.0)  # silent after the fade: nothing queued leaked
    assert np.max(np.abs(audio[cut - 200 : cut])) > 0.5  # it was playing loudly before the cut


def test_second_clear_during_the_fade_does_not_restart_it() -> None:
    audio = play_and_cut(128, cut_after_blocks=5, extra_clear=True)
    natural = 2 * np.pi * 440 / SR * 0.8
    assert np.max(np.abs(np.diff(audio))) <= natural * 1.05
    assert np.all(audio[5 * 128 + int(FADE_S * SR) :] == 0.0)


def test_resample_keeps_pitch_and_length() -> None:
    src = tone(1000.0, 0.5, 1.0, sr=22050)
    out = resample(src, 22050, 48000)
    assert out.dtype == np.float32 and out.size == 48000
    spectrum = np.abs(np.fft.rfft(out * np.hanning(out.size)))
    assert np.argmax(spectrum) == pytest.approx(1000, abs=1)  # 1 Hz bins over 1 s
    assert np.max(np.abs(out[1000:-1000])) == pytest.approx(0.5, abs=0.01)
    assert resample(src, 22050, 22050) is not None and resample(src[:0], 22050, 48000).size == 0
    assert resample(src[:441], 22050, 48000).size == 960
    with pytest.raises(ValueError):
        resample(src, 0, 48000)


def test_resample_leaves_no_images_above_the_source_band() -> None:
    # Linear interpolation mirrors a 9 kHz tone at 22.05 kHz to 13.05 kHz at -6.5 dB (measured);
    # the polyphase low-pass keeps that image near -54 dB.
    out = resample(tone(9000.0, 0.5, 1.0, sr=22050), 22050, 48000)
    spectrum = np.abs(np.fft.rfft(out * np.blackman(out.size)))
    main = spectrum[8990:9010].max()
    image = spectrum[11100:20000].max()
    assert 20 * np.log10(image / main) < -45


def test_wav_sink_records_the_device_timeline(tmp_path) -> None:
    import time
    import wave

    from vhost.audio.sinks import WavSink

    sink = WavSink(tmp_path / "out.wav", sample_rate=SR, speed=20.0)
    sink.start()
    while sink.clock() < 0.1:  # some silence first
        time.sleep(0.005)
    pb = sink.play(AudioChunk(pcm=tone(440, 0.5, 0.5, sr=24000), sample_rate=24000))
    assert pb.wait(5)
    time.sleep(0.05)
    sink.stop()
    with wave.open(str(tmp_path / "out.wav")) as w:
        assert w.getframerate() == SR and w.getsampwidth() == 2
        pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2") / 32768.0
    start = int(round(pb.start * SR))
    assert pcm.size >= start + SR // 2
    assert np.max(np.abs(pcm[start : start + SR // 2])) == pytest.approx(0.5, abs=0.01)
    assert np.max(np.abs(pcm[:start])) == 0.0  # silence before the chunk, on the same clock


class _UnpluggedStream:
    """PortAudio's OutputStream as a USB headset pulled mid-show behaves: callbacks on the
    device's thread for a while, then none at all, and no error raised anywhere."""

    def __init__(self, samplerate, channels, dtype, device, blocksize, latency, callback) -> None:  # noqa: ANN001
        import threading

        self.samplerate, self.blocksize, self.callback = samplerate, blocksize, callback
        self.latency, self.time = 0.01, 0.0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import time
        from types import SimpleNamespace

        for _ in range(int(0.2 * self.samplerate / self.blocksize)):  # 0.2 s of audio, then gone
            out = np.zeros((self.blocksize, 1), np.float32)
            info = SimpleNamespace(outputBufferDacTime=self.time + self.latency, currentTime=self.time)
            self.callback(out, self.blocksize, info, None)
            time.sleep(self.blocksize / self.samplerate)
            self.time += self.blocksize / self.samplerate

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        raise RuntimeError("PortAudio: device unavailable")  # what a vanished device answers

    def close(self) -> None:
        pass


def test_device_vanishing_mid_show_keeps_the_clock_and_the_queue_moving(monkeypatch) -> None:
    import time

    sd = pytest.importorskip("sounddevice")
    from vhost.audio.sinks import DeviceSink

    monkeypatch.setattr(sd, "OutputStream", _UnpluggedStream)
    sink = DeviceSink(None, sample_rate=SR, blocksize=480)
    sink.STALL_S = 0.3
    warnings: list[str] = []
    sink.on_warning = warnings.append
    sink.start()
    try:
        pb = sink.play(AudioChunk(pcm=tone(seconds=1.0), sample_rate=SR))  # outlives the device
        # It still finishes on time (the pacer waits on the queue) and the clock goes on.
        assert pb.wait(3.0)
        assert pb.start is not None and not pb.interrupted and pb.played == len(pb.samples)
        t = sink.clock()
        time.sleep(0.1)
        assert sink.clock() > t
        assert sink.queue.pending() == 0
        assert warnings and "audio device" in warnings[0] and sink.warning == warnings[0]
    finally:
        sink.stop()  # a vanished device refusing to stop must not raise at shutdown


def test_recording_to_a_full_disk_stops_the_recording_not_the_show() -> None:
    import os
    import time

    from vhost.audio.sinks import VirtualSink

    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full (every write fails with ENOSPC)")
    sink = VirtualSink(sample_rate=SR, speed=50.0)
    sink.record_to("/dev/full")
    sink.start()
    try:
        pb = sink.play(AudioChunk(pcm=tone(seconds=2.0), sample_rate=SR))
        assert pb.wait(5)  # the audio itself plays on
        rec = sink.recorder
        deadline = time.monotonic() + 5
        while rec.error is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert rec.error is not None and rec._thread.is_alive()  # still draining the blocks
        time.sleep(0.1)
        assert rec._q.qsize() < 50  # blocks do not pile up in memory for the rest of the show
    finally:
        sink.stop()  # and closing the broken file does not raise


class _BusyStream(_UnpluggedStream):
    def start(self) -> None:
        raise RuntimeError("PortAudio: Device unavailable [PaErrorCode -9985]")


def test_device_that_refuses_to_start_plays_silently_on_the_same_clock(monkeypatch) -> None:
    sd = pytest.importorskip("sounddevice")
    from vhost.audio.sinks import DeviceSink

    monkeypatch.setattr(sd, "OutputStream", _BusyStream)
    sink = DeviceSink(None, sample_rate=SR, blocksize=480)
    sink.start()  # must not raise: the show starts without sound rather than not at all
    try:
        pb = sink.play(AudioChunk(pcm=tone(seconds=0.3), sample_rate=SR))
        assert pb.wait(3.0) and sink.clock() >= 0.3
        assert "failed to start" in sink.warning and "-9985" in sink.warning
    finally:
        sink.stop()
