"""Footer: control API address and token (with a copy button), OBS connection state and, while
not connected, when the link tries again ("OBS: ● auth failed — retry in 10 s")."""

from __future__ import annotations

from html import escape

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from vhost.ui.i18n import Translator

OBS_COLORS = {"disabled": "#7f8c8d", "connecting": "#e0a800", "connected": "#22a447",
              "auth_failed": "#d62828", "disconnected": "#e67e22"}


class StatusFooter(QWidget):
    def __init__(self, tr: Translator) -> None:
        super().__init__()
        self.tr_ = tr
        self.url = ""
        self.obs_state, self.obs_detail = "disabled", ""
        self.obs_retry_s: float | None = None
        self.token_label = QLabel()
        self.token = QLineEdit()
        self.token.setReadOnly(True)
        self.token.setMinimumWidth(180)
        self.copy_button = QPushButton()
        self.copy_button.setEnabled(False)
        self.obs_label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.token_label)
        layout.addWidget(self.token)
        layout.addWidget(self.copy_button)
        layout.addStretch(1)
        layout.addWidget(self.obs_label)
        self.copy_button.clicked.connect(self.copy_token)
        tr.changed.connect(self.retranslate)
        self.retranslate()

    def on_event(self, kind: str, data: dict) -> None:
        if kind == "control":
            self.url = str(data.get("url") or "")
            self.token.setText(str(data.get("token") or ""))
            self.token.setCursorPosition(0)
            self.copy_button.setEnabled(bool(self.token.text()))
            self.retranslate()
        elif kind == "obs":
            state = str(data.get("state") or "disconnected").lower().replace(" ", "_")
            self.obs_state, self.obs_detail = state, str(data.get("detail") or "")
            retry = data.get("retry_in_s")
            self.obs_retry_s = float(retry) if isinstance(retry, int | float) and retry >= 0 else None
            self.retranslate()

    def copy_token(self) -> None:
        QGuiApplication.clipboard().setText(self.token.text())
        self.copy_button.setText(self.tr_("token.copied"))

    def retranslate(self, *_args) -> None:
        t = self.tr_
        self.token_label.setText(f"{t('token.label')} {self.url}" if self.url else t("token.label"))
        self.token.setPlaceholderText(t("token.none"))
        self.copy_button.setText(t("token.copy"))
        color = OBS_COLORS.get(self.obs_state, "#7f8c8d")
        self.obs_label.setText(f'{t("obs.label")} <span style="color:{color}; font-size:14pt">●</span> '
                               f"{escape(self.obs_text(), quote=False)}")
        self.obs_label.setToolTip(self.obs_detail)

    def obs_text(self) -> str:
        """The OBS state in words, with the retry delay while the link is down."""
        t = self.tr_
        text = t("obs." + self.obs_state)
        if self.obs_retry_s is not None and self.obs_state not in ("connected", "disabled"):
            text += " — " + t("obs.retry", s=round(self.obs_retry_s, 1))
        return text
