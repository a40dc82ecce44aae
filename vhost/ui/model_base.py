"""A list model of dict rows keyed by id: the shared plumbing of the console's item models.

Rows are plain dicts (the core's event payloads, enriched), so a model is tested by feeding it
events and reading roles back — no view needed.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class KeyedListModel(QAbstractListModel):
    #: role -> row key, filled in by subclasses (each role reads one field of the row dict)
    ROLE_KEYS: dict[int, str] = {}

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self._pos: dict[str, int] = {}

    # --- Qt interface -----------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def roleNames(self) -> dict[int, bytes]:
        return {**super().roleNames(), **{r: k.encode() for r, k in self.ROLE_KEYS.items()}}

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in self.ROLE_KEYS:
            return row.get(self.ROLE_KEYS[role])
        return self.display(row, role)

    def display(self, row: dict, role: int) -> Any:  # pragma: no cover - overridden
        return None

    # --- row helpers ------------------------------------------------------------------
    def row_of(self, key: str) -> int | None:
        return self._pos.get(key)

    def get(self, key: str) -> dict | None:
        i = self._pos.get(key)
        return None if i is None else self.rows[i]

    def _reindex(self) -> None:
        self._pos = {row["id"]: i for i, row in enumerate(self.rows)}

    def _insert(self, at: int, row: dict) -> None:
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.insert(at, row)
        if at == len(self.rows) - 1:
            self._pos[row["id"]] = at  # an append (every chat line): no need to renumber 500 rows
        else:
            self._reindex()
        self.endInsertRows()

    def _remove(self, first: int, last: int | None = None) -> None:
        last = first if last is None else last
        self.beginRemoveRows(QModelIndex(), first, last)
        del self.rows[first:last + 1]
        self._reindex()
        self.endRemoveRows()

    def _changed(self, i: int, roles: list[int] | None = None) -> None:
        idx = self.index(i)
        self.dataChanged.emit(idx, idx, roles or [])
