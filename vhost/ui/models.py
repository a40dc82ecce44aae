"""Qt item models for the console, testable without any view (as Vorta tests its models)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class ChatListModel(QAbstractListModel):
    """Viewer messages, newest last, with what triage decided and whether it was answered."""

    IntentRole = Qt.ItemDataRole.UserRole + 1
    StateRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, max_rows: int = 500) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.max_rows = max_rows
        self._by_id: dict[str, int] = {}

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            tag = row["state"] if row["state"] != "queued" else row["intent"]
            return f"[{tag}] {row['user']}: {row['text']}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.get("reason", "")
        if role == self.IntentRole:
            return row["intent"]
        if role == self.StateRole:
            return row["state"]
        return None

    def add_chat(self, data: dict) -> None:
        if len(self.rows) >= self.max_rows:
            self.beginRemoveRows(QModelIndex(), 0, 0)
            old = self.rows.pop(0)
            self.endRemoveRows()
            self._by_id.pop(old["id"], None)
            self._by_id = {k: v - 1 for k, v in self._by_id.items()}
        state = "queued" if data.get("accepted") else f"dropped: {data.get('reason', '')}"
        row = {**data, "state": state}
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append(row)
        self._by_id[data["id"]] = len(self.rows) - 1
        self.endInsertRows()

    def set_state(self, chat_id: str, state: str) -> None:
        i = self._by_id.get(chat_id)
        if i is None:
            return
        self.rows[i]["state"] = state
        idx = self.index(i)
        self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DisplayRole, self.StateRole])
