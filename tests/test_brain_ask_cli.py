"""`vhost ask`: the FAQ path with no model, the LLM path through an OpenAI-compatible server on
127.0.0.1 (its draft has a wrong price and a banned claim), the real small model, bad input."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator

import pytest
from aiohttp import web

from vhost.app.cli import main

DRAFT = ["Sure! ", "It keeps drinks hot ", "for 6 hours, ", "only $19.99 today. ",
         "Best mug ever, guaranteed!"]


def _last_json(out: str) -> dict:
    lines = [ln for ln in out.strip().splitlines() if ln.strip()]
    return json.loads(lines[-1])


def test_ask_faq_path(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "is it dishwasher safe?", "--user", "Anna"]) == 0
    out = capsys.readouterr().out
    reply, verdict = out.strip().splitlines()
    v = json.loads(verdict)
    assert v["path"] == "facts" and v["kind"] == "fact" and v["lang"] == "en" and v["grounded"] is True
    assert v["facts"] == ["mug/faq/0"]
    assert v["compliance"] == {"ok": True, "reasons": []} and v["corrections"] == []
    assert reply == v["reply"] and "top rack" in reply


def test_ask_faq_path_chinese_other_product(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "耳机防水吗？", "--product", "lamp"]) == 0
    v = _last_json(capsys.readouterr().out)
    assert v["path"] == "facts" and v["lang"] == "zh" and v["product"] == "earbuds"
    assert "不能游泳" in v["reply"]


@pytest.fixture()
def sse_server() -> Iterator[str]:
    async def chat(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await resp.prepare(request)
        for piece in DRAFT:
            body = {"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            await resp.write(f"data: {json.dumps(body)}\n\n".encode())
        await resp.write(b"data: [DONE]\n\n")
        return resp

    async def models(request: web.Request) -> web.Response:
        return web.json_response({"data": []})

    loop = asyncio.new_event_loop()
    started = threading.Event()
    box: dict = {}

    async def start() -> None:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", chat)
        app.router.add_get("/v1/models", models)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        box["runner"] = runner
        box["port"] = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        started.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(start()),
                                              loop.run_forever()), daemon=True)
    thread.start()
    assert started.wait(5)
    yield f"http://127.0.0.1:{box['port']}/v1"
    asyncio.run_coroutine_threadsafe(box["runner"].cleanup(), loop).result(5)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


def test_ask_llm_path_guards_the_draft(sse_server: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Small talk is what the model phrases (a fact question never reaches it).
    rc = main(["ask", "tell me about the mug", "--openai-url", sse_server, "--openai-model", "m"])
    assert rc == 0
    out = capsys.readouterr().out
    v = _last_json(out)
    assert v["path"] == "llm" and v["lang"] == "en" and v["product"] == "mug"
    # Two sentences at most: the price is corrected, the banned claim never reaches the reply.
    assert "$24.99" in v["reply"] and "$19.99" not in v["reply"]
    assert v["corrections"] == ["'$19.99' -> '$24.99' (price)"]
    assert "guaranteed" not in v["reply"].lower() and "best" not in v["reply"].lower()
    assert v["grounded"] is True


@pytest.mark.realmodel
@pytest.mark.slow
def test_ask_with_the_small_real_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "tell me about the mug", "--model", "smollm2-135m-instruct"]) == 0
    v = _last_json(capsys.readouterr().out)
    assert v["path"] == "llm" and v["reply"] and v["lang"] == "en"
    assert isinstance(v["grounded"], bool) and isinstance(v["compliance"]["ok"], bool)
    # Whatever the model wrote, nothing said breaks the rules.
    from vhost.brain.compliance import check_compliance
    assert check_compliance(v["reply"], "en").ok


def test_ask_bad_input(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "hi", "--product", "sofa"]) == 2
    assert "unknown product 'sofa'" in capsys.readouterr().err
    bad = tmp_path / "c.csv"
    bad.write_text("id,name\n", encoding="utf-8")
    assert main(["ask", "hi", "--catalog", str(bad)]) == 2
    assert "c.csv" in capsys.readouterr().err
    assert main(["ask", "what do you think of it?", "--openai-url", "http://127.0.0.1:9/v1"]) == 1
    assert "cannot reach the LLM server" in capsys.readouterr().err
