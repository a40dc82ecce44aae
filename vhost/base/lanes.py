"""Two lanes of events: control events jump the queue and are never dropped; data events are
ordered, bounded (backpressure) and can be dropped wholesale when an interruption arrives.

This is the shape pipecat uses for system vs data frames, reduced to one small queue type.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

CONTROL = "control"
DATA = "data"


class TwoLaneQueue(Generic[T]):
    def __init__(self, data_maxsize: int = 64) -> None:
        if data_maxsize < 1:
            raise ValueError("data_maxsize must be >= 1")
        self._control: deque[T] = deque()
        self._data: deque[T] = deque()
        self._maxsize = data_maxsize
        self._readable = asyncio.Event()
        self._writable = asyncio.Event()
        self._writable.set()

    def put_control(self, event: T) -> None:
        """Never blocks, never drops: control events are rare and must all be seen."""
        self._control.append(event)
        self._readable.set()

    async def put_data(self, event: T) -> None:
        """Waits while the data lane is full, so a fast producer cannot run away."""
        while len(self._data) >= self._maxsize:
            self._writable.clear()
            await self._writable.wait()
        self._data.append(event)
        self._readable.set()

    def put_data_nowait(self, event: T) -> bool:
        if len(self._data) >= self._maxsize:
            return False
        self._data.append(event)
        self._readable.set()
        return True

    async def get(self) -> tuple[str, T]:
        """Next event, control lane first."""
        while True:
            if self._control:
                return CONTROL, self._control.popleft()
            if self._data:
                item = self._data.popleft()
                self._writable.set()
                return DATA, item
            self._readable.clear()
            await self._readable.wait()

    def drop_data(self, predicate: Callable[[T], bool] | None = None) -> list[T]:
        """Remove queued data events (all, or those matching) and return them, so the caller
        can record what was dropped instead of losing it silently."""
        kept: deque[T] = deque()
        dropped: list[T] = []
        for item in self._data:
            (dropped if predicate is None or predicate(item) else kept).append(item)
        self._data = kept
        self._writable.set()
        return dropped

    @property
    def data_len(self) -> int:
        return len(self._data)

    @property
    def control_len(self) -> int:
        return len(self._control)
