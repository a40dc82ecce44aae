"""The session record: WAL SQLite written off the loop, readable while the show runs, intact after
the show is killed mid-reply, exported as JSON lines and CSV."""

import argparse
import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from vhost.app.cli_control import register
from vhost.show import session_record as rec

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent("""
    import asyncio, sys
    from tests.fakes import ScriptedLLM
    from tests.test_show_pipeline import chat, make_show, running
    from vhost.show.session_record import SessionRecord

    async def main():
        record = SessionRecord(sys.argv[1], meta={"test": "crash"})
        show, sink, events = make_show(ScriptedLLM(token_delay=0.01))
        show.listen(lambda e: record.event(e.kind, e.data()))
        record.clock = sink.clock
        print(record.id, flush=True)
        async with running(show, sink):
            for i in range(10_000):  # a show that never ends: the parent kills it
                await show.offer_chat(chat(show, f"What do you think of the mug as a gift? ({i})", f"viewer{i}", f"c{i}"))
                await asyncio.sleep(0.05)

    asyncio.run(main())
""")


@pytest.mark.slow  # a show in a child process, killed mid-reply
def test_events_survive_a_kill_mid_show_and_export(tmp_path):
    db = tmp_path / "sessions.sqlite3"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        session_id = child.stdout.readline().strip()
        assert session_id, "child did not start"
        # Read while the show runs (WAL: readers never block the writer) until a reply was heard.
        deadline = time.monotonic() + 30
        seen = []
        while time.monotonic() < deadline:
            if db.exists():
                con = sqlite3.connect(db)
                seen = [k for (k,) in con.execute("SELECT kind FROM events WHERE session = ?", (session_id,))]
                con.close()
                if "reply" in seen and seen.count("chat") >= 5:
                    break
            time.sleep(0.1)
        assert "reply" in seen, seen
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert child.returncode == -signal.SIGKILL

    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    sessions = rec.list_sessions(db)
    assert [s["id"] for s in sessions] == [session_id] and sessions[0]["ended_at"] is None  # crashed
    assert sessions[0]["events"] >= len(seen)
    events = list(rec.read_events(session_id, db))
    replies = [e for e in events if e["kind"] == "reply"]
    assert replies and replies[0]["data"]["heard_text"].startswith("Hi there")
    assert all(e["t_show"] is not None for e in events)
    chats = [e["data"]["text"] for e in events if e["kind"] == "chat"]
    assert chats[:3] == [f"What do you think of the mug as a gift? ({i})" for i in range(3)]

    buf = io.StringIO()
    n = rec.export(session_id, "jsonl", buf, db)
    lines = [json.loads(x) for x in buf.getvalue().splitlines()]
    assert n == len(lines) == len(events) and lines[0]["kind"] == events[0]["kind"]

    out = tmp_path / "s.csv"
    args = session_parser().parse_args(["session", "--db", str(db), "export", session_id, "--format", "csv",
                                        "--out", str(out)])
    assert args.func(args) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == len(events) and rows[0]["time_utc"].endswith("Z")
    assert json.loads(next(r for r in rows if r["kind"] == "reply")["data"])["heard_text"]


def test_record_close_marks_the_end_and_keeps_unicode_and_odd_values(tmp_path):
    db = tmp_path / "s.sqlite3"
    r = rec.SessionRecord(db, meta={"mode": "manual"})
    r.event("chat", {"text": "这个杯子多少钱？", "path": tmp_path})  # a Path: stored as text, not lost
    r.event("draft", {"change": "edited", "before": "a", "after": "b"})
    assert r.flush()
    r.close()
    s = rec.list_sessions(db)[0]
    assert s["ended_at"] is not None and s["meta"] == {"mode": "manual"} and s["events"] == 2
    ev = list(rec.read_events(s["id"], db))
    assert ev[0]["data"]["text"] == "这个杯子多少钱？" and ev[0]["data"]["path"] == str(tmp_path)
    assert ev[1]["data"]["after"] == "b"


def session_parser():
    """`vhost session ...` as the main parser mounts it (vhost.app.cli calls the same `register`)."""
    parser = argparse.ArgumentParser(prog="vhost")
    register(parser.add_subparsers(dest="command"))
    return parser


def test_export_of_an_unknown_session_is_a_clear_error(tmp_path, capsys):
    db = tmp_path / "s.sqlite3"
    rec.SessionRecord(db).close()
    parser = session_parser()
    args = parser.parse_args(["session", "--db", str(db), "export", "nope"])
    assert args.func(args) == 2
    assert "no session 'nope'" in capsys.readouterr().err
    args = parser.parse_args(["session", "--db", str(db), "list"])
    assert args.func(args) == 0
    assert "events" in capsys.readouterr().out


def test_recording_never_blocks_the_caller(tmp_path):
    """The caller only serializes and queues: while another connection holds the database's
    write lock (a stuck disk, a long export), event() still returns and nothing is lost. Its
    cost per event is measured by `python -m bench.chat` ("session_record"), not asserted here."""
    db = tmp_path / "s.sqlite3"
    r = rec.SessionRecord(db)
    blocker = sqlite3.connect(db, timeout=10)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        for i in range(2000):
            r.event("chat", {"i": i, "text": "hello " * 10})
        assert not r.flush(0.2)  # the writer thread waits for the lock; the caller did not
    finally:
        blocker.rollback()
        blocker.close()
    assert r.flush(10)
    r.close()
    assert r.dropped == 0
    assert rec.list_sessions(db)[0]["events"] == 2000
