"""The one bridge between Qt and the core: commands go to the core loop with call_soon_threadsafe,
events come back as a Qt signal (queued across threads, so slots run on the GUI thread).

Every console surface (buttons, shortcuts, the drafts queue) calls `send`; none of them touches
the show directly, so the GUI thread never waits on the core.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from vhost.core.commands import Command
from vhost.core.runtime import CoreThread

Dispatch = Callable[[Command], None]


class CoreBridge(QObject):
    event = Signal(str, object)  # (kind, data) — emitted from any thread

    def __init__(self, core: CoreThread | None = None, dispatch: Dispatch | None = None) -> None:
        """`core`: the show's loop thread (commands wait in `pending` until `attach`).
        `dispatch`: deliver commands to this callable instead, on the caller's thread (a recorder in
        tests, or a surface with no show behind it)."""
        super().__init__()
        self.core = core
        self.show = None  # set once the show is built (models loaded)
        self.pending: list[Command] = []  # commands typed before the show was ready: kept, not lost
        self._dispatch = dispatch

    def publish(self, kind: str, data: dict) -> None:
        self.event.emit(kind, data)

    def attach(self, show) -> None:
        self.show = show
        if self.core is not None:
            core = self.core
            self._dispatch = lambda command: core.call_soon(show.control, command)
        else:  # no loop thread: the caller runs on the show's loop already
            self._dispatch = show.control
        for command in self.pending:
            self._dispatch(command)
        self.pending.clear()

    def send(self, command: Command) -> None:
        if self._dispatch is None:
            self.pending.append(command)
            self.publish("info", {"text": f"{type(command).__name__} queued until the show is ready"})
            return
        self._dispatch(command)
