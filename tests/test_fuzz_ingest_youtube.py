"""Generic ingest (WebSocket + HTTP) and YouTube (HTTP polling) fed 10,000 malformed or hostile
frames each, valid messages interleaved: see tests/test_fuzz_connectors.py for the properties."""

from __future__ import annotations

import asyncio
import json
import random

import aiohttp
import pytest
from aiohttp import web

from tests.chat_helpers import http_server
from tests.test_chat_youtube import text_item
from tests.test_fuzz_connectors import (
    MB,
    VALID,
    Run,
    bad_utf8,
    check,
    drive,
    interleave,
    json_junk,
    nested,
)
from vhost.chat.connector import Backoff
from vhost.chat.ingest import IngestServer
from vhost.chat.youtube import YouTubeConnector

pytestmark = pytest.mark.slow


# ------------------------------------------------------------------ generic ingest (WebSocket + HTTP)


def ingest_junk(rng: random.Random, i: int) -> tuple[str | bytes, bool]:
    k = i % 8
    if k == 0:
        return rng.randbytes(rng.randint(1, 200)), True  # a binary message
    if k == 1:
        return json_junk(rng), True  # JSON, but not an event
    if k == 2:
        return json.dumps({"user": "a", "text": "b", "id": f"j{i}"})[: rng.randint(1, 30)], True  # truncated
    if k == 3:
        return json.dumps(rng.choice([{"user": ["a"], "text": "x"}, {"user": "a", "text": {"o": 1}},
                                      {"user": "a", "text": "x", "amount": "NaN"}, {"type": "gift", "count": -5},
                                      {"user": "a", "text": "x", "badges": "vip"}, {"user": "a"}])), True
    if k == 4:
        return nested(rng.choice([100, 100_000])), True
    if k == 5:
        # a lone surrogate and control characters, escaped in JSON; as bytes: invalid UTF-8 text
        return (r'{"user": "\u0000", "text": "\ud800\u202e"}' if i % 2 else b'{"user": "a", "text": "' + bad_utf8(rng) + b'"}'), True
    if k == 6:
        return json.dumps([{"user": "a"}] * 501), True  # over the batch limit
    return json.dumps({"type": "nope", "user": "a", "text": "b"}), True


def test_ingest_10k_hostile_frames() -> None:
    valid = [f"valid ingest {j}" for j in range(VALID + 1)]
    frames, must = interleave(ingest_junk, random.Random(4),
                              lambda j: json.dumps({"user": "Ann", "text": valid[j], "id": f"v{j}"}))

    async def go() -> dict:
        server = IngestServer(0, token="tok-fuzz-0123456789")  # 256 KB messages at most
        run = Run(server)
        while not server.bound_port:
            await asyncio.sleep(0.01)
        base = f"http://127.0.0.1:{server.bound_port}"
        auth = {"Authorization": "Bearer tok-fuzz-0123456789"}
        async with aiohttp.ClientSession(headers=auth) as http:
            async with http.ws_connect(f"{base}/ws") as ws:
                replies = asyncio.create_task(_drain(ws))
                for f in frames:
                    await (ws.send_bytes(f) if isinstance(f, bytes) else ws.send_str(f))
                await run.wait_for(valid[-2], 40)
                # a 1 MB message on a second link closes that link only; a 1 MB POST is a 413
                async with http.ws_connect(f"{base}/ws") as big:
                    await big.send_str('{"user": "a", "text": "' + "x" * MB + '"}')
                    assert (await big.receive(timeout=5)).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
                async with http.post(f"{base}/events", data=b"[" + b" " * MB + b"]") as r:
                    assert r.status == 413
                await ws.send_str(json.dumps({"user": "Ann", "text": valid[-1], "id": "last"}))
                out = check(run, valid, must, await run.wait_for(valid[-1]))
                replies.cancel()
        await run.close()
        return out

    print("ingest", drive(go))


async def _drain(ws) -> None:  # noqa: ANN001
    async for _ in ws:
        pass


# ------------------------------------------------------------------ YouTube (HTTP polling)


def yt_junk(rng: random.Random, i: int) -> tuple[str, bool]:
    """One item of a liveChatMessages page, as JSON text."""
    k = i % 7
    if k == 0:
        return json.dumps(rng.choice([None, 1, -1e308, "x", [], [1, [2]], True, {"a": {}}])), True
    if k == 1:
        item = text_item(f"j{i}", "x")
        item["snippet"]["displayMessage"] = rng.choice([["list"], {"o": 1}, None, 5])
        item["snippet"]["textMessageDetails"] = rng.choice([["l"], "str", {"messageText": {"o": 1}}])
        return json.dumps(item), True
    if k == 2:
        return json.dumps({"id": f"j{i}", "snippet": "not an object"}), True
    if k == 3:
        return json.dumps({"id": f"j{i}", "snippet": {"type": "superChatEvent",
                                                      "superChatDetails": {"amountMicros": "lots"}}}), True
    if k == 4:
        return nested(200), True
    if k == 5:
        return json.dumps({"snippet": {"type": "textMessageEvent"}}), True  # no id, no text
    return json.dumps({"id": f"j{i}", "snippet": {"type": "textMessageEvent", "displayMessage": "\u202e"},
                       "authorDetails": "nobody"}), True


BAD_PAGES = [b"not json", b"\xff\xfe{", b"[1, 2]", b'{"items": "x", "pollingIntervalMillis": "soon"}',
             b"[" * 100_000 + b"]" * 100_000, b'{"items": [' + b"1," * (MB // 2) + b'1]}']


def test_youtube_10k_hostile_items_and_pages() -> None:
    valid = [f"valid yt {j}" for j in range(VALID + 1)]
    items, must = interleave(yt_junk, random.Random(5), lambda j: json.dumps(text_item(f"v{j}", valid[j])))
    pages: list[bytes] = []
    for n, start in enumerate(range(0, len(items), 200)):
        body = '{"items": [' + ",".join(items[start:start + 200]) + f'], "pollingIntervalMillis": 0, "nextPageToken": "p{n}"}}'
        pages.append(body.encode())
        if n % 8 == 3:
            pages.append(BAD_PAGES[(n // 8) % len(BAD_PAGES)])
    pages.append(b"[" * 100_000 + b"]" * 100_000)
    pages.append(b'{"items": [' + json.dumps(text_item("last", valid[-1])).encode() + b"]}")
    n_pages = len(pages)

    async def videos(req: web.Request) -> web.Response:
        return web.json_response({"items": [{"id": "v", "liveStreamingDetails": {"activeLiveChatId": "chat-1"}}]})

    served: list[float] = []

    async def messages(req: web.Request) -> web.Response:
        if not pages:
            return web.Response(body=b'{"items": [], "pollingIntervalMillis": 10000}', content_type="application/json")
        served.append(asyncio.get_running_loop().time())
        body = pages.pop(0)
        return web.Response(body=body, content_type="application/json")

    async def go() -> dict:
        app = web.Application()
        app.router.add_get("/yt/videos", videos)
        app.router.add_get("/yt/liveChat/messages", messages)
        async with http_server(app) as base:
            conn = YouTubeConnector("vid", api_key="AIzaSy-test-key-0123456789", base_url=f"{base}/yt",
                                    min_interval_s=0.005, backoff=Backoff(base=0.01, cap=0.05))  # fmt: skip
            run = Run(conn)
            await run.wait_for(valid[-1], 40)
            lat = asyncio.get_running_loop().time() - served[-1]  # its page was the last one served
            assert len(served) == n_pages
            out = check(run, valid, must + 7, lat)
            await run.close()
            return out

    print("youtube", drive(go))
