"""Bad files at start, through the real command: `vhost demo --headless` with a broken catalog,
persona, chat replay, character file, connector entry or main config exits with code 2 and ONE
message on stderr naming the file, the field and the line; no traceback, and no worker ever
started (so nothing "restarting" either). The check runs before any worker or window, so each
case takes about as long as the program's imports."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vhost.config.settings import ASSETS

ROOT = Path(__file__).resolve().parents[1]
CHARACTER = """version = 1
seed = 3
face_shape = "round"
skin_tone = "#9C6443"
hair_style = "curly"
hair_color = "#2A3050"
eye_shape = "upturned"
eye_color = "#66788A"
brows = "soft"
outfit_style = "blouse"
outfit_color = "#2B3A67"
accessory = "necklace"
presentation = "feminine"
"""


@pytest.fixture
def show(tmp_path: Path) -> Path:
    """A show folder: the demo's catalog, persona and chat, a character file, and a config using them."""
    for name in ("catalog.toml", "persona.toml", "chat.jsonl"):
        shutil.copy(ASSETS / name, tmp_path / name)
    (tmp_path / "products").symlink_to(ASSETS / "products")
    (tmp_path / "me.toml").write_text(CHARACTER, encoding="utf-8")
    (tmp_path / "vhost.toml").write_text('[show]\ncatalog = "catalog.toml"\npersona = "persona.toml"\n'
                                         'chat = "chat.jsonl"\n\n[stage]\ncharacter = "me.toml"\n', encoding="utf-8")
    return tmp_path


def replace_line(path: Path, pattern: str, new: str) -> int:
    """Replace the first line matching `pattern` with `new`; return its 1-based number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if re.match(pattern, line))
    lines[n] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n + 1


def append(path: Path, text: str) -> int:
    """Append `text` (its first line is the one an error should point at); return that line's number."""
    before = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(before + "\n" + text, encoding="utf-8")
    return before.count("\n") + 2


# Each case breaks one file and returns (file name, words the message must contain, line or None).
def bad_catalog_table(d: Path):
    return "catalog.toml", ["bogus", "unknown field"], append(d / "catalog.toml", "[bogus]\nx = 1\n")


def bad_catalog_price(d: Path):
    return "catalog.toml", ["product 'mug'", "price"], replace_line(d / "catalog.toml", r"^price\s*=", 'price = "cheap"')


def bad_persona_type(d: Path):
    return "persona.toml", ["name", "valid string"], replace_line(d / "persona.toml", r"^name\s*=", "name = 42")


def bad_replay_json(d: Path):
    line = replace_line(d / "chat.jsonl", r".*how much is the mug", '{"t": 6.5, "user": "Ben", "text": ')
    return "chat.jsonl", ["not JSON"], line


def bad_replay_field(d: Path):
    line = replace_line(d / "chat.jsonl", r".*how much is the mug", '{"t": "soon", "user": "Ben", "text": "hi"}')
    return "chat.jsonl", ["'t'", "seconds"], line


def bad_character(d: Path):
    return "me.toml", ["hair_style", "mohawk"], replace_line(d / "me.toml", r"^hair_style", 'hair_style = "mohawk"')


def bad_config_section(d: Path):
    return "vhost.toml", ["stagee", "unknown field"], append(d / "vhost.toml", "[stagee]\nseed = 3\n")


def bad_config_type(d: Path):
    return "vhost.toml", ["stage.seed"], append(d / "vhost.toml", 'seed = "seven"\n')


def bad_config_toml(d: Path):
    return "vhost.toml", ["not valid TOML"], append(d / "vhost.toml", "[control\n")


def bad_connector(d: Path):
    line = append(d / "vhost.toml", '[[chat.connectors]]\nsource = "ingest:8767"\n')
    return "vhost.toml", ["chat.connectors.0", "ingest needs a token"], line


CASES = [bad_catalog_table, bad_catalog_price, bad_persona_type, bad_replay_json, bad_replay_field, bad_character,
         bad_config_section, bad_config_type, bad_config_toml, bad_connector]


def run_demo(folder: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "VHOST_DATA_DIR": str(folder / "data"), "XDG_CONFIG_HOME": str(folder / "xdg"),
           "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "vhost", "demo", "--headless", "--duration", "1",
                           "--config", str(folder / "vhost.toml"), *extra],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env=env)


