"""A recorded session, read back for analysis: its events on one time axis (the show clock).

Events carry wall time `t` and, once the show clock runs, `t_show`. Every event gets `at`, seconds
on the show clock: `t_show` where there is one, else wall time shifted by the median offset seen
on the events that have both (before the clock starts: seconds after the session began).
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vhost.show import session_record as rec


class SessionNotFound(LookupError):
    """No such session database, or no such session in it. `str()` says which."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "session not found"


@dataclass(frozen=True)
class Ev:
    seq: int
    at: float  # show clock, seconds
    kind: str
    data: dict[str, Any]


@dataclass
class SessionData:
    id: str
    started_at: float  # wall clock, epoch seconds
    ended_at: float | None
    meta: dict[str, Any]
    events: list[Ev] = field(default_factory=list)

    @property
    def duration_s(self) -> float:
        """Show time covered: from 0 to the last event (or wall time when nothing was recorded)."""
        last = max((e.at for e in self.events), default=0.0)
        if last <= 0 and self.ended_at:
            return max(0.0, self.ended_at - self.started_at)
        return max(0.0, last)

    def of(self, *kinds: str) -> list[Ev]:
        return [e for e in self.events if e.kind in kinds]


def _check_db(path: Path) -> None:
    if not path.is_file():
        raise SessionNotFound(f"no session database at {path}")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            con.execute("SELECT id FROM sessions LIMIT 1")
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise SessionNotFound(f"{path} is not a session database ({exc})") from exc


def session_rows(path: Path | None = None) -> list[dict[str, Any]]:
    """The sessions in the database, oldest first (`vhost.show.session_record.list_sessions`)."""
    path = Path(path) if path else rec.default_path()
    _check_db(path)
    return rec.list_sessions(path)


def load_session(session_id: str, path: Path | None = None) -> SessionData:
    """Every event of one session; SessionNotFound for a missing database or an unknown id."""
    path = Path(path) if path else rec.default_path()
    _check_db(path)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        head = con.execute("SELECT started_at, ended_at, meta FROM sessions WHERE id = ?", (session_id,)).fetchone()
    finally:
        con.close()
    if head is None:
        raise SessionNotFound(f"no session {session_id!r} in {path}")
    started_at, ended_at, meta = head
    raw = list(rec.read_events(session_id, path))
    return SessionData(session_id, started_at, ended_at, json.loads(meta or "{}"), on_show_clock(raw, started_at))


def on_show_clock(raw: list[dict[str, Any]], started_at: float) -> list[Ev]:
    """Raw record rows ({seq, t, t_show, kind, data}) as events on the show clock."""
    offsets = [r["t"] - r["t_show"] for r in raw if r.get("t_show") is not None]
    offset = statistics.median(offsets) if offsets else started_at
    out = []
    for r in raw:
        at = r["t_show"] if r.get("t_show") is not None else r["t"] - offset
        out.append(Ev(r["seq"], float(at), r["kind"], r["data"] if isinstance(r["data"], dict) else {}))
    return out
