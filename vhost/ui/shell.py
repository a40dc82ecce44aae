"""What keeps the show reachable while it is on air: the console can be closed without losing it.

- Closing the console asks "Stop the show?": *Stop* quits everything; *Keep running* hides the
  console (the stage stays on air); *Cancel* does nothing.
- A hidden console comes back from the tray icon (where the desktop has a tray) and always from
  the stage window's right-click menu ("Show console"; the menu is a popup window, so a window
  capture of the stage never shows it).
- Closing the stage window asks too (Stop / Cancel): without it nothing is on air.
- Every way out ("Stop the show and quit" in the tray, the stage menu, the console's Show menu,
  or *Stop* in the dialog) calls `quit`, which stops the show cleanly (vhost.app.gui).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QMessageBox, QSystemTrayIcon, QWidget

from vhost.ui.i18n import Translator

log = logging.getLogger(__name__)

STOP, KEEP, CANCEL = "stop", "keep", "cancel"
Ask = Callable[[bool], str]  # (may keep running) -> STOP | KEEP | CANCEL


def tray_icon_image(size: int = 64) -> QIcon:
    """A red "on air" dot: the tray needs an icon and the project ships no image for it."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#E5484D"))
    p.drawEllipse(4, 4, size - 8, size - 8)
    p.setBrush(QColor("#FFFFFF"))
    p.drawEllipse(size // 2 - size // 8, size // 2 - size // 8, size // 4, size // 4)
    p.end()
    return QIcon(pix)


class ShowShell(QObject):
    def __init__(self, console: QWidget, stage_window: QWidget, tr: Translator, quit: Callable[[], None],
                 ask: Ask | None = None, tray: bool | None = None) -> None:
        """`console`, `stage_window`: windows with a `close_guard` attribute (a callable returning
        whether the close goes ahead). `ask`: the question (a dialog by default; tests pass their
        own). `tray`: use a tray icon (None: where the desktop has one)."""
        super().__init__(console)
        self.console = console
        self.stage_window = stage_window
        self.tr_ = tr
        self._quit = quit
        self.ask = ask or self._ask_dialog
        self.quitting = False
        self.show_console_action = QAction(self)
        self.show_console_action.triggered.connect(self.show_console)
        self.stop_action = QAction(self)
        self.stop_action.triggered.connect(self.stop_show)
        stage_window.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        stage_window.addActions([self.show_console_action, self.stop_action])
        console.close_guard = self._console_closing
        stage_window.close_guard = self._stage_closing
        use_tray = QSystemTrayIcon.isSystemTrayAvailable() if tray is None else tray
        self.tray: QSystemTrayIcon | None = None
        if use_tray:
            self.tray = QSystemTrayIcon(tray_icon_image(), self)
            menu = QMenu(console)
            menu.addActions([self.show_console_action, self.stop_action])
            self.tray.setContextMenu(menu)
            self.tray.activated.connect(self._tray_activated)
            self.tray.show()
        tr.changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args) -> None:
        t = self.tr_
        self.show_console_action.setText(t("menu.show_console"))
        self.stop_action.setText(t("menu.stop_show"))
        if self.tray is not None:
            self.tray.setToolTip(t("tray.tooltip"))

    # --- actions -------------------------------------------------------------------------------
    def show_console(self) -> None:
        self.console.showNormal()
        self.console.raise_()
        self.console.activateWindow()

    def stop_show(self) -> None:
        """Quit: the caller's `quit` stops the show, the control API, the workers, the sink."""
        if self.quitting:
            return
        self.quitting = True
        if self.tray is not None:
            self.tray.hide()
        self._quit()

    def _tray_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.show_console()

    # --- closing -------------------------------------------------------------------------------
    def _console_closing(self) -> bool:
        if self.quitting:
            return True
        choice = self._answer(True)
        if choice == STOP:
            self.stop_show()
            return True
        if choice == KEEP:
            self.console.hide()
            if self.tray is not None:
                self.tray.showMessage("vhost", self.tr_("tray.hidden"), QSystemTrayIcon.MessageIcon.Information, 6000)
        return False  # the console is hidden (keep) or stays (cancel); the close itself is refused

    def _stage_closing(self) -> bool:
        if self.quitting:
            return True
        if self._answer(False) == STOP:
            self.stop_show()
            return True
        return False

    def _answer(self, can_keep: bool) -> str:
        """The operator's answer; a failing question keeps the show running (Qt must not see an
        exception escape a close event)."""
        try:
            return self.ask(can_keep)
        except Exception:  # noqa: BLE001
            log.exception("the stop-the-show question failed; the show keeps running")
            return CANCEL

    def _ask_dialog(self, can_keep: bool) -> str:
        t = self.tr_
        box = QMessageBox(QMessageBox.Icon.Question, t("close.title"), t("close.question"),
                          parent=self.console if self.console.isVisible() else None)
        box.setInformativeText(t("close.info"))
        stop = box.addButton(t("close.stop"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(t("close.keep"), QMessageBox.ButtonRole.AcceptRole) if can_keep else None
        cancel = box.addButton(t("close.cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep or cancel)
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        return STOP if clicked is stop else KEEP if keep is not None and clicked is keep else CANCEL
