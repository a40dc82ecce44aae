"""A control API token given on the command line is for that run only; the stored token (the one a
Stream Deck is set up with) changes only when the user asks (--save-control-token)."""

import stat

import pytest

from vhost.app.cli import _apply_control, _token_note, build_parser
from vhost.config.settings import VhostConfig
from vhost.control.token import describe_source, load_or_create_token, save_token


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("VHOST_DATA_DIR", str(tmp_path))
    return tmp_path


def test_a_given_token_is_used_and_the_stored_one_is_kept(data_dir):
    stored = load_or_create_token()  # first plain start: generated and stored
    path = data_dir / "control-token"
    assert path.read_text() == stored
    assert load_or_create_token("one-off-token-123") == "one-off-token-123"
    assert path.read_text() == stored  # unchanged
    assert load_or_create_token() == stored  # the next plain start matches the Stream Deck again


def test_a_given_token_on_a_first_start_writes_nothing(data_dir):
    assert load_or_create_token("one-off-token-123") == "one-off-token-123"
    assert not (data_dir / "control-token").exists()


def test_save_token_makes_it_the_stored_one_privately(data_dir):
    path = save_token("kept-token-456")
    assert path == data_dir / "control-token" and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_token() == "kept-token-456"
    with pytest.raises(ValueError, match="at least 8"):
        save_token("short")
    assert load_or_create_token() == "kept-token-456"


def _demo_args(*argv):
    return build_parser().parse_args(["demo", *argv])


def test_command_line_token_is_for_this_run_only_and_the_operator_is_told(data_dir, capsys):
    stored = load_or_create_token()
    args = _demo_args("--control-token", "one-off-token-123")
    base = VhostConfig()
    cfg = _apply_control(base.model_copy(deep=True), args)
    assert cfg.control.token.get_secret_value() == "one-off-token-123"
    note = _token_note(base, args)
    assert "for this run only" in note and "--save-control-token" in note
    assert note in capsys.readouterr().err
    assert (data_dir / "control-token").read_text() == stored


def test_save_control_token_keeps_it_for_later_runs(data_dir):
    load_or_create_token()
    args = _demo_args("--control-token", "kept-token-456", "--save-control-token")
    note = _token_note(VhostConfig(), args)
    assert "saved to" in note
    assert load_or_create_token() == "kept-token-456"


def test_the_note_names_each_source(data_dir):
    assert "stored one" in _token_note(VhostConfig(), _demo_args())
    from_file = VhostConfig.model_validate({"control": {"token": "from-config-789"}})
    assert "config file" in _token_note(from_file, _demo_args())
    assert describe_source(True, True) != describe_source(False, True)  # the command line wins, and says so
