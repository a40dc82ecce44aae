"""One reply, from a viewer's message to audio in a speech handle.

LLM tokens stream into the sentence splitter; each fragment is checked against the catalog, then
synthesized while the LLM keeps writing, and pushed into the handle, which starts playing as soon
as the first (short) fragment is ready. Cancelling the task stops the LLM and the voice at once.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from vhost.base.audio_types import AudioChunk
from vhost.base.language import count_words
from vhost.brain.clients import LLMClient, TTSClient
from vhost.brain.compliance import check_compliance
from vhost.brain.emotion import emotion_of
from vhost.brain.guard import check_fragment
from vhost.speech.handle import SpeechHandle
from vhost.speech.pacer import LookaheadPacer, buffered_audio_s
from vhost.voice.splitter import SENTENCE_END, SentenceSplitter

log = logging.getLogger(__name__)

FALLBACK_LINE = {"en": "Good question, let me double-check that for you.", "zh": "好问题，我帮你确认一下。"}
MAX_SENTENCES = 2  # the persona speaks one or two sentences; the LLM is stopped after that
# A second sentence only after a short first one ("Great question! ..."): one full sentence (8+
# words, 16+ 汉字) is the reply, so a line of small talk never becomes the queue for later askers.
ONE_SENTENCE_WORDS = 8


def refusal_line(product, lang: str) -> str:
    """Said when a draft broke a rule ("the best in the world?", "can I swim with them?"): no
    promise, then a true catalog fact instead of silence."""
    p = product.localized(lang) if product is not None else None
    # A point that is itself risky (a health-adjacent "flicker-free") would undo the refusal.
    point = next((sp.rstrip("。.") for sp in (p.selling_points if p else [])
                  if check_compliance(sp, lang, product).ok), "")
    if lang == "zh":
        return f"这个我可不能乱说哦，不过可以告诉你：{point}。" if point else "这个我可不能乱说哦！"
    if point:
        return f"I can't promise that, but here's what I can tell you: {point[:1].lower() + point[1:]}."
    return "I can't promise that one!"


def welcome_line(user: str, lang: str) -> str:
    # Short on purpose: a long welcome delays the answer to the next real question.
    if lang == "zh":
        return f"欢迎{user}来到直播间！"
    return f"Hi {user}, welcome in!"


_VOCATIVE = re.compile(r"^([A-Z][A-Za-z0-9_-]{1,20})\s*(?:[:：,，]|\s[—–-])\s*")
_NOT_NAMES = frozenset("yes yeah yep sure okay ok hi hello hey thanks thank well oh wow great nice so and but "
                       "absolutely definitely honestly perfect awesome good alright right no nope sorry".split())


_QUESTION_MARK = re.compile(r"[?？]")
# "Hello, Max! I'm Max, the host": a greeting addressed to a name that is not the asker's (the
# persona's own, one from the chat, one made up). Only a name between a greeting and punctuation.
_GREETED = re.compile(r"^((?i:hi|hello|hey|welcome(?: back)?|thanks|thank you)),?\s+"
                      r"([A-Z][A-Za-z0-9_-]{1,20})(?=\s*[!,.:;?])")
_GROUPS = frozenset("everyone everybody all there guys folks friends friend fam team chat y'all".split())


def strip_echo(fragment: str, question: str, user: str, others: tuple[str, ...] = ()) -> str:
    """Small models sometimes start by repeating the viewer's name or question, or address a
    viewer of `others` (named in the prompt's history): drop that."""
    text = fragment.strip()
    for name in sorted((o for o in others if o and o != user), key=len, reverse=True):
        m = re.match(rf"{re.escape(name)}\s*(?:[:：,，、!！]|\s[—–-])\s*", text)
        if m:  # "小鱼儿，这个我不确定" to 阿杰: the earlier asker's name, copied from the history
            text = text[m.end():]
            break
    for lead in ("（请用中文回答）", "(请用中文回答)"):  # our own zh lead-in (vhost.brain.prompt)
        if text.startswith(lead):
            text = text[len(lead):].lstrip()
    for label in (f"{user}:", f"{user}：", f"{user} says:", f"{user}说:", f"{user}说："):
        if user and text.startswith(label):
            text = text[len(label):].lstrip()
    q = question.strip()
    if q and text.startswith(q):
        text = text[len(q):].lstrip()
    # "Sure, I'll take two!" to a viewer's "I'll take two!": the host does not speak as the viewer.
    if len(q) >= 6 and q.casefold() in text.casefold() and not _QUESTION_MARK.search(q):
        rest = re.sub(re.escape(q), " ", text, flags=re.IGNORECASE).strip(" ,，。.!！")
        text = rest if len(rest.split()) > 2 or len(rest) > 8 else ""
    # "Jack: You're welcome!" to Anna: a model copies a name from the chat or makes one up; only
    # the asker may be addressed, so another name in front is dropped.
    m = _VOCATIVE.match(text)
    if m and m.group(1) != user and m.group(1).lower() not in _NOT_NAMES:
        text = text[m.end():].lstrip()
        text = text[:1].upper() + text[1:]
    m = _GREETED.match(text)
    if m and m.group(2) != user and m.group(2).lower() not in _GROUPS | _NOT_NAMES:
        text = m.group(1) + (f", {user}" if user else "") + text[m.end():]
    # "the host of a live shopping stream." (bench.pace, session 43): a first fragment opening in
    # lower case with an article goes on from the prompt (the persona's role); it is no line.
    return "" if re.match(r"(?:the|a|an|of|as)\s", text) else text


def _dangling(fragment: str) -> bool:
    """A short tail with no sentence end: the model was stopped mid-sentence."""
    text = fragment.strip()
    if not text or text[-1] in SENTENCE_END:
        return False
    cjk = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    return (cjk < 6) if cjk else len(text.split()) < 4


@dataclass
class ReplyTrace:
    """Timestamps (show clock) and facts about one reply, for the report and the benchmark."""

    chat_id: str
    chat_text: str
    user: str
    lang: str
    received_at: float
    picked_at: float = 0.0
    first_token_at: float | None = None
    first_fragment_at: float | None = None
    first_audio_ready_at: float | None = None
    reply_text: str = ""
    spoken_fragments: list[str] = field(default_factory=list)
    dropped_fragments: list[str] = field(default_factory=list)
    fallback: str | None = None  # said instead, when nothing the model wrote could be said
    mismatches: list[str] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)  # wrong numbers fixed from the catalog
    compliance_reasons: list[str] = field(default_factory=list)  # why fragments were held
    emotion: str | None = None  # from an LLM tag like [happy], else inferred from the words
    path: str = "llm"  # "llm", "faq", "guard" (an injection deflected) or "greeting"
    about_id: str = ""  # the product the reply is about (memory files the exchange under it)
    llm_stats: dict = field(default_factory=dict)
    tts_first_s: float | None = None
    error: str | None = None
    others: tuple[str, ...] = ()  # other viewers the prompt names: never to be addressed here

    @property
    def said(self) -> str:
        """What was sent to the voice (the heard part may be shorter if interrupted)."""
        return " ".join(self.spoken_fragments) or (self.fallback or "")

    @property
    def grounded(self) -> bool:
        return not self.mismatches and bool(self.spoken_fragments)


