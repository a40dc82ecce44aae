"""Products: which one was on screen when (segments and switches), which one each message is
about, and the funnel per product (mentions → questions → purchase signals).

A message is about a product when it names it (id, name or alias: the catalog's own matcher), or
— a question or purchase signal naming nothing ("how much?", "I'll take it") — about the product
on screen at that moment. Everything else mentions no product.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from vhost.brain.catalog import Catalog
from vhost.show.insights.messages import Message, chat_lines
from vhost.show.insights.record import SessionData

Matcher = Callable[[str], str | None]


@dataclass
class Products:
    """Product names, the words that name a product (names, aliases), and a matcher (text →
    product id or None)."""

    names: dict[str, str] = field(default_factory=dict)
    matcher: Matcher | None = None
    first: str | None = None  # the product on screen at the start when the record does not say
    terms: tuple[str, ...] = ()

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> Products:
        def match(text: str) -> str | None:
            p = catalog.find_mentioned(text)
            return p.id if p else None

        terms = {t for p in catalog.products
                 for t in (p.id, p.name, *p.aliases, *(o.name for o in p.i18n.values() if o.name)) if t}
        return cls({p.id: p.name for p in catalog.products}, match, catalog.products[0].id, tuple(terms))

    def name(self, pid: str | None) -> str:
        return self.names.get(pid or "", pid or "(none)")

    def find(self, text: str) -> str | None:
        if self.matcher is not None:
            return self.matcher(text)
        return _match_names(self.names, text)

    def strip(self, text: str) -> str:
        """The text without the words that name a product: what is asked, not about which (two
        questions about the same product look alike to an embedding for the name alone)."""
        return _terms_pattern((*self.terms, *self.names, *self.names.values())).sub(" ", text)


@lru_cache(maxsize=32)
def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({t.casefold() for t in terms if t}, key=len, reverse=True)
    parts = [rf"(?<![a-z0-9]){re.escape(t)}(?:s|es)?(?![a-z0-9])" if t.isascii() else re.escape(t) for t in words]
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


def _match_names(names: dict[str, str], text: str) -> str | None:
    """Without a catalog: a product id or full name named in the text, earliest first."""
    low = unicodedata.normalize("NFKC", text).casefold()
    best: tuple[int, str] | None = None
    for pid, name in names.items():
        for term in {pid.casefold(), name.casefold()}:
            m = re.search(rf"(?<!\w){re.escape(term)}(?:s|es)?(?!\w)", low) if term.isascii() else None
            pos = m.start() if m else (low.find(term) if not term.isascii() else -1)
            if pos >= 0 and (best is None or pos < best[0]):
                best = (pos, pid)
    return best[1] if best else None


def learn_names(session: SessionData, products: Products) -> Products:
    """`products` with the names the record carries (product switches, show state) added."""
    names = dict(products.names)
    for e in session.of("product", "state"):
        p = e.data if e.kind == "product" else e.data.get("product") or {}
        pid, name = p.get("id"), p.get("name")
        if pid and pid not in names:
            names[str(pid)] = str(name or pid)
    return Products(names, products.matcher, products.first, products.terms)


def timeline(session: SessionData, products: Products) -> list[dict[str, Any]]:
    """Segments of screen time: [{product, name, start_s, end_s}], one per switch."""
    first = session.meta.get("product") or products.first
    switches: list[tuple[float, str]] = []
    for e in session.of("product", "state"):
        p = e.data if e.kind == "product" else e.data.get("product") or {}
        pid = p.get("id")
        if not pid:
            continue
        if not switches and first is None:
            first = pid  # the first thing the record says is what was on screen
        if (switches[-1][1] if switches else first) != pid:
            switches.append((max(0.0, e.at), str(pid)))
    end = session.duration_s
    points: list[tuple[float, str]] = [(0.0, str(first)), *switches] if first else switches
    segs = []
    for i, (start, pid) in enumerate(points):
        stop = points[i + 1][0] if i + 1 < len(points) else max(end, start)
        if stop > start or i == len(points) - 1:  # a switch straight on to another is no segment
            segs.append({"product": pid, "name": products.name(pid), "start_s": start, "end_s": stop})
    return segs


def on_screen(segments: list[dict[str, Any]], at: float) -> str | None:
    for s in reversed(segments):
        if s["start_s"] <= at:
            return s["product"]
    return segments[0]["product"] if segments else None


def attribute(msgs: list[Message], segments: list[dict[str, Any]], products: Products) -> dict[str, str | None]:
    """Message id → the product it is about (None: about no product)."""
    out: dict[str, str | None] = {}
    for m in chat_lines(msgs):
        pid = products.find(m.text)
        if pid is None and (m.is_question or m.is_purchase):
            pid = on_screen(segments, m.at)
        out[m.id] = pid
    return out


def funnel(msgs: list[Message], about: dict[str, str | None], segments: list[dict[str, Any]],
           products: Products) -> list[dict[str, Any]]:
    """Per product: mentions (messages about it), of those questions, of those purchase signals;
    and the minutes it was on screen."""
    rows: dict[str, dict[str, Any]] = {}

    def row(pid: str) -> dict[str, Any]:
        return rows.setdefault(pid, {"product": pid, "name": products.name(pid), "mentions": 0,
                                     "questions": 0, "purchase_signals": 0, "on_screen_s": 0.0})

    for s in segments:
        row(s["product"])["on_screen_s"] += s["end_s"] - s["start_s"]
    for m in chat_lines(msgs):
        pid = about.get(m.id)
        if pid is None:
            continue
        r = row(pid)
        r["mentions"] += 1
        r["questions"] += m.is_question
        r["purchase_signals"] += m.is_purchase
    for r in rows.values():
        minutes = r["on_screen_s"] / 60.0
        r["purchase_per_min_on_screen"] = r["purchase_signals"] / minutes if minutes > 0 else None
    return sorted(rows.values(), key=lambda r: (-r["mentions"], r["product"]))
