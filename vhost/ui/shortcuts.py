"""In-app shortcuts: action name → key sequence (from `[ui] shortcuts`), bound to console actions.

Window-wide (they work wherever focus is inside the console). Global hotkeys that work while OBS
has focus are the control package's; these are the console's own.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


def parse_keys(text: str) -> QKeySequence | None:
    """A key sequence from "Ctrl+Return" style text; None when Qt cannot read it."""
    seq = QKeySequence.fromString(text.strip(), QKeySequence.SequenceFormat.PortableText)
    if seq.isEmpty() or any(seq[i].key() == Qt.Key.Key_unknown for i in range(seq.count())):
        return None
    return seq


def bad_shortcuts(shortcuts: dict[str, str]) -> list[str]:
    """The actions whose key text Qt cannot read (empty text means "off" and is fine)."""
    return [a for a, keys in shortcuts.items() if keys.strip() and parse_keys(keys) is None]


class Shortcuts:
    def __init__(self, window: QWidget, actions: dict[str, Callable[[], None]]) -> None:
        self.window = window
        self.actions = actions
        self.bound: dict[str, QShortcut] = {}

    def apply(self, shortcuts: dict[str, str]) -> list[str]:
        """(Re)bind every action; returns the actions left unbound because their keys are invalid."""
        for sc in self.bound.values():
            sc.setEnabled(False)
            sc.deleteLater()
        self.bound.clear()
        skipped = []
        for action, keys in shortcuts.items():
            fn = self.actions.get(action)
            if fn is None or not keys.strip():
                continue
            seq = parse_keys(keys)
            if seq is None:
                skipped.append(action)
                continue
            sc = QShortcut(seq, self.window)
            sc.setContext(Qt.ShortcutContext.WindowShortcut)
            sc.activated.connect(fn)
            self.bound[action] = sc
        return skipped

    def keys(self, action: str) -> str:
        sc = self.bound.get(action)
        return sc.key().toString(QKeySequence.SequenceFormat.NativeText) if sc else ""