def assert_one_clear_message(r: subprocess.CompletedProcess, file: str, words: list[str], line: int | None) -> None:
    everything = r.stdout + r.stderr
    assert r.returncode == 2, everything
    assert "Traceback" not in everything and "restarting" not in everything, everything
    assert r.stdout == "", r.stdout  # nothing ran, so nothing to report
    err = r.stderr.strip()
    assert err.startswith("vhost: ") and err.count("vhost: ") == 1, err  # one message, not a log
    assert file in err, err
    for word in words:
        assert word in err, (word, err)
    if line is not None:
        assert re.search(rf"\bline {line}\b", err), (line, err)


def test_the_show_folder_itself_is_good(show: Path) -> None:
    """The fixture's files pass the check (so each case below fails for its one broken file only)."""
    from vhost.app.preflight import check_show_files
    from vhost.config.settings import load_config

    assert check_show_files(load_config(show / "vhost.toml"), show / "vhost.toml") == []


# One case stays in the quick suite; the rest (each a process start, ~1.5 s) run with the slow ones.
@pytest.mark.parametrize("case", [pytest.param(c, id=c.__name__, marks=() if c is bad_catalog_table else pytest.mark.slow)
                                  for c in CASES])
def test_a_broken_file_is_one_message_with_file_field_and_line(show: Path, case) -> None:  # noqa: ANN001
    file, words, line = case(show)
    assert_one_clear_message(run_demo(show), file, words, line)


@pytest.mark.slow
def test_a_short_control_token_stops_the_start_without_showing_it(show: Path) -> None:
    (show / "vhost.toml").write_text((show / "vhost.toml").read_text() + "\n[control]\ncontrol_port = 18799\n")
    r = run_demo(show, "--control-token", "s3cr")
    assert_one_clear_message(r, "vhost.toml", ["control.token", "at least 8 characters"], None)
    assert "s3cr" not in r.stderr  # a secret, even a bad one, is not echoed


def test_no_worker_starts_for_a_broken_file(show: Path, monkeypatch) -> None:
    """In process: the check runs before the first worker (start_workers would fail the test)."""
    from vhost.app import cli
    from vhost.app import compose as app

    def no_workers(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("workers started although a file is broken")

    monkeypatch.setattr(app, "start_workers", no_workers)
    bad_character(show)
    assert cli.main(["demo", "--headless", "--duration", "1", "--config", str(show / "vhost.toml")]) == 2


def test_the_desktop_show_says_it_in_a_dialog_too(show: Path, monkeypatch, capsys) -> None:
    """Without --headless (started from a launcher, maybe with no terminal) the same message also
    goes to a dialog; no window of the show opens."""
    from vhost.app import cli

    shown: list[str] = []
    monkeypatch.setattr(cli, "error_dialog", shown.append)
    monkeypatch.setattr("vhost.app.gui.run_gui", lambda *_a, **_k: pytest.fail("the show's windows opened"))
    file, words, line = bad_persona_type(show)
    assert cli.main(["demo", "--config", str(show / "vhost.toml")]) == 2
    err = capsys.readouterr().err
    assert len(shown) == 1 and shown[0] in err and file in shown[0] and f"line {line}" in shown[0]


def test_no_dialog_without_a_screen(monkeypatch) -> None:
    from vhost.app.preflight import error_dialog

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert error_dialog("anything") is False


@pytest.mark.slow
def test_a_start_that_fails_once_workers_run_closes_them_without_restarting(tmp_path: Path) -> None:
    """Something failing after the workers started (here: building the show) ends the program with
    that error; the workers are shut down, not reported as died-and-restarting while it exits."""
    script = ("import sys\nfrom vhost.app import cli, compose\n"
              "def boom(*a, **k):\n    raise RuntimeError('boom while building the show')\n"
              "compose.build_show = boom\n"
              "sys.exit(cli.main(['demo', '--headless', '--duration', '1']))\n")
    env = {**os.environ, "VHOST_DATA_DIR": os.environ["VHOST_DATA_DIR"], "XDG_CONFIG_HOME": str(tmp_path),
           "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, cwd=ROOT, env=env)
    out = r.stdout + r.stderr
    assert r.returncode == 1 and "boom while building the show" in out, out[-3000:]
    assert "restarting" not in out and "died" not in out, out[-3000:]
