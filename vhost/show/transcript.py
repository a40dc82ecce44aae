"""What was heard: every finished utterance, the reply records for the report, and the viewers'
memory (which keeps what a viewer heard, not the draft)."""

from __future__ import annotations

from collections.abc import Callable

from vhost.base.events import ReplyHeard, Spoken
from vhost.brain.host import ShowBrain
from vhost.chat.events import ChatMessage
from vhost.show.ports import EventSink
from vhost.speech.handle import SpeechHandle
from vhost.speech.replier import ReplyTrace


def last_audio_at(handle: SpeechHandle) -> float | None:
    """When the handle's last sample was heard, on the sink clock (None if nothing was)."""
    return next((pb.end for pb in reversed(handle.playbacks) if pb.end is not None), None)


def reply_record(trace: ReplyTrace, handle: SpeechHandle) -> dict:
    """The finished reply as the report, the console and the session record see it."""
    first = handle.first_audio_at
    return {
        "chat_id": trace.chat_id, "user": trace.user, "chat_text": trace.chat_text, "lang": trace.lang,
        "reply_text": trace.said, "fallback": trace.fallback is not None,
        "draft_text": trace.reply_text.strip(), "heard_text": handle.heard_text,
        "received_at": trace.received_at, "picked_at": trace.picked_at,
        "first_token_at": trace.first_token_at, "first_fragment_at": trace.first_fragment_at,
        "first_audio_ready_at": trace.first_audio_ready_at, "first_audio_at": first,
        "last_audio_at": last_audio_at(handle),
        "latency_s": (first - trace.received_at) if first is not None else None,
        "grounded": trace.grounded, "held_back": trace.dropped_fragments, "mismatches": trace.mismatches,
        "interrupted": handle.interrupted, "error": trace.error, "llm": trace.llm_stats,
        "tts_first_s": trace.tts_first_s,
        "draft_id": handle.meta.get("draft_id") or handle.meta.get("held_draft"),
        "corrections": trace.corrections, "compliance": trace.compliance_reasons,
        "emotion": trace.emotion, "path": trace.path,
        # which voice really spoke it (a Mandarin reply should say "kokoro", not a fallback)
        "voice_engines": sorted({getattr(pb.chunk, "engine", "") or "?" for pb in handle.playbacks}),
    }


MAX_KEPT = 5000  # ~5 h of a busy chat


def _trim(records: list[dict]) -> None:
    if len(records) > MAX_KEPT + MAX_KEPT // 10:  # trimmed in steps, not on every line
        del records[:-MAX_KEPT]


class Transcript:
    def __init__(self, brain: ShowBrain, emit: EventSink, clock: Callable[[], float]) -> None:
        self.brain = brain
        self.emit = emit
        self.clock = clock
        # The latest finished replies and lines heard, for a headless report and the benches (the
        # session record keeps every one): bounded, so a show that runs for days stays flat.
        self.replies: list[dict] = []
        self.spoken: list[dict] = []
        self.replies_total = 0
        self.spoken_total = 0

    def finished(self, handle: SpeechHandle) -> None:
        trace: ReplyTrace | None = handle.meta.get("trace")
        chat: ChatMessage | None = handle.meta.get("chat")
        record = {"source": handle.source, "heard_text": handle.heard_text, "interrupted": handle.interrupted,
                  "first_audio_at": handle.first_audio_at, "last_audio_at": last_audio_at(handle)}
        if "segment" in handle.meta:
            seg = handle.meta["segment"]
            record.update(segment=seg.kind, variant=seg.variant or None, template=seg.template or None)
        self.spoken.append(record)
        self.spoken_total += 1
        _trim(self.spoken)
        if trace is not None and chat is not None and trace.path not in ("greeting", "guard"):
            self.brain.heard(trace.user, trace.chat_text, handle.heard_text,
                             handle.meta.get("about_id") or trace.about_id, chat.user_id, self.clock())
        if trace is not None and handle.source == "reply":
            rep = reply_record(trace, handle)
            self.replies.append(rep)
            self.replies_total += 1
            _trim(self.replies)
            self.emit(ReplyHeard(**rep))
        else:
            self.emit(Spoken(**record))
