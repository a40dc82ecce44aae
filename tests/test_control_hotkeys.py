"""Global hotkeys under a real X server (Xvfb with RECORD): xdotool presses a chord, pynput sees it,
the bound action reaches the show as a command."""

import asyncio
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.test_show_pipeline import make_show
from vhost.base import commands as cmd
from vhost.config.control import ControlConfig
from vhost.control.actions import resolve
from vhost.control.hotkeys import GlobalHotkeys, HotkeysUnavailable, platform_problem

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent("""
    import sys, time
    from vhost.control.hotkeys import GlobalHotkeys
    hk = GlobalHotkeys({"<ctrl>+<alt>+i": "interrupt", "<ctrl>+<shift>+a": "approve_top", "<f9>": "toggle_pause"},
                       lambda action: print("ACTION", action, flush=True))
    hk.start()
    print("READY", flush=True)
    time.sleep(30)
""")


@pytest.fixture
def xvfb():
    if not (shutil.which("Xvfb") and shutil.which("xdotool")):
        pytest.skip("Xvfb or xdotool not installed (apt install xvfb xdotool)")
    for n in range(90, 100):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            break
    proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "640x480x24", "+extension", "RECORD",
                             "-nolisten", "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{n}").exists():
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    yield f":{n}"
    proc.terminate()
    proc.wait(10)


def test_global_hotkeys_fire_under_xvfb_with_xdotool(xvfb):
    env = {**os.environ, "DISPLAY": xvfb, "PYTHONPATH": str(ROOT)}
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("XDG_SESSION_TYPE", None)
    child = subprocess.Popen([sys.executable, "-c", CHILD], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "READY", child.stderr.read()
        for keys in ("ctrl+alt+i", "a", "ctrl+shift+a", "F9"):
            subprocess.run(["xdotool", "key", keys], env=env, check=True)
            time.sleep(0.15)
        seen = []
        deadline = time.monotonic() + 5
        while len(seen) < 3 and time.monotonic() < deadline:
            line = child.stdout.readline()
            if line.startswith("ACTION"):
                seen.append(line.split()[1])
    finally:
        child.kill()
        child.wait(5)
    assert seen == ["interrupt", "approve_top", "toggle_pause"]  # the bare "a" fired nothing


def test_clear_messages_where_the_platform_forbids_global_hotkeys(monkeypatch):
    assert "Wayland" in platform_problem({"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert "DISPLAY" in platform_problem({}, "linux")
    assert platform_problem({}, "win32") is None and platform_problem({"DISPLAY": ":0"}, "linux") is None
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(HotkeysUnavailable, match="Wayland"):
        GlobalHotkeys({"<ctrl>+<alt>+i": "interrupt"}, print).start()


def test_bindings_are_validated_and_actions_resolve_against_the_show_state():
    with pytest.raises(ValueError, match="unknown action"):
        ControlConfig(hotkeys={"<ctrl>+<alt>+x": "explode"})
    with pytest.raises(ValueError, match="bad hotkey"):
        ControlConfig(hotkeys={"ctrl++": "interrupt"})

    async def go():
        show, sink, events = make_show(mode="manual")
        out = {a: resolve(a, show) for a in ("interrupt", "approve_top", "toggle_pause", "toggle_mute",
                                             "mode_assisted", "emotion:happy", "product:lamp", "say:Hello!")}
        show.desk.book.add(chat_id="c", user="u", chat_text="q", lang="en", text="t", now=0.0)
        out["pin_top"] = resolve("pin_top", show)
        return out

    out = asyncio.run(go())
    assert out["interrupt"] == cmd.Interrupt() and out["approve_top"] is None  # nothing pending yet
    assert out["toggle_pause"] == cmd.SetAutoReply(False) and out["toggle_mute"] == cmd.SetMuted(True)
    assert out["mode_assisted"] == cmd.SetMode("assisted") and out["emotion:happy"] == cmd.SetEmotion("happy")
    assert out["product:lamp"] == cmd.SwitchProduct("lamp") and out["say:Hello!"] == cmd.SayNow("Hello!")
    assert out["pin_top"] == cmd.PinDraft("d1", True)
