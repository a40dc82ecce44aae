"""The session record: every event of a show in SQLite (WAL), so what was asked, drafted, edited,
approved and actually heard can be read back after the show — or after a crash.

Writes never block the show's loop: `event()` only serializes and queues; a writer thread commits
in small batches (at most ~50 ms or 256 events per transaction). In WAL mode a commit is durable
against a crash of this process, so a killed show loses at most its last uncommitted batch.

A write that fails (the database locked by another program past the busy timeout, a full disk)
loses nothing: the batch is kept and retried with backoff, the operator told once per outage
(`on_error`, from the writer thread), and told again when the record writes again.
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
BUSY_TIMEOUT_S = 10.0  # how long a write waits for another program's lock before it counts as failed
BATCH_MAX = 256
RETRY_S = (0.2, 0.5, 1.0, 2.0)  # backoff between attempts while the database refuses writes
PENDING_MAX = 200_000  # rows kept for a retry; beyond that the oldest are dropped (counted)
_STOP = object()


def default_path() -> Path:
    return data_dir() / "sessions.sqlite3"


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
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
        self.error: str | None = None  # set while writes fail (they are being retried)
        self.on_error: Callable[[str], None] | None = None  # an outage, then its end ("...writes again")
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
        con: sqlite3.Connection | None = None  # (re)opened on demand: a full disk may fail the open too
        stop = False
        pending: list[tuple] = []  # rows a failed write left: retried before anything newer
        waiting: list[threading.Event] = []  # flush() marks, set once everything before them is in
        failures = 0
        while True:
            if not stop:
                stop = self._gather(pending, waiting, timeout=RETRY_S[min(failures, 3)] if failures else None)
            try:
                con = con or _connect(self.path)
                with con:
                    con.executemany("INSERT INTO events (session, t, t_show, kind, data) VALUES (?, ?, ?, ?, ?)",
                                    pending)  # fmt: skip
                    if stop:
                        con.execute("UPDATE sessions SET ended_at = ? WHERE id = ?", (time.time(), self.id))
            except sqlite3.Error as exc:
                if con is not None:
                    con.close()
                con = None
                failures += 1
                self._failed(len(pending), exc, failures)
                if len(pending) > PENDING_MAX:
                    self.dropped += len(pending) - PENDING_MAX
                    del pending[: len(pending) - PENDING_MAX]
                if stop and failures > 5:
                    break  # closing: the show is over and the database still refuses
                if stop:
                    time.sleep(RETRY_S[min(failures, 3)])
                continue
            if failures:
                self._tell(f"session record writes again ({len(pending)} events caught up)")
                self.error, failures = None, 0
            pending.clear()
            for m in waiting:
                m.set()
            waiting.clear()
            if stop:
                break
        if con is not None:
            con.close()

    def _gather(self, rows: list, marks: list, timeout: float | None) -> bool:
        """Add the next batch to `rows` (and flush marks to `marks`); True when asked to stop.
        With `timeout` (retrying), return after it even if nothing arrived."""
        try:
            item = self._q.get(timeout=timeout)
        except queue.Empty:
            return False
        deadline = time.monotonic() + BATCH_S
        while True:
            if item is _STOP:
                return True
            if isinstance(item, threading.Event):
                marks.append(item)
                return False
            rows.append(item)
            if len(rows) >= BATCH_MAX and timeout is None:
                return False
            try:
                item = self._q.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                return False

    def _failed(self, n: int, exc: Exception, failures: int) -> None:
        log.warning("session record: could not write %d events (%s); retrying", n, exc)
        if failures == 1:
            self.error = str(exc)
            self._tell(f"session record cannot write ({exc}); {n} events kept, retrying")

    def _tell(self, text: str) -> None:
        log.warning("%s", text)
        if self.on_error is not None:
            try:
                self.on_error(text)
            except Exception:  # noqa: BLE001 - a console error must not stop the record
                log.exception("session record: error callback failed")


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
