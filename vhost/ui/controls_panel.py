"""The show's controls: mode, pause/resume, mute (top bar); say-now, interrupt, product and
emotion (bottom). Each control sends one command; the show's "state"/"mode"/... events set the
controls back without re-sending (so an API or hotkey change shows up here too)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vhost.base import commands as cmd
from vhost.ui.bridge import CoreBridge
from vhost.ui.i18n import Translator

Product = tuple[str, str] | tuple[str, str, dict[str, str]]
EMOTIONS = ("neutral", "happy", "excited", "surprised", "thinking", "sad")


class ShowBar(QWidget):
    """Mode selector (manual / assisted / auto), pause/resume replies, mute."""

    def __init__(self, bridge: CoreBridge, tr: Translator, mode: str = "auto", auto_reply: bool = True) -> None:
        super().__init__()
        self.bridge, self.tr_ = bridge, tr
        self.mode_label = QLabel()
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[str, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mode_label)
        for m in cmd.MODES:
            b = self.mode_buttons[m] = QPushButton()
            b.setCheckable(True)
            self.mode_group.addButton(b)
            layout.addWidget(b)
            b.clicked.connect(lambda _on, m=m: self.bridge.send(cmd.SetMode(m)))
        self.pause_button = QPushButton()
        self.pause_button.setCheckable(True)
        self.mute_button = QPushButton()
        self.mute_button.setCheckable(True)
        layout.addSpacing(16)
        layout.addWidget(self.pause_button)
        layout.addWidget(self.mute_button)
        layout.addStretch(1)
        self.pause_button.toggled.connect(self._pause_toggled)
        self.mute_button.toggled.connect(self._mute_toggled)
        tr.changed.connect(self.retranslate)
        self.show_mode(mode)
        self.show_paused(not auto_reply)
        self.retranslate()

    def _pause_toggled(self, paused: bool) -> None:
        self.bridge.send(cmd.SetAutoReply(not paused))
        self.retranslate()

    def _mute_toggled(self, muted: bool) -> None:
        self.bridge.send(cmd.SetMuted(muted))
        self.retranslate()

    # --- state from the show --------------------------------------------------------------
    def show_mode(self, mode: str) -> None:
        if mode in self.mode_buttons:
            with QSignalBlocker(self.mode_group):
                self.mode_buttons[mode].setChecked(True)

    def show_paused(self, paused: bool) -> None:
        with QSignalBlocker(self.pause_button):
            self.pause_button.setChecked(paused)
        self.retranslate()

    def show_muted(self, muted: bool) -> None:
        with QSignalBlocker(self.mute_button):
            self.mute_button.setChecked(muted)
        self.retranslate()

    @property
    def mode(self) -> str | None:
        return next((m for m, b in self.mode_buttons.items() if b.isChecked()), None)

    def retranslate(self, *_args) -> None:
        t = self.tr_
        self.mode_label.setText(t("mode.label"))
        for m, b in self.mode_buttons.items():
            b.setText(t(f"mode.{m}"))
        self.pause_button.setText(t("resume") if self.pause_button.isChecked() else t("pause"))
        self.mute_button.setText(t("unmute") if self.mute_button.isChecked() else t("mute"))


class CutInBar(QWidget):
    """Say-now box, interrupt, product switcher, emotion buttons."""

    def __init__(self, bridge: CoreBridge, tr: Translator, products: list[Product]) -> None:
        """`products`: (id, name) or (id, name, {language: name}) — the switcher shows the
        console language's name where the catalog has one."""
        super().__init__()
        self.bridge, self.tr_ = bridge, tr
        self.say_box = QLineEdit()
        self.say_button = QPushButton()
        self.interrupt_button = QPushButton()
        self.interrupt_button.setStyleSheet("QPushButton { background: #c0392b; color: white; font-weight: bold;"
                                            " padding: 4px 14px; }")
        self.product_label = QLabel()
        self.product_box = QComboBox()
        self.product_names: list[dict[str, str]] = []
        for pid, name, *names in products:
            self.product_box.addItem(name, pid)
            self.product_names.append({"": name, **(names[0] if names else {})})
        self.emotion_label = QLabel()
        self.emotion_group = QButtonGroup(self)
        self.emotion_buttons: dict[str, QPushButton] = {}

        say_row = QHBoxLayout()
        say_row.addWidget(self.say_box, 1)
        say_row.addWidget(self.say_button)
        say_row.addWidget(self.interrupt_button)
        row2 = QHBoxLayout()
        row2.addWidget(self.product_label)
        row2.addWidget(self.product_box, 1)
        row3 = QHBoxLayout()
        row3.addWidget(self.emotion_label)
        for e in EMOTIONS:
            b = self.emotion_buttons[e] = QPushButton()
            b.setCheckable(True)
            self.emotion_group.addButton(b)
            row3.addWidget(b)
            b.clicked.connect(lambda _on, e=e: self.bridge.send(cmd.SetEmotion(e)))
        row3.addStretch(1)
        self.emotion_buttons["neutral"].setChecked(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(say_row)
        layout.addLayout(row2)
        layout.addLayout(row3)

        self.say_box.returnPressed.connect(self.say_now)
        self.say_button.clicked.connect(self.say_now)
        self.interrupt_button.clicked.connect(self.interrupt)
        self.product_box.currentIndexChanged.connect(self._product_changed)
        tr.changed.connect(self.retranslate)
        self.retranslate()

    def say_now(self) -> str | None:
        text = self.say_box.text().strip()
        if not text:
            return None
        self.bridge.send(cmd.SayNow(text))
        self.say_box.clear()
        return text

    def interrupt(self) -> None:
        self.bridge.send(cmd.Interrupt())

    def _product_changed(self, _index: int) -> None:
        pid = self.product_box.currentData()
        if pid:
            self.bridge.send(cmd.SwitchProduct(pid))

    def show_product(self, product_id: str) -> None:
        i = self.product_box.findData(product_id)
        if i >= 0:
            with QSignalBlocker(self.product_box):
                self.product_box.setCurrentIndex(i)

    def show_emotion(self, emotion: str) -> None:
        if emotion in self.emotion_buttons:
            with QSignalBlocker(self.emotion_group):
                self.emotion_buttons[emotion].setChecked(True)

    def retranslate(self, *_args) -> None:
        t = self.tr_
        self.say_box.setPlaceholderText(t("say.placeholder"))
        self.say_button.setText(t("say.button"))
        self.interrupt_button.setText(t("interrupt"))
        self.product_label.setText(t("product.label"))
        self.emotion_label.setText(t("emotion.label"))
        for e, b in self.emotion_buttons.items():
            b.setText(t(f"emotion.{e}"))
        for i, names in enumerate(self.product_names):
            self.product_box.setItemText(i, names.get(t.language) or names[""])
