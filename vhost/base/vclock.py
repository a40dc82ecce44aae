"""An asyncio event loop on virtual time: whenever nothing is ready to run and no I/O is pending,
the clock jumps to the next timer instead of sleeping. A show driven by `vhost.audio.sinks.LoopSink`
on this loop keeps its exact timing (every sleep, timeout and audio block lands where it would in
real time) while a minute of show passes in milliseconds. The show's tests run on it; a bench can.

Written here rather than taken from `looptime` (the fast-forward loop on PyPI): its pytest plugin
patches every test's fixtures and fails on parametrized tests without pytest-asyncio, and the whole
mechanism is this one selector.

Not for code that waits on other threads or processes to do timed work (a worker, an executor): the
clock would run ahead of them. Real I/O that is already ready is still served first.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class _FastForwardSelector(selectors.BaseSelector):
    def __init__(self, loop_time: list[float]) -> None:
        self._real = selectors.DefaultSelector()
        self._time = loop_time

    def select(self, timeout: float | None = None):  # noqa: ANN201 - selectors' own return type
        ready = self._real.select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:  # no timer at all: only another thread can wake the loop
            return self._real.select(None)
        self._time[0] += timeout
        return []

    def register(self, fileobj, events, data=None):  # noqa: ANN001, ANN201
        return self._real.register(fileobj, events, data)

    def unregister(self, fileobj):  # noqa: ANN001, ANN201
        return self._real.unregister(fileobj)

    def modify(self, fileobj, events, data=None):  # noqa: ANN001, ANN201
        return self._real.modify(fileobj, events, data)

    def get_map(self):  # noqa: ANN201
        return self._real.get_map()

    def close(self) -> None:
        self._real.close()


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        self._virtual_now = [0.0]
        super().__init__(selector=_FastForwardSelector(self._virtual_now))

    def time(self) -> float:
        return self._virtual_now[0]


def run_virtual(coro: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run`, on virtual time."""
    with asyncio.Runner(loop_factory=VirtualTimeLoop) as runner:
        return runner.run(coro)