def offer_fragment(frag: str, trace: ReplyTrace, product, catalog,
                   clock: Callable[[], float]) -> str | None:
    """Check one drafted fragment and record it in `trace`: the text to speak, or None when it
    is empty or held (numbers the catalog does not back, a compliance rule, the wrong language).

    Shared by the live replier and any other drafting path (e.g. a draft desk composing text for
    the operator), so every path applies the same guard.
    """
    first = not trace.spoken_fragments and not trace.dropped_fragments
    if first:
        frag = strip_echo(frag, trace.chat_text, trace.user, trace.others)
        if not frag:
            return None
    if trace.emotion is None:
        emotion, tagged = emotion_of(trace.reply_text)
        if tagged:  # the splitter already dropped the tag from `frag`; read it from the raw text
            trace.emotion = emotion
    # The question goes along only for the first fragment: a later "Yes" is not an answer to it
    # ("No swimming. Yes, sweat is fine.").
    verdict = check_fragment(frag, trace.lang, product, catalog,
                             question=trace.chat_text if first else "", names=(trace.user,),
                             chat_text=trace.chat_text)
    if verdict.held:
        trace.dropped_fragments.append(frag)
        trace.mismatches.extend(verdict.mismatches)
        trace.compliance_reasons.extend(verdict.compliance_reasons)
        log.warning("held back a fragment %r: %s", frag,
                    verdict.mismatches + verdict.compliance_reasons)
        return None
    if not verdict.text or not re.search(r"[\w\u3400-\u9fff]", verdict.text):
        return None  # "。" alone is nothing to say
    trace.corrections.extend(verdict.corrections)
    if trace.first_fragment_at is None:
        trace.first_fragment_at = clock()
    trace.spoken_fragments.append(verdict.text)
    return verdict.text


