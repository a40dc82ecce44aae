"""Heavy models run in worker processes so the stage keeps its frame rate (a busy Python thread
beside Qt halves it; a process does not).

Protocol: dict messages over a multiprocessing Pipe. Every request carries an `id`; the worker
answers with one or more messages carrying that id, the last one with `"final": True`. A request
`{"op": "cancel", "target": id}` asks a streaming handler to stop early.

The parent side is asyncio: the pipe's file descriptor is watched with `loop.add_reader`, so no
thread is spent waiting. If the process dies, every request in flight fails with `WorkerCrashed`
(callers keep their input and retry) and the process is restarted.
"""

from __future__ import annotations

import asyncio
import importlib
import itertools
import logging
import multiprocessing as mp
import os
import time
import traceback
from collections import deque
from collections.abc import AsyncIterator, Callable
from multiprocessing.connection import Connection
from typing import Any

log = logging.getLogger(__name__)


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


def _child_main(factory_path: str, kwargs: dict, conn: Connection) -> None:
    """Entry point of the worker process: build the handler object, then serve requests."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
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
    ) -> None:
        """reply_timeout_s: a request that gets no message for this long means the worker hangs
        (a deadlocked library, a stuck device): it is killed and restarted like a crashed one."""
        self.name = name
        self.factory_path = factory_path
        self.kwargs = kwargs or {}
        self.on_status = on_status or (lambda _name, _msg: None)
        self.max_restarts = max_restarts
        self.restarts = 0
        self.reply_timeout_s = reply_timeout_s
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
        ctx = mp.get_context("spawn")  # never fork a process that holds Qt and threads
        parent, child = ctx.Pipe(duplex=True)
        self._proc = ctx.Process(
            target=_child_main, args=(self.factory_path, self.kwargs, child), name=f"vhost-{self.name}", daemon=True
        )
        self.started_at = time.monotonic()
        self._proc.start()
        child.close()
        self._conn = parent
        self._ready = self._loop.create_future()
        self._loop.add_reader(parent.fileno(), self._on_readable)

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

    def _hung(self, op: str) -> None:
        """Kill a worker that stopped answering: its death restarts it (see `_on_death`), and every
        request in flight fails over to the caller's retry."""
        log.warning("%s worker hung on %r for %.0f s; killing it", self.name, op, self.reply_timeout_s or 0)
        self.on_status(self.name, {"type": "hung", "op": op, "timeout_s": self.reply_timeout_s})
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()
            self._proc.join(timeout=2)  # SIGKILL: at once
        if self._conn is not None:
            self._on_death()  # now, not when the pipe's EOF is read: no new request may reach it

    # --- plumbing ------------------------------------------------------------------
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

    def _detach(self) -> None:
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
        if self.restarts >= self.max_restarts:
            msg = f"{self.name} worker died (exit {code}) too often; giving up"
            log.error(msg)
            self.on_status(self.name, {"type": "fatal", "error": msg})
            return
        self.restarts += 1
        log.warning("%s worker died (exit %s); restarting (%d)", self.name, code, self.restarts)
        self.on_status(self.name, {"type": "restarting", "exitcode": code, "restarts": self.restarts})
        self.start()
