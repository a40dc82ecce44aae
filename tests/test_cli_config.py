"""`vhost demo` picks its settings: --config, else what the console saved; a broken saved file never
stops the show (defaults, with a warning for the console), a broken --config file does."""

import argparse

import pytest

from vhost.app import cli
from vhost.config.settings import ConfigError


def args(config=None):
    return argparse.Namespace(config=config)


def test_saved_settings_are_used_and_a_broken_saved_file_falls_back_with_a_warning(tmp_path, monkeypatch):
    saved = tmp_path / "config.toml"
    monkeypatch.setattr(cli, "user_config_path", lambda: saved)
    cfg, path, warning = cli._load_demo_config(args())
    assert path == saved and warning is None and cfg.stage.seed == 7  # nothing saved yet: defaults

    saved.write_text("[stage]\nseed = 12\n", encoding="utf-8")
    cfg, _, warning = cli._load_demo_config(args())
    assert cfg.stage.seed == 12 and warning is None

    saved.write_text("[stage]\nseed = 'twelve'\n", encoding="utf-8")
    cfg, _, warning = cli._load_demo_config(args())
    assert cfg.stage.seed == 7 and "stage.seed" in warning


def test_a_broken_explicit_config_stops_with_the_field_named(tmp_path):
    bad = tmp_path / "my.toml"
    bad.write_text("[stage]\nseed = 'twelve'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="stage.seed"):
        cli._load_demo_config(args(str(bad)))
