"""Stage cues from speech: the mouth gets each playback, the face and gaze follow what is said
(pitching the product on screen, a reply's emotion), and the operator hears of a voice that fell
back (once each)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from vhost.audio.playback import Playback
from vhost.base.events import OperatorWarning, ReplySpeaking
from vhost.show.on_air import OnAir
from vhost.show.ports import EventSink, StagePort
from vhost.speech.handle import SpeechHandle

log = logging.getLogger(__name__)


class StageCues:
    def __init__(self, stage: StagePort, on_air: OnAir, emit: EventSink,
                 current: Callable[[], SpeechHandle | None]) -> None:
        self.stage = stage
        self.on_air = on_air
        self.emit = emit
        self.current = current  # what the speaker plays now
        self._voice_warnings: set[str] = set()

    def playback(self, handle: SpeechHandle, pb: Playback) -> None:
        trace = handle.meta.get("trace")
        chat = handle.meta.get("chat")
        self.stage.add_playback(pb, question=(chat.user, chat.text) if chat else None)
        warning = getattr(pb.chunk, "warning", "")
        if warning and warning not in self._voice_warnings:  # e.g. Kokoro failed, espeak stood in
            self._voice_warnings.add(warning)
            self.emit(OperatorWarning(text=warning))
        if len(handle.playbacks) == 1:
            self._starts(handle, trace)
            if trace is not None and handle.source == "reply":
                self.emit(ReplySpeaking(chat_id=trace.chat_id))

    def _starts(self, handle: SpeechHandle, trace) -> None:  # noqa: ANN001 - ReplyTrace | None
        """Face and gaze for an utterance that starts being heard."""
        product = self.on_air.product
        about = handle.meta.get("about_id") or (trace.about_id if trace else "")
        self.stage.set_pitching(True if handle.source == "script" or about == product.id else None)
        if handle.source == "script" and getattr(product, "stock", None) is not None:
            self.stage.set_stock(product.stock)
        if trace is not None and trace.emotion:
            try:
                self.stage.set_emotion(trace.emotion)
            except ValueError:  # a tag the stage does not know: keep the face as it is
                log.warning("unknown emotion %r from a reply", trace.emotion)

    def finished(self, handle: SpeechHandle) -> None:
        if self.current() in (None, handle):
            self.stage.set_pitching(None)
            trace = handle.meta.get("trace")
            if trace is not None and trace.emotion:
                self.stage.set_emotion(self.on_air.emotion)  # back to the operator's choice
