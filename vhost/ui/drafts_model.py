"""The drafts queue: each drafted reply as a card the operator approves, edits, skips or pins.

Fed by the core's draft events (shapes at the top of vhost/show/drafts.py); a draft leaves the
queue once it is spoken, skipped or expired. Pinned drafts sort first, then oldest first. The
assisted-mode deadline is on the show's clock; the model keeps the offset between that clock and
its own (from each created draft's `created_at` and each "state" event's `clock`), and `tick()`
refreshes the cards that are counting down.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt

from vhost.ui.model_base import KeyedListModel

R = Qt.ItemDataRole.UserRole
# A draft in one of these states is finished: it leaves the queue.
FINAL = {"spoken", "skipped", "expired", "dropped", "failed", "cancelled", "superseded", "interrupted"}
Clock = Callable[[], float]


class DraftsModel(KeyedListModel):
    (IdRole, UserRole, QuestionRole, TextRole, OriginalRole, StatusRole, HeldRole, PinnedRole,
     CountdownRole, ChatIdRole, EditedRole) = (R + 1, R + 2, R + 3, R + 4, R + 5, R + 6, R + 7, R + 8,
                                               R + 9, R + 10, R + 11)
    ROLE_KEYS = {IdRole: "id", UserRole: "user", QuestionRole: "question", TextRole: "text",
                 OriginalRole: "original_text", StatusRole: "status", HeldRole: "held_reasons",
                 PinnedRole: "pinned", ChatIdRole: "chat_id", EditedRole: "edited"}

    def __init__(self, clock: Clock = time.monotonic) -> None:
        super().__init__()
        self.clock = clock
        self._seq = 0
        self._offset = 0.0  # show clock − local monotonic clock, from the latest observation

    # --- events -------------------------------------------------------------------------
    def on_event(self, kind: str, data: dict) -> None:
        if kind == "draft":
            draft = data.get("draft", data)
            if data.get("change") == "created" and draft.get("created_at") is not None:
                self.observe_show_clock(float(draft["created_at"]))
            if data.get("now") is not None:
                self.observe_show_clock(float(data["now"]))
            self.upsert(draft)
        elif kind == "state" and data.get("clock") is not None:
            self.observe_show_clock(float(data["clock"]))
        elif kind == "drafts":  # a full snapshot (GET /api/drafts shape: {drafts: [DRAFT]})
            self.replace_all(data.get("drafts", []))

    def observe_show_clock(self, show_now: float) -> None:
        """The show's clock read `show_now` just now: deadlines are on that clock."""
        self._offset = show_now - self.clock()

    def upsert(self, data: dict) -> None:
        draft_id = data.get("id") or data.get("draft_id")
        if not draft_id:
            return
        i = self._pos.get(draft_id)
        if (data.get("state") or data.get("status") or "") in FINAL:
            if i is not None:
                self._remove(i)
            return
        row = self._normalize(draft_id, data, self.rows[i] if i is not None else None)
        if i is None:
            self._insert(self._slot(row), row)
            return
        moved = row["pinned"] != self.rows[i]["pinned"]
        self.rows[i] = row
        if moved:  # re-sort: pinned cards stay on top
            self._remove(i)
            self._insert(self._slot(row), row)
        else:
            self._changed(i)

    def replace_all(self, drafts: list[dict]) -> None:
        self.beginResetModel()
        self.rows = []
        for d in drafts:
            draft_id = d.get("id") or d.get("draft_id")
            if draft_id and (d.get("state") or d.get("status") or "") not in FINAL:
                row = self._normalize(draft_id, d, None)
                self.rows.insert(self._slot(row), row)
        self._reindex()
        self.endResetModel()

    # --- countdown ----------------------------------------------------------------------
    def remaining(self, row: dict) -> float | None:
        """Seconds until an assisted draft is spoken by itself; None when it is not counting."""
        deadline = row.get("deadline")
        if deadline is None or row["pinned"] or row["status"] != "pending":
            return None
        return max(0.0, float(deadline) - (self.clock() + self._offset))

    def tick(self) -> None:
        """Refresh the countdown of every card that is counting down (a 4 Hz timer calls this)."""
        for i, row in enumerate(self.rows):
            if row.get("deadline") is not None:
                self._changed(i, [self.CountdownRole])

    def top(self, status: str = "pending") -> dict | None:
        """The card a hotkey acts on: the first one in the queue's order with that status."""
        return next((r for r in self.rows if r["status"] == status), None)

    # --- display ------------------------------------------------------------------------
    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == self.CountdownRole and index.isValid() and 0 <= index.row() < len(self.rows):
            return self.remaining(self.rows[index.row()])
        return super().data(index, role)

    def display(self, row: dict, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row['user']}: {row['question']}\n→ {row['text']}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "; ".join(row["held_reasons"]) or None
        return None

    # --- internals ----------------------------------------------------------------------
    def _slot(self, row: dict) -> int:
        key = (not row["pinned"], row["_seq"])
        return sum(1 for r in self.rows if (not r["pinned"], r["_seq"]) < key)

    def _normalize(self, draft_id: str, data: dict, old: dict | None) -> dict:
        row = dict(old) if old else {"_seq": self._seq}
        if old is None:
            self._seq += 1
        text = data.get("text", row.get("text", ""))
        original = data.get("original_text", row.get("original_text"))
        row.update({
            "id": draft_id,
            "chat_id": data.get("chat_id", row.get("chat_id")),
            "user": data.get("user", row.get("user", "")),
            "question": data.get("chat_text", data.get("question", row.get("question", ""))),
            "text": text,
            # The book keeps original_text == text until an edit; the card shows it only then.
            "original_text": original if original and original != text else None,
            "status": data.get("state") or data.get("status") or row.get("status") or "pending",
            "pinned": bool(data.get("pinned", row.get("pinned", False))),
            "held_reasons": _reasons(data["reasons"] if "reasons" in data
                                     else data.get("held_reasons", row.get("held_reasons", []))),
            "held_back": list(data.get("held_back", row.get("held_back", [])) or []),
            "deadline": data["deadline"] if "deadline" in data else row.get("deadline"),
            "source": data.get("source", row.get("source", "reply")),
        })
        row["edited"] = row["original_text"] is not None
        return row


def _reasons(value: Any) -> list[str]:
    """Why a draft is held, as lines: accepts strings or {"kind", "detail"} dicts."""
    if not value:
        return []
    if isinstance(value, str | dict):
        value = [value]
    out = []
    for v in value:
        if isinstance(v, dict):
            kind = v.get("kind") or v.get("check") or ""
            detail = v.get("detail") or v.get("text") or v.get("reason") or ""
            out.append(f"{kind}: {detail}" if kind and detail else kind or detail)
        else:
            out.append(str(v))
    return out
