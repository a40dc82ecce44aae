"""The brain-side parts a reply is made from, with the checks every ready line passes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from vhost.brain.catalog import Catalog, Product
from vhost.brain.clients import LLMClient
from vhost.brain.host import ShowBrain
from vhost.brain.persona import Persona
from vhost.brain.prompt import build_system_prompt
from vhost.show.guarding import Guard, run_guard

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplyContext:
    catalog: Catalog
    persona: Persona
    brain: ShowBrain
    llm: LLMClient
    clock: Callable[[], float]
    guard: Guard | None = None  # the operator's own filter: any reason holds a line as a draft
    max_new_tokens: int = 60

    def system(self, product: Product) -> str:
        return build_system_prompt(self.persona, product, self.catalog)

    def line_reasons(self, text: str, lang: str, product: Product) -> list[str]:
        """Why a ready line (welcome, thanks, script segment) must not be spoken as it is: the
        brain's compliance rules for `product` (viewer names are in some of these lines), then
        the operator's own filter. LLM text and FAQ answers get the compliance check per fragment
        in the replier (vhost.brain.guard), so it is not repeated there."""
        try:
            reasons = self.brain.guard(text, lang, product)
        except Exception as exc:  # noqa: BLE001 - a rule bug holds the line, never speaks it
            log.exception("compliance check failed")
            reasons = [f"compliance check failed: {exc}"]
        return reasons + run_guard(self.guard, text, lang)
