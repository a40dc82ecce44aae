"""Help → "How to capture in OBS": the i18n text `help.capture` in a small, non-modal window."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from vhost.ui.i18n import Translator


def as_markdown(text: str) -> str:
    """Single line breaks kept as breaks (Markdown would join the lines of a plain-text help)."""
    return "\n".join(line + "  " if line.strip() else line for line in text.split("\n"))


class CaptureHelpDialog(QDialog):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = tr
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(620, 520)
        tr.changed.connect(self.retranslate)
        self.retranslate()

    def retranslate(self, *_args) -> None:
        self.setWindowTitle(self.tr_("menu.capture_help"))
        self.text.setMarkdown(as_markdown(self.tr_("help.capture")))
