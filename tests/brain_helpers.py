"""Shared pieces of the brain round tests: a catalog item in a line, and one decision by a named
viewer about the product on screen."""

from __future__ import annotations

from typing import Any

from vhost.brain.answerer import Answerer, Decision


def item(pid: str, name: str, price: float, category: str) -> dict[str, Any]:
    return {"id": pid, "name": name, "price": price, "currency": "CNY", "stock": 50, "category": category}


def decide(a: Answerer, text: str, on: str, lang: str = "zh") -> Decision:
    return a.decide(text, ["Mia"], a.catalog.get(on), lang=lang)
