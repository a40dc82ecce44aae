"""Chat panel: viewer chat with triage's intent tag, rank and decision; connector health lights;
the reply-latency meter."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QListView, QVBoxLayout, QWidget

from vhost.ui.chat_model import ChatModel
from vhost.ui.health_model import LIGHTS, ConnectorHealthModel, LatencyMeter
from vhost.ui.i18n import Translator


class HealthLights(QLabel):
    """One coloured dot per connector, name and state beside it, wrapping to the panel's width
    (the details are in the tooltip)."""

    def __init__(self, model: ConnectorHealthModel, tr: Translator) -> None:
        super().__init__()
        self.model, self.tr_ = model, tr
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        for sig in (model.rowsInserted, model.dataChanged, model.modelReset):
            sig.connect(self.refresh)
        tr.changed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args) -> None:
        if not self.model.rows:
            self.setText(escape(self.tr_("chat.no_connectors"), quote=False))
            self.setToolTip("")
            return
        parts = []
        for row in self.model.rows:
            color = LIGHTS.get(row["state"], "#7f8c8d")
            state = self.tr_(f"health.{row['state']}")
            parts.append(f'<span style="color:{color}; font-size:14pt">●</span>&nbsp;'
                         f"{escape(row['connector'], quote=False)}&nbsp;<i>{escape(state, quote=False)}</i>")
        self.setText(" &nbsp; &nbsp; ".join(parts))
        self.setToolTip("\n".join(f"{r['connector']}: {r['detail']}" for r in self.model.rows if r["detail"]))


class ActiveChatFilter(QSortFilterProxyModel):
    """In a flood the operator can hide what triage set aside (dropped, merged, withdrawn)."""

    HIDDEN = ("dropped", "merged", "withdrawn")

    def __init__(self, chat: ChatModel) -> None:
        super().__init__()
        self.hide_inactive = False
        self.setSourceModel(chat)

    def set_hide_inactive(self, on: bool) -> None:
        if hasattr(self, "endFilterChange"):  # Qt ≥ 6.10; invalidateFilter is deprecated there
            self.beginFilterChange()
            self.hide_inactive = on
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.hide_inactive = on
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.hide_inactive:
            return True
        state = self.sourceModel().index(row, 0, parent).data(ChatModel.StateRole)
        return state not in self.HIDDEN


class ChatPanel(QWidget):
    def __init__(self, chat: ChatModel, health: ConnectorHealthModel, latency: LatencyMeter,
                 tr: Translator) -> None:
        super().__init__()
        self.chat, self.latency, self.tr_ = chat, latency, tr
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 12pt")
        self.latency_label = QLabel()
        self.lights = HealthLights(health, tr)
        self.filter = ActiveChatFilter(chat)
        self.hide_box = QCheckBox()
        self.hide_box.toggled.connect(self.filter.set_hide_inactive)
        self.view = QListView()
        self.view.setModel(self.filter)
        self.view.setWordWrap(True)
        self.view.setUniformItemSizes(False)
        self.view.setIconSize(QSize(10, 10))
        self.view.setAlternatingRowColors(True)

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.hide_box)
        head.addStretch(1)
        head.addWidget(self.latency_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.lights)
        layout.addWidget(self.view, 1)

        self._at_bottom = True
        self._follow_timer = QTimer(self)
        self._follow_timer.setSingleShot(True)
        self._follow_timer.setInterval(100)
        self._follow_timer.timeout.connect(self._scroll_if_following)
        chat.rowsInserted.connect(self._follow)
        latency.changed.connect(self.retranslate)
        tr.changed.connect(self.retranslate)
        self.retranslate()

    def _follow(self, *_args) -> None:
        # Scrolling lays out every wrapped row (~50 ms at 500 rows): once per burst, not per message.
        if not self._follow_timer.isActive():
            self._at_bottom = self._at_bottom_now()
            self._follow_timer.start()

    def _at_bottom_now(self) -> bool:
        bar = self.view.verticalScrollBar()
        return bar.value() >= bar.maximum() - 40

    def _scroll_if_following(self) -> None:
        # Stay at the newest line unless the operator scrolled up to read.
        if self._at_bottom:
            self.view.scrollToBottom()

    def retranslate(self, *_args) -> None:
        self.title.setText(self.tr_("chat.title"))
        self.hide_box.setText(self.tr_("chat.hide_inactive"))
        self.chat.set_labels(self.tr_.t)
        self.lights.model.set_labels(self.tr_.t)
        m = self.latency
        if m.p50 is None:
            self.latency_label.setText(self.tr_("latency.none"))
        else:
            self.latency_label.setText(self.tr_("latency.value", p50=m.p50, last=m.last, n=len(m.samples)))
