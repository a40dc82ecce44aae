"""Drafts queue: one card per drafted reply with approve / edit / skip / pin.

Cards mirror `DraftsModel` rows (kept in sync from the model's signals) and act only through
`bridge.send`. Opening the inline editor sends `HoldDraft` first, so an assisted-mode timer cannot
speak the old text while the operator is still typing the new one.
"""

from __future__ import annotations

from html import escape as _escape

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from vhost.base import commands as cmd
from vhost.ui.bridge import CoreBridge
from vhost.ui.drafts_model import DraftsModel
from vhost.ui.i18n import Translator


def escape(text: str) -> str:
    return _escape(text, quote=False)  # QLabel rich text does not decode &#x27;


_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class InlineEditor(QPlainTextEdit):
    """Enter submits, Shift+Enter is a new line, Esc cancels."""

    submitted = Signal(str)
    cancelled = Signal()

    def event(self, e: QEvent) -> bool:
        # Claim Enter/Esc before the window's shortcuts (Esc = interrupt) see them.
        if e.type() == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent):
            if e.key() in (*_ENTER, Qt.Key.Key_Escape):
                e.accept()
                return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in _ENTER and not e.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit(self.toPlainText())
        elif e.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
        else:
            super().keyPressEvent(e)


class DraftCard(QFrame):
    def __init__(self, row: dict, bridge: CoreBridge, tr: Translator) -> None:
        super().__init__()
        self.bridge, self.tr_ = bridge, tr
        self.row = row
        self.setObjectName("draftCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._make_widgets()
        self._lay_out()
        self.approve_button.clicked.connect(self.approve)
        self.edit_button.clicked.connect(self.open_editor)
        self.skip_button.clicked.connect(lambda: bridge.send(cmd.SkipDraft(self.row["id"])))
        self.pin_button.clicked.connect(lambda on: bridge.send(cmd.PinDraft(self.row["id"], on)))
        self.editor.submitted.connect(self.submit_edit)
        self.editor.cancelled.connect(self.close_editor)
        self.update_row(row, None)

    def _make_widgets(self) -> None:
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.original = QLabel()
        self.original.setWordWrap(True)
        self.original.setStyleSheet("color: #777; font-style: italic")
        self.held = QLabel()
        self.held.setWordWrap(True)
        self.held.setStyleSheet("color: #b00020; font-weight: bold")
        self.badge = QLabel()
        self.badge.setStyleSheet("color: #a15c00; font-weight: bold")
        self.editor = InlineEditor()
        self.editor.setFixedHeight(64)
        self.editor.hide()
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #777")
        self.hint.hide()
        self.approve_button = QPushButton()
        self.edit_button = QPushButton()
        self.skip_button = QPushButton()
        self.pin_button = QPushButton()
        self.pin_button.setCheckable(True)
        self.question.setMinimumWidth(120)
        # Viewer text is escaped into rich text here; everything else is plain (a "<b>" in a
        # draft or a reason must show as typed, not as markup).
        for label in (self.question, self.text):
            label.setTextFormat(Qt.TextFormat.RichText)
        for label in (self.original, self.held, self.badge):
            label.setTextFormat(Qt.TextFormat.PlainText)

    def _lay_out(self) -> None:
        head = QHBoxLayout()
        head.addWidget(self.question, 1)
        head.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        buttons = QHBoxLayout()
        for b in (self.approve_button, self.edit_button, self.skip_button, self.pin_button):
            b.setMinimumWidth(60)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.addLayout(head)
        for w in (self.text, self.editor, self.hint, self.original, self.held):
            layout.addWidget(w)
        layout.addLayout(buttons)

    @property
    def editing(self) -> bool:
        return not self.editor.isHidden()

    # --- actions ----------------------------------------------------------------------
    def approve(self) -> None:
        if self.editing:  # the button approves what the operator sees in the editor
            self.submit_edit(self.editor.toPlainText())
        else:
            self.bridge.send(cmd.ApproveDraft(self.row["id"]))

    def open_editor(self) -> None:
        self.bridge.send(cmd.HoldDraft(self.row["id"]))
        self.editor.setPlainText(self.row["text"])
        self.editor.show()
        self.hint.show()
        self.text.hide()
        self.editor.setFocus()
        self.editor.selectAll()

    def submit_edit(self, text: str) -> None:
        text = text.strip()
        if not text:
            return  # an empty draft is a skip, which has its own button
        if text == self.row["text"]:
            self.bridge.send(cmd.ApproveDraft(self.row["id"]))
        else:
            self.bridge.send(cmd.EditDraft(self.row["id"], text, approve=True))
        self.close_editor()

    def close_editor(self) -> None:
        self.editor.hide()
        self.hint.hide()
        self.text.show()

    # --- display ----------------------------------------------------------------------
    def update_row(self, row: dict, remaining: float | None) -> None:
        self.row = row
        t = self.tr_
        self.question.setText(f"<b>{escape(row['user'])}</b>: {escape(row['question'] or '')}")
        self.text.setText(f"→ {escape(row['text'])}")
        self.original.setText(t("draft.original", text=row["original_text"] or ""))
        self.original.setVisible(bool(row["original_text"]))
        reasons = row["held_reasons"]
        self.held.setText(t("draft.held", reasons="; ".join(reasons)))
        self.held.setVisible(bool(reasons))
        self.setToolTip("\n".join(row.get("held_back") or []))
        self.hint.setText(t("draft.edit_hint"))
        self.approve_button.setText(t("draft.approve"))
        self.edit_button.setText(t("draft.edit"))
        self.skip_button.setText(t("draft.skip"))
        self.pin_button.setText(t("draft.unpin") if row["pinned"] else t("draft.pin"))
        self.pin_button.setChecked(row["pinned"])
        pending = row["status"] == "pending"
        for b in (self.approve_button, self.edit_button, self.skip_button, self.pin_button):
            b.setEnabled(pending)
        self.set_countdown(remaining)
        border = "#b00020" if reasons else "#d4a017" if row["pinned"] else "#9aa7b5"
        self.setStyleSheet(f"#draftCard {{ border: 2px solid {border}; border-radius: 6px; }}")

    def set_countdown(self, remaining: float | None) -> None:
        row, t = self.row, self.tr_
        if row["status"] == "approved":
            self.badge.setText(t("draft.approved"))
        elif remaining is not None:
            self.badge.setText(t("draft.countdown", s=remaining))
        elif row["pinned"]:
            self.badge.setText(t("draft.pinned"))
        else:
            self.badge.setText("")


class DraftsPanel(QWidget):
    # A card left the queue (spoken elsewhere, expired, skipped by a hotkey) while the operator was
    # editing it: the typed text comes out here instead of vanishing with the card.
    edit_orphaned = Signal(str, str)  # (draft id, the editor's text)

    def __init__(self, model: DraftsModel, bridge: CoreBridge, tr: Translator) -> None:
        super().__init__()
        self.model, self.bridge, self.tr_ = model, bridge, tr
        self.cards: dict[str, DraftCard] = {}
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 12pt")
        self.empty = QLabel()
        self.empty.setStyleSheet("color: #777")
        self.box = QWidget()
        self.box_layout = QVBoxLayout(self.box)
        self.box_layout.setContentsMargins(0, 0, 4, 0)
        self.box_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Cards wrap their text to the panel's width; they never scroll sideways.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.empty)
        layout.addWidget(scroll, 1)

        for sig in (model.rowsInserted, model.rowsRemoved, model.modelReset, model.dataChanged):
            sig.connect(self.sync)
        tr.changed.connect(self.sync)
        self.timer = QTimer(self)  # the assisted countdown, four times a second
        self.timer.timeout.connect(self._tick)
        self.timer.start(250)
        self.sync()

    def card_for(self, draft_id: str) -> DraftCard | None:
        return self.cards.get(draft_id)

    def sync(self, *_args) -> None:
        """Make the cards match the model: create, update, drop, and keep the model's order."""
        ids = [row["id"] for row in self.model.rows]
        for gone in set(self.cards) - set(ids):
            card = self.cards.pop(gone)
            if card.editing and card.editor.toPlainText().strip() not in ("", card.row["text"]):
                self.edit_orphaned.emit(gone, card.editor.toPlainText().strip())
            card.hide()
            card.deleteLater()
        for pos, row in enumerate(self.model.rows):
            card = self.cards.get(row["id"])
            if card is None:
                card = self.cards[row["id"]] = DraftCard(row, self.bridge, self.tr_)
            card.update_row(row, self.model.remaining(row))
            if self.box_layout.indexOf(card) != pos:
                self.box_layout.insertWidget(pos, card)
        self.title.setText(self.tr_("drafts.title", n=len(ids)))
        self.empty.setText(self.tr_("drafts.empty"))
        self.empty.setVisible(not ids)

    def _tick(self) -> None:
        for row in self.model.rows:
            card = self.cards.get(row["id"])
            if card is not None and row.get("deadline") is not None:
                card.set_countdown(self.model.remaining(row))

    # --- shortcut targets: the first pending card ------------------------------------------
    def top_card(self) -> DraftCard | None:
        row = self.model.top()
        return self.cards.get(row["id"]) if row else None
