"""Record everything the sink plays (silence included) to a WAV, so the file's timeline is the
device clock. Writing happens on its own thread: the audio callback must never touch a disk."""

from __future__ import annotations

import queue
import threading
import wave
from pathlib import Path

import numpy as np


class WavRecorder:
    def __init__(self, path: str | Path, sample_rate: int) -> None:
        self.path = Path(path)
        self.sample_rate = sample_rate
        self._q: queue.SimpleQueue[np.ndarray | None] = queue.SimpleQueue()
        self._wav = wave.open(str(self.path), "wb")
        self._wav.setnchannels(1)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)
        self.frames_written = 0
        self._thread = threading.Thread(target=self._run, name="wav-recorder", daemon=True)
        self._thread.start()

    def write(self, block: np.ndarray) -> None:
        self._q.put(block.copy())

    def _run(self) -> None:
        while (block := self._q.get()) is not None:
            pcm = (np.clip(block, -1.0, 1.0) * 32767.0).astype("<i2")
            self._wav.writeframes(pcm.tobytes())
            self.frames_written += len(pcm)

    def close(self) -> None:
        self._q.put(None)
        self._thread.join(timeout=10)
        self._wav.close()
