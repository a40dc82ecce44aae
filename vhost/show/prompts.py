"""The LLM's cached system prompts, one per product, kept warm in the background.

Nothing here is awaited by an operator command: a product switch starts `switch()` as a task and
returns; the prompt is ready a moment later (a question asked meanwhile only pays the prefill).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from vhost.base.workers import WorkerCrashed, WorkerError
from vhost.brain.catalog import Catalog, Product
from vhost.brain.clients import LLMClient
from vhost.brain.persona import Persona
from vhost.brain.prompt import build_system_prompt

log = logging.getLogger(__name__)

CRASH_RETRIES = 3


class PromptCache:
    def __init__(self, llm: LLMClient, persona: Persona, catalog: Catalog,
                 on_unavailable: Callable[[str], None]) -> None:
        self.llm = llm
        self.persona = persona
        self.catalog = catalog
        self.on_unavailable = on_unavailable  # no LLM at all (missing model, failed load)
        self._tasks: set[asyncio.Task] = set()
        self._switch: asyncio.Task | None = None

    def system(self, product: Product) -> str:
        return build_system_prompt(self.persona, product, self.catalog)

    async def activate(self, product: Product) -> bool:
        """Make `product`'s prompt the cached one. False: the LLM is not there."""
        for attempt in range(CRASH_RETRIES):
            try:
                await self.llm.set_prefix(self.system(product))
                return True
            except WorkerCrashed:
                log.warning("LLM worker crashed while caching the prompt; retry %d", attempt + 1)
            except WorkerError as exc:
                self.on_unavailable(str(exc))
                return False
        return False

    def switch(self, product: Product) -> None:
        """In the background; a newer switch replaces one still running."""
        if self._switch is not None:
            self._switch.cancel()
        self._switch = self._spawn(self.activate(product), f"prompt-{product.id}")

    def warm_others(self, current: Callable[[], Product]) -> None:
        """Prefill every other product's prompt once, then the current one again: later switches
        and questions about those products cost no prefill on a viewer's clock."""
        self._spawn(self._warm(current), "prompt-warm")

    async def _warm(self, current: Callable[[], Product]) -> None:
        for product in self.catalog.products:
            if product.id == current().id:
                continue
            try:
                await self.llm.set_prefix(self.system(product))
                await self.llm.set_prefix(self.system(current()))
            except (WorkerCrashed, WorkerError):
                return  # a cold prefix is only slower, never wrong

    def _spawn(self, coro, name: str) -> asyncio.Task:  # noqa: ANN001 - a coroutine
        task = asyncio.create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def close(self) -> None:
        for t in list(self._tasks):
            t.cancel()