def make_pacer(sink, handle: SpeechHandle,  # noqa: ANN001 (AudioSink)
               hurry: Callable[[], bool] | None = None) -> LookaheadPacer | None:
    """The look-ahead pacer for one handle: it counts the sink's unheard audio plus the handle's
    chunks not yet handed over. No sink (a text-only caller such as `vhost ask`): no pacing.

    Until the handle starts playing, the sink's audio is another utterance's: only the handle's
    own queued chunks count, so the next reply has its first seconds ready when the one before
    ends (counting the other's audio left a 1-2 s silence between replies in the demo).
    `hurry()` true: no pacing (someone waits for the next reply; vhost.speech.pacer)."""
    if sink is None:
        return None

    def unheard() -> float:
        if handle.playbacks:
            return buffered_audio_s(sink, handle.queued_chunks())
        return sum(c.duration for c in handle.queued_chunks())

    return LookaheadPacer(unheard, hurry=hurry)


async def synthesize_paced(tts: TTSClient, text: str, lang: str | None,
                           pacer: LookaheadPacer | None) -> AudioChunk:
    """One synthesis, started only once the buffered audio is low (cancel to abandon)."""
    if pacer is not None:
        await pacer.wait_for_room()
    t0 = time.perf_counter()
    chunk = await tts.synthesize(text, lang)
    if pacer is not None and not chunk.cached:  # from memory: says nothing of the voice's speed
        pacer.note(time.perf_counter() - t0, chunk.duration)
    return chunk


async def speak_text(
    fragments: list[str], tts: TTSClient, handle: SpeechHandle, lang: str | None, sink=None,  # noqa: ANN001
    langs: list[str] | None = None, hurry: Callable[[], bool] | None = None,
) -> None:
    """Synthesize fragments in order into a handle (typed lines, approved drafts, FAQ answers,
    the script loop). `sink`: pace synthesis by the audio still to be heard (None: no pacing);
    `langs`: each fragment's own language (else `lang` for all); `hurry`: see make_pacer."""
    pacer = make_pacer(sink, handle, hurry)
    for i, frag in enumerate(fragments):
        await handle.push(await synthesize_paced(tts, frag, langs[i] if langs else lang, pacer))


async def checked_fragments(
    llm: LLMClient, user_turn: str, trace: ReplyTrace, product, catalog, *, system: str | None,
    max_new_tokens: int, clock: Callable[[], float], first_fragment_words: int = 4,
    history: list[tuple[str, str]] | None = None, drop_unfinished_tail: bool = False,
    max_sentences: int = MAX_SENTENCES,
) -> AsyncIterator[str]:
    """Stream one reply from the LLM and yield what may be said, fragment by fragment, each
    through `offer_fragment`; the fallback (or refusal) line when nothing could be said.

    The one drafting loop: the live replier voices what it yields as it comes, the draft desk
    (vhost.show.drafting.compose) collects it into a card, so both apply the same sentence cap,
    tail rule, guard and fallback. Closing the generator stops generation in the worker.
    """
    splitter = SentenceSplitter(first_fragment_words=first_fragment_words)
    sentences, capped = 0, False
    kwargs = {"history": history} if history else {}
    stream = llm.stream(user_turn, max_new_tokens=max_new_tokens, system=system, **kwargs)
    try:
        async for delta in stream:
            if trace.first_token_at is None:
                trace.first_token_at = clock()
            trace.reply_text += delta
            for frag in splitter.push(delta):
                if (said := offer_fragment(frag, trace, product, catalog, clock)) is not None:
                    yield said
                sentences += frag.rstrip()[-1:] in SENTENCE_END
                capped = sentences >= max_sentences or bool(sentences and count_words(trace.said) >= ONE_SENTENCE_WORDS)
                if capped or trace.dropped_fragments:
                    break
            # After a held fragment the rest of the draft goes on from it ("Secondly,
            # AirPods..."): stop; what was already said stands, else the fallback. What the
            # splitter holds after a sentence cap is the next sentence's start: unsaid.
            if capped or trace.dropped_fragments:
                break
    finally:
        await stream.aclose()  # stops generation in the worker when we stop early
    for frag in [] if trace.dropped_fragments or capped else splitter.flush():
        if drop_unfinished_tail and trace.spoken_fragments and _dangling(frag):
            continue  # "... It" cut off by the token or sentence limit: better unsaid
        if (said := offer_fragment(frag, trace, product, catalog, clock)) is not None:
            yield said
    trace.llm_stats = dict(getattr(llm, "last_stats", {}) or {})
    if trace.emotion is None:
        trace.emotion = emotion_of(trace.said or trace.reply_text)[0]
    if not trace.spoken_fragments:
        # Nothing safe to say (all fragments failed the catalog check, or the model said
        # nothing): a neutral line beats silence, and the operator sees why.
        # A refusal only for a rule broken; a draft in the wrong language is no claim to refuse.
        ruled = [r for r in trace.compliance_reasons if not r.startswith("language")]
        trace.fallback = (refusal_line(product, trace.lang) if ruled
                          else FALLBACK_LINE.get(trace.lang, FALLBACK_LINE["en"]))
        yield trace.fallback


