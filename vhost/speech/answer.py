"""One question in, one checked answer out, without the stage: `vhost ask` and the evaluation.

The same path the live show takes, minus the voice: FAQ fast path first; otherwise the LLM with
the product's system prompt, the conversation memory as earlier turns, and the live `Replier`
(streaming, sentence splitting, grounding with corrections, compliance, emotion tags) writing
into a text-only speech handle. So what `vhost ask` prints is what the show would say.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vhost.base.audio_types import AudioChunk
from vhost.base.language import detect_language
from vhost.brain.answerer import Answerer
from vhost.brain.catalog import Catalog, Product
from vhost.brain.clients import LLMClient
from vhost.brain.compliance import ComplianceResult, check_compliance
from vhost.brain.embedding import Embedder
from vhost.brain.grounding import check_grounding
from vhost.brain.host import FastReply, ShowBrain
from vhost.brain.injection import detect_injection
from vhost.brain.memory import ConversationMemory
from vhost.brain.persona import Persona
from vhost.brain.phrasing import chat_line, translate
from vhost.brain.prompt import build_system_prompt, build_user_turn
from vhost.chat.events import ChatMessage
from vhost.speech.handle import SpeechHandle
from vhost.speech.replier import Replier, ReplyTrace


def reply_language(text: str) -> str:
    """The language to answer in: Chinese or English (anything else gets English)."""
    return "zh" if detect_language(text) == "zh" else "en"


@dataclass
class Answer:
    reply: str
    lang: str
    path: str  # "faq", "llm", or "guard" (an injection deflected without the LLM)
    product_id: str
    grounded: bool  # no number in the draft was left unbacked (corrected ones count as fixed)
    draft_grounded: bool  # the raw draft needed no correction either
    corrections: list[str] = field(default_factory=list)
    compliance: ComplianceResult = field(default_factory=lambda: ComplianceResult(True))
    held: list[str] = field(default_factory=list)  # fragments not spoken, for the operator
    mismatches: list[str] = field(default_factory=list)
    emotion: str | None = None
    draft: str = ""
    fallback: bool = False
    seconds: float = 0.0
    kind: str = "chat"  # fact, unknown, refuse, suitability, chat (vhost.brain.answerer)
    facts: list[str] = field(default_factory=list)  # ids of the catalog facts it states

    def as_json(self) -> dict[str, Any]:
        return {"reply": self.reply, "lang": self.lang, "path": self.path,
                "grounded": self.grounded, "corrections": self.corrections,
                "compliance": self.compliance.as_dict(), "product": self.product_id,
                "held": self.held, "emotion": self.emotion, "kind": self.kind,
                "facts": self.facts}


class _TextTTS:
    """Stands in for the voice: keeps the text, makes no audio."""

    async def synthesize(self, text: str, lang: str | None = None) -> AudioChunk:
        return AudioChunk(pcm=np.zeros(0, dtype=np.float32), sample_rate=16000, text=text)


class EngineLLM:
    """An in-process LLMEngine behind the async LLMClient interface (for a CLI, not the show:
    the show keeps the model in a worker process). Decoding runs in a thread; closing the
    stream stops it between tokens."""

    def __init__(self, engine: Any, temperature: float = 0.3, seed: int | None = 0) -> None:
        self.engine = engine
        self.temperature = temperature
        self.seed = seed
        self.last_stats: dict = {}

    async def set_prefix(self, system: str) -> None:
        await asyncio.to_thread(self.engine.set_prefix, system)

    async def stream(self, user_text: str, *, history: list[tuple[str, str]] | None = None,
                     max_new_tokens: int = 64, system: str | None = None):
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
        stop = threading.Event()

        def work() -> None:
            try:
                for delta in self.engine.stream(
                    user_text, history=history, max_new_tokens=max_new_tokens,
                    temperature=self.temperature, seed=self.seed, system=system,
                    should_stop=stop.is_set,
                ):
                    loop.call_soon_threadsafe(queue.put_nowait, ("delta", delta))
                loop.call_soon_threadsafe(queue.put_nowait, ("end", None))
            except BaseException as exc:  # handed to the consumer, raised there
                loop.call_soon_threadsafe(queue.put_nowait, ("error", exc))

        worker = loop.run_in_executor(None, work)
        try:
            while True:
                kind, value = await queue.get()
                if kind == "delta":
                    yield value
                elif kind == "error":
                    raise value
                else:
                    break
        finally:
            stop.set()
            await asyncio.shield(worker)
            self.last_stats = dict(self.engine.last_stats)


class Brain:
    """Answers questions about the catalog as the host would: the show's own decision
    (`ShowBrain.fast_reply`), then the LLM only for small talk and translation (see module doc)."""

    def __init__(self, catalog: Catalog, persona: Persona, llm: LLMClient | None, *,
                 product_id: str | None = None, answerer: Answerer | None = None,
                 embedder: Embedder | None = None, memory: ConversationMemory | None = None,
                 max_new_tokens: int = 48) -> None:
        self.catalog = catalog
        self.persona = persona
        self.llm = llm
        self.product: Product = catalog.get(product_id) if product_id else catalog.products[0]
        self.brain = ShowBrain(catalog, persona, answerer=answerer or Answerer(catalog, embedder))
        self.memory = memory or self.brain.memory
        self.replier = Replier(llm, _TextTTS(), time.perf_counter,  # type: ignore[arg-type]
                               max_new_tokens=max_new_tokens) if llm is not None else None
        if self.replier is not None:
            self.replier.drop_unfinished_tail = True

    async def ask(self, text: str, user: str = "viewer", now: float = 0.0,
                  product_id: str | None = None) -> Answer:
        started = time.perf_counter()
        lang = reply_language(text)
        on_screen = self.catalog.get(product_id) if product_id else self.product
        self.memory.seen(user, now)
        name = user if user != "viewer" else ""  # an anonymous asker is not named
        fast = self.brain.fast_reply(text, name, on_screen, lang, now=now)
        if fast is not None:
            ans = await self._decided(fast, on_screen, lang)
        elif self.replier is not None:
            ans = await self._llm_answer(self.brain.llm_question(text), on_screen, lang, user, now)
        else:
            product = self.catalog.find_mentioned(text) or on_screen
            line = chat_line([name] if name else [], lang, product)
            ans = Answer(line, lang, "chat", product.id, grounded=True, draft_grounded=True, draft=line,
                         emotion="happy", fallback=True)
        injected = detect_injection(text)
        if injected is not None and fast is None:
            ans.compliance = ComplianceResult(False, [f"injection: '{injected}'", *ans.compliance.reasons])
        if ans.reply and not ans.fallback:
            self.memory.answered(user, text, ans.reply, now=now, product_id=ans.product_id)
        ans.seconds = time.perf_counter() - started
        return ans

    async def _decided(self, fast: FastReply, on_screen: Product, lang: str) -> Answer:
        """The show's decided line as an Answer; a fact only in another language is translated
        by the LLM as the show does (vhost.show.reply_flow), else the catalog's words stand."""
        d = fast.decision
        product = d.product if d is not None and d.product is not None else on_screen
        text = fast.text
        if fast.translate and self.llm is not None:
            out = await translate(self.llm, fast.translate, lang, product, self.catalog,
                                  embedder=self.brain.embedder)
            if out:
                text = self.brain.fact_line(out, fast.users, lang)
        kind = d.kind if d is not None else fast.path
        ok = fast.path not in ("guard", "refuse") and not any(r.startswith("injection") for r in fast.reasons)
        return Answer(text, lang, fast.path, product.id, grounded=True, draft_grounded=True,
                      compliance=ComplianceResult(ok, list(fast.reasons)), emotion="happy", draft=text,
                      kind=kind, facts=list(d.facts) if d is not None else [],
                      held=[r for r in fast.reasons if r.startswith("held:")])

    async def _llm_answer(self, text: str, about: Product, lang: str, user: str,
                          now: float) -> Answer:
        assert self.replier is not None
        msg = ChatMessage(id="ask", platform="cli", user=user, text=text, received_at=now)
        trace = ReplyTrace("ask", text, user, lang, now)
        handle = SpeechHandle("ask", 0, lookahead=64)
        system = build_system_prompt(self.persona, about, self.catalog)
        history = self.memory.history(user, lang=lang, product_id=about.id)
        await self.replier.reply(build_user_turn(msg, lang), trace, handle, about, self.catalog,
                                 system=system, history=history)
        reply = trace.said
        spoken_ok = check_compliance(reply, lang, about, self.catalog, names=(user,))
        if trace.fallback is not None:
            spoken_ok = ComplianceResult(True)  # our own neutral line
        reasons = list(dict.fromkeys(trace.compliance_reasons + spoken_ok.reasons))
        draft_grounded = check_grounding(trace.reply_text, about, self.catalog).grounded
        return Answer(reply, lang, "llm", about.id, grounded=not trace.mismatches,
                      draft_grounded=draft_grounded, corrections=trace.corrections,
                      compliance=ComplianceResult(not reasons, reasons),
                      held=trace.dropped_fragments, mismatches=trace.mismatches,
                      emotion=trace.emotion, draft=trace.reply_text.strip(),
                      fallback=trace.fallback is not None)
