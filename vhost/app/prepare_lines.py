"""`vhost prepare --lines`: the catalog's likely answers synthesized before the show, into the store
the show reads (vhost.speech.phrase_store), so even the first question of the first show is
answered from prepared audio instead of waiting 2-3 s for a Mandarin line on a CPU.

The same lines the show prepares (ShowBrain.likely_lines: each product's facts, the shop's
policies and the honest unknowns, in every language of the persona), by the same voice process
the show uses, through the same PhraseCache: a line already stored is only read back, so running
it again after a catalog edit synthesizes only the new lines. It may use every core (the show is
not running): the voice's thread count does not change how a line sounds.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable

from vhost.base.workers import WorkerClient
from vhost.brain.catalog import load_catalog
from vhost.brain.clients import WorkerTTS
from vhost.brain.persona import load_persona
from vhost.config.settings import VhostConfig
from vhost.speech.phrase_cache import PhraseCache

from . import compose


def likely_lines(cfg: VhostConfig) -> list[tuple[str, str]]:
    """(lang, line) for every product of the catalog, in every language the host speaks."""
    catalog = load_catalog(cfg.show.catalog)
    persona = load_persona(cfg.show.persona)
    brain = compose.show_brain(catalog, persona, lambda _event: None)
    return list(dict.fromkeys(x for p in catalog.products for x in brain.likely_in(p, persona.languages)))


async def prepare_lines(cfg: VhostConfig, note: Callable[[str], None]) -> dict:
    """Synthesize what is not stored yet; returns counts and seconds."""
    store = compose.phrase_store(cfg)
    if store is None:
        raise ValueError("[voice] prepare_phrases and keep_prepared must be on to keep lines")
    lines = likely_lines(cfg)
    voice = compose.host_voice(cfg).model_copy(update={"threads": max(1, os.cpu_count() or 1)})
    worker = WorkerClient("tts", "vhost.voice.tts_worker:TTSWorker", {"voice": voice.model_dump(mode="json")},
                          lambda *_: None)
    worker.start()
    t0 = time.monotonic()
    try:
        await worker.wait_ready()
        tts = WorkerTTS(worker)
        cache = PhraseCache(tts, warm_tts=tts, store=store, max_audio_s=60.0)  # kept on disk, not here
        cache.warm(lines)
        last = 0.0
        while cache.pending():
            if time.monotonic() - last >= 10:
                last = time.monotonic()
                note(f"{len(lines) - cache.pending()}/{len(lines)} lines ready")
            await asyncio.sleep(0.2)
    finally:
        await worker.close()  # a voice that could not start raised WorkerError from wait_ready
    return {"lines": len(lines), "read": store.loaded, "synthesized": store.saved, "not_kept": store.refused,
            "seconds": round(time.monotonic() - t0, 1), "folder": str(store.root)}
