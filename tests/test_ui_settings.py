"""Settings dialog over the validated config: errors shown in the dialog, a valid save writes TOML
that loads back, the operator's other settings survive, and the console applies it live."""

import tomllib

import pytest

from vhost.base import commands as cmd
from vhost.config.settings import VhostConfig, load_config
from vhost.ui import settings_store as store
from vhost.ui.bridge import CoreBridge
from vhost.ui.console import ConsoleWindow
from vhost.ui.i18n import Translator
from vhost.ui.settings_dialog import SettingsDialog
from vhost.ui.toml_out import dumps


def dialog(qtbot, path, cfg=None, lang="en"):
    d = SettingsDialog(cfg or VhostConfig(), path, Translator(lang))
    qtbot.addWidget(d)
    return d


def test_validation_errors_are_shown_and_nothing_is_written(qtbot, tmp_path):
    path = tmp_path / "vhost.toml"
    d = dialog(qtbot, path)
    d.shortcut_edits["skip_top"].setText("Esc")  # the interrupt key already
    d.hotkeys.setPlainText("<ctrl>+<alt>+i = interrupt\n<ctrl>+<alt>+x = dance")
    assert d.try_save() is False
    text = d.errors.text()
    assert not d.errors.isHidden() and "Not saved" in text
    assert "ui.shortcuts" in text and "'Esc' is used by both" in text
    assert "control.hotkeys" in text and "dance" in text
    assert not path.exists()
    d.hotkeys.setPlainText("no equals sign here")
    d.shortcut_edits["skip_top"].setText("Ctrl+Backspace")
    assert d.try_save() is False and "line 1" in d.errors.text()


def test_unreadable_key_text_is_an_error_not_a_crash(qtbot, tmp_path):
    d = dialog(qtbot, tmp_path / "vhost.toml")
    d.shortcut_edits["focus_say"].setText("Ctrl+Banana")
    assert d.try_save() is False
    assert "ui.shortcuts.focus_say" in d.errors.text()


def test_valid_save_writes_toml_that_loads_back_and_keeps_other_settings(qtbot, tmp_path):
    path = tmp_path / "vhost.toml"
    path.write_text('[stage]\nseed = 11\n\n[control.obs]\nurl = "ws://127.0.0.1:4455"\npassword = "s3cret"\n',
                    encoding="utf-8")
    cfg = load_config(path)
    d = dialog(qtbot, path, cfg)
    saved = []
    d.saved.connect(saved.append)
    d.audio.setEditText("CABLE Input")
    d.mode.setCurrentIndex(d.mode.findData("manual"))
    d.language.setCurrentIndex(d.language.findData("zh"))
    d.shortcut_edits["approve_top"].setText("F5")
    assert d.try_save() is True, d.errors.text()
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert raw["stage"] == {"seed": 11}
    assert raw["control"]["obs"]["password"] == "s3cret"  # the real secret, not pydantic's mask
    assert raw["control"]["mode"] == "manual" and raw["audio"]["device"] == "CABLE Input"
    new = saved[0]
    assert new.ui.language == "zh" and new.ui.shortcuts["approve_top"] == "F5"
    assert new.stage.seed == 11 and new.control.obs.password.get_secret_value() == "s3cret"


def test_system_default_audio_removes_the_key(qtbot, tmp_path):
    path = tmp_path / "vhost.toml"
    path.write_text('[audio]\ndevice = "Old USB"\n', encoding="utf-8")
    d = dialog(qtbot, path, load_config(path))
    assert d.audio.currentText() == "Old USB"
    d.audio.setCurrentIndex(0)
    assert d.try_save() is True
    assert "device" not in tomllib.loads(path.read_text(encoding="utf-8")).get("audio", {})


def test_no_audio_library_or_device_is_tolerated(qtbot, tmp_path, monkeypatch):
    import sounddevice

    def broken():
        raise OSError("PortAudio library not found")

    monkeypatch.setattr(sounddevice, "query_devices", broken)
    assert store.audio_outputs() == ([], "PortAudio library not found")
    d = dialog(qtbot, tmp_path / "vhost.toml")
    assert d.audio.count() == 1 and not d.audio_note.isHidden()
    assert "PortAudio library not found" in d.audio_note.text()
    assert d.try_save() is True


def test_broken_existing_file_is_reported_in_the_dialog(qtbot, tmp_path):
    path = tmp_path / "vhost.toml"
    path.write_text("[audio\n", encoding="utf-8")
    d = dialog(qtbot, path)
    assert d.try_save() is False and "not valid TOML" in d.errors.text()
    assert path.read_text(encoding="utf-8") == "[audio\n"


def test_choices_come_from_the_schema_and_manifests():
    assert "piper" in store.literal_choices("voice", "engine")
    assert store.literal_choices("control", "mode") == ["manual", "assisted", "auto"]
    assert "qwen2.5-coder-0.5b-instruct" in store.llm_choices()
    assert "piper-joe" not in store.llm_choices()  # a voice, not a language model


def test_saving_in_the_console_switches_language_shortcuts_and_mode(qtbot, tmp_path):
    sent = []
    console = ConsoleWindow(CoreBridge(dispatch=sent.append), [("mug", "Mug")],
                            config_path=tmp_path / "vhost.toml", tr=Translator("en"))
    qtbot.addWidget(console)
    d = console.open_settings()
    d.language.setCurrentIndex(d.language.findData("zh"))
    d.mode.setCurrentIndex(d.mode.findData("assisted"))
    d.shortcut_edits["interrupt"].setText("F12")
    assert d.try_save() is True
    assert console.cut_in.say_button.text() == "立即说"
    assert console.cut_in.interrupt_button.text() == "打断 (F12)"
    assert sent == [cmd.SetMode("assisted")]


@pytest.mark.parametrize("value", ['quote " and \\ backslash', "多行\n文本\t", "emoji 🎉", "<ctrl>+<alt>+i"])
def test_toml_writer_round_trips_strings(value):
    data = {"a": {"s": value, "n": 3, "f": 0.5, "b": True, "l": ["x", value], "t": {value: value}}}
    assert tomllib.loads(dumps(data)) == data


def test_defaults_are_not_pinned_into_the_file(qtbot, tmp_path):
    path = tmp_path / "vhost.toml"
    d = dialog(qtbot, path)
    d.mode.setCurrentIndex(d.mode.findData("assisted"))
    assert d.try_save() is True
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"control": {"mode": "assisted"}}


def test_saving_keeps_the_chat_connectors_array_of_tables(qtbot, tmp_path):
    # `[[chat.connectors]]` is how every connector is configured: the writer must keep it (it
    # used to refuse "dict", so a streamer with chat set up could not save any setting).
    path = tmp_path / "vhost.toml"
    path.write_text('[chat]\n\n[[chat.connectors]]\nsource = "twitch:#shop"\ntoken = "oauth:abc"\n\n'
                    '[[chat.connectors]]\nsource = "ingest:8765"\n\n[stage]\nseed = 3\n', encoding="utf-8")
    d = dialog(qtbot, path, load_config(path))
    d.mode.setCurrentIndex(d.mode.findData("manual"))
    assert d.try_save() is True, d.errors.text()
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    assert raw["chat"]["connectors"] == [{"source": "twitch:#shop", "token": "oauth:abc"},
                                         {"source": "ingest:8765"}]
    assert raw["stage"] == {"seed": 3} and raw["control"]["mode"] == "manual"
    data = {"a": {"x": 1, "rows": [{"k": "v", "sub": {"n": 2}}, {"k": "w"}], "t": {"y": 2}}}
    assert tomllib.loads(dumps(data)) == data
