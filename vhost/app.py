"""Composition root: builds the parts from the config and wires them. Holds no show logic."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

from vhost.audio.sinks import AudioSink
from vhost.brain.catalog import load_catalog
from vhost.brain.clients import WorkerLLM, WorkerTTS
from vhost.brain.persona import load_persona
from vhost.chat.replay import ReplaySource
from vhost.config import VhostConfig
from vhost.core.show import Show
from vhost.core.workers import WorkerClient, WorkerError
from vhost.stage.live import LiveStage

log = logging.getLogger(__name__)

StatusSink = Callable[[str, dict], None]


@dataclass
class Workers:
    llm: WorkerClient
    tts: WorkerClient

    async def close(self) -> None:
        await asyncio.gather(self.llm.close(), self.tts.close(), return_exceptions=True)


async def start_workers(cfg: VhostConfig, on_status: StatusSink) -> Workers:
    """Spawn the LLM and voice processes (they load in parallel while the UI comes up).
    Runs on the core loop, which watches the workers' pipes."""
    # One core is left to the stage, the voice and the encoder: measured on 2 cores while the stage
    # renders, a 2-thread LLM decoded at 8 tok/s and a 1-thread one at 12 (threads spin-waiting
    # on each other when one is descheduled).
    threads = cfg.llm.threads or max(1, (os.cpu_count() or 2) - 1)
    llm = WorkerClient("llm", "vhost.brain.llm_worker:LLMWorker",
                       {"model": cfg.llm.model, "device": cfg.llm.device, "threads": threads}, on_status)
    tts = WorkerClient("tts", "vhost.voice.tts_worker:TTSWorker", {"use_piper": cfg.voice.engine == "piper", "threads": cfg.voice.threads}, on_status)
    llm.start()
    tts.start()
    return Workers(llm, tts)


async def wait_workers(workers: Workers) -> list[str]:
    """Wait for both workers; return the errors of those that could not start."""
    errors = []
    for w in (workers.tts, workers.llm):
        try:
            await w.wait_ready()
        except WorkerError as exc:
            errors.append(f"{w.name}: {exc}")
    return errors


def build_show(cfg: VhostConfig, workers: Workers, sink: AudioSink, stage: LiveStage,
               on_event: Callable[[str, dict], None]) -> Show:
    catalog = load_catalog(cfg.show.catalog)
    persona = load_persona(cfg.show.persona)
    llm = WorkerLLM(workers.llm, temperature=cfg.llm.temperature)
    return Show(catalog=catalog, persona=persona, llm=llm, tts=WorkerTTS(workers.tts), sink=sink, stage=stage,
                product_id=cfg.show.product, auto_reply=cfg.show.auto_reply and workers.llm.is_ready,
                on_event=on_event, max_new_tokens=cfg.llm.max_new_tokens)


def chat_source(cfg: VhostConfig, clock: Callable[[], float]):
    if cfg.show.chat is None:
        return None
    return ReplaySource(cfg.show.chat, speed=cfg.show.chat_speed).events(clock)
