"""Lines the host is likely to say, synthesized before anyone asks.

A facts-first answer is a short lead ("小鹿，", "Tom: ") around a catalog fact, so the words of most
answers are known as soon as a product is on screen. On a CPU the Mandarin voice needs about 2 s
before a fact's first audio (Kokoro int8, RTF ~0.7); synthesized ahead of time, an answer only waits
for its lead, and the fact plays from memory while the rest is synthesized.

`PhraseCache` is a `TTSClient` in front of the voice:
- `synthesize(text, lang)` plays a kept line from memory and otherwise asks the voice;
- `fragments(line, lang)` cuts a line around the kept phrases inside it, longest first (at clause
  boundaries only), so "小鹿，" + <kept fact> + <notice> is three fragments and the middle one costs
  nothing;
- `warm(lines, spare)` replaces the lines to prepare; they are synthesized one at a time by a second
  voice (`warm_tts`, a worker at the lowest CPU priority, so the live voice and the stage never wait
  for it), or, without one, by the live voice while the speaker is idle; then `spare` (the products
  not on screen) while the kept audio is under SPARE_SHARE of the bound, so it never evicts them.

With a `store` (vhost.speech.phrase_store), every prepared line is also written to disk, and a
later show with the same voice (a restart, the next broadcast of the catalog) reads it back
instead of synthesizing it again (the store's folder is the voice's identity; a line whose engine
or voice differs from what this show's voice spoke is not played).

What is kept is bounded by seconds of audio (15 minutes, 16-bit: about 45 MB; least recently used
first out). A line a fallback voice
spoke (`chunk.warning`) is never kept: the chosen voice may be back for the next one.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections import OrderedDict, deque
from collections.abc import Callable

import numpy as np

from vhost.base.audio_types import AudioChunk
from vhost.base.workers import WorkerCrashed, WorkerError
from vhost.brain.clients import TTSClient
from vhost.speech.phrase_store import PhraseStore
from vhost.voice.cleaning import clean_for_speech
from vhost.voice.splitter import SentenceSplitter

log = logging.getLogger(__name__)

# Where a kept phrase may start or end inside a line: a lead ends with one of these ("Tom: ",
# "小鹿，", "好的小鹿，") and a notice follows a sentence end.
_BOUNDARY = " \t\n,;:!?.—–-，、；：！？。…（）()"
MIN_CHARS = 4  # shorter phrases are cheap to synthesize and match too much
MAX_CHARS = 160  # a longer line is not one fragment anyway
COST_SAMPLES = 20  # syntheses remembered per language to estimate the next one's time
# How long the opening of a line may take to synthesize when what follows is ready to play (Kokoro
# on a CPU: ~0.8 s for "小鹿，"; Piper: ~0.05 s); longer, and the line is worth reordering.
QUICK_START_S = 0.3
# Spare lines (the products not on screen) are prepared only while the kept audio stays under this
# share of max_audio_s: they never push out what is on screen.
SPARE_SHARE = 0.8


def _key(text: str) -> str:
    """What a line sounds like: "小鹿：" and "小鹿，" (or "Tom:" and "Tom,") are said alike."""
    return _same_sound(clean_for_speech(text))


def _same_sound(text: str) -> str:  # one character for one: positions stay where they were
    return text.replace("：", "，").replace(":", ",")


def _split(text: str) -> list[str]:
    splitter = SentenceSplitter(first_fragment_words=4)
    return splitter.push(text) + splitter.flush()


class PhraseCache:
    def __init__(self, tts: TTSClient, *, warm_tts: TTSClient | None = None, max_audio_s: float = 900.0,
                 is_busy: Callable[[], bool] | None = None, idle_s: float = 1.0,
                 store: PhraseStore | None = None) -> None:
        self.tts = tts
        self.store = store  # lines prepared by an earlier show with this voice (vhost.speech.phrase_store)
        # (engine, voice) that spoke each language here: a stored line must have been spoken alike
        self._voice_of: dict[str, tuple[str, str]] = {}
        self.warm_tts = warm_tts
        self.max_audio_s = max_audio_s
        self.is_busy = is_busy or (lambda: False)
        self.idle_s = idle_s
        self._kept: OrderedDict[tuple[str, str], AudioChunk] = OrderedDict()
        self._kept_s = 0.0
        self._pending: deque[tuple[str, str]] = deque()
        self._spare: deque[tuple[str, str]] = deque()
        self._task: asyncio.Task | None = None
        self._in_flight = 0
        self._making = False
        self._first: set[tuple[str, str]] = set()
        self.hits = 0
        self.misses = 0
        self.warmed = 0
        # (characters, seconds) of recent syntheses per language, as measured on this machine
        self._cost: dict[str, deque[tuple[int, float]]] = {}

    # --- the TTSClient --------------------------------------------------------------------
    async def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        key = (lang or "", _key(text))
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            self.hits += 1
            return dataclasses.replace(kept, pcm=kept.pcm.astype(np.float32) / 32767.0, cached=True)
        self.misses += 1
        self._in_flight += 1
        t0 = asyncio.get_running_loop().time()
        try:
            chunk = await self.tts.synthesize(text, lang)
        finally:
            self._in_flight -= 1
        self._measured(lang or "", text, asyncio.get_running_loop().time() - t0)
        self._saw(lang or "", chunk)
        return chunk

    def _saw(self, lang: str, chunk: AudioChunk) -> None:
        """The chosen voice spoke `lang` (a fallback's line says nothing: it may be back): a line
        kept from another voice in that language (read from the store) is forgotten, not played."""
        who = (chunk.engine, chunk.voice)
        if chunk.warning or self._voice_of.get(lang) == who:
            return
        self._voice_of[lang] = who
        for key in [k for k, c in self._kept.items() if k[0] == lang and (c.engine, c.voice) != who]:
            self._kept_s -= self._kept.pop(key).duration

    def _measured(self, lang: str, text: str, seconds: float) -> None:
        chars = len(_key(text).strip())
        if chars:
            self._cost.setdefault(lang, deque(maxlen=COST_SAMPLES)).append((chars, seconds))

    def expected_s(self, text: str, lang: str | None) -> float | None:
        """About how long the voice takes to synthesize `text` (0 when kept; None: not measured
        yet in this language): a line through the recent syntheses' (characters, seconds), so a
        voice with a fixed cost per call (Kokoro: ~0.6 s on a CPU) is not taken for a fast one."""
        if self.has(lang or "", text):
            return 0.0
        samples = self._cost.get(lang or "")
        if not samples:
            return None
        chars = len(_key(text).strip())
        xs = np.array([c for c, _ in samples], dtype=float)
        ys = np.array([s for _, s in samples], dtype=float)
        if np.ptp(xs) == 0:
            return float(np.median(ys / xs)) * chars
        slope, base = np.polyfit(xs, ys, 1)
        return max(0.0, float(base + max(0.0, slope) * chars))

    def slow_start(self, line: str, lang: str | None) -> bool:
        """`line` would wait longer than QUICK_START_S for its opening while the fragment after it
        is prepared (a new viewer's name before a kept fact): worth saying in another order. Also
        while this voice has not been timed in that language yet (the lines came from the store):
        the prepared part goes first rather than risk a slow opening."""
        frags = self.fragments(line, lang)
        if len(frags) < 2 or self.expected_s(frags[1], lang) != 0.0:
            return False
        cost = self.expected_s(frags[0], lang)
        return cost is None or cost > QUICK_START_S

    # --- cutting a line around what is kept ------------------------------------------------
    def fragments(self, line: str, lang: str | None) -> list[str]:
        """`line` in speakable fragments, each kept phrase inside it a fragment of its own (the
        longest first, then the same in what is left before and after it: "小鹿，" + "这个我不能
        乱说哦。" + "可以告诉你的是：" + the fact all play from memory, back to back)."""
        found = self._longest_inside(line, lang or "")
        if found is None:
            return _split(line)
        start, end = found
        head, phrase, tail = line[:start], line[start:end], line[end:]
        return (self.fragments(head, lang) if head.strip() else []) + [phrase] + \
            (self.fragments(tail, lang) if tail.strip() else [])

    def _longest_inside(self, line: str, lang: str) -> tuple[int, int] | None:
        best: tuple[int, int] | None = None
        line = _same_sound(line)
        for (kept_lang, phrase) in self._kept:
            if kept_lang != lang or (best is not None and len(phrase) <= best[1] - best[0]):
                continue
            start = line.find(phrase)
            while start >= 0:
                end = start + len(phrase)
                before_ok = start == 0 or line[start - 1] in _BOUNDARY
                after_ok = end == len(line) or line[end] in _BOUNDARY or phrase[-1] in _BOUNDARY
                if before_ok and after_ok:
                    best = (start, end)
                    break
                start = line.find(phrase, start + 1)
        return best

    # --- preparing ahead --------------------------------------------------------------------
    def warm(self, lines: list[tuple[str, str]], spare: list[tuple[str, str]] | None = None) -> None:
        """Prepare these (lang, line) pairs, in this order, instead of whatever is still pending
        (a new product's facts replace the old one's; names asked for by `warm_first` stay)."""
        first = [item for item in self._pending if item in self._first]
        self._pending = deque(dict.fromkeys(first + self._wanted(lines, MIN_CHARS)))
        # then, while there is room, `spare` (the other products: a switch finds them ready)
        self._spare = deque(dict.fromkeys(k for k in self._wanted(spare or [], MIN_CHARS) if k not in self._pending))
        self._start()

    def warm_first(self, lines: list[tuple[str, str]]) -> None:
        """Prepare these before anything else (a viewer's name as an answer opens with it: short,
        and said again whenever they ask)."""
        wanted = self._wanted(lines, 1)
        self._first.update(wanted)
        self._pending = deque(dict.fromkeys(wanted + list(self._pending)))
        self._start()

    def _wanted(self, lines: list[tuple[str, str]], min_chars: int) -> list[tuple[str, str]]:
        keys = [(lang, _key(line)) for lang, line in lines]
        return [k for k in keys if min_chars <= len(k[1]) <= MAX_CHARS and k not in self._kept]

    def _start(self) -> None:
        if (self._pending or self._spare) and (self._task is None or self._task.done()):
            self._task = asyncio.create_task(self._warm_loop(), name="phrase-warm")

    def _room(self) -> bool:
        return self._kept_s < self.max_audio_s * SPARE_SHARE

    async def _warm_loop(self) -> None:
        while self._pending or (self._spare and self._room()):
            if not self._pending:
                self._pending.append(self._spare.popleft())
            lang, text = self._pending[0]
            if await self._from_store(lang, text):
                continue
            if self.warm_tts is None:
                await self._until_idle()
            if not self._pending or self._pending[0] != (lang, text):
                continue  # replaced while waiting
            self._pending.popleft()
            self._first.discard((lang, text))
            if (lang, text) in self._kept:
                continue
            self._making = True
            t0 = asyncio.get_running_loop().time()
            try:
                chunk = await (self.warm_tts or self.tts).synthesize(text, lang)
            except (WorkerCrashed, WorkerError) as exc:
                log.info("phrase not prepared (%s): %r", exc, text)
                continue
            finally:
                self._making = False
            self._measured(lang, text, asyncio.get_running_loop().time() - t0)
            self._saw(lang, chunk)
            if not chunk.warning:
                self._keep((lang, text), chunk)
                self.warmed += 1
                if self.store is not None:
                    self.store.save(lang, text, self._kept[(lang, text)])

    async def _from_store(self, lang: str, text: str) -> bool:
        """The pending line at the front kept from the store, without synthesizing it, unless this
        show's voice has spoken `lang` in another engine or voice than the stored line's. Read on
        the loop (a file of 20-200 KB: about a millisecond), one line per turn of the loop."""
        if self.store is None or (lang, text) in self._kept:
            return False
        await asyncio.sleep(0)
        if not self._pending or self._pending[0] != (lang, text):
            return True  # replaced meanwhile: the loop looks again
        chunk = self.store.load(lang, text)
        if chunk is None or self._voice_of.get(lang, (chunk.engine, chunk.voice)) != (chunk.engine, chunk.voice):
            return False
        self._pending.popleft()
        self._first.discard((lang, text))
        self._keep((lang, text), chunk)
        self.warmed += 1
        return True

    async def _until_idle(self) -> None:
        """The live voice has nothing to do (no synthesis in flight, no line queued) for idle_s."""
        while True:
            if self._in_flight == 0 and not self.is_busy():
                await asyncio.sleep(self.idle_s)
                if self._in_flight == 0 and not self.is_busy():
                    return
            else:
                await asyncio.sleep(self.idle_s / 4)

    def _keep(self, key: tuple[str, str], chunk: AudioChunk) -> None:
        old = self._kept.pop(key, None)
        if old is not None:
            self._kept_s -= old.duration
        # kept as 16-bit PCM: half the memory, nothing audible lost
        pcm16 = chunk.pcm if chunk.pcm.dtype == np.int16 else (np.clip(chunk.pcm, -1.0, 1.0) * 32767.0).astype(np.int16)
        self._kept[key] = dataclasses.replace(chunk, pcm=pcm16)
        self._kept_s += chunk.duration
        while self._kept_s > self.max_audio_s and len(self._kept) > 1:
            _, dropped = self._kept.popitem(last=False)
            self._kept_s -= dropped.duration

    def has(self, lang: str, text: str) -> bool:
        return (lang, _key(text)) in self._kept

    @property
    def kept_s(self) -> float:
        """Seconds of audio kept."""
        return self._kept_s

    def pending(self) -> int:
        """Lines still to prepare, the one being made included."""
        return len(self._pending) + self._making + (len(self._spare) if self._room() else 0)

    def clear(self) -> None:
        """Forget everything (the voice changed)."""
        self._kept.clear()
        self._kept_s = 0.0

    def close(self) -> None:
        self._pending.clear()
        self._spare.clear()
        if self._task is not None:
            self._task.cancel()
