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


# --- the OBS link: [control.obs] url and password (issue 16) ---------------------------------
OBS_FILE = ('[stage]\nseed = 5\n\n[control]\nmode = "manual"\n\n[control.obs]\nurl = "ws://127.0.0.1:4455"\n'
            'password = "old-secret"\nsources_scene = "Shop"\n\n[control.obs.scenes]\nmug = "Mug close-up"\n')


def obs_saved(path, **obs):
    settings = store.Settings.from_config(load_config(path))
    settings.obs = store.ObsSettings(**obs)
    cfg, errors = store.save(path, settings)
    assert errors == [] and cfg is not None
    return cfg, path.read_text(encoding="utf-8")


def test_store_writes_url_and_typed_password_under_control_obs_and_keeps_the_rest(tmp_path):
    path = tmp_path / "vhost.toml"
    path.write_text(OBS_FILE, encoding="utf-8")
    cfg, text = obs_saved(path, url=" ws://10.0.0.2:4456 ", password="new pass")
    raw = tomllib.loads(text)
    assert raw["control"]["obs"] == {"url": "ws://10.0.0.2:4456", "password": "new pass", "sources_scene": "Shop",
                                     "scenes": {"mug": "Mug close-up"}}
    assert raw["stage"] == {"seed": 5} and raw["control"]["mode"] == "manual"
    assert cfg.control.obs.password.get_secret_value() == "new pass" and "**" not in text


def test_store_empty_password_keeps_the_stored_one_and_clear_removes_it(tmp_path):
    path = tmp_path / "vhost.toml"
    path.write_text(OBS_FILE, encoding="utf-8")
    for empty in (None, ""):
        cfg, text = obs_saved(path, url="ws://127.0.0.1:4455", password=empty)
        assert tomllib.loads(text)["control"]["obs"]["password"] == "old-secret"
        assert str(cfg.control.obs.password) not in text  # pydantic's mask never reaches the file
    cfg, text = obs_saved(path, url="ws://127.0.0.1:4455", clear_password=True)
    assert "password" not in tomllib.loads(text)["control"]["obs"] and cfg.control.obs.password is None
    assert not store.has_obs_password(cfg)


def test_store_empty_url_turns_obs_off_and_leaves_no_empty_tables(tmp_path):
    path = tmp_path / "vhost.toml"
    path.write_text('[control.obs]\nurl = "ws://127.0.0.1:4455"\npassword = "x"\n', encoding="utf-8")
    cfg, text = obs_saved(path, url="  ", clear_password=True)
    assert tomllib.loads(text) == {} and cfg.control.obs.url is None
    base = {"control": {"obs": {"url": "ws://a:1"}}}
    store.merged(base, store.Settings.from_config(VhostConfig()))
    assert base == {"control": {"obs": {"url": "ws://a:1"}}}  # the file as read is not changed


def test_store_bad_url_or_bad_table_is_an_error_and_nothing_is_written(tmp_path):
    path = tmp_path / "vhost.toml"
    path.write_text(OBS_FILE, encoding="utf-8")
    settings = store.Settings.from_config(load_config(path))
    settings.obs = store.ObsSettings("http://127.0.0.1:4455", "typed")
    cfg, errors = store.save(path, settings)
    assert cfg is None and any(e.startswith("control.obs.url") and "ws://" in e for e in errors)
    path.write_text('[control]\nobs = "ws://x"\n', encoding="utf-8")
    settings.obs = store.ObsSettings("ws://127.0.0.1:4455")
    cfg, errors = store.save(path, settings)
    assert cfg is None and "control.obs" in errors[0] and "not a table" in errors[0]
    assert path.read_text(encoding="utf-8") == '[control]\nobs = "ws://x"\n'


def test_settings_without_obs_leave_the_obs_keys_alone(tmp_path):
    path = tmp_path / "vhost.toml"
    path.write_text(OBS_FILE, encoding="utf-8")
    settings = store.Settings.from_config(load_config(path))
    settings.obs = None
    assert store.merged(tomllib.loads(OBS_FILE), settings)["control"]["obs"] == tomllib.loads(OBS_FILE)["control"]["obs"]


def test_dialog_obs_tab_masks_the_password_and_saves_it(qtbot, tmp_path):
    from PySide6.QtWidgets import QLineEdit

    path = tmp_path / "vhost.toml"
    path.write_text(OBS_FILE, encoding="utf-8")
    d = dialog(qtbot, path, load_config(path))
    assert d.obs_url.text() == "ws://127.0.0.1:4455"
    assert d.obs_password.echoMode() == QLineEdit.EchoMode.Password
    assert d.obs_password.text() == "" and "keep" in d.obs_password.placeholderText()
    assert d.obs_clear.isEnabled() and not d.obs_clear.isChecked()
    saved = []
    d.saved.connect(saved.append)
    d.obs_url.setText("ws://192.168.1.20:4455")
    d.obs_password.setText("typed-secret")
    assert d.try_save() is True, d.errors.text()
    assert saved[0].control.obs.url == "ws://192.168.1.20:4455"
    assert saved[0].control.obs.password.get_secret_value() == "typed-secret"
    assert tomllib.loads(path.read_text(encoding="utf-8"))["control"]["obs"]["password"] == "typed-secret"


def test_dialog_clear_checkbox_removes_the_password_and_empty_keeps_it(qtbot, tmp_path):
    path = tmp_path / "vhost.toml"
    path.write_text(OBS_FILE, encoding="utf-8")
    d = dialog(qtbot, path, load_config(path))
    assert d.try_save() is True  # nothing typed: the stored password stays
    assert tomllib.loads(path.read_text(encoding="utf-8"))["control"]["obs"]["password"] == "old-secret"
    d = dialog(qtbot, path, load_config(path), lang="zh")
    d.obs_password.setText("half-typed")
    d.obs_clear.setChecked(True)
    assert d.obs_password.text() == "" and not d.obs_password.isEnabled()
    assert d.try_save() is True
    assert "password" not in tomllib.loads(path.read_text(encoding="utf-8"))["control"]["obs"]
    d = dialog(qtbot, path, load_config(path))
    assert not d.obs_clear.isEnabled() and d.obs_password.placeholderText() == "(none)"


def test_dialog_bad_obs_url_is_listed_not_written(qtbot, tmp_path):
    path = tmp_path / "vhost.toml"
    d = dialog(qtbot, path)
    d.obs_url.setText("127.0.0.1:4455")
    assert d.try_save() is False and "control.obs.url" in d.errors.text() and not path.exists()


def test_saving_obs_in_the_console_emits_config_applied_with_the_new_password(qtbot, tmp_path):
    path = tmp_path / "vhost.toml"
    path.write_text(OBS_FILE, encoding="utf-8")
    console = ConsoleWindow(CoreBridge(dispatch=lambda _c: None), [("mug", "Mug")], config_path=path,
                            tr=Translator("en"), cfg=load_config(path))
    qtbot.addWidget(console)
    applied = []
    console.config_applied.connect(applied.append)
    d = console.open_settings()
    d.obs_password.setText("corrected")
    assert d.try_save() is True
    assert applied[0].control.obs.password.get_secret_value() == "corrected"  # gui.py: surface.reconfigure
