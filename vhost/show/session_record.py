"""The session record: every event of a show in SQLite (WAL), so what was asked, drafted, edited,
approved and actually heard can be read back after the show — or after a crash.

Writes never block the show's loop: `event()` only serializes and queues; a writer thread commits
in small batches (at most ~50 ms or 256 events per transaction). In WAL mode a commit is durable
against a crash of this process, so a killed show loses at most its last uncommitted batch.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import queue
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from vhost.base.paths import data_dir

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, started_at REAL NOT NULL, ended_at REAL,
                                     meta TEXT NOT NULL DEFAULT '{}');
CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, session TEXT NOT NULL,
                                   t REAL NOT NULL, t_show REAL, kind TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_by_session ON events (session, seq);
"""
BATCH_S = 0.05
BATCH_MAX = 256
_STOP = object()


def default_path() -> Path:
    return data_dir() / "sessions.sqlite3"


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=10)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across a process crash
    con.executescript(SCHEMA)
    return con


class SessionRecord:
    def __init__(self, path: Path | None = None, *, meta: dict | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self.path = Path(path) if path else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.id = time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)
        self.clock = clock  # the show clock, stored beside wall time when set
        self.dropped = 0
        self._q: queue.Queue = queue.Queue(maxsize=100_000)
        con = _connect(self.path)  # fail here, at start, if the folder is unwritable
        with con:
            con.execute("INSERT INTO sessions (id, started_at, meta) VALUES (?, ?, ?)",
                        (self.id, time.time(), json.dumps(meta or {}, default=str)))
        con.close()
        self._thread = threading.Thread(target=self._writer, name="session-record", daemon=True)
        self._thread.start()

    # --- the show's side (any thread, never blocks) ---------------------------------------
    def event(self, kind: str, data: dict) -> None:
        try:
            t_show = self.clock() if self.clock else None
        except Exception:  # noqa: BLE001 - a stopped clock must not lose the event
            t_show = None
        try:
            row = (self.id, time.time(), t_show, kind, json.dumps(data, ensure_ascii=False, default=str))
            self._q.put_nowait(row)
        except queue.Full:
            self.dropped += 1  # the disk is stuck; the show must go on
        except (TypeError, ValueError) as exc:
            log.warning("session record: cannot store %s event: %s", kind, exc)

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything recorded so far is committed."""
        done = threading.Event()
        self._q.put(done)
        return done.wait(timeout)

    def close(self) -> None:
        if not self._thread.is_alive():
            return
        self._q.put(_STOP)
        self._thread.join(10)

    # --- writer thread --------------------------------------------------------------------
    def _writer(self) -> None:
        con = _connect(self.path)
        stop = False
        while not stop:
            rows, marks = [], []
            item = self._q.get()
            deadline = time.monotonic() + BATCH_S
            while True:
                if item is _STOP:
                    stop = True
                elif isinstance(item, threading.Event):
                    marks.append(item)
                else:
                    rows.append(item)
                if stop or marks or len(rows) >= BATCH_MAX:
                    break
                try:
                    item = self._q.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
            try:
                with con:
                    con.executemany("INSERT INTO events (session, t, t_show, kind, data) VALUES (?, ?, ?, ?, ?)", rows)
                    if stop:
                        con.execute("UPDATE sessions SET ended_at = ? WHERE id = ?", (time.time(), self.id))
            except sqlite3.Error as exc:
                log.error("session record: could not write %d events: %s", len(rows), exc)
            for m in marks:
                m.set()
        con.close()


# --- reading back ------------------------------------------------------------------------
def list_sessions(path: Path | None = None) -> list[dict]:
    path = Path(path) if path else default_path()
    if not path.exists():
        return []
    con = _connect(path)
    try:
        rows = con.execute(
            "SELECT s.id, s.started_at, s.ended_at, s.meta, COUNT(e.seq) FROM sessions s "
            "LEFT JOIN events e ON e.session = s.id GROUP BY s.id ORDER BY s.started_at").fetchall()
    finally:
        con.close()
    return [{"id": r[0], "started_at": r[1], "ended_at": r[2], "meta": json.loads(r[3]), "events": r[4]}
            for r in rows]


def read_events(session_id: str, path: Path | None = None) -> Iterator[dict]:
    path = Path(path) if path else default_path()
    if not path.exists():
        raise KeyError(f"no session record at {path}")
    con = _connect(path)
    try:
        if con.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is None:
            raise KeyError(f"no session {session_id!r} in {path}")
        for seq, t, t_show, kind, data in con.execute(
                "SELECT seq, t, t_show, kind, data FROM events WHERE session = ? ORDER BY seq", (session_id,)):
            yield {"seq": seq, "t": t, "t_show": t_show, "kind": kind, "data": json.loads(data)}
    finally:
        con.close()


def export(session_id: str, fmt: str, out: io.TextIOBase, path: Path | None = None) -> int:
    """Write a session as JSON lines or CSV (data as a JSON column); returns the event count."""
    if fmt not in ("jsonl", "csv"):
        raise ValueError(f"unknown format {fmt!r}; use jsonl or csv")
    n = 0
    writer = csv.writer(out) if fmt == "csv" else None
    if writer:
        writer.writerow(["seq", "time_utc", "t", "t_show", "kind", "data"])
    for ev in read_events(session_id, path):
        if writer:
            iso = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ev["t"])) + f".{int(ev['t'] % 1 * 1000):03d}Z"
            writer.writerow([ev["seq"], iso, f"{ev['t']:.3f}", "" if ev["t_show"] is None else f"{ev['t_show']:.3f}",
                             ev["kind"], json.dumps(ev["data"], ensure_ascii=False)])
        else:
            out.write(json.dumps(ev, ensure_ascii=False) + "\n")
        n += 1
    return n
