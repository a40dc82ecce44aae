"""The one bridge between Qt and the core: commands go to the core loop with call_soon_threadsafe,
events come back as a Qt signal (queued across threads, so slots run on the GUI thread).

Every console surface (buttons, shortcuts, the drafts queue) calls `send`; none of them touches
the show directly, so the GUI thread never waits on the core.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from vhost.base.commands import Command
from vhost.base.events import Event
from vhost.base.runtime import CoreThread

Dispatch = Callable[[Command], None]


class CoreBridge(QObject):
    event = Signal(str, object)  # (kind, data) — emitted on the GUI thread
    _wake = Signal()

    def __init__(self, core: CoreThread | None = None, dispatch: Dispatch | None = None) -> None:
        """`core`: the show's loop thread (commands wait in `pending` until `attach`).
        `dispatch`: deliver commands to this callable instead, on the caller's thread (a recorder in
        tests, or a surface with no show behind it)."""
        super().__init__()
        self.core = core
        self.show = None  # set once the show is built (models loaded)
        self.pending: list[Command] = []  # commands typed before the show was ready: kept, not lost
        self._dispatch = dispatch
        # Events from the core thread wait here and cross to the GUI thread in one queued call
        # per burst, not one per event: a 2,000 msgs/s chat burst (a "chat" and a "triage" event
        # each) would otherwise post thousands of Qt events a second into the stage's thread.
        self._gui_thread = threading.get_ident()  # built on the GUI thread
        self._backlog: deque[tuple[str, dict]] = deque()
        self._lock = threading.Lock()
        self.wakes = 0  # queued crossings so far (how well bursts coalesce)
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def publish(self, ev: Event) -> None:
        """Deliver a show event to `event` (as its kind and payload) on the GUI thread; callable
        from any thread."""
        self.deliver(ev.kind, ev.data())

    def deliver(self, kind: str, data: dict) -> None:
        """The same for a (kind, payload) pair already taken apart."""
        if threading.get_ident() == self._gui_thread:
            self.event.emit(kind, data)  # already on the GUI thread: at once, in order
            return
        with self._lock:
            self._backlog.append((kind, data))
            wake = len(self._backlog) == 1  # the first of a burst schedules the drain
        if wake:
            self._wake.emit()

    def _drain(self) -> None:
        with self._lock:
            batch, self._backlog = self._backlog, deque()
            self.wakes += 1
        for kind, data in batch:
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
            self.deliver("info", {"text": f"{type(command).__name__} queued until the show is ready"})
            return
        self._dispatch(command)
