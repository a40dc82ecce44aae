"""Per-connector health (connecting / live / reconnecting / auth failed / stopped) as a table the
console shows as lights, and the reply-latency meter."""

from __future__ import annotations

import statistics
from collections import deque
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from vhost.ui.i18n import lookup

Index = QModelIndex | QPersistentModelIndex

STATES = ("connecting", "live", "reconnecting", "auth_failed", "stopped")
LIGHTS = {"connecting": "#e0a800", "live": "#22a447", "reconnecting": "#e67e22",
          "auth_failed": "#d62828", "stopped": "#7f8c8d"}


def normalize_state(state: str) -> str:
    """"auth failed", "AUTH_FAILED", "auth-failed" are one state."""
    return state.strip().lower().replace(" ", "_").replace("-", "_")


class ConnectorHealthModel(QAbstractTableModel):
    """Rows: connectors in the order first seen. Columns: name, state, detail."""

    StateRole = Qt.ItemDataRole.UserRole + 1
    COLUMNS = ("connector", "state", "detail")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self._pos: dict[str, int] = {}
        self.labels = lookup

    def set_labels(self, labels) -> None:
        self.labels = labels
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 2))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal and 0 <= section < 3:
            return self.labels(f"health.col.{self.COLUMNS[section]}")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == self.StateRole:
            return row["state"]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row["connector"], self.labels(f"health.{row['state']}"), row["detail"])[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return QColor(LIGHTS.get(row["state"], "#7f8c8d"))
        if role == Qt.ItemDataRole.ToolTipRole:
            return row["detail"] or None
        return None

    def on_event(self, kind: str, data: dict) -> None:
        if kind in ("health", "connector_health", "connector"):
            self.update(data)
        elif kind == "health_snapshot":
            for item in data.get("connectors", []):
                self.update(item)

    def update(self, data: dict) -> None:
        name = data.get("connector") or data.get("name") or data.get("source")
        if not name:
            return
        state = normalize_state(str(data.get("state", "stopped")))
        detail = str(data.get("detail") or data.get("error") or "")
        if data.get("retry_in_s") is not None:
            detail = (detail + f" (retry in {float(data['retry_in_s']):.0f} s)").strip()
        i = self._pos.get(name)
        if state == "warning":  # a notice (bad frames skipped): the detail changes, the light not
            state = self.rows[i]["state"] if i is not None else "live"
        if i is None:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
            self.rows.append({"connector": name, "state": state, "detail": detail})
            self._pos[name] = len(self.rows) - 1
            self.endInsertRows()
            return
        self.rows[i].update(state=state, detail=detail)
        self.dataChanged.emit(self.index(i, 0), self.index(i, 2))

    def worst(self) -> str | None:
        """The state to show when there is room for one light only."""
        order = ("auth_failed", "reconnecting", "stopped", "connecting", "live")
        states = {r["state"] for r in self.rows}
        return next((s for s in order if s in states), None)


class LatencyMeter(QObject):
    """Chat → first audio: p50 of the most recent replies' `latency_s` (from "reply" events)."""

    changed = Signal()

    def __init__(self, window: int = 20) -> None:
        super().__init__()
        self.samples: deque[float] = deque(maxlen=window)

    def on_event(self, kind: str, data: dict) -> None:
        if kind == "reply" and data.get("latency_s") is not None:
            self.add(float(data["latency_s"]))

    def add(self, latency_s: float) -> None:
        if latency_s < 0:
            return  # a clock mix-up, not a measurement
        self.samples.append(latency_s)
        self.changed.emit()

    @property
    def p50(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def last(self) -> float | None:
        return self.samples[-1] if self.samples else None
