"""The live dashboard tab: "viewers are asking about X — switch?", the headline figures (chat rate,
questions answered, answer time, questions waiting, not in the catalog, gifts), chat per minute by
intent, the sentiment share of the last minutes, and interest per product.

Everything comes from `DashboardModel.updated` (once a second at most); a hidden dashboard keeps
only the latest snapshot and draws it when shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vhost.base import commands as cmd
from vhost.show.insights.live import INTENTS
from vhost.show.insights.messages import SENTIMENTS
from vhost.ui.chat_model import INTENT_COLORS
from vhost.ui.dashboard_charts import Series, ShareBar, StackedBars
from vhost.ui.dashboard_model import DashboardModel, ProductInterestModel, tiles
from vhost.ui.i18n import Translator

SENTIMENT_COLORS = {"positive": "#2e8b57", "neutral": "#a6acaf", "negative": "#e67e22", "complaint": "#c0392b"}
SECTION = "font-weight: bold"


def set_text(label: QLabel, text: str) -> None:
    """Only a changed text relabels (and repaints): most figures stay the same from one second to
    the next."""
    if label.text() != text:
        label.setText(text)


class Tile(QFrame):
    """One headline figure: a small title, the value in large type, a detail line."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("Tile { background: #f7f9fb; border: 1px solid #d5dde5; border-radius: 4px; }")
        self.title, self.value, self.detail = QLabel(), QLabel(), QLabel()
        self.title.setStyleSheet("color: #555555")
        self.value.setStyleSheet("font-size: 13pt; font-weight: bold; color: #1b2631")
        self.detail.setStyleSheet("color: #6b7a89; font-size: 8pt")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(7, 2, 7, 2)
        layout.setSpacing(0)
        for w in (self.title, self.value, self.detail):
            layout.addWidget(w)

    def set(self, title: str, value: str, detail: str) -> None:
        for label, text in ((self.title, title), (self.value, value), (self.detail, detail)):
            set_text(label, text)


class SwitchBanner(QFrame):
    """Shown while viewers clearly ask about another product: the suggestion and a switch button."""

    def __init__(self) -> None:
        super().__init__()
        self.product: str | None = None
        self.setStyleSheet("SwitchBanner { background: #fff4d6; border: 1px solid #e0a800; border-radius: 4px; }")
        self.text, self.detail = QLabel(), QLabel()
        self.text.setStyleSheet("font-weight: bold; font-size: 11pt")
        self.detail.setWordWrap(True)
        self.button = QPushButton()
        col = QVBoxLayout()
        col.addWidget(self.text)
        col.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 6, 8, 6)
        row.addLayout(col, 1)
        row.addWidget(self.button)
        self.hide()


class DashboardPanel(QWidget):
    attention = Signal(bool)  # a switch is suggested (the console marks the tab)

    def __init__(self, model: DashboardModel, bridge, tr: Translator,  # noqa: ANN001 - CoreBridge
                 products: list[tuple] | None = None) -> None:
        """`products`: (id, name) or (id, name, {language: name}), as the console's switcher."""
        super().__init__()
        self.model, self.bridge, self.tr_ = model, bridge, tr
        names = {pid: {"": name, **(extra[0] if extra else {})} for pid, name, *extra in products or []}
        self.table_model = ProductInterestModel(names)
        self.table_model.recent_min = round(model.live.recent_s / 60)
        self.snap: dict[str, Any] = model.snapshot
        self.suggested: str | None = None
        self.banner = SwitchBanner()
        self.banner.button.clicked.connect(self.switch)
        self.tiles = [Tile() for _ in range(6)]
        self.intent_title, self.sentiment_title = QLabel(), QLabel()
        for label in (self.intent_title, self.sentiment_title):
            label.setStyleSheet(SECTION)
        self.intent_chart = StackedBars()
        self.sentiment_bar = ShareBar()
        self.table = self._make_table()
        self._lay_out()
        model.updated.connect(self.refresh)
        tr.changed.connect(self.retranslate)
        self.retranslate()

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.table_model)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return table

    def _lay_out(self) -> None:
        grid = QGridLayout()  # the figures beside the chart: the chart keeps its height
        grid.setSpacing(4)
        for i, tile in enumerate(self.tiles):
            grid.addWidget(tile, i // 2, i % 2)
        chart = QVBoxLayout()
        chart.setSpacing(2)
        chart.addWidget(self.intent_title)
        chart.addWidget(self.intent_chart, 1)
        row = QHBoxLayout()
        row.addLayout(grid, 4)
        row.addLayout(chart, 5)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(3)
        feeling = QHBoxLayout()  # title and bar on one line: the table stays in view
        feeling.addWidget(self.sentiment_title)
        feeling.addWidget(self.sentiment_bar, 1)
        layout.addWidget(self.banner)
        layout.addLayout(row, 1)
        layout.addLayout(feeling)
        layout.addWidget(self.table)
        # Scrolls rather than growing the console: a small screen still fits the whole window.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _fit_table(self) -> None:
        """The table as tall as its rows: every product in view, no inner scrolling."""
        t = self.table
        t.setFixedHeight(t.horizontalHeader().height() + t.verticalHeader().length() + 2 * t.frameWidth())

    # --- updates ---------------------------------------------------------------------------------
    def refresh(self, snap: dict[str, Any] | None = None) -> None:
        if snap is not None:
            self.snap = snap
        self._banner()  # the console marks the tab from this, visible or not
        self.table_model.set_snapshot(self.snap)  # cheap; a hidden view does not paint
        if not self.isVisible():
            return  # drawn when shown (showEvent)
        self._fit_table()
        t = self.tr_
        for tile, (title, value, detail) in zip(self.tiles, tiles(self.snap, t), strict=True):
            tile.set(title, value, detail)
        self._charts()

    def _charts(self) -> None:
        t, snap = self.tr_, self.snap
        per = snap["per_minute"]
        n = len(per["messages"])
        set_text(self.intent_title, t("dash.per_minute", m=n))
        series = [Series(i, t(f"intent.{i}"), INTENT_COLORS[i], tuple(per["intents"][i])) for i in INTENTS]
        labels = ["" if (n - 1 - i) % 5 else (t("dash.now") if i == n - 1 else t("dash.min_ago", n=n - 1 - i))
                  for i in range(n)]
        self.intent_chart.set_data(series, labels, t("dash.no_data"))
        s = snap["sentiment"]
        set_text(self.sentiment_title, t("dash.sentiment", m=round(s["window_s"] / 60), n=s["n"]))
        self.sentiment_bar.set_data([(t(f"sentiment.{k}"), SENTIMENT_COLORS[k], s["shares"][k]) for k in SENTIMENTS],
                                    t("dash.no_data"))

    def _banner(self) -> None:
        sug = self.snap.get("suggestion")
        pid = sug["product"] if sug else None
        if pid:
            t = self.tr_
            name = self.table_model.name(pid, sug.get("name", ""))
            self.banner.product = pid
            set_text(self.banner.text, t("dash.switch", name=name))
            set_text(self.banner.detail, t("dash.switch_detail", n=sug["recent_questions"],
                                           m=round(sug["window_s"] / 60), cur=sug["on_screen_questions"]))
            self.banner.button.setText(t("dash.switch_button", name=name))
        self.banner.setVisible(bool(pid))
        if pid != self.suggested:
            self.suggested = pid
            self.attention.emit(bool(pid))

    def switch(self) -> None:
        if self.banner.product:
            self.bridge.send(cmd.SwitchProduct(self.banner.product))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def retranslate(self, *_args) -> None:
        t = self.tr_
        self.table_model.set_labels(t, t.language)
        self.refresh()
