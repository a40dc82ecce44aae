"""Product visuals in their own process: one `visual` request per product, answered from the
disk cache or computed once (cut-out, shadow, palette).

The show asks `ProductVisuals.get(...)` when it loads the catalog or switches product; the card
shows the raw photo (or the drawn placeholder) until the visual arrives, so nothing waits on it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from vhost.base.paths import data_dir
from vhost.base.workers import WorkerClient, WorkerContext
from vhost.stage.visuals import ProductVisual, product_visual

log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    """Beside the converted models and the loudness cache, wherever `data_dir()` puts them."""
    return data_dir() / "visuals"


class VisualsWorker:
    """Child side (built by vhost.base.workers._child_main)."""

    def __init__(self, ctx: WorkerContext, cache_dir: str) -> None:
        import cv2

        cv2.setNumThreads(1)  # stay off the cores the stage and the voice need
        self._ctx = ctx
        self._cache_dir = cache_dir

    def handle(self, req: dict) -> None:
        if req["op"] != "visual":
            raise ValueError(f"unknown op {req['op']!r}")
        visual = product_visual(req["product_id"], req["name"], req.get("image"), self._cache_dir)
        self._ctx.send({"id": req["id"], "type": "visual", "visual": visual.to_dict(), "final": True})


class ProductVisuals:
    """Parent side: a WorkerClient plus an in-memory memo so each product is asked for once."""

    def __init__(self, cache_dir: str | Path | None = None,
                 on_status: Callable[[str, dict], None] | None = None) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir else default_cache_dir()
        self.client = WorkerClient("visuals", "vhost.stage.visuals_worker:VisualsWorker",
                                   {"cache_dir": str(self.cache_dir)}, on_status)
        self._memo: dict[tuple[str, str | None], ProductVisual] = {}

    def start(self) -> None:
        """Spawn the process; call from the asyncio loop that will await `get`."""
        self.client.start()

    async def get(self, product_id: str, name: str, image: str | None) -> ProductVisual:
        key = (product_id, image)
        if key not in self._memo:
            async for msg in self.client.request("visual", product_id=product_id, name=name,
                                                 image=image):
                if msg.get("type") == "visual":
                    self._memo[key] = ProductVisual.from_dict(msg["visual"])
        return self._memo[key]

    async def get_product(self, product) -> ProductVisual:
        """For a catalog Product (first image, if any)."""
        image = str(product.images[0]) if getattr(product, "images", None) else None
        return await self.get(product.id, product.name, image)

    async def close(self) -> None:
        await self.client.close()


async def prefetch_visuals(visuals: ProductVisuals, products, stage) -> int:
    """Compute (or load from the cache) every product's visual, one at a time in the worker,
    and hand each to the stage (`LiveStage.set_product_visual`) as it arrives. A product whose
    visual fails keeps its raw photo on the card; the failure is logged, never raised.
    Returns how many visuals were applied."""
    done = 0
    for product in products:
        try:
            v = await visuals.get_product(product)
        except Exception as exc:  # noqa: BLE001 - the card falls back to the photo
            log.warning("product %s: no visual (%s); showing the raw photo", product.id, exc)
            continue
        stage.set_product_visual(product.id, v.image, v.accent)
        done += 1
    return done
