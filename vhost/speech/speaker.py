"""The speaker: the one way anything is said.

`say(text, ...)` speaks a ready line (a typed line, a FAQ answer, a welcome, an approved draft, a
thanks or script line); `open(...)` + `handle.attach(producer)` streams one that is still being
written (the LLM reply). Either way the handle owns its synthesis task: interrupting the handle
(or `flush()`) cancels the task, so a cut line stops holding the voice at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from vhost.audio.playback import Playback
from vhost.audio.sinks import AudioSink
from vhost.base.language import detect_language
from vhost.base.workers import WorkerCrashed, WorkerError
from vhost.brain.clients import TTSClient
from vhost.speech.handle import SpeechHandle
from vhost.speech.phrase_cache import PhraseCache
from vhost.speech.replier import speak_text
from vhost.speech.scheduler import SpeechScheduler
from vhost.voice.splitter import SentenceSplitter

log = logging.getLogger(__name__)

OnError = Callable[[SpeechHandle, Exception], None]


def split_line(text: str) -> list[str]:
    """A ready line in speakable fragments (a short first one, so audio starts early)."""
    splitter = SentenceSplitter(first_fragment_words=4)
    return splitter.push(text) + splitter.flush()


class Speaker:
    def __init__(self, tts: TTSClient, sink: AudioSink, *,
                 on_playback: Callable[[SpeechHandle, Playback], None] | None = None,
                 on_finished: Callable[[SpeechHandle], None] | None = None,
                 hurry: Callable[[], bool] | None = None) -> None:
        self.tts = tts
        self.sink = sink
        # true while viewers wait for a reply: a line is synthesized whole at once, not paced
        # (vhost.speech.pacer), so the next reply is made while this one plays
        self.hurry = hurry
        self.scheduler = SpeechScheduler(sink, on_playback=on_playback, on_finished=on_finished)

    # --- saying -------------------------------------------------------------------------
    def open(self, source: str, priority: int, meta: dict | None = None) -> SpeechHandle:
        """A handle in the queue, waiting for the caller's producer (`handle.attach(...)`)."""
        return self.scheduler.submit(SpeechHandle(source, priority, meta=meta))

    def fragments(self, line: str, lang: str | None = None) -> list[str]:
        """A ready line in fragments; a phrase prepared ahead (vhost.speech.phrase_cache) is
        one fragment of its own, played from memory."""
        if isinstance(self.tts, PhraseCache):
            return self.tts.fragments(line, lang or detect_language(line))
        return split_line(line)

    def parts(self, line: str, lang: str, quoted: str = "") -> tuple[list[str], list[str]]:
        """The line's fragments and the language each is spoken in. `quoted`: the catalog's own
        words in another language at the end of the line ("Here's what the listing says:
        工作时约78分贝…"), read by that language's voice: the English one says "Chinese letter" for
        each Han character (10.5 s for those 15)."""
        qlang = detect_language(quoted) if quoted else lang
        if qlang == lang or not line.endswith(quoted):
            frags = self.fragments(line, lang)
            return frags, [lang] * len(frags)
        head, tail = self.fragments(line[: -len(quoted)], lang), self.fragments(quoted, qlang)
        return head + tail, [lang] * len(head) + [qlang] * len(tail)

    def slow_start(self, line: str, lang: str) -> bool:
        """The line's opening would keep a prepared phrase waiting (vhost.speech.phrase_cache)."""
        return isinstance(self.tts, PhraseCache) and self.tts.slow_start(line, lang)

    def say(self, text: str, *, source: str, priority: int, lang: str | None = None, meta: dict | None = None,
            fragments: list[str] | None = None, on_error: OnError | None = None,
            on_synthesized: Callable[[SpeechHandle], None] | None = None,
            langs: list[str] | None = None) -> SpeechHandle:
        """Queue `text` and synthesize it fragment by fragment, paced by what is still unheard.
        A failing voice ends the handle with its error and calls `on_error(handle, exc)`;
        `on_synthesized(handle)` is called once every fragment is synthesized."""
        handle = self.open(source, priority, {"text": text, **(meta or {})})
        frags = fragments if fragments is not None else self.fragments(text, lang)
        handle.attach(self._voice(frags, lang or detect_language(text), handle, on_error, on_synthesized, langs))
        return handle

    async def _voice(self, frags: list[str], lang: str, handle: SpeechHandle, on_error: OnError | None,
                     on_synthesized: Callable[[SpeechHandle], None] | None, langs: list[str] | None = None) -> None:
        error = None
        try:
            await speak_text(frags, self.tts, handle, lang, sink=self.sink, langs=langs, hurry=self.hurry)
            if on_synthesized is not None:
                on_synthesized(handle)
        except (WorkerCrashed, WorkerError) as exc:
            error = str(exc)
            log.warning("%s line not spoken: %s", handle.source, exc)
            if on_error is not None:
                on_error(handle, exc)
        finally:
            await handle.end_input(error)

    # --- the queue ------------------------------------------------------------------------
    def flush(self, cut_by: str = "") -> list[SpeechHandle]:
        """Silence now: what plays and everything waiting is cut, their producers cancelled
        (`cut_by` is noted in each handle's meta: "say_now" puts an unheard reply back in line)."""
        return self.scheduler.flush(cut_by)

    @property
    def current(self) -> SpeechHandle | None:
        return self.scheduler.current

    @property
    def waiting(self) -> list[SpeechHandle]:
        return self.scheduler.waiting

    @property
    def busy(self) -> bool:
        return self.scheduler.busy

    async def run(self) -> None:
        await self.scheduler.run()

    def close(self) -> None:
        """Shutdown: stop every producer still synthesizing (no records: nothing was cut)."""
        handles = ([self.scheduler.current] if self.scheduler.current else []) + self.scheduler.waiting
        for h in handles:
            if h.task is not None:
                h.task.cancel()
