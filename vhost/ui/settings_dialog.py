"""Settings dialog over the validated config: audio device by name, voice, model, reply mode,
console language, in-app shortcuts and global hotkeys, and the OBS link (its password masked,
never shown: left empty, the stored one is kept).

A value the config rejects is listed in the dialog (field and reason) and nothing is written; the
dialog never raises into the Qt event loop. Saving writes the TOML file and emits `saved(cfg)`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vhost.config.settings import VhostConfig
from vhost.config.ui import DEFAULT_SHORTCUTS
from vhost.ui import settings_store as store
from vhost.ui.i18n import LANGUAGES, Translator


class SettingsDialog(QDialog):
    saved = Signal(object)  # the new VhostConfig, as loaded back from the file

    def __init__(self, cfg: VhostConfig, path: Path, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cfg, self.path, self.tr_ = cfg, Path(path), tr
        t = tr.t
        self.setWindowTitle(t("settings.title"))
        self.setMinimumWidth(560)
        s = store.Settings.from_config(cfg)
        tabs = QTabWidget()
        tabs.addTab(self._general_tab(s), t("settings.general"))
        tabs.addTab(self._keys_tab(s), t("settings.shortcuts"))
        tabs.addTab(self._obs_tab(s), t("settings.obs"))
        self.errors = QLabel()
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b00020")
        self.errors.hide()
        self.where = QLabel(t("settings.file", path=str(self.path)))
        self.where.setStyleSheet("color: #777")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(t("settings.save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(t("settings.cancel"))
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.errors)
        layout.addWidget(self.where)
        layout.addWidget(buttons)

    def _general_tab(self, s: store.Settings) -> QWidget:
        """Audio device, voices, model, reply mode and console language."""
        t = self.tr_.t
        self._make_audio_box(s)
        self.voice = self._combo(store.literal_choices("voice", "engine"), s.voice_engine)
        self.voice_zh = self.kokoro = None
        if s.voice_languages is not None:  # the Chinese voice may use another engine than English
            self.voice_zh = self._combo(store.literal_choices("voice", "engine"),
                                        s.voice_languages.get("zh", s.voice_engine))
        if s.kokoro_voice is not None:  # "auto" (a native style per language) or a style by name
            self.kokoro = self._combo(["auto", *kokoro_style_names()], s.kokoro_voice, editable=True)
        self.model = self._combo(store.llm_choices(), s.llm_model, editable=True)
        self.mode = QComboBox()
        for m in ("manual", "assisted", "auto"):
            self.mode.addItem(t(f"mode.{m}"), m)
        self.mode.setCurrentIndex(max(0, self.mode.findData(s.mode)))
        self.language = QComboBox()
        self.language.addItem(t("settings.language_system"), None)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))

        general = QWidget()
        form = QFormLayout(general)
        form.addRow(t("settings.audio"), self.audio)
        form.addRow("", self.audio_note)
        form.addRow(t("settings.voice"), self.voice)
        if self.voice_zh is not None:
            form.addRow(t("settings.voice_zh"), self.voice_zh)
        if self.kokoro is not None:
            form.addRow(t("settings.kokoro_voice"), self.kokoro)
        form.addRow(t("settings.model"), self.model)
        form.addRow(t("settings.mode"), self.mode)
        form.addRow(t("settings.language"), self.language)
        return general

    def _make_audio_box(self, s: store.Settings) -> None:
        t = self.tr_.t
        self.audio = QComboBox()
        self.audio.setEditable(True)  # a device by part of its name, or one not plugged in yet
        self.audio.addItem(t("settings.audio_default"), None)
        names, why = store.audio_outputs()
        for name in names:
            self.audio.addItem(name, name)
        if s.audio_device:
            i = self.audio.findData(s.audio_device)
            self.audio.setCurrentIndex(i) if i >= 0 else self.audio.setEditText(s.audio_device)
        self.audio_note = QLabel(t("settings.audio_none") + (f" ({why})" if why else "") if not names else "")
        self.audio_note.setVisible(not names)
        self.audio_note.setWordWrap(True)

    def _keys_tab(self, s: store.Settings) -> QWidget:
        """In-app shortcuts and the global hotkeys."""
        t = self.tr_.t
        keys = QWidget()
        keys_form = QFormLayout(keys)
        self.shortcut_edits: dict[str, QLineEdit] = {}
        for action in DEFAULT_SHORTCUTS:
            edit = self.shortcut_edits[action] = QLineEdit(s.shortcuts.get(action, ""))
            keys_form.addRow(t(f"shortcut.{action}"), edit)
        self.global_hotkeys = QCheckBox(t("settings.hotkeys"))
        self.global_hotkeys.setChecked(s.global_hotkeys)
        self.hotkeys = QPlainTextEdit("\n".join(f"{k} = {v}" for k, v in s.hotkeys.items()))
        self.hotkeys.setFixedHeight(110)
        hint = QLabel(t("settings.hotkeys_hint"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #777")
        keys_form.addRow(self.global_hotkeys)
        keys_form.addRow(hint)
        keys_form.addRow(self.hotkeys)
        return keys

    def _obs_tab(self, s: store.Settings) -> QWidget:
        """The obs-websocket URL and password; saved, the link retries with them at once."""
        t = self.tr_.t
        stored = store.has_obs_password(self.cfg)
        self.obs_url = QLineEdit((s.obs.url or "") if s.obs is not None else "")
        self.obs_url.setPlaceholderText("ws://127.0.0.1:4455")
        self.obs_password = QLineEdit()
        self.obs_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.obs_password.setPlaceholderText(t("settings.obs_password_kept" if stored else "settings.obs_password_none"))
        self.obs_clear = QCheckBox(t("settings.obs_clear"))
        self.obs_clear.setEnabled(stored)
        self.obs_clear.toggled.connect(self._obs_clear_toggled)
        hint = QLabel(t("settings.obs_hint"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #777")
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(t("settings.obs_url"), self.obs_url)
        form.addRow(t("settings.obs_password"), self.obs_password)
        form.addRow("", self.obs_clear)
        form.addRow(hint)
        return page

    def _obs_clear_toggled(self, clear: bool) -> None:
        if clear:
            self.obs_password.clear()
        self.obs_password.setEnabled(not clear)

    @staticmethod
    def _combo(choices: list[str], current: str, editable: bool = False) -> QComboBox:
        box = QComboBox()
        box.setEditable(editable)
        box.addItems(choices)
        if box.findText(current) < 0:
            box.addItem(current)
        box.setCurrentText(current)
        return box

    def settings(self) -> tuple[store.Settings, list[str]]:
        """The dialog's values, and the lines of the hotkey box it could not read."""
        audio = self.audio.currentText().strip()
        if audio == self.audio.itemText(0):  # "(system default)"
            audio = ""
        hotkeys, bad = {}, []
        for n, line in enumerate(self.hotkeys.toPlainText().splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            combo, sep, action = line.partition("=")
            if not sep or not combo.strip() or not action.strip():
                bad.append(f"control.hotkeys line {n}: write it as  <ctrl>+<alt>+i = interrupt")
                continue
            hotkeys[combo.strip()] = action.strip()
        shortcuts = {a: e.text().strip() for a, e in self.shortcut_edits.items()}
        base = store.Settings.from_config(self.cfg)
        languages = base.voice_languages
        if self.voice_zh is not None and languages is not None:
            languages = {**languages, "zh": self.voice_zh.currentText()}
        kokoro = self.kokoro.currentText().strip() if self.kokoro is not None else None
        obs = store.ObsSettings(self.obs_url.text().strip() or None, self.obs_password.text() or None,
                                self.obs_clear.isChecked())
        return store.Settings(audio or None, self.voice.currentText(), self.model.currentText(),
                              self.mode.currentData(), self.language.currentData(), shortcuts,
                              hotkeys, self.global_hotkeys.isChecked(), languages, kokoro, obs), bad

    def try_save(self) -> bool:
        try:
            settings, errors = self.settings()
            cfg = None
            if not errors:
                cfg, errors = store.save(self.path, settings)
        except Exception as exc:  # noqa: BLE001 - a settings bug must not take the show down
            cfg, errors = None, [f"{type(exc).__name__}: {exc}"]
        if errors or cfg is None:
            self.errors.setText(self.tr_("settings.invalid") + "\n" + "\n".join(errors))
            self.errors.show()
            return False
        self.errors.hide()
        self.cfg = cfg
        self.saved.emit(cfg)
        self.accept()
        return True


def kokoro_style_names() -> list[str]:
    """Kokoro's styles on this machine (the packaged Japanese ones and the fetched kokoro-js ones)."""
    from vhost.voice import kokoro_styles as ks

    packaged = [n for names in ks.PREFERRED["ja"].values() for n in names]
    return sorted(set(packaged) | set(ks.installed_styles()))
