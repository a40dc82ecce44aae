"""Garbage cycles, Qt objects among them, are collected on the GUI thread while the windows are up,
never on the thread that happened to allocate (the show's core thread), where deleting a Qt
object crashes the app."""

from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject

from vhost.ui.collector import GuiThreadCollector


class _Cycle:
    freed_on: list[str] = []

    def __init__(self) -> None:
        self.me = self
        self.qobject = QObject()  # a Qt object in the garbage, as a closed dialog's wrapper is

    def __del__(self) -> None:
        _Cycle.freed_on.append(threading.current_thread().name)


def test_cycles_made_on_another_thread_are_freed_on_the_gui_thread(qtbot) -> None:  # noqa: ANN001
    collector = GuiThreadCollector(interval_ms=10)
    collector.start()
    try:
        assert not gc.isenabled()
        _Cycle.freed_on.clear()

        kept: list[list[int]] = []

        def churn() -> None:  # the core thread: makes a cycle, then allocates far past any threshold
            _Cycle()
            kept.extend([i] for i in range(20_000))

        worker = threading.Thread(target=churn, name="core")
        worker.start()
        worker.join()
        assert _Cycle.freed_on == []  # nothing collected it on the core thread
        qtbot.waitUntil(lambda: _Cycle.freed_on != [], timeout=3000)
        assert _Cycle.freed_on == [threading.main_thread().name]
        assert sum(collector.collections) >= 1
    finally:
        collector.stop()
    assert gc.isenabled()
