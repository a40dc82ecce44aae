"""Heavy models run in worker processes so the stage keeps its frame rate (a busy Python thread
beside Qt halves it; a process does not).

Protocol: dict messages over a multiprocessing Pipe. Every request carries an `id`; the worker
answers with one or more messages carrying that id, the last one with `"final": True`. A request
`{"op": "cancel", "target": id}` asks a streaming handler to stop early.

The parent side is asyncio: the pipe's file descriptor is watched with `loop.add_reader`, so no
thread is spent waiting. If the process dies, every request in flight fails with `WorkerCrashed`
(callers keep their input and retry) and the process is restarted.

A hung worker (no reply and no exit: a deadlocked library, a native call holding the GIL, a
SIGSTOP) is caught two ways: a request that gets no message within `reply_timeout_s`, and a
heartbeat — once loaded, the child beats on a second pipe from its own thread every
`BEAT_S`; `heartbeat_timeout_s` without a beat means the whole process is stuck, even when idle.
Either way it is killed and restarted like a crashed one, and the operator is told once.
"""

from __future__ import annotations

import asyncio
import importlib
import itertools
import logging
import multiprocessing as mp
import os
import threading
import time
import traceback
from collections import deque
from collections.abc import AsyncIterator, Callable
from multiprocessing.connection import Connection
from typing import Any

from vhost.base.memory import return_large_buffers

log = logging.getLogger(__name__)

BEAT_S = 0.5  # the child's heartbeat period
RESTART_WINDOW_S = 60.0  # more than `max_restarts` restarts within this long: give up


class WorkerCrashed(RuntimeError):
    pass


class WorkerError(RuntimeError):
    pass


# ---------------------------------------------------------------------------------------------
# Child side
# ---------------------------------------------------------------------------------------------
class WorkerContext:
    """What a handler gets: a way to send replies and to notice a cancel for its request."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.backlog: deque[dict] = deque()
        self.cancelled: set[int] = set()

    def send(self, msg: dict) -> None:
        self.conn.send(msg)

    def status(self, text: str, progress: float | None = None) -> None:
        self.conn.send({"id": 0, "type": "status", "text": text, "progress": progress})

    def is_cancelled(self, req_id: int) -> bool:
        # Drain what has arrived without blocking: cancels are noted, other requests wait.
        while self.conn.poll():
            msg = self.conn.recv()
            if msg.get("op") == "cancel":
                self.cancelled.add(msg["target"])
            else:
                self.backlog.append(msg)
        return req_id in self.cancelled

    def next_request(self) -> dict:
        while True:
            msg = self.backlog.popleft() if self.backlog else self.conn.recv()
            if msg.get("op") == "cancel":
                self.cancelled.add(msg["target"])
                continue
            if msg["id"] in self.cancelled:
                self.send({"id": msg["id"], "type": "cancelled", "final": True})
                continue
            return msg


def _beat(conn: Connection) -> None:
    """The child's heartbeat thread: it beats while the process can run Python at all."""
    try:
        while True:
            conn.send_bytes(b".")
            time.sleep(BEAT_S)
    except (BrokenPipeError, EOFError, OSError):
        return


