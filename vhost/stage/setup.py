"""Build the stage's outputs from `[stage]` config, so the app wires them with one call each."""

from __future__ import annotations

import logging

from vhost.avatar.character import Character, generate_character, load_character
from vhost.stage.browser import BrowserSource
from vhost.stage.renderer import StageRenderer

log = logging.getLogger(__name__)


def stage_character(stage_cfg, warnings: list[str] | None = None) -> Character:
    """The character file when configured, else the seed's character. A missing or broken file
    is not fatal: the seed's character stands in, and the reason (naming the file) is logged and
    appended to `warnings` for the operator."""
    if stage_cfg.character:
        try:
            return load_character(stage_cfg.character)
        except ValueError as exc:  # load_character names the file and the problem
            _warn(warnings, f"{exc}; using the default character (seed {stage_cfg.seed})")
    return generate_character(stage_cfg.seed)


def build_renderer(stage_cfg, warnings: list[str] | None = None) -> StageRenderer:
    """StageRenderer for `[stage]`: layout, background, character file or seed, sprite pack.
    A broken sprite pack falls back to the drawn character, with the reason in `warnings`."""
    avatar = None
    if stage_cfg.sprites:
        from vhost.stage.avatar.sprites import SpritePack

        try:
            avatar = SpritePack(stage_cfg.sprites)
        except Exception as exc:  # noqa: BLE001 - SpritePackError, unreadable or non-UTF-8 files
            _warn(warnings, f"sprite pack unusable ({exc}); drawing the character instead")
    return StageRenderer(stage_character(stage_cfg, warnings), stage_cfg.layout,
                         stage_cfg.background, avatar=avatar)


def _warn(warnings: list[str] | None, text: str) -> None:
    log.warning("%s", text)
    if warnings is not None:
        warnings.append(text)


def start_browser_source(stage_cfg, warnings: list[str] | None = None) -> BrowserSource | None:
    """Serve the stage at http://127.0.0.1:PORT/stage when `browser_port` is set (0 = off).
    A busy port is logged (and appended to `warnings` for the operator) and the show goes on
    without the browser source."""
    if not stage_cfg.browser_port:
        return None
    source = BrowserSource(stage_cfg.browser_port)
    try:
        source.start()
    except RuntimeError as exc:
        _warn(warnings, f"{exc}; OBS's window capture of the stage still works")
        return None
    log.info("browser source: %s (OBS: Browser Source, this URL, size %s)", source.url,
             "1920x1080" if stage_cfg.layout == "landscape" else "1080x1920")
    return source
