"""The operator console (minimal): chat list, say-now box, interrupt, auto-reply, product switcher,
and the status of the models and the audio device."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vhost.core import commands as cmd
from vhost.ui.bridge import CoreBridge
from vhost.ui.models import ChatListModel


class ConsoleWindow(QWidget):
    def __init__(self, bridge: CoreBridge, products: list[tuple[str, str]], auto_reply: bool = True) -> None:
        super().__init__()
        self.bridge = bridge
        self.setWindowTitle("vhost — operator console")
        self.resize(720, 760)

        self.status = QLabel("Starting: loading the voice and the language model…")
        self.status.setWordWrap(True)
        self.chat_model = ChatListModel()
        self.chat_view = QListView()
        self.chat_view.setModel(self.chat_model)
        self.chat_view.setWordWrap(True)

        self.say_box = QLineEdit()
        self.say_box.setPlaceholderText("Type a line to say now, press Enter…")
        self.say_button = QPushButton("Say now")
        self.interrupt_button = QPushButton("Interrupt (Esc)")
        self.auto_reply = QCheckBox("Auto-reply to chat")
        self.auto_reply.setChecked(auto_reply)
        self.product_box = QComboBox()
        for pid, name in products:
            self.product_box.addItem(name, pid)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(500)

        say_row = QHBoxLayout()
        say_row.addWidget(self.say_box, 1)
        say_row.addWidget(self.say_button)
        controls = QHBoxLayout()
        controls.addWidget(self.interrupt_button)
        controls.addWidget(self.auto_reply)
        controls.addWidget(QLabel("Product:"))
        controls.addWidget(self.product_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(QLabel("Viewer chat"))
        layout.addWidget(self.chat_view, 3)
        layout.addLayout(say_row)
        layout.addLayout(controls)
        layout.addWidget(QLabel("Spoken / events"))
        layout.addWidget(self.log, 2)

        self.say_box.returnPressed.connect(self.say_now)
        self.say_button.clicked.connect(self.say_now)
        self.interrupt_button.clicked.connect(self.interrupt)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.interrupt)
        self.auto_reply.toggled.connect(lambda on: bridge.send(cmd.SetAutoReply(on)))
        self.product_box.currentIndexChanged.connect(self._product_changed)
        bridge.event.connect(self.on_event)

    # --- operator actions ------------------------------------------------------------
    def say_now(self) -> None:
        text = self.say_box.text().strip()
        if not text:
            return
        self.bridge.send(cmd.SayNow(text))
        self.say_box.clear()
        self._log(f"You → say now: {text}")

    def interrupt(self) -> None:
        self.bridge.send(cmd.Interrupt())

    def _product_changed(self, _index: int) -> None:
        pid = self.product_box.currentData()
        if pid:
            self.bridge.send(cmd.SwitchProduct(pid))

    # --- events from the core --------------------------------------------------------
    def on_event(self, kind: str, data: dict) -> None:
        if kind == "chat":
            self.chat_model.add_chat(data)
            self.chat_view.scrollToBottom()
        elif kind == "reply_started":
            self.chat_model.set_state(data["chat_id"], "answering")
        elif kind == "reply":
            state = "interrupted" if data["interrupted"] else "answered"
            self.chat_model.set_state(data["chat_id"], state)
            flag = "" if data["grounded"] else "  ⚠ held back: " + "; ".join(data["mismatches"])
            self._log(f"Host → {data['user']}: {data['heard_text'] or data['reply_text']}{flag}")
        elif kind == "spoken":
            self._log(f"Host (operator line): {data['heard_text']}" + (" [cut]" if data["interrupted"] else ""))
        elif kind in ("warning", "info", "status"):
            self._log(f"{kind}: {data.get('text', data)}")
            if data.get("restore") and not self.say_box.text():
                self.say_box.setText(data["restore"])  # a typed line that could not be spoken is not lost
            if kind == "status":
                self.status.setText(data.get("text", ""))
        elif kind == "ready":
            self.status.setText(data.get("text", "Live."))

    def _log(self, line: str) -> None:
        self.log.appendPlainText(line)
