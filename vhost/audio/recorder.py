"""Record everything the sink plays (silence included) to a WAV, so the file's timeline is the
device clock. Writing happens on its own thread: the audio callback must never touch a disk."""

from __future__ import annotations

import logging
import queue
import threading
import wave
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


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
        self.error: OSError | None = None  # set when the disk refused a write (full, unplugged)
        self._thread = threading.Thread(target=self._run, name="wav-recorder", daemon=True)
        self._thread.start()

    def write(self, block: np.ndarray) -> None:
        self._q.put(block.copy())

    def _run(self) -> None:
        while (block := self._q.get()) is not None:
            if self.error is not None:
                continue  # keep draining: blocks must not pile up in memory for the whole show
            pcm = (np.clip(block, -1.0, 1.0) * 32767.0).astype("<i2")
            try:
                self._wav.writeframes(pcm.tobytes())
            except OSError as err:  # a full disk stops the recording, never the show's audio
                self.error = err
                log.error("recording to %s stopped after %.1f s: %s", self.path,
                          self.frames_written / self.sample_rate, err)
                continue
            self.frames_written += len(pcm)

    def close(self) -> None:
        self._q.put(None)
        self._thread.join(timeout=10)
        try:
            self._wav.close()  # patches the header: what was written stays playable
        except OSError as err:
            self.error = self.error or err
            log.error("could not finish the recording %s: %s", self.path, err)
