"""Global hotkeys: work while OBS (or any other app) has focus. pynput on Windows, macOS and X11.

pynput picks its backend when imported and fails without a display, so it is imported only when
hotkeys are started, and every platform refusal becomes one clear `HotkeysUnavailable` message
for the console (the in-app shortcuts keep working).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable

from vhost.config.control import check_action, check_hotkey

log = logging.getLogger(__name__)


class HotkeysUnavailable(RuntimeError):
    pass


def platform_problem(env: dict[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why global hotkeys cannot work here, or None."""
    env = dict(os.environ) if env is None else env
    platform = platform or sys.platform
    if not platform.startswith("linux"):
        return None
    if env.get("XDG_SESSION_TYPE") == "wayland" or (env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY")):
        if not env.get("DISPLAY"):
            return ("global hotkeys are not possible under Wayland (it forbids apps from reading other "
                    "apps' keys); use the console's shortcuts, the control API, or log in with X11")
        # XWayland: pynput sees only keys typed into X11 windows (OBS usually is one); say so.
        log.warning("Wayland session: global hotkeys only fire while an X11 (XWayland) window has focus")
    if not env.get("DISPLAY"):
        return "global hotkeys need an X11 display (DISPLAY is not set)"
    return None


class GlobalHotkeys:
    """`bindings`: pynput hotkey ('<ctrl>+<alt>+i') → action name; `on_action(action)` is called on
    pynput's listener thread — hand it to the core loop (`call_soon_threadsafe`), do no work there."""

    def __init__(self, bindings: dict[str, str], on_action: Callable[[str], None]) -> None:
        for combo, action in bindings.items():
            check_hotkey(combo)
            check_action(action)
        self.bindings = dict(bindings)
        self.on_action = on_action
        self._listener = None

    def start(self) -> None:
        problem = platform_problem()
        if problem:
            raise HotkeysUnavailable(problem)
        try:
            from pynput import keyboard
        except ImportError as exc:  # pynput raises ImportError for a missing/refused display
            raise HotkeysUnavailable(f"global hotkeys unavailable: {str(exc).splitlines()[0]}") from exc
        handlers = {combo: self._fire(action) for combo, action in self.bindings.items()}
        try:
            self._listener = keyboard.GlobalHotKeys(handlers)
            self._listener.start()
            self._listener.wait()  # until the OS hook is installed (X RECORD, Win32 hook, macOS tap)
        except Exception as exc:  # noqa: BLE001 - e.g. X server without RECORD, macOS permission
            self._listener = None
            raise HotkeysUnavailable(f"global hotkeys unavailable: {exc}") from exc
        if not self._listener.is_alive():
            self._listener = None
            raise HotkeysUnavailable("global hotkeys unavailable: the key listener stopped at once "
                                     "(X server without the RECORD extension, or no input permission)")

    def _fire(self, action: str) -> Callable[[], None]:
        def fire() -> None:
            try:
                self.on_action(action)
            except Exception:  # noqa: BLE001 - a raising callback would kill pynput's thread
                log.exception("hotkey action %s failed", action)
        return fire

    def stop(self) -> None:
        if self._listener is not None:
            self._listener.stop()
            self._listener = None

    @property
    def running(self) -> bool:
        return self._listener is not None and self._listener.is_alive()
