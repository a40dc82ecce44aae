"""The operator console: chat (intents, rank, health lights, latency), the drafts queue, the show's
controls, say-now / interrupt, control API token and OBS state, and a log of what was spoken.

Composition only — each part is its own module. Everything the operator does goes out through
`CoreBridge.send`; everything the show does comes back through `bridge.event`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vhost.base import commands as cmd
from vhost.config.settings import VhostConfig, user_config_path
from vhost.show.insights.products import Products
from vhost.ui.bridge import CoreBridge
from vhost.ui.chat_model import ChatModel
from vhost.ui.chat_panel import ChatPanel
from vhost.ui.controls_panel import CutInBar, Product, ShowBar
from vhost.ui.dashboard_model import DashboardModel
from vhost.ui.dashboard_panel import DashboardPanel
from vhost.ui.drafts_model import DraftsModel
from vhost.ui.drafts_panel import DraftsPanel
from vhost.ui.health_model import ConnectorHealthModel, LatencyMeter
from vhost.ui.i18n import Translator
from vhost.ui.questions import QuestionsModel, QuestionsPanel
from vhost.ui.shortcuts import Shortcuts
from vhost.ui.status_bar import StatusFooter

# The console log's label for a line that answered no viewer, by who asked for it (Spoken.source).
SPOKEN_LABELS = {"operator": "log.operator", "script": "log.script", "thanks": "log.thanks",
                 "reply": "log.spoken_reply"}


class ConsoleWindow(QWidget):
    # Settings saved (the new VhostConfig): parts outside the console apply what they can at once
    # (e.g. the OBS link tries a corrected password without a restart).
    config_applied = Signal(object)

    def __init__(self, bridge: CoreBridge, products: list[Product], cfg: VhostConfig | None = None,
                 config_path: Path | None = None, tr: Translator | None = None,
                 catalog_products: Products | None = None) -> None:
        """`catalog_products`: the catalog's names and matcher, for the dashboard's interest per
        product (without it, a product is found by its id or name)."""
        super().__init__()
        self.bridge = bridge
        self.cfg = cfg or VhostConfig()
        self.config_path = Path(config_path) if config_path else user_config_path()
        self.tr_ = tr or Translator(self.cfg.ui.language)
        self.resize(1280, 860)
        # Asked before the window closes (vhost.ui.shell: "Stop the show?"); None: just close.
        self.close_guard: Callable[[], bool] | None = None
        self.help_dialog = None
        # A checked toggle (mode, pause, mute, emotion, pin) must read as "on" at a glance.
        self.setStyleSheet("QPushButton:checked { background: #1f6fb2; color: white; border: 1px solid #174f80;"
                           " border-radius: 3px; padding: 3px 8px; }")
        self._make_parts(products)
        self._make_dashboard(products, catalog_products)
        self._lay_out()
        self.shortcuts = Shortcuts(self, {
            "interrupt": self.cut_in.interrupt, "approve_top": self._on_top("approve"),
            "edit_top": self._on_top("open_editor"), "skip_top": self._on_top("skip"),
            "pin_top": self._on_top("pin"), "focus_say": self._focus_say,
            "toggle_pause": self.show_bar.pause_button.toggle, "toggle_mute": self.show_bar.mute_button.toggle,
            **{f"mode_{m}": self.show_bar.mode_buttons[m].click for m in cmd.MODES},
        })
        self._bad_shortcuts = self.shortcuts.apply(self.cfg.ui.shortcuts)
        self.settings_button.clicked.connect(self.open_settings)
        self.drafts_panel.edit_orphaned.connect(self._rescue_edit)
        self.tr_.changed.connect(self.retranslate)
        bridge.event.connect(self.on_event)
        self.retranslate()
        for action in self._bad_shortcuts:
            self._log(f"shortcut {action!r}: Qt cannot read {self.cfg.ui.shortcuts[action]!r}; not bound")

    def _make_parts(self, products: list[Product]) -> None:
        bridge = self.bridge
        self.chat_model = ChatModel(max_rows=self.cfg.ui.chat_rows)
        self.drafts_model = DraftsModel()
        self.health_model = ConnectorHealthModel()
        self.latency = LatencyMeter(self.cfg.ui.latency_window)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self._status_key: str | None = "status.starting"
        control = getattr(self.cfg, "control", None)
        self.show_bar = ShowBar(bridge, self.tr_, getattr(control, "mode", "auto"), self.cfg.show.auto_reply)
        self.settings_button = QPushButton()
        self.chat_panel = ChatPanel(self.chat_model, self.health_model, self.latency, self.tr_)
        self.drafts_panel = DraftsPanel(self.drafts_model, bridge, self.tr_)
        self.questions_model = QuestionsModel()
        self.questions_panel = QuestionsPanel(self.questions_model, bridge, self.tr_)
        self.cut_in = CutInBar(bridge, self.tr_, products)
        self.log_title = QLabel()
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(500)
        self.log.setFixedHeight(110)
        self.footer = StatusFooter(self.tr_)
        self.menu_bar = QMenuBar()
        self.show_menu: QMenu | None = None  # added by add_show_menu
        self.help_menu = self.menu_bar.addMenu("")
        self.capture_help_action = self.help_menu.addAction("")
        self.capture_help_action.triggered.connect(self.open_capture_help)

    def _make_dashboard(self, products: list[Product], catalog_products: Products | None) -> None:
        first = products[0][0] if products else None
        self.dashboard_model = DashboardModel(catalog_products or Products({p[0]: p[1] for p in products}, first=first))
        self.dashboard_panel = DashboardPanel(self.dashboard_model, self.bridge, self.tr_, products)
        self.left_tabs = QTabWidget()  # the chat, or the live dashboard; the drafts stay in view
        self.left_tabs.addTab(self.chat_panel, "")
        self.left_tabs.addTab(self.dashboard_panel, "")
        self.dashboard_panel.attention.connect(self.retranslate)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.show_bar, 1)
        top.addWidget(self.settings_button)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.left_tabs)
        split.addWidget(self.drafts_panel)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 4)
        split.setChildrenCollapsible(False)
        split.setSizes([560, 440])  # proportions; the splitter scales them to its width
        layout = QVBoxLayout(self)
        layout.setMenuBar(self.menu_bar)
        layout.addWidget(self.status)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.questions_panel)
        layout.addWidget(self.cut_in)
        layout.addWidget(self.log_title)
        layout.addWidget(self.log)
        layout.addWidget(self.footer)

    # --- operator actions -------------------------------------------------------------------
    def _on_top(self, what: str):
        def act() -> None:
            card = self.drafts_panel.top_card()
            if card is None:
                return
            if what == "skip":
                card.skip_button.click()
            elif what == "pin":
                card.pin_button.click()
            else:
                getattr(card, what)()
        return act

    def _rescue_edit(self, draft_id: str, text: str) -> None:
        if not self.cut_in.say_box.text():
            self.cut_in.say_box.setText(text)
        self._log(self.tr_("draft.orphaned", id=draft_id, text=text))

    def _focus_say(self) -> None:
        self.cut_in.say_box.setFocus()
        self.cut_in.say_box.selectAll()

    def open_settings(self):
        from vhost.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.cfg, self.config_path, self.tr_, self)
        dialog.saved.connect(self.apply_config)
        dialog.open()
        return dialog

    def add_show_menu(self, actions: list) -> None:
        """The Show menu (before Help): e.g. vhost.ui.shell's "Show console" / "Stop the show"."""
        self.show_menu = QMenu(self)
        self.show_menu.addActions(actions)
        self.menu_bar.insertMenu(self.help_menu.menuAction(), self.show_menu)
        self.retranslate()

    def open_capture_help(self):
        """Help → How to capture in OBS (non-modal: it can stay open beside OBS)."""
        from vhost.ui.help_dialog import CaptureHelpDialog

        if self.help_dialog is None:
            self.help_dialog = CaptureHelpDialog(self.tr_, self)
        self.help_dialog.show()
        self.help_dialog.raise_()
        return self.help_dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.close_guard is not None and not self.close_guard():
            event.ignore()
            return
        super().closeEvent(event)

    def apply_config(self, cfg: VhostConfig) -> None:
        """Settings saved: language and shortcuts now; the reply mode through the show; the audio
        device, voice and model on the next start."""
        old_mode = getattr(getattr(self.cfg, "control", None), "mode", None)
        self.cfg = cfg
        self.tr_.set_language(cfg.ui.language)
        self.shortcuts.apply(cfg.ui.shortcuts)
        new_mode = getattr(getattr(cfg, "control", None), "mode", None)
        if new_mode and new_mode != old_mode:
            self.bridge.send(cmd.SetMode(new_mode))
        self._log(self.tr_("settings.saved", path=str(self.config_path)))
        self.retranslate()
        self.config_applied.emit(cfg)

    # --- events from the core ---------------------------------------------------------------
    def on_event(self, kind: str, data: dict) -> None:
        for model in (self.chat_model, self.drafts_model, self.health_model, self.latency, self.footer,
                      self.questions_model, self.dashboard_model):
            model.on_event(kind, data)
        t = self.tr_
        if kind == "state":
            self.show_bar.show_mode(data.get("mode", ""))
            self.show_bar.show_paused(not data.get("auto_reply", True))
            self.show_bar.show_muted(bool(data.get("muted")))
            if isinstance(data.get("product"), dict):
                self.cut_in.show_product(data["product"].get("id", ""))
            if data.get("emotion"):
                self.cut_in.show_emotion(data["emotion"])
        elif kind == "mode":
            self.show_bar.show_mode(data.get("mode", ""))
        elif kind == "auto_reply":
            self.show_bar.show_paused(not data.get("enabled", True))
        elif kind == "muted":
            self.show_bar.show_muted(bool(data.get("muted")))
        elif kind == "product":
            self.cut_in.show_product(data.get("id", ""))
        elif kind == "reply":
            flag = "" if data.get("grounded", True) else t("log.held", items="; ".join(data.get("mismatches") or []))
            self._log(t("log.reply", user=data.get("user", ""), text=data.get("heard_text") or data.get("reply_text", ""))
                      + flag)
        elif kind == "answered":
            self._log(t("log.answered", text=data.get("text", ""), detail=data.get("detail", "")))
        elif kind == "spoken":
            self._log(spoken_line(t, data))
        elif kind == "command" and data.get("command") == "SayNow":
            self._log(t("log.say", text=data.get("text", "")))
        elif kind in ("warning", "info", "status", "ready"):
            self._log(f"{kind}: {data.get('text', data)}")
            if data.get("restore") and "answer to" in data.get("text", ""):
                self.questions_panel.restore(data["restore"])  # a refused answer back in its own box
            elif data.get("restore") and not self.cut_in.say_box.text():
                self.cut_in.say_box.setText(data["restore"])  # a typed line that could not be spoken is not lost
            if kind in ("status", "ready"):
                self._status_key = None
                self.status.setText(data.get("text", ""))

    def _log(self, line: str) -> None:
        self.log.appendPlainText(line)

    def retranslate(self, *_args) -> None:
        t = self.tr_
        self.setWindowTitle(t("window.title"))
        if self._status_key:
            self.status.setText(t(self._status_key))
        self.settings_button.setText(t("settings"))
        self.help_menu.setTitle(t("menu.help"))
        if self.show_menu is not None:
            self.show_menu.setTitle(t("menu.show"))
        self.capture_help_action.setText(t("menu.capture_help"))
        self.log_title.setText(t("log.title"))
        self.left_tabs.setTabText(0, t("tab.chat"))
        self.left_tabs.setTabText(1, t("tab.dashboard_hint" if self.dashboard_panel.suggested else "tab.dashboard"))
        keys = self.shortcuts.keys("interrupt")
        self.cut_in.interrupt_button.setText(f"{t('interrupt')} ({keys})" if keys else t("interrupt"))


def spoken_line(t: Translator, data: dict) -> str:
    """"Host (script): …", "Host (thanks): …", "Host (operator line): …": labelled by its source."""
    source = str(data.get("source") or "")
    text = data.get("heard_text", "")
    key = SPOKEN_LABELS.get(source)
    line = t(key, text=text) if key else t("log.spoken_other", source=source or "?", text=text)
    return line + (t("log.cut") if data.get("interrupted") else "")
