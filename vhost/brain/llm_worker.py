"""The LLM's worker process: loads the model once, keeps the system prompt's KV cache, and
streams tokens back. Runs in its own interpreter (see vhost.base.workers)."""

from __future__ import annotations

from vhost.base.workers import WorkerContext


class LLMWorker:
    def __init__(self, ctx: WorkerContext, model: str, device: str = "auto", threads: int | None = None) -> None:
        from vhost.brain.llm_engine import LLMEngine

        self.ctx = ctx
        self.engine = LLMEngine(model, device=device, threads=threads, progress=self._progress)

    def _progress(self, stage: str, fraction: float) -> None:
        self.ctx.status(f"LLM: {stage}", fraction)

    def handle(self, req: dict) -> None:
        op = req["op"]
        if op == "prefix":
            seconds = self.engine.set_prefix(req["system"])
            self.ctx.send({"id": req["id"], "type": "prefix", "seconds": seconds, "final": True})
        elif op == "generate":
            rid = req["id"]
            for delta in self.engine.stream(
                req["user_text"],
                history=req.get("history"),
                max_new_tokens=req.get("max_new_tokens", 64),
                temperature=req.get("temperature", 0.7),
                seed=req.get("seed"),
                system=req.get("system"),
                should_stop=lambda: self.ctx.is_cancelled(rid),
            ):
                self.ctx.send({"id": rid, "type": "token", "text": delta})
            self.ctx.send({"id": rid, "type": "done", "stats": dict(self.engine.last_stats), "final": True})
        else:
            raise ValueError(f"unknown op {op!r}")
