"""`vhost prepare --lines` (vhost.app.prepare_lines): the catalog's likely answers voiced by the
show's own voice process into the store the show reads; a second run only reads them back."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest

from vhost.app import compose
from vhost.app.prepare_lines import likely_lines, prepare_lines
from vhost.config.settings import VhostConfig

pytestmark = [pytest.mark.slow,  # a voice process and the embedding model: ~15 s
              pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng not installed")]


def test_the_catalog_is_voiced_once_into_the_shows_store_and_a_second_run_only_reads_it(tmp_path, monkeypatch):
    monkeypatch.setenv("VHOST_DATA_DIR", str(tmp_path))
    cfg = VhostConfig()
    cfg.voice.engine, cfg.voice.languages = "espeak", {}  # a fast real voice process
    notes: list[str] = []
    first = asyncio.run(prepare_lines(cfg, notes.append))
    again = asyncio.run(prepare_lines(cfg, notes.append))
    lines = likely_lines(cfg)
    assert {lang for lang, _ in lines} == {"en", "zh"} and len(lines) == first["lines"] > 30
    assert first["read"] == 0 and first["synthesized"] >= len(lines) - 5  # a few are too short to keep
    assert again["read"] == first["synthesized"] and again["synthesized"] == 0
    folder = Path(first["folder"])
    assert folder == compose.phrase_store(cfg).root  # where the show looks
    assert len(list(folder.glob("*.npz"))) == first["synthesized"]