class Replier:
    def __init__(
        self,
        llm: LLMClient,
        tts: TTSClient,
        clock: Callable[[], float],
        *,
        max_new_tokens: int = 60,
        first_fragment_words: int = 4,
        sink=None,  # noqa: ANN001 - an AudioSink: pace the voice by its buffer (None: no pacing)
    ) -> None:
        self.llm = llm
        self.tts = tts
        self.clock = clock
        self.sink = sink
        self.max_new_tokens = max_new_tokens
        self.first_fragment_words = first_fragment_words
        # The show, `vhost ask` and the evaluation turn it on. (It once broke the show's say-now
        # test: a shorter reply 1 let reply 2 be queued before the flush, and the test read the
        # replies by list position; it now reads them by chat id.)
        self.drop_unfinished_tail = False
        self.max_sentences = MAX_SENTENCES  # the show says one while other questions wait
        self.hurry: Callable[[], bool] | None = None  # true: synthesize without pacing (make_pacer)

    async def reply(self, user_turn: str, trace: ReplyTrace, handle: SpeechHandle, product, catalog,
                    system: str | None = None,
                    history: list[tuple[str, str]] | None = None) -> ReplyTrace:
        """Stream, check (numbers, compliance) and voice one reply.

        history: earlier (role, text) turns, e.g. from vhost.brain.memory (a returning viewer's
        question, the conversation summary); None for none.
        """
        trace.others = tuple(dict.fromkeys(t.split(":", 1)[0].strip() for role, t in history or []
                                           if role == "user" and ":" in t))
        fragments: asyncio.Queue[str | None] = asyncio.Queue()
        voice = asyncio.create_task(self._voice(fragments, trace, handle))
        try:
            async for said in checked_fragments(
                    self.llm, user_turn, trace, product, catalog, system=system,
                    max_new_tokens=self.max_new_tokens, clock=self.clock,
                    first_fragment_words=self.first_fragment_words, history=history,
                    drop_unfinished_tail=self.drop_unfinished_tail, max_sentences=self.max_sentences):
                fragments.put_nowait(said)
            fragments.put_nowait(None)
            await voice
        except BaseException:
            voice.cancel()
            raise
        finally:
            await handle.end_input(trace.error)
        return trace

    async def _voice(self, fragments: asyncio.Queue, trace: ReplyTrace, handle: SpeechHandle) -> None:
        pacer = make_pacer(self.sink, handle, self.hurry)
        while (frag := await fragments.get()) is not None:
            if pacer is not None:
                await pacer.wait_for_room()
            t0 = time.perf_counter()
            chunk = await self.tts.synthesize(frag, trace.lang)
            if pacer is not None:
                pacer.note(time.perf_counter() - t0, chunk.duration)
            if trace.first_audio_ready_at is None:
                trace.first_audio_ready_at = self.clock()
                trace.tts_first_s = time.perf_counter() - t0
            await handle.push(chunk)
