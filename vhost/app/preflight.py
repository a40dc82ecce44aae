"""Read every file the show starts from before any window opens or any worker starts, so a broken
catalog, persona or chat replay gives one clear message naming the file and the field (the `vhost`
command prints it and exits with code 2) instead of tracebacks around a show that half started."""

from __future__ import annotations

from vhost.brain.catalog import CatalogError, load_catalog
from vhost.brain.persona import PersonaError, load_persona
from vhost.chat.replay import load_replay
from vhost.config.settings import ConfigError, VhostConfig


def check_show_files(cfg: VhostConfig) -> list[str]:
    """Raise ConfigError for a file the show cannot run from; return warnings for files it can run
    from with losses (chat replay lines that are skipped)."""
    try:
        load_catalog(cfg.show.catalog)
    except CatalogError as exc:
        raise ConfigError(str(exc)) from None
    try:
        load_persona(cfg.show.persona)
    except PersonaError as exc:
        raise ConfigError(str(exc)) from None
    live = any(c.enabled for c in cfg.chat.connectors)
    if cfg.show.chat is None or live:
        return []
    try:
        script = load_replay(cfg.show.chat)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"chat replay {cfg.show.chat}: cannot be read ({exc})") from None
    if script.errors and not script.lines:
        first = script.errors[0]
        raise ConfigError(f"chat replay {cfg.show.chat}: no usable line; line {first.line_no}: {first.message}")
    return [f"chat replay {cfg.show.chat}: line {e.line_no} skipped: {e.message}" for e in script.errors[:5]]
