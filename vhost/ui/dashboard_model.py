"""The live dashboard's Qt side, tested without views: `DashboardModel` folds the show's events into
`vhost.show.insights.live.LiveInsights` as they arrive and publishes one snapshot a second at most
(a QTimer coalesces: a burst of 2,000 messages is one update); `ProductInterestModel` is the
interest-per-product table; `tiles` puts the headline figures into words.

Folding one event costs tens of microseconds (a product match and a sentiment check); drawing
happens only on the timer, and only while the dashboard is visible — the stage's frames, painted
on the same thread, are never waited on.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from vhost.show.insights.live import LiveInsights, event_time
from vhost.show.insights.products import Products
from vhost.ui.i18n import lookup

Index = QModelIndex | QPersistentModelIndex
Labels = Callable[..., str]
#: the show events the dashboard reads
KINDS = frozenset({"chat", "triage", "reply", "unanswered", "answered", "draft", "product", "state"})


class ShowClock:
    """The show clock as the console can tell it: the last time an event carried, advanced by the
    wall time since (the events come from the audio sink's clock, which runs in real time)."""

    STEP_S = 2.0

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self._t, self._at = 0.0, monotonic()

    def sync(self, t: float) -> None:
        """An event's time. One stamped a moment before an event already seen (a message's
        arrival, published after triage) does not set the clock back; a real step does."""
        now = self.now()
        if t > now or now - t > self.STEP_S:
            self._t, self._at = t, self.monotonic()

    def now(self) -> float:
        return self._t + (self.monotonic() - self._at)


class DashboardModel(QObject):
    updated = Signal(dict)  # the snapshot (LiveInsights.snapshot), at most once per interval

    def __init__(self, products: Products | None = None, interval_ms: int = 1000,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.live = LiveInsights(products)
        self.clock = ShowClock(monotonic)
        self.snapshot: dict[str, Any] = self.live.snapshot(0.0)
        self.updates = 0
        self._dirty = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)

    def on_event(self, kind: str, data: dict) -> None:
        if kind not in KINDS or not isinstance(data, dict):
            return
        at = event_time(kind, data)
        if at is None:
            at = self.clock.now()
        else:
            self.clock.sync(at)
        self.live.observe(kind, data, at)
        self._dirty = True
        if not self.timer.isActive():
            # Once the show talks the figures tick each interval (ages and windows move on with
            # time); until then nothing runs.
            self.timer.start()

    def tick(self) -> None:
        self.snapshot = self.live.snapshot(self.clock.now())
        self._dirty = False
        self.updates += 1
        self.updated.emit(self.snapshot)


# --- the product table ------------------------------------------------------------------------
COLUMNS = ("product", "mentions", "questions", "purchase_signals", "recent_questions")
ON_SCREEN = QColor("#dcebf7")


class ProductInterestModel(QAbstractTableModel):
    """Rows: the snapshot's products (catalog order). Columns: COLUMNS. The product on screen is
    bold on a light blue; the suggested one is green."""

    ProductRole = Qt.ItemDataRole.UserRole + 1
    OnScreenRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, names: dict[str, dict[str, str]] | None = None) -> None:
        """`names`: product id -> {"": name, language: name} for the console's language."""
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.names = names or {}
        self.suggested: str | None = None
        self.labels: Labels = lambda key, **kw: lookup(key).format(**kw) if kw else lookup(key)
        self.language = "en"
        self.recent_min = 3

    def set_labels(self, labels: Labels, language: str) -> None:
        self.labels, self.language = labels, language
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self._all_changed()

    def set_snapshot(self, snap: dict[str, Any]) -> None:
        rows = [dict(r) for r in snap.get("products") or []]
        suggested = (snap.get("suggestion") or {}).get("product")
        if rows == self.rows and suggested == self.suggested:
            return  # nothing new: the view does not repaint
        self.suggested = suggested
        if [r["product"] for r in rows] != [r["product"] for r in self.rows]:
            self.beginResetModel()
            self.rows = rows
            self.endResetModel()
            return
        self.rows = rows
        self._all_changed()

    def _all_changed(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))

    def name(self, pid: str, fallback: str = "") -> str:
        names = self.names.get(pid) or {}
        return names.get(self.language) or names.get("") or fallback or pid

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if not 0 <= section < len(COLUMNS):
            return None
        return self.labels(f"dash.col.{COLUMNS[section]}", m=self.recent_min)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, col = self.rows[index.row()], COLUMNS[index.column()]
        if role == self.ProductRole:
            return row["product"]
        if role == self.OnScreenRole:
            return bool(row.get("on_screen"))
        if role == Qt.ItemDataRole.DisplayRole:
            if col == "product":
                mark = f"  ({self.labels('dash.on_screen')})" if row.get("on_screen") else ""
                return self.name(row["product"], row.get("name", "")) + mark
            return row.get(col, 0)
        if role == Qt.ItemDataRole.TextAlignmentRole and col != "product":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return self._style(row, role)

    def _style(self, row: dict[str, Any], role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and row.get("on_screen"):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            if row["product"] == self.suggested:
                return QColor("#d9f2e1")
            if row.get("on_screen"):
                return ON_SCREEN
        return None


# --- the headline figures in words --------------------------------------------------------------
def _secs(t: Labels, s: float | None) -> str:
    if s is None:
        return "—"
    if s >= 120:
        return t("dash.minutes", m=s / 60)
    return t("dash.seconds", s=s) if s < 10 else t("dash.seconds_whole", s=s)


def tiles(snap: dict[str, Any], t: Labels) -> list[tuple[str, str, str]]:
    """(title, value, detail) per tile: chat rate, coverage, answer time, waiting, not in the
    catalog, gifts."""
    a, g = snap["answers"], snap["gifts"]
    coverage = "—" if a["coverage"] is None else f"{a['coverage'] * 100:.0f}%"
    ago = a.get("last_answer_ago_s")
    totals = " · ".join(f"{v:g} {c}" for c, v in sorted(g["totals"].items()))
    return [
        (t("dash.chat_rate"), t("dash.per_min", n=snap["messages_last_min"]), t("dash.chat_total", n=snap["messages"])),
        (t("dash.coverage"), coverage, t("dash.coverage_detail", covered=a["covered"], n=a["questions"])),
        (t("dash.latency"), _secs(t, a["latency_p50_s"]),
         t("dash.latency_detail", p95=_secs(t, a["latency_p95_s"]), ago=_secs(t, ago) if ago is not None else "—")),
        (t("dash.waiting"), str(a["open"]), t("dash.waiting_detail", s=_secs(t, a["oldest_open_s"]))),
        (t("dash.unanswered"), str(snap["unanswered"]), t("dash.unanswered_detail")),
        (t("dash.gifts"), str(g["events"]),
         t("dash.gifts_detail", n=g["recent"], m=round(g["window_s"] / 60)) + (f" · {totals}" if totals else "")),
    ]
