"""Voice engines shared by the voice test modules: each loads once per test process."""

from __future__ import annotations

from functools import lru_cache

from vhost.voice.espeak_engine import EspeakEngine
from vhost.voice.kokoro_engine import KokoroEngine
from vhost.voice.piper_engine import PiperEngine


@lru_cache(maxsize=1)
def kokoro() -> KokoroEngine:
    return KokoroEngine(threads=1)


@lru_cache(maxsize=1)
def piper() -> PiperEngine:
    return PiperEngine()


@lru_cache(maxsize=1)
def espeak() -> EspeakEngine:
    return EspeakEngine()
