"""What is on air now: the product, the operator's emotion, whether replies run."""

from __future__ import annotations

from dataclasses import dataclass

from vhost.brain.catalog import Product


@dataclass
class OnAir:
    product: Product
    emotion: str = "neutral"
    auto_reply: bool = True
