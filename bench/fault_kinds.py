"""The faults bench/faults.py injects, each with its own recovery check.

Every injector runs on the bench's injector thread, does the real thing (kill -9, SIGSTOP, a socket
reset mid-request, an EXCLUSIVE sqlite lock held by another connection, a full tmpfs, an audio
device unplugged at the PortAudio seam), then waits until the part is back and returns the
recovery time: from the fault's end (a device back, a lock released, space freed) or, for a
killed or stopped worker, from the kill. `None`: not back within RECOVERY_LIMIT_S (not survived).
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

RECOVERY_LIMIT_S = 120.0
KINDS = ("kill_llm", "kill_tts", "kill_chat", "kill_visuals", "drop_socket", "platform_gone", "audio_device",
         "db_locked", "disk_full", "hang_worker")


def wait_for(cond: Callable[[], bool], limit: float = RECOVERY_LIMIT_S, step: float = 0.02) -> bool:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(step)
    return False


class FakePortAudio:
    """An audio device behind sounddevice's interface (`query_devices`, `OutputStream`) whose
    callbacks come from a real-time thread; `present = False` unplugs it (callbacks stop, no error,
    gone from the list), `True` plugs it back."""

    def __init__(self, name: str) -> None:
        self.name, self.present, self.streams = name, True, 0

    def query_devices(self) -> list[dict]:
        return [{"name": self.name, "max_output_channels": 2}] if self.present else []

    def OutputStream(self, **kw: Any) -> _Stream:  # noqa: N802 - sounddevice's name
        if not self.present:
            raise RuntimeError("PortAudio: Invalid device [PaErrorCode -9996]")
        self.streams += 1
        return _Stream(self, **kw)


class _Stream:
    def __init__(self, pa: FakePortAudio, samplerate, blocksize, callback, **_: Any) -> None:  # noqa: ANN001
        self.pa, self.sr, self.blocksize, self.callback, self.latency = pa, samplerate, blocksize, callback, 0.02
        self.t0, self._stop = time.monotonic(), threading.Event()

    @property
    def time(self) -> float:
        return 100.0 + time.monotonic() - self.t0

    def _run(self) -> None:
        due, out = time.monotonic(), np.zeros((self.blocksize, 1), np.float32)
        while not self._stop.is_set() and self.pa.present:
            now = self.time
            self.callback(out, self.blocksize, SimpleNamespace(outputBufferDacTime=now + self.latency,
                                                               currentTime=now), None)  # fmt: skip
            due += self.blocksize / self.sr
            time.sleep(max(0.0, due - time.monotonic()))

    def start(self) -> None:
        threading.Thread(target=self._run, daemon=True, name="fake-portaudio").start()

    def stop(self) -> None:
        self._stop.set()

    close = stop


class Injector:
    """The bench's parts, and one method per fault kind (`kill_llm`...). `rig` is the running
    bench (bench.faults.Rig): workers, chat process, sink, fake device, record, poster."""

    def __init__(self, rig: Any, outage_s: float) -> None:
        self.rig, self.outage_s = rig, outage_s
        self._hang_turn = 0

    def run(self, kind: str) -> float | None:
        return getattr(self, kind)()

    # --- worker processes -------------------------------------------------------------
    def _client(self, name: str) -> Any:
        w = self.rig.workers
        return {"llm": w.llm, "tts": w.tts, "visuals": w.visuals.client}[name]

    def _kill(self, name: str, sig: int) -> float | None:
        client = self._client(name)
        if not wait_for(lambda: client.is_ready and client.pid is not None, 60):
            return None
        pid, t0 = client.pid, time.monotonic()
        os.kill(pid, sig)
        back = wait_for(lambda: client.pid != pid and client.is_ready)
        return time.monotonic() - t0 if back else None

    def kill_llm(self) -> float | None:
        return self._kill("llm", signal.SIGKILL)

    def kill_tts(self) -> float | None:
        return self._kill("tts", signal.SIGKILL)

    def kill_visuals(self) -> float | None:
        return self._kill("visuals", signal.SIGKILL)

    def hang_worker(self) -> float | None:
        """SIGSTOP: no reply, no exit. The heartbeat deadline must kill and restart it."""
        self._hang_turn += 1
        return self._kill(("tts", "llm")[self._hang_turn % 2], signal.SIGSTOP)

    # --- chat ---------------------------------------------------------------------------
    def _next_delivery(self, after: float) -> float | None:
        """Seconds from `after` until a message posted after it reaches the show."""
        rig = self.rig
        ok = wait_for(lambda: any(rig.delivered_at.get(i, 0) > after for i in rig.posted_after(after)))
        if not ok:
            return None
        first = min(rig.delivered_at[i] for i in rig.posted_after(after) if rig.delivered_at.get(i, 0) > after)
        return first - after

    def kill_chat(self) -> float | None:
        proc = self.rig.chat._proc
        if proc is None or not proc.is_alive():
            return None
        t0 = time.monotonic()
        os.kill(proc.pid, signal.SIGKILL)
        return self._next_delivery(t0)

    def drop_socket(self) -> float | None:
        """A client's connection reset mid-frame: headers and half a JSON body, then RST."""
        s = socket.create_connection(("127.0.0.1", self.rig.port), timeout=5)
        body = b'{"user": "x", "text": "half a mess'
        s.sendall(b"POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Authorization: Bearer " + self.rig.token.encode() + b"\r\nContent-Length: 200\r\n\r\n" + body)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()
        return self._next_delivery(time.monotonic())

    def platform_gone(self) -> float | None:
        """The chat's upstream gone for `outage_s`: nothing arrives; the tool keeps what viewers
        typed meanwhile and sends it once it is back (as Social Stream Ninja's queue does)."""
        self.rig.poster.paused.set()
        time.sleep(self.outage_s)
        self.rig.poster.paused.clear()
        return self._next_delivery(time.monotonic())

    # --- audio device -------------------------------------------------------------------
    def audio_device(self) -> float | None:
        sink, pa = self.rig.sink, self.rig.device
        lost = len(sink.switches)
        pa.present = False
        if not wait_for(lambda: len(sink.switches) > lost, 30):
            pa.present = True
            return None
        time.sleep(1.0)
        t0 = time.monotonic()
        pa.present = True
        back = wait_for(lambda: sink.switches[-1][0] == "back", 30)
        return time.monotonic() - t0 if back else None

    # --- the session database -------------------------------------------------------------
    def db_locked(self) -> float | None:
        """Another program holds an EXCLUSIVE transaction past the record's busy timeout."""
        rec = self.rig.record
        other = sqlite3.connect(rec.path, timeout=5)
        other.execute("BEGIN EXCLUSIVE")
        wait_for(lambda: rec.error is not None, self.outage_s + 5)
        other.rollback()
        other.close()
        t0 = time.monotonic()
        return time.monotonic() - t0 if wait_for(lambda: rec.error is None) else None

    def disk_full(self) -> float | None:
        """The record's disk fills up (a tmpfs the bench mounted): writes fail until space is freed."""
        if not self.rig.small_disk:
            return None
        filler = Path(self.rig.record.path).parent / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 65536):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        wait_for(lambda: self.rig.record.error is not None, self.outage_s + 5)
        filler.unlink()
        t0 = time.monotonic()
        return time.monotonic() - t0 if wait_for(lambda: self.rig.record.error is None) else None
