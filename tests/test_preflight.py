"""Bad files at start: one clear message naming the file and the field, exit code 2, no traceback,
and nothing started (no worker, no window)."""

import shutil

import pytest

from vhost.app import cli
from vhost.app import compose as app
from vhost.config.settings import ASSETS


@pytest.fixture
def show_files(tmp_path, monkeypatch):
    for name in ("catalog.toml", "persona.toml", "chat.jsonl"):
        shutil.copy(ASSETS / name, tmp_path / name)

    def no_workers(*_a, **_k):
        raise AssertionError("workers started although a file is broken")

    monkeypatch.setattr(app, "start_workers", no_workers)
    return tmp_path


def run_demo(folder, capsys) -> tuple[int, str]:
    cfg = folder / "vhost.toml"
    cfg.write_text('[show]\ncatalog = "catalog.toml"\npersona = "persona.toml"\nchat = "chat.jsonl"\n')
    code = cli.main(["demo", "--headless", "--duration", "1", "--config", str(cfg)])
    return code, capsys.readouterr().err


def test_an_unknown_catalog_table_is_one_message_and_exit_2(show_files, capsys):
    with (show_files / "catalog.toml").open("a") as f:
        f.write("\n[bogus]\nx = 1\n")
    code, err = run_demo(show_files, capsys)
    assert code == 2
    assert "catalog.toml" in err and "bogus" in err and "Traceback" not in err


def test_a_persona_with_a_wrong_field_names_the_file_and_the_field(show_files, capsys):
    with (show_files / "persona.toml").open("a") as f:
        f.write("\nnot_a_persona_field = true\n")
    code, err = run_demo(show_files, capsys)
    assert code == 2
    assert "persona.toml" in err and "not_a_persona_field" in err and "Traceback" not in err


def test_a_missing_chat_replay_is_named(show_files, capsys):
    (show_files / "chat.jsonl").unlink()
    code, err = run_demo(show_files, capsys)
    assert code == 2 and "chat.jsonl" in err and "cannot be read" in err and "Traceback" not in err


def test_a_chat_replay_with_no_usable_line_says_which_line_is_wrong(show_files, capsys):
    (show_files / "chat.jsonl").write_text('{"t": 1, "user": "ann"}\nnot json\n')
    code, err = run_demo(show_files, capsys)
    assert code == 2 and "chat.jsonl" in err and "line 1" in err and "Traceback" not in err
