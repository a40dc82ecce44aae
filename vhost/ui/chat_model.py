"""Viewer chat as the operator sees it: each line with triage's intent, rank, merged count, why it
was dropped or merged, and whether it was answered."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from vhost.ui.i18n import lookup
from vhost.ui.model_base import KeyedListModel

R = Qt.ItemDataRole.UserRole

# Colours per intent: the console's chips and the chat list's decoration share them.
INTENT_COLORS = {
    "safety": "#8e44ad", "paid": "#d4a017", "purchase": "#2e8b57", "question": "#1f6fb2", "complaint": "#c0392b",
    "greeting": "#8e44ad", "other": "#7f8c8d", "spam": "#555555",
}
DONE_STATES = {"answered", "interrupted"}
_STATE_BY_REASON = {"dispatched": "dispatched", "withdrawn": "withdrawn", "merged": "merged", "event": "event"}

Labels = Callable[[str], str]


class ChatModel(KeyedListModel):
    IdRole, IntentRole, RankRole, MergedCountRole, StateRole, ReasonRole, UserRole, TextRole = (
        R + 1, R + 2, R + 3, R + 4, R + 5, R + 6, R + 7, R + 8)
    ROLE_KEYS = {IdRole: "id", IntentRole: "intent", RankRole: "rank", MergedCountRole: "merged_count",
                 StateRole: "state", ReasonRole: "reason", UserRole: "user", TextRole: "text"}

    def __init__(self, max_rows: int = 500, labels: Labels | None = None) -> None:
        super().__init__()
        self.max_rows = max_rows
        # Triage decisions that arrived before their "chat" event (triage reports from inside
        # offer(), before the show publishes the message): applied when the row appears.
        self._early: OrderedDict[str, dict] = OrderedDict()
        self.labels: Labels = labels or lookup

    def set_labels(self, labels: Labels) -> None:
        """Language switch: the display text is rebuilt from the new labels."""
        self.labels = labels
        if self.rows:
            self.dataChanged.emit(self.index(0), self.index(len(self.rows) - 1), [Qt.ItemDataRole.DisplayRole])

    # --- events -------------------------------------------------------------------------
    def on_event(self, kind: str, data: dict) -> None:
        if kind == "chat":
            self.add_chat(data)
        elif kind == "triage":
            self.apply_decision(data)
        elif kind in ("withdraw", "chat_withdrawn"):
            ids = data.get("withdraws") or [data.get("id", "")]
            for chat_id in [ids] if isinstance(ids, str) else ids:  # CLEARMSG may name several
                self.set_state(chat_id, "withdrawn")
        elif kind == "reply_started":  # "draft": true — manual/assisted, a card is being written
            self.set_state(data.get("chat_id", ""), "drafting" if data.get("draft") else "answering")
        elif kind == "reply":
            self.set_state(data.get("chat_id", ""), "interrupted" if data.get("interrupted") else "answered")
        elif kind == "draft":
            chat_id = (data.get("draft") or {}).get("chat_id")
            row = self.get(chat_id) if chat_id else None
            if row is not None and row["state"] not in DONE_STATES | {"answering", "speaking"}:
                state = (data.get("draft") or {}).get("state")
                self.set_state(chat_id, state if state in ("skipped", "expired") else "drafted")

    def add_chat(self, data: dict) -> None:
        if not data.get("id"):
            return  # nothing to key it by; the log shows it instead
        if data["id"] in self._pos:
            self.apply_decision(data)  # a re-sent message is an update, never a second row
            return
        if len(self.rows) >= self.max_rows:
            # Evict the oldest tenth in one go: one row shift per burst, not one per message.
            self._remove(0, max(0, len(self.rows) - self.max_rows + max(1, self.max_rows // 10) - 1))
        row = {"user": "", "text": "", "intent": "other", "rank": None, "reason": "", "merged_count": 1,
               "merged_into": None, "amount": None, "currency": None, **data}
        early = self._early.pop(data["id"], None)
        if early:  # triage's decision carries rank, merge and detail that the chat event may lack
            row.update({k: v for k, v in early.items() if v is not None})
        row["merged_count"] = int(row.get("merged_count") or 1)
        row["state"] = _state_of(row)
        self._insert(len(self.rows), row)
        self._bump_target(row)

    def _bump_target(self, row: dict) -> None:
        """A merged message raises the count on the question it joined."""
        target = row.get("merged_into")
        if target and target in self._pos and target != row["id"]:
            t = self.rows[self._pos[target]]
            # The triage count is the truth when given; otherwise count the merges we saw.
            t["merged_count"] = int(row.get("target_count") or t["merged_count"] + 1)
            self._changed(self._pos[target], [Qt.ItemDataRole.DisplayRole, self.MergedCountRole])

    def apply_decision(self, data: dict) -> None:
        i = self._pos.get(data.get("id", ""))
        if i is None:
            if data.get("id"):
                self._early[data["id"]] = {**self._early.get(data["id"], {}), **data}
                while len(self._early) > 200:
                    self._early.popitem(last=False)
            return
        row = self.rows[i]
        newly_merged = data.get("merged_into") and not row.get("merged_into")
        for key in ("intent", "rank", "reason", "merged_into", "accepted", "detail", "target_count"):
            if data.get(key) is not None:
                row[key] = data[key]
        if data.get("merged_count"):
            row["merged_count"] = int(data["merged_count"])
        if row["state"] not in DONE_STATES:
            row["state"] = _state_of(row)
        self._changed(i)
        if newly_merged:
            self._bump_target(row)

    def set_state(self, chat_id: str, state: str) -> None:
        i = self._pos.get(chat_id)
        if i is None:
            return  # a reply to a message no longer listed: nothing to mark
        self.rows[i]["state"] = state
        self._changed(i, [Qt.ItemDataRole.DisplayRole, self.StateRole])

    # --- display ------------------------------------------------------------------------
    def display(self, row: dict, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self.line(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.why(row)
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(INTENT_COLORS.get(self.tag(row), "#7f8c8d"))
        if role == Qt.ItemDataRole.ForegroundRole and row["state"] in ("dropped", "merged", "withdrawn"):
            return QColor("#8a8a8a")
        return None

    @staticmethod
    def tag(row: dict) -> str:
        return "paid" if row.get("amount") else row.get("intent") or "other"

    def line(self, row: dict) -> str:
        tag = self.labels(f"intent.{self.tag(row)}")
        rank = " " + self.labels("chat.rank").format(n=row["rank"]) if row.get("rank") is not None else ""
        merged = ("  " + self.labels("chat.merged").format(n=row["merged_count"])
                  if row.get("merged_count", 1) > 1 and row["state"] != "merged" else "")
        paid = f" [{row['amount']} {row.get('currency') or ''}]".rstrip() if row.get("amount") else ""
        state = "" if row["state"] == "queued" else f"  — {self.why(row)}"
        return f"[{tag}{rank}] {row['user']}: {row['text']}{paid}{merged}{state}"

    def why(self, row: dict) -> str:
        """The row's state in words, with triage's reason and detail ("dropped: too old (52 s old)")."""
        state = self.labels(f"state.{row['state']}")
        detail = f" ({row['detail']})" if row.get("detail") and row["state"] in ("dropped", "merged") else ""
        if row["state"] == "merged" and row.get("merged_into"):
            target = self.get(row["merged_into"])
            who = target["user"] if target else row["merged_into"]
            return f"{state} → {who}{detail}"
        if row["state"] == "dropped" and row.get("reason"):
            return f"{state}: {self.labels('reason.' + row['reason'])}{detail}"
        return state


def _state_of(data: dict) -> str:
    reason = data.get("reason") or ""
    if data.get("merged_into"):
        return "merged"
    if reason in _STATE_BY_REASON:
        return _STATE_BY_REASON[reason]
    return "queued" if data.get("accepted") else "dropped"
