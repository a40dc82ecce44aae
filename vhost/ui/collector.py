"""Python's cyclic garbage collector, run on the GUI thread only.

Left to itself, CPython collects cycles on whichever thread happens to allocate past a threshold.
In the app that is usually the show's core thread, which allocates all the time. A cycle that holds
a Qt object (a closed dialog, a widget a lambda connection keeps, a bridge) is then deleted off the
thread that owns it, and Qt crashes the GUI thread with a segmentation fault, minutes into a
show, far from the cause. The test suite met exactly this (session 42: a console test's widgets
freed on a later test's core thread).

So while the windows are up, automatic collection is off and a timer on the GUI thread collects
each generation when its count passes the interpreter's own threshold: the same amount of
collecting as before, on the one thread where deleting a Qt object is safe. (pyqtgraph ships the
same idea as `GarbageCollector`; it is a few lines, and importing pyqtgraph for it would be a
plotting library in the stage's process.)
"""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QObject, QTimer

log = logging.getLogger(__name__)


class GuiThreadCollector(QObject):
    """Create and `start()` on the GUI thread; `stop()` gives collection back to Python."""

    def __init__(self, interval_ms: int = 100, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.check)
        self._was_enabled = gc.isenabled()
        self.collections = [0, 0, 0]  # per generation, for tests and the curious

    def start(self) -> GuiThreadCollector:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()
        return self

    def stop(self) -> None:
        self._timer.stop()
        log.info("garbage collected on the GUI thread: %s (generations 0, 1, 2)", self.collections)
        if self._was_enabled:
            gc.enable()

    def check(self) -> None:
        """Collect the oldest generation whose count passed its threshold (younger ones with it),
        as the interpreter would have done, but here."""
        counts, limits = gc.get_count(), gc.get_threshold()
        for gen in (2, 1, 0):
            if limits[gen] and counts[gen] > limits[gen]:
                gc.collect(gen)
                self.collections[gen] += 1
                return
