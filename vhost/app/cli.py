"""The `vhost` command."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import logging
import sys
from pathlib import Path

from vhost.app.preflight import check_show_files, error_dialog
from vhost.base.memory import return_large_buffers
from vhost.config.settings import ConfigError, VhostConfig, load_config, user_config_path


def _size(text: str) -> tuple[int, int]:
    w, _, h = text.lower().partition("x")
    return int(w), int(h)


def _apply_overrides(cfg: VhostConfig, args: argparse.Namespace) -> VhostConfig:
    if getattr(args, "model", None):
        cfg.llm.model = args.model
    if getattr(args, "layout", None):
        cfg.stage.layout = args.layout
    if getattr(args, "seed", None) is not None:
        cfg.stage.seed = args.seed
    if getattr(args, "fps", None):
        cfg.stage.fps = args.fps
    if getattr(args, "device", None):
        cfg.audio.device = args.device
    if getattr(args, "chat", None):
        cfg.show.chat = Path(args.chat)
    if getattr(args, "voice", None):
        cfg.voice.engine = args.voice
    return VhostConfig.model_validate(cfg.model_dump())  # re-validate the overrides


def _apply_control(cfg: VhostConfig, args: argparse.Namespace) -> VhostConfig:
    """--mode, --control-port, --control-token (for this run only, unless --save-control-token)."""
    if args.mode:
        cfg.control.mode = args.mode
    if args.control_port is not None:
        cfg.control.control_port = args.control_port
    if args.control_token:
        cfg.control.token = args.control_token
    return VhostConfig.model_validate(cfg.model_dump())


def _token_note(base: VhostConfig, args: argparse.Namespace) -> str:
    """Save a --control-token when asked (--save-control-token), and say which token is in use."""
    from vhost.control.token import describe_source, save_token

    saved = False
    if args.control_token and getattr(args, "save_control_token", False):
        try:
            save_token(args.control_token)
            saved = True
        except (ValueError, OSError) as exc:
            print(f"vhost: control token not saved: {exc}", file=sys.stderr)
    elif getattr(args, "save_control_token", False):
        print("vhost: --save-control-token needs --control-token", file=sys.stderr)
    note = describe_source(bool(args.control_token), base.control.token is not None, saved)
    print(f"vhost: {note}", file=sys.stderr)
    return note


def _load_demo_config(args: argparse.Namespace) -> tuple[VhostConfig, Path, str | None]:
    """--config if given (an error there stops: the streamer asked for that file); else the
    settings the console saved, if any; a broken saved file falls back to the defaults, loudly
    (the returned warning is shown in the console too, not only on a terminal nobody watches)."""
    if args.config:
        return load_config(args.config), Path(args.config), None
    saved = user_config_path()
    if saved.exists():
        try:
            return load_config(saved), saved, None
        except ConfigError as exc:
            warning = f"ignoring the saved settings, running on defaults: {exc}"
            print(f"vhost: {warning}", file=sys.stderr)
            return load_config(None), saved, warning
    return load_config(None), saved, None


def cmd_demo(args: argparse.Namespace) -> int:
    base, config_path, config_warning = _load_demo_config(args)
    cfg = _apply_control(_apply_overrides(base, args), args)
    # A broken catalog/persona/character/chat/connector stops here, before any worker: exit code 2.
    file_warnings = check_show_files(cfg, config_path if config_warning is None and config_path.exists() else None)
    api_on = cfg.control.control_port if args.headless else cfg.control.control_port != 0  # desktop: on by default
    notes = [_token_note(base, args)] if api_on else []
    if args.headless:
        for warning in file_warnings:
            logging.getLogger("vhost").warning(warning)
        from vhost.app.headless import run_headless

        report = run_headless(cfg, args.duration, Path(args.record) if args.record else None,
                              Path(args.report) if args.report else None, record_size=_size(args.record_size))
        summary = {k: report[k] for k in ("replies_spoken", "replies_grounded", "latency_p50_s", "latency_p95_s",
                                          "frames_rendered", "frames_late")}
        print(json.dumps(summary))
        return 0
    from vhost.app.gui import run_gui

    return run_gui(cfg, config_path, warnings=([config_warning] if config_warning else []) + file_warnings,
                   notes=notes)


def cmd_prepare(args: argparse.Namespace) -> int:
    """Verify and convert the configured model once (with a progress bar), so the show starts fast."""
    from vhost.brain.model_convert import ensure_converted

    cfg = _apply_overrides(load_config(args.config), args)
    path = ensure_converted(cfg.llm.model)
    print(f"model ready: {path}")
    if not args.lines:
        return 0
    from vhost.app.prepare_lines import prepare_lines
    from vhost.base.workers import WorkerCrashed, WorkerError

    if args.catalog:
        cfg.show.catalog = Path(args.catalog).resolve()
    try:
        done = asyncio.run(prepare_lines(cfg, lambda text: print(text, flush=True)))
    except (ValueError, OSError, WorkerError, WorkerCrashed) as exc:  # a bad catalog, a voice that cannot start
        print(f"lines not prepared: {exc}", file=sys.stderr)
        return 1
    print(f"lines ready: {done['lines']} ({done['read']} already stored, {done['synthesized']} synthesized "
          f"in {done['seconds']} s) in {done['folder']}")
    if done["not_kept"]:
        print(f"{done['not_kept']} lines were spoken by a fallback voice, not the configured one, and not kept: "
              "check the voice's messages above (vhost voices lists what is installed)", file=sys.stderr)
        return 1
    return 0


# Each pipeline stage registers its own subcommands (a module with `register(subparsers)`), so this
# file stays the entry point and not a pile of every stage's options.
STAGE_COMMANDS: tuple[str, ...] = (
    "vhost.app.cli_stage",
    "vhost.app.cli_control",
    "vhost.app.cli_brain",
    "vhost.app.cli_voice",
    "vhost.app.cli_chat",
    "vhost.app.cli_report",
)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vhost", description="A real-time AI virtual host for live-stream shopping.")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run the show on the embedded defaults (stage + console)")
    demo.add_argument("--config", help="TOML config overriding the defaults")
    demo.add_argument("--headless", action="store_true", help="no windows, no sound card: record instead")
    demo.add_argument("--duration", type=float, default=60.0, help="headless: seconds of show time")
    demo.add_argument("--record", help="headless: write the show to this MP4")
    demo.add_argument("--report", help="headless: write the JSON report here")
    demo.add_argument("--record-size", default="1280x720", help="headless: video size, e.g. 1920x1080")
    demo.add_argument("--model", help="LLM: manifest name, GGUF file or Hugging Face model folder")
    demo.add_argument("--voice", choices=["piper", "kokoro", "coqui", "espeak"])
    demo.add_argument("--chat", help="replay this JSONL chat file instead of the demo chat")
    demo.add_argument("--layout", choices=["landscape", "portrait"])
    demo.add_argument("--seed", type=int, help="avatar seed")
    demo.add_argument("--fps", type=int)
    demo.add_argument("--device", help="audio output device by name")
    demo.add_argument("--mode", choices=["manual", "assisted", "auto"],
                      help="manual: nothing spoken unapproved; assisted: spoken after a delay unless touched")
    demo.add_argument("--control-port", type=int, help="control API on 127.0.0.1:PORT (0 = off)")
    demo.add_argument("--control-token", help="control API bearer token for this run only (default: the stored "
                      "one, generated once and kept in the data dir)")
    demo.add_argument("--save-control-token", action="store_true",
                      help="keep --control-token as the stored token for later runs")
    demo.set_defaults(func=cmd_demo)

    prep = sub.add_parser("prepare", help="verify and convert the LLM once; --lines: voice the catalog ahead")
    prep.add_argument("--config")
    prep.add_argument("--model")
    prep.add_argument("--lines", action="store_true",
                      help="also synthesize the catalog's likely answers into the prepared-lines store "
                           "(minutes on a CPU; only lines not stored yet), so the first questions of "
                           "the show are answered from prepared audio")
    prep.add_argument("--catalog", help="with --lines: this catalog instead of the config's")
    prep.set_defaults(func=cmd_prepare)

    for module in STAGE_COMMANDS:
        importlib.import_module(module).register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return_large_buffers()  # a show runs for hours: see vhost.base.memory
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        return args.func(args)
    except ConfigError as exc:
        print(f"vhost: {exc}", file=sys.stderr)
        if args.command == "demo" and not args.headless:  # started from a launcher: no terminal to read
            error_dialog(str(exc))
        return 2


if __name__ == "__main__":
    sys.exit(main())