def _child_main(factory_path: str, kwargs: dict, conn: Connection, beat: Connection | None = None) -> None:
    """Entry point of the worker process: build the handler object, then serve requests."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    return_large_buffers()  # hours of audio buffers and tensors: see vhost.base.memory
    ctx = WorkerContext(conn)
    if hasattr(os, "nice"):
        # Below the GUI: measured on 2 cores (bench/stage), busy LLM+TTS workers at normal priority
        # pushed the stage's frame p99 to 65 ms; at nice 10 it stayed at 38 ms, with no loss of
        # tokens/s (the stage needs little CPU, but needs it on time).
        try:
            os.nice(10)
        except OSError:
            pass
    module, _, name = factory_path.partition(":")
    try:
        handler = getattr(importlib.import_module(module), name)(ctx, **kwargs)
    except Exception as exc:  # the parent shows this to the operator
        conn.send({"id": 0, "type": "fatal", "error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()})
        return
    conn.send({"id": 0, "type": "ready"})
    if beat is not None:
        threading.Thread(target=_beat, args=(beat,), name="worker-heartbeat", daemon=True).start()
    while True:
        try:
            req = ctx.next_request()
        except (EOFError, OSError):
            return
        if req.get("op") == "shutdown":
            return
        try:
            handler.handle(req)
        except (BrokenPipeError, EOFError):
            return  # the parent is gone (shutdown or crash): nothing left to answer
        except Exception as exc:
            log.exception("worker request failed")
            try:
                conn.send({"id": req["id"], "type": "error", "error": f"{type(exc).__name__}: {exc}", "final": True})
            except (BrokenPipeError, EOFError, OSError):
                return
        ctx.cancelled.discard(req["id"])


# ---------------------------------------------------------------------------------------------
# Parent side
# ---------------------------------------------------------------------------------------------
class WorkerClient:
    """Owns one worker process and restarts it when it dies."""

    def __init__(
        self,
        name: str,
        factory_path: str,
        kwargs: dict | None = None,
        on_status: Callable[[str, dict], None] | None = None,
        max_restarts: int = 5,
        reply_timeout_s: float | None = 60.0,
        heartbeat_timeout_s: float | None = 20.0,
    ) -> None:
        """reply_timeout_s: a request that gets no message for this long means the worker hangs
        (a deadlocked library, a stuck device): it is killed and restarted like a crashed one.
        heartbeat_timeout_s: a loaded worker silent for this long (no heartbeat) is hung too.
        More than `max_restarts` restarts within RESTART_WINDOW_S: given up ("fatal")."""
        self.name = name
        self.factory_path = factory_path
        self.kwargs = kwargs or {}
        self.on_status = on_status or (lambda _name, _msg: None)
        self.max_restarts = max_restarts
        self.restarts = 0  # in all, for reports
        self._restart_times: deque[float] = deque()
        self.reply_timeout_s = reply_timeout_s
        self.heartbeat_timeout_s = heartbeat_timeout_s
        self._beat_conn: Connection | None = None
        self._last_beat = 0.0
        self._beat_timer: asyncio.TimerHandle | None = None
        self._hang_reason = ""  # set when we killed it for hanging: its restart notice says so
        self._ids = itertools.count(1)
        self._inflight: dict[int, asyncio.Queue] = {}
        self._ready: asyncio.Future | None = None
        self._proc: mp.Process | None = None
        self._conn: Connection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closing = False
        self.started_at = 0.0
        self.ready_s: float | None = None
        self.fatal: str | None = None

    # --- lifecycle -------------------------------------------------------------------
    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._ready = self._loop.create_future()  # first: a restarted worker is not ready until it says so
        ctx = mp.get_context("spawn")  # never fork a process that holds Qt and threads
        parent, child = ctx.Pipe(duplex=True)
        beat_parent, beat_child = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_child_main, args=(self.factory_path, self.kwargs, child, beat_child),
                                 name=f"vhost-{self.name}", daemon=True)  # fmt: skip
        self.started_at = time.monotonic()
        self._proc.start()
        child.close()
        beat_child.close()
        self._conn, self._beat_conn = parent, beat_parent
        self._loop.add_reader(parent.fileno(), self._on_readable)
        self._loop.add_reader(beat_parent.fileno(), self._on_beat)

    async def wait_ready(self, timeout: float | None = None) -> None:
        assert self._ready is not None, "start() first"
        await asyncio.wait_for(asyncio.shield(self._ready), timeout)

    @property
    def is_ready(self) -> bool:
        return self._ready is not None and self._ready.done() and self._ready.exception() is None

    async def close(self) -> None:
        self._closing = True
        if self._conn is not None:
            try:
                self._conn.send({"id": 0, "op": "shutdown"})
            except OSError:
                pass
        self._detach()
        if self._proc is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._proc.join, 5)
            if self._proc.is_alive():
                self._proc.kill()

    def kill_for_test(self) -> None:
        """Simulate a crash (tests and the crash drill)."""
        if self._proc is not None:
            self._proc.kill()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    # --- requests ------------------------------------------------------------------
    async def request(self, op: str, **payload: Any) -> AsyncIterator[dict]:
        """Send a request and yield its replies until the final one. Raises WorkerCrashed if the
        process dies meanwhile, WorkerError if the handler failed. Closing the iterator early
        (e.g. the caller's task is cancelled) sends a cancel to the worker."""
        await self.wait_ready()
        req_id = next(self._ids)
        q: asyncio.Queue = asyncio.Queue()
        self._inflight[req_id] = q
        finished = False
        try:
            assert self._conn is not None
            self._conn.send({"id": req_id, "op": op, **payload})
            while True:
                try:
                    msg = await asyncio.wait_for(q.get(), self.reply_timeout_s)
                except TimeoutError:
                    finished = True
                    self._hung(op)
                    raise WorkerCrashed(f"{self.name} worker hung (no reply to {op!r} in "
                                        f"{self.reply_timeout_s:g} s); restarting it") from None
                if msg.get("type") == "crashed":
                    finished = True
                    raise WorkerCrashed(f"{self.name} worker died")
                if msg.get("type") == "error":
                    finished = True
                    raise WorkerError(msg["error"])
                if msg.get("final"):
                    finished = True
                if msg.get("type") != "cancelled":
                    yield msg
                if finished:
                    return
        finally:
            self._inflight.pop(req_id, None)
            if not finished and self._conn is not None:
                try:
                    self._conn.send({"id": 0, "op": "cancel", "target": req_id})
                except OSError:
                    pass

    async def call(self, op: str, **payload: Any) -> dict:
        last: dict = {}
        async for msg in self.request(op, **payload):
            last = msg
        return last

    def _hung(self, op: str, timeout_s: float | None = None) -> None:
        """Kill a worker that stopped answering: its death restarts it (see `_on_death`, which
        tells the operator, once), and every request in flight fails over to the caller's retry."""
        timeout_s = self.reply_timeout_s if timeout_s is None else timeout_s
        self._hang_reason = f"hung ({op}: nothing for {timeout_s or 0:g} s)"
        log.warning("%s worker hung on %r for %g s; killing it", self.name, op, timeout_s or 0)
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()
            self._proc.join(timeout=2)  # SIGKILL: at once
        if self._conn is not None:
            self._on_death()  # now, not when the pipe's EOF is read: no new request may reach it

    # --- plumbing ------------------------------------------------------------------
    def _on_beat(self) -> None:
        conn = self._beat_conn
        try:
            while conn is not None and conn.poll():
                conn.recv_bytes()
                self._last_beat = time.monotonic()
        except (EOFError, OSError):  # the process ended: the main pipe's EOF handles that
            self._detach_beat()

    def _check_beat(self) -> None:
        """Every second while loaded: a worker with no heartbeat for `heartbeat_timeout_s` (real
        time, whatever clock the loop runs on) is stuck as a whole, e.g. stopped or in a native
        call that holds the GIL."""
        self._beat_timer = None
        if self._conn is None or self._closing or self.heartbeat_timeout_s is None:
            return
        silent = time.monotonic() - self._last_beat
        if silent > self.heartbeat_timeout_s:
            self._hung("heartbeat", self.heartbeat_timeout_s)
            return
        assert self._loop is not None
        self._beat_timer = self._loop.call_later(1.0, self._check_beat)

    def _on_readable(self) -> None:
        assert self._conn is not None
        try:
            while self._conn.poll():
                self._dispatch(self._conn.recv())
        except (EOFError, OSError):
            self._on_death()

    def _dispatch(self, msg: dict) -> None:
        kind = msg.get("type")
        if msg.get("id", 0) == 0:
            if kind == "ready" and self._ready and not self._ready.done():
                self.ready_s = time.monotonic() - self.started_at
                self._ready.set_result(True)
                self._last_beat = time.monotonic()
                if self.heartbeat_timeout_s is not None and self._loop is not None:
                    self._beat_timer = self._loop.call_later(1.0, self._check_beat)
                self.on_status(self.name, {"type": "ready", "ready_s": self.ready_s})
            elif kind == "fatal":
                self.fatal = msg["error"]
                log.error("%s worker failed to start: %s\n%s", self.name, msg["error"], msg.get("trace", ""))
                if self._ready and not self._ready.done():
                    self._ready.set_exception(WorkerError(msg["error"]))
                    self._ready.exception()  # mark retrieved; callers see it via wait_ready
                self.on_status(self.name, msg)
            else:
                self.on_status(self.name, msg)
            return
        q = self._inflight.get(msg["id"])
        if q is not None:
            q.put_nowait(msg)

    def _detach_beat(self) -> None:
        if self._beat_timer is not None:
            self._beat_timer.cancel()
            self._beat_timer = None
        if self._beat_conn is not None and self._loop is not None:
            try:
                self._loop.remove_reader(self._beat_conn.fileno())
            except (ValueError, OSError):
                pass
            self._beat_conn.close()
        self._beat_conn = None

    def _detach(self) -> None:
        self._detach_beat()
        if self._conn is not None and self._loop is not None:
            try:
                self._loop.remove_reader(self._conn.fileno())
            except (ValueError, OSError):
                pass
            self._conn.close()
        self._conn = None

    def _on_death(self) -> None:
        self._detach()
        for q in self._inflight.values():
            q.put_nowait({"type": "crashed"})
        if self._closing:
            return
        if self.fatal:
            return  # failed to start: restarting would fail the same way
        code = self._proc.exitcode if self._proc else None
        why, self._hang_reason = self._hang_reason or f"died (exit {code})", ""
        now = time.monotonic()
        while self._restart_times and now - self._restart_times[0] > RESTART_WINDOW_S:
            self._restart_times.popleft()
        if len(self._restart_times) >= self.max_restarts:
            msg = f"{self.name} worker {why}, {len(self._restart_times) + 1} times in a minute; giving up"
            log.error(msg)
            self.on_status(self.name, {"type": "fatal", "error": msg})
            return
        self._restart_times.append(now)
        self.restarts += 1
        log.warning("%s worker %s; restarting (%d)", self.name, why, self.restarts)
        # One notice per fault (a hang is not also reported as a crash): `text` is what the console shows.
        self.on_status(self.name, {"type": "restarting", "exitcode": code, "restarts": self.restarts,
                                   "hung": why.startswith("hung"), "text": f"{why}; restarting"})
        self.start()
