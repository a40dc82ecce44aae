"""The console's unanswered questions: what the catalog did not say, for the operator to answer once.

`QuestionsModel` keeps the open questions from the show's `unanswered` events (an `answered` event
closes one) and is tested without a view. `QuestionsPanel` lists them with an answer box: Enter or
"Answer" sends `AnswerQuestion`, which the show speaks to the viewer, learns and saves to the
catalog's FAQ. The typed text stays in the box until the show confirms, so nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vhost.base import commands as cmd
from vhost.ui.model_base import KeyedListModel


class QuestionsModel(KeyedListModel):
    UserRole = Qt.ItemDataRole.UserRole + 1
    TextRole = Qt.ItemDataRole.UserRole + 2
    ProductRole = Qt.ItemDataRole.UserRole + 3
    ROLE_KEYS = {UserRole: "user", TextRole: "text", ProductRole: "product_id"}

    def on_event(self, kind: str, data: dict) -> None:
        if kind == "unanswered" and data.get("id") and self.row_of(data["id"]) is None:
            self._insert(len(self.rows), dict(data))
        elif kind == "answered" and (i := self.row_of(str(data.get("id")))) is not None:
            self._remove(i)

    def display(self, row: dict, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.get('user', '')} ({row.get('product_id', '')}): {row.get('text', '')}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.get("said", "")
        return None


class QuestionsPanel(QWidget):
    def __init__(self, model: QuestionsModel, bridge, tr) -> None:  # noqa: ANN001 - CoreBridge, Translator
        super().__init__()
        self.model = model
        self.bridge = bridge
        self.tr_ = tr
        self.title = QLabel()
        self.list = QListView()
        self.list.setModel(model)
        self.list.setMaximumHeight(120)
        self.answer_box = QLineEdit()
        self.save_box = QCheckBox()
        self.save_box.setChecked(True)
        self.answer_button = QPushButton()
        self.answer_button.clicked.connect(self.send)
        self.answer_box.returnPressed.connect(self.send)
        model.rowsInserted.connect(self._select_first)
        model.rowsRemoved.connect(self._refresh_title)
        row = QHBoxLayout()
        row.addWidget(self.answer_box, 1)
        row.addWidget(self.save_box)
        row.addWidget(self.answer_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self.retranslate()
        if hasattr(tr, "changed"):
            tr.changed.connect(self.retranslate)

    def selected_id(self) -> str | None:
        idx = self.list.currentIndex()
        row = idx.row() if idx.isValid() else (0 if self.model.rows else -1)
        return self.model.rows[row]["id"] if 0 <= row < len(self.model.rows) else None

    def send(self) -> None:
        qid, text = self.selected_id(), self.answer_box.text().strip()
        if qid is None or not text:
            return
        self.bridge.send(cmd.AnswerQuestion(qid, text, self.save_box.isChecked()))
        self.answer_box.clear()  # a refused answer comes back through the warning's `restore`

    def restore(self, text: str) -> None:
        if not self.answer_box.text():
            self.answer_box.setText(text)

    def _select_first(self, *_args) -> None:
        if not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.model.index(0))
        self._refresh_title()

    def _refresh_title(self, *_args) -> None:
        self.title.setText(self.tr_("questions.title", n=len(self.model.rows)))

    def retranslate(self, *_args) -> None:
        t = self.tr_
        self._refresh_title()
        self.answer_box.setPlaceholderText(t("questions.placeholder"))
        self.save_box.setText(t("questions.save"))
        self.answer_button.setText(t("questions.answer"))
