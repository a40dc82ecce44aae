"""What the show needs from the outside, as interfaces: the stage it cues and where its events go.

The show imports no surface: the app hands it a stage (vhost.stage.live.LiveStage in the desktop
and headless apps) that has these methods, and an event sink.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from vhost.audio.playback import Playback
from vhost.base.events import Event

EventSink = Callable[[Event], None]

log = logging.getLogger(__name__)


class Broadcast:
    """Every event to every listener (console bridge, control surface, report, a test's log); a
    failing listener is logged and skipped, never allowed to break the show's loop."""

    def __init__(self, *sinks: EventSink) -> None:
        self._sinks = [s for s in sinks if s is not None]

    def add(self, sink: EventSink) -> None:
        self._sinks.append(sink)

    def __call__(self, event: Event) -> None:
        for sink in self._sinks:
            try:
                sink(event)
            except Exception:  # noqa: BLE001
                log.exception("event listener failed on %s", event.kind)


class StagePort(Protocol):
    def add_playback(self, pb: Playback, question: tuple[str, str] | None = None) -> None: ...

    def set_product(self, product, now: float, offer_s: float | None = None) -> None: ...  # noqa: ANN001

    def set_emotion(self, emotion: str) -> None: ...

    def set_pitching(self, pitching: bool | None) -> None: ...

    def set_stock(self, units: int) -> None: ...
