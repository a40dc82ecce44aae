"""Builds a Show for tests from the demo catalog and persona, with scripted LLM and voice by default.
Events are recorded as (kind, data) pairs: the typed event's name and its JSON payload.

The sink is a LoopSink: run the test's coroutine with `run_virtual` (vhost.base.vclock) and the
show runs on virtual time — exact, and in milliseconds; with `asyncio.run` it runs in real time."""

from __future__ import annotations

from tests.fakes import ScriptedLLM, ScriptedTTS
from vhost.audio.sinks import LoopSink
from vhost.brain.catalog import load_catalog
from vhost.brain.persona import load_persona
from vhost.config.settings import ASSETS
from vhost.show.parts import ShowParts, ShowSettings
from vhost.show.show import Show
from vhost.stage.live import LiveStage

PART_NAMES = {"catalog", "persona", "llm", "tts", "sink", "stage", "triage", "brain", "guard", "prepare_phrases",
              "tts_ahead"}


def build_show(*, on_event=None, **kw) -> Show:
    """`kw`: any ShowParts or ShowSettings field; catalog, persona, voice, LLM and stage default."""
    parts = {"catalog": load_catalog(ASSETS / "catalog.toml"), "persona": load_persona(ASSETS / "persona.toml"),
             "llm": ScriptedLLM(), "tts": ScriptedTTS(), "stage": LiveStage(7)}
    parts.update({k: v for k, v in kw.items() if k in PART_NAMES})
    settings = ShowSettings(**{k: v for k, v in kw.items() if k not in PART_NAMES})
    return Show(ShowParts(**parts), settings, on_event)


def recorder(events: list):
    """An event sink appending (kind, data) to `events`."""
    return lambda e: events.append((e.kind, e.data()))


def make_show(llm=None, tts=None, **kw):
    sink = kw.pop("sink", None) or LoopSink(16000, block_s=0.005)
    events: list = []
    show = build_show(llm=llm or ScriptedLLM(), tts=tts or ScriptedTTS(), sink=sink, on_event=recorder(events), **kw)
    return show, sink, events
