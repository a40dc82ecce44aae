"""Script loop: four segments per cycle from catalog facts, reworded every cycle, resumes after
chat pre-empts it, every line passes the guard; optional LLM paraphrase is guarded too."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from vhost.brain.catalog import Catalog, load_catalog
from vhost.brain.guard import check_fragment
from vhost.brain.script_loop import SEGMENTS, ScriptLoop, ngram_overlap, paraphrase_segment

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo" / "catalog.toml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DEMO)


def test_ngram_overlap() -> None:
    assert ngram_overlap("a b c d", "a b c d") == 1.0
    assert ngram_overlap("a b c d", "w x y z") == 0.0
    assert 0 < ngram_overlap("the mug is great today", "the mug is fine today") < 1
    assert ngram_overlap("保热六小时", "保热六小时") == 1.0


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("pid", ["mug", "earbuds", "lamp"])
def test_cycles_are_reworded_and_every_line_is_safe(catalog: Catalog, pid: str, lang: str) -> None:
    loop = ScriptLoop(catalog.get(pid), lang)
    texts = [loop.cycle_text(c) for c in range(6)]
    overlaps = [ngram_overlap(a, b) for a, b in zip(texts, texts[1:], strict=False)]
    assert max(overlaps) < (0.2 if lang == "en" else 0.35), overlaps
    for c in range(6):
        for kind in SEGMENTS:
            line = loop.render(kind, c)
            v = check_fragment(line, lang, catalog.get(pid), catalog)
            assert not v.held and not v.corrections, (line, v)
    price = catalog.get(pid).format_price(catalog.get(pid).price)
    assert all(price in loop.render("offer", c) for c in range(6))


def test_resumes_where_it_left_off(catalog: Catalog) -> None:
    loop = ScriptLoop(catalog.get("mug"))
    said = []
    for _ in range(2):
        said.append(loop.current().kind)
        loop.advance()
    # Chat pre-empts the "offer" segment: it was not heard to the end, so no advance().
    interrupted = loop.current()
    assert interrupted.kind == "offer"
    again = loop.current()
    assert again.kind == "offer" and again.cycle == interrupted.cycle
    loop.advance()
    assert loop.current().kind == "cta"
    loop.advance()
    nxt = loop.current()
    assert (nxt.kind, nxt.cycle) == ("hook", 1)
    loop.set_product(catalog.get("lamp"))
    assert (loop.current().kind, loop.current().product_id) == ("hook", "lamp")


def test_sold_out_offers_no_purchase(catalog: Catalog) -> None:
    p = catalog.get("mug").model_copy(update={"stock": 0})
    loop = ScriptLoop(p)
    assert "sold out" in loop.render("cta", 0)


def _llm(reply: str):
    async def stream(_prompt: str):
        for word in reply.split(" "):
            yield word + " "
    return stream


def test_paraphrase_kept_only_when_safe_and_same_numbers(catalog: Catalog) -> None:
    mug = catalog.get("mug")
    seg = ScriptLoop(mug).current()
    seg = type(seg)(seg.product_id, "offer", 0, "Today it's $24.99.", "en")

    def accept(t: str) -> bool:
        return not check_fragment(t, "en", mug, catalog).held

    text, ok = asyncio.run(paraphrase_segment(seg, _llm("Grab it now for just $24.99!"), accept))
    assert ok and text.startswith("Grab it now")
    text, ok = asyncio.run(paraphrase_segment(seg, _llm("Only $19.99, the best ever!"), accept))
    assert not ok and text == seg.text
    text, ok = asyncio.run(paraphrase_segment(seg, _llm("What a great deal!"), accept))
    assert not ok and text == seg.text  # dropped the price
