"""Bad input at the edges: a broken config names the field; a missing audio device plays silently."""

import pytest

from vhost.app.cli import main
from vhost.audio.sinks import VirtualSink, open_sink
from vhost.config.settings import ConfigError, VhostConfig, load_config


def test_defaults_need_no_file():
    cfg = load_config(None)
    assert isinstance(cfg, VhostConfig) and cfg.show.catalog.is_file() and cfg.show.chat.is_file()


def test_wrong_field_is_named(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text('[stage]\nfps = 500\n[llm]\nmodle = "x"\n')
    with pytest.raises(ConfigError) as err:
        load_config(bad)
    text = str(err.value)
    assert "stage.fps" in text and "llm.modle" in text and str(bad) in text


def test_not_toml_and_missing_file(tmp_path):
    broken = tmp_path / "b.toml"
    broken.write_text("[stage\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(broken)
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_relative_paths_are_relative_to_the_config_file(tmp_path):
    cfg_file = tmp_path / "show.toml"
    cfg_file.write_text('[show]\ncatalog = "shop/catalog.toml"\n')
    assert load_config(cfg_file).show.catalog == (tmp_path / "shop" / "catalog.toml").resolve()


def test_cli_reports_a_broken_config_without_a_traceback(tmp_path, capsys):
    bad = tmp_path / "c.toml"
    bad.write_text("[audio]\nsample_rate = 'fast'\n")
    assert main(["demo", "--headless", "--config", str(bad)]) == 2
    assert "audio.sample_rate" in capsys.readouterr().err


def test_a_missing_audio_device_means_silent_playback_with_a_warning():
    sink = open_sink("no-such-device-vhost-test")
    assert isinstance(sink, VirtualSink)
    assert "playing silently" in sink.warning
