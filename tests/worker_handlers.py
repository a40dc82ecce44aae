"""Tiny worker handlers for tests of the worker-process plumbing (real processes, real pipes)."""

import os
import time


class CountWorker:
    """Streams numbers; honours cancel; can be told to die or to fail."""

    def __init__(self, ctx, delay: float = 0.01) -> None:
        self.ctx = ctx
        self.delay = delay

    def handle(self, req: dict) -> None:
        if req["op"] == "count":
            for i in range(req["n"]):
                if self.ctx.is_cancelled(req["id"]):
                    break
                self.ctx.send({"id": req["id"], "type": "item", "value": i})
                time.sleep(self.delay)
            self.ctx.send({"id": req["id"], "type": "done", "final": True})
        elif req["op"] == "die":
            os._exit(3)
        elif req["op"] == "fail":
            raise ValueError("bad request")
        elif req["op"] == "hang":
            time.sleep(3600)  # a deadlocked library: no reply, no exit
        elif req["op"] == "pid":
            self.ctx.send({"id": req["id"], "type": "pid", "pid": os.getpid(), "final": True})


class BrokenWorker:
    def __init__(self, ctx) -> None:
        raise FileNotFoundError("model package missing: pip install something==1.0")
