"""Real OBS Studio for tests and benches: OBS (obs-websocket 5 built in, OBS ≥ 28) under its own
Xvfb, with a throw-away config folder, a 1920×1080 profile and the websocket on a free port.

    with RealObs.start(Path("/tmp/obs-run")) as obs:
        print(obs.url, obs.password)      # ws://127.0.0.1:PORT, the generated password

`missing()` says why OBS cannot run here (no `obs`, no `Xvfb`), for a test's skip reason.

OBS 29 / websocket 5.1 read their settings from `$XDG_CONFIG_HOME/obs-studio/global.ini`
(`[OBSWebSocket]`); OBS 30+ / websocket 5.3+ from `plugin_config/obs-websocket/config.json`.
Both are written, so either version starts with the websocket on.
"""

from __future__ import annotations

import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

PROFILE = "vhost"


def missing() -> str | None:
    """None when OBS and Xvfb are installed; else what is missing (a test's skip reason)."""
    for exe, package in (("obs", "obs-studio"), ("Xvfb", "xvfb")):
        if shutil.which(exe) is None:
            return f"{exe} not installed (Debian/Ubuntu: apt-get install {package}; scripts/setup.sh tries)"
    return None


def _die_with_parent() -> None:
    """In the child, before exec: end when the process that started it dies (Linux), so a
    crashed test run leaves no OBS or Xvfb behind."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(root: Path, port: int, password: str, width: int = 1920, height: int = 1080) -> Path:
    """OBS's config folder (`XDG_CONFIG_HOME`): no first-run wizard, the websocket on `port` with
    `password`, a profile of width×height at 30 fps."""
    obs = root / "obs-studio"
    profile = obs / "basic" / "profiles" / PROFILE
    profile.mkdir(parents=True, exist_ok=True)
    (obs / "basic" / "scenes").mkdir(parents=True, exist_ok=True)
    (obs / "global.ini").write_text(
        "[General]\nFirstRun=true\nLastVersion=503316482\n\n"
        f"[Basic]\nProfile={PROFILE}\nProfileDir={PROFILE}\nSceneCollection={PROFILE}\n"
        f"SceneCollectionFile={PROFILE}\nConfigOnNewProfile=false\n\n"
        "[OBSWebSocket]\nFirstLoad=false\nServerEnabled=true\n"
        f"ServerPort={port}\nAlertsEnabled=false\nAuthRequired=true\nServerPassword={password}\n")
    (profile / "basic.ini").write_text(
        f"[General]\nName={PROFILE}\n\n"
        f"[Video]\nBaseCX={width}\nBaseCY={height}\nOutputCX={width}\nOutputCY={height}\n"
        "FPSType=0\nFPSCommon=30\n")
    ws = obs / "plugin_config" / "obs-websocket"
    ws.mkdir(parents=True, exist_ok=True)
    (ws / "config.json").write_text(json.dumps({
        "alerts_enabled": False, "auth_required": True, "first_load": False,
        "server_enabled": True, "server_password": password, "server_port": port}))
    return obs


@dataclass
class RealObs:
    """A running OBS and its Xvfb. `stop()` (or leaving the `with`) ends both."""

    url: str
    password: str
    port: int
    workdir: Path
    obs: subprocess.Popen
    xvfb: subprocess.Popen
    display: str
    _log: object = field(repr=False, default=None)

    @classmethod
    def start(cls, workdir: Path, *, password: str | None = None, width: int = 1920,
              height: int = 1080, timeout: float = 40.0) -> RealObs:
        """Start Xvfb and OBS; return once obs-websocket sends its Hello. RuntimeError (with the
        tail of OBS's log) if it does not within `timeout`."""
        reason = missing()
        if reason:
            raise RuntimeError(reason)
        workdir.mkdir(parents=True, exist_ok=True)
        password = password or secrets.token_urlsafe(12)
        port = free_port()
        shutil.rmtree(workdir / "config", ignore_errors=True)  # a fresh OBS: no scenes of a past run
        write_config(workdir / "config", port, password, width, height)
        xvfb, display = _start_xvfb(width, height, timeout=10.0)
        env = {**os.environ, "DISPLAY": display, "XDG_CONFIG_HOME": str(workdir / "config"),
               "QT_QPA_PLATFORM": "xcb", "LIBGL_ALWAYS_SOFTWARE": "1", "HOME": str(workdir)}
        log = open(workdir / "obs.log", "wb")  # noqa: SIM115 - closed in stop()
        proc = subprocess.Popen(["obs", "--disable-shutdown-check", "--multi", "--verbose",
                                 "--disable-updater"], cwd=workdir, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                preexec_fn=_die_with_parent)
        obs = cls(f"ws://127.0.0.1:{port}", password, port, workdir, proc, xvfb, display, log)
        try:
            obs._wait_ready(timeout)
        except BaseException:
            obs.stop()
            raise
        return obs

    def _wait_ready(self, timeout: float) -> None:
        from websockets.sync.client import connect

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.obs.poll() is not None:
                raise RuntimeError(f"OBS exited ({self.obs.returncode}):\n{self.log_tail()}")
            try:
                with connect(self.url, subprotocols=["obsws.json"], open_timeout=2) as ws:
                    if json.loads(ws.recv(timeout=2)).get("op") == 0:  # Hello
                        return
            except (OSError, TimeoutError, ValueError) as exc:
                last = exc
            except Exception as exc:  # noqa: BLE001 - websockets' handshake errors while starting
                last = exc
            time.sleep(0.3)
        raise RuntimeError(f"obs-websocket did not answer on {self.url} in {timeout:.0f} s "
                           f"({last}):\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        path = self.workdir / "obs.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        for proc in (self.obs, self.xvfb):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> RealObs:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def _start_xvfb(width: int, height: int, timeout: float) -> tuple[subprocess.Popen, str]:
    """Xvfb on the first free display it finds (`-displayfd`)."""
    read, write = os.pipe()
    try:
        proc = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0",
                                 f"{width}x{height}x24", "-nolisten", "tcp"], pass_fds=(write,),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                preexec_fn=_die_with_parent)
    finally:
        os.close(write)
    with os.fdopen(read) as pipe:
        deadline = time.monotonic() + timeout
        number = ""
        while time.monotonic() < deadline and not number.endswith("\n"):
            chunk = pipe.read(1)
            if not chunk:
                break
            number += chunk
    if not number.strip().isdigit():
        proc.kill()
        proc.wait(5)
        raise RuntimeError("Xvfb did not start")
    return proc, f":{number.strip()}"
