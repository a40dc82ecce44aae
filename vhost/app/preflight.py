"""Read every file the show starts from before any window opens or any worker starts, so a broken
catalog, persona, character file, chat replay or connector entry gives one clear message naming
the file, the field and (where it can) the line; the `vhost` command prints it and exits with
code 2, instead of tracebacks around a show that half started. Nothing here opens a socket or
starts a process: it only reads files and builds objects."""

from __future__ import annotations

from pathlib import Path

from vhost.avatar.character import load_character
from vhost.brain.catalog import CatalogError, load_catalog
from vhost.brain.persona import PersonaError, load_persona
from vhost.chat.replay import load_replay
from vhost.chat.sources import BUILTIN, SourceError, make_source
from vhost.config.settings import ConfigError, VhostConfig
from vhost.control.token import MIN_LENGTH as MIN_TOKEN_LENGTH

MAX_LISTED = 5  # bad replay lines named in the message; the rest are counted


def check_show_files(cfg: VhostConfig, config_path: Path | None = None) -> list[str]:
    """Raise ConfigError (one message: file, field, line) for anything the show cannot start
    from; return warnings for what it can start from (none at present). `config_path` is the
    config file the settings came from, named in errors about its own fields."""
    try:
        load_catalog(cfg.show.catalog)
        load_persona(cfg.show.persona)
    except (CatalogError, PersonaError) as exc:
        raise ConfigError(str(exc)) from None
    if cfg.stage.character:
        try:
            load_character(cfg.stage.character)
        except ValueError as exc:  # CharacterError: names the file, the trait and its line
            raise ConfigError(f"invalid character file:\n  {exc}") from None
    _check_control(cfg, config_path)
    _check_connectors(cfg, config_path)
    live = any(c.enabled for c in cfg.chat.connectors)
    if cfg.show.chat is not None and not live:
        _check_replay(Path(cfg.show.chat))
    return []


def _where(config_path: Path | None, loc: tuple) -> str:
    from vhost.base.tomlfile import key_line

    field = ".".join(str(x) for x in loc)
    if config_path is None:
        return field
    line = key_line(config_path, loc)
    return f"{config_path}: {field}" + (f" (line {line})" if line else "")


def _check_control(cfg: VhostConfig, config_path: Path | None) -> None:
    token = cfg.control.token.get_secret_value() if cfg.control.token else ""
    if cfg.control.control_port and token and len(token) < MIN_TOKEN_LENGTH:
        # The value itself is never repeated: it is a secret, and this message goes to a terminal.
        raise ConfigError(f"{_where(config_path, ('control', 'token'))} (or --control-token): the control "
                          f"token must be at least {MIN_TOKEN_LENGTH} characters")


def _check_connectors(cfg: VhostConfig, config_path: Path | None) -> None:
    """Build each enabled connector as the chat worker will (no connection is made), so a wrong
    spec or a missing key stops here instead of in a worker that keeps restarting."""
    for i, conn in enumerate(cfg.chat.connectors):
        scheme = conn.source.partition(":")[0].strip().lower()
        if not conn.enabled or scheme not in BUILTIN:  # a plugin's constructor is its own business
            continue
        try:
            make_source(conn)
        except SourceError as exc:
            raise ConfigError(f"{_where(config_path, ('chat', 'connectors', i))}: {exc}") from None


def _check_replay(path: Path) -> None:
    """A replay is a script written before the show: every line must parse (a skipped line would
    be a viewer message silently lost), so the first bad ones are named, with their line numbers."""
    try:
        script = load_replay(path, warn=False)  # the message below says it once
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"chat replay {path}: cannot be read ({exc})") from None
    if script.errors:
        bad = [f"{path}: line {e.line_no}: {e.message}" for e in script.errors[:MAX_LISTED]]
        more = len(script.errors) - MAX_LISTED
        if more > 0:
            bad.append(f"... and {more} more bad line{'s' if more > 1 else ''}")
        raise ConfigError("invalid chat replay:\n  " + "\n  ".join(bad))


def error_dialog(text: str) -> bool:
    """Say a start-up error in a dialog too, for a desktop show started from a launcher (no terminal
    to read stderr on). Only where a screen is there to show it; returns whether it was shown."""
    import os
    import sys

    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return False
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return False
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox
    except ImportError:  # a broken Qt install: the terminal message is all there is
        return False
    app = QApplication.instance() or QApplication([])  # noqa: F841 - a dialog needs the application object
    QMessageBox.critical(None, "vhost: cannot start the show", text)
    return True
