"""Build the stage's outputs from `[stage]` config, so the app wires them with one call each."""

from __future__ import annotations

import logging

from vhost.avatar.character import Character, generate_character, load_character
from vhost.stage.browser import BrowserSource
from vhost.stage.renderer import StageRenderer

log = logging.getLogger(__name__)


def stage_character(stage_cfg) -> Character:
    """The character file when configured (a bad file raises ValueError naming it), else the
    seed's character."""
    if stage_cfg.character:
        return load_character(stage_cfg.character)
    return generate_character(stage_cfg.seed)


def build_renderer(stage_cfg) -> StageRenderer:
    """StageRenderer for `[stage]`: layout, background, character file or seed, sprite pack."""
    avatar = None
    if stage_cfg.sprites:
        from vhost.avatar.sprites import SpritePack

        avatar = SpritePack(stage_cfg.sprites)
    return StageRenderer(stage_character(stage_cfg), stage_cfg.layout, stage_cfg.background,
                         avatar=avatar)


def start_browser_source(stage_cfg) -> BrowserSource | None:
    """Serve the stage at http://127.0.0.1:PORT/stage when `browser_port` is set (0 = off).
    A busy port is logged and the show goes on without the browser source."""
    if not stage_cfg.browser_port:
        return None
    source = BrowserSource(stage_cfg.browser_port)
    try:
        source.start()
    except RuntimeError as exc:
        log.warning("%s", exc)
        return None
    log.info("browser source: %s (OBS: Browser Source, this URL, size %s)", source.url,
             "1920x1080" if stage_cfg.layout == "landscape" else "1080x1920")
    return source
