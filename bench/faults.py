"""Faults during a live show: does anything vanish, does everything come back?

    python -m bench.faults [--faults 100] [--seed 7] [--quick] [--outage-s 3 | --real-outage]
                           [--gap-s 10] [--no-stage]

The show as the desktop app composes it (compose.start_workers: LLM, voice and visuals workers;
compose.build_show; a 1080p StageWindow painting offscreen on this thread, as bench/pace.py),
with live chat through the chat worker process: an ingest connector fed by a steady viewer tool
(one message every --chat-gap-s, retried until the server answers 200, as a real tool does), the
operator typing a say-now line every --say-gap-s, a session record (SQLite, on a small tmpfs when
run as root so its disk can fill), and the audio on a DeviceSink over a fake PortAudio device
(bench/fault_kinds.FakePortAudio) so the device can be unplugged and plugged back.

At seeded random moments (one per --gap-s window, kinds in a shuffled round robin) it injects the
faults of bench/fault_kinds.KINDS: kill -9 of the LLM, voice, chat and visuals workers; a client
socket reset mid-request; the chat's upstream gone for --outage-s (--real-outage: 30 s); the audio
device removed and returned; the record's database held under an EXCLUSIVE lock by another
connection, and its disk full; a worker hung (SIGSTOP; the heartbeat deadline must restart it).
Then it drains the chat and reads the session record back from disk.

One JSON object on stdout: per fault (kind, recovery_s, survived, told); `lost` = messages the
ingest accepted (200) with no chat event in the record (goal 0); their terminal states (answered,
merged, dropped: reason, queued); operator lines spoken or returned; the stage's late frames;
recovery p50/p95 per kind. `told`: operator notices attributed to that fault (worker restart
status, chat-worker health, audio and record warnings); a client's dropped socket and a quiet
upstream are not faults of ours, so nothing is told for those. `--quick`: 10 faults (each kind
once) 8 s apart — tests/test_faults_bench.py runs it. Timings are noisy on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench import pace
from bench._stats import pct
from bench.fault_kinds import KINDS, FakePortAudio, Injector
from vhost.app import compose as app
from vhost.audio.sinks import DeviceSink
from vhost.base.commands import SayNow
from vhost.base.events import Event, Health
from vhost.base.runtime import CoreThread
from vhost.brain.catalog import load_catalog
from vhost.chat.config import ConnectorConfig
from vhost.chat.worker import ChatProcess
from vhost.config.settings import VhostConfig
from vhost.show import session_record

HEARTBEAT_S = 3.0  # the bench's worker heartbeat deadline (the app's default is 20 s)
EXPECT_TOLD = {"drop_socket": 0, "platform_gone": 0}  # others: 1


def note(text: str) -> None:
    print(f"[faults] {text}", file=sys.stderr, flush=True)


class Poster(threading.Thread):
    """A viewer tool posting to the ingest: one line every `gap_s`, each retried until accepted.
    While `paused` (the upstream gone) lines pile up and go out once it is back."""

    def __init__(self, rig: Rig, lines: list[str], gap_s: float) -> None:
        super().__init__(daemon=True, name="chat-poster")
        self.rig, self.lines, self.gap_s = rig, lines, gap_s
        self.paused, self.stop = threading.Event(), threading.Event()
        self.created: dict[str, float] = {}
        self.accepted: list[str] = []

    def run(self) -> None:
        backlog: list[str] = []
        i = 0
        while not self.stop.is_set():
            mid = f"c{i}"
            self.created[mid] = time.monotonic()
            backlog.append(mid)
            i += 1
            while backlog and not self.paused.is_set() and not self.stop.is_set():
                mid = backlog[0]
                body = {"user": f"viewer{int(mid[1:]) % 17}", "text": self.lines[int(mid[1:]) % len(self.lines)],
                        "id": mid}
                if self._post(body):
                    self.accepted.append(backlog.pop(0))
                else:
                    time.sleep(0.1)  # connection refused / reset: the chat worker restarts; retry
            self.stop.wait(self.gap_s)

    def _post(self, body: dict) -> bool:
        req = urllib.request.Request(f"http://127.0.0.1:{self.rig.port}/events", data=json.dumps(body).encode(),
                                     method="POST", headers={"Authorization": f"Bearer {self.rig.token}"})
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                return r.status == 200
        except OSError:
            return False


class Rig:
    """Everything running: the show on its core thread, workers, chat, sink, record, notices."""

    def __init__(self, cfg: VhostConfig, data_dir: Path, small_disk: bool, stage_window: bool) -> None:
        self.cfg, self.small_disk = cfg, small_disk
        self.token, self.port = secrets.token_hex(8), _free_port()
        self.notices: list[tuple[float, str, str]] = []  # (monotonic, source, text)
        self.delivered_at: dict[str, float] = {}
        self.device = FakePortAudio("Bench Speakers")
        self.sink = DeviceSink("bench speakers", cfg.audio.sample_rate, sd=self.device)
        self.sink.STALL_S, self.sink.POLL_S = 1.0, 0.25
        self.sink.on_warning = lambda t: "is back" in t or self.notices.append((time.monotonic(), "audio", t))
        session_record.BUSY_TIMEOUT_S = 1.0  # a lock held longer than this fails the write (then retried)
        self.record = session_record.SessionRecord(data_dir / "sessions.sqlite3", clock=self.sink.clock)
        self.record.on_error = lambda t: "writes again" in t or self.notices.append((time.monotonic(), "record", t))
        self.sink.start()
        self.qapp, self.window, stage = (None, None, pace.LiveStage(cfg.stage.seed))
        if stage_window:
            self.qapp, self.window, stage = pace.open_stage(cfg, self.sink)
        self.core = CoreThread()
        self.core.start()
        self.workers = self.pump(self.core.submit(self._boot()))
        self.chat = ChatProcess([ConnectorConfig(source=f"ingest:{self.port}", token=self.token)],
                                clock=self.sink.clock, on_health=self._health)
        self.show = app.build_show(cfg, self.workers, self.sink, stage, self.on_event)
        self.runner = self.core.submit(app.run_show(self.show, self.workers, self.chat.events()))
        self.poster: Poster | None = None
        self.said: list[str] = []  # the operator's lines (a marker each)
        self.t0 = time.monotonic()

    async def _boot(self) -> app.Workers:
        workers = await app.start_workers(self.cfg, self._status)
        for client in (workers.llm, workers.tts, workers.visuals.client):
            client.heartbeat_timeout_s = HEARTBEAT_S
        errors = await app.wait_workers(workers)
        if errors:
            raise SystemExit("; ".join(errors))
        return workers

    def pump(self, fut: Any) -> Any:
        return pace.pump(self.qapp, fut)

    def sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.qapp is not None:
                self.qapp.processEvents()
            time.sleep(0.001 if self.qapp is not None else 0.05)

    def _status(self, name: str, msg: dict) -> None:
        if msg.get("type") in ("restarting", "fatal"):
            self.notices.append((time.monotonic(), f"worker:{name}", msg.get("text") or msg.get("error", "")))

    def _health(self, name: str, state: str, detail: str) -> None:
        if name == "chat-worker" and state in ("reconnecting", "stopped"):
            self.notices.append((time.monotonic(), "chat", detail))
        self.on_event(Health(connector=name, state=state, detail=detail or ""))

    def on_event(self, event: Event) -> None:
        data = event.data()
        self.record.event(event.kind, data)
        if event.kind == "chat":
            self.delivered_at.setdefault(data["id"], time.monotonic())

    def posted_after(self, t: float) -> list[str]:
        assert self.poster is not None
        return [m for m, at in list(self.poster.created.items()) if at > t]

    def say(self, text: str) -> None:
        self.core.call_soon(self.show.control, SayNow(text=text))

    def close(self) -> None:
        self.runner.cancel()
        self.pump(self.core.submit(self.workers.close()))
        self.core.stop()
        self.sink.stop()
        self.record.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _small_disk(path: Path) -> bool:
    """A 64 MB tmpfs for the record, so the disk-full fault is a real ENOSPC (root only)."""
    if os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(path)],
                          capture_output=True).returncode == 0  # fmt: skip


def _told(rig: Rig, kind: str, target: str, t0: float, t1: float) -> int:
    source = {"kill_chat": "chat", "audio_device": "audio", "db_locked": "record", "disk_full": "record"}.get(
        kind, f"worker:{target}")
    return sum(1 for t, src, _ in rig.notices if t0 <= t <= t1 and src == source)


def _off_thread(rig: Rig, fn: Any, *args: Any) -> Any:
    """Run `fn` on a helper thread while this (the stage's) thread keeps painting."""
    box: dict[str, Any] = {}
    th = threading.Thread(target=lambda: box.update(r=fn(*args)), daemon=True)
    th.start()
    while th.is_alive():
        rig.sleep(0.05)
    return box.get("r")


def inject_all(rig: Rig, kinds: list[str], gap_s: float, outage_s: float, seed: int) -> list[dict]:
    """One fault per `gap_s` window at a random moment in it, on this thread while the main
    thread paints (the faults run on a helper thread so the stage never waits on them)."""
    rng = random.Random(seed)
    injector, out = Injector(rig, outage_s), []
    for i, kind in enumerate(kinds):
        rig.sleep(rng.uniform(0.3, 1.0) * gap_s)
        if kind == "disk_full" and not rig.small_disk:
            out.append({"kind": kind, "skipped": "needs root to mount a tmpfs"})
            continue
        target = {"kill_llm": "llm", "kill_tts": "tts", "kill_visuals": "visuals"}.get(kind, "")
        if kind == "hang_worker":
            target = ("tts", "llm")[(injector._hang_turn + 1) % 2]
        t0 = time.monotonic()
        rec = _off_thread(rig, injector.run, kind)
        rig.sleep(2.0)  # notices of this fault arrive
        told = _told(rig, kind, target, t0, time.monotonic())
        out.append({"kind": kind, "target": target or None, "at_s": round(t0 - rig.t0, 1),
                    "recovery_s": None if rec is None else round(rec, 2), "survived": rec is not None,
                    "told": told, "told_ok": told == EXPECT_TOLD.get(kind, 1)})
        note(f"fault {i + 1}/{len(kinds)} {kind} {target}: recovered in {rec} s, told {told}")
        rig.say(f"Thanks for staying with us, friends, note {i + 1}.")
        rig.said.append(f"note {i + 1}")
    return out


def settle(rig: Rig, limit_s: float) -> None:
    """Stop the chat and wait until every accepted message has a terminal state (or the limit)."""
    assert rig.poster is not None
    rig.poster.stop.set()
    rig.poster.join(10)
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        rig.record.flush(5)
        states = terminal_states(list(session_record.read_events(rig.record.id, rig.record.path)))
        if all(states.get(m, "vanished") not in ("vanished", "queued", "dispatched") for m in rig.poster.accepted):
            return
        rig.sleep(1.0)


def terminal_states(events: list[dict]) -> dict[str, str]:
    """chat id -> answered | merged | dropped: reason | queued | dispatched, from the record in
    order: a reply heard is final; a reply cut before any audio (the operator's say-now flushes
    what was queued) or failed counts as dropped with that reason unless the show re-queued it."""
    state: dict[str, str] = {}
    for e in events:
        d = e["data"]
        if e["kind"] in ("chat", "triage") and state.get(d["id"]) != "answered":
            state[d["id"]] = ("merged" if d["reason"] == "merged" else
                              d["reason"] if d["reason"] in ("queued", "dispatched") else f"dropped: {d['reason']}")
        elif e["kind"] == "reply" and state.get(d["chat_id"]) != "answered":
            state[d["chat_id"]] = ("answered" if d.get("first_audio_at") is not None else
                                   f"dropped: reply {'failed: ' + d['error'] if d.get('error') else 'interrupted'}")
    return state


def tally(rig: Rig, faults: list[dict], window: tuple[float, float]) -> dict[str, Any]:
    events = list(session_record.read_events(rig.record.id, rig.record.path))
    states = terminal_states(events)
    assert rig.poster is not None
    accepted = rig.poster.accepted
    lost = [m for m in accepted if m not in states]
    counts: dict[str, int] = {}
    for m in accepted:
        key = states.get(m, "vanished").split(": failed")[0]
        counts[key] = counts.get(key, 0) + 1
    spoken = [e["data"]["heard_text"] for e in events if e["kind"] == "spoken" and e["data"]["source"] == "operator"]
    returned = [e["data"].get("restore") or "" for e in events if e["kind"] == "warning"]
    def has(n: str, texts: list[str]) -> bool:  # "note 1" is not in "note 10."
        return any(re.search(rf"\b{re.escape(n)}\b", t) for t in texts)

    lines = {n: ("spoken" if has(n, spoken) else "returned" if has(n, returned) else "missing") for n in rig.said}
    done = [f for f in faults if "skipped" not in f]
    kinds = sorted({f["kind"] for f in done})
    rec = {k: pct([f["recovery_s"] for f in done if f["kind"] == k and f["survived"]], (50, 95)) for k in kinds}
    frames = pace.frames_late(rig.window.stats.times, *window, rig.cfg.stage.fps) if rig.window else None
    return {"faults_injected": len(done), "faults_survived": sum(f["survived"] for f in done),
            "faults_told_once": sum(f["told_ok"] for f in done), "messages_accepted": len(accepted),
            "messages_lost": len(lost), "lost_ids": lost[:20], "message_states": counts,
            "operator_lines": {"typed": len(lines), "spoken": sum(v == "spoken" for v in lines.values()),
                               "returned": sum(v == "returned" for v in lines.values()),
                               "missing": [k for k, v in lines.items() if v == "missing"]},
            "recovery_s": rec, "stage_frames": frames, "record_dropped": rig.record.dropped, "faults": faults}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--faults", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--quick", action="store_true", help="10 faults (each kind once), 8 s apart")
    ap.add_argument("--gap-s", type=float, default=12.0, help="one fault per this many seconds")
    ap.add_argument("--outage-s", type=float, default=3.0, help="upstream outage / lock / full disk length")
    ap.add_argument("--real-outage", action="store_true", help="the upstream gone for the real 30 s")
    ap.add_argument("--chat-gap-s", type=float, default=1.5)
    ap.add_argument("--no-stage", action="store_true")
    args = ap.parse_args(argv)
    n, gap = (len(KINDS), 8.0) if args.quick else (args.faults, args.gap_s)
    outage = 30.0 if args.real_outage else args.outage_s
    rng = random.Random(args.seed)
    kinds: list[str] = []
    while len(kinds) < n:
        kinds += rng.sample(KINDS, len(KINDS))
    kinds = kinds[:n]
    cfg = VhostConfig()
    cfg.control.mode = "auto"
    tmp = Path(tempfile.mkdtemp(prefix="vhost-faults-"))
    small = _small_disk(tmp)
    note(f"booting the show ({cfg.llm.model}, {cfg.voice.engine}); record on {'a 64 MB tmpfs' if small else tmp}")
    rig = Rig(cfg, tmp, small, stage_window=not args.no_stage)
    try:
        rig.pump(rig.core.submit(_ready(rig)))
        pool = [text for _, text in pace.questions(load_catalog(cfg.show.catalog))] + pace.SMALL_TALK
        rig.t0 = time.monotonic()
        rig.poster = Poster(rig, pool, args.chat_gap_s)
        rig.poster.start()
        t0 = time.perf_counter()
        faults = inject_all(rig, kinds, gap, outage, args.seed)
        window = (t0, time.perf_counter())
        settle(rig, cfg.chat.triage.max_age_s + 60)
        rig.close()
        result = {"seed": args.seed, "outage_s": outage, "gap_s": gap, "model": cfg.llm.model,
                  "cpus": os.cpu_count(), **tally(rig, faults, window)}
        keep = Path(tempfile.gettempdir()) / f"vhost-faults-{rig.record.id}.sqlite3"
        with sqlite3.connect(rig.record.path) as src, sqlite3.connect(keep) as dst:
            src.backup(dst)  # the record outlives the tmpfs
        result["record_path"] = str(keep)
    finally:
        if small:
            subprocess.run(["umount", "-l", str(tmp)], capture_output=True)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return result


async def _ready(rig: Rig) -> None:
    while not rig.show.ready.is_set():
        if rig.runner.done():
            raise SystemExit(f"show stopped: {rig.runner.exception()}")
        await asyncio.sleep(0.05)


if __name__ == "__main__":
    main()
