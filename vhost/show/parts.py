"""What a show is built from (the app composes these) and how it behaves."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vhost.audio.sinks import AudioSink
from vhost.brain.catalog import Catalog
from vhost.brain.clients import LLMClient, TTSClient
from vhost.brain.host import ShowBrain
from vhost.brain.persona import Persona
from vhost.chat.triage import Triage
from vhost.show.guarding import Guard
from vhost.show.ports import StagePort
from vhost.speech.phrase_store import PhraseStore


@dataclass
class ShowParts:
    catalog: Catalog
    persona: Persona
    llm: LLMClient
    tts: TTSClient
    sink: AudioSink
    stage: StagePort
    triage: Triage | None = None
    brain: ShowBrain | None = None  # default: one for the catalog and persona
    guard: Guard | None = None  # the operator's own filter: any reason holds a line as a draft
    # Lines likely to be said (the on-screen product's facts) synthesized ahead (vhost.speech.
    # phrase_cache), by `tts_ahead` when given, else by `tts` while the speaker is idle.
    prepare_phrases: bool = False
    tts_ahead: TTSClient | None = None
    phrase_store: PhraseStore | None = None  # prepared lines kept on disk from show to show


@dataclass
class ShowSettings:
    product_id: str | None = None
    auto_reply: bool = True
    max_new_tokens: int = 60
    mode: str = "auto"
    assisted_delay_s: float = 8.0
    draft_ttl_s: float = 180.0
    script_after_s: float = 6.0  # silence before the script loop speaks
    script_in_manual: bool = False  # manual/assisted: offer script segments as drafts too
    catalog_path: Path | None = None  # where answers taught live are saved (None: this show only)
