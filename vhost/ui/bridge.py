"""The one bridge between Qt and the core: commands go to the core loop with call_soon_threadsafe,
events come back as a Qt signal (queued across threads, so slots run on the GUI thread)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from vhost.core.commands import Command
from vhost.core.runtime import CoreThread


class CoreBridge(QObject):
    event = Signal(str, object)  # (kind, data) — emitted from any thread

    def __init__(self, core: CoreThread) -> None:
        super().__init__()
        self.core = core
        self.show = None  # set once the show is built (models loaded)
        self.pending: list[Command] = []  # commands typed before the show was ready: kept, not lost

    def publish(self, kind: str, data: dict) -> None:
        self.event.emit(kind, data)

    def attach(self, show) -> None:
        self.show = show
        for command in self.pending:
            self.core.call_soon(show.control, command)
        self.pending.clear()

    def send(self, command: Command) -> None:
        if self.show is None:
            self.pending.append(command)
            self.publish("info", {"text": f"{type(command).__name__} queued until the show is ready"})
            return
        self.core.call_soon(self.show.control, command)
